// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include <QDeadlineTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

#include "tests/support/processharness.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm::Test;

namespace {

struct HttpAnswer
{
    int status = 0;
    QByteArray head;
    QByteArray body;
};

// One request over a real socket to the console's metrics port, read until the console closes it.
HttpAnswer request(quint16 port, const QByteArray &method, const QByteArray &path)
{
    HttpAnswer answer;
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!socket.waitForConnected(5000))
        return answer;
    socket.write(method + ' ' + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: tst_prometheusendtoend\r\n\r\n");
    QByteArray received;
    const QDeadlineTimer deadline(10000);
    while (socket.state() == QAbstractSocket::ConnectedState && !deadline.hasExpired()) {
        if (socket.waitForReadyRead(int(deadline.remainingTime())))
            received += socket.readAll();
    }
    received += socket.readAll();
    const qsizetype end = received.indexOf("\r\n\r\n");
    if (!received.startsWith("HTTP/1.1 ") || end < 0)
        return answer;
    answer.status = received.mid(9, 3).toInt();
    answer.head = received.left(end);
    answer.body = received.mid(end + 4);
    return answer;
}

// The value of the one sample whose name and labels are exactly series ("name{a=\"b\",...}").
std::optional<double> sampleValue(const QByteArray &body, const QString &series)
{
    for (const QByteArray &line : body.split('\n')) {
        const QString text = QString::fromUtf8(line);
        if (text.startsWith(series + u' '))
            return text.mid(series.size() + 1).toDouble();
    }
    return std::nullopt;
}

} // namespace

// --metrics-listen on the real headless console, with a real agent measuring loopback: /metrics over
// a socket, checked by promtool and against what the database holds; and the ways the option fails.
class TestPrometheusEndToEnd : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void scrapeShowsWhatWasStored();
    void otherPathsAndMethodsAreRefused();
    void badAddressesFailWithOneLine_data();
    void badAddressesFailWithOneLine();
    void aPortInUseFailsWithOneLine();

private:
    QTemporaryDir m_dir;
    quint16 m_metricsPort = 0;
    std::unique_ptr<ConsoleHarness> m_console;
    std::unique_ptr<ManagedProcess> m_agent;
};

void TestPrometheusEndToEnd::initTestCase()
{
    QVERIFY(QFile::exists(consoleBinary()));
    QVERIFY(QFile::exists(agentBinary()));
    QVERIFY(m_dir.isValid());
    m_metricsPort = freeLocalPort();
    QVERIFY(m_metricsPort != 0);
    m_console = std::make_unique<ConsoleHarness>(
        m_dir.filePath(u"console"_s), false, QStringList{u"--metrics-listen"_s, u"127.0.0.1:%1"_s.arg(m_metricsPort)});
    QVERIFY2(m_console->start(), qPrintable(m_console->process().output()));
    QVERIFY2(m_console->process().waitForOutput(
                 u"Prometheus metrics at http://127.0.0.1:%1/metrics"_s.arg(m_metricsPort), 5000),
        qPrintable(m_console->process().output()));
}

void TestPrometheusEndToEnd::scrapeShowsWhatWasStored()
{
    const QString promtool = QStandardPaths::findExecutable(u"promtool"_s);
    if (promtool.isEmpty())
        QSKIP("promtool is not installed (Debian's prometheus package; scripts/deps installs it).");
    const auto check = [&](const QByteArray &body) {
        QProcess process;
        process.setProcessChannelMode(QProcess::MergedChannels);
        process.start(promtool, {u"check"_s, u"metrics"_s});
        process.write(body);
        process.closeWriteChannel();
        const bool finished = process.waitForFinished(20000);
        return std::make_pair(finished && process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
            QString::fromUtf8(process.readAll()));
    };

    // Before any agent: the console's own health, already valid.
    const HttpAnswer empty = request(m_metricsPort, "GET", "/metrics");
    QCOMPARE(empty.status, 200);
    QVERIFY2(empty.head.contains("\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8"), empty.head.constData());
    QCOMPARE(sampleValue(empty.body, u"streamswarm_agents_online"_s), 0.0);
    QCOMPARE(sampleValue(empty.body, u"streamswarm_ingest_samples_total"_s), 0.0);
    QVERIFY(
        sampleValue(empty.body, u"streamswarm_build_info{version=\"%1\"}"_s.arg(QStringLiteral(STREAMSWARM_VERSION))));
    const auto [emptyCode, emptyComplaint] = check(empty.body);
    QVERIFY2(emptyCode == 0, qPrintable(emptyComplaint + QString::fromUtf8(empty.body)));

    const CommandResult token = m_console->cli({u"token"_s, u"create"_s, u"lab"_s});
    QCOMPARE(token.exitCode, 0);
    m_agent = std::make_unique<ManagedProcess>(agentBinary(),
        QStringList{u"--server"_s, m_console->serverUrl(), u"--insecure"_s, u"--name"_s, u"edge-1.lab"_s,
            u"--state-dir"_s, m_dir.filePath(u"agent"_s), u"--token"_s, token.out.trimmed()});
    QVERIFY(m_agent->start());
    QVERIFY2(m_console->process().waitForOutput(u"agent edge-1.lab online"_s, 10000),
        qPrintable(m_console->process().output()));

    // A few rounds of ping over loopback and of this host's interfaces (a metric per interface).
    if (::geteuid() != 0)
        QSKIP("Measuring needs root or CAP_NET_RAW for ICMP sockets (CI runs as root).");
    const QString agentName = u"edge-1.lab"_s; // names are letters, digits, '.', '_' and '-' (the unit test escapes)
    const CommandResult ping = m_console->cli({u"test"_s, u"add"_s, u"--name"_s, u"loopback"_s, u"--type"_s, u"ping"_s,
        u"--target"_s, u"127.0.0.1"_s, u"--interval"_s, u"500ms"_s, u"--duration"_s, u"3s"_s, u"--agents"_s, agentName,
        u"--param"_s, u"count=2"_s, u"--param"_s, u"spacing=20ms"_s});
    QVERIFY2(ping.exitCode == 0, qPrintable(ping.err));
    const CommandResult host = m_console->cli({u"test"_s, u"add"_s, u"--name"_s, u"host"_s, u"--type"_s, u"system"_s,
        u"--interval"_s, u"1s"_s, u"--duration"_s, u"3s"_s, u"--agents"_s, agentName, u"--param"_s,
        u"only=interfaces"_s, u"--param"_s, u"interfaces=lo"_s});
    QVERIFY2(host.exitCode == 0, qPrintable(host.err));

    const QString rttSeries = u"streamswarm_ping_rtt_avg_seconds{agent=\"edge-1.lab\",test=\"loopback\"}"_s;
    const QString loRxSeries = u"streamswarm_if_rx_bytes_per_second{agent=\"edge-1.lab\",test=\"host\",if=\"lo\"}"_s;
    // The newest stored ping.rtt_avg_ms and the number of samples stored, as the CLI reads them from
    // the database.
    const auto stored = [&] {
        const QString csv = m_console->cli({u"export"_s, u"--format"_s, u"csv"_s, u"--test"_s, u"loopback"_s}).out;
        std::optional<double> newest;
        for (const QString &line : csv.split(u'\n', Qt::SkipEmptyParts)) {
            if (line.contains(u",ping.rtt_avg_ms,"_s))
                newest = line.section(u',', -2, -2).toDouble();
        }
        const auto summary = QJsonDocument::fromJson(m_console->cli({u"summary"_s, u"--json"_s}).out.toUtf8());
        return std::make_pair(newest, summary[u"samples"_s].toDouble());
    };

    // Wait (bounded) until the tests have ended and the scrape agrees with the database: the same
    // newest round-trip time (stored in ms, exposed in seconds) and every sample counted.
    HttpAnswer scrape;
    std::pair<std::optional<double>, double> database;
    bool agreed = false;
    const QDeadlineTimer deadline(25000);
    for (int attempt = 0; attempt < 100 && !deadline.hasExpired() && !agreed; ++attempt) {
        if (attempt > 0)
            QTest::qWait(300);
        scrape = request(m_metricsPort, "GET", "/metrics");
        database = stored();
        const auto rtt = sampleValue(scrape.body, rttSeries);
        agreed = m_agent->output().count(u"stopped test"_s) >= 2 && rtt && database.first
            && qAbs(*rtt * 1000 - *database.first) <= 1e-9 * *database.first
            && sampleValue(scrape.body, u"streamswarm_ingest_samples_total"_s) == database.second;
    }
    QVERIFY2(agreed,
        qPrintable(u"database: newest %1 ms, %2 samples\n"_s.arg(database.first.value_or(-1)).arg(database.second)
            + QString::fromUtf8(scrape.body) + m_agent->output()));
    qInfo("%g samples stored, the newest RTT %g ms; the scrape agreed %lld ms after the tests were added",
        database.second, *database.first, qint64(25000 - deadline.remainingTime()));
    QVERIFY(*database.first > 0 && *database.first < 50);
    QVERIFY2(sampleValue(scrape.body, loRxSeries), qPrintable(QString::fromUtf8(scrape.body)));
    QCOMPARE(sampleValue(scrape.body, u"streamswarm_agents_online"_s), 1.0);
    QCOMPARE(sampleValue(scrape.body, u"streamswarm_agents_enrolled"_s), 1.0);
    QCOMPARE(sampleValue(scrape.body, u"streamswarm_ping_loss_pct{agent=\"edge-1.lab\",test=\"loopback\"}"_s), 0.0);
    QVERIFY(sampleValue(scrape.body, u"streamswarm_storage_queue_depth"_s) >= 0.0);
    QVERIFY(sampleValue(scrape.body, u"streamswarm_database_size_bytes"_s) > 0.0);
    // One HELP and TYPE per family, never a family split in two, no timestamps; promtool agrees.
    QCOMPARE(scrape.body.count("# TYPE streamswarm_ping_rtt_avg_seconds gauge\n"), 1);
    const auto [code, complaint] = check(scrape.body);
    QVERIFY2(code == 0, qPrintable(complaint + QString::fromUtf8(scrape.body)));
}

void TestPrometheusEndToEnd::otherPathsAndMethodsAreRefused()
{
    const HttpAnswer other = request(m_metricsPort, "GET", "/other");
    QCOMPARE(other.status, 404);
    QCOMPARE(other.body, QByteArray("Not found: this server answers only GET /metrics.\n"));
    QCOMPARE(request(m_metricsPort, "POST", "/metrics").status, 405);
    const HttpAnswer head = request(m_metricsPort, "HEAD", "/metrics");
    QCOMPARE(head.status, 200);
    QVERIFY(head.body.isEmpty());
    QCOMPARE(request(m_metricsPort, "GET", "/metrics").status, 200); // still serving
}

void TestPrometheusEndToEnd::badAddressesFailWithOneLine_data()
{
    QTest::addColumn<QString>("address");
    QTest::newRow("no port") << u"127.0.0.1"_s;
    QTest::newRow("port 0") << u"127.0.0.1:0"_s;
    QTest::newRow("port too high") << u"127.0.0.1:65536"_s;
    QTest::newRow("not an address") << u"metrics.example:9464"_s;
    QTest::newRow("empty") << QString();
}

void TestPrometheusEndToEnd::badAddressesFailWithOneLine()
{
    QFETCH(QString, address);
    QTemporaryDir data;
    const CommandResult result = runCommand(consoleBinary(),
        {u"--headless"_s, u"--insecure"_s, u"--data-dir"_s, data.path(), u"--listen"_s, u"127.0.0.1:0"_s,
            u"--metrics-listen"_s, address},
        15000);
    QVERIFY(result.finished);
    QCOMPARE(result.exitCode, 2); // a usage error
    QCOMPARE(result.err,
        u"streamswarm-console: --metrics-listen \"%1\" is not HOST:PORT with an IP address and a port from 1 to "
        "65535, like 127.0.0.1:9464.\n"_s.arg(address));
    QVERIFY(!QFile::exists(data.filePath(u"streamswarm.db"_s))); // refused before anything started
}

void TestPrometheusEndToEnd::aPortInUseFailsWithOneLine()
{
    QTcpServer taken;
    QVERIFY(taken.listen(QHostAddress::LocalHost, 0));
    QTemporaryDir data;
    const CommandResult result = runCommand(consoleBinary(),
        {u"--headless"_s, u"--insecure"_s, u"--data-dir"_s, data.path(), u"--listen"_s, u"127.0.0.1:0"_s,
            u"--metrics-listen"_s, u"127.0.0.1:%1"_s.arg(taken.serverPort())},
        15000);
    QVERIFY(result.finished);
    QCOMPARE(result.exitCode, 1);
    QCOMPARE(result.err.count(u'\n'), 1);
    QVERIFY2(
        result.err.startsWith(u"streamswarm-console: Cannot serve metrics on 127.0.0.1:%1 (--metrics-listen): "_s.arg(
            taken.serverPort())),
        qPrintable(result.err));

    // The same from the settings file, blamed on its line.
    QFile settings(data.filePath(u"console.conf"_s));
    QVERIFY(settings.open(QIODevice::WriteOnly));
    settings.write("[console]\nheadless = yes\nmetrics-listen = 127.0.0.1:0\n");
    settings.close();
    const CommandResult fromFile = runCommand(consoleBinary(),
        {u"--headless"_s, u"--config"_s, settings.fileName(), u"--insecure"_s, u"--data-dir"_s, data.path(),
            u"--listen"_s, u"127.0.0.1:0"_s},
        15000);
    QCOMPARE(fromFile.exitCode, 2);
    QVERIFY2(fromFile.err.contains(u"console.conf, line 3: metrics-listen \"127.0.0.1:0\" is not HOST:PORT"_s),
        qPrintable(fromFile.err));
}

QTEST_GUILESS_MAIN(TestPrometheusEndToEnd)

#include "tst_prometheusendtoend.moc"
