// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <optional>

#include <QCoreApplication>
#include <QList>
#include <QPair>
#include <QString>

#include "console/reports/reportrequest.h"

namespace StreamSwarm::Console {

// A report made again and again: after each day, week (Monday to Monday) or calendar month ends,
// for that period, written to a folder and, when a printer is named, printed. Periods follow the
// console's local time. A period that ended while the console was off is reported at its next start.
struct ReportSchedule
{
    Q_DECLARE_TR_FUNCTIONS(StreamSwarm::Console::ReportSchedule)
public:
    enum class Every { Day, Week, Month };
    static constexpr int MAX_CATCH_UP = 31; // periods made up for after a long time off, newest kept

    qint64 id = 0;
    QString name;
    Every every = Every::Week;
    QString folder;
    QString printer; // empty: none
    ReportRequest request; // all but the period
    qint64 createdAtMs = 0;
    qint64 reportedUntilMs = 0; // the end of the last period reported (at first: the current period's start)

    // The periods that have ended since reportedUntilMs, oldest first.
    QList<QPair<qint64, qint64>> duePeriods(qint64 nowMs) const;
    // Where the report of the period starting at fromMs goes: FOLDER/NAME-2026-03-01.pdf.
    QString fileFor(qint64 fromMs) const;
    // Checks the name, the folder and the request's targets. False with a plain sentence.
    bool check(QString *error) const;

    // The start of the period that holds ms (local midnight, Monday, the first of the month).
    static qint64 periodStart(Every every, qint64 ms);
    static qint64 nextStart(Every every, qint64 startMs);
    static QString everyKey(Every every); // "daily", "weekly", "monthly"
    static std::optional<Every> everyFromKey(const QString &key);
    static QString everyName(Every every); // "every day", in the user's language

    // The request without its period, as the schedules table keeps it.
    static QString requestToJson(const ReportRequest &request);
    static std::optional<ReportRequest> requestFromJson(const QString &json);
};

} // namespace StreamSwarm::Console
