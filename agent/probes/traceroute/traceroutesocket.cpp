// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "traceroutesocket.h"

#include <cerrno>
#include <cstring>
#include <ctime>
#include <iterator>

#include <linux/errqueue.h>
#include <linux/filter.h>
#include <linux/net_tstamp.h>
#include <net/if.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <netinet/ip_icmp.h>
#include <sys/socket.h>

#include <QPointer>
#include <QRandomGenerator>
#include <QSocketNotifier>
#include <QtEndian>

#include <unistd.h>

#include "agent/platform/packetio.h"
#include "agent/probes/socketsupport.h"
#include "agent/probes/timestamping.h"
#include "shared/util/logging.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Agent {

using namespace Sockets;

namespace {

constexpr int ICMP_HEADER_SIZE = 8;
constexpr int COOKIE_SIZE = 8;
constexpr int PAYLOAD_SIZE = COOKIE_SIZE + 2; // cookie, then the key again (big-endian)
constexpr int BUFFER_SIZE = 2048;
constexpr int MAX_READS_PER_WAKEUP = 64; // then yield to the event loop; the notifier fires again
constexpr int MAX_PENDING = 4096;

} // namespace

TracerouteSocket::TracerouteSocket(
    Mode mode, QAbstractSocket::NetworkLayerProtocol protocol, quint16 basePort, QObject *parent)
    : TracerouteProber(parent)
    , m_mode(mode)
    , m_protocol(
          protocol == QAbstractSocket::IPv6Protocol ? QAbstractSocket::IPv6Protocol : QAbstractSocket::IPv4Protocol)
    , m_basePort(basePort)
    , m_stampNumbers(MAX_PENDING)
{
    const quint64 cookie = QRandomGenerator::global()->generate64();
    std::memcpy(m_cookie, &cookie, sizeof(m_cookie));
    m_identifier = quint16(QRandomGenerator::global()->bounded(1, 0x10000));
    m_buffer.resize(BUFFER_SIZE);
}

TracerouteSocket::~TracerouteSocket()
{
    m_notifier.reset();
    if (m_fd >= 0)
        ::close(m_fd);
}

bool TracerouteSocket::open(QString *error)
{
    if (isOpen())
        return true;
    const bool v6 = m_protocol == QAbstractSocket::IPv6Protocol;
    const int family = v6 ? AF_INET6 : AF_INET;
    int code = 0;
    if (m_mode == Mode::Udp) {
        m_fd = ::socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_UDP);
        code = m_fd < 0 ? errno : 0;
    } else {
        const int protocol = v6 ? int(IPPROTO_ICMPV6) : int(IPPROTO_ICMP);
        m_fd = ::socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, protocol);
        if (m_fd < 0) {
            m_fd = ::socket(family, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, protocol);
            code = m_fd < 0 ? errno : 0;
            m_raw = m_fd >= 0;
        }
    }
    if (m_fd < 0) {
        if (error) {
            if (code == EPERM || code == EACCES) {
                *error = tr("ICMP traceroute needs permission to open ICMP sockets: run the agent as root, give it "
                            "CAP_NET_RAW, allow unprivileged ping with sysctl net.ipv4.ping_group_range, or use "
                            "protocol=udp.");
            } else {
                *error = tr("This host cannot open an %1 traceroute socket: %2.")
                             .arg(v6 ? u"IPv6"_s : u"IPv4"_s, qt_error_string(code));
            }
        }
        return false;
    }
    const int on = 1;
    // ICMP errors about our probes (time exceeded, unreachable) land in the error queue with the
    // offender's address: the one mechanism for datagram and raw sockets alike.
    if (v6)
        setsockopt(m_fd, IPPROTO_IPV6, IPV6_RECVERR, &on, sizeof(on));
    else
        setsockopt(m_fd, IPPROTO_IP, IP_RECVERR, &on, sizeof(on));
    // Kernel receive stamps keep our wake-up latency out of the RTT (error queue messages carry them
    // too), and transmit stamps, numbered per send, the cost of the send call itself.
    m_transmitStamps = Platform::enableTimestamping(m_fd, true);
    m_stampNumbers.restart();
    if (m_raw) {
        // A raw socket sees every ICMP message on the host: keep only echo replies to our identifier.
        if (v6) {
            icmp6_filter filter{};
            ICMP6_FILTER_SETBLOCKALL(&filter);
            ICMP6_FILTER_SETPASS(ICMP6_ECHO_REPLY, &filter);
            setsockopt(m_fd, IPPROTO_ICMPV6, ICMP6_FILTER, &filter, sizeof(filter));
            sock_filter code6[] = {
                BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 4),
                BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, m_identifier, 0, 1),
                BPF_STMT(BPF_RET | BPF_K, 0xffffffff),
                BPF_STMT(BPF_RET | BPF_K, 0),
            };
            const sock_fprog program{static_cast<unsigned short>(std::size(code6)), code6};
            setsockopt(m_fd, SOL_SOCKET, SO_ATTACH_FILTER, &program, sizeof(program));
        } else {
            sock_filter code4[] = {
                BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 0),
                BPF_STMT(BPF_LD | BPF_B | BPF_IND, 0),
                BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ICMP_ECHOREPLY, 0, 3),
                BPF_STMT(BPF_LD | BPF_H | BPF_IND, 4),
                BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, m_identifier, 0, 1),
                BPF_STMT(BPF_RET | BPF_K, 0xffffffff),
                BPF_STMT(BPF_RET | BPF_K, 0),
            };
            const sock_fprog program{static_cast<unsigned short>(std::size(code4)), code4};
            setsockopt(m_fd, SOL_SOCKET, SO_ATTACH_FILTER, &program, sizeof(program));
        }
    }
    m_notifier = std::make_unique<QSocketNotifier>(m_fd, QSocketNotifier::Read, this);
    connect(m_notifier.get(), &QSocketNotifier::activated, this, &TracerouteSocket::handleReadable);
    qCDebug(lcProbe) << "opened traceroute socket"
                     << (m_mode == Mode::Udp ? "udp"
                                : m_raw      ? "raw icmp"
                                             : "icmp")
                     << m_protocol;
    return true;
}

bool TracerouteSocket::sendProbe(const QHostAddress &target, int ttl, quint16 key, QString *error)
{
    const auto fail = [error](const QString &why) {
        if (error)
            *error = why;
        return false;
    };
    if (!isOpen())
        return fail(tr("The traceroute socket is not open."));
    const bool v6 = m_protocol == QAbstractSocket::IPv6Protocol;
    const quint16 port = m_mode == Mode::Udp ? quint16(m_basePort + key % KEY_SPACE) : 0;
    sockaddr_storage address{};
    socklen_t addressLength = 0;
    if (target.protocol() != m_protocol || !fillAddress(target, port, &address, &addressLength))
        return fail(tr("The address %1 does not match the socket's IP version.").arg(target.toString()));
    const int hops = std::clamp(ttl, 1, 255);
    const int set = v6 ? setsockopt(m_fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &hops, sizeof(hops))
                       : setsockopt(m_fd, IPPROTO_IP, IP_TTL, &hops, sizeof(hops));
    if (set != 0)
        return fail(tr("Cannot set the TTL: %1.").arg(qt_error_string(errno)));

    unsigned char packet[ICMP_HEADER_SIZE + PAYLOAD_SIZE] = {};
    unsigned char *payload = packet;
    int length = PAYLOAD_SIZE;
    if (m_mode == Mode::Icmp) {
        packet[0] = v6 ? ICMP6_ECHO_REQUEST : ICMP_ECHO;
        qToBigEndian<quint16>(m_raw ? m_identifier : 0, packet + 4);
        qToBigEndian<quint16>(key, packet + 6);
        payload = packet + ICMP_HEADER_SIZE;
        length += ICMP_HEADER_SIZE;
    }
    std::memcpy(payload, m_cookie, COOKIE_SIZE);
    qToBigEndian<quint16>(key, payload + COOKIE_SIZE);
    if (m_mode == Mode::Icmp && m_raw && !v6)
        qToBigEndian<quint16>(internetChecksum(packet, length), packet + 2);

    if (m_pending.size() >= MAX_PENDING)
        m_pending.clear();
    Pending pending;
    pending.sendMonoNs = nowNs(CLOCK_MONOTONIC);
    pending.sendRealNs = nowNs(CLOCK_REALTIME);
    if (const int code = Platform::sendPacket(
            m_fd, packet, size_t(length), reinterpret_cast<const sockaddr *>(&address), addressLength)) {
        return fail(Platform::sendFailureText(code));
    }
    m_target = target;
    m_pending.insert(key, pending);
    if (m_transmitStamps)
        m_stampNumbers.sent(key);
    return true;
}

void TracerouteSocket::forgetPending()
{
    m_pending.clear();
    m_stampNumbers.forget();
}

void TracerouteSocket::handleReadable()
{
    QPointer<TracerouteSocket> guard(this); // a receiver may delete us from probeAnswered()
    readErrorQueue();
    if (guard)
        readNormal();
}

void TracerouteSocket::readErrorQueue()
{
    QPointer<TracerouteSocket> guard(this);
    const bool v6 = m_protocol == QAbstractSocket::IPv6Protocol;
    Platform::QueuedError queued;
    for (int i = 0; i < MAX_READS_PER_WAKEUP && guard && isOpen()
         && Platform::receiveQueuedError(m_fd, m_buffer.data(), m_buffer.size(), &queued) == Platform::ReadStatus::Read;
         ++i) {
        if (queued.origin == Platform::QueuedError::Origin::Timestamping) {
            noteTransmitStamp(queued.sendNumber, queued.stamp);
            continue;
        }
        if (queued.origin != Platform::QueuedError::Origin::Icmp)
            continue;
        const int length = int(queued.length);
        quint16 key = 0;
        const auto *data = m_buffer.data();
        if (m_mode == Mode::Icmp) {
            // The quoted probe from its ICMP header on; routers quote at least these 8 bytes.
            if (length < ICMP_HEADER_SIZE)
                continue;
            if (m_raw && qFromBigEndian<quint16>(data + 4) != m_identifier)
                continue;
            key = qFromBigEndian<quint16>(data + 6);
            if (length >= ICMP_HEADER_SIZE + COOKIE_SIZE && std::memcmp(data + ICMP_HEADER_SIZE, m_cookie, COOKIE_SIZE))
                continue;
        } else {
            key = keyOfPort(portOf(queued.original));
            if (length >= COOKIE_SIZE && std::memcmp(data, m_cookie, COOKIE_SIZE) != 0)
                continue;
        }
        Answer answer = Answer::Unreachable;
        if (v6) {
            if (queued.icmpType == ICMP6_TIME_EXCEEDED)
                answer = Answer::TimeExceeded;
            else if (queued.icmpType == ICMP6_DST_UNREACH && queued.icmpCode == ICMP6_DST_UNREACH_NOPORT
                && m_mode == Mode::Udp)
                answer = Answer::Reached;
            else if (queued.icmpType != ICMP6_DST_UNREACH)
                continue; // packet too big, parameter problem: not an answer to the probe
        } else {
            if (queued.icmpType == ICMP_TIME_EXCEEDED)
                answer = Answer::TimeExceeded;
            else if (queued.icmpType == ICMP_DEST_UNREACH && queued.icmpCode == ICMP_PORT_UNREACH
                && m_mode == Mode::Udp)
                answer = Answer::Reached;
            else if (queued.icmpType != ICMP_DEST_UNREACH)
                continue;
        }
        report(key, queued.reporter, answer, queued.stamp, queued.readRealNs, queued.readMonoNs);
    }
}

void TracerouteSocket::readNormal()
{
    QPointer<TracerouteSocket> guard(this);
    const bool v6 = m_protocol == QAbstractSocket::IPv6Protocol;
    for (int i = 0; i < MAX_READS_PER_WAKEUP && guard && isOpen(); ++i) {
        Platform::ReceivedPacket packet;
        const Platform::ReadStatus status = Platform::receivePacket(m_fd, m_buffer.data(), m_buffer.size(), &packet);
        if (status == Platform::ReadStatus::Drained)
            return;
        // A pending ICMP error is reported once here too (sk_err); the error queue has it already.
        if (status == Platform::ReadStatus::Failed)
            continue;
        int length = int(packet.length);
        const unsigned char *data = m_buffer.data();
        const QHostAddress source = packet.source();
        if (m_mode == Mode::Udp) {
            // A service answered at the destination port: the destination is reached.
            if (source.isEqual(m_target, QHostAddress::ConvertV4MappedToIPv4))
                report(keyOfPort(portOf(packet.from)), source, Answer::Reached, packet.stamp, packet.readRealNs,
                    packet.readMonoNs);
            continue;
        }
        if (!v6 && m_raw) {
            const int headerLength = length >= 20 ? (data[0] & 0x0f) * 4 : 0;
            if (headerLength < 20 || length < headerLength + ICMP_HEADER_SIZE)
                continue;
            data += headerLength;
            length -= headerLength;
        }
        if (length < ICMP_HEADER_SIZE + COOKIE_SIZE || data[0] != (v6 ? ICMP6_ECHO_REPLY : ICMP_ECHOREPLY)
            || std::memcmp(data + ICMP_HEADER_SIZE, m_cookie, COOKIE_SIZE) != 0) {
            continue;
        }
        if (m_raw && qFromBigEndian<quint16>(data + 4) != m_identifier)
            continue;
        report(qFromBigEndian<quint16>(data + 6), source, Answer::Reached, packet.stamp, packet.readRealNs,
            packet.readMonoNs);
    }
}

void TracerouteSocket::noteTransmitStamp(quint32 stampKey, const PacketStamp &stamp)
{
    const std::optional<quint16> key = m_stampNumbers.find(stampKey);
    if (!key)
        return;
    // The software and the NIC's stamp of one send may come in one message or in two.
    const auto it = m_pending.find(*key);
    if (it == m_pending.end())
        return;
    if (stamp.softwareNs != 0)
        it->kernelSendRealNs = stamp.softwareNs;
    if (stamp.hardwareNs != 0)
        it->hardwareSendNs = stamp.hardwareNs;
}

void TracerouteSocket::report(quint16 key, const QHostAddress &from, Answer answer, const PacketStamp &stamp,
    qint64 readRealNs, qint64 readMonoNs)
{
    const auto it = m_pending.constFind(key);
    if (it == m_pending.constEnd())
        return; // late (an earlier round) or a duplicate
    EchoTimestamps stamps;
    stamps.sendRealNs = it->sendRealNs;
    stamps.sendMonoNs = it->sendMonoNs;
    stamps.kernelSendRealNs = it->kernelSendRealNs;
    stamps.hardwareSendNs = it->hardwareSendNs;
    stamps.kernelRealNs = stamp.softwareNs;
    stamps.hardwareReceiveNs = stamp.hardwareNs;
    stamps.readRealNs = readRealNs;
    stamps.readMonoNs = readMonoNs;
    m_pending.erase(it);
    const RttSample rtt = selectRtt(stamps);
    Q_EMIT probeAnswered(key, from, answer, rtt.ns, rtt.source);
}

} // namespace StreamSwarm::Agent
