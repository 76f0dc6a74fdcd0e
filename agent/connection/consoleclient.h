// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>
#include <QWebSocket>

#include "agent/agentoptions.h"
#include "agent/connection/backoff.h"
#include "shared/protocol/messages.h"

namespace StreamSwarm::Agent {

class CredentialStore;
class ResultBuffer;

// The agent's connection to its console: authenticates (stored credential, else the enrollment
// token once), keeps the credential it is given, reconnects with backoff, replays unacked batches
// and streams new ones. Lives on the agent's main thread.
class ConsoleClient final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConsoleClient)
public:
    ConsoleClient(AgentOptions options, CredentialStore *credentials, ResultBuffer *buffer, QStringList capabilities,
        QObject *parent = nullptr);
    ~ConsoleClient() override;

    void start();
    void stop(); // sends what is pending, then closes
    bool isOnline() const { return m_online; }
    void sendEvent(const Protocol::Event &event);

Q_SIGNALS:
    void assignmentReceived(const QList<StreamSwarm::Protocol::TestSpec> &tests);
    void connectionStateChanged(bool online);
    // The console refused us for good (bad token, revoked agent): the agent cannot continue.
    void fatalError(const QString &message);

private:
    void connectToConsole();
    void scheduleReconnect();
    void handleSslErrors(const QList<QSslError> &errors);
    void handleConnected();
    void handleDisconnected();
    void handleBinaryMessage(const QByteArray &bytes);
    void handleWelcome(const Protocol::Welcome &welcome);
    void handleRekey(const Protocol::Rekey &rekey);
    void flush();
    void checkLiveness();
    void send(const Protocol::Message &message);

    AgentOptions m_options;
    CredentialStore *m_credentials;
    ResultBuffer *m_buffer;
    QStringList m_capabilities;
    QWebSocket m_socket;
    Backoff m_backoff;
    QTimer m_reconnectTimer;
    QTimer m_flushTimer;
    QTimer m_livenessTimer;
    QElapsedTimer m_sinceLastMessage;
    QString m_credential;
    QByteArray m_pin; // SHA-256 of the console certificate we trust
    bool m_usingToken = false;
    bool m_rejectedCertificate = false;
    bool m_connected = false; // the WebSocket handshake completed
    bool m_online = false; // welcomed by the console
    bool m_stopping = false;
    qint64 m_lastSentSeq = 0;
};

} // namespace StreamSwarm::Agent
