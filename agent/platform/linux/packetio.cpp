// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "agent/platform/packetio.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>

#include <linux/errqueue.h>
#include <linux/net_tstamp.h>
#include <netinet/in.h>

#include <QCoreApplication>

#include "agent/platform/linux/controlmessages.h"
#include "agent/probes/socketsupport.h"

namespace StreamSwarm::Agent::Platform {

namespace {

// The context this file's messages are translated in.
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(StreamSwarm::Agent::Platform)
};

constexpr int MAX_INTERRUPTED_READS = 16;
constexpr int MAX_SEND_ATTEMPTS = 8;

// Room for every control message the probes ask for: both stamp formats, an extended error with
// its offender address, hop limit and traffic class.
constexpr size_t CONTROL_BYTES = CMSG_SPACE(sizeof(scm_timestamping)) + CMSG_SPACE(sizeof(timespec))
    + CMSG_SPACE(sizeof(sock_extended_err) + sizeof(sockaddr_in6)) + 2 * CMSG_SPACE(sizeof(int)) + 128;

qint64 toNs(const timespec &ts)
{
    return qint64(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

bool isIpLevel(const cmsghdr *c, int v4Type, int v6Type)
{
    return (c->cmsg_level == IPPROTO_IP && c->cmsg_type == v4Type)
        || (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == v6Type);
}

int readInt(const cmsghdr *c)
{
    // IP_TOS comes as one byte; the others as an int.
    if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_TOS)
        return *reinterpret_cast<const quint8 *>(CMSG_DATA(c));
    int value = 0;
    std::memcpy(&value, CMSG_DATA(c), sizeof(value));
    return value;
}

// A failed send may only be reporting an ICMP error that an earlier packet drew (sock_error() in
// the kernel's send path fails the next send once with it).
bool mayBeEarlierError(int code)
{
    return code == EHOSTUNREACH || code == ENETUNREACH || code == ECONNREFUSED || code == EPROTO || code == EACCES
        || code == EMSGSIZE || code == ENOPROTOOPT || code == ETIMEDOUT;
}

// The message header for one read: the caller's buffer, the sender's address, our control room.
struct ReadBuffers
{
    iovec iov;
    alignas(cmsghdr) char control[CONTROL_BYTES];
    msghdr message{};

    ReadBuffers(unsigned char *buffer, size_t size, sockaddr_storage *from)
        : iov{buffer, size}
    {
        message.msg_name = from;
        message.msg_namelen = sizeof(*from);
        message.msg_iov = &iov;
        message.msg_iovlen = 1;
        message.msg_control = control;
        message.msg_controllen = sizeof(control);
    }
    Q_DISABLE_COPY_MOVE(ReadBuffers)
};

// recvmsg() without waiting, retrying interruptions; -1 with *code set when nothing was read.
ssize_t receive(NativeSocket socket, msghdr *message, int flags, int *code)
{
    for (int attempt = 0; attempt < MAX_INTERRUPTED_READS; ++attempt) {
        const ssize_t length = ::recvmsg(socket, message, flags | MSG_DONTWAIT);
        if (length >= 0)
            return length;
        *code = errno;
        if (*code != EINTR)
            return -1;
    }
    return -1;
}

} // namespace

QHostAddress ReceivedPacket::source() const
{
    return fromLength > 0 ? QHostAddress(reinterpret_cast<const sockaddr *>(&from)) : QHostAddress();
}

bool readPacketStamp(const cmsghdr *message, PacketStamp *stamp)
{
    if (message->cmsg_level != SOL_SOCKET)
        return false;
    if (message->cmsg_type == SCM_TIMESTAMPING && message->cmsg_len >= CMSG_LEN(sizeof(scm_timestamping))) {
        scm_timestamping stamps{};
        std::memcpy(&stamps, CMSG_DATA(message), sizeof(stamps));
        // ts[0]: software, ts[1]: unused (legacy), ts[2]: raw hardware.
        const qint64 software = toNs(stamps.ts[0]);
        const qint64 hardware = toNs(stamps.ts[2]);
        if (software == 0 && hardware == 0)
            return false;
        stamp->softwareNs = software;
        stamp->hardwareNs = hardware;
        stamp->ns = hardware != 0 ? hardware : software;
        stamp->source = hardware != 0 ? TimestampSource::Hardware : TimestampSource::Kernel;
        return true;
    }
    if (message->cmsg_type == SCM_TIMESTAMPNS && message->cmsg_len >= CMSG_LEN(sizeof(timespec))) {
        timespec ts{};
        std::memcpy(&ts, CMSG_DATA(message), sizeof(ts));
        if (const qint64 ns = toNs(ts); ns != 0) {
            *stamp = PacketStamp{ns, TimestampSource::Kernel, ns, 0};
            return true;
        }
    }
    return false;
}

ReadStatus receivePacket(NativeSocket socket, unsigned char *buffer, size_t size, ReceivedPacket *packet, int *error)
{
    *packet = {};
    ReadBuffers read(buffer, size, &packet->from);
    msghdr &message = read.message;
    int code = 0;
    const ssize_t length = receive(socket, &message, 0, &code);
    // The wall clock first: it is compared with the kernel's receive stamp.
    packet->readRealNs = Sockets::nowNs(CLOCK_REALTIME);
    packet->readMonoNs = Sockets::nowNs(CLOCK_MONOTONIC);
    if (length < 0) {
        if (code == EAGAIN || code == EWOULDBLOCK)
            return ReadStatus::Drained;
        if (error)
            *error = code;
        return ReadStatus::Failed;
    }
    packet->length = std::min(size_t(length), size);
    packet->truncated = (message.msg_flags & MSG_TRUNC) != 0;
    packet->fromLength = message.msg_namelen;
    for (cmsghdr *c = CMSG_FIRSTHDR(&message); c; c = CMSG_NXTHDR(&message, c)) {
        if (readPacketStamp(c, &packet->stamp))
            continue;
        if (isIpLevel(c, IP_TTL, IPV6_HOPLIMIT))
            packet->hopLimit = readInt(c);
        else if (isIpLevel(c, IP_TOS, IPV6_TCLASS))
            packet->trafficClass = readInt(c) & 0xff;
    }
    return ReadStatus::Read;
}

ReadStatus receiveQueuedError(NativeSocket socket, unsigned char *buffer, size_t size, QueuedError *queued)
{
    *queued = {};
    ReadBuffers read(buffer, size, &queued->original);
    msghdr &message = read.message;
    int code = 0;
    const ssize_t length = receive(socket, &message, MSG_ERRQUEUE, &code);
    queued->readRealNs = Sockets::nowNs(CLOCK_REALTIME);
    queued->readMonoNs = Sockets::nowNs(CLOCK_MONOTONIC);
    if (length < 0)
        return code == EAGAIN || code == EWOULDBLOCK ? ReadStatus::Drained : ReadStatus::Failed;
    queued->length = std::min(size_t(length), size);
    for (cmsghdr *c = CMSG_FIRSTHDR(&message); c; c = CMSG_NXTHDR(&message, c)) {
        if (readPacketStamp(c, &queued->stamp) || !isIpLevel(c, IP_RECVERR, IPV6_RECVERR))
            continue;
        if (c->cmsg_len < CMSG_LEN(sizeof(sock_extended_err)))
            continue;
        sock_extended_err extended{};
        std::memcpy(&extended, CMSG_DATA(c), sizeof(extended));
        switch (extended.ee_origin) {
        case SO_EE_ORIGIN_ICMP:
        case SO_EE_ORIGIN_ICMP6:
            queued->origin = QueuedError::Origin::Icmp;
            break;
        case SO_EE_ORIGIN_TIMESTAMPING:
            queued->origin = QueuedError::Origin::Timestamping;
            break;
        default:
            queued->origin = QueuedError::Origin::Other;
            break;
        }
        queued->icmpType = extended.ee_type;
        queued->icmpCode = extended.ee_code;
        queued->sendNumber = extended.ee_data;
        // SO_EE_OFFENDER: the sender of the ICMP error follows the structure.
        const size_t room = c->cmsg_len - CMSG_LEN(sizeof(extended));
        sockaddr_storage offender{};
        std::memcpy(&offender, CMSG_DATA(c) + sizeof(extended), std::min(room, sizeof(offender)));
        if (room >= sizeof(sockaddr_in) && offender.ss_family != AF_UNSPEC)
            queued->reporter.setAddress(reinterpret_cast<const sockaddr *>(&offender));
    }
    return ReadStatus::Read;
}

int sendPacket(
    NativeSocket socket, const void *data, size_t size, const sockaddr *to, socklen_t toLength, int trafficClass)
{
    iovec iov{const_cast<void *>(data), size};
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
    msghdr message{};
    message.msg_name = const_cast<sockaddr *>(to);
    message.msg_namelen = toLength;
    message.msg_iov = &iov;
    message.msg_iovlen = 1;
    if (trafficClass >= 0 && to) {
        message.msg_control = control;
        message.msg_controllen = sizeof(control);
        cmsghdr *c = CMSG_FIRSTHDR(&message);
        c->cmsg_level = to->sa_family == AF_INET ? IPPROTO_IP : IPPROTO_IPV6;
        c->cmsg_type = to->sa_family == AF_INET ? IP_TOS : IPV6_TCLASS;
        c->cmsg_len = CMSG_LEN(sizeof(int));
        std::memcpy(CMSG_DATA(c), &trafficClass, sizeof(trafficClass));
    }
    int code = 0;
    for (int attempt = 0; attempt < MAX_SEND_ATTEMPTS; ++attempt) {
        if (::sendmsg(socket, &message, MSG_DONTWAIT) >= 0)
            return 0;
        code = errno;
        if (code != EINTR && !mayBeEarlierError(code))
            break;
    }
    return code;
}

QString sendFailureText(int code)
{
    switch (code) {
    case ENETUNREACH:
        return Tr::tr("The network is unreachable from this host (no route).");
    case EHOSTUNREACH:
        return Tr::tr("The host is unreachable.");
    case EACCES:
        return Tr::tr("The system refused to send to this address; it may be a broadcast address.");
    case EPERM:
        return Tr::tr("A firewall rule on this host blocked the probe.");
    case EMSGSIZE:
        return Tr::tr("The probe is too large for the path; lower the payload size.");
    case EADDRNOTAVAIL:
        return Tr::tr("This host has no address or free local port to send from to this destination.");
    case ENOBUFS:
    case ENOMEM:
    case EAGAIN:
        return Tr::tr("The system's send queue is full.");
    case EMFILE:
    case ENFILE:
        return Tr::tr("The agent has too many open files to open another probe socket.");
    default:
        return Tr::tr("Sending the probe failed: %1.").arg(qt_error_string(code));
    }
}

bool enableTimestamping(NativeSocket socket, bool transmit)
{
    // Software stamps always; hardware ones are delivered only where the NIC already stamps (RAW
    // hardware is the NIC's own clock, the same one on both ends of an RTT).
    int flags = SOF_TIMESTAMPING_RX_SOFTWARE | SOF_TIMESTAMPING_SOFTWARE | SOF_TIMESTAMPING_RX_HARDWARE
        | SOF_TIMESTAMPING_RAW_HARDWARE;
    if (transmit)
        flags |= SOF_TIMESTAMPING_TX_SOFTWARE | SOF_TIMESTAMPING_TX_HARDWARE | SOF_TIMESTAMPING_OPT_ID
            | SOF_TIMESTAMPING_OPT_TSONLY;
    if (setsockopt(socket, SOL_SOCKET, SO_TIMESTAMPING, &flags, sizeof(flags)) == 0)
        return true;
    const int on = 1;
    setsockopt(socket, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof(on));
    return false;
}

} // namespace StreamSwarm::Agent::Platform
