// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "assignmentplanner.h"

#include "shared/protocol/codec.h"
#include "shared/protocol/validation.h"
#include "shared/testtypes/testtype.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

namespace {

// A test whose agent asks the console for a turn with its target agent each round: it keeps
// agent:NAME and stays assigned while that agent is away (each round then says so).
bool asksForTurns(const TestRecord &test)
{
    const TestTypes::TestType *type = TestTypes::find(test.type);
    return type && type->agentTargetEachRound;
}

} // namespace

std::optional<QHostAddress> AgentAddresses::resolve(const QString &agentName) const
{
    const auto found = online.constFind(agentName);
    if (found == online.cend() || found->isNull())
        return std::nullopt;
    if (found->isLoopback() && !consoleAddress.isNull() && !consoleAddress.isLoopback())
        return AssignmentPlanner::plainAddress(consoleAddress);
    return AssignmentPlanner::plainAddress(*found);
}

Protocol::Assign AssignmentPlanner::plan(const QList<TestRecord> &tests, const AgentRecord &agent, qint64 nowMs,
    const AgentAddresses &addresses, int *leftOut)
{
    Protocol::Assign assign;
    if (leftOut)
        *leftOut = 0;
    if (agent.revoked)
        return assign;
    for (const TestRecord &test : tests) {
        if (test.stateAt(nowMs) != TestState::Running)
            continue;
        if (!test.isFor(agent))
            continue;
        Protocol::TestSpec spec = test.toSpec(nowMs);
        // Resolved on every plan: when the target agent comes back from another address, the spec
        // differs and the agent gets the new assignment.
        if (const QString targetAgent = Validation::agentTargetName(test.target);
            !targetAgent.isEmpty() && !asksForTurns(test)) {
            const auto address = addresses.resolve(targetAgent);
            if (!address)
                continue;
            spec.target = address->toString();
            if (const quint16 port = addresses.stampPorts.value(targetAgent); port && !spec.params.contains(u"port"_s))
                spec.params.insert(u"port"_s, QString::number(port));
        }
        if (assign.tests.size() >= Protocol::MAX_TESTS_PER_ASSIGN) {
            // More would make the agent refuse the whole assignment (and reconnect for ever).
            if (leftOut)
                ++*leftOut;
            continue;
        }
        assign.tests.append(spec);
    }
    return assign;
}

qint64 AssignmentPlanner::nextChangeMs(const QList<TestRecord> &tests, qint64 nowMs)
{
    qint64 next = 0;
    for (const TestRecord &test : tests) {
        const TestState state = test.stateAt(nowMs);
        qint64 change = 0;
        if (state == TestState::Scheduled)
            change = test.startsAt();
        else if ((state == TestState::Running || state == TestState::Paused) && test.durationMs)
            change = test.endsAtMs();
        if (change && (!next || change < next))
            next = change;
    }
    return next;
}

QMap<qint64, QString> AssignmentPlanner::waitingForTarget(
    const QList<TestRecord> &tests, const QHash<QString, QHostAddress> &online, qint64 nowMs)
{
    QMap<qint64, QString> waiting;
    for (const TestRecord &test : tests) {
        const QString targetAgent = Validation::agentTargetName(test.target);
        if (!targetAgent.isEmpty() && !asksForTurns(test) && test.stateAt(nowMs) == TestState::Running
            && !online.contains(targetAgent))
            waiting.insert(test.id, targetAgent);
    }
    return waiting;
}

QHostAddress AssignmentPlanner::plainAddress(const QHostAddress &address)
{
    bool isV4 = false;
    const quint32 v4 = address.toIPv4Address(&isV4);
    return isV4 && address.protocol() != QAbstractSocket::IPv4Protocol ? QHostAddress(v4) : address;
}

} // namespace StreamSwarm::Console
