// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "agent/probes/probefactory.h"
#include "agent/probes/qos/qosprobe.h"
#include "shared/testtypes/qos.h"

namespace StreamSwarm::Agent {

// This folder's entry in the probe factory (agent/CMakeLists.txt lists it).
ProbeType qosProbeType()
{
    return probeType<QosProbe>(TestTypes::qosType(), Validation::parseQosParams);
}

} // namespace StreamSwarm::Agent
