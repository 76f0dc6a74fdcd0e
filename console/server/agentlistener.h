// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <optional>

#include <QSslConfiguration>
#include <QTcpServer>

class QSslSocket;

namespace StreamSwarm::Console {

// The TCP door of the agent server. It looks at a client's first byte: with TLS, a TLS hello starts
// the handshake and plain HTTP (an agent started with ws://) is answered "426" with a sentence
// saying to use wss://; without TLS, a TLS hello gets a plain-text refusal at once. Either way the
// agent learns what is wrong instead of meeting a handshake failure nobody can read. Sockets ready
// for the WebSocket upgrade come out of socketReady(). Lives on the server's thread.
class AgentListener final : public QTcpServer
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AgentListener)
public:
    explicit AgentListener(std::optional<QSslConfiguration> tls, QObject *parent = nullptr);

    bool usesTls() const { return m_tls.has_value(); }

Q_SIGNALS:
    // Plain or decrypted stream, ownership passes to the receiver.
    void socketReady(QTcpSocket *socket);
    void connectionRefused(const QHostAddress &peer, const QString &reason);

protected:
    void incomingConnection(qintptr socketDescriptor) override;

private:
    void sniff(QTcpSocket *socket);
    void handOver(QSslSocket *socket);

    std::optional<QSslConfiguration> m_tls;
};

} // namespace StreamSwarm::Console
