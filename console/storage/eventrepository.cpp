// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "eventrepository.h"

#include <QDateTime>
#include <QSqlQuery>
#include <QVariant>

#include "console/storage/database.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

namespace {

QVariant idOrNull(qint64 id)
{
    return id ? QVariant(id) : QVariant(QMetaType::fromType<qint64>());
}

} // namespace

bool EventRepository::add(qint64 timeMs, const QString &level, const QString &kind, qint64 agentId, qint64 testId,
    const QString &message, QString *error)
{
    QSqlQuery query(m_db.connection());
    query.prepare(u"INSERT INTO events (t, level, kind, agent_id, test_id, message) VALUES (?, ?, ?, ?, ?, ?)"_s);
    query.addBindValue(timeMs);
    query.addBindValue(level);
    query.addBindValue(kind);
    query.addBindValue(idOrNull(agentId));
    query.addBindValue(idOrNull(testId));
    query.addBindValue(message);
    return m_db.exec(query, error);
}

bool EventRepository::audit(const QString &kind, const QString &message, qint64 agentId, qint64 testId, QString *error)
{
    return add(QDateTime::currentMSecsSinceEpoch(), u"info"_s, kind, agentId, testId, message, error);
}

std::optional<QList<EventRecord>> EventRepository::recent(int limit, QString *error)
{
    QSqlQuery query(m_db.connection());
    query.prepare(u"SELECT e.id, e.t, e.level, e.kind, COALESCE(a.name, ''), COALESCE(t.name, ''), e.message "
                  "FROM events e LEFT JOIN agents a ON a.id = e.agent_id LEFT JOIN tests t ON t.id = e.test_id "
                  "ORDER BY e.id DESC LIMIT ?"_s);
    query.addBindValue(limit);
    if (!m_db.exec(query, error))
        return std::nullopt;
    QList<EventRecord> events;
    while (query.next()) {
        EventRecord event;
        event.id = query.value(0).toLongLong();
        event.timeMs = query.value(1).toLongLong();
        event.level = query.value(2).toString();
        event.kind = query.value(3).toString();
        event.agentName = query.value(4).toString();
        event.testName = query.value(5).toString();
        event.message = query.value(6).toString();
        events.append(event);
    }
    return events;
}

} // namespace StreamSwarm::Console
