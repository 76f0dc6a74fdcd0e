// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "traceroutetcpprober.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <limits>

#include <linux/errqueue.h>
#include <linux/net_tstamp.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <netinet/ip_icmp.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#include <QCoreApplication>
#include <QPointer>
#include <QSocketNotifier>

#include <unistd.h>

#include "agent/platform/packetio.h"
#include "agent/probes/socketsupport.h"
#include "agent/probes/timestamping.h"
#include "shared/util/logging.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Agent {

using namespace Sockets;

namespace {

constexpr int MAX_EVENTS_PER_WAKEUP = 64; // then yield to the event loop; epoll stays readable
constexpr int MAX_QUEUED = 4096;
constexpr int NOT_SETTLED = -1;

// A completed handshake: the kernel timed SYN to SYN-ACK itself (its first RTT sample), to the
// microsecond and free of our scheduling. 0 when it has none (e.g. the SYN was sent again). Read it
// before the socket goes.
qint64 handshakeRttNs(int fd)
{
    tcp_info info{};
    socklen_t length = sizeof(info);
    if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &length) != 0 || info.tcpi_rtt == 0)
        return 0;
    return qint64(info.tcpi_rtt) * 1000;
}

} // namespace

TracerouteTcpProber::TracerouteTcpProber(
    QAbstractSocket::NetworkLayerProtocol protocol, quint16 port, qint64 timeoutMs, QObject *parent)
    : TracerouteProber(parent)
    , m_protocol(
          protocol == QAbstractSocket::IPv6Protocol ? QAbstractSocket::IPv6Protocol : QAbstractSocket::IPv4Protocol)
    , m_port(port)
    , m_timeoutMs(std::max<qint64>(1, timeoutMs))
    , m_expiry(this)
{
    m_expiry.setSingleShot(true);
    m_expiry.setTimerType(Qt::PreciseTimer);
    connect(&m_expiry, &QTimer::timeout, this, &TracerouteTcpProber::handleExpiry);
}

TracerouteTcpProber::~TracerouteTcpProber()
{
    forgetPending();
    m_notifier.reset();
    if (m_epoll >= 0)
        ::close(m_epoll);
}

bool TracerouteTcpProber::open(QString *error)
{
    if (isOpen())
        return true;
    m_epoll = epoll_create1(EPOLL_CLOEXEC);
    if (m_epoll < 0) {
        if (error)
            *error = tr("This host cannot watch TCP traceroute sockets: %1.").arg(qt_error_string(errno));
        return false;
    }
    m_notifier = std::make_unique<QSocketNotifier>(m_epoll, QSocketNotifier::Read, this);
    connect(m_notifier.get(), &QSocketNotifier::activated, this, &TracerouteTcpProber::handleEvents);
    qCDebug(lcProbe) << "opened tcp traceroute prober" << m_protocol << "port" << m_port;
    return true;
}

int TracerouteTcpProber::makeSocket(int ttl, QString *error) const
{
    const bool v6 = m_protocol == QAbstractSocket::IPv6Protocol;
    const int fd = ::socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_TCP);
    if (fd < 0) {
        *error = Platform::sendFailureText(errno);
        return -1;
    }
    const int on = 1;
    const int hops = std::clamp(ttl, 1, 255);
    const int set = v6 ? setsockopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &hops, sizeof(hops))
                       : setsockopt(fd, IPPROTO_IP, IP_TTL, &hops, sizeof(hops));
    if (set != 0) {
        *error = tr("Cannot set the TTL: %1.").arg(qt_error_string(errno));
        ::close(fd);
        return -1;
    }
    // The router's ICMP error about the SYN lands in the error queue with its address (SO_EE_OFFENDER).
    if (v6)
        setsockopt(fd, IPPROTO_IPV6, IPV6_RECVERR, &on, sizeof(on));
    else
        setsockopt(fd, IPPROTO_IP, IP_RECVERR, &on, sizeof(on));
    // Receive stamps for those errors. The kernel gives no transmit stamp for a SYN (TCP stamps data
    // only), so the send side is our own clock.
    Platform::enableTimestamping(fd, false);
    // close() resets a completed handshake at once: no connection, no TIME_WAIT, on either side.
    const linger abort{1, 0};
    setsockopt(fd, SOL_SOCKET, SO_LINGER, &abort, sizeof(abort));
    // One retransmission at most (the kernel's minimum); the probe's timeout usually ends it sooner.
    setsockopt(fd, IPPROTO_TCP, TCP_SYNCNT, &on, sizeof(on));
    return fd;
}

bool TracerouteTcpProber::sendProbe(const QHostAddress &target, int ttl, quint16 key, QString *error)
{
    const auto fail = [error](const QString &why) {
        if (error)
            *error = why;
        return false;
    };
    if (!isOpen())
        return fail(tr("The traceroute socket is not open."));
    if (target.protocol() != m_protocol)
        return fail(tr("The address %1 does not match the socket's IP version.").arg(target.toString()));
    const Request request{target, ttl, key};
    if (m_open.size() < MAX_OPEN_SOCKETS && m_queue.empty())
        return start(request, error);
    if (m_queue.size() >= MAX_QUEUED)
        return fail(tr("Too many TCP probes are waiting for a free socket."));
    m_queue.push_back(request);
    return true;
}

bool TracerouteTcpProber::start(const Request &request, QString *error)
{
    QString why;
    const auto fail = [error, &why]() {
        if (error)
            *error = why;
        return false;
    };
    if (m_open.contains(request.key))
        closeSocket(request.key); // a key is reused only after KEY_SPACE probes: that one is long dead
    sockaddr_storage address{};
    socklen_t addressLength = 0;
    if (!fillAddress(request.target, m_port, &address, &addressLength)) {
        why = tr("The address %1 does not match the socket's IP version.").arg(request.target.toString());
        return fail();
    }
    Socket socket;
    socket.target = request.target;
    socket.fd = makeSocket(request.ttl, &why);
    if (socket.fd < 0)
        return fail();
    int code = 0;
    socket.sendMonoNs = nowNs(CLOCK_MONOTONIC);
    socket.sendRealNs = nowNs(CLOCK_REALTIME);
    if (::connect(socket.fd, reinterpret_cast<const sockaddr *>(&address), addressLength) != 0)
        code = errno;
    socket.deadlineMonoNs = socket.sendMonoNs + m_timeoutMs * 1'000'000;
    if (code == 0 || code == ECONNREFUSED) {
        // Answered within connect() itself (loopback): reported from the event loop, never from here.
        socket.early = code;
    } else if (code != EINPROGRESS && code != EINTR) {
        ::close(socket.fd);
        why = Platform::sendFailureText(code);
        return fail();
    }
    epoll_event event{};
    event.events = EPOLLOUT; // EPOLLERR and EPOLLHUP come anyway
    event.data.u64 = request.key;
    if (epoll_ctl(m_epoll, EPOLL_CTL_ADD, socket.fd, &event) != 0) {
        why = Platform::sendFailureText(errno);
        ::close(socket.fd);
        return fail();
    }
    m_open.insert(request.key, socket);
    if (socket.early != NOT_SETTLED)
        m_expiry.start(0);
    else if (!m_expiry.isActive())
        armExpiry();
    return true;
}

void TracerouteTcpProber::handleEvents()
{
    QPointer<TracerouteTcpProber> guard(this); // a receiver may delete us from probeAnswered()
    epoll_event events[MAX_EVENTS_PER_WAKEUP];
    const int count = epoll_wait(m_epoll, events, MAX_EVENTS_PER_WAKEUP, 0);
    for (int i = 0; i < count && guard; ++i) {
        const auto key = quint16(events[i].data.u64);
        if (m_open.contains(key))
            settle(key, events[i].events);
    }
    if (!guard)
        return;
    startQueued();
    armExpiry();
}

void TracerouteTcpProber::settle(quint16 key, quint32 events)
{
    const Socket socket = m_open.value(key);
    if (readIcmpAnswer(key, socket))
        return;
    int code = 0;
    socklen_t length = sizeof(code);
    getsockopt(socket.fd, SOL_SOCKET, SO_ERROR, &code, &length);
    if (code == 0 && !(events & EPOLLOUT) && !(events & (EPOLLERR | EPOLLHUP)))
        return; // not settled yet
    const qint64 kernelRttNs = code == 0 && (events & EPOLLOUT) ? handshakeRttNs(socket.fd) : 0;
    closeSocket(key);
    if (code == 0 && !(events & EPOLLOUT))
        return; // closed without a word
    reportReached(key, socket, code, kernelRttNs);
}

void TracerouteTcpProber::reportReached(quint16 key, const Socket &socket, int code, qint64 kernelRttNs)
{
    // SYN-ACK (the port is open) or RST (closed): the destination answered. Only a completed
    // handshake leaves a kernel measurement; otherwise the RTT is our monotonic clock around the calls.
    if (code != 0 && code != ECONNREFUSED) {
        // Unreachable without an ICMP message (e.g. no neighbour answered on the last link): silence.
        qCDebug(lcProbe) << "tcp traceroute probe" << key << "failed:" << qt_error_string(code);
        return;
    }
    const qint64 monotonicNs = std::max<qint64>(0, nowNs(CLOCK_MONOTONIC) - socket.sendMonoNs);
    if (kernelRttNs > 0 && kernelRttNs <= monotonicNs) {
        Q_EMIT probeAnswered(key, socket.target, Answer::Reached, kernelRttNs, TimestampSource::Kernel);
        return;
    }
    Q_EMIT probeAnswered(key, socket.target, Answer::Reached, monotonicNs, TimestampSource::User);
}

bool TracerouteTcpProber::readIcmpAnswer(quint16 key, const Socket &socket)
{
    const bool v6 = m_protocol == QAbstractSocket::IPv6Protocol;
    unsigned char quoted[64];
    for (int attempt = 0; attempt < 4; ++attempt) {
        Platform::QueuedError queued;
        if (Platform::receiveQueuedError(socket.fd, quoted, sizeof(quoted), &queued) != Platform::ReadStatus::Read)
            return false; // no ICMP message about this SYN
        if (queued.origin != Platform::QueuedError::Origin::Icmp)
            continue;
        const QHostAddress &from = queued.reporter;
        const bool fromTarget = from.isEqual(socket.target, QHostAddress::ConvertV4MappedToIPv4);
        Answer answer = Answer::Unreachable;
        if (queued.icmpType == (v6 ? ICMP6_TIME_EXCEEDED : ICMP_TIME_EXCEEDED))
            answer = Answer::TimeExceeded;
        else if (queued.icmpType != (v6 ? ICMP6_DST_UNREACH : ICMP_DEST_UNREACH))
            continue; // not an answer to the probe
        else if (fromTarget && queued.icmpCode == (v6 ? ICMP6_DST_UNREACH_NOPORT : ICMP_PORT_UNREACH))
            answer = Answer::Reached; // a host that refuses TCP with ICMP has still answered
        EchoTimestamps stamps;
        stamps.sendRealNs = socket.sendRealNs;
        stamps.sendMonoNs = socket.sendMonoNs;
        stamps.kernelRealNs = queued.stamp.softwareNs;
        stamps.readRealNs = queued.readRealNs;
        stamps.readMonoNs = queued.readMonoNs;
        const RttSample rtt = selectRtt(stamps);
        closeSocket(key);
        Q_EMIT probeAnswered(key, from, answer, rtt.ns, rtt.source);
        return true;
    }
    return false;
}

void TracerouteTcpProber::closeSocket(quint16 key)
{
    const auto it = m_open.find(key);
    if (it == m_open.end())
        return;
    epoll_ctl(m_epoll, EPOLL_CTL_DEL, it->fd, nullptr);
    ::close(it->fd);
    m_open.erase(it);
}

void TracerouteTcpProber::handleExpiry()
{
    QPointer<TracerouteTcpProber> guard(this);
    const qint64 now = nowNs(CLOCK_MONOTONIC);
    const QList<quint16> keys = m_open.keys();
    for (const quint16 key : keys) {
        if (!guard)
            return;
        const auto it = m_open.constFind(key);
        if (it == m_open.constEnd())
            continue;
        if (it->early != NOT_SETTLED) {
            const Socket socket = *it;
            const qint64 kernelRttNs = socket.early == 0 ? handshakeRttNs(socket.fd) : 0;
            closeSocket(key);
            reportReached(key, socket, socket.early, kernelRttNs);
        } else if (it->deadlineMonoNs <= now) {
            closeSocket(key); // no answer in time
        }
    }
    if (!guard)
        return;
    startQueued();
    armExpiry();
}

void TracerouteTcpProber::startQueued()
{
    while (m_open.size() < MAX_OPEN_SOCKETS && !m_queue.empty()) {
        const Request request = m_queue.front();
        m_queue.pop_front();
        QString error;
        if (!start(request, &error))
            qCDebug(lcProbe).noquote() << "a queued tcp traceroute probe could not start:" << error;
    }
}

void TracerouteTcpProber::armExpiry()
{
    if (m_open.isEmpty()) {
        m_expiry.stop();
        return;
    }
    qint64 earliest = std::numeric_limits<qint64>::max();
    for (const Socket &socket : std::as_const(m_open))
        earliest = std::min(earliest, socket.early != NOT_SETTLED ? 0 : socket.deadlineMonoNs);
    const qint64 waitNs = std::max<qint64>(0, earliest - nowNs(CLOCK_MONOTONIC));
    m_expiry.start(int((waitNs + 999'999) / 1'000'000));
}

void TracerouteTcpProber::forgetPending()
{
    const QList<quint16> keys = m_open.keys();
    for (const quint16 key : keys)
        closeSocket(key);
    m_queue.clear();
    m_expiry.stop();
}

qint64 TracerouteTcpProber::msUntilSettled() const
{
    // A queued probe still gets its full wait once a socket frees up.
    return m_queue.empty() ? 0 : m_timeoutMs;
}

} // namespace StreamSwarm::Agent
