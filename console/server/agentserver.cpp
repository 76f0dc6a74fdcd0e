// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "agentserver.h"

#include <QCoreApplication>
#include <QWebSocket>

#include "console/server/agentsession.h"
#include "shared/util/logging.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

AgentServer::AgentServer(StorageService *storage, QObject *parent)
    : QObject(parent)
    , m_server(u"StreamSwarm"_s, QWebSocketServer::NonSecureMode)
    , m_storage(storage)
{
    connect(&m_server, &QWebSocketServer::newConnection, this, &AgentServer::handleNewConnection);
}

AgentServer::~AgentServer()
{
    m_server.close();
}

bool AgentServer::listen(const QHostAddress &address, quint16 port, QString *error)
{
    if (m_server.listen(address, port))
        return true;
    if (error) {
        *error = QCoreApplication::translate("StreamSwarm::Console::AgentServer",
            "Cannot listen on %1 port %2: %3. Pick another address or port with "
            "--listen HOST:PORT.")
                     .arg(address.toString())
                     .arg(port)
                     .arg(m_server.errorString());
    }
    return false;
}

QString AgentServer::listenUrl() const
{
    const QHostAddress address = m_server.serverAddress();
    QString host = address == QHostAddress::Any || address == QHostAddress::AnyIPv4 ? u"127.0.0.1"_s
        : address == QHostAddress::AnyIPv6                                          ? u"::1"_s
                                                                                    : address.toString();
    if (host.contains(u':'))
        host = u'[' + host + u']';
    return u"ws://%1:%2"_s.arg(host).arg(m_server.serverPort());
}

void AgentServer::handleNewConnection()
{
    while (QWebSocket *socket = m_server.nextPendingConnection()) {
        auto *session = new AgentSession(socket, m_storage, this);
        connect(session, &AgentSession::authenticated, this, &AgentServer::handleAuthenticated);
        connect(session, &AgentSession::closed, this, &AgentServer::handleSessionClosed);
        connect(session, &AgentSession::roundsStored, this, &AgentServer::roundsStored);
        connect(session, &AgentSession::refused, this, &AgentServer::authenticationRefused);
    }
}

void AgentServer::handleAuthenticated(AgentSession *session)
{
    if (AgentSession *previous = m_online.value(session->agentId()); previous && previous != session) {
        m_online.remove(session->agentId());
        previous->close(Protocol::CloseReplaced,
            QCoreApplication::translate("StreamSwarm::Console::AgentServer", "The same agent connected again from %1.")
                .arg(session->peer()));
    }
    m_online.insert(session->agentId(), session);
    Q_EMIT agentOnline(session);
}

void AgentServer::handleSessionClosed(AgentSession *session)
{
    const qint64 agentId = session->agentId();
    if (agentId && m_online.value(agentId) == session) {
        m_online.remove(agentId);
        Q_EMIT agentOffline(agentId);
    }
}

void AgentServer::disconnectAgent(qint64 agentId, int code, const QString &reason)
{
    if (AgentSession *session = m_online.value(agentId))
        session->close(code, reason);
}

void AgentServer::closeAll()
{
    m_server.close();
    const auto sessions = findChildren<AgentSession *>(Qt::FindDirectChildrenOnly);
    for (AgentSession *session : sessions)
        session->close(QWebSocketProtocol::CloseCodeGoingAway, u"The console is shutting down."_s);
}

} // namespace StreamSwarm::Console
