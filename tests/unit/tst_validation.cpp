// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include <QTest>

#include "shared/protocol/validation.h"

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
    QTest::newRow("IPv4 any") << u"0.0.0.0"_s << true;
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
    for (const char *type : {"traceroute", "dns", "tcp", "tls", "http", "bandwidth", "qos", "system"}) {
        QTest::addRow("%s known, not yet", type)
            << QString::fromLatin1(type) << false
            << u"The test type \"%1\" is not available in this version yet; available: ping."_s.arg(
                   QString::fromLatin1(type));
    }
    QTest::newRow("unknown") << u"smtp"_s << false << u"Unknown test type \"smtp\"; available: ping."_s;
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

    QTest::newRow("unknown key") << qint64(1000) << Params{{u"ttl"_s, u"64"_s}} << false << 0 << qint64(0) << qint64(0)
                                 << 0
                                 << u"A ping test has no parameter \"ttl\"; it takes: count, spacing, timeout, size."_s;
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
    QTest::newRow("not yet runnable") << u"wan"_s << u"http"_s << u"https://example.net"_s << qint64(1000) << qint64(0)
                                      << none << u"not available in this version yet"_s;
    QTest::newRow("interval") << u"wan"_s << u"ping"_s << u"192.0.2.1"_s << qint64(10) << qint64(0) << none
                              << u"The interval 10ms is out of range"_s;
    QTest::newRow("duration") << u"wan"_s << u"ping"_s << u"192.0.2.1"_s << qint64(1000) << qint64(10) << none
                              << u"The duration 10ms is out of range"_s;
    QTest::newRow("ping target") << u"wan"_s << u"ping"_s << u"a..b"_s << qint64(1000) << qint64(0) << none
                                 << u"The target \"a..b\" is neither a host name nor an IP address."_s;
    QTest::newRow("ping params") << u"wan"_s << u"ping"_s << u"192.0.2.1"_s << qint64(1000) << qint64(0)
                                 << Params{{u"count"_s, u"0"_s}} << u"count=0"_s;
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
