// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include <QTest>

#include "shared/protocol/validation.h"
#include "shared/testtypes/http.h"
#include "shared/testtypes/ping.h"
#include "shared/testtypes/qos.h"
#include "shared/testtypes/traceroute.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm;
using namespace StreamSwarm::Validation;

using Params = QMap<QString, QString>;

namespace {

Protocol::TestSpec pingSpec(qint64 intervalMs, const Params &params)
{
    Protocol::TestSpec spec;
    spec.id = 1;
    spec.name = u"wan"_s;
    spec.type = u"ping"_s;
    spec.target = u"192.0.2.1"_s;
    spec.intervalMs = intervalMs;
    spec.params = params;
    return spec;
}

// A DNS name of exactly `length` characters made of 63-character labels and a shorter last one.
QString hostOfLength(int length)
{
    QString host;
    while (host.size() + 64 <= length)
        host += QString(63, u'a') + u'.';
    host += QString(length - host.size(), u'b');
    return host;
}

} // namespace

class TestValidation : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void names_data();
    void names();
    void hostTargets_data();
    void hostTargets();
    void testTypes_data();
    void testTypes();
    void intervals_data();
    void intervals();
    void durations_data();
    void durations();
    void pingParams_data();
    void pingParams();
    void tracerouteParams_data();
    void tracerouteParams();
    void tracerouteTcpParams_data();
    void tracerouteTcpParams();
    void pingMarking_data();
    void pingMarking();
    void qosParams_data();
    void qosParams();
    void qosAgentTarget();
    void httpUrls_data();
    void httpUrls();
    void httpParams_data();
    void httpParams();
    void testSpec_data();
    void testSpec();
    void nullErrorPointer();
};

void TestValidation::names_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QString>("errorMentions");

    QTest::newRow("simple") << u"edge01"_s << true << QString();
    QTest::newRow("all allowed characters") << u"Edge-01.lab_A"_s << true << QString();
    QTest::newRow("starts with digit") << u"1st"_s << true << QString();
    QTest::newRow("one character") << u"a"_s << true << QString();
    QTest::newRow("64 characters") << QString(64, u'x') << true << QString();
    QTest::newRow("empty") << QString() << false << u"The agent name is empty."_s;
    QTest::newRow("65 characters") << QString(65, u'x') << false << u"longer than 64 characters"_s;
    QTest::newRow("space") << u"edge 01"_s << false << u"\"edge 01\""_s;
    QTest::newRow("slash") << u"a/b"_s << false << u"\"a/b\""_s;
    QTest::newRow("colon") << u"a:b"_s << false << u"\"a:b\""_s;
    QTest::newRow("starts with dash") << u"-edge"_s << false << u"must start with a letter or digit"_s;
    QTest::newRow("starts with dot") << u".edge"_s << false << u"must start with a letter or digit"_s;
    QTest::newRow("starts with underscore") << u"_edge"_s << false << u"must start with a letter or digit"_s;
    QTest::newRow("unicode letter inside") << u"zürich"_s << false << u"\"zürich\""_s;
    QTest::newRow("unicode letter first") << u"Ärzte"_s << false << u"only letters, digits"_s;
    QTest::newRow("unicode digit first") << u"\u0661x"_s << false << u"only letters, digits"_s;
    QTest::newRow("emoji") << u"ok🚀"_s << false << u"only letters, digits"_s;
    QTest::newRow("newline") << u"a\nb"_s << false << u"only letters, digits"_s;
}

void TestValidation::names()
{
    QFETCH(QString, name);
    QFETCH(bool, valid);
    QFETCH(QString, errorMentions);

    QString error;
    QCOMPARE(checkName(u"agent name"_s, name, &error), valid);
    if (valid) {
        QVERIFY2(error.isEmpty(), qPrintable(error));
    } else {
        QVERIFY2(error.contains(errorMentions), qPrintable(error));
    }
}

void TestValidation::hostTargets_data()
{
    QTest::addColumn<QString>("target");
    QTest::addColumn<bool>("valid");

    QTest::newRow("IPv4") << u"192.0.2.1"_s << true;
    QTest::newRow("IPv4 any") << u"0.0.0.0"_s << false;
    QTest::newRow("IPv4 limited broadcast") << u"255.255.255.255"_s << false;
    QTest::newRow("IPv6 any") << u"::"_s << false;
    QTest::newRow("just below broadcast") << u"255.255.255.254"_s << true;
    QTest::newRow("IPv6") << u"2001:db8::1"_s << true;
    QTest::newRow("IPv6 loopback") << u"::1"_s << true;
    QTest::newRow("IPv6 with scope") << u"fe80::1%eth0"_s << true;
    QTest::newRow("IPv4-mapped IPv6") << u"::ffff:192.0.2.1"_s << true;
    QTest::newRow("single label") << u"localhost"_s << true;
    QTest::newRow("name") << u"console.example.net"_s << true;
    QTest::newRow("upper case") << u"Console.Example.NET"_s << true;
    QTest::newRow("trailing dot") << u"example.net."_s << true;
    QTest::newRow("dash inside label") << u"my-host.example-1.net"_s << true;
    QTest::newRow("digits in labels") << u"1and1.com"_s << true;
    QTest::newRow("punycode") << u"xn--bcher-kva.example"_s << true;
    QTest::newRow("63-char label") << QString(63, u'a') + u".net"_s << true;
    QTest::newRow("253-char name") << hostOfLength(253) << true;

    QTest::newRow("empty") << QString() << false;
    QTest::newRow("only a dot") << u"."_s << false;
    QTest::newRow("64-char label") << QString(64, u'a') + u".net"_s << false;
    QTest::newRow("254-char name") << hostOfLength(254) << false;
    QTest::newRow("empty label") << u"a..b"_s << false;
    QTest::newRow("leading dot") << u".example.net"_s << false;
    QTest::newRow("two trailing dots") << u"example.net.."_s << false;
    QTest::newRow("label starts with dash") << u"-host.example"_s << false;
    QTest::newRow("label ends with dash") << u"host-.example"_s << false;
    QTest::newRow("underscore") << u"my_host.example"_s << false;
    QTest::newRow("space inside") << u"my host"_s << false;
    QTest::newRow("leading space") << u" example.net"_s << false;
    QTest::newRow("trailing space") << u"example.net "_s << false;
    QTest::newRow("URL") << u"http://example.net"_s << false;
    QTest::newRow("host and port") << u"example.net:80"_s << false;
    QTest::newRow("unicode") << u"zürich.example"_s << false;
    QTest::newRow("five numbers") << u"1.2.3.4.5"_s << false;
    QTest::newRow("IPv4 octet 256") << u"256.1.1.1"_s << false;
    QTest::newRow("1.2.3 all digits") << u"1.2.3"_s << false;
    QTest::newRow("one number") << u"12345"_s << false;
    QTest::newRow("hex shorthand") << u"0x7f.1"_s << false;
    QTest::newRow("leading zeros") << u"01.02.03.04"_s << false;
    QTest::newRow("254 with trailing dot") << (QString(63, u'a') + u"."_s + QString(63, u'b') + u"."_s
        + QString(63, u'c') + u"."_s + QString(61, u'd') + u"."_s)
                                           << true;
    QTest::newRow("bad IPv6") << u"2001:db8:::1"_s << false;
    QTest::newRow("IPv6 with scope") << u"fe80::1%eth0"_s << true;
    QTest::newRow("IPv6 with blank before") << u" 2001:db8::1"_s << false;
    QTest::newRow("IPv6 with newline after") << u"::1\n"_s << false;
    QTest::newRow("IPv6 with empty scope") << u"::1%"_s << false;
    QTest::newRow("IPv6 scope with a command") << u"fe80::1%eth0 ; rm -rf /"_s << false;
    QTest::newRow("IPv6 with long scope") << (u"fe80::1%"_s + QString(16, u'x')) << false;
}

void TestValidation::hostTargets()
{
    QFETCH(QString, target);
    QFETCH(bool, valid);

    QString error;
    const bool ok = checkHostTarget(target, &error);
    if (valid) {
        QVERIFY2(ok, qPrintable(error));
        return;
    }
    QVERIFY2(!ok, qPrintable(target));
    QVERIFY2(!error.isEmpty(), qPrintable(target));
    if (!target.isEmpty() && target.size() <= 80 && target.size() <= MAX_TARGET_LENGTH)
        QVERIFY2(error.contains(u"\"%1\""_s.arg(target)), qPrintable(error));
}

void TestValidation::testTypes_data()
{
    QTest::addColumn<QString>("type");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QString>("errorMentions");

    QTest::newRow("ping runs") << u"ping"_s << true << QString();
    QTest::newRow("traceroute runs") << u"traceroute"_s << true << QString();
    QTest::newRow("qos") << u"qos"_s << true << QString();
    // Whatever else this build runs, the three first types are offered in menu order.
    const QString available = TestTypes::names().join(u", "_s);
    QVERIFY(available.startsWith(u"ping, traceroute, qos"_s));
    QTest::newRow("http") << u"http"_s << true << QString();
    QTest::newRow("tcp") << u"tcp"_s << true << QString();
    QTest::newRow("tls") << u"tls"_s << true << QString();
    QTest::newRow("dns") << u"dns"_s << true << QString();
    for (const QString &type : TestTypes::plannedNames()) {
        QTest::addRow("%s known, not yet", qPrintable(type))
            << type << false
            << u"The test type \"%1\" is not available in this version yet; available: %2."_s.arg(type, available);
    }
    QTest::newRow("unknown") << u"smtp"_s << false << u"Unknown test type \"smtp\"; available: %1."_s.arg(available);
    QTest::newRow("case matters") << u"PING"_s << false << u"Unknown test type \"PING\""_s;
    QTest::newRow("empty") << QString() << false << u"Unknown test type \"\""_s;
}

void TestValidation::testTypes()
{
    QFETCH(QString, type);
    QFETCH(bool, valid);
    QFETCH(QString, errorMentions);

    QString error;
    QCOMPARE(checkTestType(type, &error), valid);
    QVERIFY2(error.contains(errorMentions), qPrintable(error));
}

void TestValidation::intervals_data()
{
    QTest::addColumn<qint64>("ms");
    QTest::addColumn<bool>("valid");

    QTest::newRow("99ms") << qint64(99) << false;
    QTest::newRow("100ms") << qint64(100) << true;
    QTest::newRow("1s") << qint64(1000) << true;
    QTest::newRow("24h") << qint64(86'400'000) << true;
    QTest::newRow("24h + 1ms") << qint64(86'400'001) << false;
    QTest::newRow("zero") << qint64(0) << false;
    QTest::newRow("negative") << qint64(-1000) << false;
}

void TestValidation::intervals()
{
    QFETCH(qint64, ms);
    QFETCH(bool, valid);

    QString error;
    QCOMPARE(checkInterval(ms, &error), valid);
    if (!valid)
        QVERIFY2(error.contains(u"out of range; use 100ms to 1d."), qPrintable(error));
}

void TestValidation::durations_data()
{
    QTest::addColumn<qint64>("ms");
    QTest::addColumn<bool>("valid");

    QTest::newRow("continuous") << qint64(0) << true;
    QTest::newRow("999ms") << qint64(999) << false;
    QTest::newRow("1s") << qint64(1000) << true;
    QTest::newRow("366d") << qint64(31'622'400'000) << true;
    QTest::newRow("366d + 1ms") << qint64(31'622'400'001) << false;
    QTest::newRow("negative") << qint64(-1) << false;
}

void TestValidation::durations()
{
    QFETCH(qint64, ms);
    QFETCH(bool, valid);

    QString error;
    QCOMPARE(checkDuration(ms, &error), valid);
    if (!valid)
        QVERIFY2(error.contains(u"out of range; use 1s to 366d, or --continuous."), qPrintable(error));
}

void TestValidation::pingParams_data()
{
    QTest::addColumn<qint64>("intervalMs");
    QTest::addColumn<Params>("params");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<int>("count");
    QTest::addColumn<qint64>("spacingMs");
    QTest::addColumn<qint64>("timeoutMs");
    QTest::addColumn<int>("size");
    QTest::addColumn<QString>("errorMentions");

    // Defaults: timeout = clamp(interval - (count - 1) * spacing, 10ms, 1s).
    QTest::newRow("defaults, 1s") << qint64(1000) << Params{} << true << 1 << qint64(100) << qint64(1000) << 56
                                  << QString();
    QTest::newRow("defaults, 100ms") << qint64(100) << Params{} << true << 1 << qint64(100) << qint64(100) << 56
                                     << QString();
    QTest::newRow("defaults, 10s") << qint64(10'000) << Params{} << true << 1 << qint64(100) << qint64(1000) << 56
                                   << QString();
    QTest::newRow("count with a blank") << qint64(1000) << Params{{u"count"_s, u" 4"_s}} << false << 0 << qint64(0)
                                        << qint64(0) << 0 << u"The parameter count= 4 is not valid"_s;
    QTest::newRow("interval near the int64 minimum")
        << std::numeric_limits<qint64>::min() << Params{{u"count"_s, u"2"_s}} << false << 0 << qint64(0) << qint64(0)
        << 0 << u"interval"_s;
    // 1000 - 2 * 20 = 960ms timeout; the round takes 40 + 960 = 1000ms, exactly the interval.
    QTest::newRow("count 3 spacing 20ms in 1s")
        << qint64(1000) << Params{{u"count"_s, u"3"_s}, {u"spacing"_s, u"20ms"_s}} << true << 3 << qint64(20)
        << qint64(960) << 56 << QString();
    // 1000 - 99 * 10 = 10ms timeout: the round takes 990 + 10 = 1000ms.
    QTest::newRow("count 100 spacing 10ms in 1s")
        << qint64(1000) << Params{{u"count"_s, u"100"_s}, {u"spacing"_s, u"10ms"_s}} << true << 100 << qint64(10)
        << qint64(10) << 56 << QString();
    QTest::newRow("explicit timeout") << qint64(5000) << Params{{u"timeout"_s, u"2s"_s}} << true << 1 << qint64(100)
                                      << qint64(2000) << 56 << QString();
    QTest::newRow("size 0") << qint64(1000) << Params{{u"size"_s, u"0"_s}} << true << 1 << qint64(100) << qint64(1000)
                            << 0 << QString();
    QTest::newRow("size 65499") << qint64(1000) << Params{{u"size"_s, u"65499"_s}} << true << 1 << qint64(100)
                                << qint64(1000) << 65499 << QString();
    QTest::newRow("spacing 1m") << qint64(3'600'000) << Params{{u"count"_s, u"2"_s}, {u"spacing"_s, u"1m"_s}} << true
                                << 2 << qint64(60'000) << qint64(1000) << 56 << QString();

    QTest::newRow("unknown key") << qint64(1000) << Params{{u"hops"_s, u"64"_s}} << false << 0 << qint64(0) << qint64(0)
                                 << 0
                                 << u"A ping test has no parameter \"hops\"; it takes: count, spacing, timeout, size, "
                                    "ttl, dscp, tos, source, interface."_s;
    QTest::newRow("count 0") << qint64(1000) << Params{{u"count"_s, u"0"_s}} << false << 0 << qint64(0) << qint64(0)
                             << 0 << u"count=0 is not valid; use a whole number from 1 to 100."_s;
    QTest::newRow("count 101") << qint64(1000) << Params{{u"count"_s, u"101"_s}} << false << 0 << qint64(0) << qint64(0)
                               << 0 << u"count=101 is not valid"_s;
    QTest::newRow("count text") << qint64(1000) << Params{{u"count"_s, u"three"_s}} << false << 0 << qint64(0)
                                << qint64(0) << 0 << u"count=three is not valid"_s;
    QTest::newRow("count fraction") << qint64(1000) << Params{{u"count"_s, u"2.5"_s}} << false << 0 << qint64(0)
                                    << qint64(0) << 0 << u"count=2.5 is not valid"_s;
    QTest::newRow("size 65500") << qint64(1000) << Params{{u"size"_s, u"65500"_s}} << false << 0 << qint64(0)
                                << qint64(0) << 0 << u"size=65500 is not valid; use a whole number from 0 to 65499."_s;
    QTest::newRow("size negative") << qint64(1000) << Params{{u"size"_s, u"-1"_s}} << false << 0 << qint64(0)
                                   << qint64(0) << 0 << u"size=-1 is not valid"_s;
    QTest::newRow("spacing 5ms") << qint64(1000) << Params{{u"spacing"_s, u"5ms"_s}} << false << 0 << qint64(0)
                                 << qint64(0) << 0 << u"spacing=5ms is out of range; use 10ms to 1m."_s;
    QTest::newRow("spacing 61s") << qint64(1000) << Params{{u"spacing"_s, u"61s"_s}} << false << 0 << qint64(0)
                                 << qint64(0) << 0 << u"spacing=61s is out of range"_s;
    QTest::newRow("spacing no unit") << qint64(1000) << Params{{u"spacing"_s, u"20"_s}} << false << 0 << qint64(0)
                                     << qint64(0) << 0 << u"The parameter spacing: \"20\" is not a duration"_s;
    QTest::newRow("timeout 1.5s") << qint64(5000) << Params{{u"timeout"_s, u"1.5s"_s}} << false << 0 << qint64(0)
                                  << qint64(0) << 0 << u"The parameter timeout: \"1.5s\" is not a duration"_s;
    QTest::newRow("timeout 5ms") << qint64(1000) << Params{{u"timeout"_s, u"5ms"_s}} << false << 0 << qint64(0)
                                 << qint64(0) << 0 << u"timeout=5ms is out of range; use 10ms to 1m."_s;
    QTest::newRow("timeout longer than interval")
        << qint64(1000) << Params{{u"timeout"_s, u"2s"_s}} << false << 0 << qint64(0) << qint64(0) << 0
        << u"A ping round (1 echoes 100ms apart, then 2s to wait) takes 2s, longer than the interval 1s;"_s;
    // 100 echoes 100ms apart already take 9.9s; the default timeout bottoms out at 10ms: 9910ms.
    QTest::newRow("round longer than interval")
        << qint64(1000) << Params{{u"count"_s, u"100"_s}} << false << 0 << qint64(0) << qint64(0) << 0
        << u"(100 echoes 100ms apart, then 10ms to wait) takes 9910ms, longer than the interval 1s"_s;
    QTest::newRow("one ms too long") << qint64(
        1000) << Params{{u"count"_s, u"3"_s}, {u"spacing"_s, u"20ms"_s}, {u"timeout"_s, u"961ms"_s}}
                                     << false << 0 << qint64(0) << qint64(0) << 0 << u"takes 1001ms"_s;
}

void TestValidation::pingParams()
{
    QFETCH(qint64, intervalMs);
    QFETCH(Params, params);
    QFETCH(bool, valid);
    QFETCH(QString, errorMentions);

    PingParams parsed;
    parsed.count = -7; // must be left alone on failure
    QString error;
    QCOMPARE(parsePingParams(pingSpec(intervalMs, params), &parsed, &error), valid);
    if (!valid) {
        QVERIFY2(error.contains(errorMentions), qPrintable(error));
        QCOMPARE(parsed.count, -7);
        return;
    }
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QTEST(parsed.count, "count");
    QTEST(parsed.spacingMs, "spacingMs");
    QTEST(parsed.timeoutMs, "timeoutMs");
    QTEST(parsed.payloadSize, "size");
}

void TestValidation::tracerouteParams_data()
{
    QTest::addColumn<qint64>("intervalMs");
    QTest::addColumn<Params>("params");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<bool>("udp");
    QTest::addColumn<int>("maxHops");
    QTest::addColumn<int>("probes");
    QTest::addColumn<qint64>("timeoutMs");
    QTest::addColumn<int>("port");
    QTest::addColumn<bool>("resolve");
    QTest::addColumn<QString>("errorMentions");

    // Default timeout: clamp(interval / waves, 10ms, 1s), a wave being 16 TTLs (30 hops: 2 waves).
    QTest::newRow("defaults, 5s") << qint64(5000) << Params{} << true << false << 30 << 3 << qint64(1000) << 33434
                                  << true << QString();
    QTest::newRow("defaults, 1s") << qint64(1000) << Params{} << true << false << 30 << 3 << qint64(500) << 33434
                                  << true << QString();
    QTest::newRow("one wave, 1s") << qint64(1000) << Params{{u"max-hops"_s, u"16"_s}} << true << false << 16 << 3
                                  << qint64(1000) << 33434 << true << QString();
    QTest::newRow("everything") << qint64(10000)
                                << Params{{u"protocol"_s, u"udp"_s}, {u"max-hops"_s, u"64"_s}, {u"probes"_s, u"10"_s},
                                       {u"timeout"_s, u"2s"_s}, {u"port"_s, u"53"_s}, {u"resolve"_s, u"off"_s}}
                                << true << true << 64 << 10 << qint64(2000) << 53 << false << QString();
    QTest::newRow("icmp, resolve on") << qint64(1000) << Params{{u"protocol"_s, u"icmp"_s}, {u"resolve"_s, u"on"_s}}
                                      << true << false << 30 << 3 << qint64(500) << 33434 << true << QString();
    QTest::newRow("bad protocol") << qint64(1000) << Params{{u"protocol"_s, u"sctp"_s}} << false << false << 0 << 0
                                  << qint64(0) << 0 << false << u"protocol=sctp is not valid; use icmp, udp or tcp"_s;
    QTest::newRow("max-hops 0") << qint64(1000) << Params{{u"max-hops"_s, u"0"_s}} << false << false << 0 << 0
                                << qint64(0) << 0 << false
                                << u"max-hops=0 is not valid; use a whole number from 1 to 64"_s;
    QTest::newRow("max-hops 65") << qint64(1000) << Params{{u"max-hops"_s, u"65"_s}} << false << false << 0 << 0
                                 << qint64(0) << 0 << false << u"from 1 to 64"_s;
    QTest::newRow("probes 11") << qint64(1000) << Params{{u"probes"_s, u"11"_s}} << false << false << 0 << 0
                               << qint64(0) << 0 << false
                               << u"probes=11 is not valid; use a whole number from 1 to 10"_s;
    QTest::newRow("port 0") << qint64(1000) << Params{{u"port"_s, u"0"_s}} << false << false << 0 << 0 << qint64(0) << 0
                            << false << u"port=0"_s;
    QTest::newRow("port leaves no room") << qint64(1000) << Params{{u"port"_s, u"65000"_s}} << false << false << 0 << 0
                                         << qint64(0) << 0 << false << u"from 1 to 64512"_s;
    QTest::newRow("resolve maybe") << qint64(1000) << Params{{u"resolve"_s, u"maybe"_s}} << false << false << 0 << 0
                                   << qint64(0) << 0 << false << u"resolve=maybe is not valid; use on or off"_s;
    QTest::newRow("timeout too long for interval")
        << qint64(1000) << Params{{u"timeout"_s, u"800ms"_s}} << false << false << 0 << 0 << qint64(0) << 0 << false
        << u"can take 1600ms, longer than the interval 1s"_s;
    QTest::newRow("unknown parameter") << qint64(1000) << Params{{u"count"_s, u"3"_s}} << false << false << 0 << 0
                                       << qint64(0) << 0 << false << u"A traceroute test has no parameter \"count\""_s;
}

void TestValidation::tracerouteParams()
{
    QFETCH(qint64, intervalMs);
    QFETCH(Params, params);
    QFETCH(bool, valid);
    QFETCH(QString, errorMentions);

    Protocol::TestSpec spec = pingSpec(intervalMs, params);
    spec.type = u"traceroute"_s;
    TracerouteParams parsed;
    parsed.maxHops = -7; // must be left alone on failure
    QString error;
    QCOMPARE(parseTracerouteParams(spec, &parsed, &error), valid);
    QString specError;
    QCOMPARE(checkTestSpec(spec, &specError), valid);
    if (!valid) {
        QVERIFY2(error.contains(errorMentions), qPrintable(error));
        QCOMPARE(specError, error);
        QCOMPARE(parsed.maxHops, -7);
        return;
    }
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QTEST(parsed.protocol == TracerouteParams::Protocol::Udp, "udp");
    QTEST(parsed.maxHops, "maxHops");
    QTEST(parsed.probes, "probes");
    QTEST(parsed.timeoutMs, "timeoutMs");
    QTEST(parsed.port, "port");
    QTEST(parsed.resolve, "resolve");
}

void TestValidation::tracerouteTcpParams_data()
{
    QTest::addColumn<Params>("params");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<int>("port");
    QTest::addColumn<QString>("errorMentions");

    QTest::newRow("tcp, default port 80") << Params{{u"protocol"_s, u"tcp"_s}} << true << 80 << QString();
    QTest::newRow("tcp, port 443") << Params{{u"protocol"_s, u"tcp"_s}, {u"port"_s, u"443"_s}} << true << 443
                                   << QString();
    QTest::newRow("tcp, port 1") << Params{{u"protocol"_s, u"tcp"_s}, {u"port"_s, u"1"_s}} << true << 1 << QString();
    // UDP needs room above its port for a round's probes; one TCP port serves every SYN.
    QTest::newRow("tcp, port 65535") << Params{{u"protocol"_s, u"tcp"_s}, {u"port"_s, u"65535"_s}} << true << 65535
                                     << QString();
    QTest::newRow("udp, port 65535") << Params{{u"protocol"_s, u"udp"_s}, {u"port"_s, u"65535"_s}} << false << 0
                                     << u"port=65535 is not valid; use a whole number from 1 to 64512"_s;
    QTest::newRow("tcp, port 0") << Params{{u"protocol"_s, u"tcp"_s}, {u"port"_s, u"0"_s}} << false << 0
                                 << u"The parameter port=0 is not valid; use a whole number from 1 to 65535."_s;
    QTest::newRow("tcp, port 65536") << Params{{u"protocol"_s, u"tcp"_s}, {u"port"_s, u"65536"_s}} << false << 0
                                     << u"port=65536 is not valid; use a whole number from 1 to 65535"_s;
    QTest::newRow("tcp, port http") << Params{{u"protocol"_s, u"tcp"_s}, {u"port"_s, u"http"_s}} << false << 0
                                    << u"port=http is not valid; use a whole number from 1 to 65535"_s;
    QTest::newRow("tcp, port -80") << Params{{u"protocol"_s, u"tcp"_s}, {u"port"_s, u"-80"_s}} << false << 0
                                   << u"port=-80 is not valid"_s;
    QTest::newRow("TCP in capitals") << Params{{u"protocol"_s, u"TCP"_s}} << false << 0
                                     << u"protocol=TCP is not valid; use icmp, udp or tcp"_s;
}

void TestValidation::tracerouteTcpParams()
{
    QFETCH(Params, params);
    QFETCH(bool, valid);
    QFETCH(QString, errorMentions);

    Protocol::TestSpec spec = pingSpec(5000, params);
    spec.type = u"traceroute"_s;
    TracerouteParams parsed;
    parsed.port = -7; // must be left alone on failure
    QString error;
    QCOMPARE(parseTracerouteParams(spec, &parsed, &error), valid);
    QString specError;
    QCOMPARE(checkTestSpec(spec, &specError), valid);
    if (!valid) {
        QVERIFY2(error.contains(errorMentions), qPrintable(error));
        QCOMPARE(specError, error);
        QCOMPARE(parsed.port, -7);
        return;
    }
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY(parsed.protocol == TracerouteParams::Protocol::Tcp);
    QTEST(parsed.port, "port");
    QCOMPARE(parsed.probes, 3);
    QCOMPARE(parsed.maxHops, 30);
}

void TestValidation::qosParams_data()
{
    QTest::addColumn<QString>("target");
    QTest::addColumn<Params>("params");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QString>("classes"); // as parsed, "name=dscp" joined by spaces; or the error's words

    const QString reflector = u"192.0.2.7"_s;
    QTest::newRow("defaults") << reflector << Params{} << true << u"ef=46 af41=34 cs1=8 be=0"_s;
    QTest::newRow("names any case, numbers")
        << reflector << Params{{u"classes"_s, u"EF, af11,Cs5,63"_s}} << true << u"ef=46 af11=10 cs5=40 dscp63=63"_s;
    QTest::newRow("IPv6 reflector") << u"2001:db8::7"_s << Params{{u"classes"_s, u"be"_s}} << true << u"be=0"_s;
    QTest::newRow("host name") << u"reflector.example.net"_s << Params{} << false << u"must be the IP address"_s;
    QTest::newRow("broadcast") << u"255.255.255.255"_s << Params{} << false << u"must be the IP address"_s;
    QTest::newRow("another agent by name")
        << u"agent:branch-7"_s << Params{{u"classes"_s, u"ef"_s}} << true << u"ef=46"_s;
    QTest::newRow("agent: and no name") << u"agent:"_s << Params{} << false << u"or agent:NAME"_s;
    QTest::newRow("agent: and a bad name")
        << u"agent:-x"_s << Params{} << false << u"The agent name after agent: \"-x\" may use only"_s;
    QTest::newRow("agent name too long") << u"agent:"_s + QString(65, u'a') << Params{} << false
                                         << u"The agent name after agent: is longer than 64"_s;
    QTest::newRow("Agent: is no prefix") << u"Agent:branch-7"_s << Params{} << false << u"must be the IP address"_s;
    QTest::newRow("bad class") << reflector << Params{{u"classes"_s, u"ef,gold"_s}} << false
                               << u"\"gold\" in classes= is not a DSCP class"_s;
    QTest::newRow("64 is not a DSCP") << reflector << Params{{u"classes"_s, u"64"_s}} << false
                                      << u"is not a DSCP class"_s;
    QTest::newRow("twice") << reflector << Params{{u"classes"_s, u"ef,46"_s}} << false
                           << u"The class ef is listed twice"_s;
    QTest::newRow("none") << reflector << Params{{u"classes"_s, u","_s}} << false << u"Give 1 to 8 DSCP classes"_s;
    QTest::newRow("nine") << reflector << Params{{u"classes"_s, u"cs0,cs1,cs2,cs3,cs4,cs5,cs6,cs7,ef"_s}} << false
                          << u"Give 1 to 8 DSCP classes"_s;
    QTest::newRow("unknown key") << reflector << Params{{u"ttl"_s, u"5"_s}} << false
                                 << u"A qos test has no parameter \"ttl\"; it takes: classes, count"_s;
    QTest::newRow("round too long") << reflector << Params{{u"count"_s, u"100"_s}, {u"spacing"_s, u"10ms"_s}} << false
                                    << u"longer than the interval"_s;
    QTest::newRow("port 0") << reflector << Params{{u"port"_s, u"0"_s}} << false << u"port"_s;
}

void TestValidation::qosAgentTarget()
{
    QCOMPARE(agentTargetName(u"agent:branch-7"_s), u"branch-7"_s);
    QCOMPARE(agentTargetName(u"agent:"_s), QString());
    QCOMPARE(agentTargetName(u"192.0.2.7"_s), QString());
    QCOMPARE(agentTargetName(u"xagent:branch-7"_s), QString());
    // Only qos resolves agent names: elsewhere "agent:x" is no host name.
    Protocol::TestSpec ping = pingSpec(2000, {});
    ping.target = u"agent:branch-7"_s;
    QString error;
    QVERIFY(!checkTestSpec(ping, &error));
}

void TestValidation::qosParams()
{
    QFETCH(QString, target);
    QFETCH(Params, params);
    QFETCH(bool, valid);
    QFETCH(QString, classes);

    Protocol::TestSpec spec = pingSpec(2000, params);
    spec.type = u"qos"_s;
    spec.target = target;
    QosParams parsed;
    QString error;
    QCOMPARE(parseQosParams(spec, &parsed, &error), valid);
    QString specError;
    QCOMPARE(checkTestSpec(spec, &specError), valid);
    if (!valid) {
        QVERIFY2(error.contains(classes), qPrintable(error));
        QCOMPARE(specError, error);
        return;
    }
    QStringList seen;
    for (const auto &[name, dscp] : parsed.classes)
        seen.append(name + u'=' + QString::number(dscp));
    QCOMPARE(seen.join(u' '), classes);
    QCOMPARE(parsed.port, 862);
}

void TestValidation::pingMarking_data()
{
    QTest::addColumn<Params>("params");
    QTest::addColumn<QString>("target");
    QTest::addColumn<int>("ttl");
    QTest::addColumn<int>("tos");
    QTest::addColumn<QString>("source");
    QTest::addColumn<QString>("interface");
    QTest::addColumn<QString>("errorMentions"); // empty = valid

    const QString v4 = u"192.0.2.1"_s;
    QTest::newRow("defaults") << Params{} << v4 << 0 << -1 << QString() << QString() << QString();
    QTest::newRow("ttl 1") << Params{{u"ttl"_s, u"1"_s}} << v4 << 1 << -1 << QString() << QString() << QString();
    QTest::newRow("ttl 255") << Params{{u"ttl"_s, u"255"_s}} << v4 << 255 << -1 << QString() << QString() << QString();
    QTest::newRow("ttl 0") << Params{{u"ttl"_s, u"0"_s}} << v4 << 0 << 0 << QString() << QString()
                           << u"The parameter ttl=0 is not valid; use a whole number from 1 to 255."_s;
    QTest::newRow("ttl 256") << Params{{u"ttl"_s, u"256"_s}} << v4 << 0 << 0 << QString() << QString()
                             << u"ttl=256 is not valid"_s;
    QTest::newRow("dscp EF") << Params{{u"dscp"_s, u"EF"_s}} << v4 << 0 << 0xb8 << QString() << QString() << QString();
    QTest::newRow("dscp af41") << Params{{u"dscp"_s, u"af41"_s}} << v4 << 0 << (34 << 2) << QString() << QString()
                               << QString();
    QTest::newRow("dscp AF11") << Params{{u"dscp"_s, u"AF11"_s}} << v4 << 0 << (10 << 2) << QString() << QString()
                               << QString();
    QTest::newRow("dscp AF43") << Params{{u"dscp"_s, u"AF43"_s}} << v4 << 0 << (38 << 2) << QString() << QString()
                               << QString();
    QTest::newRow("dscp CS1") << Params{{u"dscp"_s, u"CS1"_s}} << v4 << 0 << (8 << 2) << QString() << QString()
                              << QString();
    QTest::newRow("dscp CS7") << Params{{u"dscp"_s, u"CS7"_s}} << v4 << 0 << (56 << 2) << QString() << QString()
                              << QString();
    QTest::newRow("dscp BE") << Params{{u"dscp"_s, u"BE"_s}} << v4 << 0 << 0 << QString() << QString() << QString();
    QTest::newRow("dscp 63") << Params{{u"dscp"_s, u"63"_s}} << v4 << 0 << 252 << QString() << QString() << QString();
    QTest::newRow("dscp 64") << Params{{u"dscp"_s, u"64"_s}} << v4 << 0 << 0 << QString() << QString()
                             << u"The parameter dscp=64 is not valid; use EF, AF11 to AF43"_s;
    QTest::newRow("dscp AF44") << Params{{u"dscp"_s, u"AF44"_s}} << v4 << 0 << 0 << QString() << QString()
                               << u"dscp=AF44 is not valid"_s;
    QTest::newRow("dscp CS8") << Params{{u"dscp"_s, u"CS8"_s}} << v4 << 0 << 0 << QString() << QString()
                              << u"dscp=CS8 is not valid"_s;
    QTest::newRow("tos 0x10 as 16") << Params{{u"tos"_s, u"16"_s}} << v4 << 0 << 16 << QString() << QString()
                                    << QString();
    QTest::newRow("tos 256") << Params{{u"tos"_s, u"256"_s}} << v4 << 0 << 0 << QString() << QString()
                             << u"tos=256 is not valid; use a whole number from 0 to 255."_s;
    QTest::newRow("dscp and tos") << Params{{u"dscp"_s, u"EF"_s}, {u"tos"_s, u"4"_s}} << v4 << 0 << 0 << QString()
                                  << QString() << u"Give either dscp or tos, not both."_s;
    QTest::newRow("source v4") << Params{{u"source"_s, u"192.0.2.9"_s}} << v4 << 0 << -1 << u"192.0.2.9"_s << QString()
                               << QString();
    QTest::newRow("source v6") << Params{{u"source"_s, u"2001:db8::9"_s}} << u"2001:db8::1"_s << 0 << -1
                               << u"2001:db8::9"_s << QString() << QString();
    QTest::newRow("source for a name") << Params{{u"source"_s, u"192.0.2.9"_s}} << u"example.net"_s << 0 << -1
                                       << u"192.0.2.9"_s << QString() << QString();
    QTest::newRow("source name") << Params{{u"source"_s, u"myhost"_s}} << v4 << 0 << 0 << QString() << QString()
                                 << u"The parameter source=myhost is not an IP address"_s;
    QTest::newRow("source shorthand") << Params{{u"source"_s, u"10.1"_s}} << v4 << 0 << 0 << QString() << QString()
                                      << u"source=10.1 is not an IP address"_s;
    QTest::newRow("source other version") << Params{{u"source"_s, u"2001:db8::9"_s}} << v4 << 0 << 0 << QString()
                                          << QString() << u"are of different IP versions"_s;
    QTest::newRow("interface") << Params{{u"interface"_s, u"eth0"_s}} << v4 << 0 << -1 << QString() << u"eth0"_s
                               << QString();
    QTest::newRow("interface 15") << Params{{u"interface"_s, u"abcdefghijklmno"_s}} << v4 << 0 << -1 << QString()
                                  << u"abcdefghijklmno"_s << QString();
    QTest::newRow("interface 16") << Params{{u"interface"_s, u"abcdefghijklmnop"_s}} << v4 << 0 << 0 << QString()
                                  << QString() << u"is not a network interface name"_s;
    QTest::newRow("interface slash") << Params{{u"interface"_s, u"a/b"_s}} << v4 << 0 << 0 << QString() << QString()
                                     << u"interface=a/b is not a network interface name"_s;
    QTest::newRow("interface blank") << Params{{u"interface"_s, u"a b"_s}} << v4 << 0 << 0 << QString() << QString()
                                     << u"is not a network interface name"_s;
}

void TestValidation::pingMarking()
{
    QFETCH(Params, params);
    QFETCH(QString, target);
    QFETCH(QString, errorMentions);

    Protocol::TestSpec spec = pingSpec(1000, params);
    spec.target = target;
    PingParams parsed;
    QString error;
    QCOMPARE(parsePingParams(spec, &parsed, &error), errorMentions.isEmpty());
    if (!errorMentions.isEmpty()) {
        QVERIFY2(error.contains(errorMentions), qPrintable(error));
        QVERIFY2(!error.contains(u'\n') && error.endsWith(u'.'), qPrintable(error));
        return;
    }
    QTEST(parsed.ttl, "ttl");
    QTEST(parsed.tos, "tos");
    QTEST(parsed.source, "source");
    QTEST(parsed.interface, "interface");
}

void TestValidation::httpUrls_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("errorMentions"); // empty = valid

    QTest::newRow("https") << u"https://www.example.com/"_s << QString();
    QTest::newRow("path and query") << u"http://cdn.example.net:8080/vod/clip.m3u8?token=abc&start=30#t"_s << QString();
    QTest::newRow("IPv4") << u"http://192.0.2.1/"_s << QString();
    QTest::newRow("IPv6") << u"https://[2001:db8::1]:8443/x"_s << QString();
    QTest::newRow("upper-case scheme") << u"HTTPS://example.com/"_s << QString();
    QTest::newRow("no path") << u"http://localhost:8080"_s << QString();
    QTest::newRow("empty") << QString() << u"The target is empty; give a URL"_s;
    QTest::newRow("bare host") << u"www.example.com/path"_s
                               << u"The target \"www.example.com/path\" is not a URL; give one that starts with "
                                  "http:// or https://."_s;
    QTest::newRow("host and port") << u"localhost:8080"_s << u"is not a URL"_s;
    QTest::newRow("ftp") << u"ftp://example.com/file"_s
                         << u"The scheme \"ftp\" is not supported; the target takes http:// and https:// URLs."_s;
    QTest::newRow("file") << u"file:///etc/passwd"_s << u"The scheme \"file\" is not supported"_s;
    QTest::newRow("no host") << u"http:///path"_s << u"names no host"_s;
    QTest::newRow("bad host") << u"http://exa_mple..com/"_s
                              << u"The URL \"http://exa_mple..com/\" is malformed: Invalid hostname (contains invalid "
                                 "characters)."_s;
    QTest::newRow("bad label") << u"http://-bad-.example/"_s << u"is malformed: Invalid hostname"_s;
    QTest::newRow("bad port") << u"http://example.com:99999/"_s << u"is malformed"_s;
    QTest::newRow("blank") << u"http://example.com/a b"_s << u"must not contain blanks"_s;
    QTest::newRow("credentials") << u"https://user:secret@example.com/"_s << u"must not carry a user name"_s;
    QTest::newRow("too long") << u"https://example.com/"_s + QString(2100, u'a')
                              << u"The URL is longer than 2048 characters."_s;
}

void TestValidation::httpUrls()
{
    QFETCH(QString, url);
    QFETCH(QString, errorMentions);
    QString error;
    QCOMPARE(checkHttpUrl(url, &error), errorMentions.isEmpty());
    QVERIFY2(error.contains(errorMentions), qPrintable(error));
}

void TestValidation::httpParams_data()
{
    QTest::addColumn<Params>("params");
    QTest::addColumn<qint64>("intervalMs");
    QTest::addColumn<QString>("errorMentions"); // empty = valid

    QTest::newRow("defaults") << Params{} << qint64(10'000) << QString();
    QTest::newRow("everything") << Params{{u"method"_s, u"HEAD"_s}, {u"requests"_s, u"3"_s},
        {u"expect-status"_s, u"2xx"_s}, {u"max-body"_s, u"500kB"_s}, {u"timeout"_s, u"5s"_s},
        {u"max-redirects"_s, u"0"_s}, {u"http-version"_s, u"2"_s}, {u"ca-file"_s, u"/etc/ssl/lab-ca.pem"_s},
        {u"insecure"_s, u"on"_s}}
                                << qint64(10'000) << QString();
    QTest::newRow("method") << Params{{u"method"_s, u"POST"_s}} << qint64(10'000)
                            << u"The parameter method=POST is not valid; use GET or HEAD."_s;
    QTest::newRow("requests") << Params{{u"requests"_s, u"11"_s}} << qint64(10'000) << u"requests=11"_s;
    QTest::newRow("status") << Params{{u"expect-status"_s, u"2x"_s}} << qint64(10'000)
                            << u"expect-status=2x is not valid; use a status such as 200, or a class such as 2xx."_s;
    QTest::newRow("size") << Params{{u"max-body"_s, u"ten"_s}} << qint64(10'000)
                          << u"The parameter max-body: \"ten\" is not a size"_s;
    QTest::newRow("size range") << Params{{u"max-body"_s, u"2GB"_s}} << qint64(10'000)
                                << u"max-body=2GB is out of range; use 1 byte to 1 GB."_s;
    QTest::newRow("timeout") << Params{{u"timeout"_s, u"31s"_s}} << qint64(60'000) << u"timeout=31s is out of range"_s;
    QTest::newRow("timeout past interval")
        << Params{{u"timeout"_s, u"5s"_s}} << qint64(2000) << u"longer than the interval 2s"_s;
    QTest::newRow("version") << Params{{u"http-version"_s, u"3"_s}} << qint64(10'000)
                             << u"http-version=3 is not valid; use auto, 1.1 or 2."_s;
    QTest::newRow("relative CA") << Params{{u"ca-file"_s, u"ca.pem"_s}} << qint64(10'000)
                                 << u"The parameter ca-file=ca.pem is not an absolute path"_s;
    QTest::newRow("expect with HEAD") << Params{{u"method"_s, u"HEAD"_s}, {u"expect"_s, u"ok"_s}} << qint64(10'000)
                                      << u"A HEAD request has no body"_s;
    QTest::newRow("expect control") << Params{{u"expect"_s, u"a\nb"_s}} << qint64(10'000)
                                    << u"The parameter expect contains a control character"_s;
    QTest::newRow("unknown") << Params{{u"count"_s, u"3"_s}} << qint64(10'000)
                             << u"A http test has no parameter \"count\""_s;
}

void TestValidation::httpParams()
{
    QFETCH(Params, params);
    QFETCH(qint64, intervalMs);
    QFETCH(QString, errorMentions);
    Protocol::TestSpec spec = pingSpec(intervalMs, params);
    spec.type = u"http"_s;
    spec.target = u"https://example.net/"_s;
    HttpParams parsed;
    QString error;
    QCOMPARE(parseHttpParams(spec, &parsed, &error), errorMentions.isEmpty());
    QVERIFY2(error.contains(errorMentions), qPrintable(error));
    if (params.isEmpty()) {
        // The defaults the descriptor promises.
        QCOMPARE(parsed.method, HttpParams::Method::Get);
        QCOMPARE(parsed.requests, 1);
        QCOMPARE(parsed.lowestStatus, 200);
        QCOMPARE(parsed.highestStatus, 399);
        QCOMPARE(parsed.maxBodyBytes, 10'000'000);
        QCOMPARE(parsed.timeoutMs, 10'000); // the interval, at most 30 s
        QCOMPARE(parsed.maxRedirects, 5);
        QCOMPARE(parsed.version, HttpParams::Version::Auto);
        QVERIFY(!parsed.insecure);
    } else if (errorMentions.isEmpty()) {
        QCOMPARE(parsed.method, HttpParams::Method::Head);
        QCOMPARE(parsed.lowestStatus, 200);
        QCOMPARE(parsed.highestStatus, 299);
        QCOMPARE(parsed.maxBodyBytes, 500'000);
        QCOMPARE(parsed.timeoutMs, 5000);
        QCOMPARE(parsed.version, HttpParams::Version::Http2);
        QVERIFY(parsed.insecure);
    }
}

void TestValidation::testSpec_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("target");
    QTest::addColumn<qint64>("intervalMs");
    QTest::addColumn<qint64>("durationMs");
    QTest::addColumn<Params>("params");
    QTest::addColumn<QString>("errorMentions"); // empty = valid

    const Params none;
    QTest::newRow("valid ping") << u"wan"_s << u"ping"_s << u"192.0.2.1"_s << qint64(1000) << qint64(60'000) << none
                                << QString();
    QTest::newRow("bad name") << u"w a n"_s << u"ping"_s << u"192.0.2.1"_s << qint64(1000) << qint64(0) << none
                              << u"The test name \"w a n\""_s;
    QTest::newRow("bandwidth in a short interval")
        << u"wan"_s << u"bandwidth"_s << u"example.net"_s << qint64(10'000) << qint64(0) << none
        << u"A bandwidth test measuring 10s (after 0ms of warm-up) needs an interval of at least 17s"_s;
    QTest::newRow("bandwidth http needs a URL")
        << u"wan"_s << u"bandwidth"_s << u"example.net"_s << qint64(60'000) << qint64(0)
        << Params{{u"method"_s, u"http"_s}} << u"The target \"example.net\" is not a URL"_s;
    QTest::newRow("bandwidth http both ways")
        << u"wan"_s << u"bandwidth"_s << u"https://speed.example.net/backend/"_s << qint64(60'000) << qint64(0)
        << Params{{u"method"_s, u"http"_s}} << QString();
    QTest::newRow("bandwidth http: no udp")
        << u"wan"_s << u"bandwidth"_s << u"https://speed.example.net/"_s << qint64(60'000) << qint64(0)
        << Params{{u"method"_s, u"http"_s}, {u"protocol"_s, u"udp"_s}}
        << u"The parameter protocol is for method=iperf3 or method=agent; this test's method is http."_s;
    QTest::newRow("bandwidth agent: to another agent")
        << u"wan"_s << u"bandwidth"_s << u"agent:branch-2"_s << qint64(60'000) << qint64(0)
        << Params{{u"method"_s, u"agent"_s}, {u"protocol"_s, u"udp"_s}, {u"bitrate"_s, u"20M"_s}} << QString();
    QTest::newRow("bandwidth agent: needs agent:NAME")
        << u"wan"_s << u"bandwidth"_s << u"192.0.2.1"_s << qint64(60'000) << qint64(0)
        << Params{{u"method"_s, u"agent"_s}} << u"give the target as agent:NAME, not \"192.0.2.1\""_s;
    QTest::newRow("bandwidth agent: a bad agent name")
        << u"wan"_s << u"bandwidth"_s << u"agent:a b"_s << qint64(60'000) << qint64(0)
        << Params{{u"method"_s, u"agent"_s}} << u"agent name after agent:"_s;
    QTest::newRow("bandwidth agent: the serving agent picks the port")
        << u"wan"_s << u"bandwidth"_s << u"agent:branch-2"_s << qint64(60'000) << qint64(0)
        << Params{{u"method"_s, u"agent"_s}, {u"port"_s, u"5201"_s}}
        << u"The parameter port is for method=iperf3; this test's method is agent."_s;
    QTest::newRow("bandwidth iperf3 to an agent")
        << u"wan"_s << u"bandwidth"_s << u"agent:branch-2"_s << qint64(60'000) << qint64(0) << none
        << u"The target agent:branch-2 is an agent; measuring to another agent needs method=agent."_s;
    QTest::newRow("bandwidth iperf3: no direction")
        << u"wan"_s << u"bandwidth"_s << u"192.0.2.1"_s << qint64(60'000) << qint64(0)
        << Params{{u"direction"_s, u"upload"_s}}
        << u"The parameter direction is for method=http; this test's method is iperf3."_s;
    QTest::newRow("bandwidth bit rate") << u"wan"_s << u"bandwidth"_s << u"192.0.2.1"_s << qint64(60'000) << qint64(0)
                                        << Params{{u"bitrate"_s, u"10MB"_s}} << u"is not a bit rate"_s;
    QTest::newRow("bandwidth whole seconds")
        << u"wan"_s << u"bandwidth"_s << u"192.0.2.1"_s << qint64(60'000) << qint64(0)
        << Params{{u"duration"_s, u"2500ms"_s}} << u"is not whole seconds"_s;
    QTest::newRow("valid http") << u"web"_s << u"http"_s << u"https://example.net/video/1.mp4?q=720p&t=30"_s
                                << qint64(10'000) << qint64(0) << none << QString();
    QTest::newRow("http target") << u"web"_s << u"http"_s << u"example.net"_s << qint64(10'000) << qint64(0) << none
                                 << u"The target \"example.net\" is not a URL; give one that starts with http:// or "
                                    "https://."_s;
    QTest::newRow("interval") << u"wan"_s << u"ping"_s << u"192.0.2.1"_s << qint64(10) << qint64(0) << none
                              << u"The interval 10ms is out of range"_s;
    QTest::newRow("duration") << u"wan"_s << u"ping"_s << u"192.0.2.1"_s << qint64(1000) << qint64(10) << none
                              << u"The duration 10ms is out of range"_s;
    QTest::newRow("ping target") << u"wan"_s << u"ping"_s << u"a..b"_s << qint64(1000) << qint64(0) << none
                                 << u"The target \"a..b\" is neither a host name nor an IP address."_s;
    QTest::newRow("ping params") << u"wan"_s << u"ping"_s << u"192.0.2.1"_s << qint64(1000) << qint64(0)
                                 << Params{{u"count"_s, u"0"_s}} << u"count=0"_s;
    const auto row = [&](const char *tag, const QString &type, const QString &target, const Params &params,
                         const QString &errorMentions) {
        QTest::newRow(tag) << u"svc"_s << type << target << qint64(10000) << qint64(0) << params << errorMentions;
    };
    row("tcp host:port", u"tcp"_s, u"192.0.2.1:443"_s, none, QString());
    row("tcp name:port", u"tcp"_s, u"www.example.net:8080"_s, none, QString());
    row("tcp [IPv6]:port", u"tcp"_s, u"[2001:db8::1]:443"_s, none, QString());
    row("tcp no port", u"tcp"_s, u"www.example.net"_s, none,
        u"The target \"www.example.net\" has no port; write it as host:port, e.g. www.example.com:443."_s);
    row("tcp bare IPv6", u"tcp"_s, u"2001:db8::1"_s, none, u"has no port"_s);
    row("tcp port 0", u"tcp"_s, u"www.example.net:0"_s, none,
        u"The port \"0\" in the target is not valid; give a number from 1 to 65535."_s);
    row("tcp port 65536", u"tcp"_s, u"www.example.net:65536"_s, none, u"The port \"65536\""_s);
    row("tcp port word", u"tcp"_s, u"www.example.net:https"_s, none, u"The port \"https\""_s);
    row("tcp empty port", u"tcp"_s, u"www.example.net:"_s, none, u"The port \"\""_s);
    row("tcp bad host", u"tcp"_s, u"a..b:80"_s, none, u"The target \"a..b\" is neither"_s);
    row("tcp bracket", u"tcp"_s, u"[2001:db8::1:443"_s, none, u"write an IPv6 address with a port as"_s);
    row("tcp timeout", u"tcp"_s, u"192.0.2.1:22"_s, Params{{u"timeout"_s, u"20s"_s}},
        u"The timeout 20s is longer than the interval 10s"_s);
    row("tcp port parameter", u"tcp"_s, u"192.0.2.1"_s, Params{{u"port"_s, u"8080"_s}}, QString());
    row("tcp port twice, agreeing", u"tcp"_s, u"192.0.2.1:8080"_s, Params{{u"port"_s, u"8080"_s}}, QString());
    row("tcp port twice", u"tcp"_s, u"192.0.2.1:8080"_s, Params{{u"port"_s, u"80"_s}},
        u"The target says port 8080 and the parameter port=80; give the port once."_s);
    row("tcp IPv6 and port parameter", u"tcp"_s, u"2001:db8::1"_s, Params{{u"port"_s, u"22"_s}}, QString());
    row("tls port parameter", u"tls"_s, u"www.example.net"_s, Params{{u"port"_s, u"8443"_s}}, QString());
    row("tls host alone", u"tls"_s, u"www.example.net"_s, none, QString());
    row("tls [IPv6] alone", u"tls"_s, u"[2001:db8::1]"_s, none, QString());
    row("tls bare IPv6", u"tls"_s, u"2001:db8::1"_s, none, QString());
    row("tls every parameter", u"tls"_s, u"192.0.2.1:8443"_s,
        Params{{u"sni"_s, u"www.example.net"_s}, {u"alpn"_s, u"h2"_s}, {u"ca-file"_s, u"/etc/ssl/lab.pem"_s},
            {u"expiry-warning"_s, u"30"_s}, {u"timeout"_s, u"2s"_s}},
        QString());
    row("tls sni", u"tls"_s, u"192.0.2.1"_s, Params{{u"sni"_s, u"a..b"_s}},
        u"The parameter sni=a..b is not a host name."_s);
    row("tls alpn", u"tls"_s, u"192.0.2.1"_s, Params{{u"alpn"_s, u"h2,,x"_s}},
        u"The parameter alpn=h2,,x is not valid"_s);
    row("tls alpn none", u"tls"_s, u"192.0.2.1"_s, Params{{u"alpn"_s, u"none"_s}}, QString());
    row("tls ca-file relative", u"tls"_s, u"192.0.2.1"_s, Params{{u"ca-file"_s, u"ca.pem"_s}},
        u"The parameter ca-file=ca.pem is not an absolute path"_s);
    row("tls ca-file newline", u"tls"_s, u"192.0.2.1"_s, Params{{u"ca-file"_s, u"/a\nb"_s}},
        u"contains a control character"_s);
    row("tls expiry-warning", u"tls"_s, u"192.0.2.1"_s, Params{{u"expiry-warning"_s, u"-1"_s}}, u"expiry-warning"_s);
    row("tls unknown", u"tls"_s, u"192.0.2.1"_s, Params{{u"proxy"_s, u"x"_s}}, u"proxy"_s);
    Params many;
    for (int i = 0; i < MAX_PARAMS + 1; ++i)
        many.insert(u"p%1"_s.arg(i), u"v"_s);
    QTest::newRow("33 params") << u"wan"_s << u"ping"_s << u"192.0.2.1"_s << qint64(1000) << qint64(0) << many
                               << u"A test takes at most 32 parameters."_s;
}

void TestValidation::testSpec()
{
    QFETCH(QString, name);
    QFETCH(QString, type);
    QFETCH(QString, target);
    QFETCH(qint64, intervalMs);
    QFETCH(qint64, durationMs);
    QFETCH(Params, params);
    QFETCH(QString, errorMentions);

    Protocol::TestSpec spec;
    spec.id = 3;
    spec.name = name;
    spec.type = type;
    spec.target = target;
    spec.intervalMs = intervalMs;
    spec.durationMs = durationMs;
    spec.params = params;
    QString error;
    const bool ok = checkTestSpec(spec, &error);
    QCOMPARE(ok, errorMentions.isEmpty());
    QVERIFY2(error.contains(errorMentions), qPrintable(error));
}

void TestValidation::nullErrorPointer()
{
    QVERIFY(!checkName(u"name"_s, QString(), nullptr));
    QVERIFY(!checkHostTarget(u"a..b"_s, nullptr));
    QVERIFY(!checkTestType(u"nope"_s, nullptr));
    QVERIFY(!checkInterval(1, nullptr));
    QVERIFY(!checkDuration(1, nullptr));
    QVERIFY(!parsePingParams(pingSpec(1000, {{u"x"_s, u"1"_s}}), nullptr, nullptr));
    QVERIFY(parsePingParams(pingSpec(1000, {}), nullptr, nullptr));
}

QTEST_APPLESS_MAIN(TestValidation)

#include "tst_validation.moc"
