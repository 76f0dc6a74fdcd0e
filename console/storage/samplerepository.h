// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <functional>
#include <optional>

#include <QHash>
#include <QMap>

#include "console/storage/records.h"
#include "console/storage/rollups.h"
#include "shared/protocol/messages.h"

namespace StreamSwarm::Console {

class Database;

enum class StoreOutcome { Stored, Duplicate };

// Samples and details: batched writes from agents, and reads for export, charts and summaries.
class SampleRepository
{
public:
    explicit SampleRepository(Database &db)
        : m_db(db)
        , m_rollupMarks(db)
    { }

    // Writes one results batch (samples, details, the agent's events and failureEvents, the events the
    // console derived from it, its batches row with the receive time) in one durable transaction. A seq
    // already stored for this agent is a replay, in or out of order: nothing is written and Duplicate
    // is returned.
    std::optional<StoreOutcome> storeResults(qint64 agentId, const Protocol::Results &results,
        const QList<Protocol::Event> &failureEvents, qint64 nowMs, QString *error);

    // Calls row() for each sample in time order; stops early when row() returns false.
    bool forEachSample(const SampleFilter &filter, const std::function<bool(const SampleRow &)> &row, QString *error);
    bool forEachDetail(const SampleFilter &filter, const std::function<bool(const DetailRow &)> &row, QString *error);
    // toMs 0: up to now.
    std::optional<Series> series(
        qint64 agentId, qint64 testId, const QString &metric, qint64 fromMs, qint64 toMs, QString *error);
    // When an agent's rounds of a test failed between fromMs and toMs (0: up to now), oldest first (ms).
    std::optional<QList<qint64>> failedRounds(
        qint64 agentId, qint64 testId, qint64 fromMs, qint64 toMs, QString *error);
    // The rounds of an agent's traced path that its agent marked as having taken another route, each
    // after the round before it, oldest first; at most limit changes.
    bool forEachRouteChange(qint64 agentId, qint64 testId, qint64 fromMs, qint64 toMs, int limit,
        const std::function<void(qint64, const DetailRecord &)> &row, QString *error);
    // When one metric of an agent's test was at or above a value (a round that lost every packet).
    std::optional<QList<qint64>> timesAtOrAbove(
        qint64 agentId, qint64 testId, const QString &metric, double value, qint64 fromMs, qint64 toMs, QString *error);
    // The newest time of one metric's samples before beforeMs, and the oldest at or after fromMs (0
    // where there is none): the edges of a silence.
    std::optional<QPair<qint64, qint64>> timesAround(
        qint64 agentId, qint64 testId, const QString &metric, qint64 beforeMs, qint64 fromMs, QString *error);
    // One metric in buckets of bucketMs from fromMs to toMs, every figure in one pass. With
    // RollupsWhereAligned, buckets made of whole hours (or minutes) are summed from the rollups as
    // far as those are made, and from the samples after: the same figures, except that the count at or
    // below threshold comes from the latency sketch (within one 2 % bin) where it cannot be exact.
    enum class Precision { Exact, RollupsWhereAligned };
    std::optional<BucketStatistics> bucketStatistics(qint64 agentId, qint64 testId, const QString &metric,
        qint64 fromMs, qint64 toMs, qint64 bucketMs, double threshold, QString *error,
        Precision precision = Precision::Exact);
    // The same reduced to one point per bucketMs (at the bucket's middle): the mean, the lowest or
    // the highest value in it. For spans too long to draw every round.
    std::optional<Series> bucketedSeries(qint64 agentId, qint64 testId, const QString &metric, qint64 fromMs,
        qint64 toMs, qint64 bucketMs, SeriesAggregate aggregate, QString *error);
    // The stored names of a per-instance metric's samples ("if.rx_bytes_per_s{if=eth0}", ...) of one
    // agent's test since fromMs, sorted.
    std::optional<QStringList> instanceNames(
        qint64 agentId, qint64 testId, const QString &metric, qint64 fromMs, QString *error);
    // The newest detail record of this agent's test; an empty one when there is none yet.
    std::optional<DetailRecord> latestDetail(qint64 agentId, qint64 testId, QString *error);
    std::optional<QList<SeriesSummary>> summarize(const SampleFilter &filter, QString *error);
    std::optional<qint64> countSamples(QString *error);

    // Batches stored between beginGroup() and flushGroup(), inside one transaction (a group commit),
    // keep their samples in memory; flushGroup() stores them all at once in the series index's
    // order, before the commit. Each batch's other rows are written as it is stored.
    void beginGroup();
    std::optional<qsizetype> flushGroup(QString *error); // how many samples it stored

    // Forgets what it remembers of rows written in a transaction that was then rolled back (a group
    // commit that failed): metric ids, rollup marks and partitions made in it.
    void forgetUncommitted();

    // " WHERE ..." for a filter's test (t.name), agent (a.name) and span (table.t); its values in binds.
    static QString whereClause(
        const SampleFilter &filter, QVariantList *binds, const QString &table = QStringLiteral("s"));

    // The name of the day partition that holds time t on PostgreSQL (samples_d20429 for 2025-12-07).
    static QString partitionName(qint64 timeMs);

private:
    struct BucketSum;
    // Adds the samples from fromMs to toMs to buckets of bucketMs counted from bucketsFromMs.
    bool rawBucketStatistics(qint64 agentId, qint64 testId, const QString &metric, qint64 bucketsFromMs, qint64 fromMs,
        qint64 toMs, qint64 bucketMs, double threshold, QMap<qint64, BucketSum> *buckets, QString *error);
    struct PendingSample
    {
        qint64 testId;
        qint64 agentId;
        qint64 metricId;
        qint64 timeMs;
        double value;
    };
    // The rounds' values: stored now, or in a group kept until flushGroup().
    bool insertSamples(qint64 agentId, const QList<Protocol::Round> &rounds, QString *error);
    // Row by row through SQLite's C API (or Qt Sql), or on PostgreSQL a few statements for them all.
    bool writeSamples(const QList<PendingSample> &rows, QString *error);
    bool writeSamplesAtOnce(const QList<PendingSample> &rows, QString *error);
    struct PendingDetail
    {
        qint64 agentId;
        qint64 testId;
        qint64 timeMs;
        QString kind;
        QString body;
        int failed;
        int routeChanged;
    };
    struct PendingBatch
    {
        qint64 agentId;
        qint64 seq;
        qint64 receivedMs;
        qint64 rounds;
        std::optional<qint64> firstMs, lastMs;
        qint64 floorSeq; // 0: none
    };
    // The rounds' detail records (a failed round's reason among them): stored now, or in a group kept
    // until flushGroup().
    bool insertDetails(qint64 agentId, const QList<Protocol::Round> &rounds, QString *error);
    // Row by row, or on PostgreSQL at once.
    bool writeDetails(const QList<PendingDetail> &rows, QString *error);
    // The batch's row (a replay is known by it), the pruning of rows below the agent's floor, and the
    // agent's newest seq and last seen time: now, or in a group at its end (its seq known meanwhile).
    bool recordBatch(qint64 agentId, const Protocol::Results &results, qint64 nowMs, QString *error);
    bool writeBatches(const QList<PendingBatch> &batches, QString *error);
    // PostgreSQL: creates the day partitions these rounds need, each in its own short transaction.
    bool ensurePartitions(const Protocol::Results &results, qint64 nowMs, QString *error);
    std::optional<qint64> metricId(const QString &name, QString *error);

    Database &m_db;
    RollupRepository m_rollupMarks;
    QHash<QString, qint64> m_metricIds;
    QSet<qint64> m_partitionDays; // PostgreSQL: days whose partition is known to exist
    bool m_grouping = false;
    // A group's writes, until flushGroup(): few statements for them all (on PostgreSQL one round trip
    // a batch instead of four, the server's cost per batch being what limits ingest there).
    QList<PendingSample> m_pending;
    QList<PendingDetail> m_pendingDetails;
    QList<PendingBatch> m_pendingBatches;
    QSet<QPair<qint64, qint64>> m_groupBatches; // (agent, seq) of m_pendingBatches: a replay in the group
};

} // namespace StreamSwarm::Console
