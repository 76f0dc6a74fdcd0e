// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "icmpchannel.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <iterator>

#include <linux/filter.h>
#include <net/if.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <netinet/ip_icmp.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <QPointer>
#include <QRandomGenerator>
#include <QSocketNotifier>
#include <QtEndian>

#include <unistd.h>

#include "agent/platform/packetio.h"
#include "agent/probes/ping/pingstatistics.h"
#include "agent/probes/socketsupport.h"
#include "shared/util/logging.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Agent {

using namespace Sockets;

namespace {

constexpr int ICMP_HEADER_SIZE = 8;
constexpr int MAX_IPV4_HEADER_SIZE = 60;
constexpr int COOKIE_SIZE = 8;
constexpr int MAX_READS_PER_WAKEUP = 256; // then yield to the event loop; the notifier fires again
constexpr int DEFAULT_PAYLOAD_SIZE = 56;
constexpr int RECEIVE_BUFFER_BYTES = 4 * 1024 * 1024;

bool isPermissionError(int error)
{
    return error == EPERM || error == EACCES;
}

bool attachFilter(int fd, sock_filter *code, unsigned short length)
{
    const sock_fprog program{length, code};
    return setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &program, sizeof(program)) == 0;
}

// A socket belongs to the network namespace it was opened in: channels are never shared across them.
quint64 currentNetworkNamespace()
{
    struct stat status
    { };
    return ::stat("/proc/thread-self/ns/net", &status) == 0 ? quint64(status.st_ino) : 0;
}

QString channelKey(QAbstractSocket::NetworkLayerProtocol protocol, const IcmpSocket::Options &options)
{
    return u"%1|%2|%3|%4|%5|%6"_s.arg(int(protocol))
        .arg(options.ttl)
        .arg(options.tos)
        .arg(options.source.toString(), options.interface)
        .arg(currentNetworkNamespace());
}

QHash<QString, std::weak_ptr<IcmpChannel>> &openChannels()
{
    static QHash<QString, std::weak_ptr<IcmpChannel>> channels; // main thread only
    return channels;
}

} // namespace

std::shared_ptr<IcmpChannel> IcmpChannel::acquire(
    QAbstractSocket::NetworkLayerProtocol protocol, const Options &options, QString *error)
{
    const QString key = channelKey(protocol, options);
    auto &channels = openChannels();
    if (auto open = channels.value(key).lock())
        return open;
    std::shared_ptr<IcmpChannel> channel(new IcmpChannel(protocol, options));
    if (!channel->open(error))
        return nullptr;
    // Closed channels leave expired entries; they go when the next channel opens.
    for (auto it = channels.begin(); it != channels.end();)
        it = it->expired() ? channels.erase(it) : std::next(it);
    channels.insert(key, channel);
    return channel;
}

IcmpChannel::IcmpChannel(QAbstractSocket::NetworkLayerProtocol protocol, const Options &options)
    : m_protocol(
        protocol == QAbstractSocket::IPv6Protocol ? QAbstractSocket::IPv6Protocol : QAbstractSocket::IPv4Protocol)
    , m_options(options)
    , m_stampNumbers(MAX_PENDING)
{
    const quint64 cookie = QRandomGenerator::global()->generate64();
    std::memcpy(m_cookie, &cookie, sizeof(m_cookie));
    m_identifier = quint16(QRandomGenerator::global()->bounded(1, 0x10000));
    m_nextSequence = quint16(QRandomGenerator::global()->bounded(0x10000));
    m_receiveBuffer.resize(MAX_IPV4_HEADER_SIZE + ICMP_HEADER_SIZE + DEFAULT_PAYLOAD_SIZE);
}

IcmpChannel::~IcmpChannel()
{
    m_notifier.reset();
    if (m_fd >= 0)
        ::close(m_fd);
}

bool IcmpChannel::open(QString *error)
{
    const int datagramError = openSocket(SOCK_DGRAM);
    if (datagramError == 0) {
        m_kind = Kind::Datagram;
    } else {
        const int rawError = openSocket(SOCK_RAW);
        if (rawError != 0) {
            if (error) {
                if (isPermissionError(rawError)) {
                    *error = IcmpSocket::permissionError();
                } else {
                    *error = IcmpSocket::tr("This host cannot open an %1 ICMP socket: %2.")
                                 .arg(m_protocol == QAbstractSocket::IPv6Protocol ? u"IPv6"_s : u"IPv4"_s,
                                     qt_error_string(rawError));
                }
            }
            return false;
        }
        m_kind = Kind::Raw;
    }
    if (!applyOptions(error))
        return false; // the destructor closes it
    configureSocket();
    m_notifier = std::make_unique<QSocketNotifier>(m_fd, QSocketNotifier::Read, this);
    connect(m_notifier.get(), &QSocketNotifier::activated, this, &IcmpChannel::handleReadable);
    qCDebug(lcProbe) << "opened a shared" << m_kind << "ICMP socket for" << m_protocol;
    return true;
}

// Returns 0 on success, else the errno of socket().
int IcmpChannel::openSocket(int type)
{
    const bool v6 = m_protocol == QAbstractSocket::IPv6Protocol;
    m_fd = ::socket(
        v6 ? AF_INET6 : AF_INET, type | SOCK_NONBLOCK | SOCK_CLOEXEC, v6 ? int(IPPROTO_ICMPV6) : int(IPPROTO_ICMP));
    return m_fd >= 0 ? 0 : errno;
}

bool IcmpChannel::applyOptions(QString *error)
{
    const bool v6 = m_protocol == QAbstractSocket::IPv6Protocol;
    const auto fail = [error](const QString &why) {
        if (error)
            *error = why;
        return false;
    };
    if (!m_options.interface.isEmpty()) {
        const QByteArray name = m_options.interface.toLocal8Bit();
        if (setsockopt(m_fd, SOL_SOCKET, SO_BINDTODEVICE, name.constData(), socklen_t(name.size())) != 0) {
            const int code = errno;
            if (code == ENODEV)
                return fail(IcmpSocket::tr("This host has no network interface named %1.").arg(m_options.interface));
            if (isPermissionError(code))
                return fail(IcmpSocket::tr("Sending through a chosen interface needs CAP_NET_RAW or root."));
            return fail(IcmpSocket::tr("Cannot send through the interface %1: %2.")
                            .arg(m_options.interface, qt_error_string(code)));
        }
    }
    if (!m_options.source.isNull()) {
        if (m_options.source.protocol() != m_protocol) {
            return fail(IcmpSocket::tr("The source address %1 and the target are of different IP versions.")
                            .arg(m_options.source.toString()));
        }
        sockaddr_storage address{};
        socklen_t length = 0;
        fillAddress(m_options.source, 0, &address, &length);
        if (::bind(m_fd, reinterpret_cast<const sockaddr *>(&address), length) != 0) {
            const int code = errno;
            if (code == EADDRNOTAVAIL)
                return fail(IcmpSocket::tr("The source address %1 is not an address of this host.")
                                .arg(m_options.source.toString()));
            return fail(
                IcmpSocket::tr("Cannot send from %1: %2.").arg(m_options.source.toString(), qt_error_string(code)));
        }
    }
    if (m_options.ttl > 0) {
        const int ttl = m_options.ttl;
        const int result = v6 ? setsockopt(m_fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &ttl, sizeof(ttl))
                              : setsockopt(m_fd, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl));
        if (result != 0)
            return fail(IcmpSocket::tr("Cannot set the TTL to %1: %2.").arg(ttl).arg(qt_error_string(errno)));
    }
    if (m_options.tos >= 0) {
        const int tos = m_options.tos;
        const int result = v6 ? setsockopt(m_fd, IPPROTO_IPV6, IPV6_TCLASS, &tos, sizeof(tos))
                              : setsockopt(m_fd, IPPROTO_IP, IP_TOS, &tos, sizeof(tos));
        if (result != 0)
            return fail(IcmpSocket::tr("Cannot mark the echoes with TOS %1: %2.").arg(tos).arg(qt_error_string(errno)));
    }
    return true;
}

void IcmpChannel::configureSocket()
{
    const int on = 1;
    // Every probe's replies queue here, and probes started on the same second send together: room
    // for a burst of a thousand replies while the main thread is busy (the default holds ~160).
    // FORCE passes net.core.rmem_max where the agent may (root, CAP_NET_ADMIN).
    const int receiveBytes = RECEIVE_BUFFER_BYTES;
    if (setsockopt(m_fd, SOL_SOCKET, SO_RCVBUFFORCE, &receiveBytes, sizeof(receiveBytes)) != 0)
        setsockopt(m_fd, SOL_SOCKET, SO_RCVBUF, &receiveBytes, sizeof(receiveBytes));
    // ICMP errors about our echoes come on the error queue with the reporting router's address.
    if (m_protocol == QAbstractSocket::IPv6Protocol)
        setsockopt(m_fd, IPPROTO_IPV6, IPV6_RECVERR, &on, sizeof(on));
    else
        setsockopt(m_fd, IPPROTO_IP, IP_RECVERR, &on, sizeof(on));
    // Kernel receive stamps (CLOCK_REALTIME) keep our own wake-up latency out of the RTT, and kernel
    // transmit stamps, numbered per send (OPT_ID), the syscall's own cost: on an idle loopback that is
    // most of a 40 us round trip. The NIC's own stamps come too where it makes them.
    m_transmitStamps = Platform::enableTimestamping(m_fd, true);
    if (!m_transmitStamps)
        qCDebug(lcProbe) << "no kernel transmit timestamps:" << qt_error_string(errno);
    m_stampNumbers.restart();
    if (m_protocol == QAbstractSocket::IPv6Protocol) {
        setsockopt(m_fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, &on, sizeof(on));
        if (m_kind == Kind::Raw) {
            icmp6_filter filter{};
            ICMP6_FILTER_SETBLOCKALL(&filter);
            ICMP6_FILTER_SETPASS(ICMP6_ECHO_REPLY, &filter);
            setsockopt(m_fd, IPPROTO_ICMPV6, ICMP6_FILTER, &filter, sizeof(filter));
            // A raw socket sees every echo reply on the host: let the kernel drop other pingers' ones.
            sock_filter code[] = {
                BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 4), // echo id
                BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, m_identifier, 0, 1),
                BPF_STMT(BPF_RET | BPF_K, 0xffffffff),
                BPF_STMT(BPF_RET | BPF_K, 0),
            };
            attachFilter(m_fd, code, static_cast<unsigned short>(std::size(code)));
        }
    } else {
        setsockopt(m_fd, IPPROTO_IP, IP_RECVTTL, &on, sizeof(on));
        if (m_kind == Kind::Raw) {
            sock_filter code[] = {
                BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 0), // X = IP header length
                BPF_STMT(BPF_LD | BPF_B | BPF_IND, 0), // ICMP type
                BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ICMP_ECHOREPLY, 0, 3),
                BPF_STMT(BPF_LD | BPF_H | BPF_IND, 4), // echo id
                BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, m_identifier, 0, 1),
                BPF_STMT(BPF_RET | BPF_K, 0xffffffff),
                BPF_STMT(BPF_RET | BPF_K, 0),
            };
            attachFilter(m_fd, code, static_cast<unsigned short>(std::size(code)));
        }
    }
}

bool IcmpChannel::send(IcmpSocket *owner, const QHostAddress &target, quint16 ownerSequence, int payloadSize,
    quint16 *wireSequence, QString *error)
{
    const auto fail = [error](const QString &why) {
        if (error)
            *error = why;
        return false;
    };
    quint16 sequence = 0;
    if (!allocateSequence(&sequence))
        return fail(
            IcmpSocket::tr("More than %1 echoes are waiting for replies on this host; ping fewer targets at once or "
                           "with shorter timeouts.")
                .arg(MAX_PENDING));

    const bool v6 = m_protocol == QAbstractSocket::IPv6Protocol;
    sockaddr_storage address{};
    socklen_t addressLength = 0;
    fillAddress(target, 0, &address, &addressLength);

    const int length = ICMP_HEADER_SIZE + payloadSize;
    m_sendBuffer.resize(size_t(length));
    unsigned char *packet = m_sendBuffer.data();
    packet[0] = v6 ? ICMP6_ECHO_REQUEST : ICMP_ECHO;
    packet[1] = 0;
    qToBigEndian<quint16>(0, packet + 2);
    qToBigEndian<quint16>(m_kind == Kind::Raw ? m_identifier : 0, packet + 4); // dgram: the kernel sets it
    qToBigEndian<quint16>(sequence, packet + 6);
    const int cookieSize = std::min(payloadSize, COOKIE_SIZE);
    std::memcpy(packet + ICMP_HEADER_SIZE, m_cookie, size_t(cookieSize));
    for (int i = cookieSize; i < payloadSize; ++i)
        packet[ICMP_HEADER_SIZE + i] = static_cast<unsigned char>(i);
    // The kernel fills the checksum for datagram sockets and for all ICMPv6; raw IPv4 is ours.
    if (!v6 && m_kind == Kind::Raw)
        qToBigEndian<quint16>(internetChecksum(packet, length), packet + 2);

    const size_t needed = size_t(MAX_IPV4_HEADER_SIZE) + size_t(length);
    if (m_receiveBuffer.size() < needed)
        m_receiveBuffer.resize(needed);
    PendingEcho echo;
    echo.owner = owner;
    echo.ownerSequence = ownerSequence;
    echo.payloadSize = payloadSize;
    // The wall clock last: the kernel's receive stamp is compared with it.
    echo.sendMonoNs = nowNs(CLOCK_MONOTONIC);
    echo.sendRealNs = nowNs(CLOCK_REALTIME);
    if (const int code = Platform::sendPacket(
            m_fd, packet, size_t(length), reinterpret_cast<const sockaddr *>(&address), addressLength)) {
        return fail(Platform::sendFailureText(code));
    }
    m_pending.insert(sequence, echo);
    if (m_transmitStamps)
        m_stampNumbers.sent(sequence);
    *wireSequence = sequence;
    return true;
}

bool IcmpChannel::allocateSequence(quint16 *sequence)
{
    if (m_pending.size() >= MAX_PENDING)
        return false;
    // The next free one: sequences are reused only after the whole space has gone round.
    while (m_pending.contains(m_nextSequence))
        ++m_nextSequence;
    *sequence = m_nextSequence++;
    return true;
}

void IcmpChannel::forget(const IcmpSocket *owner, const std::vector<quint16> &wireSequences)
{
    for (const quint16 sequence : wireSequences) {
        const auto it = m_pending.find(sequence);
        // An ICMP error may have ended it already, and the sequence gone to another socket since.
        if (it != m_pending.end() && it->owner == owner)
            m_pending.erase(it);
    }
}

void IcmpChannel::readErrorQueue()
{
    const auto keep = shared_from_this(); // a receiver may release us from errorReceived()
    unsigned char quoted[MAX_IPV4_HEADER_SIZE + ICMP_HEADER_SIZE + COOKIE_SIZE];
    Platform::QueuedError queued;
    for (int i = 0; i < MAX_READS_PER_WAKEUP && m_fd >= 0
         && Platform::receiveQueuedError(m_fd, quoted, sizeof(quoted), &queued) == Platform::ReadStatus::Read;
         ++i) {
        if (queued.origin == Platform::QueuedError::Origin::Icmp) {
            handleIcmpError(quoted, int(queued.length), queued.icmpType, queued.icmpCode, queued.reporter);
            continue;
        }
        if (queued.origin != Platform::QueuedError::Origin::Timestamping || queued.stamp.ns == 0)
            continue;
        const std::optional<quint16> sequence = m_stampNumbers.find(queued.sendNumber);
        if (!sequence)
            continue;
        // The software and the NIC's stamp of one send may come in one message or in two; the key
        // stays until the round forgets its echoes.
        const auto echo = m_pending.find(*sequence);
        if (echo == m_pending.end())
            continue;
        if (queued.stamp.softwareNs != 0)
            echo->kernelSendRealNs = queued.stamp.softwareNs;
        if (queued.stamp.hardwareNs != 0)
            echo->hardwareSendNs = queued.stamp.hardwareNs;
    }
}

void IcmpChannel::handleIcmpError(
    const unsigned char *quoted, int length, int type, int code, const QHostAddress &reporter)
{
    // The error queue hands back our own echo request as sent, from its ICMP header on.
    const bool v6 = m_protocol == QAbstractSocket::IPv6Protocol;
    if (length < ICMP_HEADER_SIZE || quoted[0] != (v6 ? ICMP6_ECHO_REQUEST : ICMP_ECHO))
        return;
    if (m_kind == Kind::Raw && qFromBigEndian<quint16>(quoted + 4) != m_identifier)
        return;
    const quint16 sequence = qFromBigEndian<quint16>(quoted + 6);
    const auto it = m_pending.constFind(sequence);
    if (it == m_pending.constEnd())
        return;
    const int cookieSize = std::min({it->payloadSize, COOKIE_SIZE, length - ICMP_HEADER_SIZE});
    if (std::memcmp(quoted + ICMP_HEADER_SIZE, m_cookie, size_t(cookieSize)) != 0)
        return;
    IcmpSocket *owner = it->owner;
    const quint16 ownerSequence = it->ownerSequence;
    m_pending.erase(it);
    owner->deliverError(ownerSequence, describeIcmpError(v6, type, code), reporter);
}

void IcmpChannel::handleReadable()
{
    const auto keep = shared_from_this(); // a receiver may release us from replyReceived()
    // The transmit stamp is queued before the reply can arrive: read it first.
    readErrorQueue();
    for (int i = 0; i < MAX_READS_PER_WAKEUP && m_fd >= 0; ++i) {
        Platform::ReceivedPacket packet;
        int error = 0;
        const Platform::ReadStatus status
            = Platform::receivePacket(m_fd, m_receiveBuffer.data(), m_receiveBuffer.size(), &packet, &error);
        if (status == Platform::ReadStatus::Drained)
            return;
        if (status == Platform::ReadStatus::Failed) {
            // An ICMP error reported once more as a read error: the error queue has it already.
            qCDebug(lcProbe) << "ICMP receive failed:" << qt_error_string(error);
            continue;
        }
        if (packet.truncated)
            continue; // larger than anything we sent, so not ours
        handleDatagram(int(packet.length), packet.stamp, packet.hopLimit, packet.readRealNs, packet.readMonoNs);
    }
}

void IcmpChannel::handleDatagram(int length, const PacketStamp &stamp, int ttl, qint64 readRealNs, qint64 readMonoNs)
{
    const bool v6 = m_protocol == QAbstractSocket::IPv6Protocol;
    const unsigned char *icmp = m_receiveBuffer.data();
    // Only raw IPv4 sockets hand us the IP header.
    if (!v6 && m_kind == Kind::Raw) {
        if (length < 20)
            return;
        const int headerLength = (icmp[0] & 0x0f) * 4;
        if (headerLength < 20 || length < headerLength + ICMP_HEADER_SIZE)
            return;
        if (ttl < 0)
            ttl = icmp[8];
        icmp += headerLength;
        length -= headerLength;
        // The kernel hands raw sockets the packet before checking the ICMP checksum.
        if (internetChecksum(icmp, length) != 0) {
            qCDebug(lcProbe) << "dropped an echo reply with a bad checksum";
            return;
        }
    }
    if (length < ICMP_HEADER_SIZE || icmp[0] != (v6 ? ICMP6_ECHO_REPLY : ICMP_ECHOREPLY) || icmp[1] != 0)
        return;
    if (m_kind == Kind::Raw && qFromBigEndian<quint16>(icmp + 4) != m_identifier)
        return;
    const quint16 sequence = qFromBigEndian<quint16>(icmp + 6);
    const auto it = m_pending.constFind(sequence);
    if (it == m_pending.constEnd()) {
        qCDebug(lcProbe) << "ignored a late or foreign echo reply, sequence" << sequence;
        return;
    }
    const int payloadSize = length - ICMP_HEADER_SIZE;
    const int cookieSize = std::min(it->payloadSize, COOKIE_SIZE);
    if (payloadSize != it->payloadSize || std::memcmp(icmp + ICMP_HEADER_SIZE, m_cookie, size_t(cookieSize)) != 0) {
        qCDebug(lcProbe) << "ignored an echo reply with someone else's payload, sequence" << sequence;
        return;
    }
    EchoTimestamps stamps;
    stamps.sendRealNs = it->sendRealNs;
    stamps.sendMonoNs = it->sendMonoNs;
    stamps.kernelSendRealNs = it->kernelSendRealNs;
    stamps.kernelRealNs = stamp.softwareNs;
    stamps.readRealNs = readRealNs;
    stamps.readMonoNs = readMonoNs;
    stamps.hardwareSendNs = it->hardwareSendNs;
    stamps.hardwareReceiveNs = stamp.hardwareNs;
    const RttSample rtt = selectRtt(stamps);
    // The echo stays pending until its owner forgets it: a duplicate reply is reported again.
    it->owner->deliverReply(it->ownerSequence, rtt.ns, ttl, rtt.source);
}

} // namespace StreamSwarm::Agent
