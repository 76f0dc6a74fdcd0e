// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
// Proves the traceroute probe against a known path (a chain of namespace routers) and against
// traceroute -n on the same path in the same run: the same hops, in no more time; route changes and
// loss attribution against changes the test makes itself.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <QCborArray>
#include <QCborMap>
#include <QDir>
#include <QElapsedTimer>
#include <QHostInfo>
#include <QSignalSpy>
#include <QTest>

#include <fcntl.h>
#include <sched.h>
#include <unistd.h>

#include "agent/probes/traceroute/tracerouteprobe.h"
#include "agent/probes/traceroute/traceroutetcpprober.h"
#include "shared/protocol/detailcodec.h"
#include "tests/netlab/lab.h"
#include "tests/netlab/peertools.h"
#include "tests/netlab/proberuns.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm;
using namespace StreamSwarm::NetLab;

namespace {

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
    return QCborValue(StreamSwarm::Protocol::encodeDetail(round.detail)).toDiagnosticNotation() + u" error: "_s
        + round.error;
}

// Open descriptors of this process; with socketsOnly, only sockets.
int openDescriptors(bool socketsOnly)
{
    int count = 0;
    const QStringList entries = QDir(u"/proc/self/fd"_s).entryList(QDir::NoDotAndDotDot | QDir::System);
    for (const QString &entry : entries) {
        if (!socketsOnly || QFile::symLinkTarget(u"/proc/self/fd/"_s + entry).contains(u"socket:["_s))
            ++count;
    }
    return count;
}

// A TCP port listening in a namespace, never accepting: the kernel completes handshakes on its own.
class Listener
{
public:
    Listener(const QString &ns, QAbstractSocket::NetworkLayerProtocol protocol, quint16 port)
    {
        InNamespace inside(ns);
        const bool v6 = protocol == QAbstractSocket::IPv6Protocol;
        m_fd = inside.entered() ? ::socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0) : -1;
        sockaddr_storage address{};
        socklen_t length = 0;
        if (v6) {
            auto *in6 = reinterpret_cast<sockaddr_in6 *>(&address);
            in6->sin6_family = AF_INET6;
            in6->sin6_port = htons(port);
            length = sizeof(sockaddr_in6);
        } else {
            auto *in4 = reinterpret_cast<sockaddr_in *>(&address);
            in4->sin_family = AF_INET;
            in4->sin_port = htons(port);
            length = sizeof(sockaddr_in);
        }
        if (m_fd >= 0
            && (::bind(m_fd, reinterpret_cast<const sockaddr *>(&address), length) != 0 || ::listen(m_fd, 256) != 0)) {
            ::close(m_fd);
            m_fd = -1;
        }
    }
    ~Listener()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    Q_DISABLE_COPY_MOVE(Listener)
    bool isListening() const { return m_fd >= 0; }

private:
    int m_fd = -1;
};

// The TCP connections in a namespace in one of these states (ss state names), one line each.
QStringList tcpSockets(const Lab &lab, const QString &ns, const QStringList &states)
{
    QStringList arguments{u"-Htan"_s};
    for (const QString &state : states)
        arguments << u"state"_s << state;
    const CommandResult ss = lab.run(ns, u"ss"_s, arguments, 10000);
    if (!ss.succeeded())
        return {u"ss failed: "_s + ss.err};
    return ss.out.split(u'\n', Qt::SkipEmptyParts);
}

QString timestampsText(const QCborMap &detail)
{
    return QCborValue(detail.value(u"timestamps"_s)).toDiagnosticNotation();
}

} // namespace

class TestTraceroute final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void matchesTracerouteInNoMoreTime_data();
    void matchesTracerouteInNoMoreTime();
    void tcpSynMatchesTraceroute_data();
    void tcpSynMatchesTraceroute();
    void tcpProbesBeyondTheSocketBound();
    void ecmpHopListsEveryRouter_data();
    void ecmpHopListsEveryRouter();
    void runningStatisticsAcrossRounds();
    void routeChangeRaisesEvent();
    void lossIsAttributedPastRateLimitingHop();
    void loopbackIsOneHop();
    void noRouteIsAnErrorNotAHang();
    void silentPathEndsAtTheTimeout();
};

void TestTraceroute::initTestCase()
{
    QString why;
    if (!Lab::available(&why))
        QSKIP(qPrintable(why));
    QVERIFY2(Lab::installed({u"traceroute"_s, u"tc"_s}, &why), qPrintable(why));
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
    QVERIFY2(tracerouteAddresses(traceroute.out) == expected, qPrintable(traceroute.out));

    const auto probe = makeTracerouteProbe(
        traceSpec(target,
            {{u"protocol"_s, protocol}, {u"max-hops"_s, u"10"_s}, {u"timeout"_s, u"2s"_s}, {u"resolve"_s, u"off"_s}}),
        &error);
    QVERIFY2(probe, qPrintable(error));
    qint64 ourNs = 0;
    const auto round = runRound(*probe, lab.namespaceName(chain->client), &ourNs);
    const qint64 ourUs = ourNs / 1000;
    QVERIFY2(round, "the round did not finish");
    QVERIFY2(round->error.isEmpty(), qPrintable(round->error));
    const QCborMap detail = StreamSwarm::Protocol::encodeDetail(round->detail);
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
    // Every answer was timed by the kernel at both ends: transmit stamps and receive stamps (veth makes
    // software stamps only). 5 hops, 3 probes each.
    const QCborMap timestamps = detail.value(u"timestamps"_s).toMap();
    QVERIFY2(timestamps.value(u"kernel"_s).toInteger() == 15 && timestamps.value(u"user"_s).toInteger() == 0
            && timestamps.value(u"source"_s).toString() == u"kernel"_s,
        qPrintable(timestampsText(detail)));
    QVERIFY(detail.value(u"clock"_s).toMap().contains(u"synchronised"_s));
    // traceroute's time includes starting it (ip netns exec); ours is one round in this process.
    qInfo("%s: ours %lld us, traceroute -n %lld us, hops %s", QTest::currentDataTag(), ourUs, theirUs,
        qPrintable(hopAddresses(detail).join(u' ')));
    QVERIFY2(ourUs <= theirUs, qPrintable(u"ours %1 us, theirs %2 us"_s.arg(ourUs).arg(theirUs)));
}

void TestTraceroute::tcpSynMatchesTraceroute_data()
{
    QTest::addColumn<bool>("v6");
    QTest::addColumn<bool>("listening");
    QTest::newRow("IPv4, open port (SYN-ACK)") << false << true;
    QTest::newRow("IPv4, closed port (RST)") << false << false;
    QTest::newRow("IPv6, open port (SYN-ACK)") << true << true;
    QTest::newRow("IPv6, closed port (RST)") << true << false;
}

void TestTraceroute::tcpSynMatchesTraceroute()
{
    QFETCH(bool, v6);
    QFETCH(bool, listening);
    constexpr quint16 PORT = 8080;
    const auto family = v6 ? QAbstractSocket::IPv6Protocol : QAbstractSocket::IPv4Protocol;
    Lab lab;
    QString error;
    const auto chain = lab.routerChain(4, &error);
    QVERIFY2(chain, qPrintable(error));
    const QHostAddress target = chain->serverAddress(family);
    const QStringList expected = addressTexts(chain->hops(family));
    std::optional<Listener> listener;
    if (listening) {
        listener.emplace(lab.namespaceName(chain->server), family, PORT);
        QVERIFY(listener->isListening());
    }

    // traceroute -T: raw SYNs (we are root), numeric, on the same path.
    QStringList arguments{u"-n"_s, u"-T"_s, u"-p"_s, QString::number(PORT), u"-w"_s, u"2"_s, u"-m"_s, u"10"_s};
    if (v6)
        arguments.prepend(u"-6"_s);
    const CommandResult traceroute = lab.run(chain->client, u"traceroute"_s, arguments << target.toString(), 60000);
    QVERIFY2(traceroute.succeeded(), qPrintable(traceroute.err + traceroute.out));
    QVERIFY2(tracerouteAddresses(traceroute.out) == expected, qPrintable(traceroute.out));
    QCOMPARE(tcpSockets(lab, chain->server, {u"connected"_s}), QStringList()); // traceroute -T left nothing

    const int descriptorsBefore = openDescriptors(false);
    const int socketsBefore = openDescriptors(true);
    {
        const auto probe
            = makeTracerouteProbe(traceSpec(target,
                                      {{u"protocol"_s, u"tcp"_s}, {u"port"_s, QString::number(PORT)},
                                          {u"max-hops"_s, u"10"_s}, {u"timeout"_s, u"2s"_s}, {u"resolve"_s, u"off"_s}}),
                &error);
        QVERIFY2(probe, qPrintable(error));
        qint64 ourNs = 0;
        const auto round = runRound(*probe, lab.namespaceName(chain->client), &ourNs);
        const qint64 ourUs = ourNs / 1000;
        QVERIFY2(round, "the round did not finish");
        QVERIFY2(round->error.isEmpty(), qPrintable(round->error));
        const QCborMap detail = StreamSwarm::Protocol::encodeDetail(round->detail);
        QVERIFY2(hopAddresses(detail) == expected, qPrintable(describe(*round)));
        QVERIFY(detail.value(u"reached"_s).toBool());
        QCOMPARE(detail.value(u"protocol"_s).toString(), u"tcp"_s);
        QCOMPARE(detail.value(u"port"_s).toInteger(), PORT);
        const QCborArray hops = detail.value(u"hops"_s).toArray();
        QStringList rtts;
        for (const QCborValue &hop : hops) {
            const QCborMap map = hop.toMap();
            QCOMPARE(map.value(u"sent"_s).toInteger(), 3);
            QCOMPARE(map.value(u"received"_s).toInteger(), 3);
            QVERIFY(map.value(u"best"_s).toDouble() > 0);
            QVERIFY(map.value(u"best"_s).toDouble() < 50);
            rtts.append(u"%1 ms"_s.arg(map.value(u"avg"_s).toDouble(), 0, 'f', 3));
        }
        // A SYN gets no kernel transmit stamp (the kernel stamps TCP data only), so a router's answer is
        // timed by our own clock at the send end. A completed handshake is timed by the kernel itself
        // (TCP_INFO's first RTT sample); a RST leaves no such figure.
        const QCborMap timestamps = detail.value(u"timestamps"_s).toMap();
        const int kernelTimed = listening ? 3 : 0;
        QVERIFY2(timestamps.value(u"user"_s).toInteger() == 15 - kernelTimed
                && timestamps.value(u"kernel"_s).toInteger() == kernelTimed
                && timestamps.value(u"source"_s).toString() == u"user"_s,
            qPrintable(timestampsText(detail)));
        qInfo("%s: ours %lld us, hops %s, avg %s, timestamps %s", QTest::currentDataTag(), ourUs,
            qPrintable(hopAddresses(detail).join(u' ')), qPrintable(rtts.join(u", ")),
            qPrintable(timestampsText(detail)));
        // Every probe's socket closed with its answer or with the round.
        QCOMPARE(openDescriptors(true), socketsBefore);
    }
    QCOMPARE(openDescriptors(false), descriptorsBefore);
    // Nothing left on either side: no connection in any state but listening or closed (the resets of
    // completed handshakes cross the lab within microseconds; bounded wait).
    QStringList left;
    for (int i = 0; i < 40; ++i) {
        left = tcpSockets(lab, chain->server, {u"connected"_s}) + tcpSockets(lab, chain->client, {u"connected"_s});
        if (left.isEmpty())
            break;
        QTest::qWait(50);
    }
    QVERIFY2(left.isEmpty(), qPrintable(left.join(u'\n')));
}

void TestTraceroute::tcpProbesBeyondTheSocketBound()
{
    // 16 TTLs x 5 probes in the first wave: more probes than sockets may be open at once.
    static_assert(16 * 5 > Agent::TracerouteTcpProber::MAX_OPEN_SOCKETS);
    Lab lab;
    QString error;
    const auto chain = lab.routerChain(4, &error);
    QVERIFY2(chain, qPrintable(error));
    const int socketsBefore = openDescriptors(true);
    const auto probe
        = makeTracerouteProbe(traceSpec(chain->serverAddress(),
                                  {{u"protocol"_s, u"tcp"_s}, {u"port"_s, u"9"_s}, {u"probes"_s, u"5"_s},
                                      {u"max-hops"_s, u"16"_s}, {u"timeout"_s, u"2s"_s}, {u"resolve"_s, u"off"_s}}),
            &error);
    QVERIFY2(probe, qPrintable(error));
    qint64 ourNs = 0;
    const auto round = runRound(*probe, lab.namespaceName(chain->client), &ourNs);
    const qint64 ourUs = ourNs / 1000;
    QVERIFY2(round, "the round did not finish");
    QVERIFY2(round->error.isEmpty(), qPrintable(round->error));
    const QCborMap detail = StreamSwarm::Protocol::encodeDetail(round->detail);
    QVERIFY2(hopAddresses(detail) == addressTexts(chain->hops()), qPrintable(describe(*round)));
    const QCborArray hops = detail.value(u"hops"_s).toArray();
    for (const QCborValue &hop : hops) {
        QCOMPARE(hop.toMap().value(u"sent"_s).toInteger(), 5);
        QCOMPARE(hop.toMap().value(u"received"_s).toInteger(), 5);
    }
    QVERIFY2(ourUs < 2'000'000, "queued probes waited for a timeout"); // every probe is answered at once
    QCOMPARE(openDescriptors(true), socketsBefore);
    qInfo("80 probes through at most %d sockets in %lld us", Agent::TracerouteTcpProber::MAX_OPEN_SOCKETS, ourUs);
}

void TestTraceroute::ecmpHopListsEveryRouter_data()
{
    QTest::addColumn<bool>("v6");
    QTest::newRow("IPv4") << false;
    QTest::newRow("IPv6") << true;
}

void TestTraceroute::ecmpHopListsEveryRouter()
{
    QFETCH(bool, v6);
    const auto family = v6 ? QAbstractSocket::IPv6Protocol : QAbstractSocket::IPv4Protocol;
    const QString ipFamily = v6 ? u"-6"_s : u"-4"_s;
    // client -> r1 -> {r2a, r2b} -> r3 -> server; r1 balances the server's subnet over r2a and r2b by
    // a hash of addresses and ports, so UDP probes to varying ports take both.
    Lab lab;
    QString error;
    const QStringList nodes{u"client"_s, u"r1"_s, u"r2a"_s, u"r2b"_s, u"r3"_s, u"server"_s};
    for (const QString &node : nodes)
        QVERIFY2(lab.addNamespace(node, &error), qPrintable(error));
    for (const QString &node : nodes.mid(1)) {
        const bool router = node != u"server";
        QVERIFY2((!router || lab.sysctl(node, u"net.ipv4.ip_forward"_s, u"1"_s, &error))
                && (!router || lab.sysctl(node, u"net.ipv6.conf.all.forwarding"_s, u"1"_s, &error))
                && lab.sysctl(node, u"net.ipv4.icmp_ratelimit"_s, u"0"_s, &error)
                && lab.sysctl(node, u"net.ipv6.icmp.ratelimit"_s, u"0"_s, &error)
                && lab.sysctl(node, u"net.ipv4.conf.all.rp_filter"_s, u"0"_s, &error)
                && lab.sysctl(node, u"net.ipv4.conf.default.rp_filter"_s, u"0"_s, &error),
            qPrintable(error));
    }
    QVERIFY2(lab.sysctl(u"r1"_s, u"net.ipv4.fib_multipath_hash_policy"_s, u"1"_s, &error)
            && lab.sysctl(u"r1"_s, u"net.ipv6.fib_multipath_hash_policy"_s, u"1"_s, &error),
        qPrintable(error));
    const auto subnet = [v6](int link) {
        return v6 ? u"fd00:88:%1::/64"_s.arg(link) : u"10.88.%1.0/30"_s.arg(link);
    };
    const QList<std::pair<QString, QString>> pairs{{u"client"_s, u"r1"_s}, {u"r1"_s, u"r2a"_s}, {u"r1"_s, u"r2b"_s},
        {u"r2a"_s, u"r3"_s}, {u"r2b"_s, u"r3"_s}, {u"r3"_s, u"server"_s}};
    QList<Link> links;
    for (int i = 0; i < pairs.size(); ++i) {
        const auto link = lab.connect(
            pairs.at(i).first, pairs.at(i).second, u"10.88.%1.0/30"_s.arg(i), u"fd00:88:%1::/64"_s.arg(i), &error);
        QVERIFY2(link, qPrintable(error));
        links.append(*link);
    }
    const auto end = [&links, family](int link, char side) {
        return side == 'a' ? links.at(link).a.address(family) : links.at(link).b.address(family);
    };
    const auto route = [&lab, &error](const QString &ns, const QString &destination, const QHostAddress &via) {
        return lab.addRoute(ns, destination, via, &error);
    };
    QVERIFY2(route(u"client"_s, u"default"_s, end(0, 'b')) && route(u"r1"_s, subnet(3), end(1, 'b'))
            && route(u"r1"_s, subnet(4), end(2, 'b')) && route(u"r2a"_s, u"default"_s, end(3, 'b'))
            && route(u"r2a"_s, subnet(0), end(1, 'a')) && route(u"r2a"_s, subnet(2), end(1, 'a'))
            && route(u"r2b"_s, u"default"_s, end(4, 'b')) && route(u"r2b"_s, subnet(0), end(2, 'a'))
            && route(u"r2b"_s, subnet(1), end(2, 'a')) && route(u"r3"_s, u"default"_s, end(3, 'a'))
            && route(u"server"_s, u"default"_s, end(5, 'a')),
        qPrintable(error));
    const CommandResult multipath = lab.run(u"r1"_s, u"ip"_s,
        {ipFamily, u"route"_s, u"replace"_s, subnet(5), u"nexthop"_s, u"via"_s, end(1, 'b').toString(), u"dev"_s,
            links.at(1).a.interface, u"nexthop"_s, u"via"_s, end(2, 'b').toString(), u"dev"_s,
            links.at(2).a.interface});
    QVERIFY2(multipath.succeeded(), qPrintable(multipath.err));
    QVERIFY2(lab.settle(&error), qPrintable(error));

    // The truth: r1, then r2a and r2b (each on its link from r1), r3, the server. r3 answers IPv4 from
    // the address on its way back to the client (the link to r2a); IPv6 from the address the probe came
    // in on (Linux's icmp6_send picks the input interface's), so there it is balanced too.
    const QString r2a = end(1, 'b').toString();
    const QString r2b = end(2, 'b').toString();
    const QString r1 = end(0, 'b').toString();
    const QString r3a = end(3, 'b').toString();
    const QString r3b = end(4, 'b').toString();
    const QString server = end(5, 'b').toString();
    const QList<QStringList> truth{{r1}, {r2a, r2b}, v6 ? QStringList{r3a, r3b} : QStringList{r3a}, {server}};
    const auto probe
        = makeTracerouteProbe(traceSpec(QHostAddress(server),
                                  {{u"protocol"_s, u"udp"_s}, {u"probes"_s, u"5"_s}, {u"max-hops"_s, u"10"_s},
                                      {u"timeout"_s, u"1s"_s}, {u"resolve"_s, u"off"_s}}),
            &error);
    QVERIFY2(probe, qPrintable(error));
    QSignalSpy events(probe.get(), &Agent::Probe::event);
    const QString client = lab.namespaceName(u"client"_s);
    // Pacing: the kernel's ICMP error budget (net.ipv4.icmp_msgs_per_sec, 1000/s after a burst of 50)
    // is not switched off by icmp_ratelimit=0, and the first round makes the server answer 35 probes.
    const auto pacedRound = [&probe, &client]() {
        QTest::qWait(50);
        return runRound(*probe, client);
    };
    std::optional<Protocol::Round> round;
    for (int i = 0; i < 10; ++i) {
        round = pacedRound();
        QVERIFY2(round, "the round did not finish");
        QVERIFY2(round->error.isEmpty(), qPrintable(round->error));
        QVERIFY2(!StreamSwarm::Protocol::encodeDetail(round->detail).value(u"route_changed"_s).toBool(),
            qPrintable(describe(*round)));
    }
    QCOMPARE(events.size(), 0);
    const QCborArray hops = StreamSwarm::Protocol::encodeDetail(round->detail).value(u"hops"_s).toArray();
    QCOMPARE(hops.size(), 4);
    const auto members = [](const QCborMap &hop) {
        QMap<QString, qint64> received;
        const QCborArray addresses = hop.value(u"addresses"_s).toArray();
        for (const QCborValue &entry : addresses)
            received.insert(
                entry.toMap().value(u"address"_s).toString(), entry.toMap().value(u"received"_s).toInteger());
        return received;
    };
    QStringList seen;
    for (int i = 0; i < hops.size(); ++i) {
        const QCborMap hop = hops.at(i).toMap();
        const QMap<QString, qint64> received = members(hop);
        QStringList expected = truth.at(i);
        std::sort(expected.begin(), expected.end());
        QVERIFY2(received.keys() == expected, qPrintable(describe(*round))); // QMap keys come sorted
        qint64 total = 0;
        QStringList counts;
        for (auto it = received.cbegin(); it != received.cend(); ++it) {
            QVERIFY2(it.value() > 0, qPrintable(it.key()));
            total += it.value();
            counts.append(u"%1 x%2"_s.arg(it.key()).arg(it.value()));
        }
        QVERIFY2(total == 50, qPrintable(counts.join(u' '))); // 5 probes in each of 10 rounds, all answered
        QCOMPARE(hop.value(u"received"_s).toInteger(), 50);
        QVERIFY(expected.contains(hop.value(u"address"_s).toString()));
        seen.append(counts.join(u" + "_s));
    }
    qInfo("%s: 10 rounds, no route-changed event; hops %s", QTest::currentDataTag(), qPrintable(seen.join(u", "_s)));

    // A real change: r1 stops balancing and sends everything through r2b. Hop 2 still overlaps what it
    // was, so only r2a's silence, against its share, tells; bounded in rounds.
    const CommandResult single = lab.run(u"r1"_s, u"ip"_s,
        {ipFamily, u"route"_s, u"replace"_s, subnet(5), u"via"_s, r2b, u"dev"_s, links.at(2).a.interface});
    QVERIFY2(single.succeeded(), qPrintable(single.err));
    int rounds = 0;
    for (; rounds < 20 && events.isEmpty(); ++rounds) {
        round = pacedRound();
        QVERIFY2(round, "the round did not finish");
    }
    QCOMPARE(events.size(), 1);
    QVERIFY(StreamSwarm::Protocol::encodeDetail(round->detail).value(u"route_changed"_s).toBool());
    const auto event = events.constFirst().constFirst().value<Protocol::Event>();
    QCOMPARE(event.kind, u"route-changed"_s);
    const QString after = u"[%1 %2 %3 %4]"_s.arg(r1, r2b, v6 ? r3b : r3a, server);
    QVERIFY2(event.message.contains(r2a) && event.message.endsWith(u"to "_s + after + u'.'), qPrintable(event.message));
    qInfo(
        "%s: the change was reported after %d rounds: %s", QTest::currentDataTag(), rounds, qPrintable(event.message));
    for (int i = 0; i < 3; ++i) {
        round = pacedRound();
        QVERIFY2(round, "the round did not finish");
        QVERIFY(!StreamSwarm::Protocol::encodeDetail(round->detail).value(u"route_changed"_s).toBool());
    }
    QCOMPARE(events.size(), 1);
    const QCborArray changed = StreamSwarm::Protocol::encodeDetail(round->detail).value(u"hops"_s).toArray();
    QCOMPARE(members(changed.at(1).toMap()).keys(), QStringList{r2b});
    QCOMPARE(members(changed.at(2).toMap()).keys(), QStringList{v6 ? r3b : r3a});

    // Another: everything through r2a instead. On IPv4 only hop 2 differs, between the same r1 and r3,
    // which could be a balanced hop's other branch; it is reported once r2b has stayed silent long
    // enough. On IPv6 r3 answers from another address too, so it shows at once.
    const CommandResult other = lab.run(u"r1"_s, u"ip"_s,
        {ipFamily, u"route"_s, u"replace"_s, subnet(5), u"via"_s, r2a, u"dev"_s, links.at(1).a.interface});
    QVERIFY2(other.succeeded(), qPrintable(other.err));
    rounds = 0;
    for (; rounds < 20 && events.size() < 2; ++rounds) {
        round = pacedRound();
        QVERIFY2(round, "the round did not finish");
    }
    QCOMPARE(events.size(), 2);
    const auto second = events.at(1).constFirst().value<Protocol::Event>();
    const QString replaced = u"[%1 %2 %3 %4]"_s.arg(r1, r2a, r3a, server);
    QVERIFY2(second.message.endsWith(u"to "_s + replaced + u'.'), qPrintable(second.message));
    QVERIFY2(rounds <= 6, qPrintable(u"%1 rounds"_s.arg(rounds)));
    qInfo("%s: a replaced router was reported after %d rounds: %s", QTest::currentDataTag(), rounds,
        qPrintable(second.message));
}

void TestTraceroute::runningStatisticsAcrossRounds()
{
    Lab lab;
    QString error;
    const auto chain = lab.routerChain(2, &error);
    QVERIFY2(chain, qPrintable(error));
    const auto probe = makeTracerouteProbe(
        traceSpec(chain->serverAddress(), {{u"probes"_s, u"2"_s}, {u"resolve"_s, u"off"_s}}), &error);
    QVERIFY2(probe, qPrintable(error));
    std::optional<Protocol::Round> round;
    for (int i = 0; i < 4; ++i) {
        round = runRound(*probe, lab.namespaceName(chain->client));
        QVERIFY2(round, "the round did not finish");
    }
    const QCborArray hops = StreamSwarm::Protocol::encodeDetail(round->detail).value(u"hops"_s).toArray();
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
    const auto probe = makeTracerouteProbe(
        traceSpec(chain->serverAddress(), {{u"protocol"_s, u"udp"_s}, {u"probes"_s, u"1"_s}, {u"resolve"_s, u"off"_s}}),
        &error);
    QVERIFY2(probe, qPrintable(error));
    QSignalSpy events(probe.get(), &Agent::Probe::event);
    for (int i = 0; i < 2; ++i) {
        const auto round = runRound(*probe, client);
        QVERIFY2(round, "the round did not finish");
        QVERIFY(!StreamSwarm::Protocol::encodeDetail(round->detail).value(u"route_changed"_s).toBool());
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
    const QCborMap detail = StreamSwarm::Protocol::encodeDetail(changed->detail);
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
    QVERIFY(!StreamSwarm::Protocol::encodeDetail(same->detail).value(u"route_changed"_s).toBool());
    QCOMPARE(events.size(), 1);
}

void TestTraceroute::lossIsAttributedPastRateLimitingHop()
{
    Lab lab;
    QString error;
    const auto chain = lab.routerChain(4, &error);
    QVERIFY2(chain, qPrintable(error));
    const QString client = lab.namespaceName(chain->client);
    const auto probe = makeTracerouteProbe(
        traceSpec(chain->serverAddress(), {{u"resolve"_s, u"off"_s}, {u"timeout"_s, u"300ms"_s}}), &error);
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
    const QCborMap detail = StreamSwarm::Protocol::encodeDetail(round->detail);
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
        const auto probe = makeTracerouteProbe(traceSpec(target, {{u"protocol"_s, u"udp"_s}}), &error);
        QVERIFY2(probe, qPrintable(error));
        const QString name = QHostInfo::fromName(target.toString()).hostName();
        QString seen;
        for (int i = 0; i < 50 && (seen.isEmpty() || seen == target.toString()) && name != target.toString(); ++i) {
            qint64 elapsedNs = 0;
            const auto round = runRound(*probe, {}, &elapsedNs);
            QVERIFY2(round, "the round did not finish");
            QVERIFY2(elapsedNs < 50'000'000, "a round on loopback waited");
            QVERIFY2(round->error.isEmpty(), qPrintable(round->error));
            const QCborMap detail = StreamSwarm::Protocol::encodeDetail(round->detail);
            QCOMPARE(hopAddresses(detail), QStringList{target.toString()});
            QVERIFY(detail.value(u"reached"_s).toBool());
            seen = detail.value(u"hops"_s).toArray().at(0).toMap().value(u"name"_s).toString();
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
    const auto probe
        = makeTracerouteProbe(traceSpec(QHostAddress(u"10.254.0.1"_s), {{u"resolve"_s, u"off"_s}}), &error);
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
    const auto probe
        = makeTracerouteProbe(traceSpec(chain->serverAddress(),
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
    const QCborMap detail = StreamSwarm::Protocol::encodeDetail(round->detail);
    QVERIFY(!detail.value(u"reached"_s).toBool());
    QCOMPARE(hopAddresses(detail), QStringList{chain->hops().constFirst().toString()});
    // Waves: TTLs 1-3 (the last path's length), then 4-19, then 20: three timeouts at most.
    QVERIFY2(elapsedMs >= 200 && elapsedMs < 3 * 200 + 300, qPrintable(QString::number(elapsedMs)));
    qInfo("a silent path took %lld ms", elapsedMs);
}

QTEST_GUILESS_MAIN(TestTraceroute)
#include "tst_traceroute.moc"

#include "shared/testtypes/traceroute.h"
