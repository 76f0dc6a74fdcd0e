// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "areschannel.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <QRandomGenerator>
#include <QSocketNotifier>

#include <ares.h>
#include <unistd.h>

#include "shared/util/monotonic.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Agent {

namespace {

QString serverText(const QHostAddress &address, quint16 port)
{
    return address.protocol() == QAbstractSocket::IPv6Protocol ? u"[%1]:%2"_s.arg(address.toString()).arg(port)
                                                               : u"%1:%2"_s.arg(address.toString()).arg(port);
}

QString serverText(const sockaddr *address)
{
    if (address->sa_family == AF_INET) {
        const auto *v4 = reinterpret_cast<const sockaddr_in *>(address);
        return serverText(QHostAddress(ntohl(v4->sin_addr.s_addr)), ntohs(v4->sin_port));
    }
    if (address->sa_family == AF_INET6) {
        const auto *v6 = reinterpret_cast<const sockaddr_in6 *>(address);
        return serverText(QHostAddress(v6->sin6_addr.s6_addr), ntohs(v6->sin6_port));
    }
    return {};
}

constexpr int CLASS_IN = 1; // RFC 1035 3.2.4

void initialiseLibrary()
{
    // Once per process; on Linux it sets nothing up, but c-ares asks for it.
    static const int status = ares_library_init(ARES_LIB_INIT_ALL);
    Q_UNUSED(status)
}

} // namespace

// c-ares calls these with the channel as user data. The socket functions are the system calls
// c-ares would make itself, with a note of what each did.
struct AresHooks
{
    static void socketState(void *self, ares_socket_t fd, int readable, int writable)
    {
        static_cast<AresChannel *>(self)->watch(fd, readable != 0, writable != 0);
    }

    static void answered(void *self, int status, int timeouts, unsigned char *answer, int length)
    {
        Q_UNUSED(timeouts)
        static_cast<AresChannel *>(self)->finishQuery(status, answer, length);
    }

    static ares_socket_t open(int domain, int type, int protocol, void *self)
    {
        // c-ares leaves sockets that its user opens as they are: non-blocking and TCP_NODELAY are ours to set.
        const int fd = ::socket(domain, type | SOCK_CLOEXEC | SOCK_NONBLOCK, protocol);
        if (fd < 0)
            return ARES_SOCKET_BAD;
        const bool tcp = (type & 0xf) == SOCK_STREAM;
        if (tcp) {
            const int on = 1;
            ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
        }
        static_cast<AresChannel *>(self)->noteSocket(fd, tcp);
        return fd;
    }

    static int close(ares_socket_t fd, void *self)
    {
        static_cast<AresChannel *>(self)->noteClose(fd);
        return ::close(fd);
    }

    static int connect(ares_socket_t fd, const sockaddr *address, ares_socklen_t length, void *self)
    {
        static_cast<AresChannel *>(self)->noteConnect(fd, serverText(address));
        const int result = ::connect(fd, address, length);
        const int error = errno;
        if (result < 0 && error == ECONNREFUSED)
            static_cast<AresChannel *>(self)->noteReceive(fd, false, error);
        errno = error;
        return result;
    }

    static ares_ssize_t receive(ares_socket_t fd, void *buffer, size_t length, int flags, sockaddr *from,
        ares_socklen_t *fromLength, void *self)
    {
        const ares_ssize_t result = ::recvfrom(fd, buffer, length, flags, from, fromLength);
        const int error = errno;
        static_cast<AresChannel *>(self)->noteReceive(fd, result > 0, result < 0 ? error : 0);
        errno = error;
        return result;
    }

    static ares_ssize_t send(ares_socket_t fd, const iovec *vector, int count, void *self)
    {
        // Stamped before the call: on loopback the server may read the query before writev() returns.
        const qint64 beforeNs = monotonicNs();
        const ares_ssize_t result = ::writev(fd, vector, count);
        const int error = errno;
        static_cast<AresChannel *>(self)->noteSend(fd, result > 0, result < 0 ? error : 0, beforeNs);
        errno = error;
        return result;
    }
};

namespace {

const ares_socket_functions SOCKET_FUNCTIONS
    = {&AresHooks::open, &AresHooks::close, &AresHooks::connect, &AresHooks::receive, &AresHooks::send};

} // namespace

AresChannel::AresChannel(QObject *parent)
    : QObject(parent)
    , m_timeout([this] { process(ARES_SOCKET_BAD, ARES_SOCKET_BAD); })
{ }

AresChannel::~AresChannel()
{
    m_closing = true; // ares_destroy() ends a running query: nobody is told
    if (m_channel)
        ares_destroy(m_channel);
    for (SocketInfo &socket : m_sockets) {
        dropNotifier(socket.reader);
        dropNotifier(socket.writer);
    }
}

bool AresChannel::open(const Options &options, QString *error)
{
    initialiseLibrary();
    ares_options settings{};
    int mask = ARES_OPT_FLAGS | ARES_OPT_SOCK_STATE_CB | ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES;
    // NOCHECKRESP: a SERVFAIL or REFUSED answer is the measurement, not a reason to try elsewhere.
    settings.flags = ARES_FLAG_NOCHECKRESP | ARES_FLAG_NOSEARCH | (options.tcp ? ARES_FLAG_USEVC : 0);
    settings.timeout = int(std::clamp<qint64>(options.tryTimeoutMs, 1, 60'000));
    settings.tries = std::clamp(options.tries, 1, 10);
    settings.sock_state_cb = &AresHooks::socketState;
    settings.sock_state_cb_data = this;
    int status = ares_init_options(&m_channel, &settings, mask);
    if (status != ARES_SUCCESS) {
        m_channel = nullptr;
        *error = tr("Cannot set up the DNS resolver: %1.").arg(QString::fromUtf8(ares_strerror(status)));
        return false;
    }
    ares_set_socket_functions(m_channel, &SOCKET_FUNCTIONS, this);
    if (!options.server.isNull()) {
        ares_addr_port_node server{};
        bool isV4 = false;
        const quint32 v4 = options.server.toIPv4Address(&isV4);
        if (isV4) {
            server.family = AF_INET;
            server.addr.addr4.s_addr = htonl(v4);
        } else {
            server.family = AF_INET6;
            const Q_IPV6ADDR v6 = options.server.toIPv6Address();
            std::memcpy(&server.addr.addr6, v6.c, sizeof v6.c);
        }
        server.udp_port = options.port;
        server.tcp_port = options.port;
        status = ares_set_servers_ports(m_channel, &server);
        if (status != ARES_SUCCESS) {
            *error = tr("Cannot ask the DNS server %1: %2.")
                         .arg(serverText(options.server, options.port), QString::fromUtf8(ares_strerror(status)));
            return false;
        }
    }
    return true;
}

QStringList AresChannel::servers() const
{
    QStringList result;
    ares_addr_port_node *list = nullptr;
    if (!m_channel || ares_get_servers_ports(m_channel, &list) != ARES_SUCCESS)
        return result;
    for (const ares_addr_port_node *node = list; node; node = node->next) {
        const QHostAddress address = node->family == AF_INET
            ? QHostAddress(ntohl(node->addr.addr4.s_addr))
            : QHostAddress(reinterpret_cast<const quint8 *>(&node->addr.addr6));
        result.append(serverText(address, quint16(node->udp_port ? node->udp_port : 53)));
    }
    ares_free_data(list);
    return result;
}

void AresChannel::sendQuery(const QString &name, int type, bool recurse)
{
    m_outcome = AresOutcome();
    m_queryRunning = true;
    unsigned char *query = nullptr;
    int length = 0;
    const auto id = quint16(QRandomGenerator::global()->bounded(0x10000));
    const int status
        = ares_create_query(name.toUtf8().constData(), CLASS_IN, type, id, recurse ? 1 : 0, &query, &length, 0);
    if (status != ARES_SUCCESS) {
        finishQuery(status, nullptr, 0);
        return;
    }
    ares_send(m_channel, query, length, &AresHooks::answered, this);
    ares_free_string(query);
    rearmTimeout();
}

void AresChannel::cancel()
{
    if (m_channel)
        ares_cancel(m_channel);
    rearmTimeout();
}

void AresChannel::finishQuery(int status, const unsigned char *answer, int length)
{
    if (m_closing || !m_queryRunning)
        return;
    m_queryRunning = false;
    m_outcome.status = status;
    if (status == ARES_SUCCESS && answer)
        m_outcome.answer = QByteArray(reinterpret_cast<const char *>(answer), length);
    else
        m_outcome.statusText = QString::fromUtf8(ares_strerror(status));
    Q_EMIT queryFinished(m_outcome);
}

void AresChannel::noteSocket(int fd, bool tcp)
{
    m_sockets[fd].tcp = tcp;
}

void AresChannel::noteConnect(int fd, const QString &server)
{
    m_sockets[fd].server = server;
    if (!m_outcome.serversAsked.contains(server))
        m_outcome.serversAsked.append(server);
}

void AresChannel::noteSend(int fd, bool sent, int error, qint64 beforeNs)
{
    const SocketInfo &socket = m_sockets[fd];
    m_outcome.server = socket.server;
    m_outcome.tcp = socket.tcp;
    if (sent) {
        ++(socket.tcp ? m_outcome.tcpSends : m_outcome.udpSends);
        if (m_outcome.firstSendNs == 0)
            m_outcome.firstSendNs = beforeNs;
    } else if (error == ECONNREFUSED || error == ECONNRESET) {
        m_outcome.refused = true;
    }
}

void AresChannel::noteReceive(int fd, bool received, int error)
{
    const SocketInfo &socket = m_sockets[fd];
    if (received) {
        // The last read before c-ares hands over the answer holds its last bytes.
        m_outcome.answerNs = monotonicNs();
        m_outcome.server = socket.server;
        m_outcome.tcp = socket.tcp;
    } else if (error == ECONNREFUSED || error == ECONNRESET) {
        m_outcome.refused = true;
    }
}

void AresChannel::noteClose(int fd)
{
    m_sockets.remove(fd);
}

void AresChannel::watch(int fd, bool readable, bool writable)
{
    SocketInfo &socket = m_sockets[fd];
    if (readable && !socket.reader) {
        socket.reader = new QSocketNotifier(fd, QSocketNotifier::Read, this);
        connect(socket.reader, &QSocketNotifier::activated, this, [this, fd] { process(fd, ARES_SOCKET_BAD); });
    }
    if (writable && !socket.writer) {
        socket.writer = new QSocketNotifier(fd, QSocketNotifier::Write, this);
        connect(socket.writer, &QSocketNotifier::activated, this, [this, fd] { process(ARES_SOCKET_BAD, fd); });
    }
    if (socket.reader)
        socket.reader->setEnabled(readable);
    if (socket.writer)
        socket.writer->setEnabled(writable);
    if (!readable && !writable) {
        // c-ares closes the socket next; its number may come back at once for a new one.
        dropNotifier(socket.reader);
        dropNotifier(socket.writer);
    }
}

void AresChannel::dropNotifier(QSocketNotifier *&notifier)
{
    if (!notifier)
        return;
    notifier->setEnabled(false);
    notifier->disconnect(this);
    notifier->deleteLater(); // it may be the one whose activated() is running
    notifier = nullptr;
}

void AresChannel::process(int readFd, int writeFd)
{
    if (!m_channel)
        return;
    ares_process_fd(m_channel, readFd, writeFd);
    rearmTimeout();
}

void AresChannel::rearmTimeout()
{
    timeval wait{};
    if (m_channel && m_queryRunning && ares_timeout(m_channel, nullptr, &wait))
        m_timeout.start(std::chrono::seconds(wait.tv_sec) + std::chrono::microseconds(wait.tv_usec));
    else
        m_timeout.stop();
}

} // namespace StreamSwarm::Agent
