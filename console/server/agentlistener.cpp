// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "agentlistener.h"

#include <QCoreApplication>
#include <QSslSocket>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

namespace {

constexpr int HANDSHAKE_TIMEOUT_MS = 10000;
constexpr char TLS_HANDSHAKE_RECORD = 0x16;

QByteArray upgradeRequiredResponse()
{
    const QByteArray text = QCoreApplication::translate("StreamSwarm::Console::AgentListener",
        "This console speaks TLS only: connect with wss:// instead "
        "of ws://.")
                                .toUtf8();
    return "HTTP/1.1 426 Use wss:// for this console\r\nUpgrade: TLS/1.2\r\nConnection: close\r\n"
           "Content-Type: text/plain; charset=utf-8\r\nContent-Length: "
        + QByteArray::number(text.size()) + "\r\n\r\n" + text;
}

} // namespace

AgentListener::AgentListener(std::optional<QSslConfiguration> tls, QObject *parent)
    : QTcpServer(parent)
    , m_tls(std::move(tls))
{ }

void AgentListener::incomingConnection(qintptr socketDescriptor)
{
    auto *socket = new QSslSocket(this);
    if (!socket->setSocketDescriptor(socketDescriptor)) {
        delete socket;
        return;
    }
    if (m_tls)
        socket->setSslConfiguration(*m_tls);
    // Nothing may hang here for long: a silent or slow client is dropped after 10 s.
    auto *timeout = new QTimer(socket);
    timeout->setSingleShot(true);
    connect(timeout, &QTimer::timeout, socket, &QAbstractSocket::abort);
    timeout->start(HANDSHAKE_TIMEOUT_MS);
    connect(socket, &QAbstractSocket::disconnected, socket, &QObject::deleteLater);
    connect(socket, &QIODevice::readyRead, this, [this, socket] { sniff(socket); });
    connect(socket, &QSslSocket::encrypted, this, [this, socket] { handOver(socket); });
    connect(socket, &QSslSocket::sslErrors, this, [this, socket](const QList<QSslError> &errors) {
        Q_EMIT connectionRefused(
            socket->peerAddress(), errors.isEmpty() ? u"TLS handshake failed"_s : errors.first().errorString());
    });
}

void AgentListener::handOver(QSslSocket *socket)
{
    // The handshake timer is ours; from here the WebSocket server's own timeout applies.
    for (QTimer *timer : socket->findChildren<QTimer *>(Qt::FindDirectChildrenOnly))
        delete timer;
    socket->disconnect(this);
    disconnect(socket, &QAbstractSocket::disconnected, socket, &QObject::deleteLater);
    socket->setParent(nullptr);
    Q_EMIT socketReady(socket);
}

void AgentListener::sniff(QTcpSocket *socket)
{
    auto *ssl = static_cast<QSslSocket *>(socket);
    if (ssl->isEncrypted() || ssl->mode() != QSslSocket::UnencryptedMode)
        return; // the TLS engine reads from here on
    char first = 0;
    if (socket->peek(&first, 1) != 1)
        return;
    if (!m_tls) {
        disconnect(socket, &QIODevice::readyRead, this, nullptr);
        if (first == TLS_HANDSHAKE_RECORD) {
            // An agent started with wss://: plain bytes make its TLS library fail at once with a
            // clear error, instead of waiting for a handshake that never comes.
            Q_EMIT connectionRefused(socket->peerAddress(), u"TLS on the plain ws:// port (--insecure)"_s);
            socket->write("HTTP/1.1 400 This console speaks plain ws:// (started with --insecure)\r\n"
                          "Connection: close\r\n\r\n");
            socket->disconnectFromHost();
            return;
        }
        handOver(ssl);
        return;
    }
    if (first == TLS_HANDSHAKE_RECORD) {
        disconnect(socket, &QIODevice::readyRead, this, nullptr);
        ssl->startServerEncryption();
        return;
    }
    disconnect(socket, &QIODevice::readyRead, this, nullptr);
    Q_EMIT connectionRefused(socket->peerAddress(), u"plain ws:// on the TLS port"_s);
    if (first == 'G')
        socket->write(upgradeRequiredResponse());
    socket->disconnectFromHost();
}

} // namespace StreamSwarm::Console
