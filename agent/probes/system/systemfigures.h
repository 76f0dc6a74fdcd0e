// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <optional>

#include <QList>

#include "agent/platform/systemreader.h"
#include "shared/protocol/messages.h"
#include "shared/testtypes/system.h"

namespace StreamSwarm::Agent {

// The system test's figures from two readings of the host: levels from the newer, rates and shares
// of time from the difference. A counter that went backwards (a reboot, an interface unplugged and
// back, a driver reset) or a core or disk that came or went gives no figure for that round, never a
// negative one; levels no host can have are left out.
QList<Protocol::MetricValue> systemFigures(
    const SystemSnapshot *before, const SystemSnapshot &now, const Validation::SystemParams &params);

} // namespace StreamSwarm::Agent
