// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
//
// SampleRepository's write path: a results batch stored in one transaction.
#include <algorithm>
#include <tuple>

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonDocument>
#include <QSqlQuery>
#include <QVariant>

#include "console/storage/binarycopy.h"
#include "console/storage/database.h"
#include "console/storage/eventrepository.h"
#include "console/storage/samplerepository.h"
#include "shared/metrics/catalog.h"

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

// A PostgreSQL array literal built item by item ("{1,2,3}"), for statements that unnest whole columns.
class ArrayLiteral
{
public:
    void add(const QString &item)
    {
        m_text += m_text.isEmpty() ? u'{' : u',';
        m_text += item;
    }
    // Texts are quoted, with \ and " escaped.
    void addText(QString text)
    {
        text.replace(u'\\', u"\\\\"_s).replace(u'"', u"\\\""_s);
        add(u'"' + text + u'"');
    }
    QString text() const { return m_text.isEmpty() ? u"{}"_s : m_text + u'}'; }

private:
    QString m_text;
};

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
    QList<PendingSample> rows;
    QList<PendingSample> &into = m_grouping ? m_pending : rows;
    for (const Protocol::Round &round : rounds) {
        for (const Protocol::MetricValue &value : round.values) {
            const auto metric = metricId(value.metric, error);
            if (!metric)
                return false;
            into.append({round.testId, agentId, *metric, round.timeMs, value.value});
        }
    }
    return m_grouping || writeSamples(rows, error);
}

void SampleRepository::beginGroup()
{
    m_pending.clear();
    m_pendingDetails.clear();
    m_pendingBatches.clear();
    m_groupBatches.clear();
    m_grouping = true;
}

std::optional<qsizetype> SampleRepository::flushGroup(QString *error)
{
    m_grouping = false;
    QList<PendingSample> rows = std::exchange(m_pending, {});
    // In the series index's order: each of its pages is visited once, while it is in the cache.
    std::sort(rows.begin(), rows.end(), [](const PendingSample &a, const PendingSample &b) {
        return std::tie(a.testId, a.agentId, a.metricId, a.timeMs)
            < std::tie(b.testId, b.agentId, b.metricId, b.timeMs);
    });
    const QList<PendingDetail> details = std::exchange(m_pendingDetails, {});
    const QList<PendingBatch> batches = std::exchange(m_pendingBatches, {});
    m_groupBatches.clear();
    if (!writeSamples(rows, error) || !writeDetails(details, error) || !writeBatches(batches, error))
        return std::nullopt;
    return rows.size();
}

bool SampleRepository::writeSamples(const QList<PendingSample> &rows, QString *error)
{
    if (rows.isEmpty())
        return true;
    if (!m_db.isSqlite())
        return writeSamplesAtOnce(rows, error);
    static constexpr char INSERT_SAMPLE[]
        = "INSERT INTO samples (agent_id, test_id, metric_id, t, value) VALUES (?, ?, ?, ?, ?)";
    if (sqlite3_stmt *direct = m_db.sqliteStatement(INSERT_SAMPLE)) {
        for (const PendingSample &row : rows) {
            if (!bindSample(direct, row.agentId, row.testId, row.metricId, row.timeMs, row.value)) {
                if (error)
                    *error = m_db.describeError(u"a sample's values could not be bound"_s);
                return false;
            }
            if (!m_db.step(direct, error))
                return false;
        }
        return true;
    }
    QSqlQuery &insert = m_db.prepared(QString::fromLatin1(INSERT_SAMPLE));
    for (const PendingSample &row : rows) {
        insert.bindValue(0, row.agentId);
        insert.bindValue(1, row.testId);
        insert.bindValue(2, row.metricId);
        insert.bindValue(3, row.timeMs);
        insert.bindValue(4, row.value);
        if (!m_db.exec(insert, error))
            return false;
    }
    return true;
}

bool SampleRepository::writeSamplesAtOnce(const QList<PendingSample> &rows, QString *error)
{
    if (m_db.canCopy()) {
        // COPY: the server takes the rows a page at a time instead of one INSERT each (3x fewer of
        // its cycles a row).
        BinaryCopy copy(5, rows.size());
        for (const PendingSample &row : rows) {
            copy.startRow();
            copy.addInteger(row.agentId);
            copy.addInteger(row.testId);
            copy.addInteger(row.metricId);
            copy.addInteger(row.timeMs);
            copy.addReal(row.value);
        }
        return m_db.copyIn(
            "COPY samples (agent_id, test_id, metric_id, t, value) FROM STDIN (FORMAT binary)", copy.finish(), error);
    }
    // A few statements for them all: each column an array literal, unnested by the server.
    constexpr qsizetype ROWS_PER_STATEMENT = 20'000;
    QSqlQuery &insert = m_db.prepared(
        u"INSERT INTO samples (agent_id, test_id, metric_id, t, value) SELECT * FROM unnest(CAST(? AS BIGINT[]), "
        "CAST(? AS BIGINT[]), CAST(? AS BIGINT[]), CAST(? AS BIGINT[]), CAST(? AS DOUBLE PRECISION[]))"_s);
    for (qsizetype from = 0; from < rows.size(); from += ROWS_PER_STATEMENT) {
        ArrayLiteral agents, tests, metrics, times, values;
        for (qsizetype i = from; i < std::min(rows.size(), from + ROWS_PER_STATEMENT); ++i) {
            const PendingSample &row = rows.at(i);
            agents.add(QString::number(row.agentId));
            tests.add(QString::number(row.testId));
            metrics.add(QString::number(row.metricId));
            times.add(QString::number(row.timeMs));
            values.add(QString::number(row.value, 'g', 17));
        }
        insert.bindValue(0, agents.text());
        insert.bindValue(1, tests.text());
        insert.bindValue(2, metrics.text());
        insert.bindValue(3, times.text());
        insert.bindValue(4, values.text());
        if (!m_db.exec(insert, error))
            return false;
    }
    return true;
}

bool SampleRepository::insertDetails(qint64 agentId, const QList<Protocol::Round> &rounds, QString *error)
{
    QList<PendingDetail> rows;
    QList<PendingDetail> &into = m_grouping ? m_pendingDetails : rows;
    for (const Protocol::Round &round : rounds) {
        // Every failed round leaves its reason in the round's record, not only in the event that
        // says when failing started, so a failure is never a silent gap in the history.
        if (round.detail.isEmpty() && round.error.isEmpty())
            continue;
        const DetailRecord record{round.detail, round.error};
        const QByteArray body = QJsonDocument(record.body()).toJson(QJsonDocument::Compact);
        into.append({agentId, round.testId, round.timeMs, record.kind(), QString::fromUtf8(body),
            record.error.isEmpty() ? 0 : 1, body.contains(ROUTE_CHANGED) ? 1 : 0});
    }
    return m_grouping || writeDetails(rows, error);
}

bool SampleRepository::writeDetails(const QList<PendingDetail> &rows, QString *error)
{
    if (rows.isEmpty())
        return true;
    if (m_db.isSqlite()) {
        QSqlQuery &insert = m_db.prepared(u"INSERT INTO details (agent_id, test_id, t, kind, body, failed, "
                                          "route_changed) VALUES (?, ?, ?, ?, ?, ?, ?)"_s);
        for (const PendingDetail &row : rows) {
            insert.bindValue(0, row.agentId);
            insert.bindValue(1, row.testId);
            insert.bindValue(2, row.timeMs);
            insert.bindValue(3, row.kind);
            insert.bindValue(4, row.body);
            insert.bindValue(5, row.failed);
            insert.bindValue(6, row.routeChanged);
            if (!m_db.exec(insert, error))
                return false;
        }
        return true;
    }
    if (m_db.canCopy()) {
        BinaryCopy copy(7, rows.size());
        for (const PendingDetail &row : rows) {
            copy.startRow();
            copy.addInteger(row.agentId);
            copy.addInteger(row.testId);
            copy.addInteger(row.timeMs);
            copy.addText(row.kind.toUtf8());
            copy.addText(row.body.toUtf8());
            copy.addInt32(row.failed);
            copy.addInt32(row.routeChanged);
        }
        return m_db.copyIn(
            "COPY details (agent_id, test_id, t, kind, body, failed, route_changed) FROM STDIN (FORMAT binary)",
            copy.finish(), error);
    }
    // PostgreSQL without COPY: one statement, each column an array literal.
    ArrayLiteral agents, tests, times, kinds, bodies, failed, routeChanged;
    for (const PendingDetail &row : rows) {
        agents.add(QString::number(row.agentId));
        tests.add(QString::number(row.testId));
        times.add(QString::number(row.timeMs));
        kinds.addText(row.kind);
        bodies.addText(row.body);
        failed.add(QString::number(row.failed));
        routeChanged.add(QString::number(row.routeChanged));
    }
    QSqlQuery &insert = m_db.prepared(
        u"INSERT INTO details (agent_id, test_id, t, kind, body, failed, route_changed) SELECT * FROM "
        "unnest(CAST(? AS BIGINT[]), CAST(? AS BIGINT[]), CAST(? AS BIGINT[]), CAST(? AS TEXT[]), CAST(? AS TEXT[]), "
        "CAST(? AS INT[]), CAST(? AS INT[]))"_s);
    int column = 0;
    for (const ArrayLiteral *array : {&agents, &tests, &times, &kinds, &bodies, &failed, &routeChanged})
        insert.bindValue(column++, array->text());
    return m_db.exec(insert, error);
}

bool SampleRepository::recordBatch(qint64 agentId, const Protocol::Results &results, qint64 nowMs, QString *error)
{
    // Rounds join a batch as they finish, not in the order they started.
    const auto [oldest, newest] = std::minmax_element(results.rounds.cbegin(), results.rounds.cend(),
        [](const Protocol::Round &a, const Protocol::Round &b) { return a.timeMs < b.timeMs; });
    // The agent will never send anything below its floor again: no replay to recognise there. (The
    // floor is at most this batch's seq, so its row, the high-water mark, stays.)
    PendingBatch batch{agentId, results.seq, nowMs, results.rounds.size(),
        results.rounds.isEmpty() ? std::nullopt : std::optional(oldest->timeMs),
        results.rounds.isEmpty() ? std::nullopt : std::optional(newest->timeMs),
        results.floorSeq > 1 ? results.floorSeq : 0};
    if (m_grouping) {
        m_groupBatches.insert({agentId, results.seq});
        m_pendingBatches.append(batch);
        return true;
    }
    return writeBatches({batch}, error);
}

bool SampleRepository::writeBatches(const QList<PendingBatch> &batches, QString *error)
{
    if (batches.isEmpty())
        return true;
    const auto optional = [](const std::optional<qint64> &value) {
        return value ? QVariant(*value) : QVariant(QMetaType::fromType<qint64>());
    };
    if (!m_db.isSqlite()) {
        // One round trip to the server for the rows, the pruning and the agents. (The pruning does not
        // see rows inserted by the same statement; the agent's next batch prunes those.)
        ArrayLiteral agents, seqs, received, rounds, first, last, floors;
        for (const PendingBatch &batch : batches) {
            agents.add(QString::number(batch.agentId));
            seqs.add(QString::number(batch.seq));
            received.add(QString::number(batch.receivedMs));
            rounds.add(QString::number(batch.rounds));
            first.add(batch.firstMs ? QString::number(*batch.firstMs) : u"NULL"_s);
            last.add(batch.lastMs ? QString::number(*batch.lastMs) : u"NULL"_s);
            floors.add(QString::number(batch.floorSeq));
        }
        QSqlQuery &record = m_db.prepared(
            u"WITH b AS (SELECT * FROM unnest(CAST(? AS BIGINT[]), CAST(? AS BIGINT[]), CAST(? AS BIGINT[]), "
            "CAST(? AS BIGINT[]), CAST(? AS BIGINT[]), CAST(? AS BIGINT[]), CAST(? AS BIGINT[])) AS u(agent_id, seq, "
            "received_at, rounds, first_t, last_t, floor_seq)), recorded AS (INSERT INTO batches (agent_id, seq, "
            "received_at, rounds, first_t, last_t) SELECT agent_id, seq, received_at, rounds, first_t, last_t FROM b), "
            "pruned AS (DELETE FROM batches d USING b WHERE d.agent_id = b.agent_id AND d.seq < b.floor_seq) "
            "UPDATE agents a SET last_seq = GREATEST(a.last_seq, n.seq), last_seen = n.received_at FROM (SELECT "
            "agent_id, MAX(seq) AS seq, MAX(received_at) AS received_at FROM b GROUP BY agent_id) n "
            "WHERE a.id = n.agent_id"_s);
        int column = 0;
        for (const ArrayLiteral *array : {&agents, &seqs, &received, &rounds, &first, &last, &floors})
            record.bindValue(column++, array->text());
        return m_db.exec(record, error);
    }
    QSqlQuery &insert = m_db.prepared(
        u"INSERT INTO batches (agent_id, seq, received_at, rounds, first_t, last_t) VALUES (?, ?, ?, ?, ?, ?)"_s);
    QSqlQuery &prune = m_db.prepared(u"DELETE FROM batches WHERE agent_id = ? AND seq < ?"_s);
    QSqlQuery &update = m_db.prepared(
        u"UPDATE agents SET last_seq = CASE WHEN last_seq < ? THEN ? ELSE last_seq END, last_seen = ? WHERE id = ?"_s);
    for (const PendingBatch &batch : batches) {
        const QVariantList row{
            batch.agentId, batch.seq, batch.receivedMs, batch.rounds, optional(batch.firstMs), optional(batch.lastMs)};
        for (int i = 0; i < row.size(); ++i)
            insert.bindValue(i, row.at(i));
        if (!m_db.exec(insert, error))
            return false;
        if (batch.floorSeq > 0) {
            prune.bindValue(0, batch.agentId);
            prune.bindValue(1, batch.floorSeq);
            if (!m_db.exec(prune, error))
                return false;
        }
        const QVariantList agent{batch.seq, batch.seq, batch.receivedMs, batch.agentId};
        for (int i = 0; i < agent.size(); ++i)
            update.bindValue(i, agent.at(i));
        if (!m_db.exec(update, error))
            return false;
    }
    return true;
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
    const qsizetype pendingBefore = m_pending.size();
    const qsizetype detailsBefore = m_pendingDetails.size();
    const qsizetype batchesBefore = m_pendingBatches.size();
    const auto fail = [&]() -> std::optional<StoreOutcome> {
        m_db.rollback();
        // What this batch added to the group goes with it.
        m_pending.resize(pendingBefore);
        m_pendingDetails.resize(detailsBefore);
        if (m_pendingBatches.size() > batchesBefore) {
            m_pendingBatches.resize(batchesBefore);
            m_groupBatches.remove({agentId, results.seq});
        }
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
    if (seen.value(1).toLongLong() > 0 || m_groupBatches.contains({agentId, results.seq})) {
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
    if (!insertDetails(agentId, results.rounds, error))
        return fail();
    EventRepository events(m_db);
    QSet<qint64> minutes;
    for (const Protocol::Round &round : results.rounds) {
        if (!round.values.isEmpty())
            minutes.insert(RollupRepository::periodStart(round.timeMs, RollupRepository::MINUTE_MS));
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
    if (!recordBatch(agentId, results, nowMs, error) || !m_db.commit(error))
        return fail();
    return StoreOutcome::Stored;
}

} // namespace StreamSwarm::Console
