// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "chartchoice.h"

#include <algorithm>

#include "shared/testtypes/testtype.h"

namespace StreamSwarm::Console::ChartChoice {

namespace {

bool isFirstType(const TestRecord &test)
{
    return !TestTypes::all().isEmpty() && TestTypes::find(test.type) == &TestTypes::all().constFirst();
}

} // namespace

const AgentRecord *agentById(const QList<AgentRecord> &agents, qint64 id)
{
    const auto it = std::find_if(agents.cbegin(), agents.cend(), [id](const AgentRecord &a) { return a.id == id; });
    return it != agents.cend() ? &*it : nullptr;
}

const TestRecord *testById(const QList<TestRecord> &tests, qint64 id)
{
    const auto it = std::find_if(tests.cbegin(), tests.cend(), [id](const TestRecord &t) { return t.id == id; });
    return it != tests.cend() ? &*it : nullptr;
}

qint64 firstTestOf(const QList<TestRecord> &tests, const AgentRecord &agent, qint64 nowMs)
{
    for (int pass = 0; pass < 3; ++pass) {
        for (const TestRecord &test : tests) {
            if (!test.isFor(agent))
                continue;
            const bool running = test.stateAt(nowMs) == TestState::Running;
            if ((pass == 0 && running && isFirstType(test)) || (pass == 1 && running) || pass == 2)
                return test.id;
        }
    }
    return 0;
}

qint64 firstAgentOf(const QList<AgentRecord> &agents, const TestRecord &test)
{
    for (bool wantOnline : {true, false}) {
        for (const AgentRecord &agent : agents) {
            if (test.isFor(agent) && (agent.online || !wantOnline))
                return agent.id;
        }
    }
    return 0;
}

std::pair<qint64, qint64> defaultChart(const QList<AgentRecord> &agents, const QList<TestRecord> &tests, qint64 nowMs)
{
    for (int pass = 0; pass < 3; ++pass) {
        for (const AgentRecord &agent : agents) {
            if (agent.revoked || (pass == 0 && !agent.online))
                continue;
            const TestRecord *test = testById(tests, firstTestOf(tests, agent, nowMs));
            if (!test || (pass < 2 && test->stateAt(nowMs) != TestState::Running))
                continue;
            return {agent.id, test->id};
        }
    }
    return {agents.isEmpty() ? 0 : agents.constFirst().id, 0};
}

} // namespace StreamSwarm::Console::ChartChoice
