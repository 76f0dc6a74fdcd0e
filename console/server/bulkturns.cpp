// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "bulkturns.h"

#include <algorithm>
#include <climits>

#include "console/domain/assignmentplanner.h"
#include "shared/protocol/codec.h"
#include "shared/protocol/validation.h"
#include "shared/testtypes/testtype.h"
#include "shared/util/duration.h"
#include "shared/util/logging.h"

namespace StreamSwarm::Console {

BulkTurns::BulkTurns(QObject *parent)
    : QObject(parent)
{
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::PreciseTimer); // slips and deadlines are a second or less
    connect(&m_timer, &QTimer::timeout, this, &BulkTurns::advance);
}

void BulkTurns::setTests(const QList<TestRecord> &tests, const QList<AgentRecord> &agents)
{
    m_tests.clear();
    for (const TestRecord &test : tests)
        m_tests.insert(test.id, test);
    m_agents.clear();
    for (const AgentRecord &agent : agents)
        m_agents.insert(agent.id, agent);
}

void BulkTurns::agentOnline(
    qint64 agentId, const QString &name, const QHostAddress &peerAddress, const QHostAddress &consoleAddress)
{
    agentGone(agentId); // a reconnect: its earlier connection's turns are over
    m_online.insert(agentId, {name, peerAddress, consoleAddress});
}

void BulkTurns::agentGone(qint64 agentId)
{
    const QString name = m_online.take(agentId).name;
    for (qsizetype i = m_turns.size() - 1; i >= 0; --i) {
        const Turn &turn = m_turns.at(i);
        if (turn.serverId == agentId && turn.phase != Phase::Running) {
            refuse(turn.clientId, turn.clientLease,
                tr("The agent \"%1\" disconnected from the console before it could serve the measurement.").arg(name));
        }
        if (turn.clientId == agentId || turn.serverId == agentId)
            end(i);
    }
    advance();
}

void BulkTurns::handle(qint64 agentId, const Protocol::Message &message)
{
    if (!m_online.contains(agentId))
        return;
    if (const auto *request = std::get_if<Protocol::BulkRequest>(&message.payload))
        this->request(agentId, *request);
    else if (const auto *release = std::get_if<Protocol::BulkRelease>(&message.payload))
        this->release(agentId, release->lease);
    else if (const auto *serving = std::get_if<Protocol::Serving>(&message.payload))
        this->serving(agentId, *serving);
}

void BulkTurns::request(qint64 agentId, const Protocol::BulkRequest &request)
{
    release(agentId, request.lease); // a number asked again replaces its earlier request
    const auto test = m_tests.constFind(request.testId);
    const TestTypes::TestType *type = test == m_tests.cend() ? nullptr : TestTypes::find(test->type);
    AgentRecord asking = m_agents.value(agentId);
    asking.id = agentId; // an agent not in the list yet still runs the tests given to it by id
    if (!type || !type->agentTargetEachRound || !test->isFor(asking)) {
        refuse(agentId, request.lease,
            tr("The console has no test %1 for this agent that measures to another agent, so it gave no turn.")
                .arg(request.testId));
        return;
    }
    const QString targetName = Validation::agentTargetName(test->target);
    const auto target = std::find_if(
        m_online.cbegin(), m_online.cend(), [&](const OnlineAgent &agent) { return agent.name == targetName; });
    if (target == m_online.cend()) {
        refuse(agentId, request.lease,
            tr("The agent \"%1\" is not connected to the console, so it cannot serve the measurement. The next "
               "round tries again.")
                .arg(targetName));
        return;
    }
    if (target.key() == agentId) {
        refuse(agentId, request.lease,
            tr("This agent is \"%1\", the test's target: a bandwidth test between agents needs two of them. Leave "
               "this agent out of the test's agents.")
                .arg(targetName));
        return;
    }
    const auto waiting = std::count_if(m_turns.cbegin(), m_turns.cend(),
        [&](const Turn &turn) { return turn.clientId == agentId && turn.phase == Phase::Waiting; });
    if (waiting >= MAX_WAITING_PER_AGENT) {
        refuse(agentId, request.lease,
            tr("This agent already waits for %1 turns, so the console refused one more.").arg(MAX_WAITING_PER_AGENT));
        return;
    }
    Turn turn;
    turn.id = ++m_lastTurnId;
    turn.clientId = agentId;
    turn.clientLease = request.lease;
    turn.serverId = target.key();
    turn.testId = request.testId;
    turn.limitMs = request.limitMs;
    turn.waitEnds = QDeadlineTimer(request.waitMs, Qt::PreciseTimer);
    m_turns.append(turn);
    advance();
}

void BulkTurns::release(qint64 agentId, qint64 lease)
{
    const auto found = std::find_if(m_turns.cbegin(), m_turns.cend(),
        [&](const Turn &turn) { return turn.clientId == agentId && turn.clientLease == lease; });
    if (found == m_turns.cend())
        return;
    end(found - m_turns.cbegin());
    advance();
}

void BulkTurns::serving(qint64 agentId, const Protocol::Serving &serving)
{
    const auto found = std::find_if(m_turns.begin(), m_turns.end(),
        [&](const Turn &turn) { return turn.id == serving.lease && turn.serverId == agentId; });
    if (found == m_turns.end() || found->phase != Phase::AwaitingServer)
        return; // late: the turn was already taken back, and the agent was told to stop
    if (!serving.error.isEmpty()) {
        refuse(found->clientId, found->clientLease,
            tr("The agent \"%1\" could not serve the measurement: %2").arg(agentName(agentId), serving.error));
        end(found - m_turns.begin(), false); // nothing to stop: the agent said it serves nothing
        advance();
        return;
    }
    const QHostAddress address = serverAddressFor(*found);
    qCDebug(lcServer).noquote() << "bandwidth turn" << found->id << ":" << agentName(found->clientId) << "measures to"
                                << agentName(agentId) << "at" << address.toString() << "port" << serving.port;
    Q_EMIT send(
        found->clientId, {Protocol::BulkGrant{found->clientLease, address.toString(), serving.port, QString()}});
    // The asking agent may still wait for its own bandwidth round to end before it measures.
    found->phase = Phase::Running;
    found->next = QDeadlineTimer(
        std::max<qint64>(found->waitEnds.remainingTime(), 0) + found->limitMs + RELEASE_SLACK_MS, Qt::PreciseTimer);
    rearm();
}

void BulkTurns::refuse(qint64 clientId, qint64 lease, const QString &why)
{
    qCDebug(lcServer).noquote() << "no bandwidth turn for" << agentName(clientId) << "request" << lease << ":" << why;
    Q_EMIT send(clientId, {Protocol::BulkGrant{lease, QString(), 0, why.left(Protocol::MAX_MESSAGE_TEXT_LENGTH)}});
}

void BulkTurns::end(qsizetype index, bool stopServer)
{
    const Turn turn = m_turns.takeAt(index);
    qCDebug(lcServer).noquote() << "bandwidth turn" << turn.id << "ends";
    if (stopServer && (turn.phase == Phase::AwaitingServer || turn.phase == Phase::Running))
        Q_EMIT send(turn.serverId, {Protocol::ServeStop{turn.id}});
}

bool BulkTurns::isBusy(qint64 agentId) const
{
    return std::any_of(m_turns.cbegin(), m_turns.cend(), [&](const Turn &turn) {
        return turn.phase != Phase::Waiting && (turn.clientId == agentId || turn.serverId == agentId);
    });
}

void BulkTurns::advance()
{
    // Deadlines of turns under way first, so that what they free goes to the next in line.
    for (qsizetype i = m_turns.size() - 1; i >= 0; --i) {
        const Turn &turn = m_turns.at(i);
        if (turn.phase == Phase::AwaitingServer && turn.next.hasExpired()) {
            refuse(turn.clientId, turn.clientLease,
                tr("The agent \"%1\" did not start serving the measurement in time, so the round was skipped.")
                    .arg(agentName(turn.serverId)));
            end(i);
        } else if (turn.phase == Phase::Running && turn.next.hasExpired()) {
            end(i); // the asking agent's own limit has stopped its measurement by now
        }
    }
    for (Turn &turn : m_turns) {
        if (turn.phase == Phase::Waiting && !isBusy(turn.clientId) && !isBusy(turn.serverId)) {
            // Both agents are this turn's from now: nothing overtakes it. The slip stays within the
            // round's wait, or the measurement would run into the next round.
            const qint64 waitMs = std::max<qint64>(turn.waitEnds.remainingTime(), 0);
            turn.phase = Phase::Slipping;
            turn.next = QDeadlineTimer(
                qint64(m_random.bounded(int(std::min<qint64>(waitMs, MAX_SLIP_MS)) + 1)), Qt::PreciseTimer);
        }
        if (turn.phase == Phase::Slipping && turn.next.hasExpired()) {
            const qint64 waitMs = std::max<qint64>(turn.waitEnds.remainingTime(), 0);
            Q_EMIT send(turn.serverId, {Protocol::Serve{turn.id, turn.limitMs + waitMs, waitMs}});
            turn.phase = Phase::AwaitingServer;
            turn.next = QDeadlineTimer(waitMs + SERVE_START_MS, Qt::PreciseTimer);
        }
    }
    for (qsizetype i = m_turns.size() - 1; i >= 0; --i) {
        const Turn &turn = m_turns.at(i);
        if (turn.phase == Phase::Waiting && turn.waitEnds.hasExpired()) {
            refuse(turn.clientId, turn.clientLease,
                tr("The agents were busy with other bandwidth measurements for all the time this round could "
                   "wait, so it was skipped: two at once would each measure a share of the link. Give the tests "
                   "longer intervals, or give these agents fewer of them."));
            end(i);
        }
    }
    rearm();
}

void BulkTurns::rearm()
{
    qint64 soonest = -1;
    for (const Turn &turn : std::as_const(m_turns)) {
        const qint64 left
            = std::max<qint64>((turn.phase == Phase::Waiting ? turn.waitEnds : turn.next).remainingTime(), 0);
        soonest = soonest < 0 ? left : std::min(soonest, left);
    }
    if (soonest < 0)
        m_timer.stop();
    else
        m_timer.start(int(std::min<qint64>(soonest, INT_MAX)));
}

int BulkTurns::turnsInProgress() const
{
    return int(
        std::count_if(m_turns.cbegin(), m_turns.cend(), [](const Turn &turn) { return turn.phase != Phase::Waiting; }));
}

int BulkTurns::requestsWaiting() const
{
    return int(m_turns.size()) - turnsInProgress();
}

QHostAddress BulkTurns::serverAddressFor(const Turn &turn) const
{
    // As the planner resolves a qos test's agent:NAME for the agent that measures.
    const OnlineAgent server = m_online.value(turn.serverId);
    AgentAddresses addresses;
    addresses.online.insert(server.name, server.peerAddress);
    addresses.consoleAddress = m_online.value(turn.clientId).consoleAddress;
    return addresses.resolve(server.name).value_or(QHostAddress());
}

QString BulkTurns::agentName(qint64 agentId) const
{
    return m_online.value(agentId).name;
}

} // namespace StreamSwarm::Console
