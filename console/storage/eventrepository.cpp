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

std::optional<QList<EventRecord>> EventRepository::find(const EventQuery &wanted, QString *error)
{
    QStringList where{u"e.t >= ?"_s};
    QVariantList values{wanted.fromMs};
    if (wanted.toMs) {
        where.append(u"e.t < ?"_s);
        values.append(wanted.toMs);
    }
    if (!wanted.kinds.isEmpty()) {
        QStringList marks;
        for (const QString &kind : wanted.kinds) {
            marks.append(u"?"_s);
            values.append(kind);
        }
        where.append(u"e.kind IN (%1)"_s.arg(marks.join(u", ")));
    }
    for (const auto &[column, value] : {std::pair{u"a.name"_s, wanted.agentName},
             std::pair{u"t.name"_s, wanted.testName}, std::pair{u"e.level"_s, wanted.level}}) {
        if (!value.isEmpty()) {
            where.append(column + u" = ?"_s);
            values.append(value);
        }
    }
    if (!wanted.text.isEmpty()) {
        // The stored message is the untranslated sentence; the values coded beside it are searched too.
        QString pattern = wanted.text.toLower();
        pattern.replace(u'\\', u"\\\\"_s).replace(u'%', u"\\%"_s).replace(u'_', u"\\_"_s);
        where.append(u"(LOWER(e.message) LIKE ? ESCAPE '\\' OR LOWER(COALESCE(e.args, '')) LIKE ? ESCAPE '\\')"_s);
        values.append(QString(u'%' + pattern + u'%'));
        values.append(QString(u'%' + pattern + u'%'));
    }
    QSqlQuery query(m_db.connection());
    query.prepare(EVENT_COLUMNS + u"WHERE "_s + where.join(u" AND "_s) + u" ORDER BY e.t DESC, e.id DESC LIMIT ?"_s);
    for (const QVariant &value : std::as_const(values))
        query.addBindValue(value);
    query.addBindValue(wanted.limit);
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
