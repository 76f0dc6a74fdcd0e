// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QHash>
#include <QHostAddress>
#include <QObject>
#include <QSet>
#include <QTimer>
#include <QWebSocketServer>

#include "console/server/admissioncontrol.h"
#include "shared/protocol/messages.h"

namespace StreamSwarm::Console {

class AgentSession;
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

    bool listen(const QHostAddress &address, quint16 port, QString *error);
    QString listenUrl() const; // ws://host:port as agents should dial it
    QHostAddress address() const { return m_server.serverAddress(); }
    quint16 port() const { return m_server.serverPort(); }

    AgentSession *session(qint64 agentId) const { return m_online.value(agentId); }
    QList<AgentSession *> sessions() const { return m_online.values(); }
    void disconnectAgent(qint64 agentId, int code, const QString &reason);
    void closeAll(); // on shutdown

Q_SIGNALS:
    void agentOnline(StreamSwarm::Console::AgentSession *session);
    void agentOffline(qint64 agentId);
    void roundsStored(qint64 agentId, const QList<StreamSwarm::Protocol::Round> &rounds);
    void authenticationRefused(const QString &peer, const QString &reason);
    // Too many failed attempts: the address is refused for a while; the event is in the database.
    void addressLockedOut(const QHostAddress &address, qint64 durationMs);

private:
    void handleNewConnection();
    void handleAuthenticated(AgentSession *session);
    void handleSessionClosed(AgentSession *session);
    void handleAuthenticationFailed(AgentSession *session);
    void refuse(QWebSocket *socket, const AdmissionControl::Verdict &verdict);

    QWebSocketServer m_server;
    StorageService *m_storage;
    QHash<qint64, AgentSession *> m_online;
    AdmissionControl m_admission;
    QSet<AgentSession *> m_unauthenticated; // admitted, counted as pending until they authenticate
    QTimer m_expiryTimer;
};

} // namespace StreamSwarm::Console
