// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QString>

#include "shared/protocol/messages.h"
#include "shared/testtypes/testtype.h"

namespace StreamSwarm::Validation {

// Ping parameters after defaults, for the probe and for checks.
struct PingParams
{
    int count = 1; // echoes per round
    qint64 spacingMs = 100; // between echoes of one round
    qint64 timeoutMs = 1000;
    int payloadSize = 56; // bytes after the ICMP header, as iputils ping -s
    int ttl = 0; // IPv4 TTL / IPv6 hop limit, 1-255; 0 = the system's default
    int tos = -1; // IPv4 TOS / IPv6 traffic class byte (DSCP << 2), 0-255; -1 = the system's default
    QString source; // local address to send from (an IP address); empty = chosen by routing
    QString interface; // network interface to send through (SO_BINDTODEVICE); empty = any
};

bool parsePingParams(const Protocol::TestSpec &spec, PingParams *params, QString *error);

} // namespace StreamSwarm::Validation

namespace StreamSwarm::TestTypes {

const TestType &pingType();

} // namespace StreamSwarm::TestTypes

// The ping family's metric names, so that a typo in code is a compile error, not a silent new metric.
namespace StreamSwarm::Metric {
inline constexpr char16_t PingRttMin[] = u"ping.rtt_min_ms";
inline constexpr char16_t PingRttAvg[] = u"ping.rtt_avg_ms";
inline constexpr char16_t PingRttMax[] = u"ping.rtt_max_ms";
inline constexpr char16_t PingRttMdev[] = u"ping.rtt_mdev_ms";
inline constexpr char16_t PingJitter[] = u"ping.jitter_ms";
inline constexpr char16_t PingLoss[] = u"ping.loss_pct";
inline constexpr char16_t PingSent[] = u"ping.sent";
inline constexpr char16_t PingReceived[] = u"ping.received";
inline constexpr char16_t PingDuplicates[] = u"ping.duplicates";
inline constexpr char16_t PingRttMedian[] = u"ping.rtt_median_ms";
inline constexpr char16_t PingRttStddev[] = u"ping.rtt_stddev_ms";
inline constexpr char16_t PingReordered[] = u"ping.reordered";
inline constexpr char16_t PingIcmpErrors[] = u"ping.icmp_errors";
} // namespace StreamSwarm::Metric
