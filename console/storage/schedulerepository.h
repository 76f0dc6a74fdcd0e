// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <optional>

#include <QCoreApplication>
#include <QList>

#include "console/reports/reportschedule.h"

namespace StreamSwarm::Console {

class Database;

// The scheduled reports: what to make, how often, where to, and up to when it was made.
class ScheduleRepository
{
    Q_DECLARE_TR_FUNCTIONS(StreamSwarm::Console::ScheduleRepository)
public:
    explicit ScheduleRepository(Database &db)
        : m_db(db)
    { }

    // The new schedule's id; nullopt with error (e.g. the name is taken).
    std::optional<qint64> add(const ReportSchedule &schedule, QString *error);
    std::optional<QList<ReportSchedule>> list(QString *error);
    bool remove(const QString &name, QString *error);
    // The periods up to untilMs are reported.
    bool markReported(qint64 id, qint64 untilMs, QString *error);

private:
    Database &m_db;
};

} // namespace StreamSwarm::Console
