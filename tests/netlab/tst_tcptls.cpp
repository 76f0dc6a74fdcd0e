// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include <QElapsedTimer>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include "agent/probes/probe.h"
#include "agent/probes/probefactory.h"
#include "shared/protocol/details.h"
#include "shared/protocol/validation.h"
#include "shared/testtypes/tcp.h"
#include "shared/testtypes/tls.h"
#include "tests/netlab/lab.h"
#include "tests/netlab/proberuns.h"
#include "tests/support/testcertificates.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm;
using namespace StreamSwarm::NetLab;
using StreamSwarm::Test::CertificateRequest;
using StreamSwarm::Test::TestCertificateAuthority;

namespace {

// Root-namespace subnets of this file (tests/netlab/README.md: they differ between test files).
const QString SILENT_SUBNET = u"10.223.1.0/30"_s;

Protocol::TestSpec spec(const QString &type, const QString &target, const QMap<QString, QString> &params = {})
{
    Protocol::TestSpec spec;
    spec.id = 7;
    spec.name = type;
    spec.type = type;
    spec.target = target;
    spec.intervalMs = 5000;
    spec.params = params;
    return spec;
}

std::unique_ptr<Agent::Probe> makeProbe(const Protocol::TestSpec &spec)
{
    QString error;
    if (!Validation::checkTestSpec(spec, &error))
        qFatal("test spec refused: %s", qPrintable(error));
    std::unique_ptr<Agent::Probe> probe = Agent::createProbe(spec, &error);
    if (!probe)
        qFatal("no probe: %s", qPrintable(error));
    return probe;
}

quint16 freePort()
{
    QTcpServer server;
    server.listen(QHostAddress::LocalHost);
    return server.serverPort();
}

// What `openssl s_client` says the server agreed on: the peer our probe is checked against.
struct PeerView
{
    QString protocol;
    QString cipher;
    QString alpn;
};

PeerView askOpenSsl(quint16 port, const QString &caFile)
{
    QProcess client;
    client.setProcessChannelMode(QProcess::MergedChannels);
    client.start(u"openssl"_s,
        {u"s_client"_s, u"-connect"_s, u"127.0.0.1:%1"_s.arg(port), u"-servername"_s, u"localhost"_s, u"-CAfile"_s,
            caFile, u"-alpn"_s, u"h2,http/1.1"_s});
    client.closeWriteChannel();
    client.waitForFinished(10000);
    const QString out = QString::fromLocal8Bit(client.readAll());
    PeerView view;
    // "New, TLSv1.3, Cipher is TLS_AES_256_GCM_SHA384" and "ALPN protocol: h2".
    static const QRegularExpression agreed(u"New, (\\S+), Cipher is (\\S+)"_s);
    static const QRegularExpression alpn(u"ALPN protocol: (\\S+)"_s);
    const QRegularExpressionMatch match = agreed.match(out);
    view.protocol = match.captured(1);
    view.cipher = match.captured(2);
    view.alpn = alpn.match(out).captured(1);
    return view;
}

} // namespace

// The tcp and tls tests against real servers on loopback (openssl s_server with certificates of the
// suite's own authority, OpenSSL's s_client as the peer that says what was agreed) and, for silent
// and unreachable hosts, inside lab namespaces.
class TcpTlsTest : public QObject
{
    Q_OBJECT

private:
    // Starts openssl s_server with certificate NAME on a free loopback port; 0 when it does not come up.
    quint16 startTlsServer(const QString &name, const QStringList &extra = {})
    {
        const quint16 port = freePort();
        auto *server = new QProcess(this);
        server->setProcessChannelMode(QProcess::MergedChannels);
        server->start(u"openssl"_s,
            QStringList{u"s_server"_s, u"-accept"_s, u"127.0.0.1:%1"_s.arg(port), u"-cert"_s, m_ca->leafFile(name),
                u"-key"_s, m_ca->keyFile(name), u"-cert_chain"_s, m_ca->caFile(), u"-alpn"_s, u"h2,http/1.1"_s,
                u"-www"_s, u"-quiet"_s}
                + extra);
        m_servers.append(server);
        // Ready once it accepts a connection; bounded.
        QElapsedTimer waited;
        waited.start();
        while (waited.elapsed() < 5000) {
            QTcpSocket probe;
            probe.connectToHost(QHostAddress::LocalHost, port);
            if (probe.waitForConnected(200))
                return port;
            if (server->state() == QProcess::NotRunning)
                break;
            QTest::qWait(50);
        }
        qWarning("openssl s_server did not start: %s", server->readAll().constData());
        return 0;
    }

    QString caFile() const { return m_ca->caFile(); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_directory.isValid());
        m_ca = std::make_unique<TestCertificateAuthority>(m_directory.path());
        QVERIFY2(m_ca->isValid(), qPrintable(m_ca->error()));
        QString error;
        CertificateRequest good;
        good.notAfterSeconds = 89LL * 86400 + 3600;
        CertificateRequest expired;
        expired.notBeforeSeconds = -30LL * 86400;
        expired.notAfterSeconds = -3LL * 86400 - 600;
        CertificateRequest other;
        other.names = {u"other.example.test"_s};
        other.notAfterSeconds = 90LL * 86400 + 3600; // whole days left stay 90 while the test runs
        CertificateRequest self;
        self.selfSigned = true;
        self.notAfterSeconds = other.notAfterSeconds;
        CertificateRequest soon;
        soon.notAfterSeconds = 5LL * 86400 + 3600;
        QVERIFY2(m_ca->issue(u"good"_s, good, &error), qPrintable(error));
        QVERIFY2(m_ca->issue(u"expired"_s, expired, &error), qPrintable(error));
        QVERIFY2(m_ca->issue(u"other"_s, other, &error), qPrintable(error));
        QVERIFY2(m_ca->issue(u"self"_s, self, &error), qPrintable(error));
        QVERIFY2(m_ca->issue(u"soon"_s, soon, &error), qPrintable(error));
    }

    void cleanupTestCase()
    {
        for (QProcess *server : std::as_const(m_servers)) {
            server->kill();
            server->waitForFinished(5000);
        }
    }

    void tlsHandshakeAgreesWithOpenSsl()
    {
        const quint16 port = startTlsServer(u"good"_s);
        QVERIFY(port);
        const PeerView peer = askOpenSsl(port, caFile());
        QVERIFY2(!peer.protocol.isEmpty() && !peer.cipher.isEmpty(), "openssl s_client said nothing");
        auto probe = makeProbe(spec(u"tls"_s, u"localhost:%1"_s.arg(port), {{u"ca-file"_s, caFile()}}));
        const auto round = runRound(*probe);
        QVERIFY(round);
        QVERIFY2(round->error.isEmpty(), qPrintable(round->error));
        const auto *detail = round->detail.get<Protocol::TlsDetail>();
        QVERIFY(detail);
        QCOMPARE(detail->version, peer.protocol);
        QCOMPARE(detail->cipher, peer.cipher);
        QCOMPARE(detail->alpn, peer.alpn);
        QCOMPARE(detail->serverName, u"localhost"_s);
        QVERIFY(detail->trusted);
        QVERIFY(detail->problem.isEmpty());
        QCOMPARE(detail->chain.size(), 2);
        QVERIFY2(detail->chain.at(0).subject.contains(u"CN=localhost"_s), qPrintable(detail->chain.at(0).subject));
        QVERIFY(detail->chain.at(1).subject.contains(u"CN=StreamSwarm Test CA"_s));
        const double connectMs = metricValue(*round, Metric::TlsConnect);
        const double handshakeMs = metricValue(*round, Metric::TlsHandshake);
        const double validationMs = metricValue(*round, Metric::TlsCertValidation);
        QVERIFY2(connectMs > 0 && connectMs < 100, qPrintable(QString::number(connectMs)));
        QVERIFY2(handshakeMs > 0 && handshakeMs < 1000, qPrintable(QString::number(handshakeMs)));
        // Validation is part of the handshake, so it takes less time than the whole.
        QVERIFY2(validationMs > 0 && validationMs < handshakeMs, qPrintable(QString::number(validationMs)));
        QCOMPARE(metricValue(*round, Metric::TlsCertDaysLeft), 89.0);
        QCOMPARE(metricValue(*round, Metric::TlsCertTrusted), 1.0);
    }

    void tls12AndNoAlpnAreReportedAsAgreed()
    {
        const quint16 port = startTlsServer(u"good"_s, {u"-tls1_2"_s});
        QVERIFY(port);
        auto probe = makeProbe(
            spec(u"tls"_s, u"127.0.0.1:%1"_s.arg(port), {{u"ca-file"_s, caFile()}, {u"alpn"_s, u"none"_s}}));
        const auto round = runRound(*probe);
        QVERIFY(round);
        QVERIFY2(round->error.isEmpty(), qPrintable(round->error)); // an IP address in the certificate's names
        const auto *detail = round->detail.get<Protocol::TlsDetail>();
        QVERIFY(detail);
        QCOMPARE(detail->version, u"TLSv1.2"_s);
        QVERIFY(detail->alpn.isEmpty());
        QVERIFY(detail->serverName.isEmpty());
    }

    void untrustedCertificatesSayWhy_data()
    {
        QTest::addColumn<QString>("certificate");
        QTest::addColumn<bool>("withCaFile");
        QTest::addColumn<QString>("errorStart");
        QTest::addColumn<double>("daysLeft");
        QTest::newRow("expired") << u"expired"_s << true << u"The certificate expired 3 days ago (on "_s << -3.0;
        QTest::newRow("other name") << u"other"_s << true
                                    << u"The certificate is for other.example.test, not localhost."_s << 90.0;
        QTest::newRow("self-signed") << u"self"_s << true << u"The certificate is self-signed and not trusted."_s
                                     << 90.0;
        QTest::newRow("unknown authority")
            << u"good"_s << false << u"The certificate's issuer (CN=StreamSwarm Test CA"_s << 89.0;
    }

    void untrustedCertificatesSayWhy()
    {
        QFETCH(QString, certificate);
        QFETCH(bool, withCaFile);
        QFETCH(QString, errorStart);
        QFETCH(double, daysLeft);
        const quint16 port = startTlsServer(certificate);
        QVERIFY(port);
        QMap<QString, QString> params;
        if (withCaFile)
            params.insert(u"ca-file"_s, caFile());
        auto probe = makeProbe(spec(u"tls"_s, u"localhost:%1"_s.arg(port), params));
        const auto round = runRound(*probe);
        QVERIFY(round);
        QVERIFY2(round->error.startsWith(errorStart), qPrintable(round->error));
        // The handshake was made all the same: its figures and the chain are in the round.
        QVERIFY(metricValue(*round, Metric::TlsHandshake) > 0);
        QCOMPARE(metricValue(*round, Metric::TlsCertTrusted), 0.0);
        QCOMPARE(metricValue(*round, Metric::TlsCertDaysLeft), daysLeft);
        const auto *detail = round->detail.get<Protocol::TlsDetail>();
        QVERIFY(detail);
        QVERIFY(!detail->trusted);
        QVERIFY(!detail->chain.isEmpty());
        QVERIFY(round->error.contains(detail->problem.mid(1)));
    }

    void expiryWithinTheWarningRaisesOneEvent()
    {
        const quint16 port = startTlsServer(u"soon"_s);
        QVERIFY(port);
        auto probe = makeProbe(spec(u"tls"_s, u"localhost:%1"_s.arg(port), {{u"ca-file"_s, caFile()}}));
        QSignalSpy events(probe.get(), &Agent::Probe::event);
        QString error;
        const QList<Protocol::Round> rounds = runRounds(*probe, 3, 20000, &error);
        QVERIFY2(rounds.size() == 3, qPrintable(error));
        for (const Protocol::Round &round : rounds) {
            QVERIFY2(round.error.isEmpty(), qPrintable(round.error));
            QCOMPARE(metricValue(round, Metric::TlsCertDaysLeft), 5.0);
        }
        QCOMPARE(events.size(), 1);
        const auto event = events.at(0).at(0).value<Protocol::Event>();
        QCOMPARE(event.kind, u"certificate-expiry"_s);
        QCOMPARE(event.coded.code(), u"certificate-expiring"_s);
        QVERIFY2(event.message.contains(u"expires in 5 day(s)"_s), qPrintable(event.message));
    }

    void nonTlsAndSilentServersEndInTime()
    {
        QTcpServer plain;
        QVERIFY(plain.listen(QHostAddress::LocalHost));
        QList<QTcpSocket *> accepted;
        connect(&plain, &QTcpServer::newConnection, this, [&] {
            QTcpSocket *socket = plain.nextPendingConnection();
            accepted.append(socket);
            if (plain.property("speaks").toBool())
                socket->write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
        });
        plain.setProperty("speaks", true);
        auto speaking = makeProbe(spec(u"tls"_s, u"127.0.0.1:%1"_s.arg(plain.serverPort())));
        auto round = runRound(*speaking);
        QVERIFY(round);
        QVERIFY2(round->error.contains(u"did not answer in TLS"_s) || round->error.contains(u"TLS handshake failed"_s),
            qPrintable(round->error));
        QVERIFY(round->detail.isEmpty());

        plain.setProperty("speaks", false);
        auto silent
            = makeProbe(spec(u"tls"_s, u"127.0.0.1:%1"_s.arg(plain.serverPort()), {{u"timeout"_s, u"500ms"_s}}));
        qint64 elapsedNs = 0;
        round = runRound(*silent, {}, &elapsedNs);
        QVERIFY(round);
        QVERIFY2(round->error.contains(u"did not finish within 500ms"_s), qPrintable(round->error));
        QVERIFY2(elapsedNs >= 500'000'000 && elapsedNs < 900'000'000, qPrintable(QString::number(elapsedNs)));
        QVERIFY(metricValue(*round, Metric::TlsConnect) > 0); // the connection itself was made
        qDeleteAll(accepted);
    }

    void tcpConnectsOverIpv4AndIpv6()
    {
        for (const QHostAddress &address :
            {QHostAddress(QHostAddress::LocalHost), QHostAddress(QHostAddress::LocalHostIPv6)}) {
            QTcpServer server;
            QVERIFY(server.listen(address));
            const QString target = address.protocol() == QAbstractSocket::IPv6Protocol
                ? u"[::1]:%1"_s.arg(server.serverPort())
                : u"127.0.0.1:%1"_s.arg(server.serverPort());
            auto probe = makeProbe(spec(u"tcp"_s, target));
            const auto round = runRound(*probe);
            QVERIFY(round);
            QVERIFY2(round->error.isEmpty(), qPrintable(round->error));
            const double connectMs = metricValue(*round, Metric::TcpConnect);
            QVERIFY2(connectMs > 0 && connectMs < 50, qPrintable(QString::number(connectMs)));
            const auto *detail = round->detail.get<Protocol::TcpDetail>();
            QVERIFY(detail);
            QCOMPARE(QHostAddress(detail->address), address);
            QCOMPARE(detail->port, int(server.serverPort()));
        }
    }

    void tcpRefusedPortIsSaid()
    {
        const quint16 port = freePort(); // closed again: nothing listens there now
        auto probe = makeProbe(spec(u"tcp"_s, u"127.0.0.1:%1"_s.arg(port)));
        const auto round = runRound(*probe);
        QVERIFY(round);
        QCOMPARE(round->error,
            u"127.0.0.1 port %1 refused the connection (nothing listens there, or a firewall rejects it)."_s.arg(port));
        QVERIFY(round->values.isEmpty());
    }

    void tcpSilentAndUnreachableHosts()
    {
        QString why;
        if (!Lab::available(&why))
            QSKIP(qPrintable(why));
        Lab lab;
        QVERIFY2(lab.addNamespace(u"server"_s, &why), qPrintable(why));
        QVERIFY2(lab.addNamespace(u"client"_s, &why), qPrintable(why));
        const auto link = lab.connect(QString(), u"server"_s, SILENT_SUBNET, {}, &why);
        QVERIFY2(link, qPrintable(why));
        QVERIFY2(lab.settle(&why), qPrintable(why));
        QVERIFY2(lab.setLinkUp(*link, false, Cut::Silent, &why), qPrintable(why));
        const QString silentTarget = u"%1:80"_s.arg(link->b.ipv4.toString());
        auto silent = makeProbe(spec(u"tcp"_s, silentTarget, {{u"timeout"_s, u"400ms"_s}}));
        qint64 elapsedNs = 0;
        auto round = runRound(*silent, {}, &elapsedNs);
        QVERIFY(round);
        QCOMPARE(round->error,
            u"No answer from %1 port 80 within 400ms: the connection attempt was given up."_s.arg(
                link->b.ipv4.toString()));
        QVERIFY2(elapsedNs >= 400'000'000 && elapsedNs < 800'000'000, qPrintable(QString::number(elapsedNs)));

        // A router that says "unreachable" (here the client namespace's own routing table).
        const CommandResult added
            = lab.run(u"client"_s, u"ip"_s, {u"route"_s, u"add"_s, u"unreachable"_s, u"10.223.9.0/24"_s});
        QVERIFY2(added.succeeded(), qPrintable(added.err));
        auto unreachable = makeProbe(spec(u"tcp"_s, u"10.223.9.1:443"_s));
        round = runRound(*unreachable, lab.namespaceName(u"client"_s));
        QVERIFY(round);
        QVERIFY2(round->error.startsWith(u"10.223.9.1 port 443 is unreachable"_s), qPrintable(round->error));
    }

    void otherTestsKeepTheirRhythmWhileOneWaits()
    {
        QTcpServer silentServer;
        QVERIFY(silentServer.listen(QHostAddress::LocalHost));
        QTcpServer open;
        QVERIFY(open.listen(QHostAddress::LocalHost));
        auto waiting
            = makeProbe(spec(u"tls"_s, u"127.0.0.1:%1"_s.arg(silentServer.serverPort()), {{u"timeout"_s, u"2s"_s}}));
        QSignalSpy waitingDone(waiting.get(), &Agent::Probe::roundFinished);
        waiting->startRound(QDateTime::currentMSecsSinceEpoch());
        auto quick = makeProbe(spec(u"tcp"_s, u"127.0.0.1:%1"_s.arg(open.serverPort())));
        QElapsedTimer took;
        took.start();
        QString error;
        const QList<Protocol::Round> rounds = runRounds(*quick, 5, 5000, &error);
        QVERIFY2(rounds.size() == 5, qPrintable(error));
        QVERIFY2(took.elapsed() < 1000, qPrintable(QString::number(took.elapsed())));
        QCOMPARE(waitingDone.size(), 0); // still waiting for its handshake
        QVERIFY(waitingDone.wait(4000));
    }

private:
    QTemporaryDir m_directory;
    std::unique_ptr<TestCertificateAuthority> m_ca;
    QList<QProcess *> m_servers;
};

QTEST_GUILESS_MAIN(TcpTlsTest)
#include "tst_tcptls.moc"
