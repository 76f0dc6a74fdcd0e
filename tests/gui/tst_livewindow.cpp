// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include <cmath>

#include <QAction>
#include <QDateTime>
#include <QDir>
#include <QLabel>
#include <QMessageBox>
#include <QProcess>
#include <QStandardPaths>
#include <QTableView>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>
#include <QUdpSocket>

#include <unistd.h>

#include "console/models/agentlistmodel.h"
#include "console/models/hostmetricsmodel.h"
#include "console/server/consoleservice.h"
#include "console/storage/database.h"
#include "console/storage/testrepository.h"
#include "console/storage/tokenrepository.h"
#include "console/ui/charts/livechart.h"
#include "console/ui/hostwindow.h"
#include "console/ui/mainwindow.h"
#include "tests/netlab/testdnsserver.h"
#include "tests/support/mainwindowfixture.h"
#include "tests/support/processharness.h"
#include "tests/support/testcertificates.h"
#include "tests/support/webserver/webserverprocess.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm;
using namespace StreamSwarm::Console;

// The window with a real agent process: it appears online and its pings are drawn as they arrive.
class TestLiveWindow final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void showsTheAgentOnline();
    void drawsRoundsAsTheyArrive();
    void showsTheTlsServersChainLive();
    void showsDnsAnswersLive();
    void stacksHttpPhasesLive();
    void ratesACallLive();
    void measuresThroughputLive();
    void showsTheHostLive();
    void showsTheAgentOfflineWhenItStops();
    void showsTheCertificateFingerprint();

private:
    // Adds a test for live-1 through the database, as the CLI would, and charts it; its id.
    qint64 addAndChart(TestRecord test);

    // A second connection, as the CLI would use, so the console sees the change from outside.
    template <typename Job>
    void withDatabase(Job job)
    {
        Database db;
        QString error;
        QVERIFY2(db.open(DatabaseUrl::sqliteFile(m_dir.filePath(u"streamswarm.db"_s)), u"test-cli"_s, &error),
            qPrintable(error));
        job(db);
    }

    QTemporaryDir m_dir;
    Test::MainWindowFixture m_console;
    ConsoleService *m_service = nullptr;
    MainWindow *m_window = nullptr;
    std::unique_ptr<Test::ManagedProcess> m_agent;
    QTreeView *m_agentsView = nullptr;
    LiveChart *m_chart = nullptr;
};

void TestLiveWindow::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_dir.isValid());
    QString error;
    QVERIFY2(m_console.start(m_dir.filePath(u"streamswarm.db"_s), &error), qPrintable(error));
    m_service = m_console.service();
    m_window = m_console.window();
    m_agentsView = m_console.agentsView();
    m_chart = m_console.chart();
}

void TestLiveWindow::showsTheAgentOnline()
{
    QString token;
    withDatabase([&](Database &db) {
        QString error;
        const auto created = TokenRepository(db).create(u"gui"_s, 1, 0, &error);
        QVERIFY2(created, qPrintable(error));
        token = *created;
    });
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(u"STREAMSWARM_TOKEN"_s, token);
    // A free UDP port for the agent's STAMP reflector, which the voice test calls.
    quint16 stampPort = 0;
    {
        QUdpSocket probe;
        QVERIFY(probe.bind(QHostAddress::LocalHost, 0));
        stampPort = probe.localPort();
    }
    m_agent = std::make_unique<Test::ManagedProcess>(Test::agentBinary(),
        QStringList{u"--server"_s, m_service->listenUrl(), u"--name"_s, u"live-1"_s, u"--state-dir"_s,
            m_dir.filePath(u"agent"_s), u"--insecure"_s, u"--stamp-port"_s, QString::number(stampPort)},
        environment);
    QVERIFY(m_agent->start());
    QAbstractItemModel *model = m_agentsView->model();
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 1, 10000);
    QCOMPARE(model->index(0, AgentListModel::Name).data().toString(), u"live-1"_s);
    QTRY_COMPARE_WITH_TIMEOUT(model->index(0, AgentListModel::Status).data().toString(), u"online"_s, 10000);
}

void TestLiveWindow::drawsRoundsAsTheyArrive()
{
    if (::geteuid() != 0)
        QSKIP("Pinging needs root or CAP_NET_RAW (CI runs as root).");
    withDatabase([](Database &db) {
        TestRecord test;
        test.name = u"loopback"_s;
        test.type = u"ping"_s;
        test.target = u"127.0.0.1"_s;
        test.intervalMs = 200;
        test.agentNames = {u"live-1"_s};
        test.createdAtMs = QDateTime::currentMSecsSinceEpoch();
        QString error;
        QVERIFY2(TestRepository(db).add(test, &error), qPrintable(error));
    });
    // Picked up from the database, assigned, measured, stored and drawn: point by point.
    QTRY_VERIFY_WITH_TIMEOUT(m_chart->pointCount() >= 3, 10000);
    const int before = m_chart->pointCount();
    QTRY_VERIFY_WITH_TIMEOUT(m_chart->pointCount() >= before + 5, 5000);
    QVERIFY(m_chart->lastTime() * 1000 > double(QDateTime::currentMSecsSinceEpoch() - 3000));
    QTRY_VERIFY_WITH_TIMEOUT(m_chart->pointCount() >= 25, 10000);

    const QString dir = Test::screenshotDir();
    QVERIFY(QDir().mkpath(dir));
    QCoreApplication::processEvents();
    QVERIFY(m_window->grab().save(dir + u"/mainwindow-live.png"_s));
    qInfo("screenshot: %s/mainwindow-live.png", qPrintable(dir));
}

// A tls test against openssl s_server with a certificate of the suite's own authority: measured by
// the agent, stored, charted, and its newest round's chain shown under the chart.
void TestLiveWindow::showsTheTlsServersChainLive()
{
    Test::TestCertificateAuthority ca(m_dir.path());
    QVERIFY2(ca.isValid(), qPrintable(ca.error()));
    QString error;
    QVERIFY2(ca.issue(u"server"_s, Test::CertificateRequest(), &error), qPrintable(error));
    quint16 port = 0;
    {
        QTcpServer free;
        QVERIFY(free.listen(QHostAddress::LocalHost));
        port = free.serverPort();
    }
    QProcess server;
    server.setProcessChannelMode(QProcess::MergedChannels);
    server.start(u"openssl"_s,
        {u"s_server"_s, u"-accept"_s, u"127.0.0.1:%1"_s.arg(port), u"-cert"_s, ca.leafFile(u"server"_s), u"-key"_s,
            ca.keyFile(u"server"_s), u"-cert_chain"_s, ca.caFile(), u"-alpn"_s, u"h2,http/1.1"_s, u"-www"_s,
            u"-quiet"_s});
    QVERIFY(server.waitForStarted(5000));
    QTRY_VERIFY_WITH_TIMEOUT(
        [port] {
            QTcpSocket socket;
            socket.connectToHost(QHostAddress::LocalHost, port);
            return socket.waitForConnected(200);
        }(),
        5000);
    withDatabase([&](Database &db) {
        TestRecord test;
        test.name = u"tls-local"_s;
        test.type = u"tls"_s;
        test.target = u"localhost:%1"_s.arg(port);
        test.params = {{u"ca-file"_s, ca.caFile()}};
        test.intervalMs = 500;
        test.agentNames = {u"live-1"_s};
        test.createdAtMs = QDateTime::currentMSecsSinceEpoch();
        QString addError;
        QVERIFY2(TestRepository(db).add(test, &addError), qPrintable(addError));
    });
    qint64 testId = 0;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            for (const TestRecord &test : m_service->tests()) {
                if (test.name == u"tls-local")
                    testId = test.id;
            }
            return testId != 0;
        }(),
        5000);
    qint64 agentId = 0;
    for (const AgentRecord &agent : m_service->agents()) {
        if (agent.name == u"live-1")
            agentId = agent.id;
    }
    QVERIFY(agentId);
    m_window->showChart(agentId, testId);
    QTRY_VERIFY_WITH_TIMEOUT(m_chart->pointCount() >= 3, 10000);
    QCOMPARE(m_chart->title(), u"TLS handshake time, measured every 500ms"_s);
    auto *detailView = m_window->findChild<QTableView *>(u"detailView"_s);
    auto *detailSummary = m_window->findChild<QLabel *>(u"detailSummary"_s);
    QVERIFY(detailView && detailSummary);
    QTRY_COMPARE_WITH_TIMEOUT(detailView->model()->rowCount(), 2, 5000);
    QVERIFY(detailView->isVisible());
    QCOMPARE(detailView->model()->index(0, 0).data().toString(), u"localhost"_s);
    QCOMPARE(detailView->model()->index(1, 0).data().toString(), u"StreamSwarm Test CA"_s);
    QVERIFY2(detailSummary->text().endsWith(u"with 127.0.0.1 port %1. The certificate is trusted."_s.arg(port)),
        qPrintable(detailSummary->text()));
    QVERIFY2(detailSummary->text().startsWith(u"TLSv1.3, "_s), qPrintable(detailSummary->text()));

    const QString dir = Test::screenshotDir();
    QVERIFY(QDir().mkpath(dir));
    QCoreApplication::processEvents();
    QVERIFY(m_window->grab().save(dir + u"/mainwindow-tls.png"_s));
    server.kill();
    server.waitForFinished(5000);
}

qint64 TestLiveWindow::addAndChart(TestRecord test)
{
    test.agentNames = {u"live-1"_s};
    test.createdAtMs = QDateTime::currentMSecsSinceEpoch();
    withDatabase([&](Database &db) {
        QString error;
        QVERIFY2(TestRepository(db).add(test, &error), qPrintable(error));
    });
    qint64 testId = 0;
    (void)QTest::qWaitFor( // the caller checks the id
        [&] {
            for (const TestRecord &known : m_service->tests()) {
                if (known.name == test.name)
                    testId = known.id;
            }
            return testId != 0;
        },
        5000);
    for (const AgentRecord &agent : m_service->agents()) {
        if (agent.name == u"live-1" && testId)
            m_window->showChart(agent.id, testId);
    }
    return testId;
}

// A dns test against the suite's DNS server: its answers, with TTLs, under the chart.
void TestLiveWindow::showsDnsAnswersLive()
{
    NetLab::TestDnsServer server;
    QString error;
    QVERIFY2(server.start({u"www.example.test MX 300 10 mail.example.test."_s,
                              u"www.example.test MX 300 20 backup.example.test."_s},
                 {}, &error),
        qPrintable(error));
    TestRecord test;
    test.name = u"dns-local"_s;
    test.type = u"dns"_s;
    test.target = u"www.example.test"_s;
    test.params = {{u"type"_s, u"MX"_s}, {u"server"_s, server.server()}};
    test.intervalMs = 500;
    QVERIFY(addAndChart(test));
    QTRY_VERIFY_WITH_TIMEOUT(m_chart->pointCount() >= 3, 10000);
    QCOMPARE(m_chart->title(), u"DNS lookup time, measured every 500ms"_s);
    auto *detailView = m_window->findChild<QTableView *>(u"detailView"_s);
    auto *detailSummary = m_window->findChild<QLabel *>(u"detailSummary"_s);
    QVERIFY(detailView && detailSummary);
    QTRY_COMPARE_WITH_TIMEOUT(detailView->model()->rowCount(), 2, 5000);
    QCOMPARE(detailView->model()->index(0, 3).data().toString(), u"10 mail.example.test."_s);
    QCOMPARE(detailView->model()->index(1, 2).data().toString(), u"300"_s);
    QVERIFY2(detailSummary->text().startsWith(
                 u"www.example.test MX: NOERROR from %1 over UDP, 2 record(s)"_s.arg(server.server())),
        qPrintable(detailSummary->text()));
    QCoreApplication::processEvents();
    QVERIFY(m_window->grab().save(Test::screenshotDir() + u"/mainwindow-dns.png"_s));
}

// An http test against the suite's web server over TLS: its phases stacked under the total's line,
// its status, TLS and chain under the chart.
void TestLiveWindow::stacksHttpPhasesLive()
{
    Test::TestCertificateAuthority ca(m_dir.filePath(u"."_s));
    QString error;
    QVERIFY2(ca.issue(u"web"_s, Test::CertificateRequest(), &error), qPrintable(error));
    Test::WebServerProcess server;
    QVERIFY2(server.start(ca.certificateFile(u"web"_s), ca.keyFile(u"web"_s), &error), qPrintable(error));
    TestRecord test;
    test.name = u"web-local"_s;
    test.type = u"http"_s;
    test.target = server.baseUrl(u"localhost"_s) + u"/think?ms=30&clip=intro"_s;
    test.params = {{u"ca-file"_s, ca.caFile()}};
    test.intervalMs = 500;
    QVERIFY(addAndChart(test));
    QTRY_VERIFY_WITH_TIMEOUT(m_chart->pointCount() >= 4, 10000);
    QCOMPARE(m_chart->title(), u"HTTP total time, measured every 500ms"_s);
    QCOMPARE(m_chart->phaseNames().size(), 5);
    // The newest round's bar: DNS, connect, TLS, wait (the 30 ms think time) and download.
    const QList<double> segments = m_chart->phaseSegments(m_chart->lastTime());
    QCOMPARE(segments.size(), 5);
    QVERIFY2(segments.at(2) > 0 && segments.at(3) >= 30, qPrintable(QString::number(segments.at(3))));
    auto *detailView = m_window->findChild<QTableView *>(u"detailView"_s);
    auto *detailSummary = m_window->findChild<QLabel *>(u"detailSummary"_s);
    QVERIFY(detailView && detailSummary);
    QTRY_COMPARE_WITH_TIMEOUT(detailView->model()->rowCount(), 2, 5000);
    QVERIFY2(detailSummary->text().startsWith(u"HTTP/1.1 200 from 127.0.0.1"_s), qPrintable(detailSummary->text()));
    QVERIFY2(detailSummary->text().endsWith(u"The certificate is trusted."_s), qPrintable(detailSummary->text()));
    QCoreApplication::processEvents();
    QVERIFY(m_window->grab().save(Test::screenshotDir() + u"/mainwindow-http.png"_s));
}

// A voice test from live-1 to its own STAMP reflector (agent:live-1): the MOS as a line, each
// direction's E-model inputs and rating under the chart.
void TestLiveWindow::ratesACallLive()
{
    TestRecord test;
    test.name = u"call-local"_s;
    test.type = u"voice"_s;
    test.target = u"agent:live-1"_s;
    test.intervalMs = 1000;
    QVERIFY(addAndChart(test));
    QTRY_VERIFY_WITH_TIMEOUT(m_chart->pointCount() >= 3, 15000);
    QCOMPARE(m_chart->title(), u"Call quality to the peer, measured every 1s"_s);
    auto *detailView = m_window->findChild<QTableView *>(u"detailView"_s);
    auto *detailSummary = m_window->findChild<QLabel *>(u"detailSummary"_s);
    QVERIFY(detailView && detailSummary);
    QTRY_COMPARE_WITH_TIMEOUT(detailView->model()->rowCount(), 2, 5000);
    QVERIFY2(detailSummary->text().startsWith(u"G711 call, a 20 ms frame per packet of 172 bytes, DSCP 46"_s),
        qPrintable(detailSummary->text()));
    // Loopback: nothing lost, so both directions rate near G.107's best.
    QCOMPARE(detailView->model()->index(0, 1).data().toString(), u"0 of 25 (0.00 %)"_s);
    QVERIFY(detailView->model()->index(0, 6).data().toString().toDouble() > 4.3);
    // The newest MOS above the chart, as a MOS (no unit), not as a time.
    auto *figures = m_window->findChild<QLabel *>(u"chartFigures"_s);
    QVERIFY(figures);
    QVERIFY2(figures->text().contains(u"MOS, worse direction <b>4."_s) && !figures->text().contains(u" ms</b>"_s),
        qPrintable(figures->text()));
    QCoreApplication::processEvents();
    QVERIFY(m_window->grab().save(Test::screenshotDir() + u"/mainwindow-voice.png"_s));
}

// A bandwidth test to iperf3's own server on loopback: measured by the agent's libiperf process,
// stored, charted in Mbit/s, and its detail says what was asked and what each end counted.
void TestLiveWindow::measuresThroughputLive()
{
    quint16 port = 0;
    {
        QTcpServer free;
        QVERIFY(free.listen(QHostAddress::LocalHost));
        port = free.serverPort();
    }
    QProcess server;
    server.setProcessChannelMode(QProcess::MergedChannels);
    server.start(u"iperf3"_s, {u"-s"_s, u"-B"_s, u"127.0.0.1"_s, u"-p"_s, QString::number(port), u"--forceflush"_s});
    QVERIFY2(server.waitForStarted(5000), "iperf3 is not installed (scripts/deps test)");
    QByteArray said;
    QTRY_VERIFY_WITH_TIMEOUT((said += server.readAll()).contains("Server listening"), 5000);
    TestRecord test;
    test.name = u"throughput-local"_s;
    test.type = u"bandwidth"_s;
    test.target = u"127.0.0.1:%1"_s.arg(port);
    test.params = {{u"duration"_s, u"1s"_s}, {u"connect-timeout"_s, u"500ms"_s}, {u"bitrate"_s, u"200M"_s}};
    test.intervalMs = 6000;
    QVERIFY(addAndChart(test));
    QTRY_VERIFY_WITH_TIMEOUT(m_chart->pointCount() >= 1, 20000);
    QCOMPARE(m_chart->title(), u"Throughput, measured every 6s"_s);
    auto *detailView = m_window->findChild<QTableView *>(u"detailView"_s);
    auto *detailSummary = m_window->findChild<QLabel *>(u"detailSummary"_s);
    QVERIFY(detailView && detailSummary);
    QTRY_VERIFY_WITH_TIMEOUT(detailView->model()->rowCount() >= 3, 5000);
    QVERIFY2(detailSummary->text().startsWith(u"iperf3 to 127.0.0.1 port %1, TCP, 1 stream, 1 s measured"_s.arg(port)),
        qPrintable(detailSummary->text()));
    // Paced at 200 Mbit/s: what arrives over loopback is that, give or take iperf3's pacing.
    const QString arrived = detailView->model()->index(0, 1).data().toString();
    QVERIFY2(
        arrived.endsWith(u" s)"_s) && std::abs(arrived.section(u' ', 0, 0).toDouble() - 200) < 20, qPrintable(arrived));
    auto *figures = m_window->findChild<QLabel *>(u"chartFigures"_s);
    QVERIFY(figures);
    QVERIFY2(figures->text().contains(u" Mbit/s</b>"_s), qPrintable(figures->text()));
    QCoreApplication::processEvents();
    QVERIFY(m_window->grab().save(Test::screenshotDir() + u"/mainwindow-bandwidth.png"_s));
}

// A system test of live-1's own host: measured, stored, and shown in the agent's host window with its
// history, then live; the figures are this machine's (nproc) and each has its unit and its trend.
void TestLiveWindow::showsTheHostLive()
{
    TestRecord test;
    test.name = u"host-live"_s;
    test.type = u"system"_s;
    test.target = u"local"_s;
    test.intervalMs = 500;
    const qint64 testId = addAndChart(test);
    QVERIFY(testId);
    QTRY_VERIFY_WITH_TIMEOUT(m_chart->pointCount() >= 2, 10000);
    QCOMPARE(m_chart->title(), u"The agent's host, measured every 500ms"_s);

    HostWindow *host = m_window->showHost(m_window->chartAgentId());
    QVERIFY(host);
    QTRY_VERIFY_WITH_TIMEOUT(!host->isLoading(), 5000);
    HostMetricsModel *model = host->model();
    QTRY_VERIFY_WITH_TIMEOUT(model->rowCount() >= 40, 5000);
    const auto rowOf = [model](const QString &metric, const QString &instance = {}) {
        for (int row = 0; row < model->rowCount(); ++row) {
            if (model->index(row, HostMetricsModel::Measure).data().toString() == metric
                && model->index(row, HostMetricsModel::Instance).data().toString() == instance)
                return row;
        }
        return -1;
    };
    const int cores = rowOf(u"cpu.cores"_s);
    QVERIFY(cores >= 0);
    QCOMPARE(
        model->index(cores, HostMetricsModel::Value).data().toString(), QString::number(sysconf(_SC_NPROCESSORS_ONLN)));
    QCOMPARE(model->index(cores, HostMetricsModel::Family).data().toString(), u"System"_s);
    const int busy = rowOf(u"cpu.busy_pct"_s);
    QVERIFY(busy >= 0);
    QVERIFY(model->index(busy, HostMetricsModel::Value).data().toString().endsWith(u" %"_s));
    QVERIFY(!model->index(busy, HostMetricsModel::Measure).data(Qt::ToolTipRole).toString().isEmpty());
    const int eth0 = rowOf(u"if.rx_bytes_per_s"_s, u"eth0"_s);
    if (eth0 >= 0)
        QCOMPARE(model->index(eth0, HostMetricsModel::Family).data().toString(), u"Network"_s);
    // Live: the trend grows by a point a round.
    const int points
        = model->index(busy, HostMetricsModel::Trend).data(HostMetricsModel::TrendRole).value<QList<double>>().size();
    QTRY_VERIFY_WITH_TIMEOUT(
        model->index(busy, HostMetricsModel::Trend).data(HostMetricsModel::TrendRole).value<QList<double>>().size()
            >= points + 2,
        5000);
    QTRY_VERIFY_WITH_TIMEOUT(
        model->index(busy, HostMetricsModel::Trend).data(HostMetricsModel::TrendRole).value<QList<double>>().size()
            >= 8,
        8000);
    QCoreApplication::processEvents();
    QVERIFY(host->grab().save(Test::screenshotDir() + u"/host-window.png"_s));
    qInfo("screenshot: %s/host-window.png", qPrintable(Test::screenshotDir()));
    host->close();
}

void TestLiveWindow::showsTheAgentOfflineWhenItStops()
{
    QVERIFY(m_agent);
    m_agent->terminate();
    QVERIFY(m_agent->waitForExit(5000));
    QTRY_COMPARE_WITH_TIMEOUT(
        m_agentsView->model()->index(0, AgentListModel::Status).data().toString(), u"offline"_s, 5000);
}

void TestLiveWindow::showsTheCertificateFingerprint()
{
    QVERIFY(m_service->fingerprint().startsWith(u"sha256:"_s));
    QAction *action = nullptr;
    for (QAction *candidate : m_window->findChildren<QAction *>()) {
        if (candidate->text().contains(u"certificate"_s))
            action = candidate;
    }
    QVERIFY(action);
    action->trigger();
    QMessageBox *box = nullptr;
    QTRY_VERIFY((box = m_window->findChild<QMessageBox *>()) != nullptr && box->isVisible());
    QCOMPARE(box->informativeText(), m_service->fingerprint());
    const QString dir = Test::screenshotDir();
    QVERIFY(box->grab().save(dir + u"/certificate.png"_s));
    box->close();
}

QTEST_MAIN(TestLiveWindow)
#include "tst_livewindow.moc"
