// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "agentsession.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QWebSocket>

#include "console/app/failureevents.h"
#include "console/server/agentadmission.h"
#include "console/storage/storageservice.h"
#include "shared/protocol/codec.h"
#include "shared/util/logging.h"
#include "shared/util/monotonic.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

namespace {

constexpr int HELLO_TIMEOUT_MS = 10000;
// A half-open connection (the agent's host lost power, a link died) is dropped once nothing came
// for SILENCE_LIMIT_MS, checked at every ping: within 25 s. The agent answers every ping.
constexpr int PING_INTERVAL_MS = 5000;
constexpr qint64 SILENCE_LIMIT_MS = 20000;
constexpr int CLOSE_HANDSHAKE_MS = 2000;
// An agent sends a results batch every 250 ms and a pong every 5 s, and after a reconnect up to 32
// unacked batches at once; 100 messages a second with bursts of 500 is far above that, so only a
// broken or hostile agent meets the limit, before it can keep the database thread busy for others.
constexpr int MESSAGE_BURST = 500;
constexpr qint64 MESSAGE_INTERVAL_MS = 10; // 100 a second
// Batches stored but not yet acked: twice what an agent keeps in flight. Beyond it an agent sends
// faster than the database writes, and the queue would grow in memory without bound.
constexpr int MAX_BATCHES_IN_FLIGHT = 64;

} // namespace

AgentSession::AgentSession(
    QWebSocket *socket, StorageService *storage, std::shared_ptr<FailureEvents> failures, QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_storage(storage)
    , m_failures(std::move(failures))
    , m_peerAddress(socket->peerAddress())
    , m_peerPort(socket->peerPort())
    , m_localAddress(socket->localAddress())
    , m_messageBudget(MESSAGE_BURST, MESSAGE_INTERVAL_MS, monotonicMs())
{
    m_socket->setParent(this);
    connect(m_socket, &QWebSocket::binaryMessageReceived, this, &AgentSession::handleBinaryMessage);
    connect(m_socket, &QWebSocket::textMessageReceived, this, &AgentSession::handleTextMessage);
    connect(m_socket, &QWebSocket::disconnected, this, &AgentSession::handleDisconnected);
    m_socket->setMaxAllowedIncomingMessageSize(Protocol::MAX_MESSAGE_BYTES);
    m_socket->setMaxAllowedIncomingFrameSize(Protocol::MAX_MESSAGE_BYTES);

    m_helloTimer.setSingleShot(true);
    m_helloTimer.setTimerType(Qt::PreciseTimer); // a coarse one may be 5 % late or early; we promise 10 s
    m_helloTimer.setInterval(HELLO_TIMEOUT_MS);
    connect(&m_helloTimer, &QTimer::timeout, this,
        [this] { close(Protocol::CloseHelloTimeout, tr("No hello within 10 seconds.")); });
    m_helloTimer.start();
    m_pingTimer.setInterval(PING_INTERVAL_MS);
    connect(&m_pingTimer, &QTimer::timeout, this, &AgentSession::sendPing);
    m_sinceLastMessage.start();

    const QByteArray header = m_socket->request().rawHeader("Authorization");
    const QByteArray prefix = "Bearer ";
    if (header.startsWith(prefix))
        m_secret = Auth::Secret::parse(QString::fromLatin1(header.mid(prefix.size())));
    if (!m_secret) {
        // Say which: an agent that sent a mangled token must not be told to send a token.
        const QString reason = header.isEmpty()
            ? tr("No credentials were sent; start the agent with --token (made with 'token create').")
            : tr("The token or credential sent is malformed (they look like sse_... or ssa_...); copy the token "
                 "again, whole.");
        // Defer: closing inside the server's newConnection handler would re-enter it.
        QMetaObject::invokeMethod(
            this,
            [this, reason] {
                Q_EMIT authenticationFailed(this);
                Q_EMIT refused(peer(), reason);
                close(Protocol::CloseAuthenticationFailed, reason);
            },
            Qt::QueuedConnection);
    }
}

AgentSession::~AgentSession()
{
    // ~QWebSocket emits disconnected(); do not let it call back into a half-destroyed session.
    m_socket->disconnect(this);
}

QString AgentSession::peer() const
{
    return m_peerAddress.toString() + u':' + QString::number(m_peerPort);
}

void AgentSession::close(int code, const QString &reason)
{
    if (m_state == State::Closing)
        return;
    m_state = State::Closing;
    m_helloTimer.stop();
    m_pingTimer.stop();
    qCInfo(lcServer).noquote() << "closing" << peer() << (m_agent.name.isEmpty() ? QString() : m_agent.name) << "code"
                               << code << reason;
    // A close reason must fit in one control frame: 123 bytes of UTF-8.
    QString fitted = reason;
    while (fitted.toUtf8().size() > 123)
        fitted.chop(fitted.size() > 1 && fitted.at(fitted.size() - 1).isLowSurrogate() ? 2 : 1);
    m_socket->close(QWebSocketProtocol::CloseCode(code), fitted);
    // A socket that was gone already emits no disconnected(); finish anyway, so the server does not
    // count this connection as pending for ever.
    if (m_socket->state() == QAbstractSocket::UnconnectedState) {
        QMetaObject::invokeMethod(this, &AgentSession::handleDisconnected, Qt::QueuedConnection);
        return;
    }
    // A peer that is gone without a word (half-open connection) never answers the close frame.
    QTimer::singleShot(CLOSE_HANDSHAKE_MS, this, [this] {
        if (m_socket->state() != QAbstractSocket::UnconnectedState)
            m_socket->abort();
    });
}

void AgentSession::send(const Protocol::Message &message)
{
    m_socket->sendBinaryMessage(Protocol::encode(message));
}

void AgentSession::sendAssign(const Protocol::Assign &assign)
{
    if (m_state != State::Online)
        return;
    const bool same = m_assignSent && assign.tests == m_lastAssign.tests;
    if (same)
        return;
    m_lastAssign = assign;
    m_assignSent = true;
    send({assign});
}

void AgentSession::handleTextMessage(const QString &)
{
    close(Protocol::CloseBadMessage, tr("Text frames are not part of the protocol."));
}

void AgentSession::handleBinaryMessage(const QByteArray &bytes)
{
    if (m_state == State::Closing)
        return;
    m_sinceLastMessage.restart();
    // Checked before decoding: a flood costs one comparison a message, not a parse.
    if (!m_messageBudget.take(monotonicMs())) {
        close(Protocol::CloseRateLimited,
            tr("Too many messages: more than %1 a second. Slow down.").arg(1000 / MESSAGE_INTERVAL_MS));
        return;
    }
    Protocol::DecodeError error;
    const auto message = Protocol::decode(bytes, &error);
    if (!message) {
        close(Protocol::CloseBadMessage, tr("Bad message: %1").arg(error.reason));
        return;
    }
    const Protocol::MessageType type = message->type();
    if (m_state == State::AwaitingHello && type == Protocol::MessageType::Hello) {
        handleHello(std::get<Protocol::Hello>(message->payload));
    } else if (m_state == State::Online && type == Protocol::MessageType::Results) {
        handleResults(std::get<Protocol::Results>(message->payload));
    } else if (m_state == State::Online && type == Protocol::MessageType::Event) {
        handleEvent(std::get<Protocol::Event>(message->payload));
    } else if (m_state == State::Online && type == Protocol::MessageType::Rekeyed && m_rekeying) {
        handleRekeyed();
    } else if (m_state == State::Online && type == Protocol::MessageType::Pong) {
        handlePong(std::get<Protocol::Pong>(message->payload));
    } else if (m_state == State::Online
        && (type == Protocol::MessageType::BulkRequest || type == Protocol::MessageType::BulkRelease
            || type == Protocol::MessageType::Serving)) {
        Q_EMIT turnMessage(this, *message);
    } else {
        close(
            Protocol::CloseBadMessage, tr("Unexpected %1 message at this point.").arg(Protocol::messageTypeName(type)));
    }
}

void AgentSession::sendTurnMessage(const Protocol::Message &message)
{
    if (m_state == State::Online)
        send(message);
}

void AgentSession::startRekey()
{
    if (m_state != State::Online || std::exchange(m_rekeying, true))
        return;
    const qint64 agentId = m_agent.id;
    m_storage->run(
        this,
        [agentId](Repositories &repos) {
            QString error;
            const auto credential = repos.agents.prepareRekey(agentId, &error);
            return std::make_pair(credential.value_or(QString()), error);
        },
        [this](const std::pair<QString, QString> &prepared) {
            if (prepared.first.isEmpty()) {
                qCWarning(lcServer).noquote() << "cannot re-key" << m_agent.name << ":" << prepared.second;
                m_rekeying = false;
                return;
            }
            if (m_state == State::Online)
                send({Protocol::Rekey{prepared.first}});
        });
}

void AgentSession::handleRekeyed()
{
    m_rekeying = false;
    const qint64 agentId = m_agent.id;
    const QString name = m_agent.name;
    m_storage->run(
        this,
        [agentId, name](Repositories &repos) {
            QString error;
            if (!repos.db.beginWrite(&error) || !repos.agents.completeRekey(agentId, &error)
                || !repos.events.audit(
                    u"agent-rekeyed"_s, Protocol::EventText(u"agent-rekeyed"_s, {name}), agentId, 0, &error)
                || !repos.db.commit(&error)) {
                repos.db.rollback();
            }
            return error;
        },
        [this](const QString &error) {
            if (!error.isEmpty())
                qCWarning(lcServer).noquote() << error;
            else
                qCInfo(lcServer).noquote() << "agent" << m_agent.name << "re-keyed";
            Q_EMIT rekeyed(m_agent.id);
        });
}

void AgentSession::handleHello(const Protocol::Hello &hello)
{
    if (!m_secret)
        return;
    m_state = State::Authenticating;
    m_helloTimer.stop();
    m_stampPort = hello.agent.stampPort;
    m_storage->run(
        this,
        [secret = *m_secret, hello, peer = peer()](
            Repositories &repos) { return admitAgent(repos, secret, hello, peer); },
        [this](const AdmissionOutcome &outcome) {
            if (m_state == State::Closing)
                return;
            if (!outcome.agent) {
                const QString reason = outcome.refusal.isEmpty()
                    ? tr("The console cannot check credentials right now; try again later.")
                    : outcome.refusal.text();
                if (!outcome.error.isEmpty())
                    qCWarning(lcServer).noquote() << outcome.error;
                if (!outcome.refusal.isEmpty())
                    Q_EMIT authenticationFailed(this);
                Q_EMIT refused(peer(), reason);
                if (outcome.nameTaken) {
                    // The full sentence is in the event log; a close reason holds 123 bytes, and the
                    // agent explains this code in its own words.
                    close(Protocol::CloseNameTaken, tr("That name belongs to an enrolled agent."));
                    return;
                }
                close(outcome.refusal.isEmpty() ? int(QWebSocketProtocol::CloseCodeBadOperation)
                                                : int(Protocol::CloseAuthenticationFailed),
                    reason);
                return;
            }
            m_agent = *outcome.agent;
            m_state = State::Online;
            m_secret.reset(); // nothing secret stays in memory longer than needed
            Protocol::Welcome welcome;
            welcome.agentId = m_agent.id;
            welcome.agentName = m_agent.name;
            welcome.credential = outcome.credential;
            welcome.lastSeq = m_agent.lastSeq;
            send({welcome});
            m_pingTimer.start();
            sendPing(); // the first clock reading now, not in 5 s
            qCInfo(lcServer).noquote() << "agent" << m_agent.name << "online from" << peer()
                                       << (outcome.credential.isEmpty() ? "" : "(enrolled)");
            Q_EMIT authenticated(this);
        });
}

void AgentSession::handleResults(const Protocol::Results &results)
{
    if (m_batchesInFlight >= MAX_BATCHES_IN_FLIGHT) {
        close(Protocol::CloseRateLimited,
            tr("More than %1 result batches are waiting to be stored; send fewer at a time.")
                .arg(MAX_BATCHES_IN_FLIGHT));
        return;
    }
    ++m_batchesInFlight;
    const qint64 agentId = m_agent.id;
    // Stored together with the batches of other agents that arrive meanwhile: one durable commit
    // for them all. The ack goes only after that commit.
    m_storage->runGrouped(
        this,
        [agentId, results, failed = m_storeFailed, failures = m_failures](Repositories &repos) {
            QString error;
            if (failed->load())
                return std::make_pair(std::optional<StoreOutcome>(), error);
            const auto outcome = repos.samples.storeResults(agentId, results,
                failures->eventsFor(agentId, results.rounds), QDateTime::currentMSecsSinceEpoch(), &error);
            if (outcome == StoreOutcome::Stored)
                failures->accept(agentId, results.rounds);
            if (!outcome)
                failed->store(true);
            return std::make_pair(outcome, error);
        },
        // The shared commit failed: no later batch of this session may be stored (acks are cumulative),
        // and the agent sends this one again, so how its tests were failing is learnt again from it.
        [agentId, failed = m_storeFailed, failures = m_failures] {
            failed->store(true);
            failures->forget(agentId);
        },
        [this, results](const std::pair<std::optional<StoreOutcome>, QString> &stored, const QString &notCommitted) {
            --m_batchesInFlight;
            if (m_state != State::Online)
                return;
            if (!stored.first || !notCommitted.isEmpty()) {
                const QString why = notCommitted.isEmpty() ? stored.second : notCommitted;
                if (!why.isEmpty())
                    qCWarning(lcServer).noquote() << why;
                // No ack: the agent keeps the batch and sends it again after reconnecting.
                close(QWebSocketProtocol::CloseCodeBadOperation,
                    Database::meansDiskFull(why)
                        ? tr("The console's disk is full, so it stores nothing now; this agent keeps its results "
                             "until space is freed there.")
                        : tr("The console cannot store results right now."));
                return;
            }
            send({Protocol::Ack{results.seq}});
            if (*stored.first == StoreOutcome::Stored)
                Q_EMIT roundsStored(m_agent.id, results.rounds);
        });
}

void AgentSession::handleEvent(const Protocol::Event &event)
{
    const qint64 agentId = m_agent.id;
    m_storage->post([agentId, event](Repositories &repos) { repos.events.add(agentId, event, nullptr); });
}

void AgentSession::handlePong(const Protocol::Pong &pong)
{
    const auto estimate = m_clock.add(pong.pingTimeMs, pong.agentTimeMs, QDateTime::currentMSecsSinceEpoch());
    if (!estimate || estimate == m_storedClock)
        return;
    m_storedClock = estimate;
    m_agent.clockOffsetMs = estimate->offsetMs;
    m_agent.clockErrorMs = estimate->errorMs;
    const bool reportSkew = m_agent.clockSkewed() && !std::exchange(m_skewReported, true);
    const qint64 agentId = m_agent.id;
    const Protocol::EventText message = reportSkew
        ? Protocol::EventText(estimate->offsetMs > 0 ? u"agent-clock-ahead"_s : u"agent-clock-behind"_s,
            {m_agent.name, std::abs(estimate->offsetMs), estimate->errorMs})
        : Protocol::EventText();
    m_storage->post([agentId, estimate = *estimate, message](Repositories &repos) {
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        repos.agents.recordClock(agentId, estimate.offsetMs, estimate.errorMs, now, nullptr);
        if (!message.isEmpty())
            repos.events.add(now, u"warning"_s, u"agent-clock-skew"_s, agentId, 0, message, nullptr);
    });
    Q_EMIT clockMeasured(agentId, estimate->offsetMs, estimate->errorMs);
}

void AgentSession::sendPing()
{
    if (m_sinceLastMessage.elapsed() > SILENCE_LIMIT_MS) {
        close(QWebSocketProtocol::CloseCodeGoingAway,
            tr("No answer from the agent for %1 seconds.").arg(SILENCE_LIMIT_MS / 1000));
        return;
    }
    send({Protocol::Ping{QDateTime::currentMSecsSinceEpoch()}});
}

void AgentSession::handleDisconnected()
{
    if (std::exchange(m_finished, true))
        return;
    if (m_agent.id) {
        qCInfo(lcServer).noquote() << "agent" << m_agent.name << "went offline:" << int(m_socket->closeCode())
                                   << m_socket->closeReason();
    }
    m_state = State::Closing;
    m_helloTimer.stop();
    m_pingTimer.stop();
    Q_EMIT closed(this);
    deleteLater();
}

} // namespace StreamSwarm::Console
