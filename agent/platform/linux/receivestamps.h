// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <chrono>

namespace StreamSwarm::Agent {

// The kernel stamps arriving packets only while some socket on the host has asked for stamps, and
// it switches that on a moment after the first socket asks (in a deferred work item, which under
// load runs milliseconds later). Answers that arrive in between carry no stamp, so a probe's first
// answers, often a whole traceroute round, would fall back to times taken in user space.
//
// Keeps one stamping socket open for the rest of the process, so stamping stays on between rounds,
// and waits, at most maxWait, until a datagram sent to it over loopback arrives stamped. Only the
// first call does anything; the later ones return its answer. True when stamps flow; false when
// they could not be confirmed (no loopback in this network namespace, or the wait ran out), and
// the probes then label such answers as timed in user space, as before.
bool keepReceiveStampsOn(std::chrono::milliseconds maxWait = std::chrono::milliseconds(200));

} // namespace StreamSwarm::Agent
