// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <optional>

#include <QCborMap>
#include <QList>
#include <QString>

#include "shared/protocol/details/timing.h"

namespace StreamSwarm::Protocol {

class FieldReader;

inline constexpr int MAX_DETAIL_HOPS = 255; // a TTL is 8 bits; agents probe at most 64
inline constexpr int MAX_HOP_ADDRESSES = 64; // agents keep at most 16 per hop

// One address a traceroute hop answered from (several at a load-balanced hop).
struct HopAddress
{
    QString address;
    QString name; // reverse DNS; empty when unknown
    qint64 received = 0;
    double avgMs = 0;
    double bestMs = 0;
};

// One TTL of a traced path. Its address and name are those of its most frequent address; counts and
// RTTs cover every address of the hop.
struct TracerouteHop
{
    int ttl = 0;
    QString address; // empty when nothing answered (the wire says "*")
    QString name;
    qint64 sent = 0;
    qint64 received = 0;
    double lossPct = 0;
    bool hasRtt = false; // the RTT figures below are there (something answered)
    double lastMs = 0;
    double avgMs = 0;
    double bestMs = 0;
    double worstMs = 0;
    double stddevMs = 0;
    QList<HopAddress> addresses; // most frequent first
};

// Where loss (step: percentage points) or latency (step: ms) starts along the path.
struct HopStep
{
    int ttl = 0;
    QString address;
    double step = 0;
};

// A traceroute round's detail: the path as traced, hop by hop.
struct TracerouteDetail
{
    static constexpr char16_t KIND[] = u"traceroute"; // the wire's "kind"

    QString target;
    QString address; // what the target resolved to; empty when it did not
    QString protocol; // "icmp", "udp", "tcp"; empty from agents before TCP and UDP probing (icmp)
    int port = 0; // udp and tcp; 0 for icmp
    QList<TracerouteHop> hops;
    bool reached = false;
    bool routeChanged = false;
    std::optional<TimestampTally> timestamps; // agents before timestamp quality sent neither
    std::optional<ClockReading> clock;
    std::optional<HopStep> lossHop;
    std::optional<HopStep> latencyHop;
    QList<int> rateLimited; // TTLs that limit their own ICMP replies

    // The wire form's fields after "kind", and back (README.md beside details.h).
    void writeTo(QCborMap &map) const;
    static TracerouteDetail readFrom(const QCborMap &map, FieldReader &reader);
};

} // namespace StreamSwarm::Protocol
