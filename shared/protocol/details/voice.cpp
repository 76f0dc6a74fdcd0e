// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "voice.h"

#include "shared/protocol/detailcodec.h"
#include "shared/protocol/fieldreader.h"
#include "shared/protocol/validation.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Protocol {

namespace {

// The E-model's figures stay within these whatever the path did (R below 0 is possible in theory).
constexpr double MAX_RATING = 200;
constexpr double MAX_IMPAIRMENT = 200;

QCborMap encodeDirection(const VoiceDirection &d)
{
    return QCborMap{{u"sent"_s, d.sent}, {u"lost"_s, d.lost}, {u"lossPct"_s, d.lossPct}, {u"jitterMs"_s, d.jitterMs},
        {u"networkDelayMs"_s, d.networkDelayMs}, {u"delayMeasured"_s, d.delayMeasured},
        {u"mouthToEarMs"_s, d.mouthToEarMs}, {u"burstRatio"_s, d.burstRatio}, {u"delayImpairment"_s, d.delayImpairment},
        {u"effectiveEquipment"_s, d.effectiveEquipment}, {u"rating"_s, d.rating}, {u"mos"_s, d.mos}};
}

std::optional<VoiceDirection> readDirection(const QCborMap &parent, const QString &key, FieldReader &reader)
{
    if (!parent.contains(key))
        return std::nullopt;
    const QCborMap d = reader.map(parent, key);
    VoiceDirection out;
    out.sent = reader.count(d, u"sent"_s, 0, MAX_DETAIL_COUNT);
    out.lost = reader.count(d, u"lost"_s, 0, MAX_DETAIL_COUNT);
    out.lossPct = reader.number(d, u"lossPct"_s, 0, 100);
    out.jitterMs = reader.number(d, u"jitterMs"_s, 0, MAX_DETAIL_MS);
    out.networkDelayMs = reader.number(d, u"networkDelayMs"_s, -MAX_DETAIL_MS, MAX_DETAIL_MS);
    out.delayMeasured = reader.boolean(d, u"delayMeasured"_s);
    out.mouthToEarMs = reader.number(d, u"mouthToEarMs"_s, 0, MAX_DETAIL_MS);
    out.burstRatio = reader.number(d, u"burstRatio"_s, 0, 1000);
    out.delayImpairment = reader.number(d, u"delayImpairment"_s, -MAX_IMPAIRMENT, MAX_IMPAIRMENT);
    out.effectiveEquipment = reader.number(d, u"effectiveEquipment"_s, -MAX_IMPAIRMENT, MAX_IMPAIRMENT);
    out.rating = reader.number(d, u"rating"_s, -MAX_RATING, MAX_RATING);
    out.mos = reader.number(d, u"mos"_s, 1, 4.5);
    return out;
}

} // namespace

void VoiceDetail::writeTo(QCborMap &map) const
{
    map.insert(u"codec"_s, codec);
    map.insert(u"frameMs"_s, frameMs);
    map.insert(u"packetBytes"_s, packetBytes);
    map.insert(u"dscp"_s, dscp);
    map.insert(u"equipmentImpairment"_s, equipmentImpairment);
    map.insert(u"lossRobustness"_s, lossRobustness);
    map.insert(u"codecValuesFromG113"_s, codecValuesFromG113);
    if (there)
        map.insert(u"there"_s, encodeDirection(*there));
    if (back)
        map.insert(u"back"_s, encodeDirection(*back));
    if (!oneWayDelaysLeftOut.isEmpty())
        map.insert(u"oneWayDelaysLeftOut"_s, oneWayDelaysLeftOut);
    if (timestamps)
        map.insert(u"timestamps"_s, encodeTally(*timestamps));
    if (clock)
        map.insert(u"clock"_s, encodeClock(*clock));
}

VoiceDetail VoiceDetail::readFrom(const QCborMap &map, FieldReader &reader)
{
    VoiceDetail detail;
    reader.setContext(u"voice detail: "_s);
    detail.codec = reader.text(map, u"codec"_s, Validation::MAX_NAME_LENGTH);
    detail.frameMs = int(reader.count(map, u"frameMs"_s, 1, 1000));
    detail.packetBytes = int(reader.count(map, u"packetBytes"_s, 0, 65535));
    detail.dscp = int(reader.count(map, u"dscp"_s, 0, 63));
    detail.equipmentImpairment = reader.number(map, u"equipmentImpairment"_s, 0, MAX_IMPAIRMENT);
    detail.lossRobustness = reader.number(map, u"lossRobustness"_s, 0, MAX_IMPAIRMENT);
    detail.codecValuesFromG113 = reader.boolean(map, u"codecValuesFromG113"_s);
    reader.setContext(u"voice detail, the way there: "_s);
    detail.there = readDirection(map, u"there"_s, reader);
    reader.setContext(u"voice detail, the way back: "_s);
    detail.back = readDirection(map, u"back"_s, reader);
    reader.setContext(u"voice detail: "_s);
    if (map.contains(u"oneWayDelaysLeftOut"_s))
        detail.oneWayDelaysLeftOut = reader.text(map, u"oneWayDelaysLeftOut"_s, MAX_MESSAGE_TEXT_LENGTH);
    detail.timestamps = readOptionalTally(map, reader);
    detail.clock = readOptionalClock(map, reader);
    return detail;
}

} // namespace StreamSwarm::Protocol
