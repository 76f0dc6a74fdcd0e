// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
//
// How fast a year of hourly rollups for 100 series is read back (issue 17: under 100 ms), the way a
// chart or report of a year reads them (per series, in time order, with the latency sketch), beside
// a bare SQL pass over the same rows measured in the same run. Prints "name value" lines:
//   rows: hourly rows in the database; seed_s: writing them (not measured)
//   scan_ms: the baseline, one bare SELECT of every hour's figures stored a row an hour (as before
//            the hours were packed a day a row), through Qt Sql
//   read_ms: RollupRepository::forEachTierRow for every series (figures and sketches)
//   buckets_ms: SampleRepository::bucketStatistics for every series, in day buckets, with the share
//               under a latency target (sketches parsed)
//   chart_ms: SampleRepository::bucketedSeries for every series, 2 h buckets (a window's chart of a year)
//   ratio_read_to_scan
// BENCH_SERIES (default 100) and BENCH_DAYS (default 365) size it.
#include "benchfigures.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTextStream>

#include "console/storage/agentrepository.h"
#include "console/storage/database.h"
#include "console/storage/hourdays.h"
#include "console/storage/latencysketch.h"
#include "console/storage/rollups.h"
#include "console/storage/samplerepository.h"
#include "console/storage/testrepository.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm;
using namespace StreamSwarm::Console;

namespace {

constexpr qint64 HOUR_MS = 3'600'000;
constexpr qint64 DAY_MS = 24 * HOUR_MS;

int fail(const QString &why)
{
    QTextStream(stderr) << "bench_rollups: " << why << Qt::endl;
    return 1;
}

int fromEnvironment(const char *name, int fallback)
{
    const int value = qEnvironmentVariableIntValue(name);
    return value > 0 ? value : fallback;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int series = fromEnvironment("BENCH_SERIES", 100);
    const int days = fromEnvironment("BENCH_DAYS", 365);
    QTemporaryDir dir;
    if (!dir.isValid())
        return fail(u"no temporary folder"_s);
    Database db;
    QString error;
    if (!db.open(DatabaseUrl::sqliteFile(dir.filePath(u"year.db"_s)), u"bench_rollups"_s, &error))
        return fail(error);

    // 100 series: 10 agents' ping tests, their RTT as a latency (with sketch) and their loss.
    QElapsedTimer timer;
    timer.start();
    const qint64 fromMs = (QDateTime::currentMSecsSinceEpoch() / DAY_MS - days - 1) * DAY_MS;
    const int agents = std::max(1, series / 10);
    const int testsPerAgent = std::max(1, series / agents / 2);
    QList<QPair<qint64, qint64>> pairs; // (agent, test)
    if (!db.beginWrite(&error))
        return fail(error);
    AgentRepository agentRepository(db);
    TestRepository tests(db);
    QList<qint64> agentIds;
    QStringList names;
    for (int agent = 0; agent < agents; ++agent) {
        qint64 id = 0;
        names.append(u"agent-%1"_s.arg(agent, 2, 10, QLatin1Char('0')));
        if (!agentRepository.enroll(
                {names.last(), u"host"_s, u"Debian 12"_s, u"1.0"_s, {u"ping"_s}}, 0, fromMs, &id, &error))
            return fail(error);
        agentIds.append(id);
    }
    for (int test = 0; test < testsPerAgent; ++test) {
        TestRecord record;
        record.name = u"ping-%1"_s.arg(test);
        record.type = u"ping"_s;
        record.target = u"192.0.2.%1"_s.arg(test + 1);
        record.intervalMs = 1000;
        record.allAgents = true;
        record.createdAtMs = fromMs;
        const auto id = tests.add(record, &error);
        if (!id)
            return fail(error);
        for (const qint64 agentId : std::as_const(agentIds))
            pairs.append({agentId, *id});
    }
    QSqlQuery metric(db.connection());
    metric.exec(u"INSERT INTO metrics (name, unit) VALUES ('ping.rtt_median_ms', 'ms'), ('ping.loss_pct', '%')"_s);
    // The baseline's table: the same hours a row each, as schema 9 kept them.
    if (!db.exec(u"CREATE TABLE hour_rows (test_id BIGINT NOT NULL, agent_id BIGINT NOT NULL, metric_id BIGINT "
                 "NOT NULL, t BIGINT NOT NULL, n BIGINT NOT NULL, total REAL NOT NULL, lowest REAL NOT NULL, "
                 "highest REAL NOT NULL, p50 REAL, p95 REAL, p99 REAL, sketch BLOB, PRIMARY KEY (test_id, agent_id, "
                 "metric_id, t)) WITHOUT ROWID"_s,
            &error))
        return fail(error);
    QSqlQuery insert(db.connection());
    insert.prepare(u"INSERT INTO hour_rows (test_id, agent_id, metric_id, t, n, total, lowest, highest, p50, p95, "
                   "p99, sketch) VALUES (?, ?, (SELECT id FROM metrics WHERE name = ?), ?, ?, ?, ?, ?, ?, ?, ?, ?)"_s);
    QSqlQuery insertDay(db.connection());
    insertDay.prepare(u"INSERT INTO rollups_hour_days (test_id, agent_id, metric_id, day, hours) VALUES (?, ?, "
                      "(SELECT id FROM metrics WHERE name = ?), ?, ?)"_s);
    qint64 rows = 0;
    for (const auto &[agentId, testId] : std::as_const(pairs)) {
        for (const bool latency : {true, false}) {
            const QString name = latency ? u"ping.rtt_median_ms"_s : u"ping.loss_pct"_s;
            QList<RollupFigures> day;
            for (qint64 hour = 0; hour < days * 24; ++hour) {
                LatencySketch sketch;
                for (int i = 0; i < 40 && latency; ++i)
                    sketch.add(10.0 + double((hour * 7 + i * 13) % 200) / 10.0, 90);
                RollupFigures figures{fromMs + hour * HOUR_MS, 3600, latency ? 3600 * 20.0 : 3.0, latency ? 10.0 : 0.0,
                    latency ? 30.0 : 1.0, latency ? std::optional(19.0) : std::nullopt,
                    latency ? std::optional(28.0) : std::nullopt, latency ? std::optional(29.5) : std::nullopt,
                    latency ? sketch.toBytes() : QByteArray()};
                const QVariantList values{testId, agentId, name, figures.timeMs, figures.count, figures.total,
                    figures.lowest, figures.highest, latency ? QVariant(19.0) : QVariant(QMetaType::fromType<double>()),
                    latency ? QVariant(28.0) : QVariant(QMetaType::fromType<double>()),
                    latency ? QVariant(29.5) : QVariant(QMetaType::fromType<double>()),
                    latency ? QVariant(figures.sketch) : QVariant(QMetaType::fromType<QByteArray>())};
                for (int i = 0; i < values.size(); ++i)
                    insert.bindValue(i, values.at(i));
                if (!db.exec(insert, &error))
                    return fail(error);
                ++rows;
                day.append(figures);
                if (day.size() == 24) {
                    const qint64 dayMs = HourDay::dayOf(figures.timeMs);
                    const QVariantList dayValues{testId, agentId, name, dayMs, HourDay::encode(dayMs, day)};
                    for (int i = 0; i < dayValues.size(); ++i)
                        insertDay.bindValue(i, dayValues.at(i));
                    if (!db.exec(insertDay, &error))
                        return fail(error);
                    day.clear();
                }
            }
        }
    }
    if (!db.commit(&error))
        return fail(error);
    Bench::print("rows", double(rows));
    Bench::print("seed_s", double(timer.elapsed()) / 1000);
    const qint64 toMs = fromMs + days * DAY_MS;

    QList<double> scans, reads, bucketRuns, chartRuns;
    for (int run = 0; run < 5; ++run) {
        timer.restart();
        {
            QSqlQuery scan(db.connection());
            scan.setForwardOnly(true);
            scan.exec(u"SELECT t, n, total, lowest, highest, sketch FROM hour_rows"_s);
            double sum = 0;
            while (scan.next())
                sum += scan.value(2).toDouble();
            if (sum < 0)
                return fail(u"impossible"_s);
        }
        scans.append(double(timer.nsecsElapsed()) / 1e6);

        timer.restart();
        RollupRepository rollups(db);
        qint64 seen = 0;
        for (const auto &[agentId, testId] : std::as_const(pairs)) {
            for (const QString &name : {u"ping.rtt_median_ms"_s, u"ping.loss_pct"_s}) {
                if (!rollups.forEachTierRow(
                        Resolution::Hour, agentId, testId, name, fromMs, toMs,
                        [&](const RollupRepository::TierRow &) { ++seen; }, &error))
                    return fail(error);
            }
        }
        reads.append(double(timer.nsecsElapsed()) / 1e6);
        if (seen != rows)
            return fail(u"read %1 rows of %2"_s.arg(seen).arg(rows));

        timer.restart();
        SampleRepository samples(db);
        for (const auto &[agentId, testId] : std::as_const(pairs)) {
            const auto buckets = samples.bucketStatistics(agentId, testId, u"ping.rtt_median_ms"_s, fromMs, toMs,
                DAY_MS, 25.0, &error, SampleRepository::Precision::RollupsWhereAligned);
            if (!buckets || buckets->starts.size() != days)
                return fail(buckets ? u"%1 buckets"_s.arg(buckets->starts.size()) : error);
        }
        bucketRuns.append(double(timer.nsecsElapsed()) / 1e6);

        // A chart of the year: about 4000 points a series (2 h buckets, as the window asks), the mean.
        timer.restart();
        for (const auto &[agentId, testId] : std::as_const(pairs)) {
            for (const QString &name : {u"ping.rtt_median_ms"_s, u"ping.loss_pct"_s}) {
                const auto points = samples.bucketedSeries(
                    agentId, testId, name, fromMs, toMs, 2 * HOUR_MS, SeriesAggregate::Mean, &error);
                if (!points || points->times.size() != days * 12)
                    return fail(points ? u"%1 points"_s.arg(points->times.size()) : error);
            }
        }
        chartRuns.append(double(timer.nsecsElapsed()) / 1e6);
    }
    Bench::print("series", double(pairs.size() * 2));
    Bench::print("scan_ms", Bench::median(scans));
    Bench::print("read_ms", Bench::median(reads));
    Bench::print("buckets_ms", Bench::median(bucketRuns));
    Bench::print("chart_ms", Bench::median(chartRuns));
    Bench::print("ratio_read_to_scan", Bench::median(reads) / Bench::median(scans));
    return 0;
}
