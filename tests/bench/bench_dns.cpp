// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
//
// The dns probe's lookup time beside dig's in the same run, against the suite's DNS server on
// loopback with a programmed 20 ms delay: rounds of ours and runs of `dig -u` (its "Query time" in
// microseconds) taken in turn, their medians and the difference (target: within 0.5 ms). dig 9.18
// starts its clock before it connects its UDP socket and hands the query to a network thread, so
// its figure carries that setup too (strace: connect() and sendmmsg() 0.3 to 4 ms apart on a busy
// machine); the kernel's own stamps of each exchange on lo (an AF_PACKET socket, as tcpdump would
// see them) are printed beside both as the wire truth. Prints key=value lines, then ratio=.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>

#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <QCoreApplication>
#include <QDateTime>
#include <QEventLoop>
#include <QProcess>
#include <QRegularExpression>
#include <QTimer>

#include <unistd.h>

#include "agent/probes/dns/dnsprobe.h"
#include "shared/protocol/validation.h"
#include "shared/testtypes/dns.h"
#include "tests/bench/benchfigures.h"
#include "tests/netlab/testdnsserver.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm::Bench;
using namespace StreamSwarm;
using namespace StreamSwarm::Agent;

namespace {

constexpr int ROUNDS = 15;
constexpr int WARMUP = 2;
constexpr double DELAY_MS = 20;
constexpr double TARGET_MS = 0.5;
constexpr int WAIT_MS = 5000;

int fail(const QString &why)
{
    std::fprintf(stderr, "bench_dns: %s\n", qPrintable(why));
    return 1;
}

// The kernel's stamps of the UDP datagrams on lo to and from one port: query to answer per exchange,
// the exchange keyed by the client's port and the DNS ID. Needs root (AF_PACKET).
class WireClock
{
public:
    explicit WireClock(quint16 serverPort)
        : m_port(serverPort)
    {
        m_fd = ::socket(AF_PACKET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, htons(ETH_P_IP));
        if (m_fd < 0)
            return;
        sockaddr_ll address{};
        address.sll_family = AF_PACKET;
        address.sll_protocol = htons(ETH_P_IP);
        address.sll_ifindex = int(if_nametoindex("lo"));
        const int on = 1;
        if (::bind(m_fd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0
            || ::setsockopt(m_fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof on) != 0) {
            ::close(m_fd);
            m_fd = -1;
        }
    }
    ~WireClock()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    WireClock(const WireClock &) = delete;
    WireClock &operator=(const WireClock &) = delete;

    bool isOpen() const { return m_fd >= 0; }

    // The exchanges seen since the last call, in ms (query on the wire to answer on the wire).
    QList<double> takeExchangesMs()
    {
        QHash<quint32, qint64> queries; // (client port << 16 | ID) -> ns
        QList<double> exchanges;
        unsigned char packet[2048];
        char control[256];
        for (;;) {
            iovec vector{packet, sizeof packet};
            sockaddr_ll from{};
            msghdr message{};
            message.msg_name = &from;
            message.msg_namelen = sizeof from;
            message.msg_iov = &vector;
            message.msg_iovlen = 1;
            message.msg_control = control;
            message.msg_controllen = sizeof control;
            const ssize_t length = ::recvmsg(m_fd, &message, 0);
            if (length <= 0)
                break;
            if (from.sll_pkttype == PACKET_OUTGOING) // a socket of ETH_P_ALL would see each datagram twice on lo
                continue;
            qint64 ns = 0;
            for (cmsghdr *c = CMSG_FIRSTHDR(&message); c; c = CMSG_NXTHDR(&message, c)) {
                if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
                    timespec stamp{};
                    std::memcpy(&stamp, CMSG_DATA(c), sizeof stamp);
                    ns = qint64(stamp.tv_sec) * 1'000'000'000 + stamp.tv_nsec;
                }
            }
            const int headerLength = (packet[0] & 0x0f) * 4;
            if (ns == 0 || packet[9] != IPPROTO_UDP || length < headerLength + 8 + 2)
                continue;
            const unsigned char *udp = packet + headerLength;
            const auto source = quint16((udp[0] << 8) | udp[1]);
            const auto destination = quint16((udp[2] << 8) | udp[3]);
            const auto id = quint16((udp[8] << 8) | udp[9]);
            if (destination == m_port) {
                queries.insert((quint32(source) << 16) | id, ns);
            } else if (source == m_port) {
                const auto query = queries.constFind((quint32(destination) << 16) | id);
                if (query != queries.constEnd())
                    exchanges.append(double(ns - *query) / 1e6);
            }
        }
        return exchanges;
    }

private:
    quint16 m_port;
    int m_fd = -1;
};

// One round of the probe: its dns.lookup_ms, or -1 with the round's error.
double probeLookupMs(DnsProbe &probe, QString *error)
{
    double lookupMs = -1;
    QEventLoop loop;
    QObject context;
    QObject::connect(&probe, &Probe::roundFinished, &context, [&](const Protocol::Round &round) {
        *error = round.error;
        for (const Protocol::MetricValue &value : round.values) {
            if (value.metric == QStringView(Metric::DnsLookup))
                lookupMs = value.value;
        }
        loop.quit();
    });
    QTimer::singleShot(WAIT_MS, &context, [&] {
        *error = u"no round within 5 s"_s;
        loop.quit();
    });
    probe.startRound(QDateTime::currentMSecsSinceEpoch());
    loop.exec();
    return error->isEmpty() ? lookupMs : -1;
}

// One run of dig: its "Query time" in ms (from -u's microseconds), or -1.
double digQueryMs(const NetLab::TestDnsServer &server, QString *error)
{
    QProcess dig;
    dig.start(u"dig"_s,
        {u"-u"_s, u"@127.0.0.1"_s, u"-p"_s, QString::number(server.port()), u"www.example.com"_s, u"A"_s, u"+tries=1"_s,
            u"+time=2"_s});
    if (!dig.waitForFinished(WAIT_MS)) {
        *error = u"dig did not finish"_s;
        return -1;
    }
    static const QRegularExpression queryTime(u";; Query time: (\\d+) usec"_s);
    const auto match = queryTime.match(QString::fromUtf8(dig.readAllStandardOutput()));
    if (!match.hasMatch()) {
        *error = u"dig printed no query time in usec: "_s + QString::fromUtf8(dig.readAllStandardError());
        return -1;
    }
    return match.captured(1).toDouble() / 1000;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    NetLab::TestDnsServer server;
    QString error;
    if (!server.start({u"www.example.com A 300 192.0.2.1"_s}, {u"--delay"_s, u"20ms"_s}, &error))
        return fail(error);

    Protocol::TestSpec spec;
    spec.id = 1;
    spec.name = u"bench"_s;
    spec.type = u"dns"_s;
    spec.target = u"www.example.com"_s;
    spec.intervalMs = 5000;
    spec.params = {{u"server"_s, server.server()}, {u"timeout"_s, u"2s"_s}};
    Validation::DnsParams params;
    if (!Validation::checkTestSpec(spec, &error) || !Validation::parseDnsParams(spec, &params, &error))
        return fail(error);
    DnsProbe probe(spec, params);
    WireClock wire(server.port());

    QList<double> ours;
    QList<double> digs;
    QList<double> oursOnWire;
    QList<double> digsOnWire;
    // Taken in turn, so that both meet the same load on the machine.
    for (int i = 0; i < WARMUP + ROUNDS; ++i) {
        wire.takeExchangesMs();
        const double our = probeLookupMs(probe, &error);
        if (our < 0)
            return fail(u"probe: "_s + error);
        const QList<double> ourWire = wire.takeExchangesMs();
        const double theirs = digQueryMs(server, &error);
        if (theirs < 0)
            return fail(error);
        const QList<double> theirWire = wire.takeExchangesMs();
        if (i >= WARMUP) {
            ours.append(our);
            digs.append(theirs);
            if (ourWire.size() == 1 && theirWire.size() == 1) {
                oursOnWire.append(ourWire.first());
                digsOnWire.append(theirWire.first());
            }
        }
    }
    const double oursMedian = median(ours);
    const double digMedian = median(digs);
    std::printf("rounds=%d\nprogrammed_delay_ms=%.4f\n", ROUNDS, DELAY_MS);
    print("ours_median_ms", oursMedian);
    print("ours_min_ms", *std::min_element(ours.cbegin(), ours.cend()));
    print("ours_max_ms", *std::max_element(ours.cbegin(), ours.cend()));
    print("dig_median_ms", digMedian);
    print("dig_min_ms", *std::min_element(digs.cbegin(), digs.cend()));
    print("dig_max_ms", *std::max_element(digs.cbegin(), digs.cend()));
    print("difference_ms", oursMedian - digMedian);
    std::printf("dig_time=dig -u: its Query time in usec (its clock starts before it connects its socket)\n");
    if (wire.isOpen() && oursOnWire.size() == ROUNDS) {
        print("ours_wire_median_ms", median(oursOnWire));
        print("dig_wire_median_ms", median(digsOnWire));
        print("ours_minus_wire_median_ms", oursMedian - median(oursOnWire));
        print("dig_minus_wire_median_ms", digMedian - median(digsOnWire));
    } else {
        std::printf("wire=skipped (needs root for an AF_PACKET socket on lo)\n");
    }
    std::printf("within_target=%s\n", std::abs(oursMedian - digMedian) <= TARGET_MS ? "yes" : "no");
    print("ratio", oursMedian / digMedian);
    return 0;
}
