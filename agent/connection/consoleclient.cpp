// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "consoleclient.h"

#include <cmath>

#include <QCoreApplication>
#include <QDateTime>
#include <QHostInfo>
#include <QNetworkRequest>
#include <QSslConfiguration>
#include <QSysInfo>

#include "agent/connection/credentialstore.h"
#include "agent/connection/spool.h"
#include "shared/auth/secret.h"
#include "shared/protocol/codec.h"
#include "shared/util/fingerprint.h"
#include "shared/util/logging.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Agent {

namespace {

// Half the console's limit of batches awaiting storage: the ack window is the backpressure. A slow
// database delays acks, the window fills, and the rest waits in the spool, not in anyone's memory.
constexpr int MAX_BATCHES_IN_FLIGHT = 32;
constexpr int LIVENESS_CHECK_MS = 2000;
constexpr qint64 SILENCE_LIMIT_MS = 20000; // the console pings every 5 s
constexpr qint64 PUMP_SLICE_MS = 5;

} // namespace

ConsoleClient::ConsoleClient(
    AgentOptions options, CredentialStore *credentials, Spool *spool, QStringList capabilities, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_credentials(credentials)
    , m_spool(spool)
    , m_capabilities(std::move(capabilities))
{
    m_reconnectTimer.setSingleShot(true);
    connect(&m_reconnectTimer, &QTimer::timeout, this, &ConsoleClient::connectToConsole);
    m_pumpTimer.setSingleShot(true);
    connect(&m_pumpTimer, &QTimer::timeout, this, &ConsoleClient::pump);
    m_livenessTimer.setInterval(LIVENESS_CHECK_MS);
    connect(&m_livenessTimer, &QTimer::timeout, this, &ConsoleClient::checkLiveness);
    m_stopTimer.setSingleShot(true);
    connect(&m_stopTimer, &QTimer::timeout, this, &ConsoleClient::finishStopping);
    m_budgetClock.start();
}

ConsoleClient::~ConsoleClient()
{
    // ~QWebSocket emits disconnected(); keep it from re-arming timers of a dying client.
    if (m_socket)
        m_socket->disconnect(this);
}

void ConsoleClient::replaceSocket()
{
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        // It may be the one emitting the signal we are handling now.
        m_socket.release()->deleteLater();
    }
    m_socketError.reset();
    m_failureReported = false;
    m_socket = std::make_unique<QWebSocket>();
    m_socket->setMaxAllowedIncomingMessageSize(Protocol::MAX_MESSAGE_BYTES);
    m_socket->setMaxAllowedIncomingFrameSize(Protocol::MAX_MESSAGE_BYTES);
    connect(m_socket.get(), &QWebSocket::connected, this, &ConsoleClient::handleConnected);
    connect(m_socket.get(), &QWebSocket::disconnected, this, &ConsoleClient::handleDisconnected);
    connect(m_socket.get(), &QWebSocket::binaryMessageReceived, this, &ConsoleClient::handleBinaryMessage);
    connect(m_socket.get(), qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this,
        &ConsoleClient::handleSocketError);
    connect(m_socket.get(), &QWebSocket::sslErrors, this, &ConsoleClient::handleSslErrors);
}

void ConsoleClient::handleSocketError(QAbstractSocket::SocketError error)
{
    if (!m_socketError)
        m_socketError = error; // the first error is the cause; what follows is its consequence
    // A refused or failed connect may not emit disconnected(); retry from here too.
    if (m_socket->state() == QAbstractSocket::UnconnectedState && !m_connected)
        reportConnectFailure();
}

void ConsoleClient::start()
{
    QString error;
    if (const auto stored = m_credentials->load(&error)) {
        m_credential = stored->credential;
        if (stored->server != m_options.server.toString())
            qCInfo(lcAgent).noquote() << "using the credential issued by" << stored->server;
    } else if (!error.isEmpty()) {
        Q_EMIT fatalError(error);
        return;
    }
    if (const auto pin = m_credentials->loadPin(&error)) {
        m_pin = *pin;
    } else if (!error.isEmpty()) {
        Q_EMIT fatalError(error);
        return;
    }
    // A fingerprint given by hand is checked against the console before it is kept: a typo must
    // not become the pin.
    m_givenPin = m_options.fingerprint;
    if (m_credential.isEmpty() && m_options.token.isEmpty()) {
        Q_EMIT fatalError(tr("This agent is not enrolled yet: start it once with --token TOKEN (made with "
                             "'streamswarm-console token create NAME'), --token-file FILE or STREAMSWARM_TOKEN."));
        return;
    }
    if (m_credential.isEmpty() && !Auth::Secret::parse(m_options.token)) {
        Q_EMIT fatalError(tr("The token given is not an enrollment token: they look like sse_ followed by letters and "
                             "digits. Copy it again, whole, from the output of 'streamswarm-console token create'."));
        return;
    }
    connectToConsole();
}

void ConsoleClient::stop(int timeoutMs)
{
    if (std::exchange(m_stopping, true))
        return;
    m_reconnectTimer.stop();
    if (!m_online) {
        finishStopping();
        return;
    }
    pump();
    // Wait for the acks of what is on its way, so the next start does not send it again.
    m_stopTimer.start(timeoutMs);
    if (m_inFlight.empty())
        finishStopping();
}

void ConsoleClient::finishStopping()
{
    m_stopTimer.stop();
    m_spool->persistAcked();
    if (!m_socket || m_socket->state() == QAbstractSocket::UnconnectedState) {
        Q_EMIT stopped();
        return;
    }
    connect(m_socket.get(), &QWebSocket::disconnected, this, &ConsoleClient::stopped, Qt::UniqueConnection);
    m_socket->close(QWebSocketProtocol::CloseCodeGoingAway, u"agent stopping"_s);
    // Do not wait for ever for the close handshake of a console that is gone.
    QTimer::singleShot(1000, this, [this] {
        if (m_socket->state() != QAbstractSocket::UnconnectedState)
            m_socket->abort();
    });
}

void ConsoleClient::connectToConsole()
{
    if (m_stopping)
        return;
    replaceSocket();
    m_usingToken = m_credential.isEmpty();
    const QString secret = m_usingToken ? m_options.token : m_credential;
    QNetworkRequest request(m_options.server);
    // The secret goes in a header, never the URL, so proxies and logs do not see it.
    request.setRawHeader("Authorization", "Bearer " + secret.toLatin1());
    request.setTransferTimeout(15000);
    if (m_options.server.scheme() == u"wss") {
        // Trust no CA: every certificate then raises sslErrors, where the pin decides, before the
        // request carrying the credential is sent.
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.setCaCertificates({});
        tls.setPeerVerifyMode(QSslSocket::VerifyPeer);
        tls.setProtocol(QSsl::TlsV1_2OrLater);
        request.setSslConfiguration(tls);
    }
    if (m_usingToken)
        qCInfo(lcAgent).noquote() << "connecting to" << m_options.server.toString() << "to enroll";
    else
        qCInfo(lcAgent).noquote() << "connecting to" << m_options.server.toString();
    m_socket->open(request);
}

void ConsoleClient::scheduleReconnect()
{
    if (m_stopping || m_reconnectTimer.isActive())
        return;
    const qint64 delay = m_backoff.nextDelayMs();
    qCInfo(lcAgent).noquote() << "reconnecting in" << delay << "ms";
    m_reconnectTimer.start(int(delay));
}

void ConsoleClient::handleSslErrors(const QList<QSslError> &errors)
{
    QSslCertificate peer = m_socket->sslConfiguration().peerCertificate();
    if (peer.isNull() && !errors.isEmpty())
        peer = errors.first().certificate();
    if (peer.isNull()) {
        m_socket->abort();
        return;
    }
    if (!checkPresentedCertificate(peer.digest(QCryptographicHash::Sha256))) {
        m_rejectedCertificate = true;
        m_socket->abort();
        return;
    }
    m_socket->ignoreSslErrors();
}

bool ConsoleClient::checkPresentedCertificate(const QByteArray &presented)
{
    QString error;
    if (!m_givenPin.isEmpty()) {
        if (presented != m_givenPin) {
            Q_EMIT fatalError(tr("The console's certificate %1 does not match the fingerprint you gave (%2). Check it "
                                 "for a typo: 'streamswarm-console fingerprint' on the console prints the right one.")
                                  .arg(formatFingerprint(presented), formatFingerprint(m_givenPin)));
            return false;
        }
        // It matched: from now on this is the certificate we trust, also without --fingerprint.
        if (m_pin != presented && !m_credentials->savePin(presented, &error)) {
            Q_EMIT fatalError(error);
            return false;
        }
        m_pin = presented;
        return true;
    }
    if (m_pin.isEmpty()) {
        if (!m_credentials->savePin(presented, &error)) {
            Q_EMIT fatalError(error);
            return false;
        }
        m_pin = presented;
        qCWarning(lcAgent).noquote() << "trusting the console's certificate" << formatFingerprint(presented)
                                     << "on first use (kept in" << m_credentials->pinPath()
                                     << "); compare it with 'streamswarm-console fingerprint' on the console";
    }
    if (presented != m_pin) {
        Q_EMIT fatalError(tr("THE CONSOLE'S CERTIFICATE HAS CHANGED: this agent trusts %1 but was shown %2. Someone "
                             "may be intercepting the connection. If the console's certificate was replaced on "
                             "purpose, check 'streamswarm-console fingerprint' there and start this agent with "
                             "--fingerprint %2.")
                              .arg(formatFingerprint(m_pin), formatFingerprint(presented)));
        return false;
    }
    return true;
}

void ConsoleClient::handleConnected()
{
    m_connected = true;
    m_sinceLastMessage.start();
    m_livenessTimer.start();
    Protocol::Hello hello;
    hello.agent.name = m_options.name;
    hello.agent.host = QHostInfo::localHostName().left(Protocol::MAX_TEXT_LENGTH);
    hello.agent.os = QSysInfo::prettyProductName().left(Protocol::MAX_TEXT_LENGTH);
    hello.agent.version = QCoreApplication::applicationVersion();
    hello.agent.capabilities = m_capabilities;
    hello.agent.stampPort = m_options.stampPort; // qos tests to this agent by name come there
    send({hello});
}

void ConsoleClient::handleDisconnected()
{
    const bool wasOnline = std::exchange(m_online, false);
    m_pumpTimer.stop();
    m_livenessTimer.stop();
    m_inFlight.clear();
    if (!std::exchange(m_connected, false)) {
        // The connect itself failed. Over TLS, disconnected() comes before error() names the
        // cause: report once that has been seen.
        QMetaObject::invokeMethod(this, &ConsoleClient::reportConnectFailure, Qt::QueuedConnection);
        return;
    }
    const int code = int(m_socket->closeCode());
    const QString reason = m_socket->closeReason();
    if (wasOnline)
        Q_EMIT connectionStateChanged(false);
    if (m_stopping)
        return;
    if (code == Protocol::CloseNameTaken) {
        Q_EMIT fatalError(tr("The console refused to enroll this agent: the name \"%1\" belongs to an agent that is "
                             "already enrolled (see the console's event log). Start this agent with another --name, "
                             "or, to move that agent to this host on purpose, make a token on the console with "
                             "'streamswarm-console token create NAME --replace %1' and start this agent with it.")
                              .arg(m_options.name));
        return;
    }
    if (code == Protocol::CloseAuthenticationFailed || code == Protocol::CloseAgentRevoked) {
        if (!m_usingToken && !m_options.token.isEmpty()) {
            qCWarning(lcAgent).noquote() << "the console refused the stored credential:" << reason
                                         << "- enrolling again with the token";
            m_credential.clear();
            connectToConsole();
            return;
        }
        Q_EMIT fatalError(tr("The console refused this agent: %1").arg(reason));
        return;
    }
    qCWarning(lcAgent).noquote() << "connection to the console lost:"
                                 << (reason.isEmpty() ? m_socket->errorString() : reason);
    scheduleReconnect();
}

void ConsoleClient::reportConnectFailure()
{
    // Both error() and disconnected() may announce one failed attempt: name its cause once.
    if (std::exchange(m_failureReported, true) || m_stopping || m_rejectedCertificate)
        return;
    const QString console = m_options.server.host() + u':' + QString::number(m_options.server.port());
    const QString detail = m_socket->errorString();
    if (detail.contains(u"426"_s)) {
        Q_EMIT fatalError(
            tr("The console speaks TLS only: start the agent with --server wss://%1 instead of ws://.").arg(console));
        return;
    }
    const bool tls = m_options.server.scheme() == u"wss";
    QString message;
    switch (m_socketError.value_or(m_socket->error())) {
    case QAbstractSocket::ConnectionRefusedError:
        // Qt reports an HTTP answer that is not a WebSocket upgrade as a refusal too.
        if (detail.contains(u"http"_s, Qt::CaseInsensitive) || detail.contains(u"handshake"_s, Qt::CaseInsensitive)) {
            message = tr("The server at %1 answered, but not as a StreamSwarm console (%2). Check the host and port "
                         "in --server.")
                          .arg(console, detail);
        } else {
            message = tr("Cannot reach the console at %1: the connection was refused. Is the console running and "
                         "listening on that port?")
                          .arg(console);
        }
        break;
    case QAbstractSocket::HostNotFoundError:
        message = tr("Cannot reach the console: the host name %1 was not found.").arg(m_options.server.host());
        break;
    case QAbstractSocket::SocketTimeoutError:
        message = tr("Cannot reach the console at %1: it did not answer in time.").arg(console);
        break;
    case QAbstractSocket::SslHandshakeFailedError:
    case QAbstractSocket::RemoteHostClosedError:
    case QAbstractSocket::SslInternalError:
        if (tls) {
            message = tr("The console at %1 did not complete a TLS handshake (%2). If it was started with --insecure "
                         "it does not speak TLS: use ws:// and --insecure here.")
                          .arg(console, detail);
            break;
        }
        [[fallthrough]];
    default:
        message = tr("Cannot reach the console at %1: %2").arg(console, detail);
    }
    qCWarning(lcAgent).noquote() << message;
    scheduleReconnect();
}

void ConsoleClient::handleBinaryMessage(const QByteArray &bytes)
{
    m_sinceLastMessage.restart();
    Protocol::DecodeError error;
    const auto message = Protocol::decode(bytes, &error);
    if (!message) {
        qCWarning(lcAgent).noquote() << "bad message from the console:" << error.reason;
        m_socket->close(QWebSocketProtocol::CloseCodeProtocolError, error.reason.left(120));
        return;
    }
    switch (message->type()) {
    case Protocol::MessageType::Welcome:
        handleWelcome(std::get<Protocol::Welcome>(message->payload));
        break;
    case Protocol::MessageType::Assign:
        if (m_online)
            Q_EMIT assignmentReceived(std::get<Protocol::Assign>(message->payload).tests);
        break;
    case Protocol::MessageType::Rekey:
        handleRekey(std::get<Protocol::Rekey>(message->payload));
        break;
    case Protocol::MessageType::Ack:
        handleAck(std::get<Protocol::Ack>(message->payload).seq);
        break;
    case Protocol::MessageType::Ping:
        send({Protocol::Pong{std::get<Protocol::Ping>(message->payload).timeMs, QDateTime::currentMSecsSinceEpoch()}});
        break;
    case Protocol::MessageType::BulkGrant:
    case Protocol::MessageType::Serve:
    case Protocol::MessageType::ServeStop:
        if (m_online)
            Q_EMIT turnMessageReceived(*message);
        break;
    default:
        qCWarning(lcAgent).noquote() << "unexpected" << Protocol::messageTypeName(message->type())
                                     << "message from the console";
    }
}

void ConsoleClient::handleWelcome(const Protocol::Welcome &welcome)
{
    if (!welcome.credential.isEmpty()) {
        StoredCredential stored{m_options.server.toString(), welcome.agentName, welcome.agentId, welcome.credential};
        QString error;
        if (!m_credentials->save(stored, &error)) {
            Q_EMIT fatalError(error);
            return;
        }
        m_credential = welcome.credential;
        m_options.token.clear(); // used once; from now on the credential speaks for us
        qCInfo(lcAgent).noquote() << "enrolled as" << welcome.agentName << "- credential kept in"
                                  << m_credentials->filePath();
    }
    m_online = true;
    m_backoff.reset();
    // The console may hold batches this spool never wrote (its state was wiped): number after them.
    m_spool->continueAfter(welcome.lastSeq);
    const Spool::Loss settled = m_spool->consoleHolds(welcome.lastSeq);
    if (settled.rounds > 0)
        Q_EMIT inFlightLossSettled(settled);
    m_spool->rewind();
    m_inFlight.clear();
    const qint64 waiting = m_spool->unackedBatches();
    if (waiting > 0)
        qCInfo(lcAgent).noquote() << "online as" << welcome.agentName << "- sending" << waiting
                                  << "batch(es) from the spool";
    else
        qCInfo(lcAgent).noquote() << "online as" << welcome.agentName;
    Q_EMIT connectionStateChanged(true);
    pump();
}

void ConsoleClient::handleRekey(const Protocol::Rekey &rekey)
{
    QString error;
    auto stored = m_credentials->load(&error);
    if (!stored || !Auth::Secret::parse(rekey.credential)) {
        qCWarning(lcAgent).noquote() << "cannot take the new credential:"
                                     << (error.isEmpty() ? u"it is not a credential"_s : error);
        return;
    }
    stored->credential = rekey.credential;
    // Only once it is safely on disk does the console retire the old one.
    if (!m_credentials->save(*stored, &error)) {
        qCWarning(lcAgent).noquote() << "cannot keep the new credential:" << error;
        return;
    }
    m_credential = rekey.credential;
    send({Protocol::Rekeyed{}});
    qCInfo(lcAgent) << "the console gave this agent a new credential; it is kept in" << m_credentials->filePath();
}

void ConsoleClient::pump()
{
    if (!m_online)
        return;
    // The replay rate: a bucket of rounds refilled at replayRate a second, holding one second's worth.
    const double rate = double(m_options.replayRoundsPerSecond);
    m_replayBudget = std::min(rate, m_replayBudget + rate * double(m_budgetClock.restart()) / 1000.0);
    // A replay after an outage reads, decodes and sends up to a window of batches: in slices of a
    // few milliseconds, so the probes' timers on this thread start their rounds on time meanwhile.
    QElapsedTimer slice;
    slice.start();
    while (m_inFlight.size() < MAX_BATCHES_IN_FLIGHT && m_spool->hasUnsent()) {
        if (slice.elapsed() >= PUMP_SLICE_MS) {
            m_pumpTimer.start(0);
            return;
        }
        if (m_replayBudget <= 0) {
            m_pumpTimer.start(int(std::ceil(1000.0 * (1.0 - m_replayBudget) / rate)));
            return;
        }
        QString error;
        const auto batch = m_spool->readNextMessage(&error);
        if (!error.isEmpty())
            qCWarning(lcAgent).noquote() << error;
        if (!batch)
            break;
        m_replayBudget -= double(std::max<qsizetype>(1, batch->rounds));
        m_inFlight.emplace_back(batch->seq, batch->rounds);
        m_socket->sendBinaryMessage(Protocol::withDeliveryFields(
            batch->message, std::min(m_spool->floorSeq(), batch->seq), m_spool->lostRounds(), m_spool->lostUntilMs()));
    }
}

void ConsoleClient::handleAck(qint64 seq)
{
    m_spool->acknowledge(seq);
    while (!m_inFlight.empty() && m_inFlight.front().first <= seq)
        m_inFlight.pop_front();
    Q_EMIT acknowledged(seq);
    if (m_stopping) {
        if (m_inFlight.empty() && !m_spool->hasUnsent())
            finishStopping();
        else
            pump();
        return;
    }
    pump();
}

void ConsoleClient::sendEvent(const Protocol::Event &event)
{
    if (m_online)
        send({event});
}

void ConsoleClient::checkLiveness()
{
    if (m_sinceLastMessage.elapsed() > SILENCE_LIMIT_MS) {
        qCWarning(lcAgent).noquote() << "no word from the console for" << SILENCE_LIMIT_MS / 1000 << "s; reconnecting";
        m_socket->abort();
    }
}

void ConsoleClient::sendTurnMessage(const Protocol::Message &message)
{
    if (m_online)
        send(message);
}

void ConsoleClient::send(const Protocol::Message &message)
{
    m_socket->sendBinaryMessage(Protocol::encode(message));
}

} // namespace StreamSwarm::Agent
