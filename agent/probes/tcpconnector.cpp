// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "tcpconnector.h"

#include <cerrno>
#include <cstring>

#include <netinet/in.h>
#include <sys/socket.h>

#include <QCoreApplication>
#include <QMetaObject>

#include <unistd.h>

namespace StreamSwarm::Agent {

namespace {

struct ConnectText
{
    Q_DECLARE_TR_FUNCTIONS(StreamSwarm::Agent::ConnectText)
};

} // namespace

TcpConnector::TcpConnector(QObject *parent)
    : QObject(parent)
{ }

TcpConnector::~TcpConnector()
{
    closeSocket();
}

bool TcpConnector::start(const QHostAddress &address, quint16 port, QString *error)
{
    abort();
    m_connectMs = 0;
    m_failure = 0;
    sockaddr_storage storage = {};
    socklen_t length = 0;
    if (address.protocol() == QAbstractSocket::IPv4Protocol) {
        auto *ipv4 = reinterpret_cast<sockaddr_in *>(&storage);
        ipv4->sin_family = AF_INET;
        ipv4->sin_port = htons(port);
        ipv4->sin_addr.s_addr = htonl(address.toIPv4Address());
        length = sizeof(sockaddr_in);
    } else {
        auto *ipv6 = reinterpret_cast<sockaddr_in6 *>(&storage);
        ipv6->sin6_family = AF_INET6;
        ipv6->sin6_port = htons(port);
        const Q_IPV6ADDR bytes = address.toIPv6Address();
        std::memcpy(&ipv6->sin6_addr, &bytes, sizeof bytes);
        ipv6->sin6_scope_id = address.scopeId().toUInt();
        length = sizeof(sockaddr_in6);
    }
    m_socket = ::socket(storage.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (m_socket < 0) {
        *error = ConnectText::tr("Cannot make a TCP socket: %1.").arg(QString::fromLocal8Bit(strerror(errno)));
        return false;
    }
    m_started = std::chrono::steady_clock::now();
    const int result = ::connect(m_socket, reinterpret_cast<const sockaddr *>(&storage), length);
    const int connectError = result == 0 ? 0 : errno;
    m_notifier = std::make_unique<QSocketNotifier>(m_socket, QSocketNotifier::Write);
    if (connectError == EINPROGRESS) {
        connect(m_notifier.get(), &QSocketNotifier::activated, this, &TcpConnector::handleWritable);
        return true;
    }
    // Done at once (open, or refused before any packet left): still said from the event loop.
    m_notifier->setEnabled(false);
    QMetaObject::invokeMethod(
        this, [this, connectError] { finish(connectError); }, Qt::QueuedConnection);
    return true;
}

void TcpConnector::handleWritable()
{
    int error = 0;
    socklen_t length = sizeof error;
    if (::getsockopt(m_socket, SOL_SOCKET, SO_ERROR, &error, &length) != 0)
        error = errno;
    finish(error);
}

void TcpConnector::finish(int error)
{
    if (!m_notifier)
        return; // aborted meanwhile
    const std::chrono::duration<double, std::milli> took = std::chrono::steady_clock::now() - m_started;
    m_notifier.reset();
    m_failure = error;
    if (error == 0) {
        m_connectMs = took.count();
    } else {
        closeSocket();
    }
    Q_EMIT finished(error == 0);
}

void TcpConnector::abort()
{
    m_notifier.reset();
    closeSocket();
}

int TcpConnector::takeSocket()
{
    const int socket = m_notifier ? -1 : m_socket;
    if (socket >= 0)
        m_socket = -1;
    return socket;
}

void TcpConnector::closeSocket()
{
    if (m_socket >= 0)
        ::close(m_socket);
    m_socket = -1;
}

QString describeConnectFailure(int error, const QString &where)
{
    switch (error) {
    case ECONNREFUSED:
        return ConnectText::tr("%1 refused the connection (nothing listens there, or a firewall rejects it)")
            .arg(where);
    case ETIMEDOUT:
        return ConnectText::tr("%1 did not answer the connection attempt").arg(where);
    case EHOSTUNREACH:
        return ConnectText::tr("%1 is unreachable (a router or the host itself said so, or no one answered on the "
                               "local network)")
            .arg(where);
    case ENETUNREACH:
        return ConnectText::tr("there is no route to %1").arg(where);
    case EACCES:
    case EPERM:
        return ConnectText::tr("a firewall on this host blocked the connection to %1").arg(where);
    case EADDRNOTAVAIL:
        return ConnectText::tr("this host has no address to connect to %1 from").arg(where);
    case ECONNRESET:
        return ConnectText::tr("%1 reset the connection").arg(where);
    default:
        break;
    }
    return ConnectText::tr("cannot connect to %1: %2").arg(where, QString::fromLocal8Bit(strerror(error)));
}

} // namespace StreamSwarm::Agent
