// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <utility>

#include <QList>

#include "console/storage/records.h"

// Which agent's test the window charts when the user has not said: right after start, and when the
// user picks an agent that does not run the charted test (or a test the charted agent does not run).
// No widgets.
namespace StreamSwarm::Console::ChartChoice {

const AgentRecord *agentById(const QList<AgentRecord> &agents, qint64 id);
const TestRecord *testById(const QList<TestRecord> &tests, qint64 id);
// The agent's most chartable test: a running one of the first type the registry lists (ping) first,
// then any running, then any at all; 0 for none.
qint64 firstTestOf(const QList<TestRecord> &tests, const AgentRecord &agent, qint64 nowMs);
// An online agent that runs the test, else any that does; 0 for none.
qint64 firstAgentOf(const QList<AgentRecord> &agents, const TestRecord &test);
// The first online agent with a running test, else any agent with a running test, else any agent
// with a test, else the first agent (and no test): (agent id, test id), 0 for none.
std::pair<qint64, qint64> defaultChart(const QList<AgentRecord> &agents, const QList<TestRecord> &tests, qint64 nowMs);

} // namespace StreamSwarm::Console::ChartChoice
