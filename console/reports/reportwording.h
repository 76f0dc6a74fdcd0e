// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <optional>

#include <QCoreApplication>
#include <QStringList>

#include "console/reports/reportdata.h"

namespace StreamSwarm::Console {

// The report's words: plain sentences written from the figures, and numbers, times and durations in
// the user's language and locale.
class ReportWording
{
    Q_DECLARE_TR_FUNCTIONS(StreamSwarm::Console::ReportWording)
public:
    // "Latency from edge-1 to 192.0.2.1 (ping-gateway) stayed under 25 ms 99.2 % of the time; two
    // outages totalling 14 minutes, on 3 and 17 March."
    static QString pathSentence(const PathFigures &path, const ReportTargets &targets);
    // The opening: how many paths met their targets, and the worst.
    static QStringList overview(const ReportData &data);
    // The paths that missed a target, worst first, each with why; at most the first few.
    static QStringList problems(const ReportData &data, int most);
    // What happened to one path during an incident, against before and after.
    static QString incidentSentence(const PathFigures &path, const ReportRequest &request);
    // Where our own data has holes, said plainly.
    static QString gapSentence(const PathFigures &path);

    static QString period(qint64 fromMs, qint64 toMs); // "1 Mar 2026 00:00 – 31 Mar 2026 23:59 (UTC+01:00)"
    static QString time(qint64 ms); // "3 Mar 2026 14:05:10"
    static QString duration(qint64 ms); // "14 minutes", "2 hours 5 minutes", "40 seconds"
    static QString percent(std::optional<double> value, int decimals = 1); // "99.2 %", "–"
    static QString value(std::optional<double> value, const QString &unit); // "12.3 ms", "–"
    static QString limit(double value, const QString &unit); // a target as the user gave it: "25 ms"
    static QString count(qint64 value); // "1,234"
    // "3 and 17 March", from the outages' start days.
    static QString days(const QList<Outage> &outages);
    // How bad a path is, for ranking: more means worse.
    static double trouble(const PathFigures &path, const ReportTargets &targets);
};

} // namespace StreamSwarm::Console
