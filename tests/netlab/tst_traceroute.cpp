// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
// Proves the traceroute probe against a known path (a chain of namespace routers) and against
// traceroute -n on the same path in the same run: the same hops, in no more time; route changes and
// loss attribution against changes the test makes itself.
#include <QCborArray>
#include <QCborMap>
#include <QDateTime>
#include <QElapsedTimer>
#include <QHostInfo>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

#include <fcntl.h>
#include <sched.h>
#include <unistd.h>

#include "agent/probes/tracerouteprobe.h"
#include "tests/netlab/lab.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm;
using namespace StreamSwarm::NetLab;

namespace {

constexpr int ROUND_WAIT_MS = 10000;

Protocol::TestSpec traceSpec(const QHostAddress &target, const QMap<QString, QString> &params)
{
    Protocol::TestSpec spec;
    spec.id = 7;
    spec.name = u"trace"_s;
    spec.type = u"traceroute"_s;
    spec.target = target.toString();
    spec.intervalMs = 5000;
    spec.params = params;
    return spec;
}

std::unique_ptr<Agent::TracerouteProbe> makeProbe(const Protocol::TestSpec &spec, QString *error)
{
    Validation::TracerouteParams params;
    if (!Validation::checkTestSpec(spec, error) || !Validation::parseTracerouteParams(spec, &params, error))
        return nullptr;
    return std::make_unique<Agent::TracerouteProbe>(spec, params);
}

QStringList hopAddresses(const QCborMap &detail)
{
    QStringList result;
    const QCborArray hops = detail.value(u"hops"_s).toArray();
    for (const QCborValue &hop : hops)
        result.append(hop.toMap().value(u"address"_s).toString());
    return result;
}

QStringList addressTexts(const QList<QHostAddress> &addresses)
{
    QStringList result;
    for (const QHostAddress &address : addresses)
        result.append(address.toString());
    return result;
}

QString describe(const Protocol::Round &round)
{
    return QCborValue(round.detail).toDiagnosticNotation() + u" error: "_s + round.error;
}

} // namespace

class TestTraceroute final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void matchesTracerouteInNoMoreTime_data();
    void matchesTracerouteInNoMoreTime();
    void runningStatisticsAcrossRounds();
    void routeChangeRaisesEvent();
    void lossIsAttributedPastRateLimitingHop();
    void loopbackIsOneHop();
    void noRouteIsAnErrorNotAHang();
    void silentPathEndsAtTheTimeout();

private:
    // Runs one round from inside namespace ns; the round, and its time in us through elapsedUs.
    std::optional<Protocol::Round> runRound(
        Agent::TracerouteProbe &probe, const QString &ns, qint64 *elapsedUs = nullptr);
};

void TestTraceroute::initTestCase()
{
    QString why;
    if (!Lab::available(&why))
        QSKIP(qPrintable(why));
    for (const QString &tool : {u"traceroute"_s, u"tc"_s}) {
        if (QStandardPaths::findExecutable(tool, {u"/usr/sbin"_s, u"/usr/bin"_s, u"/sbin"_s, u"/bin"_s}).isEmpty())
            QFAIL(qPrintable(u"%1 is not installed: run scripts/deps test."_s.arg(tool)));
    }
}

std::optional<Protocol::Round> TestTraceroute::runRound(
    Agent::TracerouteProbe &probe, const QString &ns, qint64 *elapsedUs)
{
    QSignalSpy finished(&probe, &Agent::Probe::roundFinished);
    QElapsedTimer timer;
    {
        InNamespace inside(ns);
        if (!inside.entered())
            return std::nullopt;
        timer.start();
        probe.startRound(QDateTime::currentMSecsSinceEpoch());
    }
    if (!finished.wait(ROUND_WAIT_MS) || finished.size() != 1)
        return std::nullopt;
    if (elapsedUs)
        *elapsedUs = timer.nsecsElapsed() / 1000;
    return finished.constFirst().constFirst().value<Protocol::Round>();
}

void TestTraceroute::matchesTracerouteInNoMoreTime_data()
{
    QTest::addColumn<bool>("v6");
    QTest::addColumn<QString>("protocol");
    QTest::addColumn<bool>("unprivilegedIcmp"); // datagram ICMP sockets allowed in the client namespace
    QTest::newRow("IPv4 ICMP, raw socket") << false << u"icmp"_s << false;
    QTest::newRow("IPv4 ICMP, datagram socket") << false << u"icmp"_s << true;
    QTest::newRow("IPv4 UDP") << false << u"udp"_s << false;
    QTest::newRow("IPv6 ICMP") << true << u"icmp"_s << true;
    QTest::newRow("IPv6 UDP") << true << u"udp"_s << false;
}

void TestTraceroute::matchesTracerouteInNoMoreTime()
{
    QFETCH(bool, v6);
    QFETCH(QString, protocol);
    QFETCH(bool, unprivilegedIcmp);
    const auto family = v6 ? QAbstractSocket::IPv6Protocol : QAbstractSocket::IPv4Protocol;
    Lab lab;
    QString error;
    const auto chain = lab.routerChain(4, &error);
    QVERIFY2(chain, qPrintable(error));
    const QHostAddress target = chain->serverAddress(family);
    const QStringList expected = addressTexts(chain->hops(family));
    QCOMPARE(expected.size(), 5);
    if (unprivilegedIcmp)
        QVERIFY2(
            lab.sysctl(chain->client, u"net.ipv4.ping_group_range"_s, u"0 2147483647"_s, &error), qPrintable(error));

    // traceroute's defaults (3 probes a hop, 16 at once), numeric, as our probe does it.
    QStringList arguments{u"-n"_s, u"-w"_s, u"2"_s, u"-m"_s, u"10"_s};
    if (v6)
        arguments.prepend(u"-6"_s);
    if (protocol == u"icmp")
        arguments.prepend(u"-I"_s);
    QElapsedTimer theirTimer;
    theirTimer.start();
    const CommandResult traceroute = lab.run(chain->client, u"traceroute"_s, arguments << target.toString(), 60000);
    const qint64 theirUs = theirTimer.nsecsElapsed() / 1000;
    QVERIFY2(traceroute.succeeded(), qPrintable(traceroute.err + traceroute.out));
    static const QRegularExpression hopLine(u"^\\s*(\\d+)\\s+(\\S+)"_s, QRegularExpression::MultilineOption);
    QStringList theirs;
    auto lines = hopLine.globalMatch(traceroute.out);
    while (lines.hasNext())
        theirs.append(lines.next().captured(2));
    QVERIFY2(theirs == expected, qPrintable(traceroute.out));

    const auto probe = makeProbe(
        traceSpec(target,
            {{u"protocol"_s, protocol}, {u"max-hops"_s, u"10"_s}, {u"timeout"_s, u"2s"_s}, {u"resolve"_s, u"off"_s}}),
        &error);
    QVERIFY2(probe, qPrintable(error));
    qint64 ourUs = 0;
    const auto round = runRound(*probe, lab.namespaceName(chain->client), &ourUs);
    QVERIFY2(round, "the round did not finish");
    QVERIFY2(round->error.isEmpty(), qPrintable(round->error));
    const QCborMap detail = round->detail.toMap();
    QCOMPARE(detail.value(u"kind"_s).toString(), u"traceroute"_s);
    // Stops at the destination: the server is the last hop, reached, and nothing is listed beyond it.
    QVERIFY2(hopAddresses(detail) == expected, qPrintable(hopAddresses(detail).join(u' ')));
    QVERIFY(detail.value(u"reached"_s).toBool());
    QVERIFY(!detail.value(u"route_changed"_s).toBool());
    const QCborArray hops = detail.value(u"hops"_s).toArray();
    for (const QCborValue &hop : hops) {
        const QCborMap map = hop.toMap();
        QCOMPARE(map.value(u"sent"_s).toInteger(), 3);
        QCOMPARE(map.value(u"received"_s).toInteger(), 3);
        QVERIFY(map.value(u"best"_s).toDouble() > 0);
        QVERIFY(map.value(u"best"_s).toDouble() < 50);
    }
    // traceroute's time includes starting it (ip netns exec); ours is one round in this process.
    qInfo("%s: ours %lld us, traceroute -n %lld us, hops %s", QTest::currentDataTag(), ourUs, theirUs,
        qPrintable(hopAddresses(detail).join(u' ')));
    QVERIFY2(ourUs <= theirUs, qPrintable(u"ours %1 us, theirs %2 us"_s.arg(ourUs).arg(theirUs)));
}

void TestTraceroute::runningStatisticsAcrossRounds()
{
    Lab lab;
    QString error;
    const auto chain = lab.routerChain(2, &error);
    QVERIFY2(chain, qPrintable(error));
    const auto probe
        = makeProbe(traceSpec(chain->serverAddress(), {{u"probes"_s, u"2"_s}, {u"resolve"_s, u"off"_s}}), &error);
    QVERIFY2(probe, qPrintable(error));
    std::optional<Protocol::Round> round;
    for (int i = 0; i < 4; ++i) {
        round = runRound(*probe, lab.namespaceName(chain->client));
        QVERIFY2(round, "the round did not finish");
    }
    const QCborArray hops = round->detail.toMap().value(u"hops"_s).toArray();
    QCOMPARE(hops.size(), 3);
    for (const QCborValue &hop : hops) {
        const QCborMap map = hop.toMap();
        QCOMPARE(map.value(u"sent"_s).toInteger(), 8); // 2 probes in each of 4 rounds
        QCOMPARE(map.value(u"received"_s).toInteger(), 8);
        QCOMPARE(map.value(u"loss_pct"_s).toDouble(), 0.0);
        QVERIFY(map.value(u"best"_s).toDouble() <= map.value(u"avg"_s).toDouble());
        QVERIFY(map.value(u"avg"_s).toDouble() <= map.value(u"worst"_s).toDouble());
        QVERIFY(map.value(u"stddev"_s).toDouble() >= 0);
    }
    const auto value = [&round](const QString &name) {
        for (const auto &metric : std::as_const(round->values)) {
            if (metric.metric == name)
                return metric.value;
        }
        return -1.0;
    };
    QCOMPARE(value(u"traceroute.hops"_s), 3.0);
    QCOMPARE(value(u"traceroute.reached"_s), 1.0);
    QCOMPARE(value(u"traceroute.dest_loss_pct"_s), 0.0);
    QVERIFY(value(u"traceroute.dest_rtt_ms"_s) > 0);
    QCOMPARE(value(u"traceroute.route_changed"_s), 0.0);
}

void TestTraceroute::routeChangeRaisesEvent()
{
    Lab lab;
    QString error;
    const auto chain = lab.routerChain(4, &error);
    QVERIFY2(chain, qPrintable(error));
    const QString client = lab.namespaceName(chain->client);
    const auto probe = makeProbe(
        traceSpec(chain->serverAddress(), {{u"protocol"_s, u"udp"_s}, {u"probes"_s, u"1"_s}, {u"resolve"_s, u"off"_s}}),
        &error);
    QVERIFY2(probe, qPrintable(error));
    QSignalSpy events(probe.get(), &Agent::Probe::event);
    for (int i = 0; i < 2; ++i) {
        const auto round = runRound(*probe, client);
        QVERIFY2(round, "the round did not finish");
        QVERIFY(!round->detail.toMap().value(u"route_changed"_s).toBool());
    }
    QCOMPARE(events.size(), 0);
    const QStringList before = probe->lastPath();
    QCOMPARE(before, addressTexts(chain->hops()));

    // A shortcut from the client straight to r2, used both ways: the path loses r1.
    const auto shortcut = lab.connect(chain->client, chain->routers.at(1), u"10.77.9.0/30"_s, {}, &error);
    QVERIFY2(shortcut, qPrintable(error));
    const QString serverSubnet = u"%1/30"_s.arg(QHostAddress(chain->serverAddress().toIPv4Address() & ~3u).toString());
    QVERIFY2(lab.addRoute(chain->client, serverSubnet, shortcut->b.ipv4, &error), qPrintable(error));
    // The client now sends from its shortcut address: r3, r4 and the server route it back towards r2.
    for (int node = 2; node < chain->links.size(); ++node) {
        const Link &towardClient = chain->links.at(node);
        QVERIFY2(lab.addRoute(towardClient.b.ns, u"10.77.9.0/30"_s, towardClient.a.ipv4, &error), qPrintable(error));
    }
    QVERIFY2(lab.settle(&error), qPrintable(error));

    const auto changed = runRound(*probe, client);
    QVERIFY2(changed, "the round did not finish");
    const QCborMap detail = changed->detail.toMap();
    QVERIFY2(detail.value(u"route_changed"_s).toBool(), qPrintable(hopAddresses(detail).join(u' ')));
    QStringList after = addressTexts(chain->hops());
    after.removeFirst();
    after.first() = shortcut->b.ipv4.toString();
    QVERIFY2(hopAddresses(detail) == after, qPrintable(hopAddresses(detail).join(u' ')));
    QCOMPARE(events.size(), 1);
    const auto event = events.constFirst().constFirst().value<Protocol::Event>();
    QCOMPARE(event.kind, u"route-changed"_s);
    QCOMPARE(event.testId, 7);
    QVERIFY2(event.message.contains(before.join(u' ')) && event.message.contains(after.join(u' ')),
        qPrintable(event.message));
    qInfo("%s", qPrintable(event.message));

    // The same path again: no new event.
    const auto same = runRound(*probe, client);
    QVERIFY2(same, "the round did not finish");
    QVERIFY(!same->detail.toMap().value(u"route_changed"_s).toBool());
    QCOMPARE(events.size(), 1);
}

void TestTraceroute::lossIsAttributedPastRateLimitingHop()
{
    Lab lab;
    QString error;
    const auto chain = lab.routerChain(4, &error);
    QVERIFY2(chain, qPrintable(error));
    const QString client = lab.namespaceName(chain->client);
    const auto probe
        = makeProbe(traceSpec(chain->serverAddress(), {{u"resolve"_s, u"off"_s}, {u"timeout"_s, u"300ms"_s}}), &error);
    QVERIFY2(probe, qPrintable(error));
    QVERIFY2(runRound(*probe, client), "the first round did not finish"); // learns the path length

    // r1 rate-limits its ICMP errors (one per second after a burst of six); r3 passes on towards r4
    // about one probe in three (netem is not available: a token bucket of 1000 B/s holding about two
    // 52-byte probes, and room to queue one, against six probes per round for r4 and the server,
    // every 100 ms).
    QVERIFY2(lab.sysctl(chain->routers.at(0), u"net.ipv4.icmp_ratelimit"_s, u"1000"_s, &error), qPrintable(error));
    const Link &r3ToR4 = chain->links.at(3);
    const CommandResult tbf = lab.run(chain->routers.at(2), u"tc"_s,
        {u"qdisc"_s, u"replace"_s, u"dev"_s, r3ToR4.a.interface, u"root"_s, u"tbf"_s, u"rate"_s, u"8kbit"_s, u"burst"_s,
            u"110"_s, u"limit"_s, u"60"_s});
    QVERIFY2(tbf.succeeded(), qPrintable(tbf.err));

    std::optional<Protocol::Round> round;
    QElapsedTimer pace;
    for (int i = 0; i < 40; ++i) {
        pace.start();
        round = runRound(*probe, client);
        QVERIFY2(round, "the round did not finish");
        if (pace.elapsed() < 100)
            QTest::qWait(int(100 - pace.elapsed())); // pacing, so the token buckets refill as planned
    }
    const QCborMap detail = round->detail.toMap();
    const QCborArray hops = detail.value(u"hops"_s).toArray();
    QStringList losses;
    for (const QCborValue &hop : hops)
        losses.append(u"%1:%2%"_s.arg(hop.toMap().value(u"ttl"_s).toInteger())
                          .arg(hop.toMap().value(u"loss_pct"_s).toDouble(), 0, 'f', 1));
    const QString summary = losses.join(u' ') + u" detail "_s + describe(*round);
    qInfo("losses %s", qPrintable(losses.join(u' ')));
    QVERIFY2(hopAddresses(detail) == addressTexts(chain->hops()), qPrintable(summary));
    QVERIFY2(hops.at(0).toMap().value(u"loss_pct"_s).toDouble() > 20, qPrintable(summary));
    QCOMPARE(hops.at(1).toMap().value(u"loss_pct"_s).toDouble(), 0.0);
    QCOMPARE(hops.at(2).toMap().value(u"loss_pct"_s).toDouble(), 0.0);
    QVERIFY2(hops.at(3).toMap().value(u"loss_pct"_s).toDouble() > 20, qPrintable(summary));
    const QCborMap lossHop = detail.value(u"loss_hop"_s).toMap();
    QVERIFY2(lossHop.value(u"ttl"_s).toInteger() == 4, qPrintable(summary));
    QCOMPARE(lossHop.value(u"address"_s).toString(), chain->hops().at(3).toString());
    const QCborArray limited = detail.value(u"rate_limited"_s).toArray();
    QVERIFY2(limited.size() >= 1 && limited.at(0).toInteger() == 1, qPrintable(summary));
}

void TestTraceroute::loopbackIsOneHop()
{
    for (const QHostAddress &target :
        {QHostAddress(QHostAddress::LocalHost), QHostAddress(QHostAddress::LocalHostIPv6)}) {
        QString error;
        // Reverse DNS on (the default): the name comes in a later round, never holding one up.
        const auto probe = makeProbe(traceSpec(target, {{u"protocol"_s, u"udp"_s}}), &error);
        QVERIFY2(probe, qPrintable(error));
        const QString name = QHostInfo::fromName(target.toString()).hostName();
        QString seen;
        for (int i = 0; i < 50 && (seen.isEmpty() || seen == target.toString()) && name != target.toString(); ++i) {
            QSignalSpy finished(probe.get(), &Agent::Probe::roundFinished);
            QElapsedTimer timer;
            timer.start();
            probe->startRound(QDateTime::currentMSecsSinceEpoch());
            QVERIFY(finished.wait(ROUND_WAIT_MS));
            QVERIFY2(timer.elapsed() < 50, "a round on loopback waited");
            const auto round = finished.constFirst().constFirst().value<Protocol::Round>();
            QVERIFY2(round.error.isEmpty(), qPrintable(round.error));
            QCOMPARE(hopAddresses(round.detail.toMap()), QStringList{target.toString()});
            QVERIFY(round.detail.toMap().value(u"reached"_s).toBool());
            seen = round.detail.toMap().value(u"hops"_s).toArray().at(0).toMap().value(u"name"_s).toString();
            if (seen.isEmpty())
                QTest::qWait(20); // pacing: the lookup runs in Qt's resolver thread meanwhile
        }
        if (name != target.toString())
            QCOMPARE(seen, name);
        qInfo("%s resolves to \"%s\"", qPrintable(target.toString()), qPrintable(seen));
    }
}

void TestTraceroute::noRouteIsAnErrorNotAHang()
{
    Lab lab;
    QString error;
    const auto chain = lab.routerChain(1, &error);
    QVERIFY2(chain, qPrintable(error));
    // The lab's namespaces have routes to the chain's subnets only.
    const auto probe = makeProbe(traceSpec(QHostAddress(u"10.254.0.1"_s), {{u"resolve"_s, u"off"_s}}), &error);
    QVERIFY2(probe, qPrintable(error));
    QElapsedTimer timer;
    timer.start();
    const auto round = runRound(*probe, lab.namespaceName(chain->client));
    QVERIFY2(round, "the round did not finish");
    QVERIFY2(timer.elapsed() < 500, "the round waited although nothing was sent");
    QVERIFY2(round->error.contains(u"unreachable"_s), qPrintable(round->error));
}

void TestTraceroute::silentPathEndsAtTheTimeout()
{
    Lab lab;
    QString error;
    const auto chain = lab.routerChain(2, &error);
    QVERIFY2(chain, qPrintable(error));
    const auto probe = makeProbe(traceSpec(chain->serverAddress(),
                                     {{u"resolve"_s, u"off"_s}, {u"timeout"_s, u"200ms"_s}, {u"max-hops"_s, u"20"_s}}),
        &error);
    QVERIFY2(probe, qPrintable(error));
    QVERIFY2(runRound(*probe, lab.namespaceName(chain->client)), "the round did not finish");
    // Beyond r1 traffic vanishes: r1 still answers, nothing further does.
    QVERIFY2(lab.setLinkUp(chain->links.at(1), false, Cut::Silent, &error), qPrintable(error));
    QElapsedTimer timer;
    timer.start();
    const auto round = runRound(*probe, lab.namespaceName(chain->client));
    const qint64 elapsedMs = timer.elapsed();
    QVERIFY2(round, "the round did not finish");
    const QCborMap detail = round->detail.toMap();
    QVERIFY(!detail.value(u"reached"_s).toBool());
    QCOMPARE(hopAddresses(detail), QStringList{chain->hops().constFirst().toString()});
    // Waves: TTLs 1-3 (the last path's length), then 4-19, then 20: three timeouts at most.
    QVERIFY2(elapsedMs >= 200 && elapsedMs < 3 * 200 + 300, qPrintable(QString::number(elapsedMs)));
    qInfo("a silent path took %lld ms", elapsedMs);
}

QTEST_GUILESS_MAIN(TestTraceroute)
#include "tst_traceroute.moc"
