// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <optional>

#include <QList>

#include "console/storage/records.h"

namespace StreamSwarm::Console {

class Database;

// The event log: agent connects and disconnects, probe errors, refused logins.
class EventRepository
{
public:
    explicit EventRepository(Database &db)
        : m_db(db)
    { }

    bool add(qint64 timeMs, const QString &level, const QString &kind, qint64 agentId, qint64 testId,
        const QString &message, QString *error);
    // A line of the audit trail: who created, revoked or changed what (level info).
    bool audit(const QString &kind, const QString &message, qint64 agentId, qint64 testId, QString *error);
    std::optional<QList<EventRecord>> recent(int limit, QString *error);

private:
    Database &m_db;
};

} // namespace StreamSwarm::Console
