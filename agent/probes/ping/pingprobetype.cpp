// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "agent/probes/ping/pingprobe.h"
#include "agent/probes/probefactory.h"
#include "shared/testtypes/ping.h"

namespace StreamSwarm::Agent {

// This folder's entry in the probe factory (agent/CMakeLists.txt lists it).
ProbeType pingProbeType()
{
    return probeType<PingProbe>(TestTypes::pingType(), Validation::parsePingParams);
}

} // namespace StreamSwarm::Agent
