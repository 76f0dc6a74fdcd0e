// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <functional>
#include <optional>

#include <QHash>
#include <QList>
#include <QSet>

#include "console/storage/hourdays.h"
#include "console/storage/records.h"

namespace StreamSwarm::Console {

class Database;

// The rollups: each series' count, sum, lowest and highest per minute and per hour, and for latency
// metrics (unit ms) the 50th, 95th and 99th percentiles. Ingest marks the minutes it wrote to; the
// console's maintenance later computes each marked minute from its raw samples (exact), and each
// hour from its minutes (percentiles within 1 %, through LatencySketch). A minute is rolled up once
// it is over (and GRACE_MS more, for late rounds); data that arrives later marks it again.
class RollupRepository
{
public:
    static constexpr qint64 MINUTE_MS = 60'000;
    static constexpr qint64 HOUR_MS = 3'600'000;
    static constexpr qint64 GRACE_MS = 10'000;

    explicit RollupRepository(Database &db)
        : m_db(db)
    { }

    // Inside ingest's transaction: these minutes of this agent have new raw samples.
    bool markChanged(qint64 agentId, const QSet<qint64> &minuteStarts, qint64 nowMs, QString *error);
    // Computes up to maxPeriods of the minutes (then hours) that are due at nowMs; how many it did.
    std::optional<int> rollUpMinutes(qint64 nowMs, int maxPeriods, QString *error);
    std::optional<int> rollUpHours(qint64 nowMs, int maxPeriods, QString *error);
    // The oldest minute still waiting to be rolled up; nullopt when none (retention keeps its raw data).
    std::optional<qint64> oldestPending(QString *error);
    std::optional<qint64> pendingCount(QString *error);

    // One series' rows of a tier from fromMs to toMs, oldest first: start, count, sum, lowest,
    // highest, and the latency sketch (empty for other metrics; valid during the call only, it
    // points into the database's own buffer: copy it to keep it). The percentiles are not read.
    using TierRow = RollupFigures;
    bool forEachTierRow(Resolution tier, qint64 agentId, qint64 testId, const QString &metric, qint64 fromMs,
        qint64 toMs, const std::function<void(const TierRow &)> &row, QString *error);
    // Up to when an agent's data is rolled up in a tier: the start of its oldest period still waiting
    // (nullopt: none waits, all is rolled up).
    std::optional<qint64> pendingFrom(Resolution tier, qint64 agentId, QString *error);

    // Rows of one tier in time order, names resolved; stops early when row() returns false.
    bool forEachRollup(
        Resolution tier, const SampleFilter &filter, const std::function<bool(const RollupRow &)> &row, QString *error);

    static qint64 periodStart(qint64 timeMs, qint64 periodMs);

    // After the ingest transaction that marked rolled back: forget what it marked.
    void forgetMarks() { m_marked.clear(); }

    struct SeriesKey
    {
        qint64 testId = 0;
        qint64 agentId = 0;
        qint64 metricId = 0;
        friend bool operator==(const SeriesKey &a, const SeriesKey &b)
        {
            return a.testId == b.testId && a.agentId == b.agentId && a.metricId == b.metricId;
        }
    };
    struct Figures;

private:
    // Rolls up the periods of a tier that started by startedBy and wait, oldest first.
    std::optional<int> rollUpDue(int tier, qint64 startedBy, int maxPeriods, QString *error);
    bool rollAll(int tier, const QList<qint64> &starts, QString *error);
    bool roll(int tier, qint64 start, const QSet<qint64> &latency, QString *error);
    bool writeRows(int tier, qint64 start, QHash<SeriesKey, Figures> &figures, QString *error);
    bool writeHour(const SeriesKey &key, RollupFigures hour, QString *error);
    std::optional<QSet<qint64>> latencyMetrics(QString *error);

    Database &m_db;
    // (agent, minute) marks made in this process for minutes not yet due, so a minute's sixty
    // batches cost one write; dropped before the minute comes due.
    QSet<QPair<qint64, qint64>> m_marked;
};

size_t qHash(const RollupRepository::SeriesKey &key, size_t seed = 0) noexcept;

} // namespace StreamSwarm::Console
