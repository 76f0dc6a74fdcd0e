// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <optional>

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

// What an event says, kept apart from the language it is shown in: a code that names a sentence in
// the one table of event texts (eventtext.cpp, marked for lupdate) and the values that fill it in,
// e.g. "test-added" with ["wan"]. The console stores events so and translates them when they are
// shown; agents send the code beside their plain message. Immutable value; any thread.
namespace StreamSwarm::Protocol {

class EventText
{
    Q_DECLARE_TR_FUNCTIONS(StreamSwarm::Protocol::EventText)
public:
    // A sentence has %1 to %9; a value is a text, a whole number, or another EventText as its
    // toJson() (a reason inside a sentence, e.g. why an agent was refused).
    static constexpr int MAX_ARGS = 9;
    static constexpr int MAX_DEPTH = 4; // sentences inside sentences

    EventText() = default;
    explicit EventText(QString code, QJsonArray args = {});

    const QString &code() const { return m_code; }
    const QJsonArray &args() const { return m_args; }
    bool isEmpty() const { return m_code.isEmpty(); }

    // The sentence in the user's language; fallback when this build does not know the code or the
    // values do not fit it (an event from a newer console or agent, a damaged row).
    QString text(const QString &fallback = QString()) const;
    // The same sentence untranslated, as the source code writes it: what the events table keeps
    // beside the code, so a plain SQL query and an older build still read it. Empty when unknown.
    QString sourceText() const;

    // {"code": ..., "args": [...]}: how one EventText sits among another's values.
    QJsonObject toJson() const;
    static EventText fromJson(const QJsonObject &object);
    // The events table's args column: the values as a compact JSON array.
    QString argsJson() const;
    static EventText fromStored(const QString &code, const QString &argsJson);

    static bool isKnown(QStringView code);
    static QStringList codes(); // every code of the table, for tests

    friend bool operator==(const EventText &a, const EventText &b)
    {
        return a.m_code == b.m_code && a.m_args == b.m_args;
    }
    friend bool operator!=(const EventText &a, const EventText &b) { return !(a == b); }

private:
    std::optional<QString> render(bool translated, int depth) const;

    QString m_code;
    QJsonArray m_args;
};

} // namespace StreamSwarm::Protocol
