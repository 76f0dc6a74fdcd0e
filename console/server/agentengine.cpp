// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "agentengine.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QThread>
#include <QTimer>

#include "console/domain/assignmentplanner.h"
#include "console/server/agentserver.h"
#include "console/server/agentsession.h"
#include "console/server/bulkturns.h"
#include "console/storage/storageservice.h"
#include "shared/protocol/codec.h"
#include "shared/util/logging.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

namespace {

struct Snapshot
{
    QList<AgentRecord> agents;
    QList<TestRecord> tests;
    QString error;
};

} // namespace

AgentEngine::AgentEngine(StorageService *storage)
    : m_storage(storage)
{ }

AgentEngine::~AgentEngine() = default;

QString AgentEngine::start(
    const QHostAddress &address, quint16 port, const std::optional<QSslConfiguration> &tls, QString *error)
{
    Q_ASSERT(thread() == QThread::currentThread());
    m_server = new AgentServer(m_storage, this);
    m_turns = new BulkTurns(this);
    m_testEndTimer = new QTimer(this);
    connect(m_server, &AgentServer::turnMessage, m_turns, &BulkTurns::handle);
    connect(m_turns, &BulkTurns::send, this, [this](qint64 agentId, const Protocol::Message &message) {
        if (AgentSession *session = m_server->session(agentId))
            session->sendTurnMessage(message);
    });
    m_testEndTimer->setSingleShot(true);
    connect(m_testEndTimer, &QTimer::timeout, this, [this] {
        replanAll();
        Q_EMIT testsChanged(m_tests);
        scheduleNextChange();
    });
    connect(m_server, &AgentServer::agentOnline, this, &AgentEngine::handleAgentOnline);
    connect(m_server, &AgentServer::agentOffline, this, &AgentEngine::handleAgentOffline);
    connect(m_server, &AgentServer::roundsStored, this, [this](qint64 agentId, const QList<Protocol::Round> &rounds) {
        Q_EMIT roundsStored(agentId, rounds);
        // Storage logs probe errors as events; tell the event views to look.
        if (std::any_of(
                rounds.cbegin(), rounds.cend(), [](const Protocol::Round &round) { return !round.error.isEmpty(); })) {
            Q_EMIT eventsChanged();
        }
    });
    connect(m_server, &AgentServer::authenticationRefused, this, [this](const QString &peer, const QString &reason) {
        qCWarning(lcServer).noquote() << "refused" << peer << reason;
        Q_EMIT eventsChanged();
    });
    connect(m_server, &AgentServer::addressLockedOut, this, &AgentEngine::eventsChanged);
    connect(m_server, &AgentServer::agentRekeyed, this, &AgentEngine::reload);
    if (!m_server->listen(address, port, tls, error))
        return {};
    reload();
    return m_server->listenUrl();
}

void AgentEngine::stop()
{
    if (!m_server)
        return;
    m_testEndTimer->stop();
    m_server->closeAll();
}

void AgentEngine::publishAgents()
{
    Q_EMIT agentsChanged(m_agents);
}

void AgentEngine::reload()
{
    if (!m_server)
        return;
    // Coalesce: several changes in a burst cause one read after the one in flight.
    if (m_reloadPending) {
        m_reloadAgain = true;
        return;
    }
    m_reloadPending = true;
    m_storage->run(
        this,
        [](Repositories &repos) {
            Snapshot snapshot;
            if (auto agents = repos.agents.list(&snapshot.error))
                snapshot.agents = *agents;
            if (auto tests = repos.tests.list(&snapshot.error))
                snapshot.tests = *tests;
            return snapshot;
        },
        [this](const Snapshot &snapshot) {
            m_reloadPending = false;
            if (!snapshot.error.isEmpty())
                qCWarning(lcStorage).noquote() << snapshot.error;
            else
                applySnapshot(snapshot.agents, snapshot.tests);
            if (std::exchange(m_reloadAgain, false))
                reload();
        });
}

void AgentEngine::applySnapshot(const QList<AgentRecord> &agents, const QList<TestRecord> &tests)
{
    m_agents = agents;
    m_tests = tests;
    m_turns->setTests(m_tests, m_agents);
    for (AgentRecord &agent : m_agents) {
        AgentSession *session = m_server->session(agent.id);
        // On a shared PostgreSQL an agent may be online at another collector: the database says so.
        agent.online = session != nullptr || (m_storage->url().kind == DatabaseUrl::Kind::Postgres && agent.online);
        if (session && agent.rekeyRequested && !agent.revoked)
            session->startRekey();
        if (agent.revoked && agent.online) {
            m_server->disconnectAgent(agent.id, Protocol::CloseAgentRevoked,
                QCoreApplication::translate(
                    "StreamSwarm::Console::AgentEngine", "This agent was revoked in the console."));
        }
    }
    replanAll();
    scheduleNextChange();
    publishAgents();
    Q_EMIT testsChanged(m_tests);
    Q_EMIT eventsChanged();
}

QHash<QString, QHostAddress> AgentEngine::onlineAddresses() const
{
    QHash<QString, QHostAddress> online;
    for (AgentSession *session : m_server->sessions())
        online.insert(session->agent().name, AssignmentPlanner::plainAddress(session->peerAddress()));
    return online;
}

QHash<QString, quint16> AgentEngine::onlineStampPorts() const
{
    QHash<QString, quint16> ports;
    for (AgentSession *session : m_server->sessions()) {
        if (session->stampPort())
            ports.insert(session->agent().name, session->stampPort());
    }
    return ports;
}

void AgentEngine::sendPlan(AgentSession *session, const QHash<QString, QHostAddress> &online,
    const QHash<QString, quint16> &stampPorts, qint64 nowMs)
{
    const auto agent = std::find_if(
        m_agents.cbegin(), m_agents.cend(), [&](const AgentRecord &record) { return record.id == session->agentId(); });
    int leftOut = 0;
    session->sendAssign(AssignmentPlanner::plan(m_tests, agent != m_agents.cend() ? *agent : session->agent(), nowMs,
        {online, session->localAddress(), stampPorts}, &leftOut));
    // Said once when it starts (or the number changes), not at every plan.
    const qint64 agentId = session->agentId();
    if (leftOut == m_testsLeftOut.value(agentId))
        return;
    m_testsLeftOut.insert(agentId, leftOut);
    if (leftOut == 0)
        return;
    const Protocol::EventText message(u"tests-over-limit"_s,
        {session->agent().name, Protocol::MAX_TESTS_PER_ASSIGN + leftOut, Protocol::MAX_TESTS_PER_ASSIGN, leftOut});
    qCWarning(lcServer).noquote() << message.text();
    m_storage->post([agentId, message, nowMs](Repositories &repos) {
        repos.events.add(nowMs, u"warning"_s, u"tests-over-limit"_s, agentId, 0, message, nullptr);
    });
}

void AgentEngine::replanAll()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const QHash<QString, QHostAddress> online = onlineAddresses();
    const QHash<QString, quint16> stampPorts = onlineStampPorts();
    for (AgentSession *session : m_server->sessions())
        sendPlan(session, online, stampPorts, now);
    reportWaitingTests(online, now);
}

void AgentEngine::reportWaitingTests(const QHash<QString, QHostAddress> &online, qint64 nowMs)
{
    // A test measuring to an agent by name waits while that agent is offline; say so once when it
    // starts waiting and once when it runs again. Only tests some online agent would run count: with
    // nobody to run them, nothing waits.
    QMap<qint64, QString> waiting = AssignmentPlanner::waitingForTarget(m_tests, online, nowMs);
    for (auto it = waiting.begin(); it != waiting.end();) {
        const auto test = std::find_if(
            m_tests.cbegin(), m_tests.cend(), [&](const TestRecord &record) { return record.id == it.key(); });
        const bool runnable = test != m_tests.cend()
            && std::any_of(m_agents.cbegin(), m_agents.cend(),
                [&](const AgentRecord &agent) { return online.contains(agent.name) && test->isFor(agent); });
        it = runnable ? std::next(it) : waiting.erase(it);
    }
    const auto testName = [this](qint64 testId) {
        const auto test = std::find_if(
            m_tests.cbegin(), m_tests.cend(), [&](const TestRecord &record) { return record.id == testId; });
        return test != m_tests.cend() ? test->name : QString();
    };
    const auto agentId = [this](const QString &name) {
        const auto agent = std::find_if(
            m_agents.cbegin(), m_agents.cend(), [&](const AgentRecord &record) { return record.name == name; });
        return agent != m_agents.cend() ? agent->id : qint64(0);
    };
    struct Note
    {
        QString level;
        QString kind;
        qint64 agentId;
        qint64 testId;
        Protocol::EventText message;
    };
    QList<Note> notes;
    for (auto it = waiting.cbegin(); it != waiting.cend(); ++it) {
        if (m_waitingTests.contains(it.key()))
            continue;
        notes.append({u"warning"_s, u"test-waiting"_s, agentId(it.value()), it.key(),
            Protocol::EventText(u"test-waiting"_s, {testName(it.key()), it.value()})});
    }
    for (auto it = m_waitingTests.cbegin(); it != m_waitingTests.cend(); ++it) {
        const auto address = online.constFind(it.value());
        if (waiting.contains(it.key()) || address == online.cend())
            continue;
        notes.append({u"info"_s, u"test-resumed"_s, agentId(it.value()), it.key(),
            Protocol::EventText(u"test-resumed"_s, {testName(it.key()), it.value(), address->toString()})});
    }
    m_waitingTests = waiting;
    if (notes.isEmpty())
        return;
    for (const Note &note : std::as_const(notes))
        qCInfo(lcServer).noquote() << note.message.text();
    m_storage->run(
        this,
        [notes](Repositories &repos) {
            const qint64 now = QDateTime::currentMSecsSinceEpoch();
            for (const Note &note : notes)
                repos.events.add(now, note.level, note.kind, note.agentId, note.testId, note.message, nullptr);
            return true;
        },
        [this](bool) { Q_EMIT eventsChanged(); });
}

void AgentEngine::scheduleNextChange()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const qint64 next = AssignmentPlanner::nextChangeMs(m_tests, now);
    if (next)
        m_testEndTimer->start(int(std::clamp<qint64>(next - now + 1, 0, 24 * 3600 * 1000)));
    else
        m_testEndTimer->stop();
}

void AgentEngine::handleAgentOnline(AgentSession *session)
{
    m_turns->agentOnline(session->agentId(), session->agent().name, session->peerAddress(), session->localAddress());
    const bool known = std::any_of(
        m_agents.cbegin(), m_agents.cend(), [&](const AgentRecord &agent) { return agent.id == session->agentId(); });
    if (known) {
        for (AgentRecord &agent : m_agents) {
            if (agent.id == session->agentId())
                agent.online = true;
        }
        sendPlan(session, onlineAddresses(), onlineStampPorts(), QDateTime::currentMSecsSinceEpoch());
        publishAgents();
    }
    // Read back what the handshake wrote (host, OS, a newly enrolled agent) and plan with it.
    reload();
}

void AgentEngine::handleAgentOffline(qint64 agentId)
{
    m_turns->agentGone(agentId);
    m_storage->post([agentId](Repositories &repos) {
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        repos.agents.setOnline(agentId, false, now, nullptr);
        repos.events.add(
            now, u"info"_s, u"agent-offline"_s, agentId, 0, Protocol::EventText(u"agent-offline"_s), nullptr);
        repos.db.announceChange(nullptr);
    });
    const qint64 goneAt = QDateTime::currentMSecsSinceEpoch();
    for (AgentRecord &agent : m_agents) {
        if (agent.id == agentId) {
            agent.online = false;
            agent.lastSeenMs = goneAt; // as the database now has it: away since now
        }
    }
    replanAll(); // tests measuring to this agent now wait for it
    publishAgents();
    Q_EMIT eventsChanged();
}

} // namespace StreamSwarm::Console
