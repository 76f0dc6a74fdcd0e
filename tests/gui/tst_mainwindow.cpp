// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include <cmath>
#include <memory>

#include <QApplication>
#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QClipboard>
#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QHeaderView>
#include <QHorizontalBarSeries>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QProcess>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>
#include <QToolButton>
#include <QTreeView>
#include <QTreeWidget>
#include <QWheelEvent>

#include "console/app/administration.h"
#include "console/app/language.h"
#include "console/models/agentlistmodel.h"
#include "console/models/resultsmodel.h"
#include "console/models/testlistmodel.h"
#include "console/server/consoleservice.h"
#include "console/storage/agentrepository.h"
#include "console/storage/database.h"
#include "console/storage/eventrepository.h"
#include "console/storage/samplerepository.h"
#include "console/storage/testrepository.h"
#include "console/ui/aboutdialog.h"
#include "console/ui/appearance.h"
#include "console/ui/chartcompare.h"
#include "console/ui/charts/chartcrosshair.h"
#include "console/ui/charts/chartdata.h"
#include "console/ui/charts/chartexport.h"
#include "console/ui/charts/chartoverlays.h"
#include "console/ui/charts/livechart.h"
#include "console/ui/charts/plotinclude.h"
#include "console/ui/mainwindow.h"
#include "console/ui/resultspane.h"
#include "console/ui/statusfigures.h"
#include "console/ui/summarypane.h"
#include "shared/metrics/catalog.h"
#include "shared/protocol/details.h"
#include "shared/testtypes/ping.h"
#include "shared/testtypes/traceroute.h"
#include "tests/support/mainwindowfixture.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm;
using namespace StreamSwarm::Console;
using StreamSwarm::Test::child;
using StreamSwarm::Test::screenshotDir;

namespace {

constexpr int ROUNDS = 600;
constexpr int ROUNDS_PER_BATCH = 10;
constexpr int PATH_ROUNDS = 140; // of the qos and traceroute tests, 2 s apart
constexpr int WAIT_MS = 15000;
constexpr qint64 SECOND_MS = 1000;

Protocol::MetricValue metric(const char16_t *name, double value)
{
    return {QString::fromUtf16(name), value};
}

QString cellText(const QAbstractItemModel *model, int row, int column)
{
    return model->index(row, column).data().toString();
}

int rowNamed(const QAbstractItemModel *model, const QString &name)
{
    for (int row = 0; row < model->rowCount(); ++row) {
        if (cellText(model, row, 0) == name)
            return row;
    }
    return -1;
}

bool testNamed(const ConsoleService *service, const QString &name)
{
    const QList<TestRecord> &tests = service->tests();
    return std::any_of(tests.cbegin(), tests.cend(), [&](const TestRecord &test) { return test.name == name; });
}

bool anyLabelContains(const QWidget *parent, const QString &text)
{
    const auto labels = parent->findChildren<QLabel *>();
    return std::any_of(
        labels.cbegin(), labels.cend(), [&](const QLabel *label) { return label->text().contains(text); });
}

// A traceroute round's detail as the agent sends it: six hops, the second load-balanced over two
// routers, the third limiting its ICMP replies, loss and a latency step from hop 4 on.
Protocol::TracerouteDetail pathDetail(double destinationMs, const QString &hop4 = u"198.51.100.9"_s)
{
    const auto makeHop
        = [](int ttl, const QString &address, const QString &name, int received, double loss, double avg) {
              Protocol::TracerouteHop made;
              made.ttl = ttl;
              made.address = address;
              made.name = name;
              made.sent = 30;
              made.received = received;
              made.lossPct = loss;
              made.hasRtt = received > 0;
              if (made.hasRtt) {
                  made.lastMs = avg + 0.1;
                  made.avgMs = avg;
                  made.bestMs = avg - 0.2;
                  made.worstMs = avg + 0.9;
                  made.stddevMs = 0.21;
              }
              return made;
          };
    Protocol::TracerouteHop balanced = makeHop(2, u"10.1.1.2"_s, u"core-a.example.net"_s, 30, 0, 1.4);
    balanced.addresses = {Protocol::HopAddress{u"10.1.1.2"_s, u"core-a.example.net"_s, 17, 1.4, 1.2},
        Protocol::HopAddress{u"10.1.2.2"_s, QString(), 13, 1.5, 1.3}};
    Protocol::TracerouteDetail detail;
    detail.target = u"192.0.2.20"_s;
    detail.protocol = u"icmp"_s;
    detail.hops = {makeHop(1, u"192.168.1.1"_s, u"gateway"_s, 30, 0, 0.4), balanced,
        makeHop(3, u"10.2.0.1"_s, QString(), 9, 70, 2.1), makeHop(4, hop4, QString(), 27, 10, 12.3),
        makeHop(5, QString(), QString(), 0, 100, 0),
        makeHop(6, u"192.0.2.20"_s, u"dc-1.example.net"_s, 27, 10, destinationMs)};
    detail.reached = true;
    detail.lossHop = Protocol::HopStep{4, u"198.51.100.9"_s, 10.0};
    detail.latencyHop = Protocol::HopStep{4, u"198.51.100.9"_s, 10.2};
    detail.rateLimited = {3};
    return detail;
}

} // namespace

class TestMainWindow final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void showsAgentsAndTests();
    void chartsTheStoredHistory();
    void listsEventsNewestFirst();
    void showsServerInStatusBar();
    void savesScreenshot();
    void chartsQosAndTraceroute();
    void appendsLiveRoundsOfTheChartedTest();
    void stopsFollowingWhenZoomed();
    void stacksPhaseBars();
    void chartKeepsItsBounds();
    void shadesLiveBandwidthRounds();
    void readsTogglesAndSavesTheChart();
    void bandKeepsEveryExtreme();
    void chartsThirtyDaysInBuckets();
    void tabulatesResults();
    void keepsItsLayout();
    void showsRateAndDatabaseSize();
    void groupsAgentsByTag();
    void summarizesHealth();
    void comparesAgentsAndMetrics();
    void showsAboutAndDarkColours();
    void speaksGerman();
    void cleanupTestCase();

private:
    void seedDatabase(const QString &path);

    QTemporaryDir m_dir;
    qint64 m_edgeId = 0;
    qint64 m_branchId = 0;
    qint64 m_testId = 0;
    qint64 m_qosTestId = 0;
    qint64 m_traceTestId = 0;
    qint64 m_bulkTestId = 0;
    qint64 m_lastRoundMs = 0;
    int m_rttRounds = 0;
    qint64 m_pathChangeMs = 0; // when the traceroute test's path changed at hop 4
    QHash<qint64, double> m_seededAvg; // the ping test's RTT average by round time: the results' truth
    Test::MainWindowFixture m_console;
    ConsoleService *m_service = nullptr;
    MainWindow *m_window = nullptr;
    LiveChart *m_chart = nullptr;
    QTreeView *m_agentsView = nullptr;
    QTableView *m_testsView = nullptr;
    QTreeWidget *m_eventsView = nullptr;
};

// Ten minutes of one ping test on edge-1, written through the real repositories: a smooth
// baseline, a congestion bump in the middle, and a few rounds with loss.
void TestMainWindow::seedDatabase(const QString &path)
{
    QString error;
    Database db;
    QVERIFY2(db.open(DatabaseUrl::sqliteFile(path), u"tst_mainwindow_seed"_s, &error), qPrintable(error));
    const qint64 now = QDateTime::currentMSecsSinceEpoch();

    AgentRepository agents(db);
    QVERIFY2(db.beginWrite(&error), qPrintable(error));
    QVERIFY2(
        agents.enroll({u"edge-1"_s, u"edge-1.lab.example.net"_s, u"Debian GNU/Linux 12"_s, u"0.1.0"_s, {u"ping"_s}}, 0,
            now - 3600 * SECOND_MS, &m_edgeId, &error),
        qPrintable(error));
    QVERIFY2(agents.enroll({u"branch-office-2"_s, u"br2-gw.example.net"_s, u"Windows Server 2022"_s, u"0.1.0"_s,
                               {u"ping"_s, u"system"_s}},
                 0, now - 7200 * SECOND_MS, &m_branchId, &error),
        qPrintable(error));
    QVERIFY2(db.commit(&error), qPrintable(error));
    QVERIFY2(agents.setOnline(m_branchId, false, now - 1800 * SECOND_MS, &error), qPrintable(error));
    // One clock in step, one that drifted: the Clock column shows both ways.
    QVERIFY2(agents.recordClock(m_edgeId, 1, 1, now, &error), qPrintable(error));
    QVERIFY2(agents.recordClock(m_branchId, -4210, 3, now - 1800 * SECOND_MS, &error), qPrintable(error));

    TestRepository tests(db);
    TestRecord ping;
    ping.name = u"ping-gateway"_s;
    ping.type = u"ping"_s;
    ping.target = u"127.0.0.1"_s;
    ping.intervalMs = 1000;
    ping.durationMs = 0;
    ping.agentNames = {u"edge-1"_s};
    ping.createdAtMs = now - 600 * SECOND_MS;
    const auto testId = tests.add(ping, &error);
    QVERIFY2(testId, qPrintable(error));
    m_testId = *testId;
    TestRecord branch = ping;
    branch.name = u"ping-branch-uplink"_s;
    branch.target = u"10.20.0.1"_s;
    branch.intervalMs = 5000;
    branch.agentNames = {u"branch-office-2"_s};
    branch.createdAtMs = now - 7200 * SECOND_MS;
    QVERIFY2(tests.add(branch, &error), qPrintable(error));
    QVERIFY2(tests.stop(branch.name, now - 1800 * SECOND_MS, &error), qPrintable(error));

    SampleRepository samples(db);
    QRandomGenerator random(42);
    const qint64 firstMs = now - ROUNDS * SECOND_MS;
    double jitter = 0;
    double previous = 0;
    Protocol::Results batch;
    qint64 seq = 0;
    for (int i = 0; i < ROUNDS; ++i) {
        Protocol::Round round;
        round.testId = m_testId;
        round.timeMs = firstMs + i * SECOND_MS;
        const double bump = 14.0 * std::exp(-std::pow((i - 430) / 40.0, 2));
        const double avg = 8.0 + 0.8 * std::sin(i / 23.0) + bump + random.bounded(1.2);
        const double loss = (i == 380 || i == 431) ? 20 : (i == 432 ? 40 : (i == 540 ? 100 : 0));
        const int received = int(std::lround(5 * (100 - loss) / 100));
        round.values
            = {metric(Metric::PingLoss, loss), metric(Metric::PingSent, 5), metric(Metric::PingReceived, received)};
        if (received > 0) {
            const double min = avg - 0.4 - random.bounded(0.8) - bump * 0.15;
            const double max = avg + 0.6 + random.bounded(2.5) + bump * 0.35;
            jitter += (std::abs(avg - previous) - jitter) / 16;
            previous = avg;
            round.values
                += {metric(Metric::PingRttMin, min), metric(Metric::PingRttAvg, avg), metric(Metric::PingRttMax, max),
                    metric(Metric::PingRttMedian, avg), metric(Metric::PingRttStddev, (max - min) / 4),
                    metric(Metric::PingRttMdev, (max - min) / 4), metric(Metric::PingJitter, jitter)};
            ++m_rttRounds;
            m_seededAvg.insert(round.timeMs, avg);
        }
        batch.rounds.append(round);
        m_lastRoundMs = round.timeMs;
        if (batch.rounds.size() == ROUNDS_PER_BATCH) {
            batch.seq = ++seq;
            QVERIFY2(samples.storeResults(m_edgeId, batch, {}, round.timeMs, &error), qPrintable(error));
            batch.rounds.clear();
        }
    }

    // A qos test (EF and best effort) and a traceroute on the same agent: their charts follow
    // their own metrics. The EF class has a loss spike; the path's last hop a step up midway.
    TestRecord qos = ping;
    qos.name = u"qos-to-branch"_s;
    qos.type = u"qos"_s;
    qos.target = u"192.0.2.10"_s;
    qos.params = {{u"classes"_s, u"ef,be"_s}};
    qos.createdAtMs = now - 300 * SECOND_MS;
    const auto qosId = tests.add(qos, &error);
    QVERIFY2(qosId, qPrintable(error));
    m_qosTestId = *qosId;
    TestRecord trace = ping;
    trace.name = u"path-to-dc"_s;
    trace.type = u"traceroute"_s;
    trace.target = u"192.0.2.20"_s;
    trace.intervalMs = 5000;
    trace.createdAtMs = now - 300 * SECOND_MS;
    const auto traceId = tests.add(trace, &error);
    QVERIFY2(traceId, qPrintable(error));
    m_traceTestId = *traceId;
    Protocol::Results paths;
    for (int i = 0; i < PATH_ROUNDS; ++i) {
        const qint64 t = now - (PATH_ROUNDS - i) * 2 * SECOND_MS;
        Protocol::Round q;
        q.testId = m_qosTestId;
        q.timeMs = t;
        const double ef = 4.0 + random.bounded(0.6);
        q.values = {{u"qos.ef.rtt_min_ms"_s, ef - 0.3}, {u"qos.ef.rtt_median_ms"_s, ef},
            {u"qos.ef.rtt_max_ms"_s, ef + 0.5 + random.bounded(0.8)},
            {u"qos.ef.loss_pct"_s, (i >= 70 && i < 74) ? 20.0 : 0.0}, {u"qos.be.rtt_median_ms"_s, ef + 6},
            {u"qos.be.loss_pct"_s, 0.0}};
        Protocol::Round r;
        r.testId = m_traceTestId;
        r.timeMs = t + 500;
        r.values = {metric(Metric::TracerouteDestRtt, (i < 60 ? 11.0 : 19.0) + random.bounded(1.0)),
            metric(Metric::TracerouteDestLoss, i == 100 ? 33.3 : 0.0), metric(Metric::TracerouteHops, 6),
            metric(Metric::TracerouteReached, 1)};
        // Every round traces its path; hop 4 went another way from round 60 on.
        r.detail = i == PATH_ROUNDS - 1
            ? pathDetail(19.2)
            : pathDetail(i < 60 ? 11.0 : 19.0, i < 60 ? u"203.0.113.77"_s : u"198.51.100.9"_s);
        if (i == 60)
            m_pathChangeMs = r.timeMs;
        paths.rounds += {q, r};
    }
    paths.seq = ++seq;
    QVERIFY2(samples.storeResults(m_edgeId, paths, {}, now, &error), qPrintable(error));

    // A 30 s bandwidth test on edge-1 during the congestion bump: the ping chart shades it.
    TestRecord bulk = ping;
    bulk.name = u"throughput-to-dc"_s;
    bulk.type = u"bandwidth"_s;
    bulk.target = u"192.0.2.30"_s;
    bulk.intervalMs = 3600 * SECOND_MS;
    bulk.params = {{u"duration"_s, u"30s"_s}};
    bulk.createdAtMs = firstMs;
    const auto bulkId = tests.add(bulk, &error);
    QVERIFY2(bulkId, qPrintable(error));
    m_bulkTestId = *bulkId;
    Protocol::BandwidthDetail measured;
    measured.method = u"iperf3"_s;
    measured.server = bulk.target;
    measured.seconds = 30;
    measured.measuredSeconds = 30;
    Protocol::Round throughput;
    throughput.testId = m_bulkTestId;
    throughput.timeMs = firstMs + 412 * SECOND_MS;
    throughput.values = {{u"bandwidth.throughput_mbps"_s, 94.2}};
    throughput.detail = measured;
    QVERIFY2(samples.storeResults(m_edgeId, {++seq, {throughput}, {}, 0}, {}, now, &error), qPrintable(error));

    EventRepository events(db);
    // The console's own events are stored as a code and values; probe errors are the agent's words.
    QVERIFY2(events.add(now - 660 * SECOND_MS, u"info"_s, u"agent-online"_s, m_edgeId, 0,
                 Protocol::EventText(u"agent-online"_s, {u"edge-1.lab.example.net"_s}), &error),
        qPrintable(error));
    QVERIFY2(events.add(m_edgeId,
                 {now - 270 * SECOND_MS, u"warning"_s, u"probe-error"_s,
                     u"2 of 5 echo requests to 127.0.0.1 got no reply."_s, m_testId},
                 &error),
        qPrintable(error));
    QVERIFY2(events.add(m_edgeId,
                 {now - 120 * SECOND_MS, u"error"_s, u"probe-error"_s,
                     u"No echo replies from 127.0.0.1 in this round."_s, m_testId},
                 &error),
        qPrintable(error));
    db.close();
}

void TestMainWindow::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_dir.isValid());
    const QString path = m_dir.filePath(u"streamswarm.db"_s);
    seedDatabase(path);
    if (QTest::currentTestFailed())
        return;

    QString error;
    QVERIFY2(m_console.start(path, &error), qPrintable(error));
    m_service = m_console.service();
    m_window = m_console.window();
    m_chart = m_console.chart();
    m_agentsView = m_console.agentsView();
    m_testsView = m_console.testsView();
    m_eventsView = m_console.eventsView();

    QTRY_COMPARE_WITH_TIMEOUT(m_agentsView->model()->rowCount(), 2, WAIT_MS);
    QTRY_VERIFY_WITH_TIMEOUT(m_chart->pointCount() > 0, WAIT_MS);
    QTRY_VERIFY_WITH_TIMEOUT(m_eventsView->topLevelItemCount() > 0, WAIT_MS);
}

void TestMainWindow::showsAgentsAndTests()
{
    QCOMPARE(m_window->windowTitle(), u"StreamSwarm Console"_s);

    const QAbstractItemModel *agents = m_agentsView->model();
    const int edge = rowNamed(agents, u"edge-1"_s);
    const int branch = rowNamed(agents, u"branch-office-2"_s);
    QVERIFY(edge >= 0 && branch >= 0);
    QCOMPARE(cellText(agents, edge, AgentListModel::Host), u"edge-1.lab.example.net"_s);
    QCOMPARE(cellText(agents, edge, AgentListModel::Os), u"Debian GNU/Linux 12"_s);
    QCOMPARE(cellText(agents, edge, AgentListModel::Status), u"offline"_s);
    QCOMPARE(cellText(agents, branch, AgentListModel::Os), u"Windows Server 2022"_s);
    QVERIFY(!agents->index(edge, AgentListModel::Status).data(Qt::DecorationRole).isNull());
    QCOMPARE(m_agentsView->selectionModel()->currentIndex().row(), edge);

    const QAbstractItemModel *tests = m_testsView->model();
    QCOMPARE(tests->rowCount(), 5);
    const int gateway = rowNamed(tests, u"ping-gateway"_s);
    const int uplink = rowNamed(tests, u"ping-branch-uplink"_s);
    QVERIFY(gateway >= 0 && uplink >= 0);
    QCOMPARE(cellText(tests, gateway, TestListModel::Type), u"ping"_s);
    QCOMPARE(cellText(tests, gateway, TestListModel::Target), u"127.0.0.1"_s);
    QCOMPARE(cellText(tests, gateway, TestListModel::Interval), u"1s"_s);
    QCOMPARE(cellText(tests, gateway, TestListModel::State), u"running"_s);
    QCOMPARE(cellText(tests, gateway, TestListModel::Agents), u"edge-1"_s);
    QCOMPARE(cellText(tests, uplink, TestListModel::State), u"stopped"_s);
    QCOMPARE(m_testsView->selectionModel()->currentIndex().row(), gateway);
}

void TestMainWindow::chartsTheStoredHistory()
{
    // No agent is online in this test, so the default is the agent with a running test.
    QCOMPARE(m_window->chartAgentId(), m_edgeId);
    QCOMPARE(m_window->chartTestId(), m_testId);
    QCOMPARE(m_chart->pointCount(), m_rttRounds);
    QVERIFY(m_rttRounds >= ROUNDS - 5);
    QCOMPARE(m_chart->lastTime(), double(m_lastRoundMs) / 1000);
    QVERIFY(m_chart->message().isEmpty());
    QVERIFY(m_chart->followsLive());
    QVERIFY(!m_chart->title().isEmpty());
    QVERIFY(anyLabelContains(m_window, u"ping-gateway"_s));
    QVERIFY(anyLabelContains(m_window, u"127.0.0.1"_s));
    // The bandwidth test's 30 s are shaded behind the RTT it raised.
    QTRY_COMPARE_WITH_TIMEOUT(m_chart->loadedSpanCount(), 1, WAIT_MS);
}

void TestMainWindow::listsEventsNewestFirst()
{
    QCOMPARE(m_eventsView->topLevelItemCount(), 3);
    QCOMPARE(m_eventsView->topLevelItem(0)->text(4), u"No echo replies from 127.0.0.1 in this round."_s);
    QCOMPARE(m_eventsView->topLevelItem(0)->text(1), u"error"_s);
    QCOMPARE(m_eventsView->topLevelItem(0)->text(2), u"edge-1"_s);
    QCOMPARE(m_eventsView->topLevelItem(0)->text(3), u"ping-gateway"_s);
    QCOMPARE(m_eventsView->topLevelItem(2)->text(4), u"Agent connected from edge-1.lab.example.net."_s);
}

void TestMainWindow::showsServerInStatusBar()
{
    QVERIFY(!m_service->listenUrl().isEmpty());
    QVERIFY(anyLabelContains(m_window->statusBar(), m_service->listenUrl()));
    QVERIFY(anyLabelContains(m_window->statusBar(), u"streamswarm.db"_s));
    QVERIFY(anyLabelContains(m_window->statusBar(), u"0 of 2 agents online"_s));
}

void TestMainWindow::savesScreenshot()
{
    QCoreApplication::processEvents(); // let the chart's queued replot run
    const QPixmap shot = m_window->grab();
    QCOMPARE(shot.size(), QSize(1280, 800));
    QVERIFY(QDir().mkpath(screenshotDir()));
    const QString file = screenshotDir() + u"/mainwindow.png"_s;
    QVERIFY(shot.save(file));
    qInfo("screenshot: %s", qPrintable(file));
}

// Each path test type charts its own figures: qos its first class (median RTT, min-max band, loss),
// traceroute the path's last hop (RTT and loss, no band).
void TestMainWindow::chartsQosAndTraceroute()
{
    m_window->showChart(m_edgeId, m_qosTestId);
    QTRY_COMPARE_WITH_TIMEOUT(m_chart->pointCount(), PATH_ROUNDS, WAIT_MS);
    QCOMPARE(m_chart->title(), u"Class EF to the reflector, measured every 1s"_s);
    QVERIFY(m_chart->message().isEmpty());
    QCoreApplication::processEvents();
    QVERIFY(m_window->grab().save(screenshotDir() + u"/mainwindow-qos.png"_s));

    // Every class the test measures can be charted: best effort's medians are the seeded EF + 6 ms.
    auto *classes = child<QComboBox>(m_chart, u"chartClassBox"_s);
    QVERIFY(classes && classes->isVisible());
    QCOMPARE(classes->count(), 2);
    QCOMPARE(classes->itemText(1), u"Class BE"_s);
    classes->setCurrentIndex(1);
    Q_EMIT classes->activated(1);
    QTRY_COMPARE_WITH_TIMEOUT(m_chart->title(), u"Class BE to the reflector, measured every 1s"_s, WAIT_MS);
    QTRY_COMPARE_WITH_TIMEOUT(m_chart->pointCount(), PATH_ROUNDS, WAIT_MS);
    bool found = false;
    const QCPRange medians = m_chart->plot()->graph(3)->getValueRange(found);
    QVERIFY(found);
    QVERIFY2(medians.lower >= 10.0 && medians.upper < 10.6 + 1e-9,
        qPrintable(u"%1..%2"_s.arg(medians.lower).arg(medians.upper)));
    QVERIFY(m_window->grab().save(screenshotDir() + u"/mainwindow-qos-be.png"_s));

    auto *pathView = m_window->findChild<QTableView *>(u"pathView"_s);
    auto *pathSummary = m_window->findChild<QLabel *>(u"pathSummary"_s);
    QVERIFY(pathView && pathSummary);
    QVERIFY(!pathView->isVisible()); // only traceroute tests have a path

    m_window->showChart(m_edgeId, m_traceTestId);
    QTRY_COMPARE_WITH_TIMEOUT(m_chart->pointCount(), PATH_ROUNDS, WAIT_MS);
    QCOMPARE(m_chart->title(), u"The traced path's last hop, traced every 5s"_s);
    // The newest path, read back from the database's detail record.
    QTRY_COMPARE_WITH_TIMEOUT(pathView->model()->rowCount(), 6, WAIT_MS);
    QVERIFY(pathView->isVisible());
    const QAbstractItemModel *path = pathView->model();
    QCOMPARE(cellText(path, 1, 1), u"core-a.example.net (10.1.1.2)  +1 more"_s);
    QVERIFY(path->index(1, 1).data(Qt::ToolTipRole).toString().contains(u"10.1.2.2: 13 answers"_s));
    QCOMPARE(cellText(path, 4, 1), u"no answer"_s);
    QCOMPARE(cellText(path, 4, 5), QString()); // no RTT for a silent hop
    QCOMPARE(cellText(path, 5, 5), u"19.2"_s);
    QVERIFY(path->index(2, 2).data(Qt::ToolTipRole).toString().contains(u"limits its ICMP replies"_s));
    QVERIFY(path->index(3, 2).data(Qt::ToolTipRole).toString().startsWith(u"Loss starts here"_s));
    QCOMPARE(pathSummary->text(),
        u"Reached 192.0.2.20 in 6 hops. Loss starts at hop 4 (198.51.100.9). Latency rises by 10.2 ms at hop 4 "
        "(198.51.100.9)."_s);
    // The path's history: the one change at hop 4, when it happened, and each hop's RTT round by round.
    auto *tabs = child<QTabWidget>(m_window, u"centralTabs"_s);
    auto *history = child<QWidget>(m_window, u"pathHistoryPane"_s);
    QVERIFY(tabs && history && tabs->isTabEnabled(tabs->indexOf(history)));
    tabs->setCurrentWidget(history);
    auto *changes = child<QTreeWidget>(history, u"pathChangesView"_s);
    QTRY_COMPARE_WITH_TIMEOUT(changes->topLevelItemCount(), 1, WAIT_MS);
    QCOMPARE(changes->topLevelItem(0)->text(1), u"4"_s);
    QCOMPARE(changes->topLevelItem(0)->text(2), u"hop 4: 203.0.113.77 → 198.51.100.9"_s);
    QCOMPARE(changes->topLevelItem(0)->text(0),
        QLocale().toString(QDateTime::fromMSecsSinceEpoch(m_pathChangeMs), u"yyyy-MM-dd HH:mm:ss"_s));
    QVERIFY(
        child<QLabel>(history, u"pathHistorySummary"_s)->text().startsWith(u"Path changes in the last 24 hours: 1."_s));
    auto *hopsPlot = child<QCustomPlot>(history, u"pathHistoryPlot"_s);
    QCOMPARE(hopsPlot->graphCount(), 6);
    QCOMPARE(hopsPlot->graph(5)->data()->size(), PATH_ROUNDS);
    QCoreApplication::processEvents();
    QVERIFY(m_window->grab().save(screenshotDir() + u"/mainwindow-path-history.png"_s));
    tabs->setCurrentIndex(0);

    QCoreApplication::processEvents();
    QVERIFY(m_chart->grab().save(screenshotDir() + u"/livechart-traceroute.png"_s));
    QVERIFY(m_window->grab().save(screenshotDir() + u"/mainwindow-traceroute.png"_s));

    // A live round brings its own path.
    Protocol::Round live;
    live.testId = m_traceTestId;
    live.timeMs = QDateTime::currentMSecsSinceEpoch() + 1000;
    live.values = {metric(Metric::TracerouteDestRtt, 31.5)};
    live.detail = pathDetail(31.5);
    Q_EMIT m_service->roundsStored(m_edgeId, {live});
    QCOMPARE(cellText(path, 5, 5), u"31.5"_s);

    m_window->showChart(m_edgeId, m_testId); // back to the ping test for the tests below
    QTRY_COMPARE_WITH_TIMEOUT(m_chart->pointCount(), m_rttRounds, WAIT_MS);
    QVERIFY(!pathView->isVisible());
}

void TestMainWindow::appendsLiveRoundsOfTheChartedTest()
{
    const int before = m_chart->pointCount();
    Protocol::Round round;
    round.testId = m_testId;
    round.timeMs = m_lastRoundMs + 1000;
    round.values = {metric(Metric::PingRttMin, 40.5), metric(Metric::PingRttAvg, 42.0),
        metric(Metric::PingRttMedian, 42.0), metric(Metric::PingRttMax, 44.0), metric(Metric::PingLoss, 0)};
    Q_EMIT m_service->roundsStored(m_edgeId, {round});
    QCOMPARE(m_chart->pointCount(), before + 1);
    QCOMPARE(m_chart->lastTime(), double(round.timeMs) / 1000);
    QVERIFY(anyLabelContains(m_window, u"42.0 ms"_s));

    // Rounds of another agent or another test leave this chart alone.
    Protocol::Round other = round;
    other.timeMs += 1000;
    Q_EMIT m_service->roundsStored(m_branchId, {other});
    other.testId = m_testId + 100;
    Q_EMIT m_service->roundsStored(m_edgeId, {other});
    QCOMPARE(m_chart->pointCount(), before + 1);

    // 3 rounds of 5 values here, and the live traceroute round of chartsQosAndTraceroute().
    auto *samples = child<QLabel>(m_window->statusBar(), u"samplesLabel"_s);
    QVERIFY(samples);
    QTRY_VERIFY_WITH_TIMEOUT(samples->toolTip().contains(u"; 16 this session"_s), WAIT_MS);
}

// Each round's phases as a stacked bar under the total's line: the segments are what each phase added
// to the cumulative times, and a phase the round lacks (no TLS) adds nothing.
void TestMainWindow::stacksPhaseBars()
{
    LiveChart chart;
    chart.resize(900, 360);
    chart.setTitle(u"Web page phases"_s);
    chart.setSeriesNames(u"Total"_s, QString(), QString());
    chart.setValueAxisLabel(u"Time (ms)"_s);
    chart.setExpectedInterval(10);
    chart.setPhaseNames({u"DNS"_s, u"Connect"_s, u"TLS"_s, u"Wait"_s, u"Download"_s});
    QCOMPARE(chart.phaseNames().size(), 5);
    const double start = std::floor(double(QDateTime::currentMSecsSinceEpoch()) / 1000) - 120;
    for (int i = 0; i < 12; ++i) {
        const double time = start + i * 10;
        const double dns = 1 + (i % 3) * 0.5;
        const double connect = dns + 2;
        const double tls = i == 5 ? qQNaN() : connect + 6; // round 5 without TLS
        const double ttfb = (std::isnan(tls) ? connect : tls) + 40 + (i % 4) * 3;
        const double total = ttfb + 5 + i;
        chart.appendPhases(time, {dns, connect, tls, ttfb, total});
        chart.appendPoint(time, total, qQNaN(), qQNaN(), qQNaN());
    }
    const QList<double> first = chart.phaseSegments(start);
    QCOMPARE(first, QList<double>({1, 2, 6, 40, 5}));
    const QList<double> plain = chart.phaseSegments(start + 50);
    QCOMPARE(plain.size(), 5);
    QCOMPARE(plain.at(2), 0.0);
    QCOMPARE(plain.at(3), 40.0 + 3); // wait measured from the connect when there is no TLS
    QVERIFY(chart.phaseSegments(start + 5).isEmpty()); // no round there
    chart.show();
    QCoreApplication::processEvents();
    QVERIFY(chart.grab().save(screenshotDir() + u"/livechart-phases.png"_s));
}

void TestMainWindow::stopsFollowingWhenZoomed()
{
    QWidget *plot = nullptr;
    for (QWidget *child : m_chart->findChildren<QWidget *>()) {
        if (qstrcmp(child->metaObject()->className(), "QCustomPlot") == 0)
            plot = child;
    }
    QVERIFY(plot);
    QVERIFY(m_chart->followsLive());
    const QPointF centre = QRectF(plot->rect()).center();
    QWheelEvent wheel(centre, plot->mapToGlobal(centre), QPoint(), QPoint(0, 120), Qt::NoButton, Qt::NoModifier,
        Qt::NoScrollPhase, false);
    QCoreApplication::sendEvent(plot, &wheel);
    QVERIFY(!m_chart->followsLive());

    QTest::mouseDClick(plot, Qt::LeftButton, Qt::NoModifier, centre.toPoint());
    QVERIFY(m_chart->followsLive());

    // The same by keyboard: Left pans a quarter of the width back, + halves the width around the
    // middle, - doubles it, Home follows the newest rounds again.
    QCOMPARE(plot->focusPolicy(), Qt::StrongFocus);
    const QCPRange before = m_chart->plot()->xAxis->range();
    QTest::keyClick(plot, Qt::Key_Left);
    QVERIFY(!m_chart->followsLive());
    QCPRange shown = m_chart->plot()->xAxis->range();
    QVERIFY(qFuzzyCompare(shown.lower, before.lower - before.size() / 4));
    QVERIFY(qFuzzyCompare(shown.size(), before.size()));
    QTest::keyClick(plot, Qt::Key_Plus);
    QVERIFY(qFuzzyCompare(m_chart->plot()->xAxis->range().size(), before.size() / 2));
    QVERIFY(qFuzzyCompare(m_chart->plot()->xAxis->range().center(), shown.center()));
    QTest::keyClick(plot, Qt::Key_Minus);
    QVERIFY(qFuzzyCompare(m_chart->plot()->xAxis->range().size(), before.size()));
    QTest::keyClick(plot, Qt::Key_Home);
    QVERIFY(m_chart->followsLive());
    QVERIFY(qFuzzyCompare(m_chart->plot()->xAxis->range().upper, before.upper));
}

void TestMainWindow::chartKeepsItsBounds()
{
    LiveChart chart;
    chart.resize(700, 400);
    QCOMPARE(chart.message(), u"No data yet"_s);
    QCOMPARE(chart.pointCount(), 0);
    QVERIFY(QDir().mkpath(screenshotDir()));
    QVERIFY(chart.grab().save(screenshotDir() + u"/livechart-empty.png"_s));

    const double start = double(QDateTime::currentSecsSinceEpoch()) - 2 * LiveChart::MAX_AGE_SECONDS;
    chart.setExpectedInterval(1);
    chart.appendPoint(start, 10, 9, 11, 0);
    QVERIFY(chart.message().isEmpty());
    chart.appendPoint(start + 1, 12, 10, 14, 0);
    chart.appendPoint(start + 30, 11, 10, 12, 0); // after a silence: a gap marker, not a point
    chart.appendPoint(start + 31, qQNaN(), qQNaN(), qQNaN(), 100); // no replies at all
    QCOMPARE(chart.pointCount(), 3);
    QCOMPARE(chart.lastTime(), start + 31);

    // Points older than a day behind the newest are dropped.
    chart.appendPoint(start + LiveChart::MAX_AGE_SECONDS + 40, 9, 8, 10, 0);
    QCOMPARE(chart.pointCount(), 1);

    Series avg;
    for (int i = 0; i < 100; ++i) {
        avg.times.append(start + i);
        avg.values.append(5 + i % 7);
    }
    chart.setSeries(avg, avg, avg, {});
    QCOMPARE(chart.pointCount(), 100);
    chart.setSeries({}, {}, {}, {});
    QCOMPARE(chart.message(), u"No data yet"_s);

    chart.setFollowLive(false);
    QVERIFY(!chart.followsLive());
    chart.setVisibleSpan(3600);
    QCOMPARE(chart.visibleSpan(), 3600.0);
    chart.setFollowLive(true);
    QVERIFY(chart.followsLive());
}

// A bandwidth round arriving live shades its span at once, on its agent's charts only; the
// bandwidth test's own chart shades nothing.
void TestMainWindow::shadesLiveBandwidthRounds()
{
    m_window->showChart(m_edgeId, m_testId);
    QTRY_COMPARE_WITH_TIMEOUT(m_chart->loadedSpanCount(), 1, WAIT_MS);
    Protocol::BandwidthDetail measured;
    measured.method = u"iperf3"_s;
    measured.server = u"192.0.2.30"_s;
    measured.seconds = 10;
    measured.measuredSeconds = 10;
    Protocol::Round round;
    round.testId = m_bulkTestId;
    round.timeMs = m_lastRoundMs + 5000;
    round.detail = measured;
    Q_EMIT m_service->roundsStored(m_branchId, {round}); // another agent's link
    QCOMPARE(m_chart->loadedSpanCount(), 1);
    Q_EMIT m_service->roundsStored(m_edgeId, {round});
    QCOMPARE(m_chart->loadedSpanCount(), 2);
    m_window->showChart(m_edgeId, m_bulkTestId);
    QTest::qWait(200);
    QCOMPARE(m_chart->loadedSpanCount(), 0);
    m_window->showChart(m_edgeId, m_testId);
}

// The crosshair reads a round's values as stored; a legend click hides and shows a series; the chart
// saves as a PNG at twice its pixels, an SVG and a PDF that renders to a page.
void TestMainWindow::readsTogglesAndSavesTheChart()
{
    m_window->showChart(m_edgeId, m_testId);
    QTRY_VERIFY_WITH_TIMEOUT(m_chart->pointCount() >= m_rttRounds, WAIT_MS);
    m_chart->setVisibleSpan(300);
    m_chart->setFollowLive(true);
    QCoreApplication::processEvents();

    const qint64 readMs = m_lastRoundMs - 60 * SECOND_MS;
    QVERIFY(m_seededAvg.contains(readMs));
    // A little off the round: the line snaps to it.
    QVERIFY(m_chart->crosshair()->showAt(double(readMs) / 1000 + 0.2));
    const QString reading = m_chart->crosshair()->text();
    const QString expectedAvg = QLocale().toString(m_seededAvg.value(readMs), 'f', 2);
    QVERIFY2(reading.contains(QLocale().toString(QDateTime::fromMSecsSinceEpoch(readMs), u"HH:mm:ss"_s)),
        qPrintable(reading));
    QVERIFY2(reading.contains(u"edge-1"_s), qPrintable(reading));
    QVERIFY2(reading.contains(expectedAvg + u" ms"_s), qPrintable(reading + u" / "_s + expectedAvg));
    // Where the chart holds nothing (an hour before its first round), there is nothing to read.
    QVERIFY(!m_chart->crosshair()->showAt(double(m_lastRoundMs) / 1000 - 3 * 3600));
    QVERIFY(!m_chart->crosshair()->isVisible());

    const QStringList legend = m_chart->legendNames();
    QVERIFY2(legend.size() >= 3, qPrintable(legend.join(u", "_s)));
    // Median, smoke, band and loss, as SmokePing draws a ping test.
    QCOMPARE(legend.mid(0, 3), (QStringList{u"Median RTT"_s, u"Typical spread (±σ)"_s, u"Min–max RTT"_s}));
    QVERIFY(m_chart->isSeriesShown(2));
    m_chart->toggleSeries(2);
    QVERIFY(!m_chart->isSeriesShown(2));
    QVERIFY(m_chart->crosshair()->showAt(double(readMs) / 1000));
    QVERIFY2(!m_chart->crosshair()->text().contains(legend.at(2)), qPrintable(m_chart->crosshair()->text()));
    m_chart->toggleSeries(2);
    QVERIFY(m_chart->isSeriesShown(2));
    m_chart->crosshair()->hide();

    QTemporaryDir out;
    QString error;
    QCustomPlot *plot = m_chart->plot();
    const QString png = out.filePath(u"chart.png"_s);
    QVERIFY2(ChartExport::save(plot, png, &error), qPrintable(error));
    const QImage image(png);
    QCOMPARE(image.size(), m_chart->plot()->size() * 2);
    const QString svg = out.filePath(u"chart.svg"_s);
    QVERIFY2(ChartExport::save(plot, svg, &error), qPrintable(error));
    QFile svgFile(svg);
    QVERIFY(svgFile.open(QIODevice::ReadOnly));
    const QByteArray drawing = svgFile.readAll();
    QVERIFY2(drawing.contains("<svg") && drawing.contains("</svg>")
            && drawing.count("<polyline") + drawing.count("<path") > 3,
        drawing.left(2000).constData());
    const QString pdf = out.filePath(u"chart.pdf"_s);
    QVERIFY2(ChartExport::save(plot, pdf, &error), qPrintable(error));
    QProcess render;
    render.start(u"pdftoppm"_s, {u"-png"_s, u"-r"_s, u"72"_s, u"-singlefile"_s, pdf, out.filePath(u"page"_s)});
    QVERIFY2(render.waitForFinished(30000) && render.exitCode() == 0, render.readAllStandardError().constData());
    const QImage page(out.filePath(u"page.png"_s));
    QVERIFY(!page.isNull());
    QVERIFY(QFile::copy(out.filePath(u"page.png"_s), screenshotDir() + u"/chart-export-pdf.png"_s)
        || QFile::exists(screenshotDir() + u"/chart-export-pdf.png"_s));
    QVERIFY(!ChartExport::save(plot, out.filePath(u"chart.bmp"_s), &error));
    QVERIFY2(error.contains(u".png, .svg or .pdf"_s), qPrintable(error));

    // The crosshair as the user sees it, for the screenshot.
    QVERIFY(m_chart->crosshair()->showAt(double(readMs) / 1000));
    QVERIFY(m_window->grab().save(screenshotDir() + u"/mainwindow-crosshair.png"_s));
    m_chart->crosshair()->hide();
}

// The band over 100,000 rounds drawn as 500 columns: each column's lowest and highest round, found
// by looking at every round, and a silence (NaN) still breaks it.
void TestMainWindow::bandKeepsEveryExtreme()
{
    QCPGraphDataContainer rounds;
    QRandomGenerator random(11);
    constexpr int COUNT = 100000;
    constexpr int COLUMNS = 500;
    QVector<QCPGraphData> points;
    for (int i = 0; i < COUNT; ++i)
        points.append(QCPGraphData(i, i == 50123 ? qQNaN() : random.bounded(100.0)));
    rounds.set(points, true);
    const QCPRange keys(0, COUNT - 1);
    const QVector<QCPGraphData> high = envelope(rounds, keys, COLUMNS, true);
    const QVector<QCPGraphData> low = envelope(rounds, keys, COLUMNS, false);
    QVERIFY(high.size() <= COLUMNS + 1 && low.size() <= COLUMNS + 1);
    const double width = keys.size() / COLUMNS;
    int gaps = 0;
    for (const QVector<QCPGraphData> *edge : {&high, &low}) {
        for (const QCPGraphData &point : *edge) {
            if (std::isnan(point.value)) {
                ++gaps;
                continue;
            }
            const int column = std::min(int((point.key - keys.lower) / width), COLUMNS - 1);
            double lowest = 1e9;
            double highest = -1;
            for (const QCPGraphData &round : points) {
                if (std::isnan(round.value) || std::min(int((round.key - keys.lower) / width), COLUMNS - 1) != column)
                    continue;
                lowest = std::min(lowest, round.value);
                highest = std::max(highest, round.value);
            }
            QCOMPARE(point.value, edge == &high ? highest : lowest);
        }
    }
    QCOMPARE(gaps, 2);
    // No denser than the pixels: kept as they are.
    const QVector<QCPGraphData> few = envelope(rounds, QCPRange(10, 40), COLUMNS, true);
    QCOMPARE(few.size(), 33); // 10..40 and one beyond each end
    QCOMPARE(few.at(1).value, points.at(10).value);
}

// 30 days of rounds every minute (43,200 rounds) open as one point per bucket: the mean line and the
// band's true extremes, checked against the rounds written.
void TestMainWindow::chartsThirtyDaysInBuckets()
{
    // A test of its own on the other agent, written straight into the database the console uses.
    QString error;
    Database db;
    QVERIFY2(db.open(DatabaseUrl::sqliteFile(m_dir.filePath(u"streamswarm.db"_s)), u"tst_month"_s, &error),
        qPrintable(error));
    TestRepository tests(db);
    TestRecord month;
    month.name = u"month-long"_s;
    month.type = u"ping"_s;
    month.target = u"192.0.2.40"_s;
    month.intervalMs = 60 * SECOND_MS;
    month.agentNames = {u"branch-office-2"_s};
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const qint64 firstMs = now - 30LL * 24 * 3600 * SECOND_MS;
    month.createdAtMs = firstMs;
    const auto monthId = tests.add(month, &error);
    QVERIFY2(monthId, qPrintable(error));
    SampleRepository samples(db);
    constexpr int DAY_ROUNDS = 24 * 60;
    double highest = 0;
    double lowest = 1e9;
    qint64 seq = 1000;
    for (int day = 0; day < 30; ++day) {
        Protocol::Results batch;
        batch.seq = ++seq;
        for (int i = 0; i < DAY_ROUNDS; ++i) {
            Protocol::Round round;
            round.testId = *monthId;
            round.timeMs = firstMs + (qint64(day) * DAY_ROUNDS + i) * 60 * SECOND_MS;
            const double avg = 20 + 10 * std::sin(double(day) / 5) + double(i % 7);
            const double min = avg - 1 - double(i % 3);
            const double max = avg + 2 + (i == 1000 ? 50.0 * (day + 1) : 0.0); // one spike a day
            lowest = std::min(lowest, min);
            highest = std::max(highest, max);
            round.values = {metric(Metric::PingRttMedian, avg), metric(Metric::PingRttMin, min),
                metric(Metric::PingRttMax, max), metric(Metric::PingLoss, 0)};
            batch.rounds.append(round);
        }
        QVERIFY2(samples.storeResults(m_branchId, batch, {}, now, &error), qPrintable(error));
    }
    db.close();
    QTRY_VERIFY_WITH_TIMEOUT(testNamed(m_service, u"month-long"_s), WAIT_MS);

    m_window->showChart(m_branchId, *monthId);
    QElapsedTimer opened;
    opened.start();
    m_chart->setVisibleSpan(30 * 24 * 3600);
    Q_EMIT m_chart->visibleSpanChanged(30 * 24 * 3600);
    QTRY_VERIFY_WITH_TIMEOUT(m_chart->pointCount() > 0 && m_chart->message().isEmpty(), WAIT_MS);
    qInfo("30 days of 1 min rounds (43,200) charted in %lld ms, %d points", opened.elapsed(), m_chart->pointCount());
    QVERIFY2(m_chart->pointCount() <= 4100, qPrintable(QString::number(m_chart->pointCount())));
    QVERIFY(m_chart->pointCount() >= 3900);
    // The band keeps the extremes: the last day's spike and the lowest minimum are in it.
    bool found = false;
    const QCPRange band = m_chart->plot()->graph(2)->getValueRange(found); // the maximum edge
    QVERIFY(found);
    QCOMPARE(band.upper, highest);
    const QCPRange floor = m_chart->plot()->graph(1)->getValueRange(found); // the minimum edge
    QCOMPARE(floor.lower, lowest);
    QVERIFY(m_window->grab().save(screenshotDir() + u"/mainwindow-30days.png"_s));

    // Zoomed to one day ten days back (as the wheel or the keyboard does): once the view settles,
    // that day and half a day either side are read again, every round with its own value.
    const double dayStart = double(firstMs) / 1000 + 10 * 24 * 3600;
    m_chart->plot()->xAxis->setRange(dayStart, dayStart + 24 * 3600);
    QVERIFY(!m_chart->followsLive());
    QTRY_VERIFY_WITH_TIMEOUT(m_chart->pointCount() < 3000 && m_chart->message().isEmpty(), WAIT_MS);
    QVERIFY2(std::abs(m_chart->pointCount() - 2 * DAY_ROUNDS) <= 1, qPrintable(QString::number(m_chart->pointCount())));
    const double noon = dayStart + 12 * 3600; // round 720 of day 10
    QCOMPARE(valueAtKey(*m_chart->plot()->graph(3)->data(), noon), 20 + 10 * std::sin(10.0 / 5) + double(720 % 7));
    QCOMPARE(m_chart->plot()->xAxis->range().lower, dayStart); // reading did not move the view
    // Back to following: the span up to now again.
    m_chart->setFollowLive(true);
    QTRY_VERIFY_WITH_TIMEOUT(m_chart->pointCount() >= 3900 && m_chart->message().isEmpty(), WAIT_MS);
    m_chart->setVisibleSpan(300);
    Q_EMIT m_chart->visibleSpanChanged(300);
    m_window->showChart(m_edgeId, m_testId);
}

// The Results tab holds the charted test's rounds: every stored round with its values as seeded,
// sorted by a value, filtered by text, copied, and exported as CSV and JSON that read back the same.
void TestMainWindow::tabulatesResults()
{
    m_window->showChart(m_edgeId, m_testId);
    auto *tabs = child<QTabWidget>(m_window, u"centralTabs"_s);
    auto *pane = child<ResultsPane>(m_window, u"resultsPane"_s);
    QVERIFY(tabs && pane);
    tabs->setCurrentWidget(pane);
    QTableView *view = pane->view();
    QAbstractItemModel *model = view->model();
    // The seeded rounds and the live ones appendsLiveRoundsOfTheChartedTest() added.
    QTRY_VERIFY_WITH_TIMEOUT(model->rowCount() >= ROUNDS, WAIT_MS);
    int avgColumn = -1;
    for (int column = 0; column < model->columnCount(); ++column) {
        if (model->headerData(column, Qt::Horizontal).toString().startsWith(QString::fromUtf16(Metric::PingRttAvg)))
            avgColumn = column;
    }
    QVERIFY2(avgColumn > 0, "no column for the RTT average");
    QCOMPARE(model->headerData(0, Qt::Horizontal).toString(), u"Time"_s);
    QVERIFY(model->headerData(avgColumn, Qt::Horizontal).toString().endsWith(u"(ms)"_s));

    // Sorted by the average, the first row is the seeded minimum.
    view->sortByColumn(avgColumn, Qt::AscendingOrder);
    const auto lowest = std::min_element(m_seededAvg.cbegin(), m_seededAvg.cend());
    QCOMPARE(model->index(0, 0).data(ResultsModel::SortRole).toLongLong(), lowest.key());
    QVERIFY(std::abs(model->index(0, avgColumn).data(ResultsModel::SortRole).toDouble() - lowest.value()) < 1e-9);

    // Filtered to one second's round by its time as shown.
    const qint64 pickedMs = m_lastRoundMs - 100 * SECOND_MS;
    const QString shown = QLocale().toString(QDateTime::fromMSecsSinceEpoch(pickedMs), u"HH:mm:ss.zzz"_s);
    auto *filter = child<QLineEdit>(pane, u"resultsFilter"_s);
    QVERIFY(filter);
    filter->clear();
    QTest::keyClicks(filter, shown);
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 1, WAIT_MS);
    QVERIFY(child<QLabel>(pane, u"resultsCount"_s)->text().startsWith(u"1 of "_s));

    QTemporaryDir out;
    QString error;
    const QString csvPath = out.filePath(u"one.csv"_s);
    QVERIFY2(pane->exportTo(csvPath, ResultsPane::Format::Csv, &error), qPrintable(error));
    QFile csv(csvPath);
    QVERIFY(csv.open(QIODevice::ReadOnly));
    const QStringList lines = QString::fromUtf8(csv.readAll()).split(u"\r\n"_s, Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 2);
    const QStringList names = lines.at(0).split(u',');
    const QStringList cells = lines.at(1).split(u',');
    QCOMPARE(names.mid(0, 4), (QStringList{u"time"_s, u"time_ms"_s, u"agent"_s, u"test"_s}));
    QCOMPARE(cells.at(1).toLongLong(), pickedMs);
    QCOMPARE(cells.at(2), u"edge-1"_s);
    QCOMPARE(cells.at(3), u"ping-gateway"_s);
    const qsizetype avgAt = names.indexOf(QString::fromUtf16(Metric::PingRttAvg));
    QVERIFY(avgAt > 3);
    QVERIFY(std::abs(cells.at(avgAt).toDouble() - m_seededAvg.value(pickedMs)) < 1e-9);

    // Copy gives the header and the row as shown.
    pane->copyChosen();
    const QStringList copied = QGuiApplication::clipboard()->text().split(u'\n', Qt::SkipEmptyParts);
    QCOMPARE(copied.size(), 2);
    QVERIFY(copied.at(1).contains(shown));

    // Unfiltered, two selected rows export as JSON, in the order shown (newest first by time).
    filter->clear();
    QTRY_VERIFY_WITH_TIMEOUT(model->rowCount() >= ROUNDS, WAIT_MS);
    view->sortByColumn(0, Qt::DescendingOrder);
    view->selectRow(5);
    view->selectionModel()->select(model->index(9, 0), QItemSelectionModel::Select | QItemSelectionModel::Rows);
    const QString jsonPath = out.filePath(u"two.json"_s);
    QVERIFY2(pane->exportTo(jsonPath, ResultsPane::Format::Json, &error), qPrintable(error));
    QFile json(jsonPath);
    QVERIFY(json.open(QIODevice::ReadOnly));
    const QJsonArray rows = QJsonDocument::fromJson(json.readAll()).array();
    QCOMPARE(rows.size(), 2);
    const qint64 first = model->index(5, 0).data(ResultsModel::SortRole).toLongLong();
    const qint64 second = model->index(9, 0).data(ResultsModel::SortRole).toLongLong();
    QCOMPARE(rows.at(0).toObject().value(u"time_ms"_s).toInteger(), first);
    QCOMPARE(rows.at(1).toObject().value(u"time_ms"_s).toInteger(), second);
    if (m_seededAvg.contains(second)) {
        const double avg = rows.at(1)
                               .toObject()
                               .value(u"values"_s)
                               .toObject()
                               .value(QString::fromUtf16(Metric::PingRttAvg))
                               .toDouble();
        QVERIFY(std::abs(avg - m_seededAvg.value(second)) < 1e-9);
    }

    // A live round of the charted test joins the table.
    const int before = model->rowCount();
    Protocol::Round live;
    live.testId = m_testId;
    live.timeMs = QDateTime::currentMSecsSinceEpoch();
    live.values = {metric(Metric::PingRttAvg, 7.25), metric(Metric::PingRttMedian, 7.25), metric(Metric::PingLoss, 0)};
    Q_EMIT m_service->roundsStored(m_edgeId, {live});
    QCOMPARE(model->rowCount(), before + 1);
    view->clearSelection();
    QCoreApplication::processEvents();
    QVERIFY(m_window->grab().save(screenshotDir() + u"/mainwindow-results.png"_s));
    tabs->setCurrentIndex(0);
}

// Docks, toolbars, columns and size come back as the user left them; Reset layout brings the first.
void TestMainWindow::keepsItsLayout()
{
    auto first = std::make_unique<MainWindow>(m_service);
    first->show();
    QVERIFY(QTest::qWaitForWindowExposed(first.get()));
    auto *events = child<QDockWidget>(first.get(), u"eventsDock"_s);
    auto *agents = first->findChild<QTreeView *>(u"agentsView"_s);
    QVERIFY(events && agents);
    events->toggleViewAction()->trigger();
    QVERIFY(events->isHidden());
    agents->header()->setSectionHidden(AgentListModel::Os, true);
    first->resize(1100, 700);
    first->close();
    first.reset();

    auto again = std::make_unique<MainWindow>(m_service);
    again->show();
    QVERIFY(QTest::qWaitForWindowExposed(again.get()));
    events = child<QDockWidget>(again.get(), u"eventsDock"_s);
    agents = again->findChild<QTreeView *>(u"agentsView"_s);
    QVERIFY(events->isHidden());
    QVERIFY(agents->header()->isSectionHidden(AgentListModel::Os));
    QVERIFY(!agents->header()->isSectionHidden(AgentListModel::Host));
    QCOMPARE(again->size(), QSize(1100, 700));

    again->resetLayout();
    QVERIFY(!events->isHidden());
    QVERIFY(!agents->header()->isSectionHidden(AgentListModel::Os));
    QCOMPARE(again->size(), QSize(1280, 800));
    again.reset(); // not closed: nothing saved, the next window starts as the first
    auto fresh = std::make_unique<MainWindow>(m_service);
    QVERIFY(!child<QDockWidget>(fresh.get(), u"eventsDock"_s)->isHidden());
    QVERIFY(!fresh->findChild<QTreeView *>(u"agentsView"_s)->header()->isSectionHidden(AgentListModel::Os));
}

// Samples per second over the last ten seconds, and the database's size on disk.
void TestMainWindow::showsRateAndDatabaseSize()
{
    auto *figures = m_window->statusBar()->findChild<StatusFigures *>();
    QVERIFY(figures);
    auto *database = child<QLabel>(m_window->statusBar(), u"databaseLabel"_s);
    const qint64 fileSize = QFileInfo(m_dir.filePath(u"streamswarm.db"_s)).size();
    QVERIFY(fileSize > 0);
    QTRY_VERIFY_WITH_TIMEOUT(database->text().contains(u"KiB)"_s) || database->text().contains(u"MiB)"_s), WAIT_MS);
    const qint64 before = figures->sessionSamples();
    // One tick more than the window: it then holds these seconds only.
    for (int second = 0; second <= StatusFigures::RATE_SECONDS; ++second) {
        figures->addSamples(250);
        figures->tick();
    }
    QCOMPARE(figures->sessionSamples(), before + 250 * (StatusFigures::RATE_SECONDS + 1));
    QCOMPARE(figures->samplesPerSecond(), 250.0);
    QVERIFY(child<QLabel>(m_window->statusBar(), u"samplesLabel"_s)->text().startsWith(u"250 samples/s"_s));
}

// Agents under their tags with how many are online; an agent with two tags is in both groups. The
// selection stays on its agent and a closed group stays closed through changes; ungrouped, the
// agents are the rows again.
void TestMainWindow::groupsAgentsByTag()
{
    Administration *admin = m_service->administration();
    const auto tag = [&](const QString &agent, const QStringList &add, const QStringList &remove) {
        bool answered = false;
        admin->changeAgentTags(agent, add, remove, this, [&](const Result<QStringList> &result) {
            QVERIFY2(result.ok(), qPrintable(result.error()));
            answered = true;
        });
        QTRY_VERIFY_WITH_TIMEOUT(answered, WAIT_MS);
    };
    QAbstractItemModel *model = m_agentsView->model();
    QAction *grouping = child<QAction>(m_window, u"groupAgentsAction"_s);
    QVERIFY(grouping->isChecked()); // the default; with no tags the agents are the rows
    QVERIFY(!m_agentsView->rootIsDecorated());
    m_agentsView->setCurrentIndex(model->index(rowNamed(model, u"edge-1"_s), 0));

    tag(u"edge-1"_s, {u"site-a"_s, u"core"_s}, {});
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 3, WAIT_MS);
    QCOMPARE(cellText(model, 0, AgentListModel::Name), u"core"_s);
    QCOMPARE(cellText(model, 1, AgentListModel::Name), u"site-a"_s);
    QCOMPARE(cellText(model, 2, AgentListModel::Name), u"No tag"_s);
    QCOMPARE(cellText(model, 0, AgentListModel::Status), u"0 of 1 online"_s);
    const QModelIndex core = model->index(0, 0);
    QCOMPARE(model->rowCount(core), 1);
    QCOMPARE(model->index(0, AgentListModel::Name, core).data().toString(), u"edge-1"_s);
    QCOMPARE(model->index(0, AgentListModel::Tags, core).data().toString(), u"core, site-a"_s);
    QCOMPARE(model->index(0, AgentListModel::Name, model->index(2, 0)).data().toString(), u"branch-office-2"_s);
    QVERIFY(m_agentsView->rootIsDecorated());
    QVERIFY(m_agentsView->isExpanded(core) && m_agentsView->isExpanded(model->index(2, 0)));
    QCOMPARE(m_agentsView->currentIndex().data(AgentListModel::AgentIdRole).toLongLong(), m_edgeId);
    QVERIFY(m_agentsView->currentIndex().parent().isValid());

    m_agentsView->collapse(model->index(1, 0)); // site-a
    tag(u"branch-office-2"_s, {u"site-a"_s}, {});
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 2, WAIT_MS); // nobody is left without a tag
    QCOMPARE(cellText(model, 1, AgentListModel::Status), u"0 of 2 online"_s);
    QVERIFY(!m_agentsView->isExpanded(model->index(1, 0)));
    QVERIFY(m_agentsView->isExpanded(model->index(0, 0)));
    QCOMPARE(m_agentsView->currentIndex().data(AgentListModel::AgentIdRole).toLongLong(), m_edgeId);
    m_agentsView->expand(model->index(1, 0));
    QVERIFY(m_window->grab().save(screenshotDir() + u"/mainwindow-agent-groups.png"_s));

    grouping->trigger();
    QCOMPARE(model->rowCount(), 2);
    QVERIFY(rowNamed(model, u"edge-1"_s) >= 0 && rowNamed(model, u"branch-office-2"_s) >= 0);
    QVERIFY(!m_agentsView->rootIsDecorated());
    QCOMPARE(m_agentsView->currentIndex().data(AgentListModel::AgentIdRole).toLongLong(), m_edgeId);
    grouping->trigger();
    QCOMPARE(model->rowCount(), 2);
    QCOMPARE(cellText(model, 0, AgentListModel::Name), u"core"_s);

    tag(u"edge-1"_s, {}, {u"site-a"_s, u"core"_s});
    tag(u"branch-office-2"_s, {}, {u"site-a"_s});
    QTRY_VERIFY_WITH_TIMEOUT(!m_agentsView->rootIsDecorated(), WAIT_MS);
    QCOMPARE(model->rowCount(), 2);
}

// The summary tab (Qt Charts) reads the last 15 minutes from storage, then follows live rounds:
// per agent the rounds that worked and the packets lost, and the worst paths.
void TestMainWindow::summarizesHealth()
{
    // A pane of its own: the window's has seen the live rounds earlier tests sent.
    auto *tabs = child<QTabWidget>(m_window, u"centralTabs"_s);
    auto *pane = new SummaryPane(m_service, tabs);
    pane->setObjectName(u"freshSummary"_s);
    connect(m_service, &ConsoleService::roundsStored, pane, &SummaryPane::addRounds);
    tabs->addTab(pane, u"Summary"_s);
    tabs->setCurrentWidget(pane);
    const auto bars = [](QChart *chart) -> QList<QBarSet *> {
        auto *series = qobject_cast<QHorizontalBarSeries *>(chart->series().value(0));
        return series ? series->barSets() : QList<QBarSet *>();
    };
    const auto categories = [](QChart *chart) -> QStringList {
        auto *axis = qobject_cast<QBarCategoryAxis *>(chart->axes(Qt::Vertical).value(0));
        return axis ? axis->categories() : QStringList();
    };
    const auto rowOf = [&](QChart *chart, const QString &start) -> int {
        const QStringList names = categories(chart);
        for (int i = 0; i < names.size(); ++i) {
            if (names.at(i).startsWith(start))
                return i;
        }
        return -1;
    };
    // ping-gateway lost 20, 20, 40 and 100 % in four of its 600 rounds, all in the last 15 minutes.
    QTRY_VERIFY_WITH_TIMEOUT(rowOf(pane->pathChart(), u"edge-1: ping-gateway"_s) >= 0, WAIT_MS);
    const int ping = rowOf(pane->pathChart(), u"edge-1: ping-gateway"_s);
    QCOMPARE(bars(pane->pathChart()).size(), 1);
    const double lost = bars(pane->pathChart()).at(0)->at(ping);
    QVERIFY2(qFuzzyCompare(lost, (20.0 + 20 + 40 + 100) / ROUNDS), qPrintable(QString::number(lost)));
    QVERIFY2(
        categories(pane->pathChart()).at(ping).endsWith(u" ms"_s), qPrintable(categories(pane->pathChart()).at(ping)));
    const int edge = rowOf(pane->agentChart(), u"edge-1"_s);
    QVERIFY(edge >= 0);
    QCOMPARE(bars(pane->agentChart()).size(), 2);
    QCOMPARE(bars(pane->agentChart()).at(0)->at(edge), 100.0); // no round failed

    // A live round of branch-office-2 that failed: it is the least healthy agent (drawn on top, the
    // last category) and its path the worst.
    Protocol::Round failed;
    failed.testId = m_testId;
    failed.timeMs = QDateTime::currentMSecsSinceEpoch();
    failed.error = u"no route to host"_s;
    Q_EMIT m_service->roundsStored(m_branchId, {failed});
    pane->redraw();
    QCOMPARE(categories(pane->agentChart()).constLast(), u"branch-office-2"_s);
    QVERIFY(bars(pane->agentChart()).at(0)->at(categories(pane->agentChart()).size() - 1) < 100);
    QVERIFY(categories(pane->pathChart()).constLast().startsWith(u"branch-office-2: ping-gateway"_s));
    QCOMPARE(bars(pane->pathChart()).at(0)->at(categories(pane->pathChart()).size() - 1), 100.0);
    auto *windowPane = child<SummaryPane>(m_window, u"summaryPane"_s); // the window feeds its own
    windowPane->redraw();
    QVERIFY(categories(windowPane->pathChart()).constLast().startsWith(u"branch-office-2: ping-gateway"_s));
    delete pane;
    tabs->setCurrentWidget(windowPane);
    QCoreApplication::processEvents(); // the charts' scenes lay out
    QVERIFY(m_window->grab().save(screenshotDir() + u"/mainwindow-summary.png"_s));
    tabs->setCurrentIndex(0);
}

// Compare: another agent's rounds of the same test and another figure of the charted agent, laid
// over the chart from storage and then live, read in the crosshair, and removed again.
void TestMainWindow::comparesAgentsAndMetrics()
{
    // branch-office-2 measured ping-gateway too: 60 rounds, written straight into the database.
    QString error;
    Database db;
    QVERIFY2(db.open(DatabaseUrl::sqliteFile(m_dir.filePath(u"streamswarm.db"_s)), u"tst_compare"_s, &error),
        qPrintable(error));
    SampleRepository samples(db);
    Protocol::Results batch;
    batch.seq = 5000; // after the month-long test's batches
    QMap<qint64, double> branchRtt;
    for (int i = 0; i < 60; ++i) {
        Protocol::Round round;
        round.testId = m_testId;
        round.timeMs = m_lastRoundMs - i * 5 * SECOND_MS - 400;
        round.values = {metric(Metric::PingRttMedian, 40.0 + i % 5)};
        branchRtt.insert(round.timeMs, 40.0 + i % 5);
        batch.rounds.append(round);
    }
    QVERIFY2(samples.storeResults(m_branchId, batch, {}, m_lastRoundMs, &error), qPrintable(error));
    db.close();

    m_window->showChart(m_edgeId, m_testId);
    QTRY_VERIFY_WITH_TIMEOUT(m_chart->pointCount() >= m_rttRounds, WAIT_MS);
    auto *button = child<QToolButton>(m_window, u"compareButton"_s);
    auto *compare = m_window->findChild<ChartCompare *>();
    QVERIFY(button && compare && button->isEnabled());
    // The menu offers ping's figures in ms or %, not those the chart draws; no other agent runs it.
    Q_EMIT button->menu()->aboutToShow();
    QStringList entries;
    for (const QAction *action : button->menu()->actions())
        entries.append(action->text());
    QVERIFY2(entries.contains(u"ping.rtt_avg_ms"_s) && entries.contains(u"ping.jitter_ms"_s),
        qPrintable(entries.join(u", ")));
    QVERIFY(!entries.contains(u"ping.rtt_median_ms"_s) && !entries.contains(u"ping.sent"_s));
    QVERIFY(entries.contains(u"No other agent runs it"_s));

    // Another figure: the seeded averages, round by round.
    for (QAction *action : button->menu()->actions()) {
        if (action->text() == u"ping.rtt_avg_ms"_s)
            action->trigger();
    }
    const QList<QCPGraph *> &lines = m_chart->overlays()->graphs();
    QCOMPARE(lines.size(), 1);
    QTRY_VERIFY_WITH_TIMEOUT(lines.at(0)->data()->size() >= m_rttRounds, WAIT_MS);
    for (auto it = m_seededAvg.cbegin(); it != m_seededAvg.cend(); ++it)
        QCOMPARE(valueAtKey(*lines.at(0)->data(), double(it.key()) / 1000), it.value());

    // Another agent: its stored rounds, then a live one; the value axis makes room for it.
    compare->addAgent(m_branchId);
    QCOMPARE(lines.size(), 2);
    QCOMPARE(lines.at(1)->name(), u"branch-office-2"_s);
    QTRY_COMPARE_WITH_TIMEOUT(lines.at(1)->data()->size(), 60, WAIT_MS);
    for (auto it = branchRtt.cbegin(); it != branchRtt.cend(); ++it)
        QCOMPARE(valueAtKey(*lines.at(1)->data(), double(it.key()) / 1000), it.value());
    Protocol::Round live;
    live.testId = m_testId;
    live.timeMs = m_lastRoundMs + 700;
    live.values = {metric(Metric::PingRttMedian, 75)};
    Q_EMIT m_service->roundsStored(m_branchId, {live});
    QCOMPARE(lines.at(1)->data()->size(), 61);
    m_chart->setVisibleSpan(300);
    m_chart->setFollowLive(true);
    QVERIFY(m_chart->plot()->yAxis->range().upper >= 75);
    const qint64 readMs = branchRtt.lastKey() + 400; // an edge-1 round, 0.4 s after branch-office-2's
    QVERIFY(m_chart->crosshair()->showAt(double(readMs) / 1000));
    const QString reading = m_chart->crosshair()->text();
    QVERIFY2(
        reading.contains(u"branch-office-2: "_s + QLocale().toString(branchRtt.last(), 'f', 2)), qPrintable(reading));
    QVERIFY2(reading.contains(u"ping.rtt_avg_ms: "_s), qPrintable(reading));
    m_chart->plot()->replot(); // the queued one waits for the event loop
    QVERIFY(m_window->grab().save(screenshotDir() + u"/mainwindow-compare.png"_s));
    m_chart->crosshair()->hide();

    // Another span reads them again; another test drops them.
    m_chart->setVisibleSpan(3600);
    QTRY_COMPARE_WITH_TIMEOUT(lines.size(), 2, WAIT_MS);
    m_window->showChart(m_edgeId, m_qosTestId);
    QCOMPARE(lines.size(), 0);
    m_window->showChart(m_edgeId, m_testId);
    compare->removeAll();
    QCOMPARE(m_chart->overlays()->graphs().size(), 0);
}

// Help > About names the version and every library's licence; the dark palette reaches the chart.
void TestMainWindow::showsAboutAndDarkColours()
{
    AboutDialog about(m_window);
    about.show();
    QVERIFY(QTest::qWaitForWindowExposed(&about));
    QVERIFY(child<QLabel>(&about, u"aboutText"_s)->text().contains(QStringLiteral(STREAMSWARM_VERSION)));
    const QString licences = child<QTextBrowser>(&about, u"licencesText"_s)->toPlainText();
    for (const char *name : {"QCustomPlot", "GPL-3.0-or-later", "LGPL-3.0-only", "libssh", "OpenSSL"})
        QVERIFY2(licences.contains(QLatin1String(name)), name);
    QVERIFY(about.grab().save(screenshotDir() + u"/about.png"_s));
    child<QTabWidget>(&about, u"aboutTabs"_s)->setCurrentIndex(1);
    QVERIFY(about.grab().save(screenshotDir() + u"/about-licences.png"_s));

    // Settings: the Language and Appearance menus, opened as the user opens them.
    QMenu *settings = nullptr;
    for (QAction *entry : m_window->menuBar()->actions()) {
        if (entry->text() == u"&Settings"_s)
            settings = entry->menu();
    }
    QVERIFY(settings);
    auto *appearance = child<QMenu>(settings, u"appearanceMenu"_s);
    QVERIFY(appearance);
    QCOMPARE(appearance->actions().size(), 4); // system, separator, light, dark
    settings->popup(m_window->mapToGlobal(QPoint(230, 24)));
    appearance->popup(settings->geometry().topRight());
    QVERIFY(QTest::qWaitForWindowExposed(appearance));
    QVERIFY(settings->grab().save(screenshotDir() + u"/settings-menu.png"_s));
    QVERIFY(appearance->grab().save(screenshotDir() + u"/settings-appearance.png"_s));
    appearance->hide();
    settings->hide();

    Appearance::apply(Appearance::Theme::Dark);
    QCoreApplication::processEvents();
    QVERIFY(Appearance::isDark());
    QVERIFY(m_window->grab().save(screenshotDir() + u"/mainwindow-dark.png"_s));
    Appearance::apply(Appearance::Theme::System);
    QVERIFY(!Appearance::isDark());
}

// The window as a German user sees it: built after the German translation is installed, as the
// console does at start. Last: it replaces the window the other functions use.
void TestMainWindow::speaksGerman()
{
    m_console.stop();
    QCOMPARE(Language::install(u"de"_s), u"de"_s);
    QString error;
    QVERIFY2(m_console.start(m_dir.filePath(u"streamswarm.db"_s), &error), qPrintable(error));
    m_window = m_console.window();
    QTRY_COMPARE_WITH_TIMEOUT(m_console.agentsView()->model()->rowCount(), 2, WAIT_MS);
    QTRY_VERIFY_WITH_TIMEOUT(m_console.chart()->pointCount() > 0, WAIT_MS);
    QTRY_VERIFY_WITH_TIMEOUT(m_console.eventsView()->topLevelItemCount() > 0, WAIT_MS);
    const QStringList menus = [&] {
        QStringList texts;
        for (const QAction *menu : m_window->menuBar()->actions())
            texts.append(menu->text());
        return texts;
    }();
    QVERIFY2(menus.contains(u"&Datei"_s) && menus.contains(u"&Hilfe"_s) && !menus.contains(u"&File"_s),
        qPrintable(menus.join(u", "_s)));
    const QString header = m_console.testsView()->model()->headerData(0, Qt::Horizontal).toString();
    QVERIFY2(header != u"Name"_s, qPrintable(header));
    QCoreApplication::processEvents();
    const QString file = screenshotDir() + u"/mainwindow-de.png"_s;
    QVERIFY(m_window->grab().save(file));
    qInfo("screenshot: %s (menus %s)", qPrintable(file), qPrintable(menus.join(u", "_s)));
    Language::install(u"en"_s);
}

void TestMainWindow::cleanupTestCase()
{
    m_console.stop();
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
