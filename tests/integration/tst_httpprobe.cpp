// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include <memory>
#include <optional>

#include <QDir>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include "agent/probes/http/httpprobe.h"
#include "shared/testtypes/http.h"
#include "tests/support/processharness.h"
#include "tests/support/testcertificates.h"
#include "tests/support/webserver/payload.h"
#include "tests/support/webserver/webserverprocess.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm;
using namespace StreamSwarm::Agent;
using StreamSwarm::Test::WebServerProcess;

namespace {

// Only loopback is ever a target here (DESIGN.md, "Measurement truth").
constexpr int ROUND_WAIT_MS = 15000;

Protocol::TestSpec httpSpec(const QString &url, const QMap<QString, QString> &params = {}, qint64 intervalMs = 10000)
{
    Protocol::TestSpec spec;
    spec.id = 7;
    spec.name = u"web"_s;
    spec.type = u"http"_s;
    spec.target = url;
    spec.intervalMs = intervalMs;
    for (auto it = params.cbegin(); it != params.cend(); ++it)
        spec.params.insert(it.key(), it.value());
    return spec;
}

std::unique_ptr<HttpProbe> makeProbe(const Protocol::TestSpec &spec)
{
    Validation::HttpParams params;
    QString error;
    if (!Validation::parseHttpParams(spec, &params, &error))
        qFatal("bad test spec: %s", qPrintable(error));
    return std::make_unique<HttpProbe>(spec, params);
}

std::optional<double> valueOf(const Protocol::Round &round, const char16_t *metric)
{
    const QString name = QString::fromUtf16(metric);
    for (const Protocol::MetricValue &value : round.values) {
        if (value.metric == name)
            return value.value;
    }
    return std::nullopt;
}

double numberOf(const Protocol::Round &round, const char16_t *metric)
{
    return valueOf(round, metric).value_or(-1);
}

// One round of the probe, waited for (bounded); *tookMs: from start to result.
Protocol::Round runRound(HttpProbe &probe, qint64 *tookMs = nullptr)
{
    QSignalSpy spy(&probe, &Probe::roundFinished);
    QElapsedTimer clock;
    clock.start();
    probe.startRound(QDateTime::currentMSecsSinceEpoch());
    if (!spy.wait(ROUND_WAIT_MS) || spy.size() != 1)
        qFatal("no round or more than one");
    if (tookMs)
        *tookMs = clock.elapsed();
    return spy.takeFirst().at(0).value<Protocol::Round>();
}

Protocol::Round runOnce(const Protocol::TestSpec &spec, qint64 *tookMs = nullptr)
{
    const auto probe = makeProbe(spec);
    return runRound(*probe, tookMs);
}

const Protocol::HttpDetail &detailOf(const Protocol::Round &round)
{
    static const Protocol::HttpDetail none;
    const auto *detail = round.detail.get<Protocol::HttpDetail>();
    return detail ? *detail : none;
}

QString describe(const Protocol::Round &round)
{
    QStringList parts{u"error: "_s + round.error};
    for (const Protocol::MetricValue &value : round.values)
        parts.append(value.metric + u'=' + QString::number(value.value));
    return parts.join(u", "_s);
}

void verifyPhaseOrder(const Protocol::Round &round, bool tls)
{
    const double dns = numberOf(round, Metric::HttpDns);
    const double connect = numberOf(round, Metric::HttpConnect);
    const double handshake = tls ? numberOf(round, Metric::HttpTls) : connect;
    const double ttfb = numberOf(round, Metric::HttpTtfb);
    const double total = numberOf(round, Metric::HttpTotal);
    QVERIFY2(dns > 0 && dns <= connect && connect <= handshake && handshake <= ttfb && ttfb <= total,
        qPrintable(describe(round)));
    QCOMPARE(valueOf(round, Metric::HttpTls).has_value(), tls);
}

} // namespace

class TestHttpProbe : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void plainHttpPhases();
    void httpsWithOwnAuthority();
    void compressionRatioIsRawOverWire_data();
    void compressionRatioIsRawOverWire();
    void requestsReuseTheConnection();
    void closedConnectionsAreNotReused();
    void redirectsAreFollowedAndCounted();
    void http2WithNghttpd();
    void headHasNoBody();
    void failuresSayWhatHappened_data();
    void failuresSayWhatHappened();
    void insecureStillReportsTheValidation();
    void stalledServerIsNamedWithTheBytesItSent();
    void otherTestsKeepTheirRhythmDuringAStall();
    void malformedTargetIsARoundError();
    void overlappingRoundsEmitOncePerRound();

private:
    QTemporaryDir m_dir;
    std::unique_ptr<Test::TestCertificateAuthority> m_authority;
    WebServerProcess m_http;
    WebServerProcess m_https;
    WebServerProcess m_expired;
    WebServerProcess m_selfSigned;
    WebServerProcess m_otherName;
};

void TestHttpProbe::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_authority = std::make_unique<Test::TestCertificateAuthority>(m_dir.path());
    QVERIFY2(m_authority->isValid(), qPrintable(m_authority->error()));
    QString error;
    Test::CertificateRequest expired;
    expired.notBeforeSeconds = -30LL * 86400;
    expired.notAfterSeconds = -3LL * 86400 - 600;
    Test::CertificateRequest selfSigned;
    selfSigned.selfSigned = true;
    Test::CertificateRequest otherName;
    otherName.names = {u"other.example"_s};
    QVERIFY2(m_authority->issue(u"server"_s, {}, &error), qPrintable(error));
    QVERIFY2(m_authority->issue(u"expired"_s, expired, &error), qPrintable(error));
    QVERIFY2(m_authority->issue(u"selfsigned"_s, selfSigned, &error), qPrintable(error));
    QVERIFY2(m_authority->issue(u"other"_s, otherName, &error), qPrintable(error));
    QVERIFY2(m_http.start({}, {}, &error), qPrintable(error));
    const auto startTls = [&](WebServerProcess &server, const QString &name) {
        return server.start(m_authority->certificateFile(name), m_authority->keyFile(name), &error);
    };
    QVERIFY2(startTls(m_https, u"server"_s), qPrintable(error));
    QVERIFY2(startTls(m_expired, u"expired"_s), qPrintable(error));
    QVERIFY2(startTls(m_selfSigned, u"selfsigned"_s), qPrintable(error));
    QVERIFY2(startTls(m_otherName, u"other"_s), qPrintable(error));
}

void TestHttpProbe::cleanupTestCase()
{
    for (WebServerProcess *server : {&m_http, &m_https, &m_expired, &m_selfSigned, &m_otherName})
        server->stop();
}

void TestHttpProbe::plainHttpPhases()
{
    const Protocol::Round round = runOnce(httpSpec(m_http.baseUrl() + u"/think?ms=40&tag=video&x=1"_s));
    QVERIFY2(round.error.isEmpty(), qPrintable(round.error));
    verifyPhaseOrder(round, false);
    // The server thinks 40 ms before its first byte: it shows in the TTFB and not before it.
    QVERIFY2(numberOf(round, Metric::HttpTtfb) >= 40, qPrintable(describe(round)));
    QVERIFY2(numberOf(round, Metric::HttpConnect) < 40, qPrintable(describe(round)));
    QCOMPARE(numberOf(round, Metric::HttpStatus), 200.0);
    QCOMPARE(numberOf(round, Metric::HttpRedirects), 0.0);
    QCOMPARE(numberOf(round, Metric::HttpDownloadBytes), 3.0); // "ok\n"
    QVERIFY(!valueOf(round, Metric::HttpCertValidation));
    QVERIFY(!valueOf(round, Metric::HttpReused)); // one request per round
    const Protocol::HttpDetail &detail = detailOf(round);
    QCOMPARE(detail.version, u"1.1"_s);
    QCOMPARE(detail.status, 200);
    QCOMPARE(detail.method, u"GET"_s);
    QCOMPARE(detail.address, u"127.0.0.1"_s);
    QCOMPARE(detail.port, int(m_http.port()));
    QVERIFY(detail.finalUrl.endsWith(u"/think?ms=40&tag=video&x=1"_s));
    QVERIFY(detail.tlsVersion.isEmpty() && !detail.trusted);
    QVERIFY(std::any_of(detail.headers.cbegin(), detail.headers.cend(),
        [](const Protocol::HttpHeader &header) { return header.name == u"Content-Length" && header.value == u"3"; }));
}

void TestHttpProbe::httpsWithOwnAuthority()
{
    const Protocol::Round round = runOnce(
        httpSpec(m_https.baseUrl(u"localhost"_s) + u"/think?ms=40"_s, {{u"ca-file"_s, m_authority->caFile()}}));
    QVERIFY2(round.error.isEmpty(), qPrintable(round.error));
    verifyPhaseOrder(round, true);
    QVERIFY2(numberOf(round, Metric::HttpTtfb) - numberOf(round, Metric::HttpTls) >= 40, qPrintable(describe(round)));
    const double validation = numberOf(round, Metric::HttpCertValidation);
    QVERIFY2(validation > 0 && validation < numberOf(round, Metric::HttpTls), qPrintable(describe(round)));
    const Protocol::HttpDetail &detail = detailOf(round);
    QVERIFY2(detail.tlsVersion.startsWith(u"TLSv1."_s), qPrintable(detail.tlsVersion));
    QVERIFY(!detail.cipher.isEmpty());
    QCOMPARE(detail.trusted, std::optional<bool>(true));
    QVERIFY(detail.validation.isEmpty());
    QCOMPARE(detail.chain.size(), 2); // the leaf, then the authority that signed it
    QVERIFY(detail.chain.first().names.contains(u"DNS:localhost"_s));
    QVERIFY(detail.chain.first().subject != detail.chain.first().issuer);
}

void TestHttpProbe::compressionRatioIsRawOverWire_data()
{
    QTest::addColumn<QString>("encoding");
    QTest::addColumn<int>("size");
    QTest::newRow("gzip") << u"gzip"_s << 200'000;
    QTest::newRow("deflate") << u"deflate"_s << 150'000;
    QTest::newRow("identity") << u"identity"_s << 50'000;
}

void TestHttpProbe::compressionRatioIsRawOverWire()
{
    QFETCH(QString, encoding);
    QFETCH(int, size);
    // The sizes, computed here with zlib, not asked of the probe or the server.
    const QByteArray raw = Test::knownPayload(size);
    const Test::ContentCoding coding = encoding == u"gzip" ? Test::ContentCoding::Gzip
        : encoding == u"deflate"                           ? Test::ContentCoding::Deflate
                                                           : Test::ContentCoding::Identity;
    const qint64 wire = Test::encodeContent(raw, coding).size();
    const Protocol::Round round
        = runOnce(httpSpec(m_http.baseUrl() + u"/payload?size=%1&encoding=%2"_s.arg(size).arg(encoding),
            {{u"expect"_s, u"line 500: "_s}}));
    QVERIFY2(round.error.isEmpty(), qPrintable(round.error));
    QCOMPARE(numberOf(round, Metric::HttpDownloadBytes), double(wire));
    QCOMPARE(numberOf(round, Metric::HttpCompressionRatio), double(raw.size()) / double(wire));
    if (coding != Test::ContentCoding::Identity)
        QVERIFY(numberOf(round, Metric::HttpCompressionRatio) > 2);
    QCOMPARE(detailOf(round).contentEncoding, encoding == u"identity" ? QString() : encoding);
    const double expectedMbps
        = double(wire) * 8 / ((numberOf(round, Metric::HttpTotal) - numberOf(round, Metric::HttpTtfb)) * 1000);
    QVERIFY2(qAbs(numberOf(round, Metric::HttpThroughput) - expectedMbps) <= expectedMbps * 0.01 + 1e-6,
        qPrintable(describe(round)));
}

void TestHttpProbe::requestsReuseTheConnection()
{
    const Protocol::Round round = runOnce(httpSpec(m_https.baseUrl(u"localhost"_s) + u"/think?ms=20"_s,
        {{u"ca-file"_s, m_authority->caFile()}, {u"requests"_s, u"3"_s}}));
    QVERIFY2(round.error.isEmpty(), qPrintable(round.error));
    QCOMPARE(numberOf(round, Metric::HttpReused), 1.0);
    // Reused: no lookup, connect or handshake, so a shorter total than the first request's.
    const double reusedTotal = numberOf(round, Metric::HttpReusedTotal);
    QVERIFY2(reusedTotal >= 20 && reusedTotal < numberOf(round, Metric::HttpTotal), qPrintable(describe(round)));
    QVERIFY(numberOf(round, Metric::HttpReusedTtfb) >= 20);
    const Protocol::HttpDetail &detail = detailOf(round);
    QCOMPARE(detail.requests.size(), 3);
    QVERIFY(!detail.requests.at(0).reused && detail.requests.at(1).reused && detail.requests.at(2).reused);
    QVERIFY(detail.requests.at(0).tlsMs.has_value());
}

void TestHttpProbe::closedConnectionsAreNotReused()
{
    const Protocol::Round round = runOnce(httpSpec(m_http.baseUrl() + u"/think?close=1"_s, {{u"requests"_s, u"3"_s}}));
    QVERIFY2(round.error.isEmpty(), qPrintable(round.error));
    QCOMPARE(numberOf(round, Metric::HttpReused), 0.0);
    QCOMPARE(detailOf(round).requests.size(), 3);
    QVERIFY(!detailOf(round).requests.at(2).reused);
}

void TestHttpProbe::redirectsAreFollowedAndCounted()
{
    const QString base = m_http.baseUrl();
    const Protocol::Round round = runOnce(httpSpec(base + u"/redirect?n=3"_s));
    QVERIFY2(round.error.isEmpty(), qPrintable(round.error));
    QCOMPARE(numberOf(round, Metric::HttpRedirects), 3.0);
    QCOMPARE(numberOf(round, Metric::HttpStatus), 200.0);
    const Protocol::HttpDetail &detail = detailOf(round);
    QCOMPARE(detail.redirects,
        (QStringList{base + u"/redirect?n=2"_s, base + u"/redirect?n=1"_s, base + u"/redirect?n=0"_s}));
    QCOMPARE(detail.finalUrl, base + u"/redirect?n=0"_s);
    verifyPhaseOrder(round, false);
}

void TestHttpProbe::http2WithNghttpd()
{
    const QString nghttpd = QStandardPaths::findExecutable(u"nghttpd"_s, {u"/usr/sbin"_s, u"/usr/bin"_s});
    if (nghttpd.isEmpty())
        QSKIP("nghttpd is not installed (apt-get install nghttp2-server)");
    QDir(m_dir.path()).mkpath(u"www"_s);
    QFile page(m_dir.filePath(u"www/index.html"_s));
    QVERIFY(page.open(QIODevice::WriteOnly));
    page.write(Test::knownPayload(20'000));
    page.close();
    const quint16 port = Test::freeLocalPort();
    // nghttpd needs the leaf alone in its certificate file? No: a chain file works, and it sends it all.
    Test::ManagedProcess server(nghttpd,
        {u"--address=127.0.0.1"_s, u"-d"_s, m_dir.filePath(u"www"_s), QString::number(port),
            m_authority->keyFile(u"server"_s), m_authority->certificateFile(u"server"_s)});
    QVERIFY(server.start());
    QTcpSocket probeSocket;
    QTRY_VERIFY_WITH_TIMEOUT(
        (probeSocket.abort(), probeSocket.connectToHost(u"127.0.0.1"_s, port), probeSocket.waitForConnected(200)),
        10000);
    probeSocket.abort();
    const QString url = u"https://localhost:%1/index.html?quality=1080p&start=30"_s.arg(port);
    for (const QString &version : {u"auto"_s, u"2"_s}) {
        const Protocol::Round round
            = runOnce(httpSpec(url, {{u"ca-file"_s, m_authority->caFile()}, {u"http-version"_s, version}}));
        QVERIFY2(round.error.isEmpty(), qPrintable(round.error));
        QCOMPARE(detailOf(round).version, u"2"_s);
        QCOMPARE(numberOf(round, Metric::HttpStatus), 200.0);
        verifyPhaseOrder(round, true);
    }
    // nghttpd speaks HTTP/2 only: insisting on 1.1 is a plain failure, not a hang.
    qint64 tookMs = 0;
    const Protocol::Round forced
        = runOnce(httpSpec(url, {{u"ca-file"_s, m_authority->caFile()}, {u"http-version"_s, u"1.1"_s}}), &tookMs);
    QVERIFY2(forced.error.contains(u"the server closed the connection without answering"_s), qPrintable(forced.error));
    QVERIFY(tookMs < 3000);
    // Our own server offers only HTTP/1.1: asking for 2 falls back to it, as curl --http2 does.
    const Protocol::Round fallback = runOnce(httpSpec(m_https.baseUrl(u"localhost"_s) + u"/"_s,
        {{u"ca-file"_s, m_authority->caFile()}, {u"http-version"_s, u"2"_s}}));
    QVERIFY2(fallback.error.isEmpty(), qPrintable(fallback.error));
    QCOMPARE(detailOf(fallback).version, u"1.1"_s);
}

void TestHttpProbe::headHasNoBody()
{
    const Protocol::Round round
        = runOnce(httpSpec(m_http.baseUrl() + u"/payload?size=100000"_s, {{u"method"_s, u"HEAD"_s}}));
    QVERIFY2(round.error.isEmpty(), qPrintable(round.error));
    QCOMPARE(numberOf(round, Metric::HttpDownloadBytes), 0.0);
    QVERIFY(!valueOf(round, Metric::HttpThroughput));
    QCOMPARE(detailOf(round).method, u"HEAD"_s);
}

void TestHttpProbe::failuresSayWhatHappened_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("params"); // key=value,key=value; CA stands for the authority's file
    QTest::addColumn<QString>("says");
    QTest::addColumn<int>("withinMs");
    QTest::addColumn<QStringList>("metrics"); // what the round still reports

    // A port nothing listens on: bound, then closed.
    QTcpServer closed;
    QVERIFY(closed.listen(QHostAddress::LocalHost));
    const quint16 closedPort = closed.serverPort();
    closed.close();
    const QString http = m_http.baseUrl();
    QTest::newRow("refused") << u"http://127.0.0.1:%1/"_s.arg(closedPort) << QString()
                             << u"127.0.0.1 port %1 refused the connection"_s.arg(closedPort) << 2000
                             << QStringList{u"http.dns_ms"_s};
    QTest::newRow("no such name") << u"http://no-such-host.invalid/video?id=1"_s << QString()
                                  << u"the name no-such-host.invalid does not resolve"_s << 5000 << QStringList{};
    QTest::newRow("expired") << m_expired.baseUrl(u"localhost"_s) + u"/"_s << u"ca-file=CA"_s
                             << u"the certificate expired 3 days ago"_s << 2000
                             << QStringList{u"http.dns_ms"_s, u"http.cert_validation_ms"_s}; // curl: no time_connect
    QTest::newRow("self-signed") << m_selfSigned.baseUrl(u"localhost"_s) + u"/"_s << u"ca-file=CA"_s
                                 << u"the certificate is self-signed and not trusted"_s << 2000 << QStringList{};
    QTest::newRow("other name") << m_otherName.baseUrl(u"localhost"_s) + u"/"_s << u"ca-file=CA"_s
                                << u"the certificate is for other.example, not localhost"_s << 2000 << QStringList{};
    QTest::newRow("system store") << m_https.baseUrl(u"localhost"_s) + u"/"_s << QString() << u"is not trusted"_s
                                  << 2000 << QStringList{};
    QTest::newRow("redirect loop") << http + u"/loop"_s << u"max-redirects=5"_s
                                   << u"more than 5 redirects; the last went to %1/loop"_s.arg(http) << 3000
                                   << QStringList{u"http.redirects"_s};
    QTest::newRow("enormous body") << http + u"/big?size=1000000000"_s << u"max-body=2MB"_s
                                   << u"the body passed the 2 MB limit"_s << 5000
                                   << QStringList{u"http.ttfb_ms"_s, u"http.download_bytes"_s};
    QTest::newRow("server error") << http + u"/status?code=503"_s << QString()
                                  << u"the server answered 503 Programmed Status; expected a 2xx or 3xx status"_s
                                  << 2000 << QStringList{u"http.total_ms"_s, u"http.status"_s};
    QTest::newRow("no redirect expected")
        << http + u"/redirect?n=1"_s << u"max-redirects=1"_s << QString() << 2000 << QStringList{u"http.status"_s};
    QTest::newRow("one redirect too many") << http + u"/redirect?n=2"_s << u"max-redirects=1"_s
                                           << u"more than 1 redirect; the last went to %1/redirect?n=0"_s.arg(http)
                                           << 2000 << QStringList{u"http.redirects"_s};
    QTest::newRow("expected status") << http + u"/redirect?n=1"_s << u"expect-status=200,max-redirects=0"_s
                                     << u"the server answered 302 Found; expected 200"_s << 2000
                                     << QStringList{u"http.status"_s};
    QTest::newRow("expected text") << http + u"/think"_s << u"expect=welcome"_s
                                   << u"the body does not contain \"welcome\""_s << 2000
                                   << QStringList{u"http.total_ms"_s};
    QTest::newRow("slow answer") << http + u"/think?ms=5000"_s << u"timeout=1s"_s
                                 << u"the server did not answer within 1s"_s << 2500
                                 << QStringList{u"http.connect_ms"_s};
}

void TestHttpProbe::failuresSayWhatHappened()
{
    QFETCH(QString, url);
    QFETCH(QString, params);
    QFETCH(QString, says);
    QFETCH(int, withinMs);
    QFETCH(QStringList, metrics);
    QMap<QString, QString> map;
    for (const QString &pair : params.split(u',', Qt::SkipEmptyParts)) {
        const QString value = pair.section(u'=', 1);
        map.insert(pair.section(u'=', 0, 0), value == u"CA" ? m_authority->caFile() : value);
    }
    qint64 tookMs = 0;
    const Protocol::Round round = runOnce(httpSpec(url, map), &tookMs);
    if (says.isEmpty()) {
        QVERIFY2(round.error.isEmpty(), qPrintable(round.error));
    } else {
        QVERIFY2(round.error.contains(says), qPrintable(round.error));
        QVERIFY2(round.error.startsWith(u"GET "_s + url + u": "_s), qPrintable(round.error));
    }
    QVERIFY2(tookMs < withinMs, qPrintable(u"%1 ms"_s.arg(tookMs)));
    for (const QString &metric : metrics) {
        QVERIFY2(std::any_of(round.values.cbegin(), round.values.cend(),
                     [&](const Protocol::MetricValue &value) { return value.metric == metric; }),
            qPrintable(metric + u" missing: "_s + describe(round)));
    }
    QCOMPARE(detailOf(round).url, url); // a failed round still says what it asked
}

void TestHttpProbe::insecureStillReportsTheValidation()
{
    const Protocol::Round round
        = runOnce(httpSpec(m_selfSigned.baseUrl(u"localhost"_s) + u"/"_s, {{u"insecure"_s, u"on"_s}}));
    QVERIFY2(round.error.isEmpty(), qPrintable(round.error));
    QCOMPARE(detailOf(round).trusted, std::optional<bool>(false));
    QCOMPARE(detailOf(round).validation, u"the certificate is self-signed and not trusted"_s);
    QVERIFY(numberOf(round, Metric::HttpCertValidation) > 0);
    verifyPhaseOrder(round, true);
}

void TestHttpProbe::stalledServerIsNamedWithTheBytesItSent()
{
    qint64 tookMs = 0;
    const Protocol::Round round = runOnce(httpSpec(m_http.baseUrl() + u"/stall?after=1200000"_s), &tookMs);
    QVERIFY2(
        round.error.contains(u"the server stopped sending after 1.2 MB (no data for 5"_s), qPrintable(round.error));
    QVERIFY2(tookMs >= HttpTransfer::STALL_MS && tookMs < HttpTransfer::STALL_MS + 2000,
        qPrintable(QString::number(tookMs)));
    QCOMPARE(numberOf(round, Metric::HttpDownloadBytes), 1'200'000.0);
    QVERIFY(valueOf(round, Metric::HttpTtfb));
    QVERIFY(!valueOf(round, Metric::HttpTotal));
}

// One http test hangs on a stalled server; another, on the same thread and multi handle, keeps its
// rounds every 300 ms, each answered within a few ms.
void TestHttpProbe::otherTestsKeepTheirRhythmDuringAStall()
{
    const auto stalled = makeProbe(httpSpec(m_http.baseUrl() + u"/stall?after=100000"_s));
    const auto healthy = makeProbe(httpSpec(m_http.baseUrl() + u"/think"_s, {}, 1000));
    QSignalSpy stalledSpy(stalled.get(), &Probe::roundFinished);
    QSignalSpy healthySpy(healthy.get(), &Probe::roundFinished);
    stalled->startRound(0);
    QElapsedTimer clock;
    clock.start();
    QList<qint64> lateness;
    for (int i = 0; i < 12; ++i) {
        const qint64 start = clock.elapsed();
        healthy->startRound(start);
        QVERIFY(healthySpy.wait(2000));
        lateness.append(clock.elapsed() - start);
        QTest::qWait(300 - int(clock.elapsed() - start) % 300);
    }
    QCOMPARE(stalledSpy.size(), 0); // still hanging all along
    QCOMPARE(healthySpy.size(), 12);
    for (const QList<QVariant> &arguments : healthySpy)
        QVERIFY2(arguments.at(0).value<Protocol::Round>().error.isEmpty(),
            qPrintable(arguments.at(0).value<Protocol::Round>().error));
    std::sort(lateness.begin(), lateness.end());
    QVERIFY2(lateness.last() < 200, qPrintable(u"slowest healthy round %1 ms"_s.arg(lateness.last())));
    QVERIFY(stalledSpy.wait(HttpTransfer::STALL_MS + 2000));
}

void TestHttpProbe::malformedTargetIsARoundError()
{
    Protocol::TestSpec spec = httpSpec(m_http.baseUrl());
    Validation::HttpParams params;
    QVERIFY(Validation::parseHttpParams(spec, &params, nullptr));
    spec.target = u"ftp://127.0.0.1/file"_s; // past validation, as from a console of another version
    HttpProbe probe(spec, params);
    qint64 tookMs = 0;
    const Protocol::Round round = runRound(probe, &tookMs);
    QVERIFY2(round.error.contains(u"The scheme \"ftp\" is not supported"_s), qPrintable(round.error));
    QVERIFY(round.values.isEmpty());
    QVERIFY(tookMs < 1000);
}

// A round still running when the next is due is finished first, with what it had: one result per round.
void TestHttpProbe::overlappingRoundsEmitOncePerRound()
{
    const auto probe = makeProbe(httpSpec(m_http.baseUrl() + u"/think?ms=3000"_s));
    QSignalSpy spy(probe.get(), &Probe::roundFinished);
    probe->startRound(1000);
    QTest::qWait(200);
    QCOMPARE(spy.size(), 0);
    probe->startRound(2000);
    QCOMPARE(spy.size(), 1); // the first round, at once
    const auto first = spy.at(0).at(0).value<Protocol::Round>();
    QCOMPARE(first.timeMs, 1000);
    QVERIFY2(first.error.contains(u"the round was still running when the next one was due"_s), qPrintable(first.error));
    QVERIFY(valueOf(first, Metric::HttpConnect)); // what it had got so far
    QVERIFY(spy.wait(6000));
    QCOMPARE(spy.size(), 2);
    const auto second = spy.at(1).at(0).value<Protocol::Round>();
    QCOMPARE(second.timeMs, 2000);
    QVERIFY2(second.error.isEmpty(), qPrintable(second.error));
    QVERIFY(numberOf(second, Metric::HttpTtfb) >= 3000);
    QTest::qWait(200);
    QCOMPARE(spy.size(), 2);
}

QTEST_GUILESS_MAIN(TestHttpProbe)
#include "tst_httpprobe.moc"
