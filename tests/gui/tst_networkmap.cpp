// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
// The Map tab on a real console service and database: agents, targets and links from the seeded tests,
// links coloured and labelled by stored and live rounds, nodes marked by alert states, a dragged node
// saved and found in its place by a fresh pane, another console's change read back, the layout from
// traced paths, new things placed apart, the background picture, zoom, and screenshots.
#include <QApplication>
#include <QBuffer>
#include <QDateTime>
#include <QFile>
#include <QGraphicsPixmapItem>
#include <QGraphicsView>
#include <QImage>
#include <QLabel>
#include <QPainter>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QWheelEvent>

#include "console/app/administration.h"
#include "console/app/localadministration.h"
#include "console/server/consoleservice.h"
#include "console/storage/agentrepository.h"
#include "console/storage/database.h"
#include "console/storage/samplerepository.h"
#include "console/ui/appearance.h"
#include "console/ui/mainwindow.h"
#include "console/ui/maplayering.h"
#include "console/ui/mappane.h"
#include "console/ui/mapscene.h"
#include "console/ui/statusicons.h"
#include "shared/protocol/details.h"
#include "shared/testtypes/ping.h"
#include "shared/testtypes/traceroute.h"
#include "tests/support/mainwindowfixture.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm;
using namespace StreamSwarm::Console;
using StreamSwarm::Test::child;
using StreamSwarm::Test::screenshotDir;
using Kind = MapNode::Kind;

namespace {

constexpr int WAIT_MS = 10000;
constexpr qint64 MINUTE_MS = 60'000;
const Actor ALICE{Actor::Origin::CommandLine, u"alice"_s};
const QString UPLINK = u"10.5.0.2"_s;
const QString DNS = u"192.0.2.53"_s;
const QString BRANCH = u"10.20.0.1"_s;
const QString CORE = u"10.9.9.1"_s; // the router every agent's path to the uplink passes

Protocol::MetricValue metric(const char16_t *name, double value)
{
    return {QString::fromUtf16(name), value};
}

Protocol::Round pingRound(qint64 testId, qint64 timeMs, double rtt, double loss)
{
    Protocol::Round round;
    round.testId = testId;
    round.timeMs = timeMs;
    round.values
        = {metric(Metric::PingRttMedian, rtt), metric(Metric::PingRttAvg, rtt), metric(Metric::PingLoss, loss)};
    return round;
}

// The agent's path to the uplink: its own gateway, then the shared core router, then the target.
Protocol::Round tracedRound(qint64 testId, qint64 timeMs, int agent, double rtt)
{
    Protocol::TracerouteDetail path;
    path.target = UPLINK;
    path.address = UPLINK;
    path.protocol = u"icmp"_s;
    const QList<std::pair<QString, QString>> hops{
        {u"10.0.%1.1"_s.arg(agent), u"gw-%1.example.net"_s.arg(agent)}, {CORE, u"core.example.net"_s}, {UPLINK, {}}};
    for (const auto &[address, name] : hops) {
        Protocol::TracerouteHop hop;
        hop.ttl = int(path.hops.size()) + 1;
        hop.address = address;
        hop.name = name;
        hop.sent = 10;
        hop.received = 10;
        hop.hasRtt = true;
        hop.avgMs = rtt * hop.ttl / 3;
        path.hops.append(hop);
    }
    path.reached = true;
    Protocol::Round round;
    round.testId = testId;
    round.timeMs = timeMs;
    round.values = {metric(Metric::TracerouteDestRtt, rtt), metric(Metric::TracerouteDestLoss, 0),
        metric(Metric::TracerouteHops, 3)};
    round.detail = path;
    return round;
}

AlertRule rule(const QString &name, const QString &test, const QString &metricName, double above)
{
    AlertRule made;
    made.name = name;
    made.testName = test;
    made.metric = metricName;
    made.raiseLevel = above;
    return made;
}

double distance(const QPointF &a, const QPointF &b)
{
    return QLineF(a, b).length();
}

} // namespace

class TestNetworkMap final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void judgesLinks_data();
    void judgesLinks();
    void laysOutColumnsWithRoomForLabels();
    void initTestCase();
    void showsAgentsTargetsAndLinks();
    void coloursLinksByStoredRounds();
    void followsLiveRounds();
    void marksNodesByAlertState();
    void savesADraggedNodeForTheNextPane();
    void readsAnotherConsolesChange();
    void laysOutFromPaths();
    void placesNewThingsApart();
    void savesAndShowsABackground();
    void zoomsWithTheWheel();
    void savesScreenshots();
    void followsAlertChanges();
    void cleanupTestCase();

private:
    void seed(const QString &path);
    MapLayout storedLayout();
    MapNodeItem *node(Kind kind, const QString &name) const { return m_pane->scene()->node(kind, name); }
    MapLinkItem *link(Kind fromKind, const QString &from, Kind toKind, const QString &to) const
    {
        return m_pane->scene()->link(node(fromKind, from), node(toKind, to));
    }
    // Presses on a node, moves the pointer by offset view pixels and (release) lets go.
    QPointF drag(MapNodeItem *item, const QPoint &offset, bool release = true);

    QTemporaryDir m_dir;
    QString m_database;
    QHash<QString, qint64> m_agentIds;
    QHash<QString, qint64> m_testIds;
    Test::MainWindowFixture m_console;
    MapPane *m_pane = nullptr;
};

void TestNetworkMap::judgesLinks_data()
{
    QTest::addColumn<double>("latency");
    QTest::addColumn<double>("loss");
    QTest::addColumn<bool>("failed");
    QTest::addColumn<qint64>("ageMs");
    QTest::addColumn<int>("state");
    QTest::addColumn<QString>("text");
    QTest::newRow("good") << 12.34 << 0.0 << false << qint64(1000) << int(LinkState::Good) << u"12.3 ms · 0 % loss"_s;
    QTest::newRow("some loss") << 12.0 << 0.5 << false << qint64(1000) << int(LinkState::Degraded)
                               << u"12.0 ms · 0.5 % loss"_s;
    QTest::newRow("slow") << 120.0 << 0.0 << false << qint64(1000) << int(LinkState::Degraded)
                          << u"120.0 ms · 0 % loss"_s;
    QTest::newRow("lossy") << 20.0 << 5.0 << false << qint64(1000) << int(LinkState::Bad) << u"20.0 ms · 5 % loss"_s;
    QTest::newRow("very slow") << 300.0 << 0.0 << false << qint64(1000) << int(LinkState::Bad)
                               << u"300.0 ms · 0 % loss"_s;
    QTest::newRow("failed") << 0.0 << 0.0 << true << qint64(1000) << int(LinkState::Bad) << u"round failed"_s;
    QTest::newRow("old") << 12.0 << 0.0 << false << LinkMeasure::STALE_MS + 1 << int(LinkState::NoData)
                         << u"no recent rounds"_s;
}

void TestNetworkMap::judgesLinks()
{
    QFETCH(double, latency);
    QFETCH(double, loss);
    QFETCH(bool, failed);
    QFETCH(qint64, ageMs);
    QFETCH(int, state);
    QFETCH(QString, text);
    const qint64 now = 1'800'000'000'000;
    LinkMeasure measure;
    measure.timeMs = now - ageMs;
    measure.failed = failed;
    if (!failed) {
        measure.latencyMs = latency;
        measure.lossPct = loss;
    }
    QCOMPARE(int(measure.state(now)), state);
    QCOMPARE(measure.text(now), text);
    QCOMPARE(LinkMeasure().text(now), u"no data yet"_s);
    QCOMPARE(int(LinkMeasure().state(now)), int(LinkState::NoData));
}

void TestNetworkMap::laysOutColumnsWithRoomForLabels()
{
    using MapLayering::Line;
    using MapLayering::Thing;
    // Two agents tracing to one target through their own routers and a shared one; b also pings c.
    const QList<Thing> things{{u"agent:b"_s, u"b"_s, 0, 60, 30}, {u"agent:a"_s, u"a"_s, 0, 60, 30},
        {u"hop:1"_s, u"1"_s, 1, 7, 7}, {u"hop:2"_s, u"2"_s, 1, 7, 7}, {u"hop:9"_s, u"9"_s, 2, 7, 7},
        {u"target:t"_s, u"t"_s, 3, 50, 20}, {u"target:c"_s, u"c"_s, 3, 50, 20}};
    const QList<Line> lines{{u"agent:a"_s, u"hop:1"_s, 0}, {u"agent:b"_s, u"hop:2"_s, 0}, {u"hop:1"_s, u"hop:9"_s, 0},
        {u"hop:2"_s, u"hop:9"_s, 0}, {u"hop:9"_s, u"target:t"_s, 300}, {u"agent:b"_s, u"target:c"_s, 100}};
    const auto at = MapLayering::places(things, lines, {{40, 40}, 190, 74, 24});
    QCOMPARE(at.size(), things.size());
    QCOMPARE(at[u"agent:a"_s], QPointF(100, 70)); // by name, the top row's top at 40
    QCOMPARE(at[u"agent:b"_s], QPointF(100, 144));
    QCOMPARE(at[u"hop:1"_s].y(), at[u"agent:a"_s].y()); // level with what links into it
    QCOMPARE(at[u"hop:2"_s].y(), at[u"agent:b"_s].y());
    QCOMPARE(at[u"hop:9"_s].y(), (at[u"hop:1"_s].y() + at[u"hop:2"_s].y()) / 2);
    QCOMPARE(at[u"hop:1"_s].x(), 100 + 60 + 190 + 7.0);
    // The last gap holds the 300 px label with room on both sides.
    QCOMPARE(at[u"target:t"_s].x() - at[u"hop:9"_s].x(), 7 + 300 + 2 * 24 + 50.0);
    QCOMPARE(at[u"target:c"_s].x(), at[u"target:t"_s].x());
    QVERIFY(std::abs(at[u"target:c"_s].y() - at[u"target:t"_s].y()) >= 74);
}

// Three agents: each pings the uplink and traces its path there (through its own gateway and the
// shared core router); alpha also pings the DNS server, gamma the branch office, which loses 40 %.
// branch-loss fires on gamma, uplink-slow fires on beta and is acknowledged, dns-loss fires on alpha
// inside a maintenance window (silenced).
void TestNetworkMap::seed(const QString &path)
{
    QString error;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    {
        Database db;
        QVERIFY2(db.open(DatabaseUrl::sqliteFile(path), u"seed"_s, &error), qPrintable(error));
        AgentRepository agents(db);
        QVERIFY2(db.beginWrite(&error), qPrintable(error));
        for (const QString &name : {u"alpha"_s, u"beta"_s, u"gamma"_s}) {
            qint64 id = 0;
            QVERIFY2(agents.enroll({name, name + u".lab.example.net"_s, u"Debian GNU/Linux 12"_s, u"0.1.0"_s,
                                       {u"ping"_s, u"traceroute"_s}},
                         0, now - 60 * MINUTE_MS, &id, &error),
                qPrintable(error));
            m_agentIds.insert(name, id);
        }
        QVERIFY2(db.commit(&error), qPrintable(error));
    }
    LocalAdministration local(ALICE);
    QVERIFY2(local.open(DatabaseUrl::sqliteFile(path), u"seed-tests"_s, &error), qPrintable(error));
    Operations &operations = local.operations();
    const auto addTest = [&](const QString &name, const QString &type, const QString &target, const QStringList &on) {
        TestRecord test;
        test.name = name;
        test.type = type;
        test.target = target;
        test.intervalMs = type == u"traceroute" ? 10000 : 1000;
        test.agentNames = on;
        const auto id = operations.addTest(test);
        QVERIFY2(id, qPrintable(id.error()));
        m_testIds.insert(name, *id);
    };
    addTest(u"uplink"_s, u"ping"_s, UPLINK, {u"alpha"_s, u"beta"_s, u"gamma"_s});
    addTest(u"uplink-path"_s, u"traceroute"_s, UPLINK, {u"alpha"_s, u"beta"_s, u"gamma"_s});
    addTest(u"dns-server"_s, u"ping"_s, DNS, {u"alpha"_s});
    addTest(u"branch-office"_s, u"ping"_s, BRANCH, {u"gamma"_s});
    if (QTest::currentTestFailed())
        return;

    const qint64 at = now - 20000;
    const QHash<QString, QList<Protocol::Round>> rounds{
        {u"alpha"_s,
            {pingRound(m_testIds[u"uplink"_s], at, 12.3, 0), tracedRound(m_testIds[u"uplink-path"_s], at, 1, 12.8),
                pingRound(m_testIds[u"dns-server"_s], at, 3.1, 0)}},
        {u"beta"_s,
            {pingRound(m_testIds[u"uplink"_s], at, 48.2, 0), tracedRound(m_testIds[u"uplink-path"_s], at, 2, 47.5)}},
        {u"gamma"_s,
            {pingRound(m_testIds[u"uplink"_s], at, 31.0, 2), tracedRound(m_testIds[u"uplink-path"_s], at, 3, 30.4),
                pingRound(m_testIds[u"branch-office"_s], at, 85.0, 40)}},
    };
    {
        Database db;
        QVERIFY2(db.open(DatabaseUrl::sqliteFile(path), u"seed-rounds"_s, &error), qPrintable(error));
        SampleRepository samples(db);
        for (auto it = rounds.cbegin(); it != rounds.cend(); ++it)
            QVERIFY2(
                samples.storeResults(m_agentIds[it.key()], {1, it.value(), {}, 0}, {}, now, &error), qPrintable(error));
    }

    MaintenanceWindow works;
    works.name = u"dns-works"_s;
    works.fromMs = now - 60 * MINUTE_MS;
    works.toMs = now + 60 * MINUTE_MS;
    works.tests = {u"dns-server"_s};
    QVERIFY(operations.addMaintenance(works));
    const auto branch = operations.addAlert(rule(u"branch-loss"_s, u"branch-office"_s, u"ping.loss_pct"_s, 20));
    const auto slow = operations.addAlert(rule(u"uplink-slow"_s, u"uplink"_s, u"ping.rtt_median_ms"_s, 40));
    const auto dns = operations.addAlert(rule(u"dns-loss"_s, u"dns-server"_s, u"ping.loss_pct"_s, 20));
    QVERIFY2(branch && slow && dns, qPrintable(branch.error() + slow.error() + dns.error()));
    QVERIFY(operations.recordConditions({{*branch, m_agentIds[u"gamma"_s], true, now - 2 * MINUTE_MS, 40}}));
    QVERIFY(operations.recordConditions({{*slow, m_agentIds[u"beta"_s], true, now - 5 * MINUTE_MS, 48}}));
    QVERIFY(operations.acknowledgeAlert(u"uplink-slow"_s, u"Backup traffic"_s));
    QVERIFY(operations.recordConditions({{*dns, m_agentIds[u"alpha"_s], true, now - 3 * MINUTE_MS, 30}}));
}

MapLayout TestNetworkMap::storedLayout()
{
    LocalAdministration local(ALICE);
    QString error;
    if (!local.open(DatabaseUrl::sqliteFile(m_database), u"check"_s, &error)) {
        qWarning() << error;
        return {};
    }
    const auto layout = local.operations().mapLayout();
    return layout ? *layout : MapLayout();
}

QPointF TestNetworkMap::drag(MapNodeItem *item, const QPoint &offset, bool release)
{
    QGraphicsView *view = m_pane->view();
    view->ensureVisible(item);
    QWidget *viewport = view->viewport();
    const QPoint from = view->mapFromScene(item->pos());
    const QPoint to = from + offset;
    const QPointF expected = item->pos() + view->mapToScene(to) - view->mapToScene(from);
    QTest::mousePress(viewport, Qt::LeftButton, {}, from);
    for (int step = 1; step <= 4; ++step) {
        const QPoint at = from + offset * step / 4;
        QMouseEvent move(QEvent::MouseMove, at, viewport->mapToGlobal(at), Qt::NoButton, Qt::LeftButton, {});
        QApplication::sendEvent(viewport, &move);
    }
    if (release)
        QTest::mouseRelease(viewport, Qt::LeftButton, {}, to);
    return expected;
}

void TestNetworkMap::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_database = m_dir.filePath(u"console.db"_s);
    seed(m_database);
    if (QTest::currentTestFailed())
        return;
    QString error;
    QVERIFY2(m_console.start(m_database, &error), qPrintable(error));
    m_pane = child<MapPane>(m_console.window(), u"mapPane"_s);
    auto *tabs = child<QTabWidget>(m_console.window(), u"centralTabs"_s);
    QVERIFY(m_pane && tabs);
    QCOMPARE(tabs->tabText(tabs->indexOf(m_pane)), u"&Map"_s);
    tabs->setCurrentWidget(m_pane);
    QTRY_VERIFY_WITH_TIMEOUT(m_pane->scene()->hasLayout() && node(Kind::Agent, u"alpha"_s), WAIT_MS);
}

void TestNetworkMap::showsAgentsTargetsAndLinks()
{
    for (const QString &agent : {u"alpha"_s, u"beta"_s, u"gamma"_s})
        QVERIFY2(node(Kind::Agent, agent), qPrintable(agent));
    for (const QString &target : {UPLINK, DNS, BRANCH})
        QTRY_VERIFY2_WITH_TIMEOUT(node(Kind::Target, target), qPrintable(target), WAIT_MS);
    QVERIFY(link(Kind::Agent, u"alpha"_s, Kind::Target, UPLINK));
    QVERIFY(link(Kind::Agent, u"gamma"_s, Kind::Target, UPLINK));
    QVERIFY(link(Kind::Agent, u"alpha"_s, Kind::Target, DNS));
    QVERIFY(!link(Kind::Agent, u"beta"_s, Kind::Target, DNS)); // beta does not run that test
    QVERIFY(!node(Kind::Hop, CORE)); // routers only once laid out from paths
    QVERIFY(!node(Kind::Agent, u"alpha"_s)->online());
    // Nothing lies on anything else.
    const QList<MapNodeItem *> nodes = m_pane->scene()->nodes();
    for (const MapNodeItem *a : nodes) {
        for (const MapNodeItem *b : nodes)
            QVERIFY2(a == b || !a->sceneBoundingRect().intersects(b->sceneBoundingRect()), qPrintable(a->name()));
    }
}

void TestNetworkMap::coloursLinksByStoredRounds()
{
    MapLinkItem *dns = link(Kind::Agent, u"alpha"_s, Kind::Target, DNS);
    MapLinkItem *branch = link(Kind::Agent, u"gamma"_s, Kind::Target, BRANCH);
    MapLinkItem *uplink = link(Kind::Agent, u"gamma"_s, Kind::Target, UPLINK);
    QVERIFY(dns && branch && uplink);
    QTRY_COMPARE_WITH_TIMEOUT(dns->label(), u"3.1 ms · 0 % loss"_s, WAIT_MS);
    QCOMPARE(dns->color(), StatusColor::Good);
    QTRY_COMPARE_WITH_TIMEOUT(branch->label(), u"85.0 ms · 40 % loss"_s, WAIT_MS);
    QCOMPARE(branch->state(), LinkState::Bad);
    QCOMPARE(branch->color(), StatusColor::Error);
    // Ping and traceroute both measure gamma's uplink; the worse one (2 % lost) speaks.
    QTRY_COMPARE_WITH_TIMEOUT(uplink->label(), u"31.0 ms · 2 % loss"_s, WAIT_MS);
    QCOMPARE(uplink->color(), StatusColor::Warning);
    QVERIFY(uplink->toolTip().contains(u"uplink-path"_s));
    QVERIFY(m_pane->view()->grab().save(screenshotDir() + u"/map-first-start.png"_s)); // nothing placed yet
}

void TestNetworkMap::followsLiveRounds()
{
    MapLinkItem *dns = link(Kind::Agent, u"alpha"_s, Kind::Target, DNS);
    QVERIFY(dns);
    const qint64 alpha = m_agentIds[u"alpha"_s];
    const qint64 test = m_testIds[u"dns-server"_s];
    qint64 at = QDateTime::currentMSecsSinceEpoch();
    Q_EMIT m_console.service()->roundsStored(alpha, {pingRound(test, ++at, 180, 0)});
    QTRY_COMPARE_WITH_TIMEOUT(dns->label(), u"180.0 ms · 0 % loss"_s, WAIT_MS);
    QCOMPARE(dns->color(), StatusColor::Warning);
    Q_EMIT m_console.service()->roundsStored(alpha, {pingRound(test, ++at, 3.4, 12.5)});
    QTRY_COMPARE_WITH_TIMEOUT(dns->label(), u"3.4 ms · 12.5 % loss"_s, WAIT_MS);
    QCOMPARE(dns->color(), StatusColor::Error);
    Protocol::Round failed;
    failed.testId = test;
    failed.timeMs = ++at;
    failed.error = u"Network is unreachable"_s;
    Q_EMIT m_console.service()->roundsStored(alpha, {failed});
    QTRY_COMPARE_WITH_TIMEOUT(dns->label(), u"round failed"_s, WAIT_MS);
    // An older round read back late does not win over a newer one.
    Q_EMIT m_console.service()->roundsStored(alpha, {pingRound(test, at - 5000, 1, 0)});
    Q_EMIT m_console.service()->roundsStored(alpha, {pingRound(test, ++at, 3.1, 0)});
    QTRY_COMPARE_WITH_TIMEOUT(dns->label(), u"3.1 ms · 0 % loss"_s, WAIT_MS);
    QCOMPARE(dns->color(), StatusColor::Good);
}

void TestNetworkMap::marksNodesByAlertState()
{
    QTRY_COMPARE_WITH_TIMEOUT(node(Kind::Agent, u"gamma"_s)->alertMark(), AlertMark::Firing, WAIT_MS);
    QCOMPARE(node(Kind::Target, BRANCH)->alertMark(), AlertMark::Firing);
    QCOMPARE(node(Kind::Agent, u"beta"_s)->alertMark(), AlertMark::Acknowledged);
    QCOMPARE(node(Kind::Target, UPLINK)->alertMark(), AlertMark::Acknowledged);
    QCOMPARE(node(Kind::Agent, u"alpha"_s)->alertMark(), AlertMark::Silenced);
    QCOMPARE(node(Kind::Target, DNS)->alertMark(), AlertMark::Silenced);
    QVERIFY(node(Kind::Agent, u"gamma"_s)->toolTip().contains(u"branch-loss"_s));
}

void TestNetworkMap::savesADraggedNodeForTheNextPane()
{
    MapNodeItem *dns = node(Kind::Target, DNS);
    QVERIFY(dns);
    QSignalSpy saved(m_pane, &MapPane::saved);
    const QPointF expected = drag(dns, {60, 90}, false);
    QVERIFY(distance(dns->pos(), expected) < 1);
    QVERIFY(m_pane->scene()->dragging());
    QVERIFY(!saved.wait(MapPane::SAVE_AFTER_MS + 500)); // not while the button is held
    QTest::mouseRelease(m_pane->view()->viewport(), Qt::LeftButton, {}, m_pane->view()->mapFromScene(expected));
    QVERIFY(saved.wait(WAIT_MS));
    const MapLayout layout = storedLayout();
    const auto stored = std::find_if(layout.nodes.cbegin(), layout.nodes.cend(),
        [](const MapNode &node) { return node.kind == Kind::Target && node.name == DNS; });
    QVERIFY(stored != layout.nodes.cend());
    QVERIFY(distance({stored->x, stored->y}, expected) < 1);
    QVERIFY(layout.nodes.size() >= 6); // everything else was saved with it

    MapPane fresh(m_console.service());
    QTRY_VERIFY_WITH_TIMEOUT(fresh.scene()->node(Kind::Target, DNS), WAIT_MS);
    QVERIFY(distance(fresh.scene()->node(Kind::Target, DNS)->pos(), expected) < 1);
    for (MapNodeItem *item : m_pane->scene()->nodes()) {
        const MapNodeItem *same = fresh.scene()->node(item->kind(), item->name());
        QVERIFY2(same && distance(same->pos(), item->pos()) < 1, qPrintable(item->name()));
    }
}

void TestNetworkMap::readsAnotherConsolesChange()
{
    MapLayout layout = storedLayout();
    bool found = false;
    for (MapNode &stored : layout.nodes) {
        if (stored.kind == Kind::Agent && stored.name == u"beta") {
            stored.x += 35;
            stored.y += 400;
            found = true;
        }
    }
    QVERIFY(found);
    LocalAdministration other(ALICE);
    QString error;
    QVERIFY2(other.open(DatabaseUrl::sqliteFile(m_database), u"other-console"_s, &error), qPrintable(error));
    QVERIFY(other.operations().saveMapLayout(layout, false));
    const MapNode beta = *std::find_if(layout.nodes.cbegin(), layout.nodes.cend(),
        [](const MapNode &node) { return node.kind == Kind::Agent && node.name == u"beta"; });
    QTRY_VERIFY_WITH_TIMEOUT(distance(node(Kind::Agent, u"beta"_s)->pos(), {beta.x, beta.y}) < 1, WAIT_MS);
}

void TestNetworkMap::laysOutFromPaths()
{
    QSignalSpy laidOut(m_pane, &MapPane::laidOut);
    QSignalSpy saved(m_pane, &MapPane::saved);
    QTest::mouseClick(child<QPushButton>(m_pane, u"mapLayOutButton"_s), Qt::LeftButton);
    QVERIFY(laidOut.wait(WAIT_MS));
    QVERIFY(m_pane->scene()->showsPaths());
    MapNodeItem *alpha = node(Kind::Agent, u"alpha"_s);
    MapNodeItem *gateway = node(Kind::Hop, u"10.0.1.1"_s);
    MapNodeItem *core = node(Kind::Hop, CORE);
    MapNodeItem *uplink = node(Kind::Target, UPLINK);
    QVERIFY(alpha && gateway && core && uplink);
    QVERIFY(!node(Kind::Hop, UPLINK)); // the destination is the target, not a router
    // Left to right by hop; each agent's gateway level with it.
    QVERIFY(alpha->x() < gateway->x() && gateway->x() < core->x() && core->x() < uplink->x());
    QCOMPARE(gateway->y(), alpha->y());
    QCOMPARE(node(Kind::Target, DNS)->x(), uplink->x());
    QCOMPARE(node(Kind::Agent, u"gamma"_s)->x(), alpha->x());
    QVERIFY(gateway->toolTip().contains(u"gw-1.example.net"_s));
    // The path replaces the straight link; the shared last link carries every agent's figures.
    QVERIFY(!link(Kind::Agent, u"alpha"_s, Kind::Target, UPLINK));
    QVERIFY(link(Kind::Agent, u"alpha"_s, Kind::Hop, u"10.0.1.1"_s));
    QVERIFY(link(Kind::Hop, u"10.0.1.1"_s, Kind::Hop, CORE));
    MapLinkItem *last = link(Kind::Hop, CORE, Kind::Target, UPLINK);
    QVERIFY(last);
    QVERIFY2(last->label().contains(u"gamma: 31.0 ms · 2 % loss"_s), qPrintable(last->label()));
    QVERIFY(last->label().contains(u"alpha: "_s) && last->label().contains(u"beta: "_s));
    QCOMPARE(last->color(), StatusColor::Warning);
    // Hops without trouble stay quiet.
    QVERIFY(link(Kind::Hop, u"10.0.1.1"_s, Kind::Hop, CORE)->label().isEmpty());
    QCOMPARE(link(Kind::Hop, u"10.0.1.1"_s, Kind::Hop, CORE)->color(), StatusColor::Good);
    QVERIFY(link(Kind::Agent, u"alpha"_s, Kind::Target, DNS)); // no path traced there: straight
    QVERIFY(m_pane->view()->grab().save(screenshotDir() + u"/map-paths.png"_s));

    QVERIFY(saved.count() > 0 || saved.wait(WAIT_MS));
    const MapLayout layout = storedLayout();
    const auto hop = std::find_if(layout.nodes.cbegin(), layout.nodes.cend(),
        [](const MapNode &stored) { return stored.kind == Kind::Hop && stored.name == CORE; });
    QVERIFY(hop != layout.nodes.cend());
    QVERIFY(distance({hop->x, hop->y}, core->pos()) < 1);
    // Another pane shows the paths too, with the routers where they were put.
    MapPane fresh(m_console.service());
    QTRY_VERIFY_WITH_TIMEOUT(fresh.scene()->node(Kind::Hop, CORE), WAIT_MS);
    QVERIFY(distance(fresh.scene()->node(Kind::Hop, CORE)->pos(), core->pos()) < 1);
}

void TestNetworkMap::placesNewThingsApart()
{
    TestRecord web;
    web.name = u"intranet"_s;
    web.type = u"ping"_s;
    web.target = u"198.51.100.80"_s;
    web.intervalMs = 1000;
    web.agentNames = {u"beta"_s};
    m_console.service()->administration()->addTest(web, this, [](const Result<qint64> &id) { QVERIFY(id); });
    QTRY_VERIFY_WITH_TIMEOUT(node(Kind::Target, web.target), WAIT_MS);
    MapNodeItem *target = node(Kind::Target, web.target);
    for (const MapNodeItem *other : m_pane->scene()->nodes())
        QVERIFY2(other == target || !other->sceneBoundingRect().intersects(target->sceneBoundingRect()),
            qPrintable(other->name()));
    MapLinkItem *line = link(Kind::Agent, u"beta"_s, Kind::Target, web.target);
    QVERIFY(line);
    QCOMPARE(line->label(), u"no data yet"_s);
    QCOMPARE(line->state(), LinkState::NoData);
    QCOMPARE(line->color(), StatusColor::Idle);
    // Remove it again: the screenshots show the map as seeded.
    m_console.service()->administration()->deleteTest(
        web.name, false, this, [](const Result<QString> &done) { QVERIFY(done); });
    QTRY_VERIFY_WITH_TIMEOUT(!node(Kind::Target, web.target), WAIT_MS);
}

void TestNetworkMap::savesAndShowsABackground()
{
    // A site diagram: two buildings and the street between them.
    QImage picture(1100, 520, QImage::Format_RGB32);
    picture.fill(QColor(246, 244, 238));
    {
        QPainter painter(&picture);
        painter.setPen(QPen(QColor(170, 165, 150), 3));
        painter.setBrush(QColor(232, 228, 216));
        painter.drawRect(10, 10, 300, 500);
        painter.drawRect(820, 10, 270, 500);
        painter.setPen(QColor(130, 125, 110));
        painter.setFont(QFont(painter.font().family(), 16));
        painter.drawText(QRect(10, 470, 300, 36), Qt::AlignCenter, u"Office building"_s);
        painter.drawText(QRect(820, 470, 270, 36), Qt::AlignCenter, u"Data centre"_s);
    }
    const QString file = m_dir.filePath(u"site.png"_s);
    QVERIFY(picture.save(file));
    QFile written(file);
    QVERIFY(written.open(QIODevice::ReadOnly));
    const QByteArray bytes = written.readAll();

    QString error;
    const QString notAPicture = m_dir.filePath(u"notes.png"_s);
    QFile notes(notAPicture);
    QVERIFY(notes.open(QIODevice::WriteOnly) && notes.write("just some text") > 0);
    notes.close();
    QVERIFY(!m_pane->setBackgroundFile(notAPicture, &error));
    QVERIFY2(error.contains(u"not a PNG or JPEG picture"_s), qPrintable(error));
    QVERIFY(!m_pane->scene()->backgroundItem());

    QSignalSpy saved(m_pane, &MapPane::saved);
    QVERIFY2(m_pane->setBackgroundFile(file, &error), qPrintable(error));
    QVERIFY(saved.wait(WAIT_MS));
    QCOMPARE(storedLayout().background, bytes);
    QVERIFY(m_pane->scene()->backgroundItem());
    QCOMPARE(m_pane->scene()->backgroundItem()->pixmap().size(), picture.size());
    QVERIFY(child<QPushButton>(m_pane, u"mapRemoveBackgroundButton"_s)->isEnabled());
    // A fresh pane shows it; moving a node later keeps it.
    MapPane fresh(m_console.service());
    QTRY_VERIFY_WITH_TIMEOUT(fresh.scene()->backgroundItem(), WAIT_MS);
    QCOMPARE(fresh.scene()->background(), bytes);

    QTest::mouseClick(child<QPushButton>(m_pane, u"mapRemoveBackgroundButton"_s), Qt::LeftButton);
    QVERIFY(saved.wait(WAIT_MS));
    QVERIFY(storedLayout().background.isEmpty());
    QVERIFY(!m_pane->scene()->backgroundItem());
    QTRY_VERIFY_WITH_TIMEOUT(!fresh.scene()->backgroundItem(), WAIT_MS); // another console's removal

    QVERIFY(m_pane->setBackgroundFile(file, &error)); // for the screenshots
    QVERIFY(saved.wait(WAIT_MS));
    MapNodeItem *gamma = node(Kind::Agent, u"gamma"_s);
    gamma->setPos(gamma->pos() + QPointF(0, 4));
    QVERIFY(saved.wait(WAIT_MS));
    QCOMPARE(storedLayout().background, bytes);
}

void TestNetworkMap::zoomsWithTheWheel()
{
    QGraphicsView *view = m_pane->view();
    const double before = view->transform().m11();
    const QPointF at = view->viewport()->rect().center();
    QWheelEvent in(at, view->viewport()->mapToGlobal(at), {}, {0, 240}, Qt::NoButton, {}, Qt::NoScrollPhase, false);
    QApplication::sendEvent(view->viewport(), &in);
    QVERIFY(view->transform().m11() > before * 1.3);
    QWheelEvent out(at, view->viewport()->mapToGlobal(at), {}, {0, -240}, Qt::NoButton, {}, Qt::NoScrollPhase, false);
    QApplication::sendEvent(view->viewport(), &out);
    QVERIFY(std::abs(view->transform().m11() - before) < 0.01);
    QTest::mouseClick(child<QPushButton>(m_pane, u"mapFitButton"_s), Qt::LeftButton);
}

void TestNetworkMap::savesScreenshots()
{
    m_pane->zoomToFit();
    QVERIFY(m_console.window()->grab().save(screenshotDir() + u"/map-window.png"_s));
    QVERIFY(m_pane->view()->grab().save(screenshotDir() + u"/map-view.png"_s));
    Appearance::apply(Appearance::Theme::Dark);
    QCoreApplication::processEvents();
    QVERIFY(Appearance::isDark());
    QVERIFY(m_pane->view()->grab().save(screenshotDir() + u"/map-view-dark.png"_s));
    Appearance::apply(Appearance::Theme::System);
    QCoreApplication::processEvents();
}

void TestNetworkMap::followsAlertChanges()
{
    QVERIFY(node(Kind::Agent, u"gamma"_s)->alertMark() == AlertMark::Firing);
    m_console.service()->administration()->acknowledgeAlert(
        u"branch-loss"_s, u"Line check booked"_s, this, [](const Result<Done> &done) { QVERIFY(done); });
    QTRY_COMPARE_WITH_TIMEOUT(node(Kind::Agent, u"gamma"_s)->alertMark(), AlertMark::Acknowledged, WAIT_MS);
    QCOMPARE(node(Kind::Target, BRANCH)->alertMark(), AlertMark::Acknowledged);
}

void TestNetworkMap::cleanupTestCase()
{
    m_console.stop();
}

QTEST_MAIN(TestNetworkMap)
#include "tst_networkmap.moc"
