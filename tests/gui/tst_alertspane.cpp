// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
// The Alerts tab on a real console service and database: the rules' states, an alert's history and
// the diagnosis taken when it fired, adding an alert through its dialog (and refusing a bad one),
// acknowledging, removing, maintenance windows, and the desktop notification's fallback.
#include <algorithm>

#include <QAbstractItemModelTester>
#include <QAction>
#include <QComboBox>
#include <QDateTime>
#include <QDateTimeEdit>
#include <QDir>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStatusBar>
#include <QSystemTrayIcon>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

#include "console/alerts/alertengine.h"
#include "console/alerts/alertmessage.h"
#include "console/app/localadministration.h"
#include "console/models/pathmodel.h"
#include "console/server/consoleservice.h"
#include "console/storage/agentrepository.h"
#include "console/storage/alertrepository.h"
#include "console/storage/database.h"
#include "console/storage/samplerepository.h"
#include "console/storage/testrepository.h"
#include "console/ui/alertdiagnosis.h"
#include "console/ui/alertdialog.h"
#include "console/ui/alerthistorymodel.h"
#include "console/ui/alertmodel.h"
#include "console/ui/alertspane.h"
#include "console/ui/alerttray.h"
#include "console/ui/maintenancedialog.h"
#include "console/ui/mainwindow.h"
#include "shared/protocol/details.h"
#include "tests/support/mainwindowfixture.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm;
using namespace StreamSwarm::Console;
using StreamSwarm::Test::child;
using StreamSwarm::Test::screenshotDir;

namespace {

constexpr qint64 MINUTE_MS = 60 * 1000;
constexpr qint64 HOUR_MS = 60 * MINUTE_MS;
constexpr int WAIT_MS = 10000;
const Actor ALICE{Actor::Origin::CommandLine, u"alice"_s};

AlertRule rule(const QString &name, const QString &test, const QString &metric, double above, AlertSeverity severity)
{
    AlertRule made;
    made.name = name;
    made.testName = test;
    made.metric = metric;
    made.raiseLevel = above;
    made.severity = severity;
    return made;
}

// A path from edge-1 to the data centre: loss starts at hop 4, a router that limits its replies at 3.
Protocol::TracerouteDetail tracedPath()
{
    const auto hop = [](int ttl, const QString &address, const QString &name, int received, double avg) {
        Protocol::TracerouteHop made;
        made.ttl = ttl;
        made.address = address;
        made.name = name;
        made.sent = 10;
        made.received = received;
        made.lossPct = 100.0 * (10 - received) / 10;
        made.hasRtt = received > 0;
        if (made.hasRtt) {
            made.lastMs = avg + 0.3;
            made.avgMs = avg;
            made.bestMs = avg - 0.4;
            made.worstMs = avg + 2.5;
            made.stddevMs = 0.6;
        }
        return made;
    };
    Protocol::TracerouteDetail path;
    path.target = u"dc-1.example.net"_s;
    path.address = u"192.0.2.20"_s;
    path.protocol = u"icmp"_s;
    path.hops
        = {hop(1, u"192.168.1.1"_s, u"gateway"_s, 10, 0.5), hop(2, u"10.1.1.2"_s, u"core-a.example.net"_s, 10, 1.6),
            hop(3, u"10.2.0.1"_s, QString(), 4, 2.4), hop(4, u"198.51.100.9"_s, u"isp-edge.example.org"_s, 6, 38.0),
            hop(5, QString(), QString(), 0, 0), hop(6, u"192.0.2.20"_s, u"dc-1.example.net"_s, 6, 41.2)};
    path.reached = true;
    path.lossHop = Protocol::HopStep{4, u"198.51.100.9"_s, 40.0};
    path.latencyHop = Protocol::HopStep{4, u"198.51.100.9"_s, 35.6};
    path.rateLimited = {3};
    return path;
}

Protocol::DnsDetail lookup()
{
    Protocol::DnsDetail dns;
    dns.query = u"dc-1.example.net"_s;
    dns.queryType = u"A"_s;
    dns.server = u"192.168.1.1:53"_s;
    dns.transport = u"udp"_s;
    dns.rcode = u"NOERROR"_s;
    dns.sends = 1;
    dns.answers = {{u"dc-1.example.net."_s, u"A"_s, 300, u"192.0.2.20"_s}};
    return dns;
}

int rowOf(const QAbstractItemModel *model, const QString &name)
{
    for (int row = 0; row < model->rowCount(); ++row) {
        if (model->index(row, 0).data().toString() == name)
            return row;
    }
    return -1;
}

} // namespace

class TestAlertsPane final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void modelsPassTheTester();
    void showsEachAlertsState();
    void showsHistoryAndDiagnosis();
    void saysWhenNoDiagnosisWasTaken();
    void addsAnAlertThroughTheDialog();
    void refusesABadNotifyTarget();
    void acknowledgesWithAComment();
    void removesAfterAsking();
    void editsMaintenanceWindows();
    void showsDesktopNotifications();
    void testButtonSaysWhereMessagesWent();
    void cleanupTestCase();

private:
    void seed(const QString &path);
    QList<AlertStatus> storedAlerts();
    template <typename T>
    T *waitForTopLevel(const QString &name);

    QTemporaryDir m_dir;
    QString m_database;
    qint64 m_firingIncident = 0;
    qint64 m_pastIncident = 0;
    Test::MainWindowFixture m_console;
    AlertsPane *m_pane = nullptr;
    QTabWidget *m_tabs = nullptr;
};

// Two agents and two ping tests; four alerts, one in each state. loss-to-dc fired 12 minutes ago on
// edge-1 (with its diagnosis stored: five traced rounds and a DNS answer) and once yesterday, then
// acknowledged by alice after 4 minutes; slow-dc is acknowledged; branch-down fires inside a
// maintenance window; latency-to-dc is ok.
void TestAlertsPane::seed(const QString &path)
{
    QString error;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    qint64 edge = 0;
    qint64 branch = 0;
    {
        Database db;
        QVERIFY2(db.open(DatabaseUrl::sqliteFile(path), u"seed"_s, &error), qPrintable(error));
        AgentRepository agents(db);
        QVERIFY2(db.beginWrite(&error), qPrintable(error));
        QVERIFY2(agents.enroll({u"edge-1"_s, u"edge-1.lab.example.net"_s, u"Debian GNU/Linux 12"_s, u"0.1.0"_s,
                                   {u"ping"_s, u"traceroute"_s, u"dns"_s}},
                     0, now - 48 * HOUR_MS, &edge, &error),
            qPrintable(error));
        QVERIFY2(agents.enroll({u"branch-2"_s, u"br2-gw.example.net"_s, u"Debian GNU/Linux 12"_s, u"0.1.0"_s,
                                   {u"ping"_s, u"traceroute"_s, u"dns"_s}},
                     0, now - 48 * HOUR_MS, &branch, &error),
            qPrintable(error));
        QVERIFY2(db.commit(&error), qPrintable(error));
        TestRepository tests(db);
        TestRecord ping;
        ping.name = u"ping-dc"_s;
        ping.type = u"ping"_s;
        ping.target = u"dc-1.example.net"_s;
        ping.intervalMs = 1000;
        ping.agentNames = {u"edge-1"_s, u"branch-2"_s};
        ping.createdAtMs = now - 48 * HOUR_MS;
        QVERIFY2(tests.add(ping, &error), qPrintable(error));
        ping.name = u"ping-branch"_s;
        ping.target = u"10.20.0.1"_s;
        ping.agentNames = {u"branch-2"_s};
        QVERIFY2(tests.add(ping, &error), qPrintable(error));
    }

    LocalAdministration local(ALICE);
    QVERIFY2(local.open(DatabaseUrl::sqliteFile(path), u"seed-alerts"_s, &error), qPrintable(error));
    Operations &operations = local.operations();
    AlertRule loss = rule(u"loss-to-dc"_s, u"ping-dc"_s, u"ping.loss_pct"_s, 20, AlertSeverity::Critical);
    loss.forRounds = 3;
    loss.ofRounds = 5;
    loss.clearLevel = 5;
    loss.notify = {*NotifyTarget::parse(u"desktop"_s, &error)};
    const auto lossId = operations.addAlert(loss);
    QVERIFY2(lossId, qPrintable(lossId.error()));
    const auto slowId
        = operations.addAlert(rule(u"slow-dc"_s, u"ping-dc"_s, u"ping.rtt_avg_ms"_s, 80, AlertSeverity::Warning));
    QVERIFY2(slowId, qPrintable(slowId.error()));
    const auto branchId
        = operations.addAlert(rule(u"branch-down"_s, u"ping-branch"_s, u"ping.loss_pct"_s, 50, AlertSeverity::Info));
    QVERIFY2(branchId, qPrintable(branchId.error()));
    QVERIFY(
        operations.addAlert(rule(u"latency-to-dc"_s, u"ping-dc"_s, u"ping.rtt_max_ms"_s, 250, AlertSeverity::Info)));
    MaintenanceWindow works;
    works.name = u"branch-works"_s;
    works.fromMs = now - HOUR_MS;
    works.toMs = now + HOUR_MS;
    works.tests = {u"ping-branch"_s};
    QVERIFY(operations.addMaintenance(works));

    // Yesterday's: fired, acknowledged after 4 minutes, cleared after 35.
    QVERIFY(operations.recordConditions({{*lossId, edge, true, now - 26 * HOUR_MS, 35}}));
    const auto past = operations.alertIncidents(0, now, 10);
    QVERIFY(past && past->size() == 1);
    m_pastIncident = past->first().id;
    {
        Database db;
        QVERIFY2(db.open(DatabaseUrl::sqliteFile(path), u"seed-ack"_s, &error), qPrintable(error));
        AlertRepository alerts(db);
        QVERIFY2(alerts.acknowledge(m_pastIncident, now - 26 * HOUR_MS + 4 * MINUTE_MS, u"alice"_s,
                     u"ISP maintenance, ticket 4711"_s, &error),
            qPrintable(error));
    }
    QVERIFY(operations.recordConditions({{*lossId, edge, false, now - 26 * HOUR_MS + 35 * MINUTE_MS, 0}}));
    // Its short diagnosis tests ended long ago, without a round (they are made at the real time).
    QVERIFY(operations.stopTest(u"diag-%1-path"_s.arg(m_pastIncident)));
    QVERIFY(operations.stopTest(u"diag-%1-dns"_s.arg(m_pastIncident)));
    // Now: firing on edge-1 since 12 minutes, branch-2 in trouble too since 10.
    QVERIFY(operations.recordConditions({{*lossId, edge, true, now - 12 * MINUTE_MS, 45}}));
    QVERIFY(operations.recordConditions({{*lossId, branch, true, now - 10 * MINUTE_MS, 40}}));
    QVERIFY(operations.recordConditions({{*slowId, edge, true, now - 30 * MINUTE_MS, 95}}));
    QVERIFY(operations.acknowledgeAlert(u"slow-dc"_s, u"Backup job saturates the uplink"_s));
    QVERIFY(operations.recordConditions({{*branchId, branch, true, now - 5 * MINUTE_MS, 100}}));
    const auto statuses = operations.alerts();
    QVERIFY(statuses);
    const auto firing = std::find_if(statuses->cbegin(), statuses->cend(),
        [](const AlertStatus &status) { return status.rule.name == u"loss-to-dc"; });
    QVERIFY(firing != statuses->cend() && firing->open);
    m_firingIncident = firing->open->id;
    QVERIFY2(!firing->open->diagnosis.isEmpty(), "the alert took no diagnosis");

    // The diagnosis tests' rounds, as edge-1 would have sent them.
    const auto pathTest = operations.findTest(u"diag-%1-path"_s.arg(m_firingIncident));
    const auto dnsTest = operations.findTest(u"diag-%1-dns"_s.arg(m_firingIncident));
    QVERIFY(pathTest && *pathTest && dnsTest && *dnsTest);
    Protocol::Results results;
    results.seq = 1;
    for (int i = 0; i < Operations::DIAGNOSIS_ROUNDS; ++i) {
        Protocol::Round round;
        round.testId = (*pathTest)->id;
        round.timeMs = now - 12 * MINUTE_MS + (i + 1) * Operations::DIAGNOSIS_ROUND_MS;
        round.values = {{u"traceroute.dest_rtt_ms"_s, 41.2}, {u"traceroute.dest_loss_pct"_s, 40}};
        round.detail = tracedPath();
        results.rounds.append(round);
    }
    Protocol::Round answer;
    answer.testId = (*dnsTest)->id;
    answer.timeMs = now - 12 * MINUTE_MS + 1500;
    answer.values = {{u"dns.lookup_ms"_s, 12.5}};
    answer.detail = lookup();
    results.rounds.append(answer);
    Database db;
    QVERIFY2(db.open(DatabaseUrl::sqliteFile(path), u"seed-rounds"_s, &error), qPrintable(error));
    SampleRepository samples(db);
    QVERIFY2(samples.storeResults(edge, results, {}, now, &error), qPrintable(error));
}

QList<AlertStatus> TestAlertsPane::storedAlerts()
{
    LocalAdministration local(ALICE);
    QString error;
    if (!local.open(DatabaseUrl::sqliteFile(m_database), u"check"_s, &error)) {
        qWarning() << error;
        return {};
    }
    const auto alerts = local.operations().alerts();
    return alerts ? *alerts : QList<AlertStatus>();
}

// The dialog of this name the pane opened (shown, not exec()'d); nullptr when none came.
template <typename T>
T *TestAlertsPane::waitForTopLevel(const QString &name)
{
    T *found = nullptr;
    const bool came = QTest::qWaitFor(
        [&] {
            found = m_console.window()->findChild<T *>(name);
            return found && found->isVisible();
        },
        WAIT_MS);
    return came ? found : nullptr;
}

void TestAlertsPane::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_database = m_dir.filePath(u"console.db"_s);
    seed(m_database);
    QString error;
    QVERIFY2(m_console.start(m_database, &error), qPrintable(error));
    m_pane = child<AlertsPane>(m_console.window(), u"alertsPane"_s);
    m_tabs = child<QTabWidget>(m_console.window(), u"centralTabs"_s);
    QVERIFY(m_pane && m_tabs);
    m_tabs->setCurrentWidget(m_pane);
    QTRY_COMPARE_WITH_TIMEOUT(m_pane->model()->rowCount(), 4, WAIT_MS);
}

void TestAlertsPane::modelsPassTheTester()
{
    AlertModel alerts;
    QAbstractItemModelTester alertsTester(&alerts, QAbstractItemModelTester::FailureReportingMode::QtTest);
    alerts.setAlerts(m_pane->model()->alerts(), QDateTime::currentMSecsSinceEpoch());
    alerts.setAlerts(m_pane->model()->alerts(), QDateTime::currentMSecsSinceEpoch()); // the same rows
    alerts.setAlerts(m_pane->model()->alerts().mid(1), QDateTime::currentMSecsSinceEpoch());
    QCOMPARE(alerts.rowCount(), 3);
    AlertHistoryModel history;
    QAbstractItemModelTester historyTester(&history, QAbstractItemModelTester::FailureReportingMode::QtTest);
    AlertIncident incident;
    incident.id = 7;
    incident.startedAtMs = QDateTime::currentMSecsSinceEpoch() - 90 * MINUTE_MS;
    history.setIncidents({incident}, QDateTime::currentMSecsSinceEpoch());
    QCOMPARE(history.index(0, AlertHistoryModel::Lasted).data().toString(), u"1 h 30 min, still firing"_s);
    QCOMPARE(history.index(0, AlertHistoryModel::Acknowledged).data().toString(), u"not yet"_s);
}

void TestAlertsPane::showsEachAlertsState()
{
    const AlertModel *model = m_pane->model();
    const auto state = [model](const QString &name) {
        return model->index(rowOf(model, name), AlertModel::State).data().toString();
    };
    QCOMPARE(state(u"loss-to-dc"_s), u"firing"_s);
    QCOMPARE(state(u"slow-dc"_s), u"acknowledged"_s);
    QCOMPARE(state(u"branch-down"_s), u"silenced"_s);
    QCOMPARE(state(u"latency-to-dc"_s), u"ok"_s);
    const int loss = rowOf(model, u"loss-to-dc"_s);
    QCOMPARE(model->index(loss, AlertModel::Condition).data().toString(),
        u"ping.loss_pct above 20 in 3 of 5 rounds, clears at 5"_s);
    QCOMPARE(model->index(loss, AlertModel::Severity).data().toString(), u"critical"_s);
    QCOMPARE(model->index(loss, AlertModel::Agents).data().toString(), u"branch-2, edge-1"_s);
    QVERIFY(model->index(loss, AlertModel::Since).data().toString().contains(u"(12 min)"_s));
    // Each state in its colour, with a dot.
    QCOMPARE(model->index(loss, AlertModel::State).data(Qt::ForegroundRole).value<QColor>(),
        AlertModel::stateColor(AlertState::Firing));
    QVERIFY(!model->index(loss, AlertModel::State).data(Qt::DecorationRole).value<QIcon>().isNull());
    QVERIFY(model->index(rowOf(model, u"slow-dc"_s), AlertModel::State)
                .data(Qt::ToolTipRole)
                .toString()
                .contains(u"Backup job saturates the uplink"_s));
    // The tab counts what fires, so it shows from the other tabs too.
    QCOMPARE(m_tabs->tabText(m_tabs->indexOf(m_pane)), u"A&lerts (1)"_s);
    QCOMPARE(child<QLabel>(m_pane, u"alertsSummary"_s)->text(), u"4 alerts: 1 firing, 1 acknowledged, 1 silenced"_s);

    m_console.window()->resize(Test::MainWindowFixture::WINDOW_SIZE);
    QTest::qWait(50);
    const QString file = screenshotDir() + u"/alerts-firing.png"_s;
    QVERIFY(m_console.window()->grab().save(file));
    qInfo("screenshot: %s", qPrintable(file));
}

void TestAlertsPane::showsHistoryAndDiagnosis()
{
    m_pane->selectAlert(u"loss-to-dc"_s);
    QCOMPARE(m_pane->selectedAlert(), u"loss-to-dc"_s);
    const AlertHistoryModel *history = m_pane->historyModel();
    QTRY_COMPARE_WITH_TIMEOUT(history->rowCount(), 2, WAIT_MS);
    // Newest first: the one under way, then yesterday's.
    QCOMPARE(history->index(0, 0).data(AlertHistoryModel::IncidentIdRole).toLongLong(), m_firingIncident);
    QVERIFY(history->index(0, AlertHistoryModel::Lasted).data().toString().endsWith(u"still firing"_s));
    QCOMPARE(history->index(1, AlertHistoryModel::Lasted).data().toString(), u"35 min"_s);
    QCOMPARE(history->index(1, AlertHistoryModel::Acknowledged).data().toString(), u"by alice after 4 min"_s);
    QCOMPARE(history->index(1, AlertHistoryModel::Note).data().toString(), u"ISP maintenance, ticket 4711"_s);
    QCOMPARE(history->index(0, AlertHistoryModel::Agents).data().toString(), u"edge-1"_s);

    // The newest is chosen: its traceroute hop by hop, and the DNS answer.
    AlertDiagnosis *diagnosis = m_pane->diagnosis();
    QTRY_COMPARE_WITH_TIMEOUT(diagnosis->pathModel()->rowCount(), 6, WAIT_MS);
    QTRY_VERIFY_WITH_TIMEOUT(diagnosis->dnsText().contains(u"NOERROR"_s), WAIT_MS);
    QVERIFY(diagnosis->headingText().contains(u"edge-1"_s));
    QVERIFY(diagnosis->headingText().contains(u"dc-1.example.net"_s));
    const PathModel *path = diagnosis->pathModel();
    QVERIFY(path->index(3, PathModel::Host).data().toString().contains(u"198.51.100.9"_s));
    QCOMPARE(path->index(3, PathModel::Loss).data().toString(), u"40.0"_s);
    QVERIFY(diagnosis->pathView()->isVisible());
    QVERIFY(!diagnosis->pathView()->isColumnHidden(PathModel::Avg));
    QVERIFY(diagnosis->pathView()->isColumnHidden(PathModel::StdDev));

    const QString file = screenshotDir() + u"/alerts-diagnosis.png"_s;
    QVERIFY(m_console.window()->grab().save(file));
    qInfo("screenshot: %s", qPrintable(file));
    const QString pane = screenshotDir() + u"/alerts-pane.png"_s;
    QVERIFY(m_pane->grab().save(pane));

    // Yesterday's short tests are over and sent nothing: said so, not "Loading…".
    m_pane->historyView()->setCurrentIndex(history->index(1, 0));
    QTRY_VERIFY_WITH_TIMEOUT(
        child<QLabel>(diagnosis, u"diagnosisSummary"_s)->text().contains(u"sent no round"_s), WAIT_MS);
    QCOMPARE(diagnosis->pathModel()->rowCount(), 0);
    m_pane->historyView()->setCurrentIndex(history->index(0, 0));
    QTRY_COMPARE_WITH_TIMEOUT(diagnosis->pathModel()->rowCount(), 6, WAIT_MS);

    // A silenced alert's history says which window kept it quiet.
    m_pane->selectAlert(u"branch-down"_s);
    QTRY_COMPARE_WITH_TIMEOUT(history->rowCount(), 1, WAIT_MS);
    QCOMPARE(history->index(0, AlertHistoryModel::Note).data().toString(),
        u"silenced by the maintenance window \"branch-works\""_s);
    m_pane->selectAlert(u"loss-to-dc"_s);
}

void TestAlertsPane::saysWhenNoDiagnosisWasTaken()
{
    AlertDiagnosis diagnosis(m_console.service());
    QSignalSpy loaded(&diagnosis, &AlertDiagnosis::loaded);
    AlertIncident incident;
    incident.id = 99;
    incident.agents = {u"edge-1"_s};
    diagnosis.showIncident(&incident);
    QCOMPARE(loaded.size(), 1);
    QCOMPARE(diagnosis.headingText(), u"No diagnosis was taken."_s);
    QVERIFY(diagnosis.pathView()->isHidden());
    diagnosis.showIncident(nullptr);
    QVERIFY(diagnosis.headingText().startsWith(u"Choose a time"_s));
}

void TestAlertsPane::addsAnAlertThroughTheDialog()
{
    m_console.window()->findChild<QAction *>(u"addAlertAction"_s)->trigger();
    auto *dialog = waitForTopLevel<AlertDialog>(u"alertDialog"_s);
    QVERIFY(dialog);
    auto *add = child<QPushButton>(dialog, u"add"_s);
    QVERIFY(!add->isEnabled()); // nothing named yet
    QVERIFY(!child<QLabel>(dialog, u"error"_s)->isVisible()); // and not scolded for it before typing
    auto *test = child<QComboBox>(dialog, u"test"_s);
    // The diagnosis tests of yesterday have ended: only tests still measuring are offered.
    QVERIFY(test->findText(u"ping-dc"_s) >= 0);
    QCOMPARE(test->findText(u"diag-%1-path"_s.arg(m_pastIncident)), -1);
    test->setCurrentIndex(test->findText(u"ping-dc"_s));
    auto *metric = child<QComboBox>(dialog, u"metric"_s);
    QVERIFY(metric->findText(u"ping.rtt_avg_ms"_s) >= 0);
    QCOMPARE(metric->currentText(), u"ping.loss_pct"_s); // what most alerts watch
    metric->setCurrentIndex(metric->findText(u"ping.rtt_avg_ms"_s));
    QTest::keyClicks(child<QLineEdit>(dialog, u"name"_s), u"rtt-spikes"_s);
    QTest::keyClicks(child<QLineEdit>(dialog, u"level"_s), u"150"_s);
    child<QSpinBox>(dialog, u"forRounds"_s)->setValue(2);
    child<QSpinBox>(dialog, u"ofRounds"_s)->setValue(4);
    QTest::keyClicks(child<QLineEdit>(dialog, u"clearLevel"_s), u"100"_s);
    QTest::keyClicks(child<QLineEdit>(dialog, u"agents"_s), u"edge-1"_s);
    auto *severity = child<QComboBox>(dialog, u"severity"_s);
    severity->setCurrentIndex(severity->findText(u"critical"_s));
    child<QPlainTextEdit>(dialog, u"notify"_s)->setPlainText(u"desktop\nemail:noc@example.net\n"_s);
    QTRY_VERIFY(add->isEnabled());
    QVERIFY2(dialog->problem().isEmpty(), qPrintable(dialog->problem()));
    QVERIFY(child<QLabel>(dialog, u"preview"_s)->text().contains(u"ping.rtt_avg_ms above 150 in 2 of 4 rounds"_s));
    QVERIFY(m_console.window()->grab().save(screenshotDir() + u"/alert-dialog.png"_s));
    QVERIFY(dialog->grab().save(screenshotDir() + u"/alert-dialog-only.png"_s));

    QPointer<AlertDialog> open(dialog);
    QTest::mouseClick(add, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!open, WAIT_MS); // accepted and gone
    const QList<AlertStatus> stored = storedAlerts();
    const auto added = std::find_if(
        stored.cbegin(), stored.cend(), [](const AlertStatus &status) { return status.rule.name == u"rtt-spikes"; });
    QVERIFY(added != stored.cend());
    QCOMPARE(added->rule.testName, u"ping-dc"_s);
    QCOMPARE(added->rule.metric, u"ping.rtt_avg_ms"_s);
    QCOMPARE(added->rule.raiseLevel, 150.0);
    QCOMPARE(added->rule.clearAt(), 100.0);
    QCOMPARE(added->rule.forRounds, 2);
    QCOMPARE(added->rule.ofRounds, 4);
    QCOMPARE(added->rule.agents.names, QStringList{u"edge-1"_s});
    QCOMPARE(added->rule.severity, AlertSeverity::Critical);
    QCOMPARE(added->rule.notify.size(), 2);
    // The pane shows it, chosen.
    QTRY_VERIFY_WITH_TIMEOUT(rowOf(m_pane->model(), u"rtt-spikes"_s) >= 0, WAIT_MS);
    QTRY_COMPARE_WITH_TIMEOUT(m_pane->selectedAlert(), u"rtt-spikes"_s, WAIT_MS);
    QVERIFY(m_pane->notice().contains(u"rtt-spikes"_s));
}

void TestAlertsPane::refusesABadNotifyTarget()
{
    m_console.window()->findChild<QAction *>(u"addAlertAction"_s)->trigger();
    auto *dialog = waitForTopLevel<AlertDialog>(u"alertDialog"_s);
    QVERIFY(dialog);
    auto *add = child<QPushButton>(dialog, u"add"_s);
    auto *error = child<QLabel>(dialog, u"error"_s);
    QTest::keyClicks(child<QLineEdit>(dialog, u"name"_s), u"bad-target"_s);
    QTest::keyClicks(child<QLineEdit>(dialog, u"level"_s), u"twenty"_s);
    QVERIFY(error->isVisible());
    QCOMPARE(error->text(), u"\"twenty\" is not a number; write the level as e.g. 20 or 2.5."_s);
    child<QLineEdit>(dialog, u"level"_s)->setText(u"20"_s);
    child<QPlainTextEdit>(dialog, u"notify"_s)->setPlainText(u"desktop\npager:0170-1234567"_s);
    QTRY_VERIFY(error->text().startsWith(u"Notify, line 2: "_s));
    QVERIFY(error->text().contains(u"pager:0170-1234567"_s));
    QVERIFY(error->isVisible());
    QVERIFY(!add->isEnabled());
    QVERIFY(dialog->grab().save(screenshotDir() + u"/alert-dialog-refused.png"_s));
    // An e-mail address that is not one, said plainly too.
    child<QPlainTextEdit>(dialog, u"notify"_s)->setPlainText(u"email:noc at example.net"_s);
    QTRY_VERIFY(error->text().startsWith(u"Notify, line 1: "_s));
    QVERIFY(!add->isEnabled());
    // A clear level on the wrong side of the alert level.
    child<QPlainTextEdit>(dialog, u"notify"_s)->setPlainText(u"desktop"_s);
    QTest::keyClicks(child<QLineEdit>(dialog, u"clearLevel"_s), u"30"_s);
    QVERIFY(error->text().contains(u"must not be above the alert level"_s));
    child<QLineEdit>(dialog, u"clearLevel"_s)->clear();
    QTest::keyClicks(child<QLineEdit>(dialog, u"agents"_s), u"edge-1"_s);
    child<QSpinBox>(dialog, u"minAgents"_s)->setValue(2);
    QCOMPARE(error->text(), u"The alert waits for 2 agents in trouble, but watches only 1; it could never fire."_s);
    child<QSpinBox>(dialog, u"minAgents"_s)->setValue(1);
    QVERIFY(add->isEnabled());
    QVERIFY(!error->isVisible());
    dialog->reject();
    QCOMPARE(rowOf(m_pane->model(), u"bad-target"_s), -1);
}

void TestAlertsPane::acknowledgesWithAComment()
{
    m_pane->selectAlert(u"loss-to-dc"_s);
    QAction *acknowledge = m_console.window()->findChild<QAction *>(u"acknowledgeAlertAction"_s);
    QVERIFY(acknowledge->isEnabled());
    acknowledge->trigger();
    auto *ask = waitForTopLevel<QInputDialog>(u"acknowledgeDialog"_s);
    QVERIFY(ask);
    ask->setTextValue(u"Called the ISP, ticket 4712"_s);
    ask->accept();
    QTRY_COMPARE_WITH_TIMEOUT(m_pane->model()->alertNamed(u"loss-to-dc"_s)->state, AlertState::Acknowledged, WAIT_MS);
    QVERIFY(!acknowledge->isEnabled()); // once is enough
    QCOMPARE(m_tabs->tabText(m_tabs->indexOf(m_pane)), u"A&lerts"_s);
    const QList<AlertStatus> stored = storedAlerts();
    const auto loss = std::find_if(
        stored.cbegin(), stored.cend(), [](const AlertStatus &status) { return status.rule.name == u"loss-to-dc"; });
    QVERIFY(loss != stored.cend() && loss->open);
    QCOMPARE(loss->open->ackComment, u"Called the ISP, ticket 4712"_s);
    QCOMPARE(loss->open->ackedBy.isEmpty(), false);
    QTRY_VERIFY_WITH_TIMEOUT(
        m_pane->historyModel()->index(0, AlertHistoryModel::Note).data().toString().contains(u"ticket 4712"_s),
        WAIT_MS);
}

void TestAlertsPane::removesAfterAsking()
{
    m_pane->selectAlert(u"rtt-spikes"_s);
    QAction *remove = m_console.window()->findChild<QAction *>(u"removeAlertAction"_s);
    QVERIFY(remove->isEnabled());
    // Cancelled: it stays.
    remove->trigger();
    auto *box = waitForTopLevel<QMessageBox>(u"removeAlertBox"_s);
    QVERIFY(box);
    QVERIFY(box->text().contains(u"rtt-spikes"_s));
    QTest::mouseClick(box->button(QMessageBox::Cancel), Qt::LeftButton);
    QTRY_VERIFY(!m_console.window()->findChild<QMessageBox *>(u"removeAlertBox"_s));
    QTest::qWait(300);
    QVERIFY(rowOf(m_pane->model(), u"rtt-spikes"_s) >= 0);
    // Confirmed: gone from the pane and the database.
    remove->trigger();
    box = waitForTopLevel<QMessageBox>(u"removeAlertBox"_s);
    QVERIFY(box);
    QTest::mouseClick(child<QPushButton>(box, u"confirmRemove"_s), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(rowOf(m_pane->model(), u"rtt-spikes"_s), -1, WAIT_MS);
    const QList<AlertStatus> stored = storedAlerts();
    QVERIFY(std::none_of(
        stored.cbegin(), stored.cend(), [](const AlertStatus &status) { return status.rule.name == u"rtt-spikes"; }));
    QCOMPARE(stored.size(), 4);
}

void TestAlertsPane::editsMaintenanceWindows()
{
    m_console.window()->findChild<QAction *>(u"maintenanceAction"_s)->trigger();
    auto *dialog = waitForTopLevel<MaintenanceDialog>(u"maintenanceDialog"_s);
    QVERIFY(dialog);
    QTreeWidget *list = dialog->list();
    QTRY_COMPARE_WITH_TIMEOUT(list->topLevelItemCount(), 1, WAIT_MS);
    QCOMPARE(list->topLevelItem(0)->text(0), u"branch-works"_s);
    QCOMPARE(list->topLevelItem(0)->text(2), u"yes"_s); // open now
    QCOMPARE(list->topLevelItem(0)->text(4), u"ping-branch"_s);

    QSignalSpy reported(dialog, &MaintenanceDialog::reported);
    // A window that would never close is refused before anything is written.
    child<QLineEdit>(dialog, u"maintenanceName"_s)->setText(u"nightly-backup"_s);
    auto *from = child<QDateTimeEdit>(dialog, u"maintenanceFrom"_s);
    auto *to = child<QDateTimeEdit>(dialog, u"maintenanceTo"_s);
    const QDateTime start = QDateTime::currentDateTime().addDays(1);
    from->setDateTime(start);
    to->setDateTime(start.addDays(2));
    auto *every = child<QComboBox>(dialog, u"maintenanceEvery"_s);
    every->setCurrentIndex(every->findText(u"Every day"_s));
    dialog->addWindow();
    QCOMPARE(reported.size(), 1);
    QCOMPARE(reported.at(0).at(0).toBool(), false);
    QCOMPARE(dialog->status(), u"A window that comes again every day must be shorter than a day."_s);
    to->setDateTime(start.addSecs(2 * 3600));
    child<QLineEdit>(dialog, u"maintenanceAgents"_s)->setText(u"tag:core, edge-1"_s);
    dialog->addWindow();
    QTRY_COMPARE_WITH_TIMEOUT(reported.size(), 2, WAIT_MS);
    QVERIFY2(reported.at(1).at(0).toBool(), qPrintable(dialog->status()));
    QTRY_COMPARE_WITH_TIMEOUT(list->topLevelItemCount(), 2, WAIT_MS);
    const auto added = list->findItems(u"nightly-backup"_s, Qt::MatchExactly);
    QCOMPARE(added.size(), 1);
    QVERIFY(added.first()->text(1).endsWith(u"every day"_s));
    QCOMPARE(added.first()->text(2), u"no"_s);
    QCOMPARE(added.first()->text(3), u"edge-1, tag:core"_s);
    QVERIFY(dialog->grab().save(screenshotDir() + u"/maintenance-dialog.png"_s));

    list->setCurrentItem(added.first());
    dialog->removeSelected();
    QTRY_COMPARE_WITH_TIMEOUT(list->topLevelItemCount(), 1, WAIT_MS);
    QCOMPARE(list->topLevelItem(0)->text(0), u"branch-works"_s);
    dialog->close();
}

void TestAlertsPane::showsDesktopNotifications()
{
    AlertTray *tray = m_pane->tray();
    QVERIFY(tray);
    QSignalSpy shown(tray, &AlertTray::shown);
    AlertMessage message;
    message.alertName = u"loss-to-dc"_s;
    message.state = u"firing"_s;
    message.severity = u"critical"_s;
    message.metric = u"ping.loss_pct"_s;
    message.comparison = u"above"_s;
    message.threshold = 20;
    message.value = 45;
    message.unit = u"%"_s;
    message.agents = {u"edge-1"_s};
    Q_EMIT m_console.service()->alertEngine()->desktopNotification(message);
    QCOMPARE(shown.size(), 1);
    QCOMPARE(shown.at(0).at(0).toString(), message.subject());
    QCOMPARE(shown.at(0).at(1).toString(), message.oneLine());
    if (QSystemTrayIcon::isSystemTrayAvailable()) {
        QVERIFY(tray->hasTray());
    } else {
        // No tray (as offscreen): the window's status bar says it.
        QVERIFY(!tray->hasTray());
        QCOMPARE(m_console.window()->statusBar()->currentMessage(), message.oneLine());
        QVERIFY(m_console.window()->statusBar()->currentMessage().contains(u"loss-to-dc"_s));
    }
}

void TestAlertsPane::testButtonSaysWhereMessagesWent()
{
    // loss-to-dc sends to the desktop: a test message goes the real way (the notifier) and comes back
    // as a line under the buttons; an alert without targets has nothing to test.
    m_pane->selectAlert(u"latency-to-dc"_s);
    QAction *test = m_console.window()->findChild<QAction *>(u"testAlertAction"_s);
    QVERIFY(test);
    QVERIFY(!test->isEnabled());
    m_pane->selectAlert(u"loss-to-dc"_s);
    QVERIFY(test->isEnabled());
    AlertTray *tray = m_pane->tray();
    QSignalSpy shown(tray, &AlertTray::shown);
    test->trigger();
    auto *notice = child<QLabel>(m_pane, u"alertsNotice"_s);
    QTRY_VERIFY_WITH_TIMEOUT(notice->text().contains(u"sent to desktop"_s), WAIT_MS);
    QVERIFY2(notice->text().startsWith(u"Test message for \"loss-to-dc\""_s), qPrintable(notice->text()));
    QCOMPARE(shown.size(), 1);
    QVERIFY(shown.at(0).at(0).toString().contains(u"TEST"_s, Qt::CaseInsensitive));
}

void TestAlertsPane::cleanupTestCase()
{
    m_pane = nullptr;
    m_console.stop();
}

QTEST_MAIN(TestAlertsPane)
#include "tst_alertspane.moc"
