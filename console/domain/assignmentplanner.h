// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QList>

#include "console/storage/records.h"
#include "shared/protocol/messages.h"

namespace StreamSwarm::Console {

// Decides which tests an agent should be running right now. Pure: no I/O, no clock of its own.
class AssignmentPlanner
{
public:
    static Protocol::Assign plan(const QList<TestRecord> &tests, const AgentRecord &agent, qint64 nowMs);
    // The earliest moment after nowMs at which some running test ends (0 = none): re-plan then.
    static qint64 nextChangeMs(const QList<TestRecord> &tests, qint64 nowMs);
};

} // namespace StreamSwarm::Console
