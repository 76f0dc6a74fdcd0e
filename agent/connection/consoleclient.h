// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <deque>
#include <memory>
#include <optional>

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>
#include <QWebSocket>

#include "agent/agentoptions.h"
#include "agent/connection/backoff.h"
#include "agent/connection/spool.h"
#include "shared/protocol/messages.h"

namespace StreamSwarm::Agent {

class CredentialStore;

// The agent's connection to its console: authenticates (stored credential, else the enrollment
// token once), keeps the credential it is given, reconnects with backoff, and sends the spool's
// batches in seq order (unacked ones first after a reconnect) within a window of unacked batches
// and a replay rate. Lives on the agent's main thread.
class ConsoleClient final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConsoleClient)
public:
    ConsoleClient(AgentOptions options, CredentialStore *credentials, Spool *spool, QStringList capabilities,
        QObject *parent = nullptr);
    ~ConsoleClient() override;

    void start();
    // Sends what is spooled and waits (at most timeoutMs) for its ack, then closes; emits stopped().
    void stop(int timeoutMs = 3000);
    bool isOnline() const { return m_online; }
    void sendEvent(const Protocol::Event &event);
    // A bandwidth turn's message (bulk-request, bulk-release, serving); dropped while offline (the
    // console takes every turn back when the connection goes).
    void sendTurnMessage(const Protocol::Message &message);
    // New batches are in the spool: send what the window and replay rate allow.
    void pump();
    qint64 batchesInFlight() const { return qint64(m_inFlight.size()); }

Q_SIGNALS:
    void assignmentReceived(const QList<StreamSwarm::Protocol::TestSpec> &tests);
    // bulk-grant, serve or serve-stop.
    void turnMessageReceived(const StreamSwarm::Protocol::Message &message);
    void connectionStateChanged(bool online);
    // The console refused us for good (bad token, revoked agent): the agent cannot continue.
    void fatalError(const QString &message);
    void stopped();
    // The console durably stored everything up to seq.
    void acknowledged(qint64 seq);
    // Batches the spool dropped while they were in flight turned out not to be in the console.
    void inFlightLossSettled(const StreamSwarm::Agent::Spool::Loss &loss);

private:
    void connectToConsole();
    void replaceSocket();
    void scheduleReconnect();
    void handleSocketError(QAbstractSocket::SocketError error);
    void reportConnectFailure();
    bool checkPresentedCertificate(const QByteArray &presented);
    void handleSslErrors(const QList<QSslError> &errors);
    void handleConnected();
    void handleDisconnected();
    void handleBinaryMessage(const QByteArray &bytes);
    void handleWelcome(const Protocol::Welcome &welcome);
    void handleRekey(const Protocol::Rekey &rekey);
    void handleAck(qint64 seq);
    void finishStopping();
    void checkLiveness();
    void send(const Protocol::Message &message);

    AgentOptions m_options;
    CredentialStore *m_credentials;
    Spool *m_spool;
    QStringList m_capabilities;
    // A new socket for every attempt: a socket keeps the close code and error of its last
    // connection, and a refusal from then must not be read as the reason a later one ended.
    std::unique_ptr<QWebSocket> m_socket;
    Backoff m_backoff;
    QTimer m_reconnectTimer;
    QTimer m_pumpTimer; // wakes the pump when the replay rate allows more
    QTimer m_livenessTimer;
    QTimer m_stopTimer;
    QElapsedTimer m_sinceLastMessage;
    QString m_credential;
    QByteArray m_pin; // SHA-256 of the console certificate we trust
    QByteArray m_givenPin; // from --fingerprint: kept only once the console has shown it
    std::optional<QAbstractSocket::SocketError> m_socketError; // of the current attempt
    bool m_usingToken = false;
    bool m_rejectedCertificate = false;
    bool m_connected = false; // the WebSocket handshake completed
    bool m_online = false; // welcomed by the console
    bool m_stopping = false;
    bool m_failureReported = false; // the current attempt's failure was named
    std::deque<std::pair<qint64, qint64>> m_inFlight; // (seq, rounds) sent and not yet acked
    double m_replayBudget = 0; // rounds that may be sent now
    QElapsedTimer m_budgetClock;
};

} // namespace StreamSwarm::Agent
