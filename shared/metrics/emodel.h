// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QStringView>

// Call quality from what the network did: the ITU-T G.107 (06/2015) E-model, narrowband. Everything
// a measurement cannot give (loudness ratings, room noise, sidetone, echo loss) takes the
// recommendation's default value (its Table 3), as G.107 advises for network planning.
namespace StreamSwarm::EModel {

struct Inputs
{
    double mouthToEarMs = 0; // Ta: absolute one-way delay, what the listener waits for the talker
    double echoDelayMs = -1; // T: talker echo path delay; below 0: Ta
    double roundTripMs = -1; // Tr: the four-wire loop's round trip; below 0: twice Ta
    double equipmentImpairment = 0; // Ie: the codec's own loss of quality
    double lossRobustness = 1; // Bpl: how well the codec and its concealment bear lost packets
    double lossPct = 0; // Ppl: packets lost (or late for the jitter buffer), %
    double burstRatio = 1; // BurstR: 1 when losses are random, above 1 when they come in bursts
};

// The rating and its parts; R = Ro - Is - Id - Ie,eff (A, the advantage factor, is 0).
struct Result
{
    double r = 0;
    double mos = 0;
    double basicRatio = 0; // Ro: noise
    double simultaneous = 0; // Is: loudness, sidetone, quantisation
    double delay = 0; // Id = Idte + Idle + Idd: talker and listener echo, and delay itself
    double effectiveEquipment = 0; // Ie,eff: codec and packet loss
};

Result evaluate(const Inputs &inputs);
// G.107 Annex B: the mean opinion score (1 to 4.5) a rating gives.
double mosFromRating(double r);

// A codec as a call simulation sends it and as the E-model rates it. Ie and Bpl come from ITU-T G.113
// Appendix I (G.711 with the concealment of its Appendix I, G.729A with VAD); the ITU publishes none
// for Opus, which gets G.711's (it conceals at least as well), and says so in every result.
struct Codec
{
    const char16_t *name; // as codec= takes it
    int frameMs; // audio per packet
    int payloadBytes; // RTP payload per packet
    double lookaheadMs; // what the encoder waits for beyond the frame
    double equipmentImpairment; // Ie
    double lossRobustness; // Bpl
    bool valuesFromG113;
};

// g711, g729 or opus (case ignored); nullptr for another name.
const Codec *findCodec(QStringView name);
// The names codec= takes, for messages: "g711, g729, opus".
QString codecNames();

// Ta for a call: the network's one-way delay, the packet's audio, the encoder's lookahead and a
// jitter buffer of twice the jitter (what an adaptive buffer settles at).
double mouthToEarMs(double networkOneWayMs, double jitterMs, const Codec &codec);

} // namespace StreamSwarm::EModel
