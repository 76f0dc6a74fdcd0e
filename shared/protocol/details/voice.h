// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <optional>

#include <QCborMap>
#include <QString>

#include "shared/protocol/details/timing.h"

namespace StreamSwarm::Protocol {

class FieldReader;

// What the E-model was given for one direction of a voice call, and what it gave: so that a reader
// can work the rating again by hand (ITU-T G.107, the rest at its defaults).
struct VoiceDirection
{
    qint64 sent = 0;
    qint64 lost = 0;
    double lossPct = 0; // Ppl
    double jitterMs = 0; // RFC 3550
    double networkDelayMs = 0; // one way: measured, or half the round trip (delayMeasured says which)
    bool delayMeasured = false; // one-way from synchronised clocks; else half the round trip
    double mouthToEarMs = 0; // Ta = network + frame + lookahead + a jitter buffer of twice the jitter
    double burstRatio = 1; // BurstR; 1: losses taken as random
    double delayImpairment = 0; // Id
    double effectiveEquipment = 0; // Ie,eff
    double rating = 0; // R
    double mos = 0;
};

// A voice round's detail: the codec as sent and rated, each direction's inputs and rating, and
// whether the clocks allowed one-way delays (and if not, why).
struct VoiceDetail
{
    static constexpr char16_t KIND[] = u"voice"; // the wire's "kind"

    QString codec; // "g711", "g729", "opus"
    int frameMs = 0;
    int packetBytes = 0; // UDP payload of each test packet (STAMP with padding)
    int dscp = 0;
    double equipmentImpairment = 0; // Ie
    double lossRobustness = 0; // Bpl
    bool codecValuesFromG113 = true; // false: the ITU publishes no Ie and Bpl for this codec
    std::optional<VoiceDirection> there; // absent when nothing came back
    std::optional<VoiceDirection> back;
    QString oneWayDelaysLeftOut; // why one-way delays were not used, in words; empty when they were
    std::optional<TimestampTally> timestamps;
    std::optional<ClockReading> clock;

    // The wire form's fields after "kind", and back (README.md beside details.h).
    void writeTo(QCborMap &map) const;
    static VoiceDetail readFrom(const QCborMap &map, FieldReader &reader);
};

} // namespace StreamSwarm::Protocol
