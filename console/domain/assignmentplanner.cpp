// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "assignmentplanner.h"

namespace StreamSwarm::Console {

Protocol::Assign AssignmentPlanner::plan(const QList<TestRecord> &tests, const AgentRecord &agent, qint64 nowMs)
{
    Protocol::Assign assign;
    if (agent.revoked)
        return assign;
    for (const TestRecord &test : tests) {
        if (test.stateAt(nowMs) != TestState::Running)
            continue;
        if (!test.allAgents && !test.agentIds.contains(agent.id))
            continue;
        assign.tests.append(test.toSpec(nowMs));
    }
    return assign;
}

qint64 AssignmentPlanner::nextChangeMs(const QList<TestRecord> &tests, qint64 nowMs)
{
    qint64 next = 0;
    for (const TestRecord &test : tests) {
        if (test.stateAt(nowMs) == TestState::Running && test.durationMs && (!next || test.endsAtMs() < next))
            next = test.endsAtMs();
    }
    return next;
}

} // namespace StreamSwarm::Console
