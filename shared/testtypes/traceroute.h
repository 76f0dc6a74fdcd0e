// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QString>

#include "shared/protocol/messages.h"
#include "shared/testtypes/testtype.h"

namespace StreamSwarm::Validation {

// Traceroute parameters after defaults. A round probes TTLs in waves of TRACEROUTE_WAVE_TTLS, each
// waiting up to timeoutMs, so the longest round is ceil(maxHops / TRACEROUTE_WAVE_TTLS) * timeoutMs.
inline constexpr int TRACEROUTE_WAVE_TTLS = 16;
struct TracerouteParams
{
    enum class Protocol { Icmp, Udp, Tcp };
    Protocol protocol = Protocol::Icmp;
    int maxHops = 30;
    int probes = 3; // per hop per round
    qint64 timeoutMs = 1000; // per wave
    // UDP: the first destination port, one more for each probe of a round (default 33434);
    // TCP: the destination port of every SYN, 1-65535 (default 80).
    int port = 33434;
    bool resolve = true; // reverse DNS of the hops, asynchronous; never delays a round
};
bool parseTracerouteParams(const Protocol::TestSpec &spec, TracerouteParams *params, QString *error);

} // namespace StreamSwarm::Validation

namespace StreamSwarm::TestTypes {

const TestType &tracerouteType();

} // namespace StreamSwarm::TestTypes

// The traceroute family's metric names, so that a typo in code is a compile error.
namespace StreamSwarm::Metric {
inline constexpr char16_t TracerouteHops[] = u"traceroute.hops";
inline constexpr char16_t TracerouteReached[] = u"traceroute.reached";
inline constexpr char16_t TracerouteDestRtt[] = u"traceroute.dest_rtt_ms";
inline constexpr char16_t TracerouteDestLoss[] = u"traceroute.dest_loss_pct";
inline constexpr char16_t TracerouteRouteChanged[] = u"traceroute.route_changed";
} // namespace StreamSwarm::Metric
