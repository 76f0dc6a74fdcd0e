// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "peertools.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace StreamSwarm::NetLab {

PingOutput parsePing(const QString &output)
{
    PingOutput run;
    static const QRegularExpression reply(u"icmp_seq=(\\d+) ttl=\\d+ time=([\\d.]+) ms"_s);
    static const QRegularExpression counts(u"(\\d+) packets transmitted, (\\d+) received"_s);
    static const QRegularExpression rtt(u"min/avg/max/mdev = ([\\d.]+)/([\\d.]+)/"_s);
    auto replies = reply.globalMatch(output);
    while (replies.hasNext()) {
        const auto match = replies.next();
        run.rttMs.insert(match.captured(1).toInt(), match.captured(2).toDouble());
    }
    if (const auto match = counts.match(output); match.hasMatch()) {
        run.transmitted = match.captured(1).toInt();
        run.received = match.captured(2).toInt();
    }
    if (const auto match = rtt.match(output); match.hasMatch()) {
        run.minMs = match.captured(1).toDouble();
        run.avgMs = match.captured(2).toDouble();
    }
    return run;
}

QList<TracerouteHop> parseTraceroute(const QString &output)
{
    // e.g. " 3  10.200.2.2  5.123 ms  5.098 ms *": the heading line starts with "traceroute to".
    static const QRegularExpression hopLine(u"^\\s*(\\d+)\\s+(.*)$"_s, QRegularExpression::MultilineOption);
    QList<TracerouteHop> hops;
    auto lines = hopLine.globalMatch(output);
    while (lines.hasNext()) {
        const QRegularExpressionMatch line = lines.next();
        const QStringList tokens = line.captured(2).split(u' ', Qt::SkipEmptyParts);
        TracerouteHop hop;
        hop.ttl = line.captured(1).toInt();
        hop.address = tokens.value(0);
        for (qsizetype i = 0; i + 1 < tokens.size(); ++i) {
            if (tokens.at(i + 1) == u"ms")
                hop.rttsMs.append(tokens.at(i).toDouble());
        }
        hop.missing = int(tokens.count(u"*"_s));
        hops.append(hop);
    }
    return hops;
}

QStringList tracerouteAddresses(const QString &output)
{
    QStringList addresses;
    for (const TracerouteHop &hop : parseTraceroute(output))
        addresses.append(hop.address);
    return addresses;
}

} // namespace StreamSwarm::NetLab
