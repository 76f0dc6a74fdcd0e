// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "samplerepository.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonDocument>
#include <QSqlQuery>
#include <QVariant>

#include "console/storage/database.h"
#include "console/storage/eventrepository.h"
#include "console/storage/latencysketch.h"
#include "shared/metrics/catalog.h"
#include "shared/util/logging.h"

#ifdef STREAMSWARM_SQLITE_DIRECT
#include <sqlite3.h>
#endif

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

namespace {

// Binds one sample's values to the prepared INSERT INTO samples (agent, test, metric, t, value).
bool bindSample(sqlite3_stmt *insert, qint64 agentId, qint64 testId, qint64 metricId, qint64 timeMs, double value)
{
#ifdef STREAMSWARM_SQLITE_DIRECT
    return sqlite3_bind_int64(insert, 1, agentId) == SQLITE_OK && sqlite3_bind_int64(insert, 2, testId) == SQLITE_OK
        && sqlite3_bind_int64(insert, 3, metricId) == SQLITE_OK && sqlite3_bind_int64(insert, 4, timeMs) == SQLITE_OK
        && sqlite3_bind_double(insert, 5, value) == SQLITE_OK;
#else
    Q_UNUSED(insert)
    Q_UNUSED(agentId)
    Q_UNUSED(testId)
    Q_UNUSED(metricId)
    Q_UNUSED(timeMs)
    Q_UNUSED(value)
    return false;
#endif
}

constexpr qint64 DAY_MS = 86'400'000;
// How a traceroute detail says its agent saw another route than the round before (compact JSON).
constexpr QByteArrayView ROUTE_CHANGED = "\"route_changed\":true";
// PostgreSQL advisory lock key under which collectors create samples' day partitions.
constexpr qint64 PARTITION_LOCK = 0x5353'7061'7274; // "SSpart"

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

std::optional<qint64> SampleRepository::metricId(const QString &name, QString *error)
{
    if (const auto it = m_metricIds.constFind(name); it != m_metricIds.constEnd())
        return *it;
    QSqlQuery query(m_db.connection());
    query.prepare(u"SELECT id FROM metrics WHERE name = ?"_s);
    query.addBindValue(name);
    if (!m_db.exec(query, error))
        return std::nullopt;
    if (!query.next()) {
        const MetricInfo *info = MetricCatalog::findSample(name);
        // Another collector on the same database may add the same name at the same moment.
        QSqlQuery insert(m_db.connection());
        insert.prepare(u"INSERT INTO metrics (name, unit) VALUES (?, ?) ON CONFLICT (name) DO NOTHING"_s);
        insert.addBindValue(name);
        insert.addBindValue(info ? info->unit : u""_s); // a newer agent's metric: stored, unit unknown
        if (!m_db.exec(insert, error) || !m_db.exec(query, error) || !query.next())
            return std::nullopt;
    }
    const qint64 id = query.value(0).toLongLong();
    m_metricIds.insert(name, id);
    return id;
}

QString SampleRepository::partitionName(qint64 timeMs)
{
    const qint64 day = RollupRepository::periodStart(timeMs, DAY_MS) / DAY_MS;
    return day >= 0 ? u"samples_d%1"_s.arg(day) : u"samples_dm%1"_s.arg(-day);
}

bool SampleRepository::ensurePartitions(const Protocol::Results &results, qint64 nowMs, QString *error)
{
    QSet<qint64> days;
    for (const Protocol::Round &round : results.rounds) {
        if (!round.values.isEmpty())
            days.insert(RollupRepository::periodStart(round.timeMs, DAY_MS));
    }
    for (const qint64 day : std::as_const(days)) {
        if (m_partitionDays.contains(day))
            continue;
        // Collectors sharing the database take turns (the lock ends with the transaction); IF NOT
        // EXISTS makes the second one's attempt a no-op.
        if (!m_db.beginWrite(error))
            return false;
        if (!m_db.exec(u"SELECT pg_advisory_xact_lock(%1)"_s.arg(PARTITION_LOCK), error)
            || !m_db.exec(u"CREATE TABLE IF NOT EXISTS %1 PARTITION OF samples FOR VALUES FROM (%2) TO (%3)"_s
                              .arg(partitionName(day))
                              .arg(day)
                              .arg(day + DAY_MS),
                error)
            || !m_db.commit(error)) {
            m_db.rollback();
            return false;
        }
        // Only recent days are remembered: retention may drop an old day's partition meanwhile.
        if (day >= nowMs - 2 * DAY_MS)
            m_partitionDays.insert(day);
    }
    return true;
}

bool SampleRepository::insertSamples(qint64 agentId, const QList<Protocol::Round> &rounds, QString *error)
{
    if (!m_db.isSqlite())
        return insertSamplesAtOnce(agentId, rounds, error);
    static constexpr char INSERT_SAMPLE[]
        = "INSERT INTO samples (agent_id, test_id, metric_id, t, value) VALUES (?, ?, ?, ?, ?)";
    sqlite3_stmt *direct = m_db.sqliteStatement(INSERT_SAMPLE);
    QSqlQuery *insert = direct ? nullptr : &m_db.prepared(QString::fromLatin1(INSERT_SAMPLE));
    for (const Protocol::Round &round : rounds) {
        for (const Protocol::MetricValue &value : round.values) {
            const auto metric = metricId(value.metric, error);
            if (!metric)
                return false;
            if (direct) {
                if (!bindSample(direct, agentId, round.testId, *metric, round.timeMs, value.value)) {
                    if (error)
                        *error = m_db.describeError(u"a sample's values could not be bound"_s);
                    return false;
                }
                if (!m_db.step(direct, error))
                    return false;
                continue;
            }
            insert->bindValue(0, agentId);
            insert->bindValue(1, round.testId);
            insert->bindValue(2, *metric);
            insert->bindValue(3, round.timeMs);
            insert->bindValue(4, value.value);
            if (!m_db.exec(*insert, error))
                return false;
        }
    }
    return true;
}

bool SampleRepository::insertSamplesAtOnce(qint64 agentId, const QList<Protocol::Round> &rounds, QString *error)
{
    // One statement for the whole batch: each column as an array literal, unnested by the server.
    QString tests, metrics, times, values;
    const auto append = [](QString &list, const QString &item) {
        list += list.isEmpty() ? u'{' : u',';
        list += item;
    };
    for (const Protocol::Round &round : rounds) {
        for (const Protocol::MetricValue &value : round.values) {
            const auto metric = metricId(value.metric, error);
            if (!metric)
                return false;
            append(tests, QString::number(round.testId));
            append(metrics, QString::number(*metric));
            append(times, QString::number(round.timeMs));
            append(values, QString::number(value.value, 'g', 17));
        }
    }
    if (tests.isEmpty())
        return true;
    QSqlQuery &insert = m_db.prepared(
        u"INSERT INTO samples (agent_id, test_id, metric_id, t, value) SELECT ?, u.test_id, u.metric_id, u.t, u.value "
        "FROM unnest(CAST(? AS BIGINT[]), CAST(? AS BIGINT[]), CAST(? AS BIGINT[]), CAST(? AS DOUBLE PRECISION[])) "
        "AS u(test_id, metric_id, t, value)"_s);
    insert.bindValue(0, agentId);
    insert.bindValue(1, QString(tests + u'}'));
    insert.bindValue(2, QString(metrics + u'}'));
    insert.bindValue(3, QString(times + u'}'));
    insert.bindValue(4, QString(values + u'}'));
    return m_db.exec(insert, error);
}

void SampleRepository::forgetUncommitted()
{
    m_metricIds.clear();
    m_rollupMarks.forgetMarks();
    m_partitionDays.clear();
}

std::optional<StoreOutcome> SampleRepository::storeResults(qint64 agentId, const Protocol::Results &results,
    const QList<Protocol::Event> &failureEvents, qint64 nowMs, QString *error)
{
    if (!m_db.isSqlite() && !ensurePartitions(results, nowMs, error))
        return std::nullopt;
    if (!m_db.beginWrite(error))
        return std::nullopt;
    const auto fail = [&]() -> std::optional<StoreOutcome> {
        m_db.rollback();
        forgetUncommitted();
        return std::nullopt;
    };
    QSqlQuery &seen = m_db.prepared(
        u"SELECT (SELECT COUNT(*) FROM agents WHERE id = ?), (SELECT COUNT(*) FROM batches WHERE agent_id = ? "
        "AND seq = ?), (SELECT lost_rounds FROM agents WHERE id = ?), (SELECT name FROM agents WHERE id = ?)"_s);
    seen.bindValue(0, agentId);
    seen.bindValue(1, agentId);
    seen.bindValue(2, results.seq);
    seen.bindValue(3, agentId);
    seen.bindValue(4, agentId);
    if (!m_db.exec(seen, error) || !seen.next()) {
        seen.finish();
        return fail();
    }
    if (seen.value(0).toLongLong() == 0) {
        seen.finish();
        if (error)
            *error = QCoreApplication::translate(
                "StreamSwarm::Console::Samples", "Results for an unknown agent (id %1) were not stored.")
                         .arg(agentId);
        return fail();
    }
    if (seen.value(1).toLongLong() > 0) {
        seen.finish();
        // A replay (its ack was lost): the agent gets its ack again, nothing is stored twice.
        m_db.rollback();
        return StoreOutcome::Duplicate;
    }
    const qint64 lostBefore = seen.value(2).toLongLong();
    const QString agentName = seen.value(3).toString();
    seen.finish();

    if (!insertSamples(agentId, results.rounds, error))
        return fail();
    QSqlQuery &detail = m_db.prepared(u"INSERT INTO details (agent_id, test_id, t, kind, body, failed, route_changed) "
                                      "VALUES (?, ?, ?, ?, ?, ?, ?)"_s);
    EventRepository events(m_db);
    QSet<qint64> minutes;
    for (const Protocol::Round &round : results.rounds) {
        if (!round.values.isEmpty())
            minutes.insert(RollupRepository::periodStart(round.timeMs, RollupRepository::MINUTE_MS));
        // Every failed round leaves its reason in the round's record, not only in the event that
        // says when failing started, so a failure is never a silent gap in the history.
        if (!round.detail.isEmpty() || !round.error.isEmpty()) {
            const DetailRecord record{round.detail, round.error};
            detail.bindValue(0, agentId);
            detail.bindValue(1, round.testId);
            detail.bindValue(2, round.timeMs);
            detail.bindValue(3, record.kind());
            const QByteArray body = QJsonDocument(record.body()).toJson(QJsonDocument::Compact);
            detail.bindValue(4, QString::fromUtf8(body));
            detail.bindValue(5, record.error.isEmpty() ? 0 : 1);
            detail.bindValue(6, body.contains(ROUTE_CHANGED) ? 1 : 0);
            if (!m_db.exec(detail, error))
                return fail();
        }
    }
    if (!m_rollupMarks.markChanged(agentId, minutes, nowMs, error))
        return fail();
    for (const Protocol::Event &event : failureEvents) {
        if (!events.add(agentId, event, error))
            return fail();
    }
    if (results.lostRounds > lostBefore) {
        const Protocol::EventText message(u"spool-overflow"_s,
            {agentName, results.lostRounds - lostBefore,
                QDateTime::fromMSecsSinceEpoch(results.lostUntilMs, Qt::UTC).toString(Qt::ISODateWithMs)});
        QSqlQuery lost(m_db.connection());
        lost.prepare(u"UPDATE agents SET lost_rounds = ? WHERE id = ?"_s);
        lost.addBindValue(results.lostRounds);
        lost.addBindValue(agentId);
        if (!m_db.exec(lost, error) || !events.add(nowMs, u"error"_s, u"spool-overflow"_s, agentId, 0, message, error))
            return fail();
    }
    for (const Protocol::Event &event : results.events) {
        if (!events.add(agentId, event, error))
            return fail();
    }
    QSqlQuery &batch = m_db.prepared(
        u"INSERT INTO batches (agent_id, seq, received_at, rounds, first_t, last_t) VALUES (?, ?, ?, ?, ?, ?)"_s);
    batch.bindValue(0, agentId);
    batch.bindValue(1, results.seq);
    batch.bindValue(2, nowMs);
    batch.bindValue(3, results.rounds.size());
    // Rounds join a batch as they finish, not in the order they started.
    const auto [oldest, newest] = std::minmax_element(results.rounds.cbegin(), results.rounds.cend(),
        [](const Protocol::Round &a, const Protocol::Round &b) { return a.timeMs < b.timeMs; });
    batch.bindValue(4, results.rounds.isEmpty() ? QVariant() : QVariant(oldest->timeMs));
    batch.bindValue(5, results.rounds.isEmpty() ? QVariant() : QVariant(newest->timeMs));
    if (!m_db.exec(batch, error))
        return fail();
    if (results.floorSeq > 1) {
        // The agent will never send anything below its floor again: no replay to recognise there.
        // (The floor is at most this batch's seq, so its row, the high-water mark, stays.)
        QSqlQuery prune(m_db.connection());
        prune.prepare(u"DELETE FROM batches WHERE agent_id = ? AND seq < ?"_s);
        prune.addBindValue(agentId);
        prune.addBindValue(results.floorSeq);
        if (!m_db.exec(prune, error))
            return fail();
    }
    QSqlQuery &update = m_db.prepared(
        u"UPDATE agents SET last_seq = CASE WHEN last_seq < ? THEN ? ELSE last_seq END, last_seen = ? WHERE id = ?"_s);
    update.bindValue(0, results.seq);
    update.bindValue(1, results.seq);
    update.bindValue(2, nowMs);
    update.bindValue(3, agentId);
    if (!m_db.exec(update, error) || !m_db.commit(error))
        return fail();
    return StoreOutcome::Stored;
}

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
                } else if (const auto sketch = LatencySketch::fromBytes(row.sketch)) {
                    below = std::round(sketch->countAtOrBelow(threshold));
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
        QSqlQuery query(m_db.connection());
        query.setForwardOnly(true);
        query.prepare(
            u"SELECT t / ? AS bucket, SUM(n), SUM(total), MIN(lowest), MAX(highest) FROM %1 WHERE test_id = ? "
            "AND agent_id = ? AND metric_id = (SELECT id FROM metrics WHERE name = ?) AND t >= ? AND t < ? "
            "GROUP BY bucket"_s.arg(tier == Resolution::Hour ? u"rollups_hour"_s : u"rollups_minute"_s));
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
