// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
//
// SampleRepository: batches of results stored once (replays, out of order, the floor), their events in the same
// transaction, details, and the reads (samples, series, summaries).
#include <cmath>

#include <QCborArray>
#include <QCborMap>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>

#include "console/storage/agentrepository.h"
#include "console/storage/database.h"
#include "console/storage/eventrepository.h"
#include "console/storage/samplerepository.h"
#include "tests/unit/storagefixture.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm;
using namespace StreamSwarm::Console;
using namespace StreamSwarm::Test;

namespace {

// The event log, oldest first, one line per event.
QStringList eventLines(Database &db)
{
    QString error;
    const auto events = EventRepository(db).recent(1000, &error);
    if (!events)
        return {u"ERROR: "_s + error};
    QStringList lines;
    for (const EventRecord &event : *events) {
        lines.prepend(u"%1 %2 %3 %4 %5 %6"_s.arg(event.timeMs)
                          .arg(event.level, event.kind, event.agentName, event.testName, event.message));
    }
    return lines;
}

// PostgreSQL keeps NaN as a value; a constraint makes it refuse one as SQLite does, so that a batch
// can be made to fail half-way on both.
void refuseNaN(Database &db)
{
    QString error;
    if (!db.isSqlite())
        QVERIFY2(db.exec(u"ALTER TABLE samples ADD CONSTRAINT no_nan CHECK (value <> 'NaN'::float8)"_s, &error),
            qPrintable(error));
}

} // namespace

class TestSampleRepository final : public StorageTestCase
{
    Q_OBJECT
private Q_SLOTS:
    void storeResults();
    void duplicateBatches();
    void storeForUnknownAgentSaysWhy();
    void eventsInBatchShareItsTransaction();
    void batchesRow();
    void outOfOrderStoredOnce();
    void floorPrunesReplayProtection();
    void metricsTableUsesCatalogUnits();
    void details();
    void failureEventsStoredWithTheBatch();
    void failedStoreKeepsNoFailureEvent();
    void forEachSample_data();
    void forEachSample();
    void forEachSampleStopsEarly();
    void series();
    void summarize();
};

void TestSampleRepository::storeResults()
{
    Database db;
    QString error;
    QVERIFY2(db.open(url(), u"main"_s, &error), qPrintable(error));
    qint64 alpha = 0, beta = 0, wan = 0, lan = 0;
    QVERIFY2(seed(db, &alpha, &beta, &wan, &lan, &error), qPrintable(error));
    SampleRepository samples(db);

    const auto outcome = store(samples, alpha, 1,
        {round(wan, 1000, {{u"ping.rtt_avg_ms"_s, 1.5}, {u"ping.loss_pct"_s, 0}}),
            round(wan, 2000, {{u"ping.rtt_avg_ms"_s, 2.5}, {u"ping.loss_pct"_s, 50}})},
        &error);
    QVERIFY2(outcome, qPrintable(error));
    QCOMPARE(*outcome, StoreOutcome::Stored);
    QCOMPARE(samples.countSamples(&error).value_or(-1), qint64(4));
    QCOMPARE(column(db, u"SELECT t, value FROM samples ORDER BY t, value"_s),
        (QStringList{u"1000|0"_s, u"1000|1.5"_s, u"2000|2.5"_s, u"2000|50"_s}));
    const auto agent = AgentRepository(db).findById(alpha, &error);
    QCOMPARE(agent->lastSeq, qint64(1));
    QCOMPARE(agent->lastSeenMs, qint64(7777));
    QCOMPARE(AgentRepository(db).findById(beta, &error)->lastSeq, qint64(0));
}

void TestSampleRepository::duplicateBatches()
{
    Database db;
    QString error;
    QVERIFY2(db.open(url(), u"main"_s, &error), qPrintable(error));
    qint64 alpha = 0, beta = 0, wan = 0, lan = 0;
    QVERIFY2(seed(db, &alpha, &beta, &wan, &lan, &error), qPrintable(error));
    SampleRepository samples(db);
    const QList<Protocol::Round> rounds{round(wan, 1000, {{u"ping.rtt_avg_ms"_s, 1.5}})};

    QCOMPARE(store(samples, alpha, 5, rounds, &error), std::optional(StoreOutcome::Stored));
    QCOMPARE(store(samples, alpha, 5, rounds, &error), std::optional(StoreOutcome::Duplicate));
    QCOMPARE(samples.countSamples(&error).value_or(-1), qint64(1));
    // Out of order: 3 was never stored, so it is new; sent again it is a replay.
    QCOMPARE(store(samples, alpha, 3, rounds, &error), std::optional(StoreOutcome::Stored));
    QCOMPARE(store(samples, alpha, 3, rounds, &error), std::optional(StoreOutcome::Duplicate));
    QCOMPARE(samples.countSamples(&error).value_or(-1), qint64(2));
    QCOMPARE(AgentRepository(db).findById(alpha, &error)->lastSeq, qint64(5)); // the high-water mark stays
    // Each agent counts on its own: beta's seq 1 is new.
    QCOMPARE(store(samples, beta, 1, rounds, &error), std::optional(StoreOutcome::Stored));
    QCOMPARE(store(samples, alpha, 6, rounds, &error), std::optional(StoreOutcome::Stored));
    QCOMPARE(samples.countSamples(&error).value_or(-1), qint64(4));
    // A duplicate leaves no transaction open behind it.
    QVERIFY2(db.beginWrite(&error), qPrintable(error));
    db.rollback();
}

void TestSampleRepository::storeForUnknownAgentSaysWhy()
{
    Database db;
    QString error;
    QVERIFY2(db.open(url(), u"main"_s, &error), qPrintable(error));
    SampleRepository samples(db);
    QVERIFY(!store(samples, 999, 1, {round(1, 1000, {{u"ping.sent"_s, 1}})}, &error));
    QVERIFY2(!error.isEmpty(), "storeResults() failed without saying why");
    QCOMPARE(samples.countSamples(&error).value_or(-1), qint64(0));
}

void TestSampleRepository::eventsInBatchShareItsTransaction()
{
    Database db;
    QString error;
    QVERIFY2(db.open(url(), u"main"_s, &error), qPrintable(error));
    qint64 alpha = 0, beta = 0, wan = 0, lan = 0;
    QVERIFY2(seed(db, &alpha, &beta, &wan, &lan, &error), qPrintable(error));
    SampleRepository samples(db);

    Protocol::Results batch{1, {round(wan, 1000, {{u"ping.rtt_avg_ms"_s, 1.5}})},
        {Protocol::Event{900, u"error"_s, u"spool-overflow"_s, u"12 round(s) dropped"_s, 0},
            Protocol::Event{950, u"warning"_s, u"test-refused"_s, u"Zeitüberschreitung"_s, wan}},
        0};
    QCOMPARE(samples.storeResults(alpha, batch, {}, 5000, &error), std::optional(StoreOutcome::Stored));
    const QStringList stored{u"900 error spool-overflow alpha  12 round(s) dropped"_s,
        u"950 warning test-refused alpha wan Zeitüberschreitung"_s};
    QCOMPARE(eventLines(db), stored);

    // A replay stores none of its events again.
    QCOMPARE(samples.storeResults(alpha, batch, {}, 6000, &error), std::optional(StoreOutcome::Duplicate));
    QCOMPARE(eventLines(db), stored);

    // A batch that fails leaves none of its events behind: for an unknown agent...
    batch.seq = 2;
    error.clear();
    QVERIFY(!samples.storeResults(999, batch, {}, 7000, &error));
    QVERIFY2(!error.isEmpty(), "storeResults() failed without saying why");
    QCOMPARE(eventLines(db), stored);
    // ...or half-way (SQLite stores NaN as NULL, which samples.value refuses; PostgreSQL is told to).
    refuseNaN(db);
    Protocol::Results poisoned{2,
        {round(wan, 2000, {{u"ping.rtt_avg_ms"_s, 2}}), round(wan, 3000, {{u"ping.rtt_avg_ms"_s, std::nan("")}})},
        {Protocol::Event{2500, u"info"_s, u"note"_s, u"half-way"_s, 0}}, 0};
    error.clear();
    QVERIFY(!samples.storeResults(alpha, poisoned, {}, 7000, &error));
    QCOMPARE(eventLines(db), stored);
    QCOMPARE(samples.countSamples(&error).value_or(-1), qint64(1));
    QCOMPARE(column(db, u"SELECT seq FROM batches ORDER BY seq"_s), QStringList{u"1"_s});

    // Sent again whole, everything in it is stored, once.
    poisoned.rounds.removeLast();
    QCOMPARE(samples.storeResults(alpha, poisoned, {}, 8000, &error), std::optional(StoreOutcome::Stored));
    QCOMPARE(eventLines(db), stored + QStringList{u"2500 info note alpha  half-way"_s});
    QCOMPARE(samples.countSamples(&error).value_or(-1), qint64(2));
}

void TestSampleRepository::batchesRow()
{
    Database db;
    QString error;
    QVERIFY2(db.open(url(), u"main"_s, &error), qPrintable(error));
    qint64 alpha = 0, beta = 0, wan = 0, lan = 0;
    QVERIFY2(seed(db, &alpha, &beta, &wan, &lan, &error), qPrintable(error));
    SampleRepository samples(db);

    // The agent's measurement times and the console's receive time, side by side.
    const Protocol::Results batch{3,
        {round(wan, 1000, {{u"ping.rtt_avg_ms"_s, 1}}), round(lan, 1500, {{u"ping.rtt_avg_ms"_s, 2}}),
            round(wan, 3000, {{u"ping.rtt_avg_ms"_s, 3}})},
        {}, 0};
    QCOMPARE(samples.storeResults(alpha, batch, {}, 123'456, &error), std::optional(StoreOutcome::Stored));
    const Protocol::Results eventsOnly{4, {}, {Protocol::Event{4000, u"info"_s, u"note"_s, u"hi"_s, 0}}, 0};
    QCOMPARE(samples.storeResults(alpha, eventsOnly, {}, 123'999, &error), std::optional(StoreOutcome::Stored));
    QCOMPARE(samples.storeResults(beta, batch, {}, 130'000, &error), std::optional(StoreOutcome::Stored));

    const QString sql = u"SELECT seq, received_at, rounds, COALESCE(CAST(first_t AS TEXT), 'null'), "
                        "COALESCE(CAST(last_t AS TEXT), 'null') "
                        "FROM batches WHERE agent_id = %1 ORDER BY seq"_s;
    QCOMPARE(column(db, sql.arg(alpha)), (QStringList{u"3|123456|3|1000|3000"_s, u"4|123999|0|null|null"_s}));
    QCOMPARE(column(db, sql.arg(beta)), QStringList{u"3|130000|3|1000|3000"_s});
    // A replay changes nothing, not even the receive time.
    QCOMPARE(samples.storeResults(alpha, batch, {}, 200'000, &error), std::optional(StoreOutcome::Duplicate));
    QCOMPARE(column(db, sql.arg(alpha)), (QStringList{u"3|123456|3|1000|3000"_s, u"4|123999|0|null|null"_s}));
}

void TestSampleRepository::outOfOrderStoredOnce()
{
    Database db;
    QString error;
    QVERIFY2(db.open(url(), u"main"_s, &error), qPrintable(error));
    qint64 alpha = 0, beta = 0, wan = 0, lan = 0;
    QVERIFY2(seed(db, &alpha, &beta, &wan, &lan, &error), qPrintable(error));
    SampleRepository samples(db);

    const QList<std::pair<qint64, StoreOutcome>> sends{{5, StoreOutcome::Stored}, {3, StoreOutcome::Stored},
        {4, StoreOutcome::Stored}, {3, StoreOutcome::Duplicate}, {5, StoreOutcome::Duplicate},
        {1, StoreOutcome::Stored}, {4, StoreOutcome::Duplicate}, {1, StoreOutcome::Duplicate}};
    for (const auto &[seq, outcome] : sends) {
        QCOMPARE(store(samples, alpha, seq, {round(wan, seq * 1000, {{u"ping.sent"_s, double(seq)}})}, &error),
            std::optional(outcome));
    }
    QCOMPARE(column(db, u"SELECT seq FROM batches ORDER BY seq"_s), (QStringList{u"1"_s, u"3"_s, u"4"_s, u"5"_s}));
    QCOMPARE(column(db, u"SELECT t, value FROM samples ORDER BY t"_s),
        (QStringList{u"1000|1"_s, u"3000|3"_s, u"4000|4"_s, u"5000|5"_s}));
    QCOMPARE(AgentRepository(db).findById(alpha, &error)->lastSeq, qint64(5));
}

void TestSampleRepository::floorPrunesReplayProtection()
{
    Database db;
    QString error;
    QVERIFY2(db.open(url(), u"main"_s, &error), qPrintable(error));
    qint64 alpha = 0, beta = 0, wan = 0, lan = 0;
    QVERIFY2(seed(db, &alpha, &beta, &wan, &lan, &error), qPrintable(error));
    SampleRepository samples(db);
    const auto batch = [&](qint64 seq, qint64 floor) {
        return Protocol::Results{seq, {round(wan, seq * 1000, {{u"ping.sent"_s, double(seq)}})}, {}, floor};
    };
    const QString seqsOf = u"SELECT seq FROM batches WHERE agent_id = %1 ORDER BY seq"_s;

    for (qint64 seq = 1; seq <= 5; ++seq)
        QCOMPARE(samples.storeResults(alpha, batch(seq, 0), {}, 1000, &error), std::optional(StoreOutcome::Stored));
    QCOMPARE(samples.storeResults(beta, batch(1, 0), {}, 1000, &error), std::optional(StoreOutcome::Stored));
    QCOMPARE(samples.storeResults(beta, batch(2, 0), {}, 1000, &error), std::optional(StoreOutcome::Stored));
    QCOMPARE(column(db, seqsOf.arg(alpha)), (QStringList{u"1"_s, u"2"_s, u"3"_s, u"4"_s, u"5"_s}));

    // The agent will never send below 4 again: the rows below go, only this agent's.
    QCOMPARE(samples.storeResults(alpha, batch(6, 4), {}, 1000, &error), std::optional(StoreOutcome::Stored));
    QCOMPARE(column(db, seqsOf.arg(alpha)), (QStringList{u"4"_s, u"5"_s, u"6"_s}));
    QCOMPARE(column(db, seqsOf.arg(beta)), (QStringList{u"1"_s, u"2"_s}));
    // Replays at or above the floor are still recognised.
    QCOMPARE(samples.storeResults(alpha, batch(4, 4), {}, 1000, &error), std::optional(StoreOutcome::Duplicate));
    QCOMPARE(samples.storeResults(alpha, batch(5, 4), {}, 1000, &error), std::optional(StoreOutcome::Duplicate));

    // A floor at the batch's own seq: every older row goes, its own (the high-water mark) stays.
    QCOMPARE(samples.storeResults(alpha, batch(7, 7), {}, 1000, &error), std::optional(StoreOutcome::Stored));
    QCOMPARE(column(db, seqsOf.arg(alpha)), QStringList{u"7"_s});
    QCOMPARE(samples.storeResults(alpha, batch(7, 7), {}, 1000, &error), std::optional(StoreOutcome::Duplicate));
    QCOMPARE(AgentRepository(db).findById(alpha, &error)->lastSeq, qint64(7));

    // Below the floor nothing is recognised any more: a replay of 2 would be stored twice. This is
    // why the agent never sends a batch below the floor it reported (its durable ack watermark).
    const qint64 before = samples.countSamples(&error).value_or(-1);
    QCOMPARE(samples.storeResults(alpha, batch(2, 0), {}, 1000, &error), std::optional(StoreOutcome::Stored));
    QCOMPARE(samples.countSamples(&error).value_or(-1), before + 1);
    QCOMPARE(
        column(db, u"SELECT COUNT(*) FROM samples WHERE agent_id = %1 AND t = 2000"_s.arg(alpha)), QStringList{u"2"_s});
    QCOMPARE(AgentRepository(db).findById(alpha, &error)->lastSeq, qint64(7));
}

void TestSampleRepository::metricsTableUsesCatalogUnits()
{
    Database db;
    QString error;
    QVERIFY2(db.open(url(), u"main"_s, &error), qPrintable(error));
    qint64 alpha = 0, beta = 0, wan = 0, lan = 0;
    QVERIFY2(seed(db, &alpha, &beta, &wan, &lan, &error), qPrintable(error));
    SampleRepository samples(db);
    QVERIFY2(store(samples, alpha, 1,
                 {round(wan, 1000, {{u"ping.rtt_avg_ms"_s, 1}, {u"ping.loss_pct"_s, 0}, {u"ping.sent"_s, 1}})}, &error),
        qPrintable(error));
    QVERIFY2(store(samples, beta, 1, {round(wan, 1000, {{u"ping.rtt_avg_ms"_s, 1}})}, &error), qPrintable(error));
    QCOMPARE(column(db, u"SELECT name, unit FROM metrics ORDER BY name"_s),
        (QStringList{u"ping.loss_pct|%"_s, u"ping.rtt_avg_ms|ms"_s, u"ping.sent|count"_s}));

    // A newer agent may report a metric this console's catalog does not know yet.
    error.clear();
    const auto outcome = store(samples, alpha, 2, {round(wan, 2000, {{u"vendor.custom"_s, 7}})}, &error);
    QVERIFY2(outcome, qPrintable(error));
    QCOMPARE(
        column(db, u"SELECT name, unit FROM metrics WHERE name = 'vendor.custom'"_s), QStringList{u"vendor.custom|"_s});
}

void TestSampleRepository::details()
{
    Database db;
    QString error;
    QVERIFY2(db.open(url(), u"main"_s, &error), qPrintable(error));
    qint64 alpha = 0, beta = 0, wan = 0, lan = 0;
    QVERIFY2(seed(db, &alpha, &beta, &wan, &lan, &error), qPrintable(error));
    SampleRepository samples(db);
    Protocol::Round withKind = round(wan, 1000, {});
    Protocol::TracerouteDetail path;
    path.target = u"10.0.0.1"_s;
    path.protocol = u"icmp"_s;
    path.hops = {Protocol::TracerouteHop{1, u"10.0.0.1"_s, {}, 2, 2, 0, false, 0, 0, 0, 0, 0, {}}};
    withKind.detail = path;
    Protocol::Round withoutKind = round(wan, 2000, {});
    withoutKind.detail = Protocol::OtherDetail{QString(), QCborMap{{u"note"_s, u"ü"_s}}};
    QVERIFY2(store(samples, alpha, 1, {withoutKind, withKind}, &error), qPrintable(error));

    // Rows as consoles before typed details stored them (tests/data/storage/details-v1.json).
    QFile fixture(QFINDTESTDATA("../data/storage/details-v1.json"));
    QVERIFY(fixture.open(QIODevice::ReadOnly));
    const QJsonArray stored = QJsonDocument::fromJson(fixture.readAll()).array();
    QSqlQuery insert(db.connection());
    insert.prepare(u"INSERT INTO details (agent_id, test_id, t, kind, body) VALUES (?, ?, ?, ?, ?)"_s);
    for (const QJsonValue &row : stored) {
        insert.addBindValue(beta);
        insert.addBindValue(lan);
        insert.addBindValue(row[u"t"_s].toInteger());
        insert.addBindValue(row[u"kind"_s].toString());
        insert.addBindValue(row[u"body"_s].toString());
        QVERIFY2(insert.exec(), qPrintable(insert.lastError().text()));
    }

    QStringList rows;
    QList<Protocol::RoundDetail> read;
    QVERIFY(samples.forEachDetail(
        SampleFilter{},
        [&](const DetailRow &row) {
            rows.append(u"%1 %2 %3 %4 %5"_s.arg(row.timeMs)
                            .arg(row.agent, row.test, row.record.kind(),
                                QString::fromUtf8(QJsonDocument(row.record.body()).toJson(QJsonDocument::Compact))));
            read.append(row.record.detail);
            return true;
        },
        &error));
    QCOMPARE(rows.size(), 2 + stored.size());
    QCOMPARE(rows.first(),
        u"1000 alpha wan traceroute {\"hops\":[{\"address\":\"10.0.0.1\",\"loss_pct\":0,\"received\":2,\"sent\":2,"
        "\"ttl\":1}],\"kind\":\"traceroute\",\"protocol\":\"icmp\",\"reached\":false,\"route_changed\":false,"
        "\"target\":\"10.0.0.1\"}"_s);
    QCOMPARE(rows.at(1), u"2000 alpha wan detail {\"note\":\"ü\"}"_s);
    // The old rows read as typed details and export exactly as they were stored.
    for (qsizetype i = 0; i < stored.size(); ++i) {
        const QJsonValue row = stored.at(i);
        QCOMPARE(rows.at(2 + i),
            u"%1 beta lan %2 %3"_s.arg(row[u"t"_s].toInteger())
                .arg(row[u"kind"_s].toString(), row[u"body"_s].toString()));
    }
    QVERIFY(read.at(2).get<Protocol::PingDetail>());
    QCOMPARE(read.at(3).get<Protocol::TracerouteDetail>()->hops.size(), 4);
    QCOMPARE(read.at(5).get<Protocol::QosDetail>()->classes.size(), 2);
    QVERIFY(read.at(6).isEmpty());

    const auto latest = samples.latestDetail(alpha, wan, &error);
    QVERIFY2(latest, qPrintable(error));
    QCOMPARE(latest->detail.get<Protocol::OtherDetail>()->fields.value(u"note"_s).toString(), u"ü"_s);
    const auto latestOld = samples.latestDetail(beta, lan, &error);
    QVERIFY2(latestOld, qPrintable(error));
    QVERIFY(latestOld->detail.isEmpty());
    QCOMPARE(latestOld->error, u"Cannot resolve wan.example: host not found"_s);
}

void TestSampleRepository::failureEventsStoredWithTheBatch()
{
    Database db;
    QString error;
    QVERIFY2(db.open(url(), u"main"_s, &error), qPrintable(error));
    qint64 alpha = 0, beta = 0, wan = 0, lan = 0;
    QVERIFY2(seed(db, &alpha, &beta, &wan, &lan, &error), qPrintable(error));
    SampleRepository samples(db);
    const QList<Protocol::MetricValue> lost{{u"ping.loss_pct"_s, 100}};

    // Which rounds deserve an event is the application layer's rule (FailureEvents); storage writes
    // the events it is given with the batch, under the agent that sent it.
    const QList<Protocol::Event> failures{{1000, u"warning"_s, u"probe-error"_s, u"timeout"_s, wan},
        {1000, u"warning"_s, u"probe-error"_s, u"timeout"_s, lan}};
    QCOMPARE(
        samples.storeResults(alpha,
            Protocol::Results{1, {round(wan, 1000, lost, u"timeout"_s), round(lan, 1000, lost, u"timeout"_s)}, {}, 0},
            failures, 7777, &error),
        std::optional(StoreOutcome::Stored));
    // A replay stores nothing, not even the events it is given again.
    QCOMPARE(samples.storeResults(
                 alpha, Protocol::Results{1, {round(wan, 1000, lost, u"timeout"_s)}, {}, 0}, failures, 7777, &error),
        std::optional(StoreOutcome::Duplicate));
    QCOMPARE(eventLines(db),
        (QStringList{
            u"1000 warning probe-error alpha wan timeout"_s, u"1000 warning probe-error alpha lan timeout"_s}));
}

void TestSampleRepository::failedStoreKeepsNoFailureEvent()
{
    Database db;
    QString error;
    QVERIFY2(db.open(url(), u"main"_s, &error), qPrintable(error));
    qint64 alpha = 0, beta = 0, wan = 0, lan = 0;
    QVERIFY2(seed(db, &alpha, &beta, &wan, &lan, &error), qPrintable(error));
    SampleRepository samples(db);
    const Protocol::Round failing = round(wan, 1000, {{u"ping.loss_pct"_s, 100}}, u"timeout"_s);
    const QList<Protocol::Event> failure{{1000, u"warning"_s, u"probe-error"_s, u"timeout"_s, wan}};

    // SQLite stores NaN as NULL, which samples.value refuses: the batch fails half-way and rolls back.
    refuseNaN(db);
    const Protocol::Round poisoned = round(wan, 2000, {{u"ping.rtt_avg_ms"_s, std::nan("")}});
    QVERIFY(!samples.storeResults(alpha, Protocol::Results{1, {failing, poisoned}, {}, 0}, failure, 7777, &error));
    QVERIFY2(error.contains(url().displayName()), qPrintable(error));
    QCOMPARE(samples.countSamples(&error).value_or(-1), qint64(0));
    QCOMPARE(EventRepository(db).recent(10, &error)->size(), 0);
    QCOMPARE(AgentRepository(db).findById(alpha, &error)->lastSeq, qint64(0));

    // The agent sends the batch again (without the bad value): everything in it must now be stored.
    error.clear();
    QCOMPARE(samples.storeResults(alpha, Protocol::Results{1, {failing}, {}, 0}, failure, 7777, &error),
        std::optional(StoreOutcome::Stored));
    QCOMPARE(samples.countSamples(&error).value_or(-1), qint64(1));
    QCOMPARE(eventLines(db), QStringList{u"1000 warning probe-error alpha wan timeout"_s});
}

void TestSampleRepository::forEachSample_data()
{
    QTest::addColumn<QString>("testName");
    QTest::addColumn<QString>("agentName");
    QTest::addColumn<qint64>("fromMs");
    QTest::addColumn<qint64>("toMs");
    QTest::addColumn<QStringList>("expected");

    const QString s1 = u"1000 alpha wan ping.rtt_avg_ms 2 ms"_s;
    const QString s2 = u"1000 beta wan ping.rtt_avg_ms 3 ms"_s;
    const QString s3 = u"2000 alpha lan ping.loss_pct 0 %"_s;
    const QString s4 = u"2000 alpha lan ping.rtt_avg_ms 1 ms"_s;
    const QString s5 = u"3000 beta wan ping.rtt_avg_ms 4 ms"_s;

    QTest::newRow("all, by time, agent, test, metric")
        << QString() << QString() << qint64(0) << qint64(0) << QStringList{s1, s2, s3, s4, s5};
    QTest::newRow("test wan") << u"wan"_s << QString() << qint64(0) << qint64(0) << QStringList{s1, s2, s5};
    QTest::newRow("agent alpha") << QString() << u"alpha"_s << qint64(0) << qint64(0) << QStringList{s1, s3, s4};
    QTest::newRow("from is inclusive") << QString() << QString() << qint64(2000) << qint64(0)
                                       << QStringList{s3, s4, s5};
    QTest::newRow("to is exclusive") << QString() << QString() << qint64(0) << qint64(2000) << QStringList{s1, s2};
    QTest::newRow("window, agent") << QString() << u"beta"_s << qint64(1000) << qint64(3000) << QStringList{s2};
    QTest::newRow("test and agent") << u"wan"_s << u"beta"_s << qint64(0) << qint64(0) << QStringList{s2, s5};
    QTest::newRow("no match") << u"lan"_s << u"beta"_s << qint64(0) << qint64(0) << QStringList{};
    QTest::newRow("unknown agent") << QString() << u"ghost"_s << qint64(0) << qint64(0) << QStringList{};
}

void TestSampleRepository::forEachSample()
{
    QFETCH(QString, testName);
    QFETCH(QString, agentName);
    QFETCH(qint64, fromMs);
    QFETCH(qint64, toMs);
    QFETCH(QStringList, expected);

    Database db;
    QString error;
    QVERIFY2(db.open(url(), u"main"_s, &error), qPrintable(error));
    qint64 alpha = 0, beta = 0, wan = 0, lan = 0;
    QVERIFY2(seed(db, &alpha, &beta, &wan, &lan, &error), qPrintable(error));
    SampleRepository samples(db);
    // Stored out of order on purpose.
    QVERIFY2(
        store(samples, beta, 1,
            {round(wan, 3000, {{u"ping.rtt_avg_ms"_s, 4}}), round(wan, 1000, {{u"ping.rtt_avg_ms"_s, 3}})}, &error),
        qPrintable(error));
    QVERIFY2(store(samples, alpha, 1,
                 {round(lan, 2000, {{u"ping.rtt_avg_ms"_s, 1}, {u"ping.loss_pct"_s, 0}}),
                     round(wan, 1000, {{u"ping.rtt_avg_ms"_s, 2}})},
                 &error),
        qPrintable(error));

    QStringList rows;
    const bool ok = samples.forEachSample(
        SampleFilter{testName, agentName, fromMs, toMs, {}},
        [&](const SampleRow &row) {
            rows.append(u"%1 %2 %3 %4 %5 %6"_s.arg(row.timeMs)
                            .arg(row.agent, row.test, row.metric)
                            .arg(row.value)
                            .arg(row.unit));
            return true;
        },
        &error);
    QVERIFY2(ok, qPrintable(error));
    QCOMPARE(rows, expected);
}

void TestSampleRepository::forEachSampleStopsEarly()
{
    Database db;
    QString error;
    QVERIFY2(db.open(url(), u"main"_s, &error), qPrintable(error));
    qint64 alpha = 0, beta = 0, wan = 0, lan = 0;
    QVERIFY2(seed(db, &alpha, &beta, &wan, &lan, &error), qPrintable(error));
    SampleRepository samples(db);
    QList<Protocol::Round> rounds;
    for (int i = 0; i < 10; ++i)
        rounds.append(round(wan, 1000 * (i + 1), {{u"ping.sent"_s, double(i)}}));
    QVERIFY2(store(samples, alpha, 1, rounds, &error), qPrintable(error));
    QList<double> seen;
    QVERIFY(samples.forEachSample(
        SampleFilter{},
        [&](const SampleRow &row) {
            seen.append(row.value);
            return seen.size() < 3;
        },
        &error));
    QCOMPARE(seen, (QList<double>{0, 1, 2}));
}

void TestSampleRepository::series()
{
    Database db;
    QString error;
    QVERIFY2(db.open(url(), u"main"_s, &error), qPrintable(error));
    qint64 alpha = 0, beta = 0, wan = 0, lan = 0;
    QVERIFY2(seed(db, &alpha, &beta, &wan, &lan, &error), qPrintable(error));
    SampleRepository samples(db);
    QVERIFY2(store(samples, alpha, 1,
                 {round(wan, 3500, {{u"ping.rtt_avg_ms"_s, 4}, {u"ping.loss_pct"_s, 10}}),
                     round(wan, 1000, {{u"ping.rtt_avg_ms"_s, 2}}), round(lan, 2000, {{u"ping.rtt_avg_ms"_s, 9}})},
                 &error),
        qPrintable(error));
    QVERIFY2(store(samples, beta, 1, {round(wan, 2000, {{u"ping.rtt_avg_ms"_s, 7}})}, &error), qPrintable(error));

    auto result = samples.series(alpha, wan, u"ping.rtt_avg_ms"_s, 0, 0, &error);
    QVERIFY2(result, qPrintable(error));
    QCOMPARE(result->times, (QList<double>{1.0, 3.5})); // seconds since the epoch
    QCOMPARE(result->values, (QList<double>{2, 4}));

    result = samples.series(alpha, wan, u"ping.rtt_avg_ms"_s, 1001, 0, &error);
    QCOMPARE(result->times, (QList<double>{3.5}));
    QCOMPARE(result->values, (QList<double>{4}));
    result = samples.series(alpha, wan, u"ping.rtt_avg_ms"_s, 0, 3500, &error); // up to, not including
    QCOMPARE(result->times, (QList<double>{1.0}));

    result = samples.series(alpha, wan, u"ping.loss_pct"_s, 0, 0, &error);
    QCOMPARE(result->values, (QList<double>{10}));
    result = samples.series(alpha, wan, u"ping.jitter_ms"_s, 0, 0, &error);
    QVERIFY(result && result->times.isEmpty() && result->values.isEmpty());
}

void TestSampleRepository::summarize()
{
    Database db;
    QString error;
    QVERIFY2(db.open(url(), u"main"_s, &error), qPrintable(error));
    qint64 alpha = 0, beta = 0, wan = 0, lan = 0;
    QVERIFY2(seed(db, &alpha, &beta, &wan, &lan, &error), qPrintable(error));
    SampleRepository samples(db);
    QVERIFY2(store(samples, alpha, 1,
                 {round(wan, 1000,
                      {{u"ping.rtt_min_ms"_s, 1}, {u"ping.rtt_avg_ms"_s, 2}, {u"ping.rtt_max_ms"_s, 3},
                          {u"ping.loss_pct"_s, 0}}),
                     round(wan, 2000,
                         {{u"ping.rtt_min_ms"_s, 0.5}, {u"ping.rtt_avg_ms"_s, 4}, {u"ping.rtt_max_ms"_s, 10},
                             {u"ping.loss_pct"_s, 50}})},
                 &error),
        qPrintable(error));
    QVERIFY2(store(samples, beta, 1, {round(wan, 1000, {{u"ping.loss_pct"_s, 100}})}, &error), qPrintable(error));

    auto summary = samples.summarize(SampleFilter{}, &error);
    QVERIFY2(summary, qPrintable(error));
    QCOMPARE(summary->size(), 2);
    const SeriesSummary &a = summary->at(0);
    QCOMPARE(a.agent, u"alpha"_s);
    QCOMPARE(a.test, u"wan"_s);
    QCOMPARE(a.type, u"ping"_s);
    QCOMPARE(a.samples, qint64(8));
    QCOMPARE(a.rounds, qint64(2));
    QCOMPARE(a.rttMin, std::optional(0.5)); // min of 1 and 0.5
    QCOMPARE(a.rttAvg, std::optional(3.0)); // mean of 2 and 4
    QCOMPARE(a.rttMax, std::optional(10.0));
    QCOMPARE(a.lossAvg, std::optional(25.0)); // mean of 0 and 50
    const SeriesSummary &b = summary->at(1);
    QCOMPARE(b.agent, u"beta"_s);
    QCOMPARE(b.samples, qint64(1));
    QCOMPARE(b.rounds, qint64(1));
    QVERIFY(!b.rttMin && !b.rttAvg && !b.rttMax);
    QCOMPARE(b.lossAvg, std::optional(100.0));

    summary = samples.summarize(SampleFilter{QString(), QString(), 2000, 0, {}}, &error);
    QCOMPARE(summary->size(), 1);
    QCOMPARE(summary->first().rttAvg, std::optional(4.0));
    QCOMPARE(summary->first().rounds, qint64(1));
    summary = samples.summarize(SampleFilter{u"wan"_s, u"beta"_s, 0, 0, {}}, &error);
    QCOMPARE(summary->size(), 1);
    QCOMPARE(summary->first().agent, u"beta"_s);
}

QTEST_GUILESS_MAIN(TestSampleRepository)
#include "tst_samplerepository.moc"
