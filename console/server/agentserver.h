// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <memory>

#include <QHash>
#include <QHostAddress>
#include <QObject>
#include <QSet>
#include <QTimer>
#include <QWebSocketServer>

#include "console/server/admissioncontrol.h"
#include "console/server/agentlistener.h"
#include "shared/protocol/messages.h"

namespace StreamSwarm::Console {

class AgentSession;
class FailureEvents;
class StorageService;

// Accepts agent WebSockets, turning away addresses that failed to authenticate too often or hold
// too many unauthenticated connections, and keeps one session per online agent. Lives on the main
// thread.
class AgentServer final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AgentServer)
public:
    AgentServer(StorageService *storage, QObject *parent);
    ~AgentServer() override;

    // tls: wss:// with this identity; nullopt: plain ws:// (--insecure).
    bool listen(const QHostAddress &address, quint16 port, const std::optional<QSslConfiguration> &tls, QString *error);
    QString listenUrl() const; // wss://host:port (ws:// when insecure) as agents should dial it
    QHostAddress address() const { return m_listener ? m_listener->serverAddress() : QHostAddress(); }
    quint16 port() const { return m_listener ? m_listener->serverPort() : 0; }

    AgentSession *session(qint64 agentId) const { return m_online.value(agentId); }
    QList<AgentSession *> sessions() const { return m_online.values(); }
    void disconnectAgent(qint64 agentId, int code, const QString &reason);
    void closeAll(); // on shutdown

Q_SIGNALS:
    void agentOnline(StreamSwarm::Console::AgentSession *session);
    void agentOffline(qint64 agentId);
    void agentRekeyed(qint64 agentId);
    void roundsStored(qint64 agentId, const QList<StreamSwarm::Protocol::Round> &rounds);
    // An online agent's bulk-request, bulk-release or serving.
    void turnMessage(qint64 agentId, const StreamSwarm::Protocol::Message &message);
    void authenticationRefused(const QString &peer, const QString &reason);
    // Too many failed attempts: the address is refused for a while; the event is in the database.
    void addressLockedOut(const QHostAddress &address, qint64 durationMs);

private:
    void handleNewConnection();
    void handleAuthenticated(AgentSession *session);
    void handleSessionClosed(AgentSession *session);
    void handleAuthenticationFailed(AgentSession *session);
    void refuse(QWebSocket *socket, const AdmissionControl::Verdict &verdict);

    QWebSocketServer m_server; // speaks WebSocket on sockets the listener hands it
    AgentListener *m_listener = nullptr; // the TCP port, with TLS unless insecure
    StorageService *m_storage;
    std::shared_ptr<FailureEvents> m_failures; // for every session's batches, on the storage thread
    QHash<qint64, AgentSession *> m_online;
    AdmissionControl m_admission;
    QSet<AgentSession *> m_unauthenticated; // admitted, counted as pending until they authenticate
    QTimer m_expiryTimer;
};

} // namespace StreamSwarm::Console
