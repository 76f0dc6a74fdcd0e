// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include <memory>
#include <optional>

#include <QHostInfo>
#include <QSignalSpy>
#include <QTest>
#include <QUdpSocket>

#include "agent/probes/ping/icmpsocket.h"
#include "agent/probes/ping/pingprobe.h"
#include "shared/metrics/catalog.h"
#include "shared/protocol/validation.h"
#include "shared/testtypes/ping.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm;
using namespace StreamSwarm::Agent;

namespace {

// Only loopback is ever a target here (DESIGN.md, "Measurement truth").
constexpr int ROUND_WAIT_MS = 10000;

std::optional<double> valueOf(const Protocol::Round &round, const char16_t *metric)
{
    const QString name = QString::fromUtf16(metric);
    for (const Protocol::MetricValue &value : round.values) {
        if (value.metric == name)
            return value.value;
    }
    return std::nullopt;
}

// -1 stands for "missing", which no ping metric can be.
double numberOf(const Protocol::Round &round, const char16_t *metric)
{
    return valueOf(round, metric).value_or(-1);
}

Protocol::TestSpec pingSpec(const QString &target, int count)
{
    Protocol::TestSpec spec;
    spec.id = 42;
    spec.name = u"loopback"_s;
    spec.type = u"ping"_s;
    spec.target = target;
    spec.intervalMs = 2000;
    spec.params = {{u"count"_s, QString::number(count)}, {u"spacing"_s, u"10ms"_s}, {u"timeout"_s, u"1s"_s}};
    return spec;
}

std::unique_ptr<PingProbe> makeProbe(const QString &target, int count = 5)
{
    const Protocol::TestSpec spec = pingSpec(target, count);
    Validation::PingParams params;
    QString error;
    if (!Validation::parsePingParams(spec, &params, &error))
        qFatal("bad test spec: %s", qPrintable(error));
    return std::make_unique<PingProbe>(spec, params);
}

Protocol::Round takeRound(QSignalSpy &spy)
{
    return spy.takeFirst().at(0).value<Protocol::Round>();
}

} // namespace

class TestPingProbe : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void loopback_data();
    void loopback();
    void unresolvableName();
    void refusedBroadcast();
    void overlappingRoundsEmitOncePerRound();
    void destroyedMidRound();
    void deletedByItsOwnResult();

private:
    bool m_permitted = false;
    QString m_openError;
};

void TestPingProbe::initTestCase()
{
    qRegisterMetaType<Protocol::Round>();
    IcmpSocket socket(QAbstractSocket::IPv4Protocol);
    m_permitted = socket.open(&m_openError);
    if (m_permitted)
        qInfo("ICMP socket kind: %s", socket.kind() == IcmpSocket::Kind::Raw ? "raw" : "datagram");
    else
        qWarning("no ICMP permission, checking the error path only: %s", qPrintable(m_openError));
}

void TestPingProbe::loopback_data()
{
    QTest::addColumn<QString>("target");
    QTest::newRow("IPv4") << u"127.0.0.1"_s;
    QTest::newRow("IPv6") << u"::1"_s;
}

void TestPingProbe::loopback()
{
    QFETCH(QString, target);
    if (target == u"::1") {
        QUdpSocket udp;
        if (!udp.bind(QHostAddress::LocalHostIPv6, 0))
            QSKIP("this host has no IPv6 loopback");
    }
    auto probe = makeProbe(target);
    QSignalSpy spy(probe.get(), &Probe::roundFinished);

    for (int roundNumber = 1; roundNumber <= 2; ++roundNumber) {
        probe->startRound(qint64(1000) * roundNumber);
        QVERIFY(spy.wait(ROUND_WAIT_MS));
        QCOMPARE(spy.size(), 1);
        const Protocol::Round round = takeRound(spy);
        QCOMPARE(round.testId, qint64(42));
        QCOMPARE(round.timeMs, qint64(1000) * roundNumber);
        if (!m_permitted) {
            QVERIFY2(round.error.contains(IcmpSocket::permissionError()) || round.error.contains(m_openError),
                qPrintable(round.error));
            QVERIFY(round.error.contains(target));
            QVERIFY(round.values.isEmpty());
            continue;
        }
        QVERIFY2(round.error.isEmpty(), qPrintable(round.error));
        QCOMPARE(numberOf(round, Metric::PingSent), 5.0);
        QCOMPARE(numberOf(round, Metric::PingReceived), 5.0);
        QCOMPARE(numberOf(round, Metric::PingLoss), 0.0);
        QCOMPARE(numberOf(round, Metric::PingDuplicates), 0.0);
        const double min = numberOf(round, Metric::PingRttMin);
        const double avg = numberOf(round, Metric::PingRttAvg);
        const double max = numberOf(round, Metric::PingRttMax);
        qInfo("%s round %d: min %.4f avg %.4f max %.4f ms", qPrintable(target), roundNumber, min, avg, max);
        QVERIFY(0 < min);
        QVERIFY(min <= avg);
        QVERIFY(avg <= max);
        QVERIFY(max < 50);
        QVERIFY(numberOf(round, Metric::PingRttMdev) >= 0);
        QVERIFY(numberOf(round, Metric::PingJitter) >= 0);
        const double median = numberOf(round, Metric::PingRttMedian);
        QVERIFY(min <= median && median <= max);
        QVERIFY(numberOf(round, Metric::PingRttStddev) >= numberOf(round, Metric::PingRttMdev));
        QCOMPARE(numberOf(round, Metric::PingReordered), 0.0);
        QCOMPARE(numberOf(round, Metric::PingIcmpErrors), 0.0);
    }
    QVERIFY(!probe->isRoundRunning());
}

void TestPingProbe::unresolvableName()
{
    const QString name = u"no-such-host.invalid"_s;
    auto probe = makeProbe(name);
    QSignalSpy spy(probe.get(), &Probe::roundFinished);
    probe->startRound(5000);
    // The probe bounds the lookup by its own round length (about 1 s); the spy only guards a hang.
    QVERIFY(spy.wait(ROUND_WAIT_MS));
    QCOMPARE(spy.size(), 1);
    const Protocol::Round round = takeRound(spy);
    qInfo("%s", qPrintable(round.error));
    QVERIFY(round.error.contains(name));
    // A failure, not a gap: nothing could be sent to a name without an address.
    QCOMPARE(numberOf(round, Metric::PingLoss), 100.0);
    QCOMPARE(numberOf(round, Metric::PingSent), 0.0);
    QCOMPARE(round.timeMs, qint64(5000));
    QVERIFY(!spy.wait(200)); // and nothing more

    // The next round reports the same without asking the resolver again right away.
    probe->startRound(6000);
    QCOMPARE(spy.size(), 0);
    QVERIFY(spy.wait(ROUND_WAIT_MS));
    const Protocol::Round again = takeRound(spy);
    QCOMPARE(again.timeMs, qint64(6000));
    QVERIFY(again.error.contains(name));
    QCOMPARE(numberOf(again, Metric::PingLoss), 100.0);
}

void TestPingProbe::refusedBroadcast()
{
    // Without SO_BROADCAST the kernel refuses the send locally (EACCES): no packet leaves the host.
    if (!m_permitted)
        QSKIP("needs ICMP permission");
    const QString target = u"255.255.255.255"_s;
    auto probe = makeProbe(target, 2);
    QSignalSpy spy(probe.get(), &Probe::roundFinished);
    probe->startRound(7000);
    QVERIFY(spy.wait(ROUND_WAIT_MS));
    const Protocol::Round round = takeRound(spy);
    qInfo("%s", qPrintable(round.error));
    QVERIFY(!round.error.isEmpty());
    QVERIFY(round.error.contains(target));
    QCOMPARE(numberOf(round, Metric::PingSent), 2.0);
    QCOMPARE(numberOf(round, Metric::PingReceived), 0.0);
    QCOMPARE(numberOf(round, Metric::PingLoss), 100.0);
    QVERIFY(!valueOf(round, Metric::PingRttAvg).has_value());
}

void TestPingProbe::overlappingRoundsEmitOncePerRound()
{
    if (!m_permitted)
        QSKIP("needs ICMP permission");
    auto probe = makeProbe(u"127.0.0.1"_s);
    QSignalSpy spy(probe.get(), &Probe::roundFinished);
    probe->startRound(1000);
    // The scheduler starts the next round before the first one ended: the first is finished early
    // with what it has, its late reply must not show up in the second.
    probe->startRound(2000);
    QCOMPARE(spy.size(), 1);
    const Protocol::Round first = takeRound(spy);
    QCOMPARE(first.timeMs, qint64(1000));
    QCOMPARE(numberOf(first, Metric::PingSent), 1.0);
    QVERIFY(spy.wait(ROUND_WAIT_MS));
    const Protocol::Round second = takeRound(spy);
    QCOMPARE(second.timeMs, qint64(2000));
    QCOMPARE(numberOf(second, Metric::PingSent), 5.0);
    QCOMPARE(numberOf(second, Metric::PingReceived), 5.0);
    QCOMPARE(numberOf(second, Metric::PingDuplicates), 0.0);
    QVERIFY(!spy.wait(300));
}

void TestPingProbe::destroyedMidRound()
{
    auto probe = makeProbe(u"127.0.0.1"_s);
    QSignalSpy spy(probe.get(), &Probe::roundFinished);
    probe->startRound(1000);
    QTest::qWait(25); // some echoes out, replies queued, timers armed (without permission: already over)
    QCOMPARE(spy.size(), m_permitted ? 0 : 1);
    probe.reset();
    QTest::qWait(50); // nothing of it may fire now (the sanitizer build checks)
    QCOMPARE(spy.size(), m_permitted ? 0 : 1);

    const QString name = u"no-such-host.invalid"_s;
    auto lookingUp = makeProbe(name);
    lookingUp->startRound(1000);
    lookingUp.reset(); // with a lookup in flight
    // Qt runs one lookup per name at a time and delivers results in order, so once this one is back
    // the probe's orphaned lookup has ended too (the sanitizer build checks nothing leaked).
    bool done = false;
    QObject context;
    QHostInfo::lookupHost(name, &context, [&done](const QHostInfo &) { done = true; });
    QTRY_VERIFY_WITH_TIMEOUT(done, ROUND_WAIT_MS);
    QTest::qWait(10);
}

void TestPingProbe::deletedByItsOwnResult()
{
    // The last reply ends the round inside the socket's read handler; a receiver that deletes the
    // probe right there must not bring the socket down with it.
    auto probe = makeProbe(u"127.0.0.1"_s, 2);
    bool finished = false;
    connect(probe.get(), &Probe::roundFinished, this, [&probe, &finished] {
        finished = true;
        probe.reset();
    });
    probe->startRound(1000);
    QTRY_VERIFY_WITH_TIMEOUT(finished, ROUND_WAIT_MS);
    QVERIFY(!probe);
}

QTEST_GUILESS_MAIN(TestPingProbe)
#include "tst_pingprobe.moc"
