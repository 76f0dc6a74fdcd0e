// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "eventrepository.h"

#include <QDateTime>
#include <QSqlQuery>
#include <QVariant>

#include "console/storage/database.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

bool EventRepository::insert(qint64 timeMs, const QString &level, const QString &kind, qint64 agentId, qint64 testId,
    const QString &message, const Protocol::EventText &text, QString *error)
{
    QSqlQuery query(m_db.connection());
    query.prepare(u"INSERT INTO events (t, level, kind, agent_id, test_id, message, code, args) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"_s);
    query.addBindValue(timeMs);
    query.addBindValue(level);
    query.addBindValue(kind);
    query.addBindValue(nullIfZero(agentId));
    query.addBindValue(nullIfZero(testId));
    query.addBindValue(message);
    const QVariant none(QMetaType::fromType<QString>());
    query.addBindValue(text.isEmpty() ? none : QVariant(text.code()));
    query.addBindValue(text.isEmpty() ? none : QVariant(text.argsJson()));
    return m_db.exec(query, error);
}

bool EventRepository::add(qint64 timeMs, const QString &level, const QString &kind, qint64 agentId, qint64 testId,
    const Protocol::EventText &text, QString *error)
{
    return insert(timeMs, level, kind, agentId, testId, text.sourceText(), text, error);
}

bool EventRepository::add(qint64 agentId, const Protocol::Event &event, QString *error)
{
    return insert(event.timeMs, event.level, event.kind, agentId, event.testId, event.message, event.coded, error);
}

bool EventRepository::audit(
    const QString &kind, const Protocol::EventText &text, qint64 agentId, qint64 testId, QString *error)
{
    return add(QDateTime::currentMSecsSinceEpoch(), u"info"_s, kind, agentId, testId, text, error);
}

namespace {

const QString EVENT_COLUMNS = u"SELECT e.id, e.t, e.level, e.kind, COALESCE(a.name, ''), COALESCE(t.name, ''), "
                              "e.message, e.code, e.args FROM events e LEFT JOIN agents a ON a.id = e.agent_id "
                              "LEFT JOIN tests t ON t.id = e.test_id "_s;

} // namespace

std::optional<QList<EventRecord>> EventRepository::recent(int limit, QString *error)
{
    QSqlQuery query(m_db.connection());
    query.prepare(EVENT_COLUMNS + u"ORDER BY e.id DESC LIMIT ?"_s);
    query.addBindValue(limit);
    return read(query, error);
}

std::optional<QList<EventRecord>> EventRepository::between(qint64 fromMs, qint64 toMs, int limit, QString *error)
{
    QSqlQuery query(m_db.connection());
    query.prepare(EVENT_COLUMNS + u"WHERE e.t >= ? AND e.t < ? ORDER BY e.t, e.id LIMIT ?"_s);
    query.addBindValue(fromMs);
    query.addBindValue(toMs);
    query.addBindValue(limit);
    return read(query, error);
}

std::optional<QList<EventRecord>> EventRepository::read(QSqlQuery &query, QString *error)
{
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
        if (!query.value(7).isNull())
            event.coded = Protocol::EventText::fromStored(query.value(7).toString(), query.value(8).toString());
        events.append(event);
    }
    return events;
}

} // namespace StreamSwarm::Console
