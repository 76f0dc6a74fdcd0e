// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "samplerepository.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include <QSqlQuery>
#include <QVariant>

#include "console/storage/database.h"
#include "console/storage/latencysketch.h"
#include "shared/util/logging.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

namespace {

const QString SAMPLE_JOINS = u" FROM samples s JOIN agents a ON a.id = s.agent_id JOIN tests t ON t.id = s.test_id "
                             "JOIN metrics m ON m.id = s.metric_id"_s;

// A stored detail that no longer reads as its kind is kept as it was stored, and said once a row.
DetailRecord readDetail(const QString &kind, const QString &body)
{
    QString problem;
    DetailRecord record = DetailRecord::fromStored(kind, body, &problem);
    if (!problem.isEmpty())
        qCWarning(lcStorage).noquote() << "A stored" << kind << "detail does not read as one:" << problem;
    return record;
}

// One metric of an agent's test from fromMs to toMs (0: up to now), bound in the order the series
// queries name them: test_id, agent_id, metric name, then the span.
void bindSeriesSpan(QSqlQuery &query, qint64 testId, qint64 agentId, const QString &metric, qint64 fromMs, qint64 toMs)
{
    query.addBindValue(testId);
    query.addBindValue(agentId);
    query.addBindValue(metric);
    query.addBindValue(fromMs);
    query.addBindValue(toMs > 0 ? toMs : std::numeric_limits<qint64>::max());
}

} // namespace

QString SampleRepository::whereClause(const SampleFilter &filter, QVariantList *binds, const QString &table)
{
    QStringList conditions;
    if (!filter.testName.isEmpty()) {
        conditions.append(u"t.name = ?"_s);
        binds->append(filter.testName);
    }
    if (!filter.agentName.isEmpty()) {
        conditions.append(u"a.name = ?"_s);
        binds->append(filter.agentName);
    }
    if (filter.fromMs) {
        conditions.append(table + u".t >= ?"_s);
        binds->append(filter.fromMs);
    }
    if (filter.toMs) {
        conditions.append(table + u".t < ?"_s);
        binds->append(filter.toMs);
    }
    return conditions.isEmpty() ? QString() : u" WHERE "_s + conditions.join(u" AND "_s);
}

bool SampleRepository::forEachSample(
    const SampleFilter &filter, const std::function<bool(const SampleRow &)> &row, QString *error)
{
    QVariantList binds;
    QSqlQuery query(m_db.connection());
    query.setForwardOnly(true);
    query.prepare(u"SELECT s.t, a.name, t.name, m.name, s.value, m.unit"_s + SAMPLE_JOINS + whereClause(filter, &binds)
        + u" ORDER BY s.t, a.name, t.name, m.name"_s);
    for (const QVariant &bind : binds)
        query.addBindValue(bind);
    if (!m_db.exec(query, error))
        return false;
    SampleRow sample;
    while (query.next()) {
        sample.timeMs = query.value(0).toLongLong();
        sample.agent = query.value(1).toString();
        sample.test = query.value(2).toString();
        sample.metric = query.value(3).toString();
        sample.value = query.value(4).toDouble();
        sample.unit = query.value(5).toString();
        if (!row(sample))
            break;
    }
    return true;
}

bool SampleRepository::forEachDetail(
    const SampleFilter &filter, const std::function<bool(const DetailRow &)> &row, QString *error)
{
    QVariantList binds;
    QSqlQuery query(m_db.connection());
    query.setForwardOnly(true);
    QString where = whereClause(filter, &binds);
    if (!filter.detailKind.isEmpty()) {
        where += (where.isEmpty() ? u" WHERE "_s : u" AND "_s) + u"s.kind = ?"_s;
        binds.append(filter.detailKind);
    }
    query.prepare(u"SELECT s.t, a.name, t.name, s.kind, s.body FROM details s JOIN agents a ON a.id = s.agent_id "
                  "JOIN tests t ON t.id = s.test_id"_s
        + where + u" ORDER BY s.t"_s);
    for (const QVariant &bind : binds)
        query.addBindValue(bind);
    if (!m_db.exec(query, error))
        return false;
    while (query.next()) {
        DetailRow detail{query.value(0).toLongLong(), query.value(1).toString(), query.value(2).toString(),
            readDetail(query.value(3).toString(), query.value(4).toString())};
        if (!row(detail))
            break;
    }
    return true;
}

std::optional<DetailRecord> SampleRepository::latestDetail(qint64 agentId, qint64 testId, QString *error)
{
    QSqlQuery query(m_db.connection());
    query.setForwardOnly(true);
    query.prepare(u"SELECT kind, body FROM details WHERE test_id = ? AND agent_id = ? ORDER BY t DESC LIMIT 1"_s);
    query.addBindValue(testId);
    query.addBindValue(agentId);
    if (!m_db.exec(query, error))
        return std::nullopt;
    return query.next() ? readDetail(query.value(0).toString(), query.value(1).toString()) : DetailRecord();
}

std::optional<Series> SampleRepository::series(
    qint64 agentId, qint64 testId, const QString &metric, qint64 fromMs, qint64 toMs, QString *error)
{
    QSqlQuery query(m_db.connection());
    query.setForwardOnly(true);
    query.prepare(u"SELECT s.t, s.value FROM samples s JOIN metrics m ON m.id = s.metric_id "
                  "WHERE s.test_id = ? AND s.agent_id = ? AND m.name = ? AND s.t >= ? AND s.t < ? ORDER BY s.t"_s);
    bindSeriesSpan(query, testId, agentId, metric, fromMs, toMs);
    if (!m_db.exec(query, error))
        return std::nullopt;
    Series result;
    while (query.next()) {
        result.times.append(query.value(0).toLongLong() / 1000.0);
        result.values.append(query.value(1).toDouble());
    }
    return result;
}

std::optional<QList<qint64>> SampleRepository::failedRounds(
    qint64 agentId, qint64 testId, qint64 fromMs, qint64 toMs, QString *error)
{
    QSqlQuery query(m_db.connection());
    query.setForwardOnly(true);
    // Failed rounds are flagged as stored and indexed apart: a month of rounds that worked (a
    // traceroute stores its path every round) is never read to find the few that failed.
    query.prepare(u"SELECT t, kind, body FROM details WHERE test_id = ? AND agent_id = ? AND t >= ? AND t < ? "
                  "AND failed = 1 ORDER BY t"_s);
    query.addBindValue(testId);
    query.addBindValue(agentId);
    query.addBindValue(fromMs);
    query.addBindValue(toMs > 0 ? toMs : std::numeric_limits<qint64>::max());
    if (!m_db.exec(query, error))
        return std::nullopt;
    QList<qint64> times;
    while (query.next()) {
        if (!readDetail(query.value(1).toString(), query.value(2).toString()).error.isEmpty())
            times.append(query.value(0).toLongLong());
    }
    return times;
}

bool SampleRepository::forEachRouteChange(qint64 agentId, qint64 testId, qint64 fromMs, qint64 toMs, int limit,
    const std::function<void(qint64, const DetailRecord &)> &row, QString *error)
{
    // Flagged as stored and indexed apart, so the paths of the rounds in between are not read.
    QSqlQuery changes(m_db.connection());
    changes.setForwardOnly(true);
    changes.prepare(u"SELECT t, kind, body FROM details WHERE test_id = ? AND agent_id = ? AND t >= ? AND t < ? "
                    "AND route_changed = 1 ORDER BY t LIMIT ?"_s);
    changes.addBindValue(testId);
    changes.addBindValue(agentId);
    changes.addBindValue(fromMs);
    changes.addBindValue(toMs);
    changes.addBindValue(limit);
    if (!m_db.exec(changes, error))
        return false;
    QList<QPair<qint64, DetailRecord>> found;
    while (changes.next())
        found.append(
            {changes.value(0).toLongLong(), readDetail(changes.value(1).toString(), changes.value(2).toString())});
    for (const auto &[timeMs, record] : std::as_const(found)) {
        QSqlQuery previous(m_db.connection());
        previous.setForwardOnly(true);
        previous.prepare(u"SELECT t, kind, body FROM details WHERE test_id = ? AND agent_id = ? AND t < ? "
                         "ORDER BY t DESC LIMIT 1"_s);
        previous.addBindValue(testId);
        previous.addBindValue(agentId);
        previous.addBindValue(timeMs);
        if (!m_db.exec(previous, error))
            return false;
        if (previous.next())
            row(previous.value(0).toLongLong(), readDetail(previous.value(1).toString(), previous.value(2).toString()));
        row(timeMs, record);
    }
    return true;
}

std::optional<QList<qint64>> SampleRepository::timesAtOrAbove(
    qint64 agentId, qint64 testId, const QString &metric, double value, qint64 fromMs, qint64 toMs, QString *error)
{
    QSqlQuery query(m_db.connection());
    query.setForwardOnly(true);
    query.prepare(u"SELECT s.t FROM samples s JOIN metrics m ON m.id = s.metric_id WHERE s.test_id = ? "
                  "AND s.agent_id = ? AND m.name = ? AND s.t >= ? AND s.t < ? AND s.value >= ? ORDER BY s.t"_s);
    bindSeriesSpan(query, testId, agentId, metric, fromMs, toMs);
    query.addBindValue(value);
    if (!m_db.exec(query, error))
        return std::nullopt;
    QList<qint64> times;
    while (query.next())
        times.append(query.value(0).toLongLong());
    return times;
}

std::optional<QPair<qint64, qint64>> SampleRepository::timesAround(
    qint64 agentId, qint64 testId, const QString &metric, qint64 beforeMs, qint64 fromMs, QString *error)
{
    // Ordered by t within the series index: each is one step into it.
    const QString select = u"SELECT s.t FROM samples s WHERE s.test_id = ? AND s.agent_id = ? AND s.metric_id = "
                           "(SELECT id FROM metrics WHERE name = ?) AND s.t %1 ? ORDER BY s.t %2 LIMIT 1"_s;
    QPair<qint64, qint64> times{0, 0};
    for (const bool before : {true, false}) {
        QSqlQuery query(m_db.connection());
        query.setForwardOnly(true);
        query.prepare(select.arg(before ? u"<"_s : u">="_s, before ? u"DESC"_s : u"ASC"_s));
        query.addBindValue(testId);
        query.addBindValue(agentId);
        query.addBindValue(metric);
        query.addBindValue(before ? beforeMs : fromMs);
        if (!m_db.exec(query, error))
            return std::nullopt;
        if (query.next())
            (before ? times.first : times.second) = query.value(0).toLongLong();
    }
    return times;
}

// One bucket's figures as they are summed from rollups and samples.
struct SampleRepository::BucketSum
{
    qint64 count = 0;
    double total = 0;
    double lowest = std::numeric_limits<double>::infinity();
    double highest = -std::numeric_limits<double>::infinity();
    double atOrBelow = 0;

    void add(qint64 n, double sum, double low, double high, double below)
    {
        count += n;
        total += sum;
        lowest = std::min(lowest, low);
        highest = std::max(highest, high);
        atOrBelow += below;
    }
};

std::optional<BucketStatistics> SampleRepository::bucketStatistics(qint64 agentId, qint64 testId, const QString &metric,
    qint64 fromMs, qint64 toMs, qint64 bucketMs, double threshold, QString *error, Precision precision)
{
    // The coarsest tier whose periods fit whole into the buckets.
    std::optional<Resolution> tier;
    if (precision == Precision::RollupsWhereAligned) {
        for (const auto &[resolution, periodMs] : {std::pair{Resolution::Hour, RollupRepository::HOUR_MS},
                 std::pair{Resolution::Minute, RollupRepository::MINUTE_MS}}) {
            if (!tier && bucketMs % periodMs == 0 && RollupRepository::periodStart(fromMs, periodMs) == fromMs)
                tier = resolution;
        }
    }
    const qint64 endMs = toMs > 0 ? toMs : std::numeric_limits<qint64>::max();
    qint64 rolledUntil = fromMs;
    QMap<qint64, BucketSum> buckets;
    if (tier) {
        RollupRepository rollups(m_db);
        const auto pending = rollups.pendingFrom(*tier, agentId, error);
        if (!pending && !error->isEmpty())
            return std::nullopt;
        rolledUntil = std::clamp(pending.value_or(endMs), fromMs, endMs);
        QList<QPair<qint64, qint64>> mixed; // start and count of periods without a sketch, partly above
        const qint64 periodMs = *tier == Resolution::Hour ? RollupRepository::HOUR_MS : RollupRepository::MINUTE_MS;
        const bool read = rollups.forEachTierRow(
            *tier, agentId, testId, metric, fromMs, rolledUntil,
            [&](const RollupRepository::TierRow &row) {
                double below = 0;
                if (row.highest <= threshold) {
                    below = double(row.count);
                } else if (row.lowest > threshold) {
                    below = 0;
                } else if (const auto counted = LatencySketch::countAtOrBelow(row.sketch, threshold)) {
                    below = std::round(*counted);
                } else {
                    mixed.append({row.timeMs, row.count});
                }
                buckets[(row.timeMs - fromMs) / bucketMs].add(row.count, row.total, row.lowest, row.highest, below);
            },
            error);
        if (!read)
            return std::nullopt;
        // Those few are counted exactly from their samples: the count less those above.
        for (const auto &[start, count] : std::as_const(mixed)) {
            const auto above = timesAtOrAbove(agentId, testId, metric,
                std::nextafter(threshold, std::numeric_limits<double>::infinity()), start, start + periodMs, error);
            if (!above)
                return std::nullopt;
            buckets[(start - fromMs) / bucketMs].atOrBelow += double(count - above->size());
        }
    }
    if (!rawBucketStatistics(agentId, testId, metric, fromMs, rolledUntil, endMs, bucketMs, threshold, &buckets, error))
        return std::nullopt;
    BucketStatistics result;
    result.bucketMs = bucketMs;
    for (auto it = buckets.cbegin(); it != buckets.cend(); ++it) {
        result.starts.append(fromMs + it.key() * bucketMs);
        result.counts.append(it->count);
        result.means.append(it->count ? it->total / double(it->count) : 0.0);
        result.lowest.append(it->lowest);
        result.highest.append(it->highest);
        result.atOrBelow.append(qint64(std::llround(it->atOrBelow)));
    }
    return result;
}

bool SampleRepository::rawBucketStatistics(qint64 agentId, qint64 testId, const QString &metric, qint64 bucketsFromMs,
    qint64 fromMs, qint64 toMs, qint64 bucketMs, double threshold, QMap<qint64, BucketSum> *buckets, QString *error)
{
    if (fromMs >= toMs)
        return true;
    // Buckets counted from bucketsFromMs, so that they line up with the report's period.
    QSqlQuery query(m_db.connection());
    query.setForwardOnly(true);
    query.prepare(u"SELECT (s.t - ?) / ? AS bucket, COUNT(*), SUM(s.value), MIN(s.value), MAX(s.value), "
                  "SUM(CASE WHEN s.value <= ? THEN 1 ELSE 0 END) FROM samples s JOIN metrics m ON m.id = s.metric_id "
                  "WHERE s.test_id = ? AND s.agent_id = ? AND m.name = ? AND s.t >= ? AND s.t < ? "
                  "GROUP BY bucket ORDER BY bucket"_s);
    query.addBindValue(bucketsFromMs);
    query.addBindValue(bucketMs);
    query.addBindValue(threshold);
    bindSeriesSpan(query, testId, agentId, metric, fromMs, toMs);
    if (!m_db.exec(query, error))
        return false;
    while (query.next()) {
        (*buckets)[query.value(0).toLongLong()].add(query.value(1).toLongLong(), query.value(2).toDouble(),
            query.value(3).toDouble(), query.value(4).toDouble(), double(query.value(5).toLongLong()));
    }
    return true;
}

std::optional<Series> SampleRepository::bucketedSeries(qint64 agentId, qint64 testId, const QString &metric,
    qint64 fromMs, qint64 toMs, qint64 bucketMs, SeriesAggregate aggregate, QString *error)
{
    // Buckets are counted from 1970 (integer division in both engines: t is a bigint). Whole hours
    // or minutes come from the rollups as far as those are made; the rest from the samples.
    const qint64 endMs = toMs > 0 ? toMs : std::numeric_limits<qint64>::max();
    QMap<qint64, BucketSum> buckets;
    qint64 tierFrom = endMs, tierTo = endMs;
    for (const auto &[tier, periodMs] : {std::pair{Resolution::Hour, RollupRepository::HOUR_MS},
             std::pair{Resolution::Minute, RollupRepository::MINUTE_MS}}) {
        if (bucketMs % periodMs != 0)
            continue;
        RollupRepository rollups(m_db);
        const auto pending = rollups.pendingFrom(tier, agentId, error);
        if (!pending && !error->isEmpty())
            return std::nullopt;
        tierFrom = std::min(endMs, RollupRepository::periodStart(fromMs + periodMs - 1, periodMs));
        tierTo = std::clamp(pending.value_or(endMs), tierFrom, endMs);
        if (tier == Resolution::Hour) {
            // Packed a day a row (HourDay): summed here, as SQL does the minutes'.
            const bool read = rollups.forEachTierRow(
                tier, agentId, testId, metric, tierFrom, tierTo,
                [&](const RollupRepository::TierRow &row) {
                    buckets[row.timeMs / bucketMs].add(row.count, row.total, row.lowest, row.highest, 0);
                },
                error);
            if (!read)
                return std::nullopt;
            break;
        }
        QSqlQuery query(m_db.connection());
        query.setForwardOnly(true);
        query.prepare(
            u"SELECT t / ? AS bucket, SUM(n), SUM(total), MIN(lowest), MAX(highest) FROM rollups_minute WHERE "
            "test_id = ? AND agent_id = ? AND metric_id = (SELECT id FROM metrics WHERE name = ?) AND t >= ? AND "
            "t < ? GROUP BY bucket"_s);
        query.addBindValue(bucketMs);
        bindSeriesSpan(query, testId, agentId, metric, tierFrom, tierTo);
        if (!m_db.exec(query, error))
            return std::nullopt;
        while (query.next()) {
            buckets[query.value(0).toLongLong()].add(query.value(1).toLongLong(), query.value(2).toDouble(),
                query.value(3).toDouble(), query.value(4).toDouble(), 0);
        }
        break;
    }
    // The samples before the first whole period and after the last rolled up; all of them without.
    const double noThreshold = std::numeric_limits<double>::max();
    if (!rawBucketStatistics(
            agentId, testId, metric, 0, fromMs, std::min(tierFrom, endMs), bucketMs, noThreshold, &buckets, error)
        || !rawBucketStatistics(agentId, testId, metric, 0, tierTo, endMs, bucketMs, noThreshold, &buckets, error))
        return std::nullopt;
    Series result;
    for (auto it = buckets.cbegin(); it != buckets.cend(); ++it) {
        result.times.append(double(it.key() * bucketMs + bucketMs / 2) / 1000.0);
        result.values.append(aggregate == SeriesAggregate::Lowest ? it->lowest
                : aggregate == SeriesAggregate::Highest           ? it->highest
                                                                  : it->total / double(std::max<qint64>(it->count, 1)));
    }
    return result;
}

std::optional<QStringList> SampleRepository::instanceNames(
    qint64 agentId, qint64 testId, const QString &metric, qint64 fromMs, QString *error)
{
    // Names are few (one per instance); the samples are found through the metric's id.
    QSqlQuery query(m_db.connection());
    query.setForwardOnly(true);
    query.prepare(u"SELECT m.id, m.name FROM metrics m WHERE substr(m.name, 1, ?) = ?"_s);
    const QString prefix = metric + u'{';
    query.addBindValue(prefix.size());
    query.addBindValue(prefix);
    if (!m_db.exec(query, error))
        return std::nullopt;
    QList<QPair<qint64, QString>> candidates;
    while (query.next())
        candidates.append({query.value(0).toLongLong(), query.value(1).toString()});
    QStringList names;
    for (const auto &[id, name] : std::as_const(candidates)) {
        QSqlQuery used(m_db.connection());
        used.prepare(
            u"SELECT 1 FROM samples WHERE test_id = ? AND agent_id = ? AND metric_id = ? AND t >= ? LIMIT 1"_s);
        used.addBindValue(testId);
        used.addBindValue(agentId);
        used.addBindValue(id);
        used.addBindValue(fromMs);
        if (!m_db.exec(used, error))
            return std::nullopt;
        if (used.next())
            names.append(name);
    }
    names.sort();
    return names;
}

std::optional<QList<SeriesSummary>> SampleRepository::summarize(const SampleFilter &filter, QString *error)
{
    QVariantList binds;
    QSqlQuery query(m_db.connection());
    query.prepare(u"SELECT a.name, t.name, t.type, COUNT(*), COUNT(DISTINCT s.t), "
                  "MIN(CASE WHEN m.name = 'ping.rtt_min_ms' THEN s.value END), "
                  "AVG(CASE WHEN m.name = 'ping.rtt_avg_ms' THEN s.value END), "
                  "MAX(CASE WHEN m.name = 'ping.rtt_max_ms' THEN s.value END), "
                  "AVG(CASE WHEN m.name = 'ping.loss_pct' THEN s.value END)"_s
        + SAMPLE_JOINS + whereClause(filter, &binds) + u" GROUP BY a.name, t.name, t.type ORDER BY a.name, t.name"_s);
    for (const QVariant &bind : binds)
        query.addBindValue(bind);
    if (!m_db.exec(query, error))
        return std::nullopt;
    const auto optionalDouble = [&](int column) {
        const QVariant value = query.value(column);
        return value.isNull() ? std::nullopt : std::optional<double>(value.toDouble());
    };
    QList<SeriesSummary> result;
    while (query.next()) {
        SeriesSummary summary;
        summary.agent = query.value(0).toString();
        summary.test = query.value(1).toString();
        summary.type = query.value(2).toString();
        summary.samples = query.value(3).toLongLong();
        summary.rounds = query.value(4).toLongLong();
        summary.rttMin = optionalDouble(5);
        summary.rttAvg = optionalDouble(6);
        summary.rttMax = optionalDouble(7);
        summary.lossAvg = optionalDouble(8);
        result.append(summary);
    }
    return result;
}

std::optional<qint64> SampleRepository::countSamples(QString *error)
{
    QSqlQuery query(m_db.connection());
    if (!query.exec(u"SELECT COUNT(*) FROM samples"_s) || !query.next()) {
        m_db.exec(query, error);
        return std::nullopt;
    }
    return query.value(0).toLongLong();
}

} // namespace StreamSwarm::Console
