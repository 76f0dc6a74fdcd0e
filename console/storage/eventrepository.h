// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <optional>

#include <QList>

#include "console/storage/records.h"

class QSqlQuery;

namespace StreamSwarm::Console {

class Database;

// The event log: agent connects and disconnects, probe errors, refused logins.
class EventRepository
{
public:
    explicit EventRepository(Database &db)
        : m_db(db)
    { }

    // An event the console makes: stored as its code and values, with the untranslated sentence as
    // its message; readers translate it when they show it.
    bool add(qint64 timeMs, const QString &level, const QString &kind, qint64 agentId, qint64 testId,
        const Protocol::EventText &text, QString *error);
    // An event as an agent sent it (or a probe's error): its own words, and its code when it sent one.
    bool add(qint64 agentId, const Protocol::Event &event, QString *error);
    // A line of the audit trail: who created, revoked or changed what (level info).
    bool audit(const QString &kind, const Protocol::EventText &text, qint64 agentId, qint64 testId, QString *error);
    std::optional<QList<EventRecord>> recent(int limit, QString *error);
    // The events from fromMs to toMs, oldest first; at most limit (the oldest kept).
    std::optional<QList<EventRecord>> between(qint64 fromMs, qint64 toMs, int limit, QString *error);
    // The events a query asks for, newest first.
    std::optional<QList<EventRecord>> find(const EventQuery &query, QString *error);

private:
    std::optional<QList<EventRecord>> read(QSqlQuery &query, QString *error);
    bool insert(qint64 timeMs, const QString &level, const QString &kind, qint64 agentId, qint64 testId,
        const QString &message, const Protocol::EventText &text, QString *error);

    Database &m_db;
};

} // namespace StreamSwarm::Console
