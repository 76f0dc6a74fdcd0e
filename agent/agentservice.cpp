// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "agentservice.h"

#include <QCborMap>
#include <QCborValue>
#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QLocale>
#include <QSaveFile>

#include "agent/bulk/peerturns.h"
#include "agent/bulk/turnserver.h"
#include "agent/connection/consoleclient.h"
#include "agent/platform/linux/hardwarestamping.h"
#include "agent/probes/probefactory.h"
#include "agent/scheduler/scheduler.h"
#include "agent/stamp/stampreflector.h"
#include "shared/protocol/codec.h"
#include "shared/util/logging.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Agent {

namespace {

// Rounds wait at most this long in memory before they are on disk: what a crash can cost.
constexpr int SEAL_INTERVAL_MS = 250;

QString timeText(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs);
}

} // namespace

AgentService::AgentService(const AgentOptions &options, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_credentials(options.stateDir)
    , m_spool(options.stateDir + u"/spool"_s, options.spoolMaxBytes)
    , m_sealer(m_buffer, m_spool)
    , m_scheduler(new Scheduler(this))
    , m_client(new ConsoleClient(options, &m_credentials, &m_spool, probeCapabilities(), this))
    , m_turnServer(new TurnServer(this))
{
    connect(m_client, &ConsoleClient::assignmentReceived, this, &AgentService::rememberAssignment);
    connect(m_client, &ConsoleClient::assignmentReceived, m_scheduler, &Scheduler::apply);
    connect(m_client, &ConsoleClient::fatalError, this, &AgentService::handleFatalError);
    connect(m_client, &ConsoleClient::inFlightLossSettled, this, &AgentService::reportLoss);
    connect(m_client, &ConsoleClient::stopped, this, [this] {
        markStoppedCleanly();
        Q_EMIT stopped();
    });
    wireBandwidthTurns();
    connect(m_scheduler, &Scheduler::roundFinished, this,
        [this](const Protocol::Round &round) { m_buffer.addRound(round); });
    // Problems travel in batches: spooled and acked like results, so none is lost.
    connect(m_scheduler, &Scheduler::problem, this, [this](const Protocol::Event &event) { m_buffer.addEvent(event); });
    m_sealTimer.setInterval(SEAL_INTERVAL_MS);
    connect(&m_sealTimer, &QTimer::timeout, this, &AgentService::seal);
}

void AgentService::wireBandwidthTurns()
{
    PeerTurns &turns = PeerTurns::instance();
    connect(&turns, &PeerTurns::sendToConsole, m_client, &ConsoleClient::sendTurnMessage);
    connect(m_turnServer, &TurnServer::sendToConsole, m_client, &ConsoleClient::sendTurnMessage);
    connect(m_client, &ConsoleClient::connectionStateChanged, this, [this](bool online) {
        PeerTurns::instance().setOnline(online);
        if (!online)
            m_turnServer->stopAll();
    });
    connect(m_client, &ConsoleClient::turnMessageReceived, this, [this](const Protocol::Message &message) {
        if (const auto *grant = std::get_if<Protocol::BulkGrant>(&message.payload))
            PeerTurns::instance().handleGrant(*grant);
        else if (const auto *serve = std::get_if<Protocol::Serve>(&message.payload))
            m_turnServer->serve(*serve);
        else if (const auto *stop = std::get_if<Protocol::ServeStop>(&message.payload))
            m_turnServer->stop(stop->lease);
    });
}

AgentService::~AgentService() = default;

QString AgentService::runningMarkerPath() const
{
    return m_options.stateDir + u"/running"_s;
}

bool AgentService::start(QString *error)
{
    if (!m_credentials.prepare(error))
        return false;
    Spool::OpenReport report;
    if (!m_spool.open(&report, error))
        return false;
    if (m_options.stampPort) {
        m_stampReflector = new StampReflector(this);
        if (!m_stampReflector->listen(m_options.stampPort, error))
            return false;
    }
    switchOnHardwareStamps();
    if (report.batches > 0)
        qCInfo(lcAgent).noquote() << "the spool holds" << report.batches << "batch(es) with" << report.rounds
                                  << "round(s) not yet acknowledged by the console";
    noteStartAfterCrash(report);
    QFile marker(runningMarkerPath());
    if (marker.open(QIODevice::WriteOnly | QIODevice::Truncate))
        marker.write(QByteArray::number(QCoreApplication::applicationPid()) + '\n');
    resumeAssignment();
    m_sealTimer.start();
    m_client->start();
    return true;
}

void AgentService::switchOnHardwareStamps()
{
    // Not fatal: without them the probes use kernel stamps, and the console hears why.
    for (const QString &interface : std::as_const(m_options.hardwareStampInterfaces)) {
        QString message;
        if (enableHardwareStamping(interface, &message)) {
            qCInfo(lcAgent).noquote() << message;
            continue;
        }
        qCWarning(lcAgent).noquote() << message;
        m_buffer.addEvent({QDateTime::currentMSecsSinceEpoch(), u"warning"_s, u"hardware-timestamps"_s, message, 0});
    }
}

void AgentService::noteStartAfterCrash(const Spool::OpenReport &report)
{
    if (report.damagedRecords > 0) {
        m_buffer.addEvent({QDateTime::currentMSecsSinceEpoch(), u"warning"_s, u"spool-damaged"_s,
            tr("The agent's spool had %n damaged record(s), left by a crash or power loss while writing; they "
               "were skipped.",
                nullptr, int(report.damagedRecords)),
            0});
    }
    if (!QFile::exists(runningMarkerPath()))
        return;
    // The last run did not stop cleanly (killed, crashed, power lost). Rounds still in memory then,
    // at most SEAL_INTERVAL_MS of them, were lost; say so instead of leaving a silent gap.
    const QJsonValue since = report.lastTimeMs ? QJsonValue(timeText(report.lastTimeMs))
                                               : QJsonValue(Protocol::EventText(u"last-saved-result"_s).toJson());
    const auto event = Protocol::Event::withText(QDateTime::currentMSecsSinceEpoch(), u"warning"_s,
        u"agent-unclean-stop"_s, Protocol::EventText(u"agent-unclean-stop"_s, {since, SEAL_INTERVAL_MS}));
    qCWarning(lcAgent).noquote() << event.message;
    m_buffer.addEvent(event);
}

void AgentService::stop()
{
    m_scheduler->stopAll();
    m_sealTimer.stop();
    seal();
    m_client->stop();
}

void AgentService::markStoppedCleanly()
{
    QFile::remove(runningMarkerPath());
}

void AgentService::handleFatalError(const QString &message)
{
    // Refused or revoked: the agent exits on purpose. Keep what was measured and leave cleanly.
    m_scheduler->stopAll();
    m_sealTimer.stop();
    seal();
    m_spool.persistAcked();
    markStoppedCleanly();
    Q_EMIT fatalError(message);
}

void AgentService::seal()
{
    const BatchSealer::Result sealed = m_sealer.seal();
    for (const Spool::Loss &loss : sealed.losses)
        reportLoss(loss);
    if (sealed.wrote)
        m_client->pump();
}

void AgentService::reportLoss(const Spool::Loss &loss)
{
    const QString message = tr("The agent's spool reached its limit of %1 while the console was unreachable: "
                               "the oldest %n round(s) of results, measured from %2 to %3, were dropped.",
        nullptr, int(std::min<qint64>(loss.rounds, std::numeric_limits<int>::max())))
                                .arg(QLocale::c().formattedDataSize(m_spool.maxBytes(), 0))
                                .arg(timeText(loss.fromMs), timeText(loss.toMs));
    // The console hears of it from the running total every batch carries (Spool::lostRounds), not
    // from an event: an event would sit in the spool and could be the next thing dropped.
    qCWarning(lcAgent).noquote() << message;
}

void AgentService::rememberAssignment(const QList<Protocol::TestSpec> &tests)
{
    QSaveFile file(m_options.stateDir + u"/assignment.cbor"_s);
    const QCborMap saved{{u"savedAt"_s, QDateTime::currentMSecsSinceEpoch()},
        {u"assign"_s, Protocol::encode({Protocol::Assign{tests}})}};
    if (!file.open(QIODevice::WriteOnly) || file.write(saved.toCborValue().toCbor()) < 0 || !file.commit())
        qCWarning(lcAgent).noquote() << "cannot remember the assigned tests in" << file.fileName() << ":"
                                     << file.errorString();
}

void AgentService::resumeAssignment()
{
    QFile file(m_options.stateDir + u"/assignment.cbor"_s);
    if (!file.open(QIODevice::ReadOnly))
        return;
    const QCborMap saved = QCborValue::fromCbor(file.read(Protocol::MAX_MESSAGE_BYTES + 1024)).toMap();
    const auto message = Protocol::decode(saved.value(u"assign"_s).toByteArray());
    if (!message || message->type() != Protocol::MessageType::Assign) {
        qCWarning(lcAgent).noquote() << file.fileName() << "is damaged; waiting for the console's test list";
        return;
    }
    const qint64 elapsed
        = std::max<qint64>(0, QDateTime::currentMSecsSinceEpoch() - saved.value(u"savedAt"_s).toInteger());
    QList<Protocol::TestSpec> tests;
    for (Protocol::TestSpec spec : std::get<Protocol::Assign>(message->payload).tests) {
        if (spec.remainingMs > 0) {
            spec.remainingMs -= elapsed;
            if (spec.remainingMs <= 0)
                continue; // ended while we were down
        }
        tests.append(spec);
    }
    if (!tests.isEmpty())
        qCInfo(lcAgent).noquote() << "resuming" << tests.size() << "test(s) from the last assignment until the console"
                                  << "answers";
    m_scheduler->apply(tests);
}

} // namespace StreamSwarm::Agent
