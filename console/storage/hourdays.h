// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <functional>
#include <optional>

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

namespace StreamSwarm::Console {

// One series' rollup over a period (a minute or an hour) starting at timeMs.
struct RollupFigures
{
    qint64 timeMs = 0;
    qint64 count = 0;
    double total = 0;
    double lowest = 0;
    double highest = 0;
    std::optional<double> p50, p95, p99;
    QByteArray sketch; // LatencySketch bytes; empty for metrics that are not latencies
};

// A series' hours of one UTC day packed into one row (rollups_hour_days.hours), oldest first: a year
// of a series is 365 rows instead of 8,760, and a database reads rows, not bytes, slowly. Written
// whole: an hour rolled up again replaces its entry (put), late or not.
//
// Layout, little-endian: a version byte (1), then per hour: the hour of the day (1 byte), count
// (8), total, lowest, highest, p50, p95, p99 (8 each, NaN for none), the sketch's length (4) and bytes.
class HourDay
{
public:
    static constexpr qint64 DAY_MS = 86'400'000;
    static constexpr qint64 HOUR_MS = 3'600'000;

    static QByteArray encode(qint64 dayMs, const QList<RollupFigures> &hours);
    // Each hour of a packed day in time order; sketch points into bytes (valid while they are).
    // False when bytes are not a packed day (then nothing is called).
    static bool forEach(qint64 dayMs, QByteArrayView bytes, const std::function<void(const RollupFigures &)> &hour);
    static std::optional<QList<RollupFigures>> decode(qint64 dayMs, QByteArrayView bytes);
    // Puts hour into a day's list, in its place by time, replacing an entry of the same hour.
    static void put(QList<RollupFigures> &day, RollupFigures hour);
    static qint64 dayOf(qint64 timeMs);
};

} // namespace StreamSwarm::Console
