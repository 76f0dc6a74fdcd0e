// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
//
// The bandwidth test (method=iperf3) on a lab link that tc tbf shapes to a known rate, against a real
// iperf3 server, beside iperf3's own client on the same link in the same run: TCP throughput within
// 2 % of iperf3's and below the shaped rate, UDP loss above the shaped rate within 1 point of
// iperf3's, reverse measuring the other direction's shaping. And each way it can fail: no server, a
// busy server, a server that goes silent, a probe stopped mid-measurement, each a clear result in
// bounded time with no measuring process left behind.
#include <cmath>

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

#include "agent/probes/bandwidth/bandwidthprobe.h"
#include "shared/protocol/details.h"
#include "tests/netlab/bandwidthlab.h"
#include "tests/netlab/lab.h"
#include "tests/netlab/proberuns.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm;
using namespace StreamSwarm::NetLab;

namespace {

constexpr int MEASURE_SECONDS = 4;

// How many measuring processes (streamswarm-agent-throughput) run on this host.
int helpersRunning()
{
    QProcess pgrep;
    pgrep.start(u"pgrep"_s, {u"-c"_s, u"-f"_s, u"streamswarm-agent-throughput client"_s});
    pgrep.waitForFinished(5000);
    return pgrep.readAllStandardOutput().trimmed().toInt();
}

} // namespace

class TestBandwidth final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void tcpThroughputIsIperf3s_data();
    void tcpThroughputIsIperf3s();
    void betweenAgentsIsIperf3s();
    void reverseMeasuresTheWayBack();
    void udpLossAboveTheShapedRateIsIperf3s();
    void absentServerSaysSo();
    void busyServerSaysSo();
    void silentServerIsStoppedInTime();
    void stoppedProbeLeavesNoMeasurement();
    void testsOnOneAgentTakeTurns();
    void aRoundThatCannotGetItsTurnIsSkipped();
    void speedTestReadsTheShapedRates();
    void notASpeedTestServerSaysSo();

private:
    Protocol::TestSpec spec(const QMap<QString, QString> &params, const QString &target = {}) const;
    // Starts a round inside the client namespace; the probe and its spy are the caller's.
    std::unique_ptr<Agent::BandwidthProbe> start(const Protocol::TestSpec &spec, std::unique_ptr<QSignalSpy> *spy);
    std::optional<Protocol::Round> runRound(const Protocol::TestSpec &spec, qint64 *tookMs = nullptr);

    QString startSpeedTestServer(QString *error);

    std::unique_ptr<Lab> m_lab;
    std::optional<ShapedLink> m_path;
    QString m_speedTestUrl; // once started, on this lab
};

// The suite's web server on the lab's server, answering as a LibreSpeed backend (garbage.php,
// empty.php); its base URL, or empty and why.
QString TestBandwidth::startSpeedTestServer(QString *error)
{
    if (!m_speedTestUrl.isEmpty())
        return m_speedTestUrl;
    constexpr quint16 port = 8080;
    QProcess *web = m_lab->startProcess(m_path->serverNs(), QStringLiteral(STREAMSWARM_TEST_WEB),
        {u"--listen"_s, m_path->serverAddress().toString(), u"--port"_s, QString::number(port)}, error);
    if (!web)
        return {};
    if (!web->waitForReadyRead(10'000) || !web->readLine().startsWith("ready ")) {
        *error = u"streamswarm-test-web did not get ready: "_s + QString::fromUtf8(web->readAllStandardError());
        return {};
    }
    m_speedTestUrl = u"http://%1:%2/"_s.arg(m_path->serverAddress().toString()).arg(port);
    return m_speedTestUrl;
}

void TestBandwidth::initTestCase()
{
    QString why;
    if (!Lab::available(&why))
        QSKIP(qPrintable(why));
    QVERIFY2(Lab::installed({u"iperf3"_s, u"tc"_s, u"pgrep"_s}, &why), qPrintable(why));
    qputenv("STREAMSWARM_THROUGHPUT_HELPER", STREAMSWARM_THROUGHPUT_HELPER_PATH);
    m_lab = std::make_unique<Lab>();
    m_path = makeShapedLink(*m_lab, &why);
    QVERIFY2(m_path, qPrintable(why));
}

Protocol::TestSpec TestBandwidth::spec(const QMap<QString, QString> &params, const QString &target) const
{
    Protocol::TestSpec spec;
    spec.id = 13;
    spec.name = u"throughput"_s;
    spec.type = u"bandwidth"_s;
    spec.target = target.isEmpty() ? m_path->serverAddress().toString() : target;
    spec.intervalMs = 60'000;
    spec.params = params;
    return spec;
}

std::unique_ptr<Agent::BandwidthProbe> TestBandwidth::start(
    const Protocol::TestSpec &spec, std::unique_ptr<QSignalSpy> *spy)
{
    Validation::BandwidthParams params;
    QString error;
    if (!Validation::parseBandwidthParams(spec, &params, &error)) {
        qWarning("%s", qPrintable(error));
        return nullptr;
    }
    InNamespace client(m_lab->namespaceName(m_path->clientNs()));
    if (!client.entered())
        return nullptr;
    auto probe = std::make_unique<Agent::BandwidthProbe>(spec, params);
    *spy = std::make_unique<QSignalSpy>(probe.get(), &Agent::Probe::roundFinished);
    probe->startRound(1000); // the measuring process starts now, inside the client namespace
    return probe;
}

std::optional<Protocol::Round> TestBandwidth::runRound(const Protocol::TestSpec &spec, qint64 *tookMs)
{
    QElapsedTimer clock;
    clock.start();
    std::unique_ptr<QSignalSpy> finished;
    const auto probe = start(spec, &finished);
    if (!probe || !finished->wait(60'000))
        return std::nullopt;
    if (tookMs)
        *tookMs = clock.elapsed();
    return finished->first().first().value<Protocol::Round>();
}

void TestBandwidth::tcpThroughputIsIperf3s_data()
{
    QTest::addColumn<int>("mbit");
    QTest::newRow("50 Mbit/s") << 50;
    QTest::newRow("100 Mbit/s") << 100;
}

void TestBandwidth::tcpThroughputIsIperf3s()
{
    QFETCH(int, mbit);
    QString why;
    QVERIFY2(shapeLink(*m_lab, *m_path, mbit, &why), qPrintable(why));
    const auto reference = runIperf3Client(*m_lab, *m_path, {u"-t"_s, QString::number(MEASURE_SECONDS)}, &why);
    QVERIFY2(reference, qPrintable(why));
    const auto round = runRound(spec({{u"duration"_s, u"%1s"_s.arg(MEASURE_SECONDS)}}));
    QVERIFY(round);
    QVERIFY2(round->error.isEmpty(), qPrintable(round->error));
    const double ours = metricValue(*round, Metric::BandwidthThroughput);
    qInfo("tbf %d Mbit/s: ours %.2f Mbit/s, iperf3 %.2f Mbit/s (ratio %.4f), retransmits %g", mbit, ours,
        reference->receivedMbps, ours / reference->receivedMbps, metricValue(*round, Metric::BandwidthRetransmits));
    QVERIFY2(std::abs(ours / reference->receivedMbps - 1) <= 0.02, "not within 2 % of iperf3's own client");
    // The truth: the shaper lets no more through than its rate, and TCP fills most of it.
    QVERIFY(ours <= mbit * 1.01);
    QVERIFY(ours >= mbit * 0.85);
    QVERIFY(metricValue(*round, Metric::BandwidthRetransmits) >= 0);
    const auto *detail = round->detail.get<Protocol::BandwidthDetail>();
    QVERIFY(detail);
    QCOMPARE(detail->address, m_path->serverAddress().toString());
    QCOMPARE(detail->protocol, u"tcp"_s);
    QCOMPARE(detail->seconds, MEASURE_SECONDS);
    QVERIFY(detail->engine.startsWith(u"iperf 3"_s));
    QCOMPARE(detail->intervalsMbps.size(), MEASURE_SECONDS);
    QVERIFY(detail->meanRttMs && *detail->meanRttMs > 0);
}

void TestBandwidth::betweenAgentsIsIperf3s()
{
    // method=agent: the round asks for a turn (here the lab answers as the console would), and a
    // one-off server of the agent's own helper on the lab's server serves it, as the serving agent's.
    QString why;
    QVERIFY2(shapeLink(*m_lab, *m_path, 50, &why), qPrintable(why));
    const auto reference = runIperf3Client(*m_lab, *m_path, {u"-t"_s, QString::number(MEASURE_SECONDS)}, &why);
    QVERIFY2(reference, qPrintable(why));
    PeerTurnsInLab peer(*m_lab, *m_path, QStringLiteral(STREAMSWARM_THROUGHPUT_HELPER_PATH));
    const Protocol::TestSpec between
        = spec({{u"method"_s, u"agent"_s}, {u"duration"_s, u"%1s"_s.arg(MEASURE_SECONDS)}}, u"agent:far-side"_s);
    Validation::BandwidthParams params;
    QVERIFY2(Validation::parseBandwidthParams(between, &params, &why), qPrintable(why));
    Agent::BandwidthProbe probe(between, params);
    // The helper starts when the turn is granted, later in the round: the thread stays in the
    // client namespace for the whole round.
    const auto round = NetLab::runRound(probe, m_lab->namespaceName(m_path->clientNs()), nullptr, 30'000);
    QVERIFY(round);
    QVERIFY2(round->error.isEmpty(), qPrintable(round->error + u' ' + peer.error()));
    const double ours = metricValue(*round, Metric::BandwidthThroughput);
    qInfo("tbf 50 Mbit/s between agents: ours %.2f Mbit/s, iperf3 %.2f Mbit/s (ratio %.4f)", ours,
        reference->receivedMbps, ours / reference->receivedMbps);
    QVERIFY2(std::abs(ours / reference->receivedMbps - 1) <= 0.02, "not within 2 % of iperf3's own client");
    const auto *detail = round->detail.get<Protocol::BandwidthDetail>();
    QVERIFY(detail);
    QCOMPARE(detail->method, u"agent"_s);
    QCOMPARE(detail->server, u"agent:far-side"_s);
    QCOMPARE(detail->address, m_path->serverAddress().toString());
    QVERIFY(detail->port > 0 && detail->port != IPERF3_PORT); // the turn's own port, not iperf3's
}

void TestBandwidth::reverseMeasuresTheWayBack()
{
    // There 100 Mbit/s, back 20: with reverse the server sends, so the way back's 20 is what arrives.
    QString why;
    QVERIFY2(shapeLink(*m_lab, *m_path, 100, &why, 20), qPrintable(why));
    const auto round = runRound(spec({{u"duration"_s, u"2s"_s}, {u"reverse"_s, u"on"_s}}));
    QVERIFY(round);
    QVERIFY2(round->error.isEmpty(), qPrintable(round->error));
    const double ours = metricValue(*round, Metric::BandwidthThroughput);
    qInfo("reverse over a 20 Mbit/s way back: %.2f Mbit/s", ours);
    QVERIFY(ours <= 20 * 1.01);
    QVERIFY(ours >= 20 * 0.85);
    QVERIFY(round->detail.get<Protocol::BandwidthDetail>()->reverse);
}

void TestBandwidth::udpLossAboveTheShapedRateIsIperf3s()
{
    // 80 Mbit/s offered to a 50 Mbit/s link: about 3/8 of the datagrams cannot pass.
    QString why;
    QVERIFY2(shapeLink(*m_lab, *m_path, 50, &why), qPrintable(why));
    const auto reference = runIperf3Client(
        *m_lab, *m_path, {u"-u"_s, u"-b"_s, u"80M"_s, u"-t"_s, QString::number(MEASURE_SECONDS)}, &why);
    QVERIFY2(reference, qPrintable(why));
    const auto round = runRound(
        spec({{u"protocol"_s, u"udp"_s}, {u"bitrate"_s, u"80M"_s}, {u"duration"_s, u"%1s"_s.arg(MEASURE_SECONDS)}}));
    QVERIFY(round);
    QVERIFY2(round->error.isEmpty(), qPrintable(round->error));
    const double loss = metricValue(*round, Metric::BandwidthLoss);
    const double throughput = metricValue(*round, Metric::BandwidthThroughput);
    qInfo("udp 80M over 50 Mbit/s: ours loss %.2f %% at %.2f Mbit/s, iperf3 loss %.2f %% at %.2f Mbit/s, jitter %.3f "
          "ms",
        loss, throughput, reference->lossPct, reference->receivedMbps, metricValue(*round, Metric::BandwidthJitter));
    QVERIFY2(std::abs(loss - reference->lossPct) <= 1, "UDP loss not within 1 point of iperf3's");
    QVERIFY(std::abs(loss - 37.5) <= 5); // the truth: what the shaper cannot pass
    QVERIFY(throughput <= 50 * 1.01);
    QVERIFY(metricValue(*round, Metric::BandwidthJitter) >= 0);
    QCOMPARE(metricValue(*round, Metric::BandwidthRetransmits), -1.0); // a TCP figure
}

void TestBandwidth::absentServerSaysSo()
{
    qint64 tookMs = 0;
    const auto round = runRound(
        spec({{u"duration"_s, u"1s"_s}}, u"%1:%2"_s.arg(m_path->serverAddress().toString()).arg(IPERF3_PORT + 1)),
        &tookMs);
    QVERIFY(round);
    QVERIFY2(round->error.contains(u"Connection refused"_s), qPrintable(round->error));
    QVERIFY2(round->error.contains(u"port %1"_s.arg(IPERF3_PORT + 1)), qPrintable(round->error));
    QVERIFY(round->values.isEmpty());
    QVERIFY(tookMs < 3000);
}

void TestBandwidth::busyServerSaysSo()
{
    QString why;
    QVERIFY2(shapeLink(*m_lab, *m_path, 100, &why), qPrintable(why));
    // iperf3's own client holds the server for 3 s: the server says so when it has accepted it.
    m_path->server->readAll();
    QProcess *other = m_lab->startProcess(
        m_path->clientNs(), u"iperf3"_s, {u"-c"_s, m_path->serverAddress().toString(), u"-t"_s, u"3"_s}, &why);
    QVERIFY2(other, qPrintable(why));
    QByteArray said;
    QTRY_VERIFY_WITH_TIMEOUT((said += m_path->server->readAll()).contains("Accepted connection"), 5000);
    const auto round = runRound(spec({{u"duration"_s, u"1s"_s}}));
    QVERIFY(round);
    QVERIFY2(round->error.contains(u"busy"_s), qPrintable(round->error));
    QVERIFY(other->waitForFinished(10'000));
}

void TestBandwidth::silentServerIsStoppedInTime()
{
    // The server answers the start, then its link goes silent: the measurement cannot end by itself.
    QString why;
    QVERIFY2(shapeLink(*m_lab, *m_path, 100, &why), qPrintable(why));
    const Protocol::TestSpec silent = spec({{u"duration"_s, u"2s"_s}, {u"connect-timeout"_s, u"1s"_s}});
    Validation::BandwidthParams params;
    QVERIFY(Validation::parseBandwidthParams(silent, &params, nullptr));
    QElapsedTimer clock;
    clock.start();
    std::unique_ptr<QSignalSpy> finished;
    const auto probe = start(silent, &finished);
    QVERIFY(probe);
    QTest::qWait(1500);
    QVERIFY2(m_lab->setLinkUp(m_path->chain.links.at(1), false, Cut::Silent, &why), qPrintable(why));
    const bool ended = !finished->isEmpty() || finished->wait(int(params.roundLimitMs()) + 5000);
    const qint64 tookMs = clock.elapsed();
    QVERIFY2(m_lab->setLinkUp(m_path->chain.links.at(1), true, Cut::Silent, &why), qPrintable(why));
    QVERIFY(ended);
    const auto round = finished->first().first().value<Protocol::Round>();
    qInfo("silent server: ended after %lld ms (limit %lld ms): %s", tookMs, params.roundLimitMs(),
        qPrintable(round.error));
    QVERIFY2(round.error.contains(u"did not finish within"_s), qPrintable(round.error));
    QVERIFY(tookMs >= params.roundLimitMs() - 100);
    QVERIFY(tookMs <= params.roundLimitMs() + 1500);
    QCOMPARE(helpersRunning(), 0);
    // The server still holds the dead measurement until iperf3's own timers end it; a new one waits.
    m_path = std::nullopt;
    m_lab.reset();
    m_lab = std::make_unique<Lab>();
    m_path = makeShapedLink(*m_lab, &why);
    QVERIFY2(m_path, qPrintable(why));
}

void TestBandwidth::stoppedProbeLeavesNoMeasurement()
{
    std::unique_ptr<QSignalSpy> finished;
    auto probe = start(spec({{u"duration"_s, u"10s"_s}}), &finished);
    QVERIFY(probe);
    QTRY_COMPARE_WITH_TIMEOUT(helpersRunning(), 1, 5000);
    probe.reset(); // the agent was told to stop the test, or is shutting down
    QCOMPARE(helpersRunning(), 0);
}

// Two bandwidth tests of one agent due at the same moment: the second waits for the first to end
// (BulkSlot), so each has the whole 50 Mbit/s link, and its detail says how long it waited.
void TestBandwidth::testsOnOneAgentTakeTurns()
{
    QString why;
    QVERIFY2(shapeLink(*m_lab, *m_path, 50, &why), qPrintable(why));
    Validation::BandwidthParams params;
    Protocol::TestSpec first = spec({{u"duration"_s, u"2s"_s}});
    Protocol::TestSpec second = first;
    second.id = first.id + 1;
    QVERIFY(Validation::parseBandwidthParams(first, &params, nullptr));
    // The waiting round starts its measurement later, from a timer: the thread stays in the client's
    // namespace until both have ended, as an agent's would be all along.
    InNamespace client(m_lab->namespaceName(m_path->clientNs()));
    QVERIFY(client.entered());
    Agent::BandwidthProbe one(first, params);
    Agent::BandwidthProbe two(second, params);
    QSignalSpy oneFinished(&one, &Agent::Probe::roundFinished);
    QSignalSpy twoFinished(&two, &Agent::Probe::roundFinished);
    one.startRound(1000);
    two.startRound(1000);
    QTRY_VERIFY_WITH_TIMEOUT(oneFinished.size() == 1 && twoFinished.size() == 1, 30'000);
    const auto a = oneFinished.first().first().value<Protocol::Round>();
    const auto b = twoFinished.first().first().value<Protocol::Round>();
    QVERIFY2(a.error.isEmpty() && b.error.isEmpty(), qPrintable(a.error + b.error));
    const auto *waited = b.detail.get<Protocol::BandwidthDetail>();
    qInfo("taking turns: first %.2f Mbit/s, second %.2f Mbit/s after waiting %lld ms",
        metricValue(a, Metric::BandwidthThroughput), metricValue(b, Metric::BandwidthThroughput), waited->waitedMs);
    QCOMPARE(a.detail.get<Protocol::BandwidthDetail>()->waitedMs, 0);
    QVERIFY(waited->waitedMs >= 2000); // the first measured 2 s, and more went to connecting and results
    QVERIFY(metricValue(a, Metric::BandwidthThroughput) >= 50 * 0.85); // neither shared the link
    QVERIFY(metricValue(b, Metric::BandwidthThroughput) >= 50 * 0.85);
}

// A round whose interval leaves it 1 s to wait, behind a measurement of 4 s: skipped, and it says why.
void TestBandwidth::aRoundThatCannotGetItsTurnIsSkipped()
{
    QString why;
    QVERIFY2(shapeLink(*m_lab, *m_path, 50, &why), qPrintable(why));
    Protocol::TestSpec longOne = spec({{u"duration"_s, u"4s"_s}});
    Protocol::TestSpec tight = spec({{u"duration"_s, u"2s"_s}});
    tight.id = longOne.id + 1;
    Validation::BandwidthParams longParams;
    Validation::BandwidthParams tightParams;
    QVERIFY(Validation::parseBandwidthParams(longOne, &longParams, nullptr));
    QVERIFY(Validation::parseBandwidthParams(tight, &tightParams, nullptr));
    tight.intervalMs = tightParams.roundLimitMs() + 1000;
    InNamespace client(m_lab->namespaceName(m_path->clientNs()));
    QVERIFY(client.entered());
    Agent::BandwidthProbe running(longOne, longParams);
    Agent::BandwidthProbe waiting(tight, tightParams);
    QSignalSpy runningFinished(&running, &Agent::Probe::roundFinished);
    QSignalSpy waitingFinished(&waiting, &Agent::Probe::roundFinished);
    QElapsedTimer clock;
    clock.start();
    running.startRound(1000);
    waiting.startRound(1000);
    QVERIFY(waitingFinished.wait(5000));
    const qint64 skippedAfterMs = clock.elapsed();
    const auto skipped = waitingFinished.first().first().value<Protocol::Round>();
    qInfo("skipped after %lld ms: %s", skippedAfterMs, qPrintable(skipped.error));
    QVERIFY2(skipped.error.contains(u"Another bandwidth test on this agent was still running after the 1s"_s),
        qPrintable(skipped.error));
    QVERIFY(skipped.values.isEmpty());
    QVERIFY(skippedAfterMs >= 1000 && skippedAfterMs < 2500);
    QVERIFY(runningFinished.wait(15'000)); // the measurement it waited for is untouched
    QVERIFY(runningFinished.first().first().value<Protocol::Round>().error.isEmpty());
}

// method=http against a LibreSpeed-style server behind the shaped router: 40 Mbit/s there (the upload),
// 60 back (the download). Each direction's figure is near what iperf3 reads for that direction on the
// same link in the same run (HTTP over four streams, iperf3 over one), and below the shaped rate.
void TestBandwidth::speedTestReadsTheShapedRates()
{
    QString why;
    const QString url = startSpeedTestServer(&why);
    QVERIFY2(!url.isEmpty(), qPrintable(why));
    QVERIFY2(shapeLink(*m_lab, *m_path, 40, &why, 60), qPrintable(why));
    const auto up = runIperf3Client(*m_lab, *m_path, {u"-t"_s, u"3"_s}, &why);
    QVERIFY2(up, qPrintable(why));
    const auto down = runIperf3Client(*m_lab, *m_path, {u"-t"_s, u"3"_s, u"-R"_s}, &why);
    QVERIFY2(down, qPrintable(why));
    Protocol::TestSpec speed = spec({{u"method"_s, u"http"_s}, {u"duration"_s, u"3s"_s}, {u"omit"_s, u"1s"_s}}, url);
    const auto round = runRound(speed);
    QVERIFY(round);
    QVERIFY2(round->error.isEmpty(), qPrintable(round->error));
    const double download = metricValue(*round, Metric::BandwidthDownload);
    const double upload = metricValue(*round, Metric::BandwidthUpload);
    qInfo("speed test: download %.2f Mbit/s (iperf3 -R %.2f), upload %.2f Mbit/s (iperf3 %.2f)", download,
        down->receivedMbps, upload, up->receivedMbps);
    QVERIFY(download <= 60 * 1.01 && download >= down->receivedMbps * 0.95);
    QVERIFY(upload <= 40 * 1.01 && upload >= up->receivedMbps * 0.95);
    QCOMPARE(metricValue(*round, Metric::BandwidthThroughput), download);
    const auto *detail = round->detail.get<Protocol::BandwidthDetail>();
    QVERIFY(detail && detail->download && detail->upload);
    QCOMPARE(detail->method, u"http"_s);
    QCOMPARE(detail->server, url);
    QCOMPARE(detail->streams, 4);
    QVERIFY(detail->engine.startsWith(u"libcurl/"_s));
    QCOMPARE(detail->download->intervalsMbps.size(), 3);
    QVERIFY(detail->download->bytes > 0 && detail->upload->bytes > 0);
}

void TestBandwidth::notASpeedTestServerSaysSo()
{
    QString why;
    const QString url = startSpeedTestServer(&why);
    QVERIFY2(!url.isEmpty(), qPrintable(why));
    qint64 tookMs = 0;
    const auto round
        = runRound(spec({{u"method"_s, u"http"_s}, {u"duration"_s, u"2s"_s}}, url + u"nothing/here/"_s), &tookMs);
    QVERIFY(round);
    QVERIFY2(round->error.contains(u"download: the server answered garbage.php with HTTP status 404: it is not a "
                                   "speed-test server"_s),
        qPrintable(round->error));
    QVERIFY(round->values.isEmpty());
    QVERIFY(tookMs < 3000);
}

QTEST_GUILESS_MAIN(TestBandwidth)
#include "tst_bandwidth.moc"
