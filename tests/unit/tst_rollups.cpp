// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
//
// Rollups per minute and per hour, made from stored samples, and retention per tier; on SQLite and
// (tst_rollups_postgres) on PostgreSQL, where samples are kept in day partitions.
#include <cmath>

#include <QDeadlineTimer>
#include <QRegularExpression>
#include <QSqlQuery>
#include <QTest>

#include "console/storage/database.h"
#include "console/storage/retention.h"
#include "console/storage/rollups.h"
#include "console/storage/samplerepository.h"
#include "tests/unit/storagefixture.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm;
using namespace StreamSwarm::Console;
using namespace StreamSwarm::Test;

namespace {

constexpr qint64 MINUTE = 60'000;
constexpr qint64 HOUR = 3'600'000;
constexpr qint64 DAY = 86'400'000;
// 2026-12-01T00:00:00Z: whole days, hours and minutes from here.
constexpr qint64 START = 1'796'083'200'000;

// The textbook quantile between the two nearest ranks, written out here as the known truth.
double linearQuantile(QList<double> values, double q)
{
    std::sort(values.begin(), values.end());
    const double position = q * double(values.size() - 1);
    const auto below = qsizetype(position);
    const auto above = std::min(below + 1, values.size() - 1);
    return values[below] + (values[above] - values[below]) * (position - double(below));
}

} // namespace

class TestRollups final : public StorageTestCase
{
    Q_OBJECT
private Q_SLOTS:
    void minuteFromRawSamples();
    void minuteWaitsUntilItIsOver();
    void lateRoundsRollUpAgain();
    void hourFromMinutes();
    void hoursOfAnOlderDatabaseArePacked();
    void damagedDayIsLeftOutAndMadeAnew();
    void exportRowsResolveNames();
    void hourExportIsInTimeOrderAcrossSeries();
    void bucketsFromRollupsAndSamples_data();
    void bucketsFromRollupsAndSamples();
    void chartSeriesFromRollupsAndSamples();
    void retentionPolicyChecks();
    void retentionRemovesEachTier();
    void retentionKeepsWhatIsNotRolledUp();
    void postgresKeepsSamplesInDayPartitions();

private:
    bool open(Database &db, QString *error);
    // One round a second for seconds, from fromMs: rtt(i) and a loss of 0.
    bool storeSeconds(SampleRepository &samples, qint64 agentId, qint64 testId, qint64 *seq, qint64 fromMs, int seconds,
        const std::function<double(int)> &rtt, QString *error);
    // Rolls up everything due at nowMs.
    bool rollUpAll(Database &db, qint64 nowMs, QString *error);

    qint64 m_alpha = 0, m_beta = 0, m_wan = 0, m_lan = 0;
};

bool TestRollups::open(Database &db, QString *error)
{
    return db.open(url(), u"main"_s, error) && seed(db, &m_alpha, &m_beta, &m_wan, &m_lan, error);
}

bool TestRollups::storeSeconds(SampleRepository &samples, qint64 agentId, qint64 testId, qint64 *seq, qint64 fromMs,
    int seconds, const std::function<double(int)> &rtt, QString *error)
{
    // Batches of up to a minute of rounds, stored when their last round is done.
    for (int first = 0; first < seconds; first += 60) {
        QList<Protocol::Round> rounds;
        for (int i = first; i < std::min(first + 60, seconds); ++i)
            rounds.append(
                round(testId, fromMs + i * 1000, {{u"ping.rtt_avg_ms"_s, rtt(i)}, {u"ping.loss_pct"_s, 0.0}}));
        const auto outcome = samples.storeResults(
            agentId, Protocol::Results{++*seq, rounds, {}, 0}, {}, fromMs + first * 1000 + 60'000, error);
        if (outcome != StoreOutcome::Stored)
            return false;
    }
    return true;
}

bool TestRollups::rollUpAll(Database &db, qint64 nowMs, QString *error)
{
    RollupRepository rollups(db);
    for (int guard = 0; guard < 10'000; ++guard) {
        const auto minutes = rollups.rollUpMinutes(nowMs, 50, error);
        const auto hours = minutes ? rollups.rollUpHours(nowMs, 50, error) : std::nullopt;
        if (!minutes || !hours)
            return false;
        if (*minutes == 0 && *hours == 0)
            return true;
    }
    *error = u"rollups did not finish"_s;
    return false;
}

void TestRollups::minuteFromRawSamples()
{
    Database db;
    QString error;
    QVERIFY2(open(db, &error), qPrintable(error));
    SampleRepository samples(db);
    qint64 seq = 0;
    // Minute 0: 1..60 ms in a shuffled order; minute 1: 100 ms flat. beta: 7 ms in minute 0.
    const auto shuffled = [](int i) {
        return double((i * 37) % 60 + 1);
    };
    QVERIFY2(storeSeconds(samples, m_alpha, m_wan, &seq, START, 60, shuffled, &error), qPrintable(error));
    QVERIFY2(storeSeconds(
                 samples, m_alpha, m_wan, &seq, START + MINUTE, 60, [](int) { return 100.0; }, &error),
        qPrintable(error));
    qint64 betaSeq = 0;
    QVERIFY2(storeSeconds(
                 samples, m_beta, m_wan, &betaSeq, START, 60, [](int) { return 7.0; }, &error),
        qPrintable(error));

    RollupRepository rollups(db);
    QCOMPARE(rollups.rollUpMinutes(START + 2 * MINUTE + RollupRepository::GRACE_MS, 100, &error), std::optional(2));
    QList<double> minute0;
    for (int i = 0; i < 60; ++i)
        minute0.append(shuffled(i));
    const QString rtt = u"(SELECT id FROM metrics WHERE name = 'ping.rtt_avg_ms')"_s;
    QCOMPARE(column(db,
                 u"SELECT t, n, total, lowest, highest FROM rollups_minute WHERE agent_id = %1 AND metric_id = %2 "
                 "ORDER BY t"_s.arg(m_alpha)
                     .arg(rtt)),
        (QStringList{u"%1|60|1830|1|60"_s.arg(START), u"%1|60|6000|100|100"_s.arg(START + MINUTE)}));
    const QStringList percentiles = column(db,
        u"SELECT p50, p95, p99 FROM rollups_minute WHERE agent_id = %1 AND metric_id = %2 AND t = %3"_s.arg(m_alpha)
            .arg(rtt)
            .arg(START));
    QCOMPARE(percentiles.size(), 1);
    const QStringList figures = percentiles.first().split(u'|');
    QCOMPARE(figures.at(0).toDouble(), linearQuantile(minute0, 0.50)); // exact from the raw values: 30.5
    QCOMPARE(figures.at(1).toDouble(), linearQuantile(minute0, 0.95)); // 57.05
    QCOMPARE(figures.at(2).toDouble(), linearQuantile(minute0, 0.99)); // 59.41
    // Loss is not a latency: no percentiles.
    QCOMPARE(column(db,
                 u"SELECT n, CASE WHEN p50 IS NULL AND sketch IS NULL THEN 'none' END FROM rollups_minute WHERE "
                 u"agent_id = %1 AND t = %2 AND "
                 "metric_id = (SELECT id FROM metrics WHERE name = 'ping.loss_pct')"_s.arg(m_alpha)
                     .arg(START)),
        (QStringList{u"60|none"_s}));
    QCOMPARE(
        column(db,
            u"SELECT n, lowest, highest FROM rollups_minute WHERE agent_id = %1 AND metric_id = %2"_s.arg(m_beta).arg(
                rtt)),
        QStringList{u"60|7|7"_s});
    QCOMPARE(rollups.pendingCount(&error), std::optional<qint64>(2)); // alpha's and beta's hour, not yet due
}

void TestRollups::minuteWaitsUntilItIsOver()
{
    Database db;
    QString error;
    QVERIFY2(open(db, &error), qPrintable(error));
    SampleRepository samples(db);
    qint64 seq = 0;
    QVERIFY2(storeSeconds(
                 samples, m_alpha, m_wan, &seq, START, 30, [](int) { return 5.0; }, &error),
        qPrintable(error));
    RollupRepository rollups(db);
    // Rounds may still come for a minute until it is over and a grace has passed.
    QCOMPARE(rollups.rollUpMinutes(START + MINUTE + RollupRepository::GRACE_MS - 1, 100, &error), std::optional(0));
    QCOMPARE(column(db, u"SELECT COUNT(*) FROM rollups_minute"_s), QStringList{u"0"_s});
    QCOMPARE(rollups.rollUpMinutes(START + MINUTE + RollupRepository::GRACE_MS, 100, &error), std::optional(1));
    QCOMPARE(column(db, u"SELECT COUNT(*) FROM rollups_minute"_s), QStringList{u"2"_s});
}

void TestRollups::lateRoundsRollUpAgain()
{
    Database db;
    QString error;
    QVERIFY2(open(db, &error), qPrintable(error));
    SampleRepository samples(db);
    qint64 seq = 0;
    QVERIFY2(storeSeconds(
                 samples, m_alpha, m_wan, &seq, START, 30, [](int) { return 5.0; }, &error),
        qPrintable(error));
    QVERIFY2(rollUpAll(db, START + 2 * HOUR, &error), qPrintable(error));
    const QString query = u"SELECT n, highest FROM %1 WHERE metric_id = (SELECT id FROM metrics WHERE name = "
                          "'ping.rtt_avg_ms')"_s;
    QCOMPARE(column(db, query.arg(u"rollups_minute"_s)), QStringList{u"30|5"_s});
    QCOMPARE(hourRollups(db, u"ping.rtt_avg_ms"_s).size(), 1);
    QVERIFY(hourRollups(db, u"ping.rtt_avg_ms"_s).constFirst().startsWith(u"%1|30|5|5|"_s.arg(START)));

    // The second half of the minute arrives an hour late (an agent that was cut off, its spool sent).
    QList<Protocol::Round> late;
    for (int i = 30; i < 60; ++i)
        late.append(round(m_wan, START + i * 1000, {{u"ping.rtt_avg_ms"_s, 9.0}}));
    QCOMPARE(samples.storeResults(m_alpha, Protocol::Results{++seq, late, {}, 0}, {}, START + 2 * HOUR, &error),
        std::optional(StoreOutcome::Stored));
    QVERIFY2(rollUpAll(db, START + 3 * HOUR, &error), qPrintable(error));
    QCOMPARE(column(db, query.arg(u"rollups_minute"_s)), QStringList{u"60|9"_s});
    QCOMPARE(hourRollups(db, u"ping.rtt_avg_ms"_s).size(), 1);
    QVERIFY(hourRollups(db, u"ping.rtt_avg_ms"_s).constFirst().startsWith(u"%1|60|5|9|"_s.arg(START)));
    QCOMPARE(RollupRepository(db).pendingCount(&error), std::optional<qint64>(0));
}

void TestRollups::hourFromMinutes()
{
    Database db;
    QString error;
    QVERIFY2(open(db, &error), qPrintable(error));
    SampleRepository samples(db);
    qint64 seq = 0;
    // Two hours of a latency that varies over three orders of magnitude.
    const auto rtt = [](int i) {
        return 0.5 * std::exp(double((i * 7919) % 3600) / 500.0);
    };
    QVERIFY2(storeSeconds(samples, m_alpha, m_wan, &seq, START, 7200, rtt, &error), qPrintable(error));
    QVERIFY2(rollUpAll(db, START + 3 * HOUR, &error), qPrintable(error));

    QList<double> firstHour;
    for (int i = 0; i < 3600; ++i)
        firstHour.append(rtt(i));
    const QStringList rows = hourRollups(db, u"ping.rtt_avg_ms"_s);
    QCOMPARE(rows.size(), 2);
    const QStringList figures = rows.first().split(u'|');
    QCOMPARE(figures.at(0).toLongLong(), START);
    QCOMPARE(figures.at(1).toLongLong(), qint64(3600));
    QCOMPARE(figures.at(2).toDouble(), *std::min_element(firstHour.cbegin(), firstHour.cend()));
    QCOMPARE(figures.at(3).toDouble(), *std::max_element(firstHour.cbegin(), firstHour.cend()));
    // From the minutes' sketches: within 1 % of a value measured at that rank (+1 % for the rank's
    // neighbour, where the textbook definition interpolates).
    for (const auto &[column, q] : {std::pair{4, 0.50}, std::pair{5, 0.95}, std::pair{6, 0.99}}) {
        const double truth = linearQuantile(firstHour, q);
        const double stored = figures.at(column).toDouble();
        QVERIFY2(std::abs(stored - truth) <= 0.02 * truth,
            qPrintable(u"p%1: %2 against %3"_s.arg(q * 100).arg(stored).arg(truth)));
    }
    QCOMPARE(column(db,
                 u"SELECT COUNT(*) FROM rollups_minute WHERE metric_id = "
                 "(SELECT id FROM metrics WHERE name = 'ping.rtt_avg_ms')"_s),
        QStringList{u"120"_s});
}

void TestRollups::hoursOfAnOlderDatabaseArePacked()
{
    // Two days of hourly rollups as schema 9 kept them, a row an hour; opening the database packs
    // them a day a row, and every figure and sketch reads back the same.
    QString error;
    QStringList before;
    QList<QByteArray> sketches;
    const auto readSketches = [&](Database &db) {
        QList<QByteArray> read;
        const bool done = RollupRepository(db).forEachTierRow(
            Resolution::Hour, m_alpha, m_wan, u"ping.rtt_avg_ms"_s, 0, START + 10 * DAY,
            [&](const RollupRepository::TierRow &row) {
                read.append(QByteArray(row.sketch.data(), row.sketch.size()));
            },
            &error);
        return done ? read : QList<QByteArray>{"ERROR"};
    };
    {
        Database db;
        QVERIFY2(open(db, &error), qPrintable(error));
        SampleRepository samples(db);
        qint64 seq = 0;
        for (const qint64 from : {START, START + DAY - HOUR, START + DAY + 5 * HOUR}) {
            QVERIFY2(storeSeconds(
                         samples, m_alpha, m_wan, &seq, from, 120, [](int i) { return 1.0 + i % 17; }, &error),
                qPrintable(error));
        }
        QVERIFY2(rollUpAll(db, START + 3 * DAY, &error), qPrintable(error));
        before = hourRollups(db);
        sketches = readSketches(db);
        QCOMPARE(before.size(), 6); // three hours, two metrics
        QCOMPARE(sketches.size(), 3);
        QVERIFY(!sketches.constFirst().isEmpty());

        const QString real = onPostgres() ? u"DOUBLE PRECISION"_s : u"REAL"_s;
        QVERIFY2(
            db.exec(u"CREATE TABLE rollups_hour (test_id BIGINT NOT NULL, agent_id BIGINT NOT NULL, "
                    "metric_id BIGINT NOT NULL, t BIGINT NOT NULL, n BIGINT NOT NULL, total %1 NOT NULL, "
                    "lowest %1 NOT NULL, highest %1 NOT NULL, p50 %1, p95 %1, p99 %1, sketch %2, "
                    "PRIMARY KEY (test_id, agent_id, metric_id, t))"_s.arg(real, onPostgres() ? u"BYTEA"_s : u"BLOB"_s),
                &error),
            qPrintable(error));
        QSqlQuery insert(db.connection());
        insert.prepare(u"INSERT INTO rollups_hour VALUES (?, ?, (SELECT id FROM metrics WHERE name = ?), ?, ?, ?, "
                       "?, ?, ?, ?, ?, ?)"_s);
        // Read first, then written: PostgreSQL's driver drops a result still being read.
        QList<RollupRow> rows;
        QVERIFY2(RollupRepository(db).forEachRollup(
                     Resolution::Hour, SampleFilter(),
                     [&](const RollupRow &row) {
                         rows.append(row);
                         return true;
                     },
                     &error),
            qPrintable(error));
        qsizetype latencyRow = 0;
        for (const RollupRow &row : std::as_const(rows)) {
            const bool latency = row.metric == u"ping.rtt_avg_ms"_s;
            const QVariantList values{m_wan, m_alpha, row.metric, row.timeMs, row.count, row.mean * double(row.count),
                row.lowest, row.highest, row.p50 ? QVariant(*row.p50) : QVariant(QMetaType::fromType<double>()),
                row.p95 ? QVariant(*row.p95) : QVariant(QMetaType::fromType<double>()),
                row.p99 ? QVariant(*row.p99) : QVariant(QMetaType::fromType<double>()),
                latency ? QVariant(sketches.value(latencyRow++)) : QVariant(QMetaType::fromType<QByteArray>())};
            for (int i = 0; i < values.size(); ++i)
                insert.bindValue(i, values.at(i));
            QVERIFY2(db.exec(insert, &error), qPrintable(error));
        }
        QVERIFY2(dropSchema11(db, &error) && db.exec(u"DROP TABLE rollups_hour_days"_s, &error)
                && db.exec(u"UPDATE schema_version SET "
                           "version = 9"_s,
                    &error),
            qPrintable(error));
    }
    Database db;
    QVERIFY2(db.open(url(), u"main"_s, &error), qPrintable(error));
    QCOMPARE(column(db, u"SELECT COUNT(*) FROM rollups_hour_days"_s), QStringList{u"4"_s}); // 2 days, 2 metrics
    QCOMPARE(hourRollups(db), before);
    QCOMPARE(readSketches(db), sketches);
}

void TestRollups::damagedDayIsLeftOutAndMadeAnew()
{
    // A day row whose bytes are not a packed day (a damaged disk, a hand edit) costs that day only:
    // the others read, a warning says so, and rolling the day up again makes it whole.
    Database db;
    QString error;
    QVERIFY2(open(db, &error), qPrintable(error));
    SampleRepository samples(db);
    qint64 seq = 0;
    for (const qint64 from : {START, START + DAY})
        QVERIFY2(storeSeconds(
                     samples, m_alpha, m_wan, &seq, from, 60, [](int) { return 4.0; }, &error),
            qPrintable(error));
    QVERIFY2(rollUpAll(db, START + 2 * DAY, &error), qPrintable(error));
    QCOMPARE(hourRollups(db, u"ping.rtt_avg_ms"_s).size(), 2);
    QVERIFY2(db.exec(u"UPDATE rollups_hour_days SET hours = %1 WHERE day = %2"_s
                         .arg(onPostgres() ? u"'\\x0203'::bytea"_s : u"X'0203'"_s)
                         .arg(START),
                 &error),
        qPrintable(error));
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"damaged and was left out"_s));
    const QStringList left = hourRollups(db, u"ping.rtt_avg_ms"_s);
    QCOMPARE(left.size(), 1);
    QVERIFY(left.constFirst().startsWith(QString::number(START + DAY)));

    // Late rounds for the damaged day: its row is made anew from what is rolled up.
    QList<Protocol::Round> late{round(m_wan, START + 30 * MINUTE, {{u"ping.rtt_avg_ms"_s, 6.0}})};
    QCOMPARE(samples.storeResults(m_alpha, Protocol::Results{++seq, late, {}, 0}, {}, START + 2 * DAY, &error),
        std::optional(StoreOutcome::Stored));
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"damaged and is made anew"_s));
    QVERIFY2(rollUpAll(db, START + 3 * DAY, &error), qPrintable(error));
    const QStringList mended = hourRollups(db, u"ping.rtt_avg_ms"_s);
    QCOMPARE(mended.size(), 2);
    QVERIFY2(mended.constFirst().startsWith(u"%1|61|4|6|"_s.arg(START)), qPrintable(mended.constFirst()));
}

void TestRollups::exportRowsResolveNames()
{
    Database db;
    QString error;
    QVERIFY2(open(db, &error), qPrintable(error));
    SampleRepository samples(db);
    qint64 seq = 0;
    QVERIFY2(storeSeconds(
                 samples, m_alpha, m_lan, &seq, START, 120, [](int i) { return i < 60 ? 2.0 : 4.0; }, &error),
        qPrintable(error));
    QVERIFY2(rollUpAll(db, START + 2 * HOUR, &error), qPrintable(error));
    RollupRepository rollups(db);
    QStringList lines;
    SampleFilter filter;
    filter.testName = u"lan"_s;
    filter.fromMs = START + MINUTE;
    QVERIFY2(rollups.forEachRollup(
                 Resolution::Minute, filter,
                 [&](const RollupRow &row) {
                     lines.append(u"%1 %2 %3 %4 %5 n=%6 mean=%7 p95=%8"_s.arg(row.timeMs - START)
                                      .arg(row.agent, row.test, row.metric, row.unit)
                                      .arg(row.count)
                                      .arg(row.mean)
                                      .arg(row.p95 ? QString::number(*row.p95) : u"-"_s));
                     return true;
                 },
                 &error),
        qPrintable(error));
    QCOMPARE(lines,
        (QStringList{u"60000 alpha lan ping.loss_pct % n=60 mean=0 p95=-"_s,
            u"60000 alpha lan ping.rtt_avg_ms ms n=60 mean=4 p95=4"_s}));
    lines.clear();
    filter.fromMs = 0;
    QVERIFY2(rollups.forEachRollup(
                 Resolution::Hour, filter,
                 [&](const RollupRow &row) {
                     lines.append(u"%1 %2 %3"_s.arg(row.metric).arg(row.count).arg(row.mean));
                     return true;
                 },
                 &error),
        qPrintable(error));
    QCOMPARE(lines, (QStringList{u"ping.loss_pct 120 0"_s, u"ping.rtt_avg_ms 120 3"_s}));
}

void TestRollups::hourExportIsInTimeOrderAcrossSeries()
{
    // Hours are kept a day a row per series; the export still lists them hour by hour, each hour's
    // series in name order, and only the hours asked for.
    Database db;
    QString error;
    QVERIFY2(open(db, &error), qPrintable(error));
    SampleRepository samples(db);
    qint64 alphaSeq = 0, betaSeq = 0;
    for (int hour = 0; hour < 3; ++hour) {
        QVERIFY2(
            storeSeconds(
                samples, m_beta, m_lan, &betaSeq, START + hour * HOUR, 10, [&](int) { return 10.0 + hour; }, &error),
            qPrintable(error));
        QVERIFY2(
            storeSeconds(
                samples, m_alpha, m_lan, &alphaSeq, START + hour * HOUR, 10, [&](int) { return 20.0 + hour; }, &error),
            qPrintable(error));
    }
    QVERIFY2(rollUpAll(db, START + 4 * HOUR, &error), qPrintable(error));
    const auto exported = [&](qint64 fromMs, qint64 toMs) {
        SampleFilter filter;
        filter.fromMs = fromMs;
        filter.toMs = toMs;
        QStringList lines;
        const bool done = RollupRepository(db).forEachRollup(
            Resolution::Hour, filter,
            [&](const RollupRow &row) {
                if (row.metric == u"ping.rtt_avg_ms"_s)
                    lines.append(u"%1 %2 %3"_s.arg((row.timeMs - START) / HOUR).arg(row.agent).arg(row.mean));
                return true;
            },
            &error);
        return done ? lines : QStringList{error};
    };
    QCOMPARE(exported(0, 0),
        (QStringList{
            u"0 alpha 20"_s, u"0 beta 10"_s, u"1 alpha 21"_s, u"1 beta 11"_s, u"2 alpha 22"_s, u"2 beta 12"_s}));
    QCOMPARE(exported(START + HOUR, START + 2 * HOUR), (QStringList{u"1 alpha 21"_s, u"1 beta 11"_s}));
    QCOMPARE(exported(START + HOUR + 1, 0), (QStringList{u"2 alpha 22"_s, u"2 beta 12"_s}));
}

void TestRollups::bucketsFromRollupsAndSamples_data()
{
    QTest::addColumn<qint64>("bucketMs");
    QTest::addColumn<bool>("exact");
    QTest::newRow("hours, from hour rollups and samples") << HOUR << false;
    QTest::newRow("half hours, from minute rollups and samples") << 30 * MINUTE << false;
    QTest::newRow("90 s: not whole minutes, every sample") << 90'000LL << false;
    QTest::newRow("hours, exact") << HOUR << true;
}

void TestRollups::bucketsFromRollupsAndSamples()
{
    QFETCH(qint64, bucketMs);
    QFETCH(bool, exact);
    Database db;
    QString error;
    QVERIFY2(open(db, &error), qPrintable(error));
    SampleRepository samples(db);
    qint64 seq = 0;
    // Three hours of rounds around a 20 ms target; the console rolled up what was due 5 min into
    // the third hour, so the rest is read from the samples.
    const auto rtt = [](int i) {
        return 5.0 + double((i * 7919) % 3000) / 100.0;
    }; // 5..35 ms
    QVERIFY2(storeSeconds(samples, m_alpha, m_wan, &seq, START, 3 * 3600, rtt, &error), qPrintable(error));
    QVERIFY2(rollUpAll(db, START + 2 * HOUR + 5 * MINUTE, &error), qPrintable(error));
    constexpr double target = 20.0;
    const auto statistics
        = samples.bucketStatistics(m_alpha, m_wan, u"ping.rtt_avg_ms"_s, START, START + 3 * HOUR, bucketMs, target,
            &error, exact ? SampleRepository::Precision::Exact : SampleRepository::Precision::RollupsWhereAligned);
    QVERIFY2(statistics, qPrintable(error));
    const qint64 buckets = 3 * HOUR / bucketMs;
    QCOMPARE(statistics->starts.size(), buckets);
    for (qint64 b = 0; b < buckets; ++b) {
        // The truth, from the rounds as they were made.
        qint64 count = 0, below = 0, nearTarget = 0;
        double sum = 0, lowest = 1e9, highest = -1e9;
        for (qint64 i = b * bucketMs / 1000; i < (b + 1) * bucketMs / 1000; ++i) {
            const double value = rtt(int(i));
            ++count;
            sum += value;
            lowest = std::min(lowest, value);
            highest = std::max(highest, value);
            below += value <= target ? 1 : 0;
            nearTarget += std::abs(value / target - 1.0) <= 0.021 ? 1 : 0; // the sketch's bin around it
        }
        const QString where = u"bucket %1"_s.arg(b);
        QCOMPARE(statistics->starts.at(b), START + b * bucketMs);
        QCOMPARE(statistics->counts.at(b), count);
        QVERIFY2(std::abs(statistics->means.at(b) - sum / double(count)) < 1e-9, qPrintable(where));
        QCOMPARE(statistics->lowest.at(b), lowest);
        QCOMPARE(statistics->highest.at(b), highest);
        // Exact from samples; from a rollup's sketch within the values of the target's own bin.
        // (Rolled up by then: hours 0 and 1; minutes up to 2:04, the last due at 2:05 less the grace.)
        const qint64 rolledUp = bucketMs % HOUR == 0 ? 2 * HOUR : 2 * HOUR + 4 * MINUTE;
        const bool fromSketch = !exact && bucketMs % MINUTE == 0 && b * bucketMs < rolledUp;
        if (fromSketch)
            QVERIFY2(std::abs(statistics->atOrBelow.at(b) - below) <= nearTarget,
                qPrintable(u"%1: %2 at or below the target, truly %3"_s.arg(where)
                               .arg(statistics->atOrBelow.at(b))
                               .arg(below)));
        else
            QCOMPARE(statistics->atOrBelow.at(b), below);
    }
}

void TestRollups::chartSeriesFromRollupsAndSamples()
{
    Database db;
    QString error;
    QVERIFY2(open(db, &error), qPrintable(error));
    SampleRepository samples(db);
    qint64 seq = 0;
    const auto rtt = [](int i) {
        return 5.0 + double((i * 7919) % 3000) / 100.0;
    };
    QVERIFY2(storeSeconds(samples, m_alpha, m_wan, &seq, START, 3 * 3600, rtt, &error), qPrintable(error));
    QVERIFY2(rollUpAll(db, START + 2 * HOUR + 5 * MINUTE, &error), qPrintable(error));
    // From 10 min into the first hour (samples, then hour rollups, then samples after 2:00).
    const qint64 fromMs = START + 10 * MINUTE;
    for (const SeriesAggregate aggregate : {SeriesAggregate::Mean, SeriesAggregate::Lowest, SeriesAggregate::Highest}) {
        const auto series = samples.bucketedSeries(
            m_alpha, m_wan, u"ping.rtt_avg_ms"_s, fromMs, START + 3 * HOUR, HOUR, aggregate, &error);
        QVERIFY2(series, qPrintable(error));
        QCOMPARE(series->times.size(), 3);
        for (int hour = 0; hour < 3; ++hour) {
            double sum = 0, lowest = 1e9, highest = -1e9;
            int count = 0;
            for (int i = hour * 3600; i < (hour + 1) * 3600; ++i) {
                if (START + i * 1000 < fromMs)
                    continue;
                sum += rtt(i);
                lowest = std::min(lowest, rtt(i));
                highest = std::max(highest, rtt(i));
                ++count;
            }
            const double truth = aggregate == SeriesAggregate::Lowest ? lowest
                : aggregate == SeriesAggregate::Highest               ? highest
                                                                      : sum / count;
            QCOMPARE(series->times.at(hour), double(START + hour * HOUR + HOUR / 2) / 1000.0);
            QVERIFY2(std::abs(series->values.at(hour) - truth) < 1e-9,
                qPrintable(u"hour %1: %2 against %3"_s.arg(hour).arg(series->values.at(hour)).arg(truth)));
        }
    }
}

void TestRollups::retentionPolicyChecks()
{
    Database db;
    QString error;
    QVERIFY2(open(db, &error), qPrintable(error));
    RetentionRepository retention(db);
    const auto defaults = retention.policy(&error);
    QVERIFY2(defaults, qPrintable(error));
    QCOMPARE(defaults->rawMs, 30 * DAY);
    QCOMPARE(defaults->minuteMs, 365 * DAY);
    QCOMPARE(defaults->hourMs, 5 * 365 * DAY);

    RetentionPolicy shorter{7 * DAY, 90 * DAY, 0};
    QVERIFY2(retention.setPolicy(shorter, &error), qPrintable(error));
    const auto stored = retention.policy(&error);
    QVERIFY2(stored, qPrintable(error));
    QCOMPARE(stored->rawMs, 7 * DAY);
    QCOMPARE(stored->minuteMs, 90 * DAY);
    QCOMPARE(stored->hourMs, qint64(0));

    QVERIFY(!retention.setPolicy({30 * DAY, 7 * DAY, 0}, &error));
    QVERIFY2(error.contains(u"at least as long"_s), qPrintable(error));
    QVERIFY(!retention.setPolicy({HOUR, 7 * DAY, 0}, &error));
    QVERIFY2(error.contains(u"at least a day"_s), qPrintable(error));
    QVERIFY(!retention.setPolicy({0, 7 * DAY, 0}, &error)); // raw for ever, its rollups not
    QCOMPARE(retention.policy(&error)->rawMs, 7 * DAY); // unchanged by the refusals
}

void TestRollups::retentionRemovesEachTier()
{
    Database db;
    QString error;
    QVERIFY2(open(db, &error), qPrintable(error));
    SampleRepository samples(db);
    qint64 seq = 0;
    // Ten minutes on each of days 0, 5 and 9 from START.
    for (const int day : {0, 5, 9})
        QVERIFY2(storeSeconds(
                     samples, m_alpha, m_wan, &seq, START + day * DAY, 600, [](int) { return 3.0; }, &error),
            qPrintable(error));
    const qint64 now = START + 10 * DAY;
    QVERIFY2(rollUpAll(db, now, &error), qPrintable(error));
    const QString perDay = u"SELECT (t - %1) / %2, COUNT(*) FROM %3 GROUP BY (t - %1) / %2 ORDER BY 1"_s;
    const auto days = [&](const QString &table) {
        return column(db, perDay.arg(START).arg(DAY).arg(table));
    };
    QCOMPARE(days(u"samples"_s), (QStringList{u"0|1200"_s, u"5|1200"_s, u"9|1200"_s}));

    // Raw for 3 days, minutes for 6, hours for 8: day 9 keeps everything, day 5 (5 days old) its
    // rollups only, and day 0 (10 days old) loses every tier.
    RetentionRepository retention(db);
    QVERIFY2(retention.setPolicy({3 * DAY, 6 * DAY, 8 * DAY}, &error), qPrintable(error));
    const auto run = retention.enforce(*retention.policy(&error), now, QDeadlineTimer(30'000), &error);
    QVERIFY2(run, qPrintable(error));
    QVERIFY(!run->more);
    QCOMPARE(days(u"samples"_s), QStringList{u"9|1200"_s});
    QCOMPARE(days(u"rollups_minute"_s), (QStringList{u"5|20"_s, u"9|20"_s}));
    QMap<qint64, int> hoursPerDay;
    for (const QString &hour : hourRollups(db))
        ++hoursPerDay[(hour.section(u'|', 0, 0).toLongLong() - START) / DAY];
    QCOMPARE(hoursPerDay, (QMap<qint64, int>{{5, 2}, {9, 2}}));
    if (onPostgres()) {
        QCOMPARE(run->partitions, 2); // days 0 and 5 went whole
        QCOMPARE(run->rawRows, qint64(0)); // there were no details
    } else {
        QCOMPARE(run->rawRows, qint64(2400));
    }
    QCOMPARE(run->rollupRows, qint64(20 + 2)); // day 0's minutes and its day of hours, of two metrics

    // Ingest goes on for the days kept, and retention run again finds nothing more.
    QVERIFY2(storeSeconds(
                 samples, m_alpha, m_wan, &seq, now - MINUTE, 10, [](int) { return 3.0; }, &error),
        qPrintable(error));
    const auto again = retention.enforce(*retention.policy(&error), now, QDeadlineTimer(30'000), &error);
    QVERIFY2(again, qPrintable(error));
    QCOMPARE(again->rawRows + again->rollupRows + again->partitions, qint64(0));
}

void TestRollups::retentionKeepsWhatIsNotRolledUp()
{
    Database db;
    QString error;
    QVERIFY2(open(db, &error), qPrintable(error));
    SampleRepository samples(db);
    qint64 seq = 0;
    QVERIFY2(storeSeconds(
                 samples, m_alpha, m_wan, &seq, START, 60, [](int) { return 3.0; }, &error),
        qPrintable(error));
    // Forty days later, nothing rolled up yet (the console was off): the raw data stays for it.
    RetentionRepository retention(db);
    const qint64 now = START + 40 * DAY;
    auto run = retention.enforce(RetentionPolicy(), now, QDeadlineTimer(30'000), &error);
    QVERIFY2(run, qPrintable(error));
    QCOMPARE(column(db, u"SELECT COUNT(*) FROM samples"_s), QStringList{u"120"_s});
    QVERIFY2(rollUpAll(db, now, &error), qPrintable(error));
    run = retention.enforce(RetentionPolicy(), now, QDeadlineTimer(30'000), &error);
    QVERIFY2(run, qPrintable(error));
    QCOMPARE(column(db, u"SELECT COUNT(*) FROM samples"_s), QStringList{u"0"_s});
    qint64 rolledUp = 0;
    for (const QString &hour : hourRollups(db))
        rolledUp += hour.section(u'|', 1, 1).toLongLong();
    QCOMPARE(rolledUp, qint64(120));
}

void TestRollups::postgresKeepsSamplesInDayPartitions()
{
    if (!onPostgres())
        QSKIP("PostgreSQL only: SQLite keeps samples in one table.");
    Database db;
    QString error;
    QVERIFY2(open(db, &error), qPrintable(error));
    SampleRepository samples(db);
    qint64 seq = 0;
    // Across midnight: the rounds land in two day partitions.
    QVERIFY2(storeSeconds(
                 samples, m_alpha, m_wan, &seq, START + DAY - 5'000, 10, [](int) { return 3.0; }, &error),
        qPrintable(error));
    const QString day = QString::number(START / DAY);
    const QString next = QString::number(START / DAY + 1);
    QCOMPARE(column(db,
                 u"SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p "
                 "ON p.oid = i.inhparent WHERE p.relname = 'samples' ORDER BY 1"_s),
        (QStringList{u"samples_d"_s + day, u"samples_d"_s + next}));
    QCOMPARE(column(db, u"SELECT COUNT(*) FROM samples_d"_s + day), QStringList{u"10"_s});
    QCOMPARE(column(db, u"SELECT COUNT(*) FROM samples_d"_s + next), QStringList{u"10"_s});
    QCOMPARE(SampleRepository::partitionName(START + DAY), u"samples_d"_s + next);
    QCOMPARE(SampleRepository::partitionName(-1), u"samples_dm1"_s);
}

QTEST_GUILESS_MAIN(TestRollups)
#include "tst_rollups.moc"
