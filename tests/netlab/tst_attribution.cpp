// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
//
// Proves the traceroute probe's latency attribution against a known delay: a delay element on r2 of
// client -> r1 -> r2 -> r3 -> r4 -> server holds what r2 forwards for 20 ms, so r3 is the first hop
// behind it. The probe must name r3 as the latency hop and show the step in its per-hop RTTs, also
// when a hop before the delay (r1), or the latency hop itself (r3), rate-limits its ICMP answers.
#include <QCborArray>
#include <QCborMap>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTest>

#include "agent/probes/traceroute/tracerouteprobe.h"
#include "shared/protocol/detailcodec.h"
#include "tests/netlab/lab.h"
#include "tests/netlab/proberuns.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm;
using namespace StreamSwarm::NetLab;

namespace {

constexpr double DELAY_MS = 20;
constexpr int DELAYING_ROUTER = 1; // r2: hops 1 (r1) and 2 (r2) answer undelayed, hop 3 (r3) is the first behind
constexpr int FIRST_DELAYED_TTL = DELAYING_ROUTER + 2;
constexpr double UNDELAYED_MAX_MS = 5; // "a few ms": these hops answer in well under one here
constexpr int PACE_MS = 100; // between rate-limited rounds, so the ICMP token buckets refill as planned

Protocol::TestSpec traceSpec(const QHostAddress &target, const QString &protocol)
{
    Protocol::TestSpec spec;
    spec.id = 9;
    spec.name = u"attribution"_s;
    spec.type = u"traceroute"_s;
    spec.target = target.toString();
    spec.intervalMs = 5000;
    // A wave waits this long for r1's rate-limited answers; the delayed ones come within 40 ms.
    spec.params = {{u"protocol"_s, protocol}, {u"resolve"_s, u"off"_s}, {u"timeout"_s, u"150ms"_s}};
    return spec;
}

// "1 10.200.0.2 avg 0.05 best 0.03 loss 0.0%; 2 ..." for failure messages and the log.
QString hopsText(const QCborMap &detail)
{
    QStringList parts;
    const QCborArray hops = detail.value(u"hops"_s).toArray();
    for (const QCborValue &value : hops) {
        const QCborMap hop = value.toMap();
        parts.append(u"%1 %2 avg %3 best %4 loss %5%"_s.arg(hop.value(u"ttl"_s).toInteger())
                         .arg(hop.value(u"address"_s).toString())
                         .arg(hop.value(u"avg"_s).toDouble(), 0, 'f', 3)
                         .arg(hop.value(u"best"_s).toDouble(), 0, 'f', 3)
                         .arg(hop.value(u"loss_pct"_s).toDouble(), 0, 'f', 1));
    }
    return parts.join(u"; "_s) + u" | latency_hop "_s
        + QCborValue(detail.value(u"latency_hop"_s)).toDiagnosticNotation() + u" loss_hop "_s
        + QCborValue(detail.value(u"loss_hop"_s)).toDiagnosticNotation() + u" rate_limited "_s
        + QCborValue(detail.value(u"rate_limited"_s)).toDiagnosticNotation();
}

} // namespace

class TestAttribution final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void latencyStepIsAttributedToFirstHopBehindDelay_data();
    void latencyStepIsAttributedToFirstHopBehindDelay();

private:
    QTemporaryDir m_dir;
};

void TestAttribution::initTestCase()
{
    QString why;
    if (!Lab::available(&why))
        QSKIP(qPrintable(why));
    QVERIFY2(Lab::installed({u"iptables"_s, u"ip6tables"_s}, &why), qPrintable(why));
    QVERIFY(m_dir.isValid());
}

void TestAttribution::latencyStepIsAttributedToFirstHopBehindDelay_data()
{
    QTest::addColumn<bool>("v6");
    QTest::addColumn<QString>("protocol");
    QTest::addColumn<bool>("bothWays"); // the delay holds the answers too (else the probes only)
    QTest::addColumn<int>("rateLimited"); // the router that rate-limits its ICMP errors, as an index; -1: none
    QTest::newRow("IPv4 ICMP") << false << u"icmp"_s << false << -1;
    QTest::newRow("IPv4 UDP") << false << u"udp"_s << false << -1;
    QTest::newRow("IPv6 ICMP") << true << u"icmp"_s << false << -1;
    QTest::newRow("IPv6 UDP") << true << u"udp"_s << false << -1;
    QTest::newRow("IPv4 ICMP, delayed both ways") << false << u"icmp"_s << true << -1;
    QTest::newRow("IPv4 ICMP, r1 rate-limits") << false << u"icmp"_s << false << 0;
    QTest::newRow("IPv6 ICMP, r1 rate-limits") << true << u"icmp"_s << false << 0;
    QTest::newRow("IPv6 UDP, r1 rate-limits") << true << u"udp"_s << false << 0;
    QTest::newRow("IPv4 UDP, r3 rate-limits") << false << u"udp"_s << false << 2;
    QTest::newRow("IPv6 ICMP, r3 rate-limits") << true << u"icmp"_s << false << 2;
}

void TestAttribution::latencyStepIsAttributedToFirstHopBehindDelay()
{
    QFETCH(bool, v6);
    QFETCH(QString, protocol);
    QFETCH(bool, bothWays);
    QFETCH(int, rateLimited);
    const bool rateLimiting = rateLimited >= 0;
    const auto family = v6 ? QAbstractSocket::IPv6Protocol : QAbstractSocket::IPv4Protocol;
    const double stepMs = bothWays ? 2 * DELAY_MS : DELAY_MS;
    QElapsedTimer elapsed;
    elapsed.start();
    Lab lab;
    QString error;
    const auto chain = lab.routerChain(4, &error);
    QVERIFY2(chain, qPrintable(error));
    const QList<QHostAddress> path = chain->hops(family);
    QCOMPARE(path.size(), 5);
    const QString client = lab.namespaceName(chain->client);
    const auto probe = makeTracerouteProbe(traceSpec(chain->serverAddress(family), protocol), &error);
    QVERIFY2(probe, qPrintable(error));

    ForwardDelay delay;
    delay.delayMs = DELAY_MS;
    if (!bothWays)
        delay.inInterface = chain->clientSideInterface(DELAYING_ROUTER);
    delay.truthFile = m_dir.filePath(u"%1.txt"_s.arg(QString::fromLatin1(QTest::currentDataTag())));
    QProcess *element = lab.delayForwarded(chain->routers.at(DELAYING_ROUTER), delay, &error);
    QVERIFY2(element, qPrintable(error));
    if (rateLimiting) {
        // One ICMP error a second after a burst of six, as in tst_traceroute's loss attribution.
        const QString key = v6 ? u"net.ipv6.icmp.ratelimit"_s : u"net.ipv4.icmp_ratelimit"_s;
        QVERIFY2(lab.sysctl(chain->routers.at(rateLimited), key, u"1000"_s, &error), qPrintable(error));
    }

    const int rounds = rateLimiting ? 40 : 8;
    std::optional<Protocol::Round> round;
    QElapsedTimer pace;
    for (int i = 0; i < rounds; ++i) {
        pace.start();
        round = runRound(*probe, client);
        QVERIFY2(round, "the round did not finish");
        QVERIFY2(round->error.isEmpty(), qPrintable(round->error));
        if (!rateLimiting) {
            // Every round's figures already name r3: the step holds from the first answers on.
            const QCborMap latencyHop
                = StreamSwarm::Protocol::encodeDetail(round->detail).value(u"latency_hop"_s).toMap();
            QVERIFY2(latencyHop.value(u"ttl"_s).toInteger() == FIRST_DELAYED_TTL,
                qPrintable(u"round %1: "_s.arg(i + 1) + hopsText(StreamSwarm::Protocol::encodeDetail(round->detail))));
        }
        if (rateLimiting && pace.elapsed() < PACE_MS)
            QTest::qWait(int(PACE_MS - pace.elapsed()));
    }
    const QCborMap detail = StreamSwarm::Protocol::encodeDetail(round->detail);
    const QString summary = hopsText(detail);
    qInfo("%s after %d rounds: %s", QTest::currentDataTag(), rounds, qPrintable(summary));

    const QCborArray hops = detail.value(u"hops"_s).toArray();
    QCOMPARE(hops.size(), path.size());
    QVERIFY(detail.value(u"reached"_s).toBool());
    for (int i = 0; i < hops.size(); ++i) {
        const QCborMap hop = hops.at(i).toMap();
        const qint64 ttl = hop.value(u"ttl"_s).toInteger();
        QCOMPARE(hop.value(u"address"_s).toString(), path.at(i).toString());
        QVERIFY2(hop.value(u"received"_s).toInteger() > 0, qPrintable(summary));
        const double avg = hop.value(u"avg"_s).toDouble();
        const double best = hop.value(u"best"_s).toDouble();
        // Upper bounds on the best answer, not the average: on a busy machine one late answer among the
        // few a rate-limiting hop gives pulled its average 7 ms over the delay (best: 20.007 ms). No
        // scheduler pulls the best below the truth, so the bounds stay real.
        if (ttl < FIRST_DELAYED_TTL) {
            QVERIFY2(best < UNDELAYED_MAX_MS, qPrintable(u"hop %1 looks delayed: "_s.arg(ttl) + summary));
        } else {
            // Never below the programmed delay: no answer can beat it.
            QVERIFY2(best >= stepMs && avg >= stepMs, qPrintable(u"hop %1 beat the delay: "_s.arg(ttl) + summary));
            QVERIFY2(
                best < stepMs + UNDELAYED_MAX_MS, qPrintable(u"hop %1 is far over the delay: "_s.arg(ttl) + summary));
        }
    }
    const QCborMap latencyHop = detail.value(u"latency_hop"_s).toMap();
    QVERIFY2(latencyHop.value(u"ttl"_s).toInteger() == FIRST_DELAYED_TTL, qPrintable(summary));
    QCOMPARE(latencyHop.value(u"address"_s).toString(), path.at(FIRST_DELAYED_TTL - 1).toString());
    // The step is the delay: best RTT behind it less best RTT before it, both a fraction of a ms of path.
    const double step = latencyHop.value(u"step_ms"_s).toDouble();
    QVERIFY2(step >= stepMs - 0.5 && step <= stepMs + 1, qPrintable(summary));
    // Only the rate-limiting router's answers go missing; the path itself carries no loss.
    for (int i = 0; i < hops.size(); ++i) {
        const double loss = hops.at(i).toMap().value(u"loss_pct"_s).toDouble();
        QVERIFY2(i == rateLimited ? loss > 20 : loss == 0, qPrintable(summary));
    }
    if (rateLimiting)
        QVERIFY2(detail.value(u"rate_limited"_s).toArray() == QCborArray{rateLimited + 1}, qPrintable(summary));
    QVERIFY2(!detail.contains(u"loss_hop"_s), qPrintable(summary));

    QVERIFY2(lab.removeDelay(element, &error), qPrintable(error));
    const QString elementSummary = QString::fromUtf8(element->readAllStandardOutput()).trimmed();
    qInfo("%s: delay element %s; %lld ms", QTest::currentDataTag(), qPrintable(elementSummary), elapsed.elapsed());
    QVERIFY2(elementSummary.contains(u" failed=0 "_s) && elementSummary.contains(u" queue_dropped=0 "_s),
        qPrintable(elementSummary));
}

QTEST_GUILESS_MAIN(TestAttribution)
#include "tst_attribution.moc"

#include "shared/testtypes/traceroute.h"
