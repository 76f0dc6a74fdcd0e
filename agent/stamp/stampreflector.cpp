// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "stampreflector.h"

#include <cerrno>
#include <cstring>
#include <ctime>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <QSocketNotifier>

#include <unistd.h>

#include "agent/platform/linux/clockstate.h"
#include "agent/platform/linux/receivestamps.h"
#include "agent/platform/packetio.h"
#include "agent/probes/socketsupport.h"
#include "agent/stamp/stamppacket.h"
#include "shared/util/logging.h"

namespace StreamSwarm::Agent {

namespace {

constexpr int MAX_READS_PER_WAKEUP = 64;

// How good our wall clock is, as the error estimate RFC 4656 defines.
quint16 currentErrorEstimate()
{
    const ClockState clock = ClockState::recent();
    return Stamp::encodeErrorEstimate(std::max<qint64>(clock.errorNs, 1000), clock.synchronised);
}

} // namespace

struct StampReflector::Socket
{
    int fd = -1;
    std::unique_ptr<QSocketNotifier> notifier;

    ~Socket()
    {
        notifier.reset();
        if (fd >= 0)
            ::close(fd);
    }
};

StampReflector::StampReflector(QObject *parent)
    : QObject(parent)
    , m_budgetAtNs(Sockets::nowNs(CLOCK_MONOTONIC))
{ }

StampReflector::~StampReflector() = default;

bool StampReflector::listen(quint16 port, QString *error)
{
    // IPv4 first: with port 0 it picks the port, and IPv6 then takes the same one.
    if (!openSocket(AF_INET, port, error))
        return false;
    QString ipv6Error;
    if (!openSocket(AF_INET6, m_port, &ipv6Error))
        qCInfo(lcAgent).noquote() << "STAMP reflector: IPv4 only:" << ipv6Error;
    // T2 is the kernel's receive stamp: stamping must be on from the first test packet.
    keepReceiveStampsOn();
    qCInfo(lcAgent).noquote() << "STAMP reflector answering on UDP port" << m_port;
    return true;
}

bool StampReflector::openSocket(int family, quint16 port, QString *error)
{
    auto socket = std::make_unique<Socket>();
    socket->fd = ::socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (socket->fd < 0) {
        *error = tr("Cannot open a UDP socket for STAMP: %1.").arg(qt_error_string(errno));
        return false;
    }
    const int on = 1;
    ::setsockopt(socket->fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof(on));
    if (family == AF_INET) {
        ::setsockopt(socket->fd, IPPROTO_IP, IP_RECVTOS, &on, sizeof(on));
        ::setsockopt(socket->fd, IPPROTO_IP, IP_RECVTTL, &on, sizeof(on));
    } else {
        ::setsockopt(socket->fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof(on));
        ::setsockopt(socket->fd, IPPROTO_IPV6, IPV6_RECVTCLASS, &on, sizeof(on));
        ::setsockopt(socket->fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, &on, sizeof(on));
    }
    sockaddr_storage address{};
    socklen_t length = 0;
    Sockets::fillAddress(
        QHostAddress(family == AF_INET ? QHostAddress::AnyIPv4 : QHostAddress::AnyIPv6), port, &address, &length);
    if (::bind(socket->fd, reinterpret_cast<sockaddr *>(&address), length) != 0) {
        *error = errno == EACCES
            ? tr("Cannot listen for STAMP on UDP port %1: ports below 1024 need root or CAP_NET_BIND_SERVICE; "
                 "choose a port above 1023 with --stamp-port.")
                  .arg(port)
            : tr("Cannot listen for STAMP on UDP port %1: %2.").arg(port).arg(qt_error_string(errno));
        return false;
    }
    length = sizeof(address);
    ::getsockname(socket->fd, reinterpret_cast<sockaddr *>(&address), &length);
    m_port = ntohs(family == AF_INET ? reinterpret_cast<sockaddr_in *>(&address)->sin_port
                                     : reinterpret_cast<sockaddr_in6 *>(&address)->sin6_port);
    socket->notifier = std::make_unique<QSocketNotifier>(socket->fd, QSocketNotifier::Read);
    const int fd = socket->fd;
    connect(socket->notifier.get(), &QSocketNotifier::activated, this, [this, fd] { handleReadable(fd); });
    m_sockets[family == AF_INET ? 0 : 1] = std::move(socket);
    return true;
}

bool StampReflector::takeReplyBudget()
{
    const qint64 now = Sockets::nowNs(CLOCK_MONOTONIC);
    m_budget = std::min<double>(
        MAX_REPLIES_PER_SECOND, m_budget + double(now - m_budgetAtNs) * MAX_REPLIES_PER_SECOND / 1e9);
    m_budgetAtNs = now;
    if (m_budget < 1)
        return false;
    m_budget -= 1;
    return true;
}

void StampReflector::handleReadable(int fd)
{
    for (int i = 0; i < MAX_READS_PER_WAKEUP; ++i) {
        unsigned char buffer[Stamp::MAX_PACKET_BYTES + 1];
        Platform::ReceivedPacket packet;
        const Platform::ReadStatus status = Platform::receivePacket(fd, buffer, sizeof(buffer), &packet);
        if (status == Platform::ReadStatus::Drained)
            return;
        if (status == Platform::ReadStatus::Failed)
            continue; // an ICMP error about an earlier reply, reported once
        const qint64 readNs = packet.readRealNs;
        const qint64 receivedNs = packet.stamp.softwareNs;
        const int length = int(packet.length);
        Stamp::Reception reception;
        if (packet.trafficClass >= 0)
            reception.tos = quint8(packet.trafficClass);
        if (packet.hopLimit >= 0)
            reception.ttl = quint8(packet.hopLimit);
        if (packet.truncated || length < Stamp::BASE_PACKET_BYTES || !takeReplyBudget()) {
            ++m_dropped;
            continue;
        }
        reception.receiveTimestamp = Stamp::ntpFromUnixNs(receivedNs ? receivedNs : readNs);
        reception.errorEstimate = currentErrorEstimate();
        const QByteArray received(reinterpret_cast<const char *>(buffer), length);
        const auto test = Stamp::SenderPacket::decode(received);
        if (!test) {
            ++m_dropped;
            continue;
        }
        if (m_sessionSeqs.size() >= MAX_SESSIONS)
            m_sessionSeqs.clear();
        QByteArray session(reinterpret_cast<const char *>(&packet.from), int(packet.fromLength));
        session.append(char(test->ssid >> 8)).append(char(test->ssid & 0xff));
        quint32 &nextSeq = m_sessionSeqs[session];
        auto reply = Stamp::reflect(received, reception, nextSeq);
        if (!reply) {
            ++m_dropped;
            continue;
        }
        ++nextSeq;
        // The reply goes out with the class the sender asked for (RFC 8972), else as it came.
        const auto cos = reply->classOfService();
        const int tos = cos ? (cos->dscp1 << 2) | cos->ecn1 : reception.tos;
        // T3 as late as we can take it.
        reply->timestamp = Stamp::ntpFromUnixNs(Sockets::nowNs(CLOCK_REALTIME));
        const QByteArray bytes = reply->encode();
        if (Platform::sendPacket(fd, bytes.constData(), size_t(bytes.size()),
                reinterpret_cast<const sockaddr *>(&packet.from), packet.fromLength, tos)
            != 0) {
            ++m_dropped;
            continue;
        }
        ++m_reflected;
    }
}

} // namespace StreamSwarm::Agent
