// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "detailcodec.h"

#include <QCborArray>

#include "shared/protocol/fieldreader.h"
#include "shared/protocol/validation.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Protocol {

namespace {

const QString KEY_KIND = u"kind"_s;
const QString NO_ANSWER = u"*"_s; // a hop's address when nothing answered
constexpr std::array<TimestampSource, 3> SOURCES{
    TimestampSource::Hardware, TimestampSource::Kernel, TimestampSource::User};
constexpr std::array<DetailKind, 3> TYPED_KINDS{DetailKind::Ping, DetailKind::Traceroute, DetailKind::Qos};
constexpr int MAX_PROTOCOL_LENGTH = 16;

// Key order and number types are those of the probes before typed details, so the bytes are too.

QCborMap encodeTally(const TimestampTally &tally)
{
    // Zero counts are left out: a ping round's detail rides in every batch and the spool is finite.
    QCborMap map{{u"source"_s, timestampSourceName(tally.weakest())}};
    for (const TimestampSource source : SOURCES) {
        if (tally.count(source))
            map.insert(timestampSourceName(source), tally.count(source));
    }
    return map;
}

QCborMap encodeClock(const ClockReading &clock)
{
    return QCborMap{{u"synchronised"_s, clock.synchronised}, {u"offsetUs"_s, clock.offsetUs},
        {u"errorUs"_s, clock.errorUs}, {u"maxErrorUs"_s, clock.maxErrorUs}};
}

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

template <typename T>
QCborValue optionalValue(const std::optional<T> &value)
{
    return value ? QCborValue(*value) : QCborValue(); // undefined, as the first agents sent it
}

struct Encoder
{
    QCborMap operator()(std::monostate) const { return {}; }
    QCborMap operator()(const PingDetail &detail) const
    {
        return QCborMap{{KEY_KIND, detailKindName(DetailKind::Ping)}, {u"timestamps"_s, encodeTally(detail.timestamps)},
            {u"clock"_s, encodeClock(detail.clock)}};
    }
    QCborMap operator()(const TracerouteDetail &detail) const
    {
        QCborMap map;
        map.insert(KEY_KIND, detailKindName(DetailKind::Traceroute));
        map.insert(u"target"_s, detail.target);
        if (!detail.address.isEmpty())
            map.insert(u"address"_s, detail.address);
        if (!detail.protocol.isEmpty())
            map.insert(u"protocol"_s, detail.protocol);
        if (detail.port)
            map.insert(u"port"_s, detail.port);
        QCborArray hops;
        for (const TracerouteHop &hop : detail.hops)
            hops.append(encodeHop(hop));
        map.insert(u"hops"_s, hops);
        map.insert(u"reached"_s, detail.reached);
        map.insert(u"route_changed"_s, detail.routeChanged);
        if (detail.timestamps)
            map.insert(u"timestamps"_s, encodeTally(*detail.timestamps));
        if (detail.clock)
            map.insert(u"clock"_s, encodeClock(*detail.clock));
        if (detail.lossHop)
            map.insert(u"loss_hop"_s, encodeStep(*detail.lossHop, u"step_pct"_s));
        if (detail.latencyHop)
            map.insert(u"latency_hop"_s, encodeStep(*detail.latencyHop, u"step_ms"_s));
        if (!detail.rateLimited.isEmpty()) {
            QCborArray limited;
            for (const int ttl : detail.rateLimited)
                limited.append(ttl);
            map.insert(u"rate_limited"_s, limited);
        }
        return map;
    }
    QCborMap operator()(const QosDetail &detail) const
    {
        QCborArray classes;
        for (const QosClassDetail &c : detail.classes) {
            QCborMap map{
                {u"class"_s, c.className}, {u"dscp"_s, c.dscp}, {u"sent"_s, c.sent}, {u"received"_s, c.received}};
            const std::pair<QString, const std::optional<qint64> &> directions[]{{u"lostThere"_s, c.lostThere},
                {u"lostBack"_s, c.lostBack}, {u"reorderedThere"_s, c.reorderedThere},
                {u"reorderedBack"_s, c.reorderedBack}, {u"duplicatesThere"_s, c.duplicatesThere},
                {u"duplicatesBack"_s, c.duplicatesBack}};
            for (const auto &[key, value] : directions) {
                if (value)
                    map.insert(key, *value);
            }
            // Present even when nothing came back (undefined then), as agents have always sent them.
            map.insert(u"jitterThereMs"_s, optionalValue(c.jitterThereMs));
            map.insert(u"jitterBackMs"_s, optionalValue(c.jitterBackMs));
            map.insert(u"markingKeptThere"_s, optionalValue(c.markingKeptThere));
            map.insert(u"markingKeptBack"_s, optionalValue(c.markingKeptBack));
            map.insert(u"clocksSynchronised"_s, optionalValue(c.clocksSynchronised));
            if (c.oneWayDelaysLeftOut)
                map.insert(u"oneWayDelaysLeftOut"_s, *c.oneWayDelaysLeftOut);
            classes.append(map);
        }
        QCborMap map{
            {KEY_KIND, detailKindName(DetailKind::Qos)}, {u"classes"_s, classes}, {u"duplicates"_s, detail.duplicates}};
        if (detail.timestamps)
            map.insert(u"timestamps"_s, encodeTally(*detail.timestamps));
        if (detail.clock)
            map.insert(u"clock"_s, encodeClock(*detail.clock));
        return map;
    }
    QCborMap operator()(const OtherDetail &detail) const
    {
        QCborMap map = detail.fields;
        if (!detail.kind.isEmpty() && !map.contains(KEY_KIND))
            map.insert(KEY_KIND, detail.kind);
        return map;
    }
};

TimestampTally readTally(const QCborMap &parent, FieldReader &reader)
{
    TimestampTally tally;
    const QCborMap map = reader.map(parent, u"timestamps"_s);
    const QString weakest = reader.text(map, u"source"_s, MAX_PROTOCOL_LENGTH);
    if (reader.ok() && std::none_of(SOURCES.cbegin(), SOURCES.cend(), [&](TimestampSource source) {
            return timestampSourceName(source) == weakest;
        })) {
        reader.fail(u"field 'source' must be hardware, kernel or user"_s);
    }
    for (const TimestampSource source : SOURCES)
        tally.add(source, int(reader.count(map, timestampSourceName(source), 0, MAX_DETAIL_COUNT, false)));
    return tally;
}

ClockReading readClock(const QCborMap &parent, FieldReader &reader)
{
    const QCborMap map = reader.map(parent, u"clock"_s);
    ClockReading clock;
    clock.synchronised = reader.boolean(map, u"synchronised"_s);
    clock.offsetUs = reader.number(map, u"offsetUs"_s, -MAX_CLOCK_US, MAX_CLOCK_US);
    clock.errorUs = reader.number(map, u"errorUs"_s, -MAX_CLOCK_US, MAX_CLOCK_US);
    clock.maxErrorUs = reader.number(map, u"maxErrorUs"_s, -MAX_CLOCK_US, MAX_CLOCK_US);
    return clock;
}

std::optional<TimestampTally> readOptionalTally(const QCborMap &parent, FieldReader &reader)
{
    return parent.contains(u"timestamps"_s) ? std::optional(readTally(parent, reader)) : std::nullopt;
}

std::optional<ClockReading> readOptionalClock(const QCborMap &parent, FieldReader &reader)
{
    return parent.contains(u"clock"_s) ? std::optional(readClock(parent, reader)) : std::nullopt;
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

TracerouteDetail readTraceroute(const QCborMap &map, FieldReader &reader)
{
    TracerouteDetail detail;
    detail.target = reader.text(map, u"target"_s, MAX_TEXT_LENGTH);
    detail.address = reader.text(map, u"address"_s, MAX_ADDRESS_LENGTH, false);
    detail.protocol = reader.text(map, u"protocol"_s, MAX_PROTOCOL_LENGTH, false);
    detail.port = int(reader.count(map, u"port"_s, 1, 65535, false));
    const QCborArray hops = reader.array(map, u"hops"_s, MAX_DETAIL_HOPS);
    detail.hops.reserve(hops.size());
    for (qsizetype i = 0; i < hops.size() && reader.ok(); ++i) {
        reader.setContext(u"traceroute detail, hop %1: "_s.arg(i + 1));
        detail.hops.append(readHop(hops.at(i), reader));
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

QosDetail readQos(const QCborMap &map, FieldReader &reader)
{
    QosDetail detail;
    const QCborArray classes = reader.array(map, u"classes"_s, MAX_QOS_CLASSES);
    for (qsizetype i = 0; i < classes.size() && reader.ok(); ++i) {
        reader.setContext(u"qos detail, class %1: "_s.arg(i + 1));
        if (!classes.at(i).isMap())
            return reader.fail(u"each class must be a map"_s), detail;
        const QCborMap c = classes.at(i).toMap();
        QosClassDetail out;
        out.className = reader.text(c, u"class"_s, Validation::MAX_NAME_LENGTH);
        out.dscp = int(reader.count(c, u"dscp"_s, 0, 63));
        out.sent = reader.count(c, u"sent"_s, 0, MAX_DETAIL_COUNT);
        out.received = reader.count(c, u"received"_s, 0, MAX_DETAIL_COUNT);
        for (auto [key, value] : {std::pair{u"lostThere"_s, &out.lostThere}, std::pair{u"lostBack"_s, &out.lostBack},
                 std::pair{u"reorderedThere"_s, &out.reorderedThere}, std::pair{u"reorderedBack"_s, &out.reorderedBack},
                 std::pair{u"duplicatesThere"_s, &out.duplicatesThere},
                 std::pair{u"duplicatesBack"_s, &out.duplicatesBack}}) {
            if (c.contains(key))
                *value = reader.count(c, key, 0, MAX_DETAIL_COUNT);
        }
        out.jitterThereMs = reader.optionalNumber(c, u"jitterThereMs"_s, 0, MAX_DETAIL_MS);
        out.jitterBackMs = reader.optionalNumber(c, u"jitterBackMs"_s, 0, MAX_DETAIL_MS);
        out.markingKeptThere = reader.optionalBoolean(c, u"markingKeptThere"_s);
        out.markingKeptBack = reader.optionalBoolean(c, u"markingKeptBack"_s);
        out.clocksSynchronised = reader.optionalBoolean(c, u"clocksSynchronised"_s);
        if (c.contains(u"oneWayDelaysLeftOut"_s))
            out.oneWayDelaysLeftOut = reader.text(c, u"oneWayDelaysLeftOut"_s, MAX_MESSAGE_TEXT_LENGTH);
        detail.classes.append(out);
    }
    reader.setContext(u"qos detail: "_s);
    detail.duplicates = reader.count(map, u"duplicates"_s, 0, MAX_DETAIL_COUNT);
    detail.timestamps = readOptionalTally(map, reader);
    detail.clock = readOptionalClock(map, reader);
    return detail;
}

} // namespace

QCborMap encodeDetail(const RoundDetail &detail)
{
    return std::visit(Encoder{}, detail.value());
}

std::optional<RoundDetail> decodeDetail(const QCborValue &value, DecodeError *error)
{
    FieldReader reader(error);
    if (value.isUndefined())
        return RoundDetail();
    if (!value.isMap())
        return reader.fail(u"field 'detail' must be a map"_s), std::nullopt;
    const QCborMap map = value.toMap();
    const QString kindName = reader.text(map, KEY_KIND, Validation::MAX_NAME_LENGTH, false);
    if (!reader.ok())
        return std::nullopt;
    const auto kind = std::find_if(TYPED_KINDS.cbegin(), TYPED_KINDS.cend(),
        [&](DetailKind known) { return !kindName.isEmpty() && detailKindName(known) == kindName; });
    RoundDetail detail;
    switch (kind == TYPED_KINDS.cend() ? DetailKind::Other : *kind) {
    case DetailKind::Ping:
        reader.setContext(u"ping detail: "_s);
        detail = PingDetail{readTally(map, reader), readClock(map, reader)};
        break;
    case DetailKind::Traceroute:
        reader.setContext(u"traceroute detail: "_s);
        detail = readTraceroute(map, reader);
        break;
    case DetailKind::Qos:
        detail = readQos(map, reader);
        break;
    case DetailKind::None:
    case DetailKind::Other: {
        // A newer agent's kind: kept as it came (the message's size bounds it).
        detail = OtherDetail{kindName, map};
        break;
    }
    }
    return reader.ok() ? std::optional<RoundDetail>(std::move(detail)) : std::nullopt;
}

QJsonObject detailToJson(const RoundDetail &detail)
{
    return encodeDetail(detail).toJsonObject();
}

RoundDetail detailFromJson(const QJsonObject &body, QString *problem)
{
    const QCborMap map = QCborMap::fromJsonObject(body);
    DecodeError error;
    if (auto detail = decodeDetail(map, &error))
        return std::move(*detail);
    if (problem)
        *problem = error.reason;
    return OtherDetail{map.value(KEY_KIND).toString().left(Validation::MAX_NAME_LENGTH), map};
}

} // namespace StreamSwarm::Protocol
