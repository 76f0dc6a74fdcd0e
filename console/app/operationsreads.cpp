// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
// The reads behind charts, tables, exports and reports: no transaction, nothing audited.
#include "operations.h"

#include <algorithm>

#include <QDateTime>
#include <QMap>

#include "console/models/hostmetricsmodel.h"
#include "console/models/pathhistory.h"
#include "console/storage/storageservice.h"
#include "shared/metrics/catalog.h"
#include "shared/protocol/codec.h"
#include "shared/protocol/details.h"
#include "shared/protocol/validation.h"
#include "shared/util/duration.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

namespace {

template <typename T>
Result<T> failure(const QString &error)
{
    return Result<T>::failure(error);
}

} // namespace

Result<BucketStatistics> Operations::bucketStatistics(qint64 agentId, qint64 testId, const QString &metric,
    qint64 fromMs, qint64 toMs, qint64 bucketMs, double threshold, SampleRepository::Precision precision)
{
    QString error;
    auto statistics = m_repos.samples.bucketStatistics(
        agentId, testId, metric, fromMs, toMs, bucketMs, threshold, &error, precision);
    return statistics ? Result<BucketStatistics>(std::move(*statistics)) : failure<BucketStatistics>(error);
}

Result<QPair<qint64, qint64>> Operations::sampleTimesAround(
    qint64 agentId, qint64 testId, const QString &metric, qint64 beforeMs, qint64 fromMs)
{
    QString error;
    const auto times = m_repos.samples.timesAround(agentId, testId, metric, beforeMs, fromMs, &error);
    return times ? Result<QPair<qint64, qint64>>(*times) : failure<QPair<qint64, qint64>>(error);
}

Result<QList<qint64>> Operations::failedRounds(qint64 agentId, qint64 testId, qint64 fromMs, qint64 toMs)
{
    QString error;
    auto times = m_repos.samples.failedRounds(agentId, testId, fromMs, toMs, &error);
    return times ? Result<QList<qint64>>(std::move(*times)) : failure<QList<qint64>>(error);
}

Result<QList<qint64>> Operations::timesAtOrAbove(
    qint64 agentId, qint64 testId, const QString &metric, double value, qint64 fromMs, qint64 toMs)
{
    QString error;
    auto times = m_repos.samples.timesAtOrAbove(agentId, testId, metric, value, fromMs, toMs, &error);
    return times ? Result<QList<qint64>>(std::move(*times)) : failure<QList<qint64>>(error);
}

Result<qint64> Operations::databaseSize()
{
    QString error;
    const std::optional<qint64> size = m_repos.db.sizeBytes(&error);
    return size ? Result<qint64>(*size) : failure<qint64>(error);
}

Result<QList<ResultRound>> Operations::results(const QString &agentName, const QString &testName, qint64 fromMs)
{
    SampleFilter filter;
    filter.agentName = agentName;
    filter.testName = testName;
    filter.fromMs = fromMs;
    QMap<qint64, ResultRound> rounds; // by time: a round's samples and its failure share it
    const auto roundAt = [&rounds](qint64 timeMs) -> ResultRound & {
        ResultRound &round = rounds[timeMs];
        round.timeMs = timeMs;
        return round;
    };
    QString error;
    const bool read = m_repos.samples.forEachSample(
                          filter,
                          [&](const SampleRow &row) {
                              roundAt(row.timeMs).values.insert(row.metric, row.value);
                              return true;
                          },
                          &error)
        && m_repos.samples.forEachDetail(
            filter,
            [&](const DetailRow &row) {
                if (!row.record.error.isEmpty())
                    roundAt(row.timeMs).error = row.record.error;
                return true;
            },
            &error);
    if (!read)
        return failure<QList<ResultRound>>(error);
    QList<ResultRound> list = rounds.values();
    if (list.size() > MAX_RESULT_ROUNDS)
        list.remove(0, list.size() - MAX_RESULT_ROUNDS);
    return list;
}

Result<QList<HealthSummary::Round>> Operations::recentHealth(const QList<HealthSeries> &series, qint64 fromMs)
{
    QList<HealthSummary::Round> all;
    QString error;
    for (const HealthSeries &one : series) {
        QMap<qint64, HealthSummary::Round> rounds; // by time
        const auto roundAt = [&](qint64 timeMs) -> HealthSummary::Round & {
            HealthSummary::Round &round = rounds[timeMs];
            round.agentId = one.agentId;
            round.testId = one.testId;
            round.timeMs = timeMs;
            return round;
        };
        for (const QString &metric : {one.lineMetric, one.lossMetric}) {
            if (metric.isEmpty())
                continue;
            const std::optional<Series> values
                = m_repos.samples.series(one.agentId, one.testId, metric, fromMs, 0, &error);
            if (!values)
                return failure<QList<HealthSummary::Round>>(error);
            for (qsizetype i = 0; i < values->times.size(); ++i) {
                HealthSummary::Round &round = roundAt(qRound64(values->times.at(i) * 1000));
                if (metric == one.lossMetric)
                    round.lossPct = values->values.at(i);
                else if (one.lineIsLatency)
                    round.latencyMs = values->values.at(i);
            }
        }
        const auto failed = m_repos.samples.failedRounds(one.agentId, one.testId, fromMs, 0, &error);
        if (!failed)
            return failure<QList<HealthSummary::Round>>(error);
        for (const qint64 timeMs : *failed)
            roundAt(timeMs).failed = true;
        all.append(rounds.values());
    }
    return all;
}

Result<PathHistory> Operations::pathHistory(const QString &agentName, const QString &testName, qint64 fromMs)
{
    SampleFilter filter;
    filter.agentName = agentName;
    filter.testName = testName;
    filter.fromMs = fromMs;
    filter.detailKind = Protocol::detailKindName(Protocol::DetailKind::Traceroute);
    PathHistory history;
    QString error;
    const bool read = m_repos.samples.forEachDetail(
        filter,
        [&history](const DetailRow &row) {
            if (const auto *path = row.record.detail.get<Protocol::TracerouteDetail>())
                history.add(row.timeMs, *path);
            return true;
        },
        &error);
    return read ? Result<PathHistory>(std::move(history)) : failure<PathHistory>(error);
}

Result<QList<PathChange>> Operations::routeChanges(qint64 agentId, qint64 testId, qint64 fromMs, qint64 toMs)
{
    PathHistory history;
    QString error;
    const bool read = m_repos.samples.forEachRouteChange(
        agentId, testId, fromMs, toMs, PathHistory::MAX_CHANGES,
        [&history](qint64 timeMs, const DetailRecord &record) {
            if (const auto *path = record.detail.get<Protocol::TracerouteDetail>())
                history.add(timeMs, *path);
        },
        &error);
    if (!read)
        return failure<QList<PathChange>>(error);
    QList<PathChange> changes;
    for (const PathChange &change : history.changes()) {
        if (change.timeMs >= fromMs)
            changes.append(change);
    }
    return changes;
}

Result<ChartHistory> Operations::chartHistory(const ChartHistoryRequest &request)
{
    QString error;
    ChartHistory history;
    for (qsizetype index = 0; index < request.metrics.size(); ++index) {
        const QString &metric = request.metrics.at(index);
        if (metric.isEmpty()) {
            history.series.append(Series());
            continue;
        }
        // A metric measured per instance is stored under its instances' names: the chart follows one.
        QString stored = metric;
        const MetricInfo *info = MetricCatalog::find(metric);
        if (info && !info->instanceLabel.isEmpty()) {
            if (history.instance.isEmpty()) {
                const auto names
                    = m_repos.samples.instanceNames(request.agentId, request.testId, metric, request.fromMs, &error);
                if (!names)
                    return failure<ChartHistory>(error);
                if (!names->isEmpty())
                    history.instance = parseSampleName(names->first())->instance;
            }
            stored = history.instance.isEmpty() ? QString() : sampleName(metric, info->instanceLabel, history.instance);
        }
        if (stored.isEmpty()) {
            history.series.append(Series());
            continue;
        }
        const SeriesAggregate aggregate = request.aggregates.value(index, SeriesAggregate::Mean);
        auto series = request.bucketMs > 0
            ? m_repos.samples.bucketedSeries(request.agentId, request.testId, stored, request.fromMs, request.toMs,
                request.bucketMs, aggregate, &error)
            : m_repos.samples.series(request.agentId, request.testId, stored, request.fromMs, request.toMs, &error);
        if (!series)
            return failure<ChartHistory>(error);
        history.series.append(std::move(*series));
    }
    if (request.latestDetail) {
        const auto detail = m_repos.samples.latestDetail(request.agentId, request.testId, &error);
        if (!detail)
            return failure<ChartHistory>(error);
        history.latestDetail = *detail;
    }
    if (!request.loadsOf.isEmpty()) {
        auto loads = bulkWindows(request.fromMs);
        if (!loads)
            return failure<ChartHistory>(loads.error());
        history.loads = std::move(*loads);
    }
    return history;
}

Result<QList<SeriesSummary>> Operations::summarize(const SampleFilter &filter)
{
    QString error;
    auto summary = m_repos.samples.summarize(filter, &error);
    return summary ? Result<QList<SeriesSummary>>(std::move(*summary)) : failure<QList<SeriesSummary>>(error);
}

Result<QList<SampleRow>> Operations::hostHistory(const QString &agentName, qint64 fromMs)
{
    QString error;
    QList<SampleRow> rows;
    QHash<QString, bool> isHost; // per sample name: asked of the catalog once
    SampleFilter filter;
    filter.agentName = agentName;
    filter.fromMs = fromMs;
    const bool read = m_repos.samples.forEachSample(
        filter,
        [&](const SampleRow &row) {
            auto it = isHost.constFind(row.metric);
            if (it == isHost.constEnd())
                it = isHost.insert(row.metric, HostMetricsModel::isHostMetric(row.metric));
            if (*it)
                rows.append(row);
            return true;
        },
        &error);
    if (!read)
        return failure<QList<SampleRow>>(error);
    std::stable_sort(
        rows.begin(), rows.end(), [](const SampleRow &a, const SampleRow &b) { return a.timeMs < b.timeMs; });
    if (rows.size() > MAX_HOST_HISTORY_ROWS)
        rows.remove(0, rows.size() - MAX_HOST_HISTORY_ROWS);
    return rows;
}

Result<Done> Operations::forEachRollup(
    Resolution tier, const SampleFilter &filter, const std::function<bool(const RollupRow &)> &row)
{
    QString error;
    return m_repos.rollups.forEachRollup(tier, filter, row, &error) ? Result<Done>(Done{}) : failure<Done>(error);
}

Result<Done> Operations::forEachSample(const SampleFilter &filter, const std::function<bool(const SampleRow &)> &row)
{
    QString error;
    return m_repos.samples.forEachSample(filter, row, &error) ? Result<Done>(Done{}) : failure<Done>(error);
}

Result<Done> Operations::forEachDetail(const SampleFilter &filter, const std::function<bool(const DetailRow &)> &row)
{
    QString error;
    return m_repos.samples.forEachDetail(filter, row, &error) ? Result<Done>(Done{}) : failure<Done>(error);
}

Result<BulkWindows> Operations::bulkWindows(qint64 fromMs, qint64 toMs)
{
    SampleFilter bandwidth;
    bandwidth.fromMs = std::max<qint64>(fromMs - BulkWindows::LOOKBACK_MS, 0);
    bandwidth.toMs = toMs;
    bandwidth.detailKind = Protocol::detailKindName(Protocol::DetailKind::Bandwidth);
    BulkWindows windows;
    QString error;
    const bool read = m_repos.samples.forEachDetail(
        bandwidth,
        [&windows](const DetailRow &row) {
            windows.add(row);
            return true;
        },
        &error);
    return read ? Result<BulkWindows>(std::move(windows)) : failure<BulkWindows>(error);
}

Result<QList<EventRecord>> Operations::findEvents(const EventQuery &query)
{
    QString error;
    const auto events = m_repos.events.find(query, &error);
    return events ? Result<QList<EventRecord>>(*events) : failure<QList<EventRecord>>(error);
}

} // namespace StreamSwarm::Console
