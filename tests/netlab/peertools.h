// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QList>
#include <QMap>
#include <QString>

// What the independent tools our measurements are compared with print, read back: iputils ping and
// traceroute -n (Debian's). One parser each, for the lab's tests and the benchmarks.
namespace StreamSwarm::NetLab {

struct PingOutput
{
    int transmitted = -1; // -1: no summary line
    int received = -1;
    double minMs = -1;
    double avgMs = -1;
    QMap<int, double> rttMs; // by icmp_seq; ping prints 0.01 ms steps below 10 ms, 0.1 ms above
};
// The output of `ping -n`.
PingOutput parsePing(const QString &output);

struct TracerouteHop
{
    int ttl = 0;
    QString address; // of the first answer on the line; "*" when the first probe got none
    QList<double> rttsMs; // every answer's time on the line, in order
    int missing = 0; // probes without an answer ('*')
};
// The output of `traceroute -n` (any protocol), one entry per hop line.
QList<TracerouteHop> parseTraceroute(const QString &output);
// Just the addresses, in TTL order.
QStringList tracerouteAddresses(const QString &output);

} // namespace StreamSwarm::NetLab
