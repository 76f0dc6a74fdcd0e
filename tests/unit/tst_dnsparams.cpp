// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include <QTest>

#include "shared/protocol/validation.h"
#include "shared/testtypes/dns.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm;
using Params = QMap<QString, QString>;

namespace {

Protocol::TestSpec dnsSpec(const QString &target, const Params &params, qint64 intervalMs = 10000)
{
    Protocol::TestSpec spec;
    spec.id = 1;
    spec.name = u"lookup"_s;
    spec.type = u"dns"_s;
    spec.target = target;
    spec.intervalMs = intervalMs;
    spec.params = params;
    return spec;
}

} // namespace

// The dns test's typed parser: every parameter, the target by record type, and the round's bound.
class TestDnsParams final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void valid_data();
    void valid();
    void invalid_data();
    void invalid();
    void reverseNames();
};

void TestDnsParams::valid_data()
{
    QTest::addColumn<QString>("target");
    QTest::addColumn<Params>("params");
    QTest::addColumn<qint64>("intervalMs");
    QTest::addColumn<QString>("queryName");
    QTest::addColumn<QString>("queryType");
    QTest::addColumn<QString>("server"); // empty: the system's resolvers
    QTest::addColumn<int>("port");
    QTest::addColumn<qint64>("timeoutMs");
    QTest::addColumn<bool>("tcp");

    QTest::newRow("defaults") << u"www.example.com"_s << Params{} << qint64(10000) << u"www.example.com"_s << u"A"_s
                              << QString() << 53 << qint64(5000) << false;
    QTest::newRow("timeout follows a short interval")
        << u"www.example.com."_s << Params{} << qint64(2000) << u"www.example.com"_s << u"A"_s << QString() << 53
        << qint64(2000) << false;
    QTest::newRow("SRV name, lower-case type")
        << u"_sip._udp.example.com"_s << Params{{u"type"_s, u"srv"_s}} << qint64(10000) << u"_sip._udp.example.com"_s
        << u"SRV"_s << QString() << 53 << qint64(5000) << false;
    QTest::newRow("server with port, tcp")
        << u"example.com"_s
        << Params{{u"type"_s, u"MX"_s}, {u"server"_s, u"192.0.2.53:5353"_s}, {u"tcp"_s, u"on"_s},
               {u"timeout"_s, u"2s"_s}}
        << qint64(10000) << u"example.com"_s << u"MX"_s << u"192.0.2.53"_s << 5353 << qint64(2000) << true;
    QTest::newRow("IPv6 server") << u"example.com"_s << Params{{u"server"_s, u"2001:db8::53"_s}} << qint64(10000)
                                 << u"example.com"_s << u"A"_s << u"2001:db8::53"_s << 53 << qint64(5000) << false;
    QTest::newRow("IPv6 server with port")
        << u"example.com"_s << Params{{u"server"_s, u"[2001:db8::53]:5353"_s}} << qint64(10000) << u"example.com"_s
        << u"A"_s << u"2001:db8::53"_s << 5353 << qint64(5000) << false;
    QTest::newRow("address asks PTR") << u"192.0.2.1"_s << Params{} << qint64(10000) << u"1.2.0.192.in-addr.arpa"_s
                                      << u"PTR"_s << QString() << 53 << qint64(5000) << false;
    QTest::newRow("reverse name as the target")
        << u"1.2.0.192.in-addr.arpa"_s << Params{{u"type"_s, u"PTR"_s}} << qint64(10000) << u"1.2.0.192.in-addr.arpa"_s
        << u"PTR"_s << QString() << 53 << qint64(5000) << false;
}

void TestDnsParams::valid()
{
    QFETCH(QString, target);
    QFETCH(Params, params);
    QFETCH(qint64, intervalMs);
    const Protocol::TestSpec spec = dnsSpec(target, params, intervalMs);
    QString error;
    QVERIFY2(Validation::checkTestSpec(spec, &error), qPrintable(error));
    Validation::DnsParams parsed;
    QVERIFY2(Validation::parseDnsParams(spec, &parsed, &error), qPrintable(error));
    QTEST(parsed.queryName, "queryName");
    QTEST(parsed.queryType, "queryType");
    QFETCH(QString, server);
    QCOMPARE(parsed.server, server.isEmpty() ? QHostAddress() : QHostAddress(server));
    QTEST(int(parsed.serverPort), "port");
    QTEST(parsed.timeoutMs, "timeoutMs");
    QTEST(parsed.tcp, "tcp");
    QVERIFY(parsed.recurse);
}

void TestDnsParams::invalid_data()
{
    QTest::addColumn<QString>("target");
    QTest::addColumn<Params>("params");
    QTest::addColumn<qint64>("intervalMs");
    QTest::addColumn<QString>("error");

    QTest::newRow("bad type") << u"example.com"_s << Params{{u"type"_s, u"SOA"_s}} << qint64(10000)
                              << u"The parameter type=SOA is not valid; use A, AAAA, MX, TXT, NS, SRV, CNAME or PTR."_s;
    QTest::newRow("server name") << u"example.com"_s << Params{{u"server"_s, u"ns1.example.com"_s}} << qint64(10000)
                                 << u"The parameter server=ns1.example.com is not a DNS server's address; give an IP "
                                    "address, optionally with a port: 192.0.2.53, 192.0.2.53:5353 or "
                                    "[2001:db8::53]:5353."_s;
    QTest::newRow("server port 0") << u"example.com"_s << Params{{u"server"_s, u"192.0.2.53:0"_s}} << qint64(10000)
                                   << u"The port in server=192.0.2.53:0 is not valid; give a number from 1 to 65535."_s;
    QTest::newRow("server port text") << u"example.com"_s << Params{{u"server"_s, u"[::1]:dns"_s}} << qint64(10000)
                                      << u"The port in server=[::1]:dns is not valid; give a number from 1 to 65535."_s;
    QTest::newRow("IPv4 in brackets") << u"example.com"_s << Params{{u"server"_s, u"[192.0.2.53]:53"_s}}
                                      << qint64(10000) << u"is not a DNS server's address"_s;
    QTest::newRow("server any") << u"example.com"_s << Params{{u"server"_s, u"0.0.0.0"_s}} << qint64(10000)
                                << u"is not a DNS server's address"_s;
    QTest::newRow("address, type A") << u"192.0.2.1"_s << Params{{u"type"_s, u"A"_s}} << qint64(10000)
                                     << u"The target 192.0.2.1 is an IP address: look up its name with type=PTR, or "
                                        "give a name to look up with type=A."_s;
    QTest::newRow("not a name") << u"www..example.com"_s << Params{} << qint64(10000)
                                << u"The target \"www..example.com\" is not a DNS name"_s;
    QTest::newRow("blank in name") << u"www example.com"_s << Params{} << qint64(10000)
                                   << u"The target \"www example.com\" is not a DNS name"_s;
    QTest::newRow("label too long") << QString(64, u'a') + u".example"_s << Params{} << qint64(10000)
                                    << u"is not a DNS name"_s;
    QTest::newRow("timeout over interval") << u"example.com"_s << Params{{u"timeout"_s, u"3s"_s}} << qint64(2000)
                                           << u"A dns round waits up to its timeout 3s for the answer, longer than "
                                              "the interval 2s; lower the timeout or raise the interval."_s;
    QTest::newRow("tcp") << u"example.com"_s << Params{{u"tcp"_s, u"sometimes"_s}} << qint64(10000)
                         << u"The parameter tcp=sometimes is not valid; use on or off."_s;
    QTest::newRow("unknown") << u"example.com"_s << Params{{u"class"_s, u"CH"_s}} << qint64(10000) << u"class"_s;
}

void TestDnsParams::invalid()
{
    QFETCH(QString, target);
    QFETCH(Params, params);
    QFETCH(qint64, intervalMs);
    QFETCH(QString, error);
    QString why;
    QVERIFY(!Validation::checkTestSpec(dnsSpec(target, params, intervalMs), &why));
    QVERIFY2(why.contains(error), qPrintable(why));
}

void TestDnsParams::reverseNames()
{
    QCOMPARE(Validation::reverseLookupName(QHostAddress(u"127.0.0.1"_s)), u"1.0.0.127.in-addr.arpa"_s);
    QCOMPARE(Validation::reverseLookupName(QHostAddress(u"2001:db8::567:89ab"_s)),
        u"b.a.9.8.7.6.5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa"_s);
    QVERIFY(Validation::reverseLookupName(QHostAddress()).isEmpty());
    QVERIFY(Validation::isDnsName(u"_sip._udp.example.com."));
    QVERIFY(!Validation::isDnsName(u"-bad.example.com"));
    QVERIFY(!Validation::isDnsName(u"."));
}

QTEST_APPLESS_MAIN(TestDnsParams)
#include "tst_dnsparams.moc"
