// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "agent/probes/probefactory.h"
#include "agent/probes/traceroute/tracerouteprobe.h"
#include "shared/testtypes/traceroute.h"

namespace StreamSwarm::Agent {

// This folder's entry in the probe factory (agent/CMakeLists.txt lists it).
ProbeType tracerouteProbeType()
{
    return probeType<TracerouteProbe>(TestTypes::tracerouteType(), Validation::parseTracerouteParams);
}

} // namespace StreamSwarm::Agent
