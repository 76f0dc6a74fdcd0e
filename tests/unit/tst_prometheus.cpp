// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include <cmath>
#include <limits>
#include <memory>
#include <vector>

#include <QElapsedTimer>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpSocket>
#include <QTest>
#include <QUrl>

#include "console/prometheus/exposition.h"
#include "console/prometheus/httprequesthead.h"
#include "console/prometheus/latestvalues.h"
#include "console/prometheus/metricsexporter.h"
#include "console/prometheus/metricsserver.h"
#include "shared/metrics/catalog.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm;
using namespace StreamSwarm::Console;

Q_DECLARE_METATYPE(HttpRequestHead::Status)

namespace {

struct Promtool
{
    bool found = false;
    int exitCode = -1;
    QString output;
};

// promtool check metrics on text (stdin); found is false when promtool is not installed.
Promtool checkWithPromtool(const QByteArray &text)
{
    Promtool result;
    const QString program = QStandardPaths::findExecutable(u"promtool"_s);
    if (program.isEmpty())
        return result;
    result.found = true;
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(program, {u"check"_s, u"metrics"_s});
    if (!process.waitForStarted(10000))
        return result;
    process.write(text);
    process.closeWriteChannel();
    if (!process.waitForFinished(20000))
        return result;
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.output = QString::fromUtf8(process.readAll());
    return result;
}

// One request over a real socket to a server on this thread; everything the server sent before it
// closed the connection (bounded by timeoutMs).
QByteArray exchange(quint16 port, const QByteArray &request, int timeoutMs = 5000)
{
    QTcpSocket socket;
    QSignalSpy closed(&socket, &QTcpSocket::disconnected);
    QByteArray received;
    QObject::connect(&socket, &QTcpSocket::readyRead, &socket, [&] { received += socket.readAll(); });
    socket.connectToHost(QHostAddress::LocalHost, port);
    socket.write(request);
    if (closed.isEmpty())
        closed.wait(timeoutMs);
    received += socket.readAll();
    return received;
}

int statusOf(const QByteArray &response)
{
    return response.startsWith("HTTP/1.1 ") ? response.mid(9, 3).toInt() : 0;
}

QByteArray bodyOf(const QByteArray &response)
{
    const qsizetype end = response.indexOf("\r\n\r\n");
    return end < 0 ? QByteArray() : response.mid(end + 4);
}

} // namespace

// The exposition writer, the request parser and the metrics server on their own (the console with a
// real agent is tst_prometheus_endtoend's).
class TestPrometheus : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void metricNames_data();
    void metricNames();
    void familiesFollowPrometheusNaming_data();
    void familiesFollowPrometheusNaming();
    void labelValuesAndHelpAreEscaped();
    void familiesAreGroupedWhateverTheOrder();
    void valuesKeepEveryDigit();
    void everyCatalogMetricPassesPromtool();
    void requestHeads_data();
    void requestHeads();
    void statusForEachRequest_data();
    void statusForEachRequest();
    void latestValuesKeepTheNewestRound();
    void latestValuesAreBounded();
    void serverAnswersOverASocket();
    void serverCutsSilentPeersAndCapsConnections();
};

void TestPrometheus::metricNames_data()
{
    QTest::addColumn<QString>("catalog");
    QTest::addColumn<QString>("prometheus");
    QTest::newRow("dot") << u"ping.loss_pct"_s << u"streamswarm_ping_loss_pct"_s;
    QTest::newRow("dash and space") << u"a-b c"_s << u"streamswarm_a_b_c"_s;
    QTest::newRow("not ASCII") << u"temp.\u00b0c"_s << u"streamswarm_temp__c"_s;
    QTest::newRow("digits kept") << u"cpu.load15"_s << u"streamswarm_cpu_load15"_s;
}

void TestPrometheus::metricNames()
{
    QFETCH(QString, catalog);
    QFETCH(QString, prometheus);
    QCOMPARE(Exposition::metricName(catalog), prometheus);
}

void TestPrometheus::familiesFollowPrometheusNaming_data()
{
    QTest::addColumn<QString>("catalog");
    QTest::addColumn<QString>("family");
    QTest::addColumn<double>("factor"); // what the stored value is multiplied by
    QTest::addColumn<bool>("counter");
    QTest::newRow("milliseconds become seconds")
        << u"ping.rtt_avg_ms"_s << u"streamswarm_ping_rtt_avg_seconds"_s << 0.001 << false;
    QTest::newRow("per second") << u"if.rx_bytes_per_s"_s << u"streamswarm_if_rx_bytes_per_second"_s << 1.0 << false;
    QTest::newRow("seconds") << u"host.uptime_s"_s << u"streamswarm_host_uptime_seconds"_s << 1.0 << false;
    QTest::newRow("percent unchanged") << u"ping.loss_pct"_s << u"streamswarm_ping_loss_pct"_s << 1.0 << false;
    QTest::newRow("days") << u"tls.cert_days_left"_s << u"streamswarm_tls_cert_seconds_left"_s << 86400.0 << false;
    QTest::newRow("hours") << u"smart.power_on_hours"_s << u"streamswarm_smart_power_on_seconds"_s << 3600.0 << false;
    QTest::newRow("not a histogram's count") << u"proc.count"_s << u"streamswarm_proc_number"_s << 1.0 << false;
    QTest::newRow("a running total is a counter")
        << u"hw.ecc_corrected_total"_s << u"streamswarm_hw_ecc_corrected_total"_s << 1.0 << true;
}

void TestPrometheus::familiesFollowPrometheusNaming()
{
    QFETCH(QString, catalog);
    QFETCH(QString, family);
    QFETCH(double, factor);
    QFETCH(bool, counter);
    const MetricInfo *info = MetricCatalog::find(catalog);
    QVERIFY2(info, qPrintable(catalog));
    const MetricsExporter::Family made = MetricsExporter::familyFor(*info);
    QCOMPARE(made.name, family);
    QCOMPARE(made.multiplier / made.divisor, factor);
    QCOMPARE(made.type == Exposition::Type::Counter, counter);
    QVERIFY(!made.help.isEmpty());
}

void TestPrometheus::labelValuesAndHelpAreEscaped()
{
    QCOMPARE(Exposition::escapeLabelValue(u"a\\b\"c\nd"), u"a\\\\b\\\"c\\nd"_s);
    QCOMPARE(Exposition::escapeHelp(u"say \"hi\"\\\nnow"), u"say \"hi\"\\\\\\nnow"_s);
    QCOMPARE(Exposition::labelName(u"if"), u"if"_s);
    QCOMPARE(Exposition::labelName(u"mount-point"), u"mount_point"_s);
    QCOMPARE(Exposition::labelName(u"0x"), u"_0x"_s);
    QCOMPARE(Exposition::labelName(u"__name__"), u"label__name__"_s);

    Exposition out;
    out.add(u"streamswarm_x"_s, u"Back\\slash\nand line"_s, Exposition::Type::Gauge,
        {{u"agent"_s, u"edge \"1\""_s}, {u"test"_s, u"c:\\path\nnext"_s}}, 1);
    QCOMPARE(out.text(),
        QByteArray("# HELP streamswarm_x Back\\\\slash\\nand line\n"
                   "# TYPE streamswarm_x gauge\n"
                   "streamswarm_x{agent=\"edge \\\"1\\\"\",test=\"c:\\\\path\\nnext\"} 1\n"));
}

void TestPrometheus::familiesAreGroupedWhateverTheOrder()
{
    Exposition out;
    QVERIFY(out.isEmpty());
    out.add(u"streamswarm_beta"_s, u"B"_s, Exposition::Type::Gauge, {{u"agent"_s, u"2"_s}}, 2);
    out.add(u"streamswarm_alpha_total"_s, u"A"_s, Exposition::Type::Counter, {}, 7);
    out.add(u"streamswarm_beta"_s, u"ignored: the first help stays"_s, Exposition::Type::Counter,
        {{u"agent"_s, u"1"_s}}, 1);
    QCOMPARE(out.text(),
        QByteArray("# HELP streamswarm_alpha_total A\n"
                   "# TYPE streamswarm_alpha_total counter\n"
                   "streamswarm_alpha_total 7\n"
                   "# HELP streamswarm_beta B\n"
                   "# TYPE streamswarm_beta gauge\n"
                   "streamswarm_beta{agent=\"1\"} 1\n"
                   "streamswarm_beta{agent=\"2\"} 2\n"));
    const Promtool checked = checkWithPromtool(out.text());
    if (checked.found)
        QVERIFY2(checked.exitCode == 0, qPrintable(checked.output));
}

void TestPrometheus::valuesKeepEveryDigit()
{
    QCOMPARE(Exposition::formatValue(0.1), u"0.1"_s);
    QCOMPARE(Exposition::formatValue(0.123456789012345), u"0.123456789012345"_s);
    QCOMPARE(Exposition::formatValue(-3), u"-3"_s);
    QCOMPARE(Exposition::formatValue(1e21), u"1e+21"_s);
    QCOMPARE(Exposition::formatValue(std::numeric_limits<double>::quiet_NaN()), u"NaN"_s);
    QCOMPARE(Exposition::formatValue(std::numeric_limits<double>::infinity()), u"+Inf"_s);
    QCOMPARE(Exposition::formatValue(-std::numeric_limits<double>::infinity()), u"-Inf"_s);
    QCOMPARE(Exposition::formatValue(0.2525 / 1000).toDouble(), 0.2525 / 1000);
}

// Every name the console can expose, with an instance label where the metric has one and awkward
// label values, as promtool (Prometheus's own checker, with its naming lint) sees it.
void TestPrometheus::everyCatalogMetricPassesPromtool()
{
    Exposition out;
    QSet<QString> families;
    for (const MetricInfo &info : MetricCatalog::all()) {
        const MetricsExporter::Family family = MetricsExporter::familyFor(info);
        QVERIFY2(!families.contains(family.name), qPrintable(family.name)); // no two metrics share a name
        families.insert(family.name);
        Exposition::Labels labels{{u"agent"_s, u"edge \"one\"\\"_s}, {u"test"_s, u"multi\nline"_s}};
        if (!info.instanceLabel.isEmpty())
            labels.append({Exposition::labelName(info.instanceLabel), u"eth0"_s});
        out.add(family.name, family.help, family.type, labels, 42.5 * family.multiplier / family.divisor);
    }
    QVERIFY(families.size() > 100);
    const Promtool checked = checkWithPromtool(out.text());
    if (!checked.found)
        QSKIP("promtool is not installed (Debian's prometheus package; scripts/deps installs it).");
    QVERIFY2(checked.exitCode == 0, qPrintable(checked.output));
}

void TestPrometheus::requestHeads_data()
{
    QTest::addColumn<QByteArray>("received");
    QTest::addColumn<HttpRequestHead::Status>("status");
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("path");
    using S = HttpRequestHead::Status;
    const QByteArray prometheus
        = "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1:9464\r\nUser-Agent: Prometheus/2.42.0\r\n"
          "Accept: application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5\r\n"
          "Accept-Encoding: gzip\r\nX-Prometheus-Scrape-Timeout-Seconds: 10\r\n\r\n";
    QTest::newRow("what Prometheus sends") << prometheus << S::Complete << QByteArray("GET") << QByteArray("/metrics");
    QTest::newRow("no fields, HTTP/1.0") << QByteArray("HEAD /metrics HTTP/1.0\r\n\r\n") << S::Complete
                                         << QByteArray("HEAD") << QByteArray("/metrics");
    QTest::newRow("query dropped") << QByteArray("GET /metrics?name[]=x HTTP/1.1\r\n\r\n") << S::Complete
                                   << QByteArray("GET") << QByteArray("/metrics");
    QTest::newRow("absolute form") << QByteArray("GET http://host:1/metrics HTTP/1.1\r\n\r\n") << S::Complete
                                   << QByteArray("GET") << QByteArray("/metrics");
    QTest::newRow("bare line feeds") << QByteArray("GET /x HTTP/1.1\nHost: a\n\n") << S::Complete << QByteArray("GET")
                                     << QByteArray("/x");
    QTest::newRow("blank lines before") << QByteArray("\r\n\r\nGET / HTTP/1.1\r\n\r\n") << S::Complete
                                        << QByteArray("GET") << QByteArray("/");
    QTest::newRow("body after the head") << QByteArray("POST /metrics HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc")
                                         << S::Complete << QByteArray("POST") << QByteArray("/metrics");

    QTest::newRow("nothing yet") << QByteArray() << S::Incomplete << QByteArray() << QByteArray();
    QTest::newRow("half a head") << QByteArray("GET /metrics HTTP/1.1\r\nHost: a\r\n") << S::Incomplete << QByteArray()
                                 << QByteArray();

    QTest::newRow("no version") << QByteArray("GET /metrics\r\n\r\n") << S::Invalid << QByteArray() << QByteArray();
    QTest::newRow("HTTP/2") << QByteArray("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n") << S::Invalid << QByteArray()
                            << QByteArray();
    QTest::newRow("not HTTP") << QByteArray("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\n\n", 13) << S::Invalid
                              << QByteArray() << QByteArray();
    QTest::newRow("two spaces") << QByteArray("GET  /metrics HTTP/1.1\r\n\r\n") << S::Invalid << QByteArray()
                                << QByteArray();
    QTest::newRow("method with a slash") << QByteArray("G/T /metrics HTTP/1.1\r\n\r\n") << S::Invalid << QByteArray()
                                         << QByteArray();
    QTest::newRow("relative target") << QByteArray("GET metrics HTTP/1.1\r\n\r\n") << S::Invalid << QByteArray()
                                     << QByteArray();
    QTest::newRow("space before the colon")
        << QByteArray("GET /metrics HTTP/1.1\r\nHost : a\r\n\r\n") << S::Invalid << QByteArray() << QByteArray();
    QTest::newRow("folded field") << QByteArray("GET /metrics HTTP/1.1\r\nHost: a\r\n b\r\n\r\n") << S::Invalid
                                  << QByteArray() << QByteArray();
    QTest::newRow("field without a colon")
        << QByteArray("GET /metrics HTTP/1.1\r\nHost\r\n\r\n") << S::Invalid << QByteArray() << QByteArray();
    QTest::newRow("NUL in a field") << QByteArray("GET /metrics HTTP/1.1\r\nHost: a") + '\0' + "b\r\n\r\n"
                                    << S::Invalid << QByteArray() << QByteArray();
    QTest::newRow("lone carriage return")
        << QByteArray("GET /metrics HTTP/1.1\rHost: a\r\n\r\n") << S::Invalid << QByteArray() << QByteArray();

    const QByteArray longField = "GET /metrics HTTP/1.1\r\nCookie: " + QByteArray(HttpRequestHead::MAX_BYTES, 'x');
    QTest::newRow("too long, unfinished") << longField << S::TooLarge << QByteArray() << QByteArray();
    QTest::newRow("too long, finished") << longField + "\r\n\r\n" << S::TooLarge << QByteArray() << QByteArray();
    const QByteArray start = "GET /metrics HTTP/1.1\r\nX: ";
    const QByteArray exactly = start + QByteArray(HttpRequestHead::MAX_BYTES - start.size() - 4, 'x') + "\r\n\r\n";
    QCOMPARE(exactly.size(), HttpRequestHead::MAX_BYTES);
    QTest::newRow("exactly the limit") << exactly << S::Complete << QByteArray("GET") << QByteArray("/metrics");
}

void TestPrometheus::requestHeads()
{
    QFETCH(QByteArray, received);
    QFETCH(HttpRequestHead::Status, status);
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, path);
    const HttpRequestHead head = HttpRequestHead::parse(received);
    QCOMPARE(head.status, status);
    if (status == HttpRequestHead::Status::Complete) {
        QCOMPARE(head.method, method);
        QCOMPARE(head.path, path);
    }
    // Whatever arrives in pieces, the answer is the same once all of it is there.
    if (status != HttpRequestHead::Status::TooLarge) {
        for (qsizetype cut = 0; cut < received.size(); ++cut) {
            const auto partial = HttpRequestHead::parse(received.left(cut)).status;
            QVERIFY2(partial == HttpRequestHead::Status::Incomplete || partial == status,
                qPrintable(u"cut at %1"_s.arg(cut)));
        }
    }
}

void TestPrometheus::statusForEachRequest_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<int>("status");
    QTest::newRow("GET /metrics") << QByteArray("GET /metrics HTTP/1.1\r\n\r\n") << 200;
    QTest::newRow("HEAD /metrics") << QByteArray("HEAD /metrics HTTP/1.1\r\n\r\n") << 200;
    QTest::newRow("POST /metrics") << QByteArray("POST /metrics HTTP/1.1\r\n\r\n") << 405;
    QTest::newRow("GET /") << QByteArray("GET / HTTP/1.1\r\n\r\n") << 404;
    QTest::newRow("GET /metrics/") << QByteArray("GET /metrics/ HTTP/1.1\r\n\r\n") << 404;
    QTest::newRow("DELETE /other") << QByteArray("DELETE /other HTTP/1.1\r\n\r\n") << 404;
    QTest::newRow("OPTIONS *") << QByteArray("OPTIONS * HTTP/1.1\r\n\r\n") << 404;
    QTest::newRow("junk") << QByteArray("hello\r\n\r\n") << 400;
    QTest::newRow("too long") << QByteArray(HttpRequestHead::MAX_BYTES + 1, 'G') << 431;
}

void TestPrometheus::statusForEachRequest()
{
    QFETCH(QByteArray, request);
    QFETCH(int, status);
    QCOMPARE(MetricsServer::statusFor(HttpRequestHead::parse(request)), status);
}

void TestPrometheus::latestValuesKeepTheNewestRound()
{
    LatestValues latest;
    Protocol::Round first{7, 1000, {{u"ping.rtt_avg_ms"_s, 1.5}, {u"ping.loss_pct"_s, 0}}, {}, {}};
    Protocol::Round second{7, 2000, {{u"ping.rtt_avg_ms"_s, 2.5}}, {}, {}};
    Protocol::Round late{7, 1500, {{u"ping.rtt_avg_ms"_s, 9.9}}, {}, {}}; // sent again after a reconnect
    latest.record(3, {first, second}, 50);
    latest.record(3, {late}, 60);
    latest.record(4, {first}, 70);
    QCOMPARE(latest.series().size(), 4);
    const auto rtt = latest.series().value({3, 7, u"ping.rtt_avg_ms"_s});
    QCOMPARE(rtt.value, 2.5);
    QCOMPARE(rtt.timeMs, 2000);
    QCOMPARE(rtt.receivedMs, 50);
    QCOMPARE(latest.series().value({4, 7, u"ping.rtt_avg_ms"_s}).value, 1.5);

    latest.retain([](const LatestValues::Key &key, const LatestValues::Value &) { return key.agentId != 3; });
    QCOMPARE(latest.series().size(), 2);
    QVERIFY(latest.series().contains({4, 7, u"ping.rtt_avg_ms"_s}));
    QVERIFY(latest.series().contains({4, 7, u"ping.loss_pct"_s}));
}

void TestPrometheus::latestValuesAreBounded()
{
    LatestValues latest;
    Protocol::Round round{1, 1000, {}, {}, {}};
    for (qsizetype i = 0; i <= LatestValues::MAX_SERIES; ++i)
        round.values.append({u"if.rx_bytes_per_s{if=e%1}"_s.arg(i), double(i)});
    latest.record(1, {round}, 1);
    QCOMPARE(latest.series().size(), LatestValues::MAX_SERIES);
    QCOMPARE(latest.refused(), 1);
    round.timeMs = 2000;
    round.values = {{u"if.rx_bytes_per_s{if=e0}"_s, -1.0}}; // a series it holds still gets new values
    latest.record(1, {round}, 2);
    QCOMPARE(latest.series().value({1, 1, u"if.rx_bytes_per_s{if=e0}"_s}).value, -1.0);
}

void TestPrometheus::serverAnswersOverASocket()
{
    int scrapes = 0;
    const QByteArray text("# HELP streamswarm_up x\n# TYPE streamswarm_up gauge\nstreamswarm_up 1\n");
    const QByteArray length = "\r\nContent-Length: " + QByteArray::number(text.size()) + "\r\n";
    MetricsServer server([&] {
        ++scrapes;
        return text;
    });
    QString error;
    QVERIFY2(server.listen(QHostAddress::LocalHost, 0, &error), qPrintable(error));
    QVERIFY(server.url().startsWith(u"http://127.0.0.1:"_s));
    QVERIFY(server.url().endsWith(u"/metrics"_s));
    const quint16 port = QUrl(server.url()).port();

    const QByteArray ok = exchange(port, "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
    QCOMPARE(statusOf(ok), 200);
    QVERIFY2(ok.contains("\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\n"), ok.constData());
    QVERIFY(ok.contains(length));
    QVERIFY(ok.contains("\r\nConnection: close\r\n"));
    QCOMPARE(bodyOf(ok), text);
    QCOMPARE(scrapes, 1);

    // Sent a byte at a time, it is the same request.
    {
        QTcpSocket socket;
        QSignalSpy closed(&socket, &QTcpSocket::disconnected);
        socket.connectToHost(QHostAddress::LocalHost, port);
        QVERIFY(socket.waitForConnected(5000));
        for (const char c : QByteArray("GET /metrics HTTP/1.0\r\n\r\n")) {
            socket.write(&c, 1);
            socket.flush();
            QTest::qWait(1);
        }
        QVERIFY(!closed.isEmpty() || closed.wait(5000));
        QCOMPARE(statusOf(socket.readAll()), 200);
    }

    const QByteArray head = exchange(port, "HEAD /metrics HTTP/1.1\r\n\r\n");
    QCOMPARE(statusOf(head), 200);
    QVERIFY(head.contains(length));
    QVERIFY(bodyOf(head).isEmpty());

    const QByteArray missing = exchange(port, "GET /other HTTP/1.1\r\n\r\n");
    QCOMPARE(statusOf(missing), 404);
    QCOMPARE(bodyOf(missing), QByteArray("Not found: this server answers only GET /metrics.\n"));
    const QByteArray post = exchange(port, "POST /metrics HTTP/1.1\r\nContent-Length: 2\r\n\r\nhi");
    QCOMPARE(statusOf(post), 405);
    QVERIFY(post.contains("\r\nAllow: GET, HEAD\r\n"));
    QCOMPARE(statusOf(exchange(port, "junk junk\r\n\r\n")), 400);
    QCOMPARE(statusOf(exchange(port, QByteArray(2 * HttpRequestHead::MAX_BYTES, 'A'))), 431);
    QCOMPARE(scrapes, 3); // only the GETs and the HEAD made the text
    QTRY_COMPARE_WITH_TIMEOUT(server.connectionCount(), 0, 5000);
}

void TestPrometheus::serverCutsSilentPeersAndCapsConnections()
{
    MetricsServer server([] { return QByteArray("streamswarm_up 1\n"); });
    server.setConnectionDeadline(1500);
    QString error;
    QVERIFY2(server.listen(QHostAddress::LocalHost, 0, &error), qPrintable(error));
    const quint16 port = QUrl(server.url()).port();

    // Silent peers fill the served places; the next ones are told 503, any beyond are cut at once.
    std::vector<std::unique_ptr<QTcpSocket>> silent;
    for (int i = 0; i < MetricsServer::MAX_CONNECTIONS; ++i) {
        silent.push_back(std::make_unique<QTcpSocket>());
        silent.back()->connectToHost(QHostAddress::LocalHost, port);
    }
    QTRY_COMPARE_WITH_TIMEOUT(server.connectionCount(), MetricsServer::MAX_CONNECTIONS, 5000);
    const QByteArray refused = exchange(port, "GET /metrics HTTP/1.1\r\n\r\n");
    QCOMPARE(statusOf(refused), 503);

    // The silent ones are cut when their deadline passes, and the server serves again.
    QElapsedTimer waited;
    waited.start();
    QTRY_COMPARE_WITH_TIMEOUT(server.connectionCount(), 0, 10000);
    QVERIFY2(waited.elapsed() < 5000, qPrintable(QString::number(waited.elapsed())));
    for (const auto &socket : silent)
        QTRY_COMPARE_WITH_TIMEOUT(socket->state(), QAbstractSocket::UnconnectedState, 5000);
    QCOMPARE(statusOf(exchange(port, "GET /metrics HTTP/1.1\r\n\r\n")), 200);
}

QTEST_GUILESS_MAIN(TestPrometheus)

#include "tst_prometheus.moc"
