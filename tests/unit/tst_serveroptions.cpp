// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include <QHostAddress>
#include <QTest>

#include "console/cli/serveroptions.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm::Console;

class TestServerOptions : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void listenAddress_data();
    void listenAddress();
    void metricsAddress_data();
    void metricsAddress();
};

void TestServerOptions::listenAddress_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QString>("address");
    QTest::addColumn<int>("port");

    QTest::newRow("any IPv4") << u"0.0.0.0:8765"_s << true << u"0.0.0.0"_s << 8765;
    QTest::newRow("IPv4") << u"192.0.2.10:80"_s << true << u"192.0.2.10"_s << 80;
    QTest::newRow("IPv6 loopback") << u"[::1]:9000"_s << true << u"::1"_s << 9000;
    QTest::newRow("any IPv6") << u"[::]:8765"_s << true << u"::"_s << 8765;
    QTest::newRow("IPv6 long form") << u"[2001:db8::10]:443"_s << true << u"2001:db8::10"_s << 443;
    QTest::newRow("localhost, any port") << u"localhost:0"_s << true << u"127.0.0.1"_s << 0;
    QTest::newRow("highest port") << u"127.0.0.1:65535"_s << true << u"127.0.0.1"_s << 65535;

    QTest::newRow("host only") << u"host"_s << false << QString() << 0;
    QTest::newRow("IP only") << u"127.0.0.1"_s << false << QString() << 0;
    QTest::newRow("port only") << u":80"_s << false << QString() << 0;
    QTest::newRow("empty port") << u"127.0.0.1:"_s << false << QString() << 0;
    QTest::newRow("port too high") << u"1.2.3.4:70000"_s << false << QString() << 0;
    QTest::newRow("port 65536") << u"1.2.3.4:65536"_s << false << QString() << 0;
    QTest::newRow("negative port") << u"1.2.3.4:-1"_s << false << QString() << 0;
    QTest::newRow("port not a number") << u"1.2.3.4:http"_s << false << QString() << 0;
    QTest::newRow("host name needs an IP") << u"name.example:80"_s << false << QString() << 0;
    QTest::newRow("IPv6 without port") << u"[::1]"_s << false << QString() << 0;
    QTest::newRow("bad IPv4") << u"300.1.1.1:80"_s << false << QString() << 0;
    QTest::newRow("empty") << QString() << false << QString() << 0;
}

void TestServerOptions::listenAddress()
{
    QFETCH(QString, text);
    QFETCH(bool, valid);
    QFETCH(QString, address);
    QFETCH(int, port);

    QHostAddress parsedAddress(u"192.0.2.99"_s);
    quint16 parsedPort = 4242;
    QString error;
    QCOMPARE(parseListenAddress(text, &parsedAddress, &parsedPort, &error), valid);
    if (valid) {
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(parsedAddress, QHostAddress(address));
        QCOMPARE(int(parsedPort), port);
        return;
    }
    QCOMPARE(
        error, u"--listen \"%1\" is not HOST:PORT with an IP address, like 0.0.0.0:8765 or [::1]:8765."_s.arg(text));
    QCOMPARE(parsedPort, quint16(4242)); // untouched on failure
}

void TestServerOptions::metricsAddress_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QString>("address");
    QTest::addColumn<int>("port");

    QTest::newRow("loopback") << u"127.0.0.1:9464"_s << true << u"127.0.0.1"_s << 9464;
    QTest::newRow("localhost") << u"localhost:9464"_s << true << u"127.0.0.1"_s << 9464;
    QTest::newRow("IPv6 loopback") << u"[::1]:9464"_s << true << u"::1"_s << 9464;
    QTest::newRow("a management address") << u"10.0.0.5:65535"_s << true << u"10.0.0.5"_s << 65535;
    QTest::newRow("port 0: Prometheus must know where") << u"127.0.0.1:0"_s << false << QString() << 0;
    QTest::newRow("no port") << u"127.0.0.1"_s << false << QString() << 0;
    QTest::newRow("port too high") << u"127.0.0.1:65536"_s << false << QString() << 0;
    QTest::newRow("host name") << u"metrics.example:9464"_s << false << QString() << 0;
    QTest::newRow("empty") << QString() << false << QString() << 0;
}

void TestServerOptions::metricsAddress()
{
    QFETCH(QString, text);
    QFETCH(bool, valid);
    QFETCH(QString, address);
    QFETCH(int, port);

    QHostAddress parsedAddress(u"192.0.2.99"_s);
    quint16 parsedPort = 4242;
    QString error;
    QCOMPARE(parseMetricsAddress(text, &parsedAddress, &parsedPort, &error), valid);
    if (valid) {
        QCOMPARE(parsedAddress, QHostAddress(address));
        QCOMPARE(int(parsedPort), port);
        return;
    }
    QCOMPARE(error,
        u"--metrics-listen \"%1\" is not HOST:PORT with an IP address and a port from 1 to 65535, like "
        "127.0.0.1:9464."_s.arg(text));
    QCOMPARE(parsedAddress, QHostAddress(u"192.0.2.99"_s)); // untouched on failure
    QCOMPARE(parsedPort, quint16(4242));
}

QTEST_APPLESS_MAIN(TestServerOptions)

#include "tst_serveroptions.moc"
