// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <atomic>
#include <memory>

#include <QElapsedTimer>
#include <QHostAddress>
#include <QObject>
#include <QTimer>

#include "console/domain/clockoffset.h"
#include "console/server/admissioncontrol.h"
#include "console/storage/records.h"
#include "shared/auth/secret.h"
#include "shared/protocol/messages.h"

class QWebSocket;

namespace StreamSwarm::Console {

class FailureEvents;
class StorageService;

// One agent's WebSocket: authenticates it (enrollment token or agent credential from the
// Authorization header, checked when hello arrives), then stores its results and acks each batch
// after the commit. Caps how fast an agent may send. Lives on the server's thread; deletes itself
// when the socket closes.
class AgentSession final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AgentSession)
public:
    // failures: the console's memory of which tests are failing, shared by every session and used
    // only by jobs on the storage thread.
    AgentSession(QWebSocket *socket, StorageService *storage, std::shared_ptr<FailureEvents> failures, QObject *parent);
    ~AgentSession() override;

    qint64 agentId() const { return m_agent.id; }
    const AgentRecord &agent() const { return m_agent; }
    QString peer() const; // address:port, for logs and events
    QHostAddress peerAddress() const { return m_peerAddress; }
    QHostAddress localAddress() const { return m_localAddress; } // the console's end of the connection
    quint16 stampPort() const { return m_stampPort; } // the agent's STAMP reflector, as its hello said; 0 = none

    void sendAssign(const Protocol::Assign &assign);
    // A bandwidth turn's message (bulk-grant, serve, serve-stop); dropped unless online.
    void sendTurnMessage(const Protocol::Message &message);
    // Hands the agent a new credential; the old one stops working once the agent confirms.
    void startRekey();
    void close(int code, const QString &reason);

Q_SIGNALS:
    void rekeyed(qint64 agentId);
    void authenticated(StreamSwarm::Console::AgentSession *session);
    void refused(const QString &peer, const QString &reason);
    // The peer presented a missing, malformed or wrong secret (not emitted when the console itself
    // could not check it); counts against its address.
    void authenticationFailed(StreamSwarm::Console::AgentSession *session);
    void roundsStored(qint64 agentId, const QList<StreamSwarm::Protocol::Round> &rounds);
    void closed(StreamSwarm::Console::AgentSession *session);
    // bulk-request, bulk-release or serving: for the console's BulkTurns.
    void turnMessage(StreamSwarm::Console::AgentSession *session, const StreamSwarm::Protocol::Message &message);
    void clockMeasured(qint64 agentId, qint64 offsetMs, qint64 errorMs);

private:
    enum class State { AwaitingHello, Authenticating, Online, Closing };

    void handleBinaryMessage(const QByteArray &bytes);
    void handleTextMessage(const QString &text);
    void handleDisconnected();
    void handleHello(const Protocol::Hello &hello);
    void handleResults(const Protocol::Results &results);
    void handleEvent(const Protocol::Event &event);
    void handleRekeyed();
    void handlePong(const Protocol::Pong &pong);
    void sendPing();
    void send(const Protocol::Message &message);

    QWebSocket *m_socket;
    StorageService *m_storage;
    std::shared_ptr<FailureEvents> m_failures;
    QHostAddress m_peerAddress; // kept: the socket forgets it once closed
    quint16 m_peerPort = 0;
    QHostAddress m_localAddress;
    quint16 m_stampPort = 0;
    State m_state = State::AwaitingHello;
    bool m_rekeying = false;
    std::optional<Auth::ParsedSecret> m_secret;
    AgentRecord m_agent;
    Protocol::Assign m_lastAssign;
    bool m_assignSent = false;
    QTimer m_helloTimer;
    QTimer m_pingTimer;
    QElapsedTimer m_sinceLastMessage;
    TokenBucket m_messageBudget;
    int m_batchesInFlight = 0; // results handed to storage, not yet acked
    // Set by the storage thread when a batch could not be stored: the batches queued behind it are
    // not stored either, so what the console holds of an agent never has a hole below its last
    // seq (the agent counts on that when it settles what it dropped in flight).
    std::shared_ptr<std::atomic<bool>> m_storeFailed = std::make_shared<std::atomic<bool>>(false);
    ClockOffsetEstimator m_clock;
    std::optional<ClockOffsetEstimator::Estimate> m_storedClock; // last estimate written to storage
    bool m_skewReported = false;
    bool m_finished = false; // closed() was emitted
};

} // namespace StreamSwarm::Console
