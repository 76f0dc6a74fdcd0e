// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include <memory>
#include <optional>

#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>
#include <QTimer>
#include <QUdpSocket>

#include "agent/probes/dns/dnsprobe.h"
#include "shared/protocol/validation.h"
#include "shared/testtypes/dns.h"
#include "tests/netlab/testdnsserver.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm;
using namespace StreamSwarm::Agent;
using StreamSwarm::NetLab::TestDnsServer;

namespace {

// Only loopback is ever a target here (DESIGN.md, "Measurement truth"): every query goes to the
// suite's own DNS server on 127.0.0.1.
constexpr int ROUND_WAIT_MS = 10000;

const QStringList ZONE{
    u"www.example.com A 300 192.0.2.1"_s,
    u"www.example.com A 60 192.0.2.2"_s,
    u"www.example.com AAAA 300 2001:db8::1"_s,
    u"example.com MX 3600 10 mail.example.com."_s,
    u"example.com MX 3600 20 backup.example.com."_s,
    u"example.com TXT 120 \"v=spf1 -all\" \"a \\\"quoted\\\" word\""_s,
    u"example.com NS 86400 ns1.example.com."_s,
    u"_sip._udp.example.com SRV 30 0 5 5060 sip.example.com."_s,
    u"alias.example.com CNAME 45 www.example.com."_s,
    u"1.0.0.127.in-addr.arpa PTR 600 localhost."_s,
};

Protocol::TestSpec dnsSpec(const QString &target, const QMap<QString, QString> &params, qint64 intervalMs = 5000)
{
    Protocol::TestSpec spec;
    spec.id = 53;
    spec.name = u"lookup"_s;
    spec.type = u"dns"_s;
    spec.target = target;
    spec.intervalMs = intervalMs;
    spec.params = params;
    return spec;
}

std::unique_ptr<DnsProbe> makeProbe(const Protocol::TestSpec &spec)
{
    Validation::DnsParams params;
    QString error;
    if (!Validation::checkTestSpec(spec, &error) || !Validation::parseDnsParams(spec, &params, &error))
        qFatal("bad test spec: %s", qPrintable(error));
    return std::make_unique<DnsProbe>(spec, params);
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

// One round, start to end; elapsedMs (if given) is how long it took.
Protocol::Round runRound(DnsProbe &probe, qint64 *elapsedMs = nullptr)
{
    QSignalSpy spy(&probe, &Probe::roundFinished);
    QElapsedTimer clock;
    clock.start();
    probe.startRound(QDateTime::currentMSecsSinceEpoch());
    if (!spy.wait(ROUND_WAIT_MS))
        return {};
    if (elapsedMs)
        *elapsedMs = clock.elapsed();
    return spy.takeFirst().at(0).value<Protocol::Round>();
}

// What dig prints for the query against the same server: "name ttl type data" each.
QStringList digAnswers(const TestDnsServer &server, const QString &name, const QString &type)
{
    QProcess dig;
    dig.start(u"dig"_s,
        {u"@127.0.0.1"_s, u"-p"_s, QString::number(server.port()), name, type, u"+noall"_s, u"+answer"_s, u"+time=2"_s,
            u"+tries=1"_s});
    if (!dig.waitForFinished(10000))
        return {u"dig did not finish"_s};
    QStringList records;
    for (const QString &line : QString::fromUtf8(dig.readAllStandardOutput()).split(u'\n')) {
        if (line.trimmed().isEmpty() || line.startsWith(u';'))
            continue;
        // name TTL class type data, separated by tabs; the data may hold blanks.
        const QStringList fields = line.split(QRegularExpression(u"\t+"_s));
        if (fields.size() < 5)
            return {u"unexpected dig line: "_s + line};
        records.append(u"%1 %2 %3 %4"_s.arg(fields.at(0), fields.at(1), fields.at(3), fields.mid(4).join(u'\t')));
    }
    return records;
}

QStringList detailAnswers(const Protocol::DnsDetail &detail)
{
    QStringList records;
    for (const Protocol::DnsRecord &record : detail.answers)
        records.append(u"%1 %2 %3 %4"_s.arg(record.name).arg(record.ttl).arg(record.type, record.data));
    return records;
}

quint16 unusedUdpPort()
{
    QUdpSocket socket;
    socket.bind(QHostAddress::LocalHost, 0);
    return socket.localPort(); // closed again on return: nothing listens there
}

} // namespace

class TestDnsProbe : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void answersAsDigSeesThem_data();
    void answersAsDigSeesThem();
    void addressTargetAsksForItsName();
    void truncatedAnswerIsAskedAgainOverTcp();
    void tcpFromTheStart();
    void failingAnswersAreResults_data();
    void failingAnswersAreResults();
    void unknownNameDoesNotExist();
    void silentServerEndsWithinTheTimeout();
    void refusedPortIsAPlainError_data();
    void refusedPortIsAPlainError();
    void ipv6Server();
    void otherTestsKeepTheirRhythm();
    void overlappingRoundsEmitOncePerRound();
    void destroyedMidRound();
    void systemResolver();
    void deletedByItsOwnResult_data();
    void deletedByItsOwnResult();

private:
    TestDnsServer m_server;
};

void TestDnsProbe::initTestCase()
{
    qRegisterMetaType<Protocol::Round>();
    QString error;
    QVERIFY2(m_server.start(ZONE, {}, &error), qPrintable(error));
    QVERIFY2(!QStandardPaths::findExecutable(u"dig"_s).isEmpty(), "dig (bind9-dnsutils, scripts/deps) is missing");
}

void TestDnsProbe::answersAsDigSeesThem_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("type");
    QTest::addColumn<int>("count");
    QTest::newRow("A") << u"www.example.com"_s << u"A"_s << 2;
    QTest::newRow("AAAA") << u"www.example.com"_s << u"AAAA"_s << 1;
    QTest::newRow("MX") << u"example.com"_s << u"MX"_s << 2;
    QTest::newRow("TXT") << u"example.com"_s << u"TXT"_s << 1;
    QTest::newRow("NS") << u"example.com"_s << u"NS"_s << 1;
    QTest::newRow("SRV") << u"_sip._udp.example.com"_s << u"SRV"_s << 1;
    QTest::newRow("CNAME") << u"alias.example.com"_s << u"CNAME"_s << 1;
    QTest::newRow("PTR") << u"1.0.0.127.in-addr.arpa"_s << u"PTR"_s << 1;
    QTest::newRow("no data") << u"www.example.com"_s << u"MX"_s << 0;
}

void TestDnsProbe::answersAsDigSeesThem()
{
    QFETCH(QString, name);
    QFETCH(QString, type);
    QFETCH(int, count);
    auto probe = makeProbe(dnsSpec(name, {{u"type"_s, type}, {u"server"_s, m_server.server()}}));
    const Protocol::Round round = runRound(*probe);
    QVERIFY2(round.error.isEmpty(), qPrintable(round.error));
    QCOMPARE(round.testId, qint64(53));
    const auto *detail = round.detail.get<Protocol::DnsDetail>();
    QVERIFY(detail);
    const QStringList ours = detailAnswers(*detail);
    const QStringList digs = digAnswers(m_server, name, type);
    qInfo() << ours;
    QCOMPARE(ours, digs);
    QCOMPARE(ours.size(), count);
    QCOMPARE(detail->query, name);
    QCOMPARE(detail->queryType, type);
    QCOMPARE(detail->server, m_server.server());
    QCOMPARE(detail->transport, u"udp"_s);
    QCOMPARE(detail->rcode, u"NOERROR"_s);
    QCOMPARE(detail->sends, qint64(1));
    QVERIFY(detail->authoritative);
    QVERIFY(!detail->truncatedUdp);
    QCOMPARE(valueOf(round, Metric::DnsRcode), 0.0);
    QCOMPARE(valueOf(round, Metric::DnsAnswers), double(count));
    const double lookup = valueOf(round, Metric::DnsLookup).value_or(-1);
    QVERIFY2(lookup > 0 && lookup < 1000, qPrintable(QString::number(lookup)));
    if (count > 0) {
        qint64 shortest = detail->answers.first().ttl;
        for (const auto &record : detail->answers)
            shortest = std::min(shortest, record.ttl);
        QCOMPARE(valueOf(round, Metric::DnsTtlMin), double(shortest));
    } else {
        QVERIFY(!valueOf(round, Metric::DnsTtlMin));
    }
}

void TestDnsProbe::addressTargetAsksForItsName()
{
    auto probe = makeProbe(dnsSpec(u"127.0.0.1"_s, {{u"server"_s, m_server.server()}}));
    QCOMPARE(probe->params().queryType, u"PTR"_s);
    const Protocol::Round round = runRound(*probe);
    QVERIFY2(round.error.isEmpty(), qPrintable(round.error));
    const auto *detail = round.detail.get<Protocol::DnsDetail>();
    QVERIFY(detail);
    QCOMPARE(detail->query, u"1.0.0.127.in-addr.arpa"_s);
    QCOMPARE(detailAnswers(*detail), QStringList{u"1.0.0.127.in-addr.arpa. 600 PTR localhost."_s});
}

void TestDnsProbe::truncatedAnswerIsAskedAgainOverTcp()
{
    TestDnsServer server;
    QString error;
    QVERIFY2(server.start(ZONE, {u"--truncate"_s}, &error), qPrintable(error));
    auto probe = makeProbe(dnsSpec(u"www.example.com"_s, {{u"server"_s, server.server()}}));
    const Protocol::Round round = runRound(*probe);
    QVERIFY2(round.error.isEmpty(), qPrintable(round.error));
    const auto *detail = round.detail.get<Protocol::DnsDetail>();
    QVERIFY(detail);
    QCOMPARE(detail->transport, u"tcp"_s);
    QVERIFY(detail->truncatedUdp);
    QCOMPARE(detail->sends, qint64(2));
    QCOMPARE(detail->answers.size(), 2);
    QCOMPARE(valueOf(round, Metric::DnsAnswers), 2.0);
    QTRY_COMPARE_WITH_TIMEOUT(server.answers(),
        (QStringList{u"udp www.example.com A NOERROR 0 TC"_s, u"tcp www.example.com A NOERROR 2"_s}), 5000);
}

void TestDnsProbe::tcpFromTheStart()
{
    TestDnsServer server;
    QString error;
    QVERIFY2(server.start(ZONE, {}, &error), qPrintable(error));
    auto probe = makeProbe(
        dnsSpec(u"example.com"_s, {{u"type"_s, u"mx"_s}, {u"tcp"_s, u"on"_s}, {u"server"_s, server.server()}}));
    const Protocol::Round round = runRound(*probe);
    QVERIFY2(round.error.isEmpty(), qPrintable(round.error));
    const auto *detail = round.detail.get<Protocol::DnsDetail>();
    QVERIFY(detail);
    QCOMPARE(detail->transport, u"tcp"_s);
    QVERIFY(!detail->truncatedUdp);
    QCOMPARE(detail->sends, qint64(1));
    QTRY_COMPARE_WITH_TIMEOUT(server.answers(), QStringList{u"tcp example.com MX NOERROR 2"_s}, 5000);
    QCOMPARE(detailAnswers(*detail), digAnswers(server, u"example.com"_s, u"MX"_s));
}

void TestDnsProbe::failingAnswersAreResults_data()
{
    QTest::addColumn<QString>("rcode");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("words");
    QTest::newRow("NXDOMAIN") << u"NXDOMAIN"_s << 3 << u"does not exist (NXDOMAIN)"_s;
    QTest::newRow("SERVFAIL") << u"SERVFAIL"_s << 2 << u"failed to resolve www.example.com (SERVFAIL)"_s;
    QTest::newRow("REFUSED") << u"REFUSED"_s << 5 << u"refused to answer for www.example.com (REFUSED)"_s;
}

void TestDnsProbe::failingAnswersAreResults()
{
    QFETCH(QString, rcode);
    QFETCH(int, code);
    QFETCH(QString, words);
    TestDnsServer server;
    QString error;
    QVERIFY2(server.start(ZONE, {u"--rcode"_s, rcode, u"--delay"_s, u"5ms"_s}, &error), qPrintable(error));
    auto probe = makeProbe(dnsSpec(u"www.example.com"_s, {{u"server"_s, server.server()}}));
    const Protocol::Round round = runRound(*probe);
    qInfo("%s", qPrintable(round.error));
    // The answer is the measurement: its values are kept, and the error says what it means.
    QVERIFY2(round.error.contains(words), qPrintable(round.error));
    QVERIFY2(round.error.contains(server.server()), qPrintable(round.error));
    QCOMPARE(valueOf(round, Metric::DnsRcode), double(code));
    QCOMPARE(valueOf(round, Metric::DnsAnswers), 0.0);
    QVERIFY(valueOf(round, Metric::DnsLookup).value_or(0) >= 5.0);
    const auto *detail = round.detail.get<Protocol::DnsDetail>();
    QVERIFY(detail);
    QCOMPARE(detail->rcode, rcode);
    QCOMPARE(detail->sends, qint64(1)); // the answer counts: no other server or try is asked
    QVERIFY(detail->answers.isEmpty());
    // The same failure reads the same at the next round: the console logs an event per change of text.
    QCOMPARE(runRound(*probe).error, round.error);
}

void TestDnsProbe::unknownNameDoesNotExist()
{
    auto probe = makeProbe(dnsSpec(u"www.example.invalid"_s, {{u"server"_s, m_server.server()}}));
    const Protocol::Round round = runRound(*probe);
    QCOMPARE(round.error,
        u"The name www.example.invalid does not exist (NXDOMAIN), answered by %1."_s.arg(m_server.server()));
    QCOMPARE(valueOf(round, Metric::DnsRcode), 3.0);
}

void TestDnsProbe::silentServerEndsWithinTheTimeout()
{
    TestDnsServer server;
    QString error;
    QVERIFY2(server.start(ZONE, {u"--silent"_s}, &error), qPrintable(error));
    auto probe
        = makeProbe(dnsSpec(u"www.example.com"_s, {{u"server"_s, server.server()}, {u"timeout"_s, u"1s"_s}}, 2000));
    qint64 elapsed = 0;
    const Protocol::Round round = runRound(*probe, &elapsed);
    qInfo("after %lld ms: %s", elapsed, qPrintable(round.error));
    QVERIFY2(elapsed >= 900 && elapsed <= 1200, qPrintable(QString::number(elapsed)));
    QVERIFY(round.values.isEmpty());
    QCOMPARE(round.error,
        u"No answer from %1 for www.example.com within 1s (sent 3 times over UDP)."_s.arg(server.server()));
    const auto *detail = round.detail.get<Protocol::DnsDetail>();
    QVERIFY(detail);
    QVERIFY(detail->rcode.isEmpty());
    QCOMPARE(detail->sends, qint64(3));
}

void TestDnsProbe::refusedPortIsAPlainError_data()
{
    QTest::addColumn<QString>("tcp");
    QTest::newRow("udp: port unreachable") << u"off"_s;
    QTest::newRow("tcp: reset") << u"on"_s;
}

void TestDnsProbe::refusedPortIsAPlainError()
{
    QFETCH(QString, tcp);
    const QString server = u"127.0.0.1:%1"_s.arg(unusedUdpPort());
    auto probe
        = makeProbe(dnsSpec(u"www.example.com"_s, {{u"server"_s, server}, {u"timeout"_s, u"2s"_s}, {u"tcp"_s, tcp}}));
    qint64 elapsed = 0;
    const Protocol::Round round = runRound(*probe, &elapsed);
    qInfo("after %lld ms: %s", elapsed, qPrintable(round.error));
    QCOMPARE(round.error,
        u"The DNS server %1 refused the query for www.example.com: nothing answers DNS on that port."_s.arg(server));
    QVERIFY(round.values.isEmpty());
    QVERIFY(elapsed < 1000); // an ICMP port unreachable comes back at once
}

void TestDnsProbe::ipv6Server()
{
    QUdpSocket udp;
    if (!udp.bind(QHostAddress::LocalHostIPv6, 0))
        QSKIP("this host has no IPv6 loopback");
    TestDnsServer server;
    QString error;
    QVERIFY2(server.start(ZONE, {u"--listen"_s, u"::1"_s}, &error), qPrintable(error));
    QVERIFY(server.server().startsWith(u"[::1]:"_s));
    auto probe = makeProbe(dnsSpec(u"www.example.com"_s, {{u"type"_s, u"AAAA"_s}, {u"server"_s, server.server()}}));
    const Protocol::Round round = runRound(*probe);
    QVERIFY2(round.error.isEmpty(), qPrintable(round.error));
    const auto *detail = round.detail.get<Protocol::DnsDetail>();
    QVERIFY(detail);
    QCOMPARE(detail->server, server.server());
    QCOMPARE(detailAnswers(*detail), QStringList{u"www.example.com. 300 AAAA 2001:db8::1"_s});
}

// One dns test waits on a server that never answers; another, every 200 ms, keeps its rhythm.
void TestDnsProbe::otherTestsKeepTheirRhythm()
{
    TestDnsServer silent;
    QString error;
    QVERIFY2(silent.start(ZONE, {u"--silent"_s}, &error), qPrintable(error));
    auto waiting
        = makeProbe(dnsSpec(u"www.example.com"_s, {{u"server"_s, silent.server()}, {u"timeout"_s, u"2s"_s}}, 2000));
    auto steady = makeProbe(dnsSpec(u"www.example.com"_s, {{u"server"_s, m_server.server()}}, 200));
    QSignalSpy waitingSpy(waiting.get(), &Probe::roundFinished);
    QList<qint64> lateness; // from each steady round's start to its result
    QElapsedTimer clock;
    clock.start();
    qint64 started = 0;
    connect(steady.get(), &Probe::roundFinished, this, [&](const Protocol::Round &round) {
        QVERIFY2(round.error.isEmpty(), qPrintable(round.error));
        lateness.append(clock.elapsed() - started);
    });
    QTimer rhythm;
    rhythm.setTimerType(Qt::PreciseTimer);
    connect(&rhythm, &QTimer::timeout, this, [&] {
        started = clock.elapsed();
        steady->startRound(QDateTime::currentMSecsSinceEpoch());
    });
    waiting->startRound(QDateTime::currentMSecsSinceEpoch());
    rhythm.start(200);
    QVERIFY(waitingSpy.wait(5000));
    rhythm.stop();
    const auto round = waitingSpy.takeFirst().at(0).value<Protocol::Round>();
    QVERIFY(round.error.startsWith(u"No answer from "_s));
    qInfo() << "steady rounds took (ms):" << lateness;
    QVERIFY2(lateness.size() >= 8, qPrintable(QString::number(lateness.size())));
    for (const qint64 ms : lateness)
        QVERIFY2(ms < 100, qPrintable(QString::number(ms)));
}

void TestDnsProbe::overlappingRoundsEmitOncePerRound()
{
    TestDnsServer silent;
    QString error;
    QVERIFY2(silent.start(ZONE, {u"--silent"_s}, &error), qPrintable(error));
    auto probe
        = makeProbe(dnsSpec(u"www.example.com"_s, {{u"server"_s, silent.server()}, {u"timeout"_s, u"500ms"_s}}, 1000));
    QSignalSpy spy(probe.get(), &Probe::roundFinished);
    probe->startRound(1000);
    probe->startRound(2000); // the first is finished first, at once
    QCOMPARE(spy.size(), 1);
    QCOMPARE(spy.at(0).at(0).value<Protocol::Round>().timeMs, qint64(1000));
    QVERIFY(spy.wait(ROUND_WAIT_MS));
    QCOMPARE(spy.size(), 2);
    QCOMPARE(spy.at(1).at(0).value<Protocol::Round>().timeMs, qint64(2000));
    QVERIFY(!spy.wait(700));
}

void TestDnsProbe::destroyedMidRound()
{
    TestDnsServer server;
    QString error;
    QVERIFY2(server.start(ZONE, {u"--delay"_s, u"50ms"_s}, &error), qPrintable(error));
    auto probe = makeProbe(dnsSpec(u"www.example.com"_s, {{u"server"_s, server.server()}}));
    probe->startRound(1000);
    QTest::qWait(10);
    probe.reset(); // the channel goes with it; the late answer finds no socket
    QTest::qWait(100);
}

// Without server= the probe asks the resolvers of /etc/resolv.conf. Only the suite's own server is
// ever asked, so this runs in namespaces of its own (tests/integration/CMakeLists.txt: a new mount
// namespace whose /etc/resolv.conf names 127.0.0.1, and a new network namespace whose port 53 is
// free), and is skipped elsewhere.
void TestDnsProbe::systemResolver()
{
    if (qEnvironmentVariable("STREAMSWARM_DNS_SANDBOX") != u"1")
        QSKIP("runs in namespaces of its own: ctest -R tst_dnsprobe_systemResolver");
    QFile resolvConf(u"/etc/resolv.conf"_s);
    QVERIFY(resolvConf.open(QIODevice::ReadOnly));
    QCOMPARE(resolvConf.readAll().trimmed(), QByteArray("nameserver 127.0.0.1"));
    TestDnsServer server;
    QString error;
    QVERIFY2(server.start(ZONE, {u"--port"_s, u"53"_s}, &error), qPrintable(error));
    auto probe = makeProbe(dnsSpec(u"www.example.com"_s, {}));
    QVERIFY(probe->params().server.isNull());
    const Protocol::Round round = runRound(*probe);
    QVERIFY2(round.error.isEmpty(), qPrintable(round.error));
    const auto *detail = round.detail.get<Protocol::DnsDetail>();
    QVERIFY(detail);
    QCOMPARE(detail->server, u"127.0.0.1:53"_s);
    QCOMPARE(detail->answers.size(), 2);

    auto missing = makeProbe(dnsSpec(u"nothing.example.com"_s, {}));
    QCOMPARE(runRound(*missing).error,
        u"The name nothing.example.com does not exist (NXDOMAIN), answered by 127.0.0.1:53."_s);
}

void TestDnsProbe::deletedByItsOwnResult_data()
{
    QTest::addColumn<QStringList>("options");
    QTest::newRow("answered") << QStringList{};
    QTest::newRow("timed out") << QStringList{u"--silent"_s};
}

// The scheduler may delete a probe from its roundFinished(), whichever way the round ended.
void TestDnsProbe::deletedByItsOwnResult()
{
    QFETCH(QStringList, options);
    TestDnsServer server;
    QString error;
    QVERIFY2(server.start(ZONE, options, &error), qPrintable(error));
    auto probe
        = makeProbe(dnsSpec(u"www.example.com"_s, {{u"server"_s, server.server()}, {u"timeout"_s, u"300ms"_s}}, 1000));
    bool finished = false;
    connect(probe.get(), &Probe::roundFinished, this, [&] {
        finished = true;
        probe.reset();
    });
    probe->startRound(1000);
    QTRY_VERIFY_WITH_TIMEOUT(finished, 5000);
    QVERIFY(!probe);
    QTest::qWait(50);
}

QTEST_GUILESS_MAIN(TestDnsProbe)
#include "tst_dnsprobe.moc"
