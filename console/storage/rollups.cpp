// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "rollups.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include <QSqlQuery>
#include <QVariant>

#include "console/storage/database.h"
#include "console/storage/hourdays.h"
#include "console/storage/latencysketch.h"
#include "console/storage/samplerepository.h"
#include "shared/util/logging.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

namespace {

constexpr int MINUTE_TIER = 1;
constexpr int HOUR_TIER = 2;

// The exact value at rank q of sorted values, between the two nearest ranks (as numpy's default).
double exactQuantile(const QList<double> &sorted, double q)
{
    const double position = q * double(sorted.size() - 1);
    const auto below = qsizetype(std::floor(position));
    const auto above = std::min(below + 1, sorted.size() - 1);
    return sorted.at(below) + (sorted.at(above) - sorted.at(below)) * (position - double(below));
}

QVariant optionalValue(const std::optional<double> &value)
{
    return value ? QVariant(*value) : QVariant(QMetaType::fromType<double>());
}

} // namespace

size_t qHash(const RollupRepository::SeriesKey &key, size_t seed) noexcept
{
    return qHashMulti(seed, key.testId, key.agentId, key.metricId);
}

struct RollupRepository::Figures
{
    qint64 count = 0;
    double total = 0;
    double lowest = std::numeric_limits<double>::infinity();
    double highest = -std::numeric_limits<double>::infinity();
    bool latency = false;
    QList<double> values; // a minute's latency values, for exact percentiles
    LatencySketch sketch;

    void add(double value)
    {
        ++count;
        total += value;
        lowest = std::min(lowest, value);
        highest = std::max(highest, value);
        if (latency) {
            values.append(value);
            sketch.add(value);
        }
    }
};

qint64 RollupRepository::periodStart(qint64 timeMs, qint64 periodMs)
{
    // Rounded down also before 1970, so every period is periodMs long.
    const qint64 quotient = timeMs / periodMs;
    return (timeMs % periodMs < 0 ? quotient - 1 : quotient) * periodMs;
}

bool RollupRepository::markChanged(qint64 agentId, const QSet<qint64> &minuteStarts, qint64 nowMs, QString *error)
{
    // Marks of minutes that come due soon are dropped, so a round arriving after its minute was
    // rolled up always marks it again.
    const qint64 stillOpen = nowMs - MINUTE_MS - GRACE_MS / 2;
    m_marked.removeIf([&](const QPair<qint64, qint64> &mark) { return mark.second < stillOpen; });
    QSqlQuery mark(m_db.connection());
    for (const qint64 minute : minuteStarts) {
        if (m_marked.contains({agentId, minute}))
            continue;
        if (!mark.isActive() && mark.lastQuery().isEmpty()) {
            // One row per agent and minute: agents served by different collectors never wait on
            // each other's row locks.
            mark.prepare(u"INSERT INTO rollup_pending (tier, t, agent_id, marks) VALUES (?, ?, ?, 1) "
                         "ON CONFLICT (tier, t, agent_id) DO UPDATE SET marks = rollup_pending.marks + 1"_s);
        }
        mark.bindValue(0, MINUTE_TIER);
        mark.bindValue(1, minute);
        mark.bindValue(2, agentId);
        if (!m_db.exec(mark, error))
            return false;
        if (minute >= stillOpen)
            m_marked.insert({agentId, minute});
    }
    return true;
}

std::optional<QSet<qint64>> RollupRepository::latencyMetrics(QString *error)
{
    QSqlQuery query(m_db.connection());
    query.setForwardOnly(true);
    if (!query.exec(u"SELECT id FROM metrics WHERE unit = 'ms'"_s)) {
        m_db.exec(query, error);
        return std::nullopt;
    }
    QSet<qint64> ids;
    while (query.next())
        ids.insert(query.value(0).toLongLong());
    return ids;
}

std::optional<int> RollupRepository::rollUpMinutes(qint64 nowMs, int maxPeriods, QString *error)
{
    return rollUpDue(MINUTE_TIER, nowMs - MINUTE_MS - GRACE_MS, maxPeriods, error);
}

std::optional<int> RollupRepository::rollUpHours(qint64 nowMs, int maxPeriods, QString *error)
{
    // By then its last minute is rolled up too.
    return rollUpDue(HOUR_TIER, nowMs - HOUR_MS - MINUTE_MS - 2 * GRACE_MS, maxPeriods, error);
}

std::optional<int> RollupRepository::rollUpDue(int tier, qint64 startedBy, int maxPeriods, QString *error)
{
    QSqlQuery due(m_db.connection());
    due.setForwardOnly(true);
    due.prepare(u"SELECT DISTINCT t FROM rollup_pending WHERE tier = ? AND t <= ? ORDER BY t LIMIT ?"_s);
    due.addBindValue(tier);
    due.addBindValue(startedBy);
    due.addBindValue(maxPeriods);
    if (!m_db.exec(due, error))
        return std::nullopt;
    QList<qint64> starts;
    while (due.next())
        starts.append(due.value(0).toLongLong());
    due.finish();
    if (!rollAll(tier, starts, error))
        return std::nullopt;
    return int(starts.size());
}

bool RollupRepository::rollAll(int tier, const QList<qint64> &starts, QString *error)
{
    // One transaction for them all: a backlog (a console that was off, an upgrade) costs one durable
    // commit per call, not one per minute.
    if (starts.isEmpty())
        return true;
    if (!m_db.beginWrite(error))
        return false;
    std::optional<QSet<qint64>> latency;
    if (tier == MINUTE_TIER && !(latency = latencyMetrics(error))) {
        m_db.rollback();
        return false;
    }
    for (const qint64 start : starts) {
        if (!roll(tier, start, latency.value_or(QSet<qint64>()), error)) {
            m_db.rollback();
            return false;
        }
    }
    if (!m_db.commit(error)) {
        m_db.rollback();
        return false;
    }
    return true;
}

bool RollupRepository::roll(int tier, qint64 start, const QSet<qint64> &latency, QString *error)
{
    // The marks as they are now: a mark added while this runs survives the delete below.
    QSqlQuery marks(m_db.connection());
    marks.setForwardOnly(true);
    marks.prepare(u"SELECT agent_id, marks FROM rollup_pending WHERE tier = ? AND t = ?"_s);
    marks.addBindValue(tier);
    marks.addBindValue(start);
    if (!m_db.exec(marks, error))
        return false;
    QList<QPair<qint64, qint64>> seen;
    while (marks.next())
        seen.append({marks.value(0).toLongLong(), marks.value(1).toLongLong()});
    marks.finish();

    QHash<SeriesKey, Figures> figures;
    if (tier == MINUTE_TIER) {
        QSqlQuery raw(m_db.connection());
        raw.setForwardOnly(true);
        raw.prepare(u"SELECT test_id, agent_id, metric_id, value FROM samples WHERE t >= ? AND t < ?"_s);
        raw.addBindValue(start);
        raw.addBindValue(start + MINUTE_MS);
        if (!m_db.exec(raw, error))
            return false;
        while (raw.next()) {
            const SeriesKey key{raw.value(0).toLongLong(), raw.value(1).toLongLong(), raw.value(2).toLongLong()};
            auto it = figures.find(key);
            if (it == figures.end()) {
                it = figures.insert(key, Figures());
                it->latency = latency.contains(key.metricId);
            }
            it->add(raw.value(3).toDouble());
        }
    } else {
        QSqlQuery minutes(m_db.connection());
        minutes.setForwardOnly(true);
        minutes.prepare(u"SELECT test_id, agent_id, metric_id, n, total, lowest, highest, sketch FROM rollups_minute "
                        "WHERE t >= ? AND t < ?"_s);
        minutes.addBindValue(start);
        minutes.addBindValue(start + HOUR_MS);
        if (!m_db.exec(minutes, error))
            return false;
        while (minutes.next()) {
            const SeriesKey key{
                minutes.value(0).toLongLong(), minutes.value(1).toLongLong(), minutes.value(2).toLongLong()};
            Figures &sum = figures[key];
            sum.count += minutes.value(3).toLongLong();
            sum.total += minutes.value(4).toDouble();
            sum.lowest = std::min(sum.lowest, minutes.value(5).toDouble());
            sum.highest = std::max(sum.highest, minutes.value(6).toDouble());
            if (!minutes.value(7).isNull()) {
                if (const auto sketch = LatencySketch::fromBytes(minutes.value(7).toByteArray())) {
                    sum.latency = true;
                    sum.sketch.merge(*sketch);
                }
            }
        }
    }
    if (!writeRows(tier, start, figures, error))
        return false;

    QSqlQuery done(m_db.connection());
    done.prepare(u"DELETE FROM rollup_pending WHERE tier = ? AND t = ? AND agent_id = ? AND marks = ?"_s);
    QSqlQuery hour(m_db.connection());
    if (tier == MINUTE_TIER) {
        hour.prepare(u"INSERT INTO rollup_pending (tier, t, agent_id, marks) VALUES (?, ?, ?, 1) "
                     "ON CONFLICT (tier, t, agent_id) DO UPDATE SET marks = rollup_pending.marks + 1"_s);
    }
    for (const auto &[agentId, count] : std::as_const(seen)) {
        done.bindValue(0, tier);
        done.bindValue(1, start);
        done.bindValue(2, agentId);
        done.bindValue(3, count);
        if (!m_db.exec(done, error))
            return false;
        if (tier == MINUTE_TIER) {
            hour.bindValue(0, HOUR_TIER);
            hour.bindValue(1, periodStart(start, HOUR_MS));
            hour.bindValue(2, agentId);
            if (!m_db.exec(hour, error))
                return false;
        }
    }
    return true;
}

bool RollupRepository::writeRows(int tier, qint64 start, QHash<SeriesKey, Figures> &figures, QString *error)
{
    // Computed from everything the period holds, so each row replaces what was there.
    QSqlQuery upsert(m_db.connection());
    if (tier == MINUTE_TIER) {
        upsert.prepare(u"INSERT INTO rollups_minute (test_id, agent_id, metric_id, t, n, total, lowest, highest, "
                       "p50, p95, p99, sketch) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (test_id, "
                       "agent_id, metric_id, t) DO UPDATE SET n = excluded.n, total = excluded.total, "
                       "lowest = excluded.lowest, highest = excluded.highest, p50 = excluded.p50, "
                       "p95 = excluded.p95, p99 = excluded.p99, sketch = excluded.sketch"_s);
    }
    for (auto it = figures.begin(); it != figures.end(); ++it) {
        Figures &sum = it.value();
        RollupFigures row{start, sum.count, sum.total, sum.lowest, sum.highest, {}, {}, {}, {}};
        if (sum.latency && !sum.values.isEmpty()) {
            std::sort(sum.values.begin(), sum.values.end());
            row.p50 = exactQuantile(sum.values, 0.50);
            row.p95 = exactQuantile(sum.values, 0.95);
            row.p99 = exactQuantile(sum.values, 0.99);
        } else if (sum.latency && !sum.sketch.isEmpty()) {
            row.p50 = sum.sketch.quantile(0.50);
            row.p95 = sum.sketch.quantile(0.95);
            row.p99 = sum.sketch.quantile(0.99);
        }
        if (sum.latency)
            row.sketch = sum.sketch.toBytes();
        if (tier == HOUR_TIER) {
            if (!writeHour(it.key(), std::move(row), error))
                return false;
            continue;
        }
        upsert.bindValue(0, it.key().testId);
        upsert.bindValue(1, it.key().agentId);
        upsert.bindValue(2, it.key().metricId);
        upsert.bindValue(3, start);
        upsert.bindValue(4, row.count);
        upsert.bindValue(5, row.total);
        upsert.bindValue(6, row.lowest);
        upsert.bindValue(7, row.highest);
        upsert.bindValue(8, optionalValue(row.p50));
        upsert.bindValue(9, optionalValue(row.p95));
        upsert.bindValue(10, optionalValue(row.p99));
        upsert.bindValue(11, sum.latency ? QVariant(row.sketch) : QVariant(QMetaType::fromType<QByteArray>()));
        if (!m_db.exec(upsert, error))
            return false;
    }
    return true;
}

bool RollupRepository::writeHour(const SeriesKey &key, RollupFigures hour, QString *error)
{
    // The day's row read, the hour put in its place, the row written back whole.
    const qint64 day = HourDay::dayOf(hour.timeMs);
    QSqlQuery &read = m_db.prepared(u"SELECT hours FROM rollups_hour_days WHERE test_id = ? AND agent_id = ? "
                                    "AND metric_id = ? AND day = ?"_s);
    const std::array<qint64, 4> columns{key.testId, key.agentId, key.metricId, day};
    for (int i = 0; i < 4; ++i)
        read.bindValue(i, columns.at(i));
    if (!m_db.exec(read, error))
        return false;
    QList<RollupFigures> hours;
    if (read.next()) {
        // A row that is not a packed day (damaged) is replaced by what is rolled up from now on.
        const auto stored = HourDay::decode(day, read.value(0).toByteArray());
        if (!stored)
            qCWarning(lcStorage) << "A day of hourly rollups was damaged and is made anew; series" << key.testId
                                 << key.agentId << key.metricId << "day" << day;
        hours = stored.value_or(QList<RollupFigures>());
    }
    read.finish();
    HourDay::put(hours, std::move(hour));
    QSqlQuery &write = m_db.prepared(u"INSERT INTO rollups_hour_days (test_id, agent_id, metric_id, day, hours) "
                                     "VALUES (?, ?, ?, ?, ?) ON CONFLICT (test_id, agent_id, metric_id, day) "
                                     "DO UPDATE SET hours = excluded.hours"_s);
    for (int i = 0; i < 4; ++i)
        write.bindValue(i, columns.at(i));
    write.bindValue(4, HourDay::encode(day, hours));
    return m_db.exec(write, error);
}

std::optional<qint64> RollupRepository::oldestPending(QString *error)
{
    QSqlQuery query(m_db.connection());
    if (!query.exec(u"SELECT MIN(t) FROM rollup_pending WHERE tier = 1"_s) || !query.next()) {
        m_db.exec(query, error);
        return std::nullopt;
    }
    if (error)
        error->clear();
    return query.value(0).isNull() ? std::nullopt : std::optional<qint64>(query.value(0).toLongLong());
}

bool RollupRepository::forEachTierRow(Resolution tier, qint64 agentId, qint64 testId, const QString &metric,
    qint64 fromMs, qint64 toMs, const std::function<void(const TierRow &)> &row, QString *error)
{
    static constexpr char DAY_ROWS[]
        = "SELECT day, hours FROM rollups_hour_days WHERE test_id = ? AND agent_id = ? AND metric_id = (SELECT id "
          "FROM metrics WHERE name = ?) AND day >= ? AND day < ? ORDER BY day";
    static constexpr char MINUTE_ROWS[] = "SELECT t, n, total, lowest, highest, sketch FROM rollups_minute WHERE "
                                          "test_id = ? AND agent_id = ? AND metric_id = (SELECT id FROM metrics WHERE "
                                          "name = ?) AND t >= ? AND t < ? ORDER BY t";
    const bool hours = tier == Resolution::Hour;
    const char *sql = hours ? DAY_ROWS : MINUTE_ROWS;
    const qint64 fromRow = hours ? HourDay::dayOf(fromMs) : fromMs;
    TierRow tierRow;
    const auto eachHour = [&](qint64 day, QByteArrayView packed) {
        const bool whole = HourDay::forEach(day, packed, [&](const RollupFigures &hour) {
            if (hour.timeMs < fromMs || hour.timeMs >= toMs)
                return;
            tierRow.timeMs = hour.timeMs;
            tierRow.count = hour.count;
            tierRow.total = hour.total;
            tierRow.lowest = hour.lowest;
            tierRow.highest = hour.highest;
            tierRow.sketch = hour.sketch;
            row(tierRow);
        });
        if (!whole)
            qCWarning(lcStorage) << "A day of hourly rollups is damaged and was left out; test" << testId << "agent"
                                 << agentId << metric << "day" << day;
    };
    // A year of hours is 365 rows a series: read through SQLite's C API where it is there.
    if (sqlite3_stmt *direct = m_db.sqliteStatement(sql)) {
        return m_db.forEachDirectRow(
            direct, {testId, agentId, metric, fromRow, toMs},
            [&](const Database::DirectRow &stored) {
                if (hours) {
                    eachHour(stored.integer(0), stored.blob(1));
                    return;
                }
                tierRow.timeMs = stored.integer(0);
                tierRow.count = stored.integer(1);
                tierRow.total = stored.real(2);
                tierRow.lowest = stored.real(3);
                tierRow.highest = stored.real(4);
                tierRow.sketch = stored.blob(5);
                row(tierRow);
            },
            error);
    }
    QSqlQuery query(m_db.connection());
    query.setForwardOnly(true);
    query.prepare(QString::fromLatin1(sql));
    query.addBindValue(testId);
    query.addBindValue(agentId);
    query.addBindValue(metric);
    query.addBindValue(fromRow);
    query.addBindValue(toMs);
    if (!m_db.exec(query, error))
        return false;
    while (query.next()) {
        if (hours) {
            eachHour(query.value(0).toLongLong(), query.value(1).toByteArray());
            continue;
        }
        tierRow.timeMs = query.value(0).toLongLong();
        tierRow.count = query.value(1).toLongLong();
        tierRow.total = query.value(2).toDouble();
        tierRow.lowest = query.value(3).toDouble();
        tierRow.highest = query.value(4).toDouble();
        tierRow.sketch = query.value(5).toByteArray();
        row(tierRow);
    }
    return true;
}

std::optional<qint64> RollupRepository::pendingFrom(Resolution tier, qint64 agentId, QString *error)
{
    // An hour waits while any of its minutes does, or while it waits itself.
    QSqlQuery query(m_db.connection());
    query.prepare(u"SELECT MIN(t) FROM rollup_pending WHERE agent_id = ? AND tier <= ?"_s);
    query.addBindValue(agentId);
    query.addBindValue(tier == Resolution::Hour ? HOUR_TIER : MINUTE_TIER);
    if (!m_db.exec(query, error) || !query.next())
        return std::nullopt;
    error->clear();
    if (query.value(0).isNull())
        return std::nullopt;
    return periodStart(query.value(0).toLongLong(), tier == Resolution::Hour ? HOUR_MS : MINUTE_MS);
}

std::optional<qint64> RollupRepository::pendingCount(QString *error)
{
    QSqlQuery query(m_db.connection());
    if (!query.exec(u"SELECT COUNT(*) FROM rollup_pending"_s) || !query.next()) {
        m_db.exec(query, error);
        return std::nullopt;
    }
    return query.value(0).toLongLong();
}

bool RollupRepository::forEachRollup(
    Resolution tier, const SampleFilter &filter, const std::function<bool(const RollupRow &)> &row, QString *error)
{
    const bool hours = tier == Resolution::Hour;
    // Hours come a day a row: the rows of whole days from the one fromMs falls in, each hour then
    // checked against the filter's times.
    SampleFilter rows = filter;
    if (hours && rows.fromMs)
        rows.fromMs = HourDay::dayOf(rows.fromMs);
    QVariantList binds;
    const QString where = SampleRepository::whereClause(rows, &binds, u"r"_s);
    const QString source = hours ? u"(SELECT test_id, agent_id, metric_id, day AS t, hours FROM rollups_hour_days)"_s
                                 : u"rollups_minute"_s;
    const QString columns = hours ? u"r.hours"_s : u"r.n, r.total, r.lowest, r.highest, r.p50, r.p95, r.p99"_s;
    QSqlQuery query(m_db.connection());
    query.setForwardOnly(true);
    query.prepare(u"SELECT r.t, a.name, t.name, m.name, m.unit, %1 FROM %2 r JOIN agents a ON a.id = r.agent_id "
                  "JOIN tests t ON t.id = r.test_id JOIN metrics m ON m.id = r.metric_id%3 "
                  "ORDER BY r.t, a.name, t.name, m.name"_s.arg(columns, source, where));
    for (const QVariant &bind : std::as_const(binds))
        query.addBindValue(bind);
    if (!m_db.exec(query, error))
        return false;
    const auto optionalDouble = [&](int column) {
        const QVariant value = query.value(column);
        return value.isNull() ? std::nullopt : std::optional<double>(value.toDouble());
    };
    const auto fill = [](RollupRow &rollup, const RollupFigures &figures) {
        rollup.timeMs = figures.timeMs;
        rollup.count = figures.count;
        rollup.mean = figures.count ? figures.total / double(figures.count) : 0.0;
        rollup.lowest = figures.lowest;
        rollup.highest = figures.highest;
        rollup.p50 = figures.p50;
        rollup.p95 = figures.p95;
        rollup.p99 = figures.p99;
    };
    // A day's hours of every series, put in time order (stable: series stay in name order).
    QList<RollupRow> day;
    qint64 dayMs = 0;
    const auto flushDay = [&]() {
        std::stable_sort(
            day.begin(), day.end(), [](const RollupRow &a, const RollupRow &b) { return a.timeMs < b.timeMs; });
        for (const RollupRow &rollup : std::as_const(day)) {
            if ((filter.fromMs && rollup.timeMs < filter.fromMs) || (filter.toMs && rollup.timeMs >= filter.toMs))
                continue;
            if (!row(rollup))
                return false;
        }
        day.clear();
        return true;
    };
    RollupRow rollup;
    while (query.next()) {
        rollup.agent = query.value(1).toString();
        rollup.test = query.value(2).toString();
        rollup.metric = query.value(3).toString();
        rollup.unit = query.value(4).toString();
        if (hours) {
            const qint64 rowDay = query.value(0).toLongLong();
            if (rowDay != dayMs && !flushDay())
                return true;
            dayMs = rowDay;
            const bool whole = HourDay::forEach(dayMs, query.value(5).toByteArray(), [&](const RollupFigures &figures) {
                fill(rollup, figures);
                day.append(rollup);
            });
            if (!whole)
                qCWarning(lcStorage) << "A day of hourly rollups is damaged and was left out:" << rollup.agent
                                     << rollup.test << rollup.metric << "day" << dayMs;
            continue;
        }
        fill(rollup,
            RollupFigures{query.value(0).toLongLong(), query.value(5).toLongLong(), query.value(6).toDouble(),
                query.value(7).toDouble(), query.value(8).toDouble(), optionalDouble(9), optionalDouble(10),
                optionalDouble(11), {}});
        if (!row(rollup))
            break;
    }
    flushDay();
    return true;
}

} // namespace StreamSwarm::Console
