// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include <cmath>

#include <QAbstractItemModelTester>
#include <QDateTime>
#include <QSignalSpy>
#include <QTest>

#include "console/models/agentlistmodel.h"
#include "console/models/agenttreemodel.h"
#include "console/models/chartseriesmodel.h"
#include "console/models/detailmodel.h"
#include "console/models/healthsummary.h"
#include "console/models/pathhistory.h"
#include "console/models/pathmodel.h"
#include "console/models/testlistmodel.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm;
using namespace StreamSwarm::Console;

namespace {

constexpr qint64 NOW_MS = 1'780'000'000'000;

AgentRecord agent(qint64 id, const QString &name, bool online, bool revoked = false)
{
    AgentRecord record;
    record.id = id;
    record.name = name;
    record.host = name + u".example.net"_s;
    record.os = u"Debian GNU/Linux 12"_s;
    record.version = u"0.1.0"_s;
    record.online = online;
    record.revoked = revoked;
    record.lastSeenMs = online ? NOW_MS : 0;
    return record;
}

TestRecord test(qint64 id, const QString &name, qint64 intervalMs, const QStringList &agents)
{
    TestRecord record;
    record.id = id;
    record.name = name;
    record.type = u"ping"_s;
    record.target = u"192.0.2.%1"_s.arg(id);
    record.intervalMs = intervalMs;
    record.agentNames = agents;
    record.allAgents = agents.isEmpty();
    record.createdAtMs = NOW_MS - 60'000;
    return record;
}

constexpr qint64 EDGE = 1;
constexpr qint64 CORE = 2;
constexpr qint64 PING = 10;
constexpr qint64 TRACE = 11;

ChartMetrics pingChart()
{
    ChartMetrics metrics;
    metrics.line = u"ping.rtt_avg_ms"_s;
    metrics.minimum = u"ping.rtt_min_ms"_s;
    metrics.maximum = u"ping.rtt_max_ms"_s;
    metrics.loss = u"ping.loss_pct"_s;
    metrics.lineName = u"Average RTT"_s;
    metrics.lossName = u"Loss"_s;
    return metrics;
}

Protocol::Round pingRound(qint64 testId, qint64 timeMs, double avg, double loss = 0)
{
    Protocol::Round round;
    round.testId = testId;
    round.timeMs = timeMs;
    round.values = {{u"ping.loss_pct"_s, loss}};
    if (!std::isnan(avg))
        round.values += {{u"ping.rtt_min_ms"_s, avg - 1}, {u"ping.rtt_avg_ms"_s, avg}, {u"ping.rtt_max_ms"_s, avg + 1}};
    return round;
}

Series series(const QList<double> &times, const QList<double> &values)
{
    return Series{times, values};
}

// "time line min max loss" per row, "-" where a row has no value.
QStringList rows(const ChartSeriesModel &model)
{
    QStringList lines;
    for (int row = 0; row < model.rowCount(); ++row) {
        QStringList cells;
        for (int column = 0; column <= ChartSeriesModel::Loss; ++column) { // the spread has tests of its own
            const QVariant value = model.index(row, column).data();
            cells.append(value.isValid() ? QString::number(value.toDouble()) : u"-"_s);
        }
        lines.append(cells.join(u' '));
    }
    return lines;
}

Protocol::TracerouteDetail path(int hops, int lossTtl, double lastMs)
{
    Protocol::TracerouteDetail detail;
    for (int ttl = 1; ttl <= hops; ++ttl) {
        Protocol::TracerouteHop hop;
        hop.ttl = ttl;
        hop.address = u"10.0.0.%1"_s.arg(ttl);
        hop.sent = 10;
        hop.received = ttl >= lossTtl ? 8 : 10;
        hop.lossPct = ttl >= lossTtl ? 20.0 : 0.0;
        hop.hasRtt = true;
        hop.lastMs = ttl == hops ? lastMs : double(ttl);
        hop.avgMs = double(ttl);
        hop.bestMs = double(ttl);
        hop.worstMs = double(ttl);
        hop.stddevMs = 0.1;
        detail.hops.append(hop);
    }
    detail.target = u"10.0.0.9"_s;
    detail.reached = true;
    detail.lossHop = Protocol::HopStep{lossTtl, u"10.0.0.%1"_s.arg(lossTtl), 20.0};
    detail.rateLimited = {1};
    return detail;
}

// The hops of a path detail; -1 for any other detail.
qsizetype hopsOf(const Protocol::RoundDetail &detail)
{
    const auto *path = detail.get<Protocol::TracerouteDetail>();
    return path ? path->hops.size() : -1;
}

QString text(const QAbstractItemModel &model, int row, int column)
{
    return model.index(row, column).data().toString();
}

QStringList column(const QAbstractItemModel &model, int column)
{
    QStringList texts;
    for (int row = 0; row < model.rowCount(); ++row)
        texts.append(text(model, row, column));
    return texts;
}

} // namespace

class TestModels final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void agentsFollowSnapshots();
    void agentTexts();
    void testsFollowSnapshots();
    void testTexts();
    void chartMergesHistoryAndLiveRounds();
    void chartFollowsOneInstance();
    void chartDropsAStaleHistory();
    void chartKeepsTheNewestPath();
    void chartForgetsRowsOlderThanADay();
    void chartReadsPhasesFromHistoryAndLiveRounds();
    void pathRowsAndMarks();
    void pathHistoryTellsChangesFromFlaps();
    void chartCarriesTheSpread();
    void agentTreeGroupsByTag();
    void healthSummaryRanksAgentsAndPaths();
    void httpDetailSaysWhatAnswered();
    void wirelessDetailSaysWhereTheHostIs();
    void hardwareDetailListsDrivesAndWhatIsMissing();
    void voiceDetailShowsEveryInput();
    void bandwidthDetailShowsWhatWasAskedAndCounted();
    void bandwidthChartsLossOnlyOverUdp();
};

void TestModels::agentsFollowSnapshots()
{
    AgentListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    QSignalSpy changes(&model, &QAbstractItemModel::dataChanged);
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.columnCount(), int(AgentListModel::ColumnCount));

    const AgentRecord a = agent(1, u"alpha"_s, true);
    const AgentRecord b = agent(2, u"bravo"_s, false);
    const AgentRecord c = agent(3, u"charlie"_s, false, true);

    model.setAgents({a}); // grow from empty
    QCOMPARE(column(model, AgentListModel::Name), QStringList({u"alpha"_s}));
    model.setAgents({a, b, c}); // grow
    QCOMPARE(column(model, AgentListModel::Name), QStringList({u"alpha"_s, u"bravo"_s, u"charlie"_s}));
    QCOMPARE(resets.count(), 2);

    // The same rows again: updated in place, so a selection in the view survives.
    AgentRecord bOnline = b;
    bOnline.online = true;
    model.setAgents({a, bOnline, c});
    QCOMPARE(resets.count(), 2);
    QCOMPARE(changes.count(), 1);
    QCOMPARE(text(model, 1, AgentListModel::Status), u"online"_s);

    model.setAgents({c, a, bOnline}); // reordered
    QCOMPARE(column(model, AgentListModel::Name), QStringList({u"charlie"_s, u"alpha"_s, u"bravo"_s}));
    QCOMPARE(model.index(0, 0).data(AgentListModel::AgentIdRole).toLongLong(), 3);
    model.setAgents({a}); // shrink
    QCOMPARE(column(model, AgentListModel::Name), QStringList({u"alpha"_s}));
    model.setAgents({}); // to empty
    QCOMPARE(model.rowCount(), 0);
    model.setAgents({}); // identical and empty
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(resets.count(), 5);
}

void TestModels::agentTexts()
{
    AgentListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setAgents({agent(1, u"alpha"_s, true), agent(2, u"bravo"_s, false), agent(3, u"charlie"_s, false, true)});

    QCOMPARE(column(model, AgentListModel::Status), QStringList({u"online"_s, u"offline"_s, u"revoked"_s}));
    QCOMPARE(text(model, 0, AgentListModel::Host), u"alpha.example.net"_s);
    QCOMPARE(text(model, 0, AgentListModel::Os), u"Debian GNU/Linux 12"_s);
    QCOMPARE(text(model, 1, AgentListModel::LastSeen), u"never"_s);
    QVERIFY(!text(model, 0, AgentListModel::LastSeen).isEmpty());
    QVERIFY(text(model, 0, AgentListModel::LastSeen) != u"never"_s);
    QCOMPARE(model.index(0, 0).data(AgentListModel::OnlineRole).toBool(), true);
    QCOMPARE(model.index(1, 0).data(AgentListModel::OnlineRole).toBool(), false);
    QVERIFY(model.index(0, AgentListModel::Name).data(Qt::ToolTipRole).toString().contains(u"0.1.0"_s));

    QCOMPARE(model.headerData(AgentListModel::Name, Qt::Horizontal).toString(), u"Agent"_s);
    QCOMPARE(model.headerData(AgentListModel::Status, Qt::Horizontal).toString(), u"Status"_s);
    QCOMPARE(model.headerData(AgentListModel::LastSeen, Qt::Horizontal).toString(), u"Last seen"_s);
    QVERIFY(!model.headerData(0, Qt::Vertical).isValid());
}

void TestModels::testsFollowSnapshots()
{
    TestListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    QSignalSpy changes(&model, &QAbstractItemModel::dataChanged);
    QCOMPARE(model.columnCount(), int(TestListModel::ColumnCount));

    const TestRecord one = test(1, u"ping-one"_s, 1000, {u"alpha"_s});
    const TestRecord two = test(2, u"ping-two"_s, 500, {u"alpha"_s, u"bravo"_s});
    const TestRecord three = test(3, u"ping-all"_s, 60'000, {});

    model.setTests({one}, NOW_MS);
    model.setTests({one, two, three}, NOW_MS);
    QCOMPARE(column(model, TestListModel::Name), QStringList({u"ping-one"_s, u"ping-two"_s, u"ping-all"_s}));
    QCOMPARE(resets.count(), 2);

    model.setTests({one, two, three}, NOW_MS + 1000); // identical: the clock moved, rows stay
    QCOMPARE(resets.count(), 2);
    QCOMPARE(changes.count(), 1);

    model.setTests({three, one, two}, NOW_MS);
    QCOMPARE(column(model, TestListModel::Name), QStringList({u"ping-all"_s, u"ping-one"_s, u"ping-two"_s}));
    QCOMPARE(model.index(0, 0).data(TestListModel::TestIdRole).toLongLong(), 3);
    model.setTests({two}, NOW_MS);
    QCOMPARE(column(model, TestListModel::Name), QStringList({u"ping-two"_s}));
    model.setTests({}, NOW_MS);
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(resets.count(), 5);
}

void TestModels::testTexts()
{
    TestListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    TestRecord timed = test(2, u"ping-short"_s, 500, {u"alpha"_s, u"bravo"_s});
    timed.durationMs = 30'000; // ended 30 s before NOW_MS
    TestRecord stopped = test(3, u"ping-stopped"_s, 60'000, {});
    stopped.stoppedAtMs = NOW_MS - 1000;
    model.setTests({test(1, u"ping-one"_s, 1000, {u"alpha"_s}), timed, stopped}, NOW_MS);

    QCOMPARE(column(model, TestListModel::Type), QStringList({u"ping"_s, u"ping"_s, u"ping"_s}));
    QCOMPARE(column(model, TestListModel::Target), QStringList({u"192.0.2.1"_s, u"192.0.2.2"_s, u"192.0.2.3"_s}));
    QCOMPARE(column(model, TestListModel::Interval), QStringList({u"1s"_s, u"500ms"_s, u"1m"_s}));
    QCOMPARE(column(model, TestListModel::State), QStringList({u"running"_s, u"finished"_s, u"stopped"_s}));
    QCOMPARE(column(model, TestListModel::Agents), QStringList({u"alpha"_s, u"alpha, bravo"_s, u"all"_s}));
    QCOMPARE(model.index(0, 0).data(TestListModel::TestTypeRole).toString(), u"ping"_s);
    QCOMPARE(model.headerData(TestListModel::Interval, Qt::Horizontal).toString(), u"Every"_s);
}

void TestModels::chartMergesHistoryAndLiveRounds()
{
    ChartSeriesModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QVERIFY(!model.isCharting());
    model.addRounds(EDGE, {pingRound(PING, 1000, 5)}); // charting nothing: ignored

    const quint64 generation = model.start(EDGE, PING, pingChart());
    QVERIFY(model.isCharting());
    QVERIFY(model.isLoading());
    QCOMPARE(model.historyMetrics(),
        (QStringList{u"ping.rtt_avg_ms"_s, u"ping.rtt_min_ms"_s, u"ping.rtt_max_ms"_s, u"ping.loss_pct"_s, QString()}));
    QCOMPARE(model.headerData(ChartSeriesModel::Line, Qt::Horizontal).toString(), u"Average RTT"_s);

    // Live rounds while the history loads wait for it; other agents' and tests' rounds are not ours.
    model.addRounds(EDGE, {pingRound(PING, 5000, 9), pingRound(TRACE, 5000, 1)});
    model.addRounds(CORE, {pingRound(PING, 6000, 1)});
    model.addRounds(EDGE, {pingRound(PING, 3000, 7)}); // the history holds this one already
    QCOMPARE(model.rowCount(), 0);

    // Each series has its own times: round 4 has loss but no RTT (nothing came back).
    QVERIFY(model.setHistory(generation,
        {series({1, 2, 3}, {5, 6, 7}), series({1, 3}, {4, 6}), series({1, 3}, {6, 8}),
            series({1, 2, 3, 4}, {0, 0, 0, 100})},
        {}));
    QVERIFY(!model.isLoading());
    QCOMPARE(
        rows(model), (QStringList{u"1 5 4 6 0"_s, u"2 6 - - 0"_s, u"3 7 6 8 0"_s, u"4 - - - 100"_s, u"5 9 8 10 0"_s}));
    QCOMPARE(inserted.count(), 0); // one reset, not a row at a time
    QCOMPARE(model.latest().timeSec, 5.0);
    QCOMPARE(model.series(ChartSeriesModel::Minimum).times, (QList<double>{1, 3, 5}));
    QCOMPARE(model.series(ChartSeriesModel::Loss).values, (QList<double>{0, 0, 0, 100, 0}));

    // Live from now on: appended in time order, never twice what the history read.
    model.addRounds(
        EDGE, {pingRound(PING, 7000, 11), pingRound(PING, 2500, 1), pingRound(PING, 6000, std::nan(""), 100)});
    QCOMPARE(rows(model),
        (QStringList{u"1 5 4 6 0"_s, u"2 6 - - 0"_s, u"3 7 6 8 0"_s, u"4 - - - 100"_s, u"5 9 8 10 0"_s,
            u"6 - - - 100"_s, u"7 11 10 12 0"_s}));
    QCOMPARE(inserted.count(), 2);
    QCOMPARE(model.latest().line, 11.0);
    QVERIFY(!model.setHistory(generation, {}, {})); // a second answer changes nothing

    model.clear();
    QCOMPARE(model.rowCount(), 0);
    QVERIFY(!model.isCharting());
    model.addRounds(EDGE, {pingRound(PING, 8000, 1)});
    QCOMPARE(model.rowCount(), 0);
}

void TestModels::chartDropsAStaleHistory()
{
    ChartSeriesModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const quint64 first = model.start(EDGE, PING, pingChart());
    const quint64 second = model.start(CORE, PING, pingChart()); // the user picked another agent meanwhile
    QVERIFY(!model.setHistory(first, {series({1}, {5})}, {}));
    QVERIFY(model.isLoading());
    QCOMPARE(model.rowCount(), 0);
    QVERIFY(model.setHistory(second, {series({2}, {6})}, {}));
    QCOMPARE(rows(model), QStringList{u"2 6 - - -"_s});
    const quint64 third = model.start(EDGE, PING, pingChart());
    model.clear();
    QVERIFY(!model.setHistory(third, {series({3}, {7})}, {}));
    QCOMPARE(model.rowCount(), 0);
}

void TestModels::chartKeepsTheNewestPath()
{
    ChartMetrics trace;
    trace.line = u"traceroute.dest_rtt_ms"_s;
    trace.pathTable = true;
    ChartSeriesModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy paths(&model, &ChartSeriesModel::detailChanged);

    quint64 generation = model.start(EDGE, TRACE, trace);
    const Protocol::RoundDetail stored = path(3, 2, 30);
    QVERIFY(model.setHistory(generation, {series({1}, {30})}, stored));
    QCOMPARE(paths.count(), 1);
    QCOMPARE(hopsOf(model.latestDetail()), 3);

    Protocol::Round live;
    live.testId = TRACE;
    live.timeMs = 2000;
    live.values = {{u"traceroute.dest_rtt_ms"_s, 31}};
    live.detail = path(4, 3, 31);
    model.addRounds(EDGE, {live});
    QCOMPARE(paths.count(), 2);
    QCOMPARE(hopsOf(paths.last().at(0).value<Protocol::RoundDetail>()), 4);

    // A live path that came while the history loaded is newer than the stored one.
    generation = model.start(EDGE, TRACE, trace);
    QCOMPARE(paths.count(), 3);
    QVERIFY(model.latestDetail().isEmpty());
    live.detail = path(5, 3, 32);
    model.addRounds(EDGE, {live});
    QVERIFY(model.setHistory(generation, {series({1}, {30})}, stored));
    QCOMPARE(hopsOf(model.latestDetail()), 5);

    // A test without a path table keeps none.
    generation = model.start(EDGE, PING, pingChart());
    QVERIFY(model.setHistory(generation, {}, stored));
    QVERIFY(model.latestDetail().isEmpty());
}

// The stacked phase bar's figures: each phase's cumulative time from the stored history (series after
// the four of the line, band and loss) and from live rounds; a phase a round lacks stays NaN.
void TestModels::chartReadsPhasesFromHistoryAndLiveRounds()
{
    ChartMetrics web;
    web.line = u"http.total_ms"_s;
    web.phases = {u"http.dns_ms"_s, u"http.connect_ms"_s, u"http.tls_ms"_s, u"http.ttfb_ms"_s, u"http.total_ms"_s};
    ChartSeriesModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const quint64 generation = model.start(EDGE, PING, web);
    QCOMPARE(model.historyMetrics(),
        QStringList({u"http.total_ms"_s, QString(), QString(), QString(), QString(), u"http.dns_ms"_s,
            u"http.connect_ms"_s, u"http.tls_ms"_s, u"http.ttfb_ms"_s, u"http.total_ms"_s}));
    const Series none;
    // Round 1 over TLS, round 2 plain HTTP (no TLS phase).
    QVERIFY(model.setHistory(generation,
        {series({1, 2}, {50, 30}), none, none, none, none, series({1, 2}, {1, 2}), series({1, 2}, {3, 4}),
            series({1}, {10}), series({1, 2}, {45, 25}), series({1, 2}, {50, 30})},
        {}));
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.point(0).phases, QList<double>({1, 3, 10, 45, 50}));
    QCOMPARE(model.point(1).phases.size(), 5);
    QVERIFY(std::isnan(model.point(1).phases.at(2)));
    QCOMPARE(model.point(1).phases.at(3), 25.0);

    Protocol::Round live;
    live.testId = PING;
    live.timeMs = 3000;
    live.values = {{u"http.dns_ms"_s, 0.5}, {u"http.connect_ms"_s, 0.7}, {u"http.tls_ms"_s, 4}, {u"http.ttfb_ms"_s, 41},
        {u"http.total_ms"_s, 42}};
    model.addRounds(EDGE, {live});
    QCOMPARE(model.point(2).phases, QList<double>({0.5, 0.7, 4, 41, 42}));
    QCOMPARE(model.point(2).line, 42.0);
    const QList<Series> phases = model.phaseSeries();
    QCOMPARE(phases.size(), 5);
    QCOMPARE(phases.at(2).times, QList<double>({1, 3})); // the TLS phase: not in the plain round
    QCOMPARE(phases.at(0).values, QList<double>({1, 2, 0.5}));
}

// A metric measured per interface: the chart follows the instance the history holds, and live rounds
// of other interfaces do not mix into it.
void TestModels::chartFollowsOneInstance()
{
    ChartMetrics wifi;
    wifi.line = u"wifi.signal_dbm_avg"_s;
    wifi.minimum = u"wifi.signal_dbm_min"_s;
    ChartSeriesModel model;
    const quint64 generation = model.start(EDGE, PING, wifi);
    QVERIFY(model.setHistory(generation, {series({1}, {-60}), series({1}, {-65})}, {}, u"wlan1"_s));
    QCOMPARE(model.instance(), u"wlan1"_s);
    Protocol::Round live;
    live.testId = PING;
    live.timeMs = 2000;
    live.values = {{u"wifi.signal_dbm_avg{if=wlan0}"_s, -40}, {u"wifi.signal_dbm_avg{if=wlan1}"_s, -62},
        {u"wifi.signal_dbm_min{if=wlan1}"_s, -66}, {u"wifi.signal_dbm_min{if=wlan0}"_s, -41}};
    model.addRounds(EDGE, {live});
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.point(1).line, -62.0);
    QCOMPARE(model.point(1).minimum, -66.0);

    // Without a history, the first instance seen is followed.
    const quint64 again = model.start(EDGE, PING, wifi);
    QVERIFY(model.setHistory(again, {Series(), Series()}, {}));
    model.addRounds(EDGE, {live});
    QCOMPARE(model.instance(), u"wlan0"_s);
    QCOMPARE(model.point(0).line, -40.0);
    QCOMPARE(model.point(0).minimum, -41.0);
}

void TestModels::chartForgetsRowsOlderThanADay()
{
    ChartSeriesModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    constexpr double DAY = ChartSeriesModel::MAX_AGE_SECONDS;
    QVERIFY(model.setHistory(model.start(EDGE, PING, pingChart()), {series({100, 200, 300}, {1, 2, 3})}, {}));
    model.addRounds(EDGE, {pingRound(PING, qint64((DAY + 250) * 1000), 4)});
    QCOMPARE(removed.count(), 1);
    QCOMPARE(model.series(ChartSeriesModel::Line).times, (QList<double>{300, DAY + 250}));
}

void TestModels::pathRowsAndMarks()
{
    PathModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.columnCount(), int(PathModel::ColumnCount));
    model.setDetail(path(4, 3, 12.345));
    QCOMPARE(model.rowCount(), 4);
    QCOMPARE(text(model, 0, PathModel::Host), u"10.0.0.1"_s);
    QCOMPARE(text(model, 2, PathModel::Loss), u"20.0"_s);
    QCOMPARE(text(model, 3, PathModel::Last), u"12.3"_s);
    const auto mark = [&](int row, int column) {
        return model.index(row, column).data(PathModel::MarkRole).value<PathModel::Mark>();
    };
    QCOMPARE(mark(0, PathModel::Loss), PathModel::Mark::Muted); // hop 1 limits its replies
    QCOMPARE(mark(2, PathModel::Loss), PathModel::Mark::Alarm); // loss starts at hop 3
    QCOMPARE(mark(3, PathModel::Loss), PathModel::Mark::None);
    QCOMPARE(mark(2, PathModel::Host), PathModel::Mark::None);
    QVERIFY(model.index(2, PathModel::Loss).data(Qt::ToolTipRole).toString().startsWith(u"Loss starts here"_s));
    QVERIFY(!model.index(0, 0).data(Qt::ForegroundRole).isValid()); // colours are the window's business
    QCOMPARE(model.summary(), u"Reached 10.0.0.9 in 4 hops. Loss starts at hop 3 (10.0.0.3)."_s);

    model.setDetail(path(2, 2, 1));
    QCOMPARE(model.rowCount(), 2);
    model.setDetail(Protocol::PingDetail{});
    QCOMPARE(model.rowCount(), 0);
    QVERIFY(model.summary().isEmpty());
    model.setDetail(path(3, 2, 1));
    model.clear();
    QCOMPARE(model.rowCount(), 0);
}

void TestModels::httpDetailSaysWhatAnswered()
{
    DetailModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    Protocol::HttpDetail http;
    http.url = u"https://cdn.example/clip?q=720p"_s;
    http.finalUrl = u"https://edge.example/clip?q=720p"_s;
    http.method = u"GET"_s;
    http.version = u"2"_s;
    http.status = 200;
    http.redirects = {http.finalUrl};
    http.address = u"192.0.2.7"_s;
    http.port = 443;
    http.tlsVersion = u"TLSv1.3"_s;
    http.cipher = u"TLS_AES_256_GCM_SHA384"_s;
    Protocol::CertificateSummary leaf;
    leaf.subject = u"CN=edge.example"_s;
    leaf.issuer = u"CN=Example CA"_s;
    leaf.names = u"DNS:edge.example"_s;
    http.chain = {leaf};
    http.trusted = false;
    http.validation = u"the certificate expired 3 days ago (on 2026-12-03)"_s;
    model.setDetail(http);
    QCOMPARE(model.summary(),
        u"HTTP/2 200 from 192.0.2.7 port 443, redirects followed: 1, to https://edge.example/clip?q=720p, TLSv1.3, "
        "TLS_AES_256_GCM_SHA384. The certificate is not trusted: the certificate expired 3 days ago (on 2026-12-03)."_s);
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.index(0, 0).data().toString(), u"edge.example"_s);

    Protocol::HttpDetail plain;
    plain.url = u"http://no-such-host.invalid/"_s;
    plain.method = u"GET"_s;
    model.setDetail(plain);
    QCOMPARE(model.summary(), u"No answer from http://no-such-host.invalid/."_s);
    QCOMPARE(model.rowCount(), 0);
}

void TestModels::wirelessDetailSaysWhereTheHostIs()
{
    DetailModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    Protocol::WirelessDetail wifi;
    wifi.interfaceName = u"wlan0"_s;
    wifi.connected = true;
    wifi.ssid = u"Harbour Lab"_s;
    wifi.bssid = u"02:11:22:33:44:66"_s;
    wifi.previousBssid = u"02:11:22:33:44:55"_s;
    wifi.frequencyMhz = 5180;
    wifi.channel = 36;
    wifi.channelWidthMhz = 80;
    wifi.signalDbm = {-52, -50};
    wifi.txBitrateMbps = 866.7;
    model.setDetail(wifi);
    QCOMPARE(model.summary(),
        u"wlan0 is connected to \"Harbour Lab\" through access point 02:11:22:33:44:66 on channel 36. It moved here "
        "from access point 02:11:22:33:44:55 since the round before."_s);
    // A row per figure the round has: no noise, no RX rate, no power, no address here.
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.index(0, 1).data().toString(), u"5180 MHz, 80 MHz wide"_s);
    QCOMPARE(model.index(1, 1).data().toString(), u"-52, -50 dBm"_s);
    QCOMPARE(model.index(2, 1).data().toString(), u"866.7 Mbit/s"_s);

    Protocol::WirelessDetail none;
    none.unavailable = u"Wi-Fi is not available: this host has no Wi-Fi interface."_s;
    model.setDetail(none);
    QCOMPARE(model.summary(), none.unavailable);
    QCOMPARE(model.rowCount(), 0);
}

void TestModels::hardwareDetailListsDrivesAndWhatIsMissing()
{
    DetailModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    Protocol::HardwareDetail hardware;
    hardware.drives = {Protocol::DriveSummary{u"sda"_s, u"ST3500418AS"_s, u"9VM1"_s, u"ATA"_s, true, QString()},
        Protocol::DriveSummary{u"nvme0"_s, u"SAMSUNG MZWLL3T2HAJQ-00005"_s, u"S3H"_s, u"NVMe"_s, false, QString()},
        Protocol::DriveSummary{
            u"sdc"_s, QString(), QString(), QString(), std::nullopt, u"smartctl did not answer within 10s"_s}};
    hardware.batteries = {Protocol::BatteryState{u"BAT0"_s, u"Discharging"_s}};
    hardware.unavailable = {Protocol::UnavailableHardware{u"memory-errors"_s, u"no EDAC driver"_s}};
    model.setDetail(hardware);
    QCOMPARE(model.summary(), u"Battery BAT0: Discharging. Not available: memory errors (no EDAC driver)."_s);
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.columnCount(), 4);
    QCOMPARE(model.index(0, 3).data().toString(), u"passed"_s);
    QVERIFY(model.index(1, 3).data().toString().startsWith(u"FAILING"_s));
    QCOMPARE(model.index(2, 3).data().toString(), u"smartctl did not answer within 10s"_s);
}

void TestModels::voiceDetailShowsEveryInput()
{
    DetailModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    Protocol::VoiceDirection there;
    there.sent = 300;
    there.lost = 3;
    there.lossPct = 1;
    there.jitterMs = 7.87;
    there.networkDelayMs = 80.53;
    there.mouthToEarMs = 116.3;
    there.delayImpairment = 2.95;
    there.effectiveEquipment = 3.64;
    there.rating = 86.6;
    there.mos = 4.25;
    Protocol::VoiceDetail voice;
    voice.codec = u"opus"_s;
    voice.frameMs = 20;
    voice.packetBytes = 92;
    voice.dscp = 46;
    voice.lossRobustness = 25.1;
    voice.codecValuesFromG113 = false;
    voice.there = there;
    voice.oneWayDelaysLeftOut = u"this agent's clock is not synchronised (NTP or PTP)"_s;
    model.setDetail(voice);
    QCOMPARE(model.summary(),
        u"OPUS call, a 20 ms frame per packet of 92 bytes, DSCP 46; codec values Ie 0, Bpl 25.1 (not published by the "
        "ITU; G.711's are used). Half the round trip stands in for each one-way delay: this agent's clock is not "
        "synchronised (NTP or PTP)."_s);
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.columnCount(), 7);
    QCOMPARE(model.index(0, 1).data().toString(), u"3 of 300 (1.00 %)"_s);
    QCOMPARE(model.index(0, 3).data().toString(), u"80.53 ms (half the round trip)"_s);
    QCOMPARE(model.index(0, 6).data().toString(), u"4.25"_s);

    model.setDetail(Protocol::VoiceDetail{});
    QVERIFY(model.summary().endsWith(u"Nothing came back, so the call could not be rated."_s));
    QCOMPARE(model.rowCount(), 0);
}

void TestModels::bandwidthDetailShowsWhatWasAskedAndCounted()
{
    DetailModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    Protocol::BandwidthDetail udp;
    udp.method = u"iperf3"_s;
    udp.server = u"speed.example.net"_s;
    udp.address = u"192.0.2.7"_s;
    udp.port = 5201;
    udp.protocol = u"udp"_s;
    udp.streams = 2;
    udp.seconds = 10;
    udp.omitSeconds = 1;
    udp.bitrate = 40'000'000;
    udp.engine = u"iperf 3.12"_s;
    udp.measuredSeconds = 10.0004;
    udp.sentBytes = 100'000'000;
    udp.receivedBytes = 61'500'000;
    udp.sentMbps = 80;
    udp.receivedMbps = 49.2;
    udp.packets = 68'000;
    udp.lostPackets = 26'180;
    udp.lossPct = 38.5;
    udp.jitterMs = 0.353;
    udp.intervalsMbps = {80.1, 79.9};
    model.setDetail(udp);
    QCOMPARE(model.summary(),
        u"iperf3 to speed.example.net (192.0.2.7) port 5201, UDP, 2 streams, 10 s measured, after 1 s of warm-up, "
        "this agent sending, 40 Mbit/s per stream. Measured with iperf 3.12."_s);
    QCOMPARE(model.columnCount(), 2);
    QCOMPARE(model.index(0, 1).data().toString(), u"49.20 Mbit/s (61.5 MB in 10.00 s)"_s);
    QCOMPARE(model.index(2, 0).data().toString(), u"Datagrams lost"_s);
    QCOMPARE(model.index(2, 1).data().toString(), u"26180 of 68000 (38.50 %)"_s);
    QCOMPARE(model.index(model.rowCount() - 1, 0).data().toString(), u"Second 2"_s);

    Protocol::BandwidthDetail refused; // the server said no: what was asked, nothing measured
    refused.method = u"iperf3"_s;
    refused.server = u"192.0.2.7"_s;
    refused.port = 5201;
    refused.protocol = u"tcp"_s;
    refused.seconds = 10;
    refused.reverse = true;
    model.setDetail(refused);
    QCOMPARE(model.summary(),
        u"iperf3 to 192.0.2.7 port 5201, TCP, 1 stream, 10 s measured, the server sending. Nothing was measured."_s);
    QCOMPARE(model.rowCount(), 0);

    Protocol::BandwidthDetail speed; // method=http: each direction, second by second
    speed.method = u"http"_s;
    speed.server = u"https://speed.example.net/backend/"_s;
    speed.protocol = u"http"_s;
    speed.streams = 4;
    speed.seconds = 2;
    speed.omitSeconds = 2;
    speed.engine = u"libcurl/7.88.1"_s;
    speed.download = Protocol::SpeedDirection{2.0001, 14'350'000, 57.4, 3, {57.2, 57.6}};
    speed.upload = Protocol::SpeedDirection{2.0002, 9'480'000, 37.9, 1, {37.8, 38}};
    model.setDetail(speed);
    QCOMPARE(model.summary(),
        u"Speed test at https://speed.example.net/backend/, HTTP, 4 streams, 2 s measured, after 2 s of warm-up. "
        "Measured with libcurl/7.88.1."_s);
    QCOMPARE(model.rowCount(), 6);
    QCOMPARE(model.index(0, 1).data().toString(), u"57.40 Mbit/s (14.4 MB in 2.00 s)"_s);
    QCOMPARE(model.index(3, 0).data().toString(), u"Upload"_s);
    QCOMPARE(model.index(5, 0).data().toString(), u"Upload, second 2"_s);
}

// The smoke's spread comes with the history (after loss, before phases) and with live rounds.
void TestModels::chartCarriesTheSpread()
{
    ChartSeriesModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    ChartMetrics metrics;
    metrics.line = u"ping.rtt_median_ms"_s;
    metrics.loss = u"ping.loss_pct"_s;
    metrics.spread = u"ping.rtt_stddev_ms"_s;
    const quint64 generation = model.start(EDGE, PING, metrics);
    QCOMPARE(model.historyMetrics(),
        (QStringList{u"ping.rtt_median_ms"_s, QString(), QString(), u"ping.loss_pct"_s, u"ping.rtt_stddev_ms"_s}));
    const Series none;
    QVERIFY(model.setHistory(generation, {series({1, 2}, {10, 11}), none, none, none, series({1, 2}, {0.5, 0.7})}, {}));
    QCOMPARE(model.point(0).spread, 0.5);
    QCOMPARE(model.series(ChartSeriesModel::Spread).values, (QList<double>{0.5, 0.7}));
    Protocol::Round live;
    live.testId = PING;
    live.timeMs = 3000;
    live.values = {{u"ping.rtt_median_ms"_s, 12}, {u"ping.rtt_stddev_ms"_s, 0.9}};
    model.addRounds(EDGE, {live});
    QCOMPARE(model.latest().spread, 0.9);
    QCOMPARE(model.index(2, ChartSeriesModel::Spread).data().toDouble(), 0.9);
}

// A silent hop (rate limiting) and a load-balanced hop answering from its other router are no change;
// a hop answering from a new address, or a path that ends one hop later, are; each hop's RTT follows
// the rounds, with a gap where it did not answer.
void TestModels::pathHistoryTellsChangesFromFlaps()
{
    const auto hop = [](int ttl, const QString &address, double ms, const QStringList &others = {}) {
        Protocol::TracerouteHop made;
        made.ttl = ttl;
        made.address = address;
        made.hasRtt = !address.isEmpty();
        made.avgMs = ms;
        for (const QString &other : others)
            made.addresses.append({other, QString(), 1, ms, ms});
        return made;
    };
    const auto path = [](QList<Protocol::TracerouteHop> hops) {
        Protocol::TracerouteDetail detail;
        detail.hops = std::move(hops);
        return detail;
    };
    PathHistory history;
    history.add(1000,
        path({hop(1, u"10.0.0.1"_s, 1), hop(2, u"10.1.0.1"_s, 2, {u"10.1.0.1"_s, u"10.1.0.2"_s}),
            hop(3, u"192.0.2.9"_s, 5)}));
    history.add(2000, path({hop(1, u"10.0.0.1"_s, 1), hop(2, QString(), 0), hop(3, u"192.0.2.9"_s, 5)}));
    history.add(3000, path({hop(1, u"10.0.0.1"_s, 1), hop(2, u"10.1.0.2"_s, 2), hop(3, u"192.0.2.9"_s, 5)}));
    QVERIFY(history.changes().isEmpty());
    history.add(4000, path({hop(1, u"10.0.0.1"_s, 1), hop(2, u"10.7.0.1"_s, 9), hop(3, u"192.0.2.9"_s, 12)}));
    history.add(5000,
        path({hop(1, u"10.0.0.1"_s, 1), hop(2, u"10.7.0.1"_s, 9), hop(3, u"198.51.100.1"_s, 11),
            hop(4, u"192.0.2.9"_s, 13)}));
    history.add(6000,
        path({hop(1, u"10.0.0.1"_s, 1), hop(2, u"10.7.0.1"_s, 9), hop(3, u"198.51.100.1"_s, 11),
            hop(4, u"192.0.2.9"_s, 13)}));
    QCOMPARE(history.rounds(), 6);
    QCOMPARE(history.changes().size(), 2);
    const PathChange &first = history.changes().at(0);
    QCOMPARE(first.timeMs, 4000);
    QCOMPARE(first.changedTtls, QList<int>{2});
    QCOMPARE(PathHistory::describe(first), u"hop 2: 10.1.0.2 → 10.7.0.1"_s);
    const PathChange &second = history.changes().at(1);
    QCOMPARE(second.timeMs, 5000);
    QCOMPARE(second.changedTtls, QList<int>{3});
    QCOMPARE(PathHistory::describe(second), u"hop 3: 192.0.2.9 → 198.51.100.1; 3 hops → 4 hops"_s);
    QCOMPARE(second.after, (QStringList{u"10.0.0.1"_s, u"10.7.0.1"_s, u"198.51.100.1"_s, u"192.0.2.9"_s}));

    const QList<HopSeries> hops = history.hops();
    QCOMPARE(hops.size(), 4);
    QCOMPARE(hops.at(1).rtt.values.size(), 6);
    QVERIFY(std::isnan(hops.at(1).rtt.values.at(1))); // silent in the second round
    QCOMPARE(hops.at(1).rtt.values.at(3), 9.0);
    QCOMPARE(hops.at(3).rtt.times, (QList<double>{5.0, 6.0}));
    QCOMPARE(hops.at(3).address, u"192.0.2.9"_s);

    // Behind a balanced hop 2, hop 3 answering from the other branch's address (IPv6 routers answer
    // from the interface the probe came in on) is no change either.
    PathHistory branches;
    branches.add(1000, path({hop(1, u"a"_s, 1), hop(2, u"b1"_s, 2, {u"b1"_s, u"b2"_s}), hop(3, u"c1"_s, 3)}));
    branches.add(2000, path({hop(1, u"a"_s, 1), hop(2, u"b2"_s, 2), hop(3, u"c2"_s, 3)}));
    branches.add(3000, path({hop(1, u"a"_s, 1), hop(2, u"b1"_s, 2), hop(3, u"c1"_s, 3)}));
    QVERIFY(branches.changes().isEmpty());
    branches.add(4000, path({hop(1, u"a"_s, 1), hop(2, u"b1"_s, 2), hop(3, u"x"_s, 3)}));
    QCOMPARE(branches.changes().size(), 1); // c1 and c2 are both known there now: x is new
    QCOMPARE(branches.changes().constFirst().changedTtls, QList<int>{3});
}

// Groups per tag (an agent with two tags in both), the untagged last; a change of tags moves the
// rows and keeps persistent indexes (the view's selection) on their agent.
void TestModels::agentTreeGroupsByTag()
{
    AgentListModel agents;
    AgentTreeModel tree(&agents);
    QAbstractItemModelTester tester(&tree, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const auto agent = [](qint64 id, const QString &name, bool online, const QStringList &tags) {
        AgentRecord record;
        record.id = id;
        record.name = name;
        record.online = online;
        record.tags = tags;
        return record;
    };
    agents.setAgents({agent(1, u"a"_s, true, {}), agent(2, u"b"_s, false, {})});
    QCOMPARE(tree.rowCount(), 2); // no tags: the agents are the rows
    QVERIFY(!tree.showsGroups());
    QPersistentModelIndex b = tree.index(1, AgentListModel::Status);
    QCOMPARE(b.data().toString(), u"offline"_s);

    agents.setAgents({agent(1, u"a"_s, true, {u"lab"_s, u"core"_s}), agent(2, u"b"_s, true, {})});
    QVERIFY(tree.showsGroups());
    QCOMPARE(tree.rowCount(), 3);
    QCOMPARE(tree.index(0, 0).data().toString(), u"core"_s);
    QCOMPARE(tree.index(1, 0).data().toString(), u"lab"_s);
    QCOMPARE(tree.index(2, 0).data().toString(), u"No tag"_s);
    QCOMPARE(tree.index(2, 0).data(AgentTreeModel::GroupRole).toString(), QString());
    QCOMPARE(tree.index(0, AgentListModel::Status).data().toString(), u"1 of 1 online"_s);
    QCOMPARE(tree.index(0, 0).data(AgentListModel::AgentIdRole).toLongLong(), 0);
    QCOMPARE(tree.rowCount(tree.index(1, 0)), 1);
    QCOMPARE(tree.index(0, AgentListModel::Name, tree.index(1, 0)).data().toString(), u"a"_s);
    QVERIFY(b.isValid()); // followed b into "No tag"
    QCOMPARE(b.parent().row(), 2);
    QCOMPARE(b.data().toString(), u"online"_s);

    agents.setAgents(
        {agent(1, u"a"_s, false, {u"lab"_s}), agent(2, u"b"_s, true, {u"lab"_s}), agent(3, u"c"_s, true, {})});
    QCOMPARE(tree.rowCount(), 2);
    QCOMPARE(tree.index(0, AgentListModel::Status).data().toString(), u"1 of 2 online"_s);
    QVERIFY(b.isValid());
    QCOMPARE(b.parent().data().toString(), u"lab"_s);
    QCOMPARE(b.data(AgentListModel::AgentIdRole).toLongLong(), 2);

    tree.setGrouped(false);
    QCOMPARE(tree.rowCount(), 3);
    QVERIFY(!tree.showsGroups());
    QVERIFY(!b.parent().isValid());
    QCOMPARE(b.data(AgentListModel::AgentIdRole).toLongLong(), 2);
    agents.setAgents({});
    QCOMPARE(tree.rowCount(), 0);
    QVERIFY(!b.isValid());
}

// Agents: the share of rounds that worked and the mean loss; paths: mean loss with failures as
// all lost, then latency; only the last 15 minutes count, and a round read twice counts once.
void TestModels::healthSummaryRanksAgentsAndPaths()
{
    HealthSummary summary;
    const qint64 now = 1'800'000'000'000;
    const qint64 minute = 60'000;
    // Agent 1, test 10: 10 rounds, 2 failed, losses 0 and 50 %, 20 ms.
    for (int i = 0; i < 10; ++i) {
        HealthSummary::Round round{1, 10, now - i * minute, i < 2, {}, {}};
        if (i >= 2) {
            round.lossPct = i == 2 ? 50 : 0;
            round.latencyMs = 20;
        }
        summary.add(round);
    }
    // Agent 2, test 10: 4 rounds that worked, no loss, 80 ms; and one 20 minutes old that failed.
    summary.add({2, 10, now - 20 * minute, true, {}, {}});
    for (int i = 0; i < 4; ++i)
        summary.add({2, 10, now - i * minute, false, 0.0, 80.0});
    summary.add({2, 10, now - 3 * minute, false, 0.0, 80.0}); // the same round again
    // Agent 2, test 11: an http-like test, no loss metric, 300 ms.
    summary.add({2, 11, now, false, {}, 300.0});

    const QList<HealthSummary::AgentHealth> agents = summary.agents(now);
    QCOMPARE(agents.size(), 2);
    QCOMPARE(agents.at(0).agentId, 1); // least healthy first
    QCOMPARE(agents.at(0).rounds, 10);
    QCOMPARE(agents.at(0).failed, 2);
    QCOMPARE(agents.at(0).workedPct, 80.0);
    QCOMPARE(*agents.at(0).lossPct, 50.0 / 8);
    QCOMPARE(agents.at(1).rounds, 5);
    QCOMPARE(agents.at(1).workedPct, 100.0);
    QCOMPARE(*agents.at(1).lossPct, 0.0);

    const QList<HealthSummary::PathHealth> paths = summary.worstPaths(now, 2);
    QCOMPARE(paths.size(), 2);
    QCOMPARE(paths.at(0).agentId, 1);
    QCOMPARE(paths.at(0).lostPct, (2 * 100.0 + 50) / 10);
    QCOMPARE(*paths.at(0).latencyMs, 20.0);
    QCOMPARE(paths.at(1).testId, 11); // lost nothing: the slower first
    QCOMPARE(*paths.at(1).latencyMs, 300.0);
    QCOMPARE(summary.worstPaths(now, 8).size(), 3);
    QVERIFY(summary.agents(now + 60 * minute).isEmpty()); // the window has moved on
}

QTEST_GUILESS_MAIN(TestModels)
// A TCP bandwidth test loses no datagrams: its chart has no loss series, legend entry or axis.
void TestModels::bandwidthChartsLossOnlyOverUdp()
{
    TestRecord test;
    test.id = 1;
    test.name = u"wan"_s;
    test.type = u"bandwidth"_s;
    test.target = u"192.0.2.1"_s;
    test.intervalMs = 60'000;
    const auto tcp = chartMetricsFor(test);
    QVERIFY(tcp);
    QVERIFY(tcp->loss.isEmpty());
    QVERIFY(tcp->lossName.isEmpty());
    test.params = {{u"protocol"_s, u"udp"_s}};
    const auto udp = chartMetricsFor(test);
    QVERIFY(udp);
    QCOMPARE(udp->loss, u"bandwidth.loss_pct"_s);
    QCOMPARE(udp->lossName, u"UDP datagrams lost"_s);
}

#include "tst_models.moc"
