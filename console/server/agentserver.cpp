// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "agentserver.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QWebSocket>

#include "console/app/failureevents.h"
#include "console/server/agentsession.h"
#include "console/storage/storageservice.h"
#include "shared/util/logging.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

namespace {

constexpr int HANDSHAKE_TIMEOUT_MS = 10000; // for the HTTP upgrade; hello then has its own 10 s
constexpr int EXPIRY_INTERVAL_MS = 60000;
constexpr int CLOSE_GRACE_MS = 5000; // a turned-away socket is dropped after this whatever the peer does

qint64 wholeSeconds(qint64 ms)
{
    return (ms + 999) / 1000;
}

} // namespace

AgentServer::AgentServer(StorageService *storage, QObject *parent)
    : QObject(parent)
    , m_server(u"StreamSwarm"_s, QWebSocketServer::NonSecureMode)
    , m_storage(storage)
    , m_failures(std::make_shared<FailureEvents>())
{
    m_server.setHandshakeTimeout(HANDSHAKE_TIMEOUT_MS);
    connect(&m_server, &QWebSocketServer::newConnection, this, &AgentServer::handleNewConnection);
    m_expiryTimer.setInterval(EXPIRY_INTERVAL_MS);
    connect(&m_expiryTimer, &QTimer::timeout, this, [this] { m_admission.expire(); });
    m_expiryTimer.start();
}

AgentServer::~AgentServer()
{
    if (m_listener)
        m_listener->close();
    m_server.close();
}

bool AgentServer::listen(
    const QHostAddress &address, quint16 port, const std::optional<QSslConfiguration> &tls, QString *error)
{
    delete m_listener;
    m_listener = new AgentListener(tls, this);
    connect(m_listener, &AgentListener::socketReady, this,
        [this](QTcpSocket *socket) { m_server.handleConnection(socket); });
    connect(m_listener, &AgentListener::connectionRefused, this, [](const QHostAddress &peer, const QString &why) {
        // Debug only, like other refusals at the door: a flood must not become a flood of log lines.
        qCDebug(lcServer).noquote() << "refused a connection from" << peer.toString() << "-" << why;
    });
    if (m_listener->listen(address, port))
        return true;
    if (error) {
        *error = QCoreApplication::translate("StreamSwarm::Console::AgentServer",
            "Cannot listen on %1 port %2: %3. Pick another address or port with "
            "--listen HOST:PORT.")
                     .arg(address.toString())
                     .arg(port)
                     .arg(m_listener->errorString());
    }
    return false;
}

QString AgentServer::listenUrl() const
{
    const QHostAddress address = m_listener ? m_listener->serverAddress() : QHostAddress();
    QString host = address == QHostAddress::Any || address == QHostAddress::AnyIPv4 ? u"127.0.0.1"_s
        : address == QHostAddress::AnyIPv6                                          ? u"::1"_s
                                                                                    : address.toString();
    if (host.contains(u':'))
        host = u'[' + host + u']';
    return u"%1://%2:%3"_s.arg(m_listener && m_listener->usesTls() ? u"wss"_s : u"ws"_s, host).arg(port());
}

void AgentServer::handleNewConnection()
{
    while (QWebSocket *socket = m_server.nextPendingConnection()) {
        const AdmissionControl::Verdict verdict = m_admission.admit(socket->peerAddress());
        if (verdict.decision != AdmissionControl::Decision::Ok) {
            refuse(socket, verdict);
            continue;
        }
        auto *session = new AgentSession(socket, m_storage, m_failures, this);
        m_unauthenticated.insert(session);
        connect(session, &AgentSession::authenticated, this, &AgentServer::handleAuthenticated);
        connect(session, &AgentSession::closed, this, &AgentServer::handleSessionClosed);
        connect(session, &AgentSession::roundsStored, this, &AgentServer::roundsStored);
        connect(
            session, &AgentSession::turnMessage, this, [this](AgentSession *from, const Protocol::Message &message) {
                if (m_online.value(from->agentId()) == from)
                    Q_EMIT turnMessage(from->agentId(), message);
            });
        connect(session, &AgentSession::rekeyed, this, &AgentServer::agentRekeyed);
        connect(session, &AgentSession::authenticationFailed, this, &AgentServer::handleAuthenticationFailed);
        connect(session, &AgentSession::refused, this, &AgentServer::authenticationRefused);
    }
}

void AgentServer::refuse(QWebSocket *socket, const AdmissionControl::Verdict &verdict)
{
    socket->setParent(this);
    connect(socket, &QWebSocket::disconnected, socket, &QObject::deleteLater);
    QTimer::singleShot(CLOSE_GRACE_MS, socket, [socket] {
        socket->abort();
        socket->deleteLater();
    });
    const bool lockedOut = verdict.decision == AdmissionControl::Decision::LockedOut;
    const QString reason = lockedOut
        ? tr("Too many failed attempts from this address; try again in %1 s.").arg(wholeSeconds(verdict.retryAfterMs))
        : tr("Too many connections are waiting to authenticate; try again later.");
    // Debug only: a flood would otherwise become a flood of log lines. The lockout was logged once.
    qCDebug(lcServer).noquote() << "turned away" << socket->peerAddress().toString() << reason;
    socket->close(
        QWebSocketProtocol::CloseCode(lockedOut ? Protocol::CloseTooManyAttempts : Protocol::CloseRateLimited), reason);
}

void AgentServer::handleAuthenticationFailed(AgentSession *session)
{
    const QHostAddress address = AdmissionControl::normalized(session->peerAddress());
    const std::optional<qint64> lockoutMs = m_admission.recordFailure(address);
    if (!lockoutMs)
        return;
    const qint64 durationMs = *lockoutMs;
    const Protocol::EventText message(u"auth-lockout"_s, {address.toString(), wholeSeconds(durationMs)});
    qCWarning(lcServer).noquote() << message.text();
    m_storage->run(
        this,
        [message](Repositories &repos) {
            return repos.events.add(
                QDateTime::currentMSecsSinceEpoch(), u"warning"_s, u"auth-lockout"_s, 0, 0, message, nullptr);
        },
        [this, address, durationMs](bool) { Q_EMIT addressLockedOut(address, durationMs); });
}

void AgentServer::handleAuthenticated(AgentSession *session)
{
    if (m_unauthenticated.remove(session))
        m_admission.connectionAuthenticated(session->peerAddress());
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
    if (m_unauthenticated.remove(session))
        m_admission.connectionClosedUnauthenticated(session->peerAddress());
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
    if (m_listener)
        m_listener->close();
    m_server.close();
    const auto sessions = findChildren<AgentSession *>(Qt::FindDirectChildrenOnly);
    for (AgentSession *session : sessions)
        session->close(QWebSocketProtocol::CloseCodeGoingAway, u"The console is shutting down."_s);
}

} // namespace StreamSwarm::Console
