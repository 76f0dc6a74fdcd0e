// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QPair>
#include <QString>

namespace StreamSwarm::Console {

// Writes Prometheus's text exposition format (version 0.0.4): one HELP and TYPE line per family and
// the family's samples together under them (sorted), whatever order they were added in (Prometheus
// refuses a family split in two). No timestamps: Prometheus stamps each sample with its scrape time. Pure; any
// thread.
class Exposition
{
public:
    enum class Type { Gauge, Counter };
    using Labels = QList<QPair<QString, QString>>; // name, value; in the order they are written

    // Adds one sample; a family's help and type are those of its first sample.
    void add(const QString &family, const QString &help, Type type, const Labels &labels, double value);
    QByteArray text() const;
    bool isEmpty() const { return m_families.isEmpty(); }

    // "ping.rtt_avg_ms" -> "streamswarm_ping_rtt_avg_ms": characters outside [a-zA-Z0-9_] become '_'.
    static QString metricName(QStringView catalogName);
    // A label name: characters outside [a-zA-Z0-9_] become '_', a leading digit gets a '_' before it,
    // and a name Prometheus keeps for itself (starting "__") gets "label" before it.
    static QString labelName(QStringView name);
    static QString escapeLabelValue(QStringView value); // backslash, double quote and line feed
    static QString escapeHelp(QStringView help); // backslash and line feed
    static QString formatValue(double value); // shortest exact form; NaN, +Inf, -Inf

private:
    static QString escaped(QStringView text, bool quotes);

    struct Family
    {
        QString help;
        Type type = Type::Gauge;
        QStringList samples; // whole lines without the line feed
    };
    QMap<QString, Family> m_families; // sorted by name, so every scrape lists them alike
};

} // namespace StreamSwarm::Console
