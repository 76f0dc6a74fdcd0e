// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "traceroute.h"

#include <cmath>

#include <QCborArray>

#include "shared/protocol/detailcodec.h"
#include "shared/protocol/fieldreader.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Protocol {

namespace {

const QString NO_ANSWER = u"*"_s; // a hop's address when nothing answered
constexpr int MAX_PROTOCOL_LENGTH = 16;

// Key order and number types are those of the probes before typed details, so the bytes are too.

QCborMap encodeHop(const TracerouteHop &hop)
{
    QCborMap map;
    map.insert(u"ttl"_s, hop.ttl);
    map.insert(u"address"_s, hop.address.isEmpty() ? NO_ANSWER : hop.address);
    if (!hop.name.isEmpty())
        map.insert(u"name"_s, hop.name);
    map.insert(u"sent"_s, hop.sent);
    map.insert(u"received"_s, hop.received);
    map.insert(u"loss_pct"_s, hop.lossPct);
    if (hop.hasRtt) {
        map.insert(u"last"_s, hop.lastMs);
        map.insert(u"avg"_s, hop.avgMs);
        map.insert(u"best"_s, hop.bestMs);
        map.insert(u"worst"_s, hop.worstMs);
        map.insert(u"stddev"_s, hop.stddevMs);
    }
    QCborArray addresses;
    for (const HopAddress &member : hop.addresses) {
        QCborMap entry{{u"address"_s, member.address}, {u"received"_s, member.received}, {u"avg"_s, member.avgMs},
            {u"best"_s, member.bestMs}};
        if (!member.name.isEmpty())
            entry.insert(u"name"_s, member.name);
        addresses.append(entry);
    }
    if (!addresses.isEmpty())
        map.insert(u"addresses"_s, addresses);
    return map;
}

QCborMap encodeStep(const HopStep &step, const QString &stepKey)
{
    return QCborMap{{u"ttl"_s, step.ttl}, {u"address"_s, step.address}, {stepKey, step.step}};
}

double readMs(const QCborMap &map, const QString &key, FieldReader &reader, bool required = true)
{
    return reader.number(map, key, -MAX_DETAIL_MS, MAX_DETAIL_MS, required);
}

std::optional<HopStep> readStep(
    const QCborMap &parent, const QString &key, const QString &stepKey, double maxStep, FieldReader &reader)
{
    if (!parent.contains(key))
        return std::nullopt;
    const QCborMap map = reader.map(parent, key);
    HopStep step;
    step.ttl = int(reader.count(map, u"ttl"_s, 1, MAX_DETAIL_HOPS));
    step.address = reader.text(map, u"address"_s, MAX_ADDRESS_LENGTH);
    step.step = reader.number(map, stepKey, -maxStep, maxStep);
    return step;
}

TracerouteHop readHop(const QCborValue &value, FieldReader &reader)
{
    TracerouteHop hop;
    if (!value.isMap())
        return reader.fail(u"each hop must be a map"_s), hop;
    const QCborMap map = value.toMap();
    hop.ttl = int(reader.count(map, u"ttl"_s, 1, MAX_DETAIL_HOPS));
    hop.address = reader.text(map, u"address"_s, MAX_ADDRESS_LENGTH);
    if (hop.address == NO_ANSWER)
        hop.address.clear();
    hop.name = reader.text(map, u"name"_s, MAX_HOST_NAME_LENGTH, false);
    hop.sent = reader.count(map, u"sent"_s, 0, MAX_DETAIL_COUNT);
    hop.received = reader.count(map, u"received"_s, 0, MAX_DETAIL_COUNT);
    hop.lossPct = reader.number(map, u"loss_pct"_s, 0, 100);
    hop.hasRtt = map.contains(u"avg"_s);
    if (hop.hasRtt) {
        hop.lastMs = readMs(map, u"last"_s, reader);
        hop.avgMs = readMs(map, u"avg"_s, reader);
        hop.bestMs = readMs(map, u"best"_s, reader);
        hop.worstMs = readMs(map, u"worst"_s, reader);
        hop.stddevMs = reader.number(map, u"stddev"_s, 0, MAX_DETAIL_MS);
    }
    const QCborArray addresses = reader.array(map, u"addresses"_s, MAX_HOP_ADDRESSES, false);
    for (const QCborValue &entry : addresses) {
        if (!entry.isMap())
            return reader.fail(u"each of a hop's addresses must be a map"_s), hop;
        const QCborMap member = entry.toMap();
        HopAddress address;
        address.address = reader.text(member, u"address"_s, MAX_ADDRESS_LENGTH);
        address.name = reader.text(member, u"name"_s, MAX_HOST_NAME_LENGTH, false);
        address.received = reader.count(member, u"received"_s, 0, MAX_DETAIL_COUNT);
        address.avgMs = readMs(member, u"avg"_s, reader);
        address.bestMs = readMs(member, u"best"_s, reader);
        hop.addresses.append(address);
    }
    return hop;
}

} // namespace

void TracerouteDetail::writeTo(QCborMap &map) const
{
    map.insert(u"target"_s, target);
    if (!address.isEmpty())
        map.insert(u"address"_s, address);
    if (!protocol.isEmpty())
        map.insert(u"protocol"_s, protocol);
    if (port)
        map.insert(u"port"_s, port);
    QCborArray encodedHops;
    for (const TracerouteHop &hop : hops)
        encodedHops.append(encodeHop(hop));
    map.insert(u"hops"_s, encodedHops);
    map.insert(u"reached"_s, reached);
    map.insert(u"route_changed"_s, routeChanged);
    if (timestamps)
        map.insert(u"timestamps"_s, encodeTally(*timestamps));
    if (clock)
        map.insert(u"clock"_s, encodeClock(*clock));
    if (lossHop)
        map.insert(u"loss_hop"_s, encodeStep(*lossHop, u"step_pct"_s));
    if (latencyHop)
        map.insert(u"latency_hop"_s, encodeStep(*latencyHop, u"step_ms"_s));
    if (!rateLimited.isEmpty()) {
        QCborArray limited;
        for (const int ttl : rateLimited)
            limited.append(ttl);
        map.insert(u"rate_limited"_s, limited);
    }
}

TracerouteDetail TracerouteDetail::readFrom(const QCborMap &map, FieldReader &reader)
{
    TracerouteDetail detail;
    detail.target = reader.text(map, u"target"_s, MAX_TEXT_LENGTH);
    detail.address = reader.text(map, u"address"_s, MAX_ADDRESS_LENGTH, false);
    detail.protocol = reader.text(map, u"protocol"_s, MAX_PROTOCOL_LENGTH, false);
    detail.port = int(reader.count(map, u"port"_s, 1, 65535, false));
    const QCborArray encodedHops = reader.array(map, u"hops"_s, MAX_DETAIL_HOPS);
    detail.hops.reserve(encodedHops.size());
    for (qsizetype i = 0; i < encodedHops.size() && reader.ok(); ++i) {
        reader.setContext(u"traceroute detail, hop %1: "_s.arg(i + 1));
        detail.hops.append(readHop(encodedHops.at(i), reader));
    }
    reader.setContext(u"traceroute detail: "_s);
    detail.reached = reader.boolean(map, u"reached"_s);
    detail.routeChanged = reader.boolean(map, u"route_changed"_s);
    detail.timestamps = readOptionalTally(map, reader);
    detail.clock = readOptionalClock(map, reader);
    detail.lossHop = readStep(map, u"loss_hop"_s, u"step_pct"_s, 100, reader);
    detail.latencyHop = readStep(map, u"latency_hop"_s, u"step_ms"_s, MAX_DETAIL_MS, reader);
    const QCborArray limited = reader.array(map, u"rate_limited"_s, MAX_DETAIL_HOPS, false);
    for (const QCborValue &ttl : limited) {
        const double value = ttl.toDouble();
        if (!(ttl.isInteger() || ttl.isDouble()) || value < 1 || value > MAX_DETAIL_HOPS || std::trunc(value) != value)
            return reader.fail(u"field 'rate_limited' must list TTLs from 1 to %1"_s.arg(MAX_DETAIL_HOPS)), detail;
        detail.rateLimited.append(int(value));
    }
    return detail;
}

} // namespace StreamSwarm::Protocol
