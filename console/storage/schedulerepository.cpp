// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "schedulerepository.h"

#include <QSqlQuery>
#include <QVariant>

#include "console/storage/database.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

std::optional<qint64> ScheduleRepository::add(const ReportSchedule &schedule, QString *error)
{
    QSqlQuery taken(m_db.connection());
    taken.prepare(u"SELECT 1 FROM report_schedules WHERE name = ?"_s);
    taken.addBindValue(schedule.name);
    if (!m_db.exec(taken, error))
        return std::nullopt;
    if (taken.next()) {
        *error = tr("There is already a scheduled report named \"%1\"; see 'report schedule list'.").arg(schedule.name);
        return std::nullopt;
    }
    QSqlQuery query(m_db.connection());
    query.prepare(u"INSERT INTO report_schedules (name, every, folder, printer, request, created_at, reported_until) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?)"_s);
    query.addBindValue(schedule.name);
    query.addBindValue(ReportSchedule::everyKey(schedule.every));
    query.addBindValue(schedule.folder);
    query.addBindValue(schedule.printer.isEmpty() ? u""_s : schedule.printer); // a null QString binds NULL
    query.addBindValue(ReportSchedule::requestToJson(schedule.request));
    query.addBindValue(schedule.createdAtMs);
    query.addBindValue(schedule.reportedUntilMs);
    if (!m_db.exec(query, error))
        return std::nullopt;
    return query.lastInsertId().toLongLong();
}

std::optional<QList<ReportSchedule>> ScheduleRepository::list(QString *error)
{
    QSqlQuery query(m_db.connection());
    query.prepare(u"SELECT id, name, every, folder, printer, request, created_at, reported_until "
                  "FROM report_schedules ORDER BY name"_s);
    if (!m_db.exec(query, error))
        return std::nullopt;
    QList<ReportSchedule> schedules;
    while (query.next()) {
        ReportSchedule schedule;
        schedule.id = query.value(0).toLongLong();
        schedule.name = query.value(1).toString();
        const auto every = ReportSchedule::everyFromKey(query.value(2).toString());
        const auto request = ReportSchedule::requestFromJson(query.value(5).toString());
        if (!every || !request)
            continue; // written by a newer console: left alone
        schedule.every = *every;
        schedule.folder = query.value(3).toString();
        schedule.printer = query.value(4).toString();
        schedule.request = *request;
        schedule.createdAtMs = query.value(6).toLongLong();
        schedule.reportedUntilMs = query.value(7).toLongLong();
        schedules.append(schedule);
    }
    return schedules;
}

bool ScheduleRepository::remove(const QString &name, QString *error)
{
    QSqlQuery query(m_db.connection());
    query.prepare(u"DELETE FROM report_schedules WHERE name = ?"_s);
    query.addBindValue(name);
    return m_db.execChangingRow(
        query, tr("There is no scheduled report named \"%1\"; see 'report schedule list'.").arg(name), error);
}

bool ScheduleRepository::markReported(qint64 id, qint64 untilMs, QString *error)
{
    QSqlQuery query(m_db.connection());
    query.prepare(u"UPDATE report_schedules SET reported_until = ? WHERE id = ? AND reported_until < ?"_s);
    query.addBindValue(untilMs);
    query.addBindValue(id);
    query.addBindValue(untilMs);
    return m_db.exec(query, error);
}

} // namespace StreamSwarm::Console
