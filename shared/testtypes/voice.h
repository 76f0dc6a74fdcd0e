// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QString>

#include "shared/protocol/messages.h"
#include "shared/testtypes/testtype.h"

namespace StreamSwarm::Validation {

// voice: a call simulated over STAMP to a reflector (another agent's, as qos uses): one packet per
// codec frame, each as long as the codec's RTP packet, marked EF by default; rated with the E-model.
struct VoiceParams
{
    QString codec = QStringLiteral("g711"); // EModel::findCodec()
    qint64 durationMs = 0; // the call's length per round; 0 before parsing: the interval less the timeout
    int dscp = 46; // EF
    qint64 timeoutMs = 500;
    int port = 862;
};
// The target is the reflector's IP address, or "agent:NAME" as for qos.
bool parseVoiceParams(const Protocol::TestSpec &spec, VoiceParams *params, QString *error);

} // namespace StreamSwarm::Validation

namespace StreamSwarm::TestTypes {

const TestType &voiceType();

} // namespace StreamSwarm::TestTypes

namespace StreamSwarm::Metric {
// The worse direction's rating: what the call is as good as.
inline constexpr char16_t VoiceMos[] = u"voice.mos";
inline constexpr char16_t VoiceRating[] = u"voice.r_factor";
// Each direction: there (our speech to the peer) and back.
inline constexpr char16_t VoiceMosThere[] = u"voice.fwd_mos";
inline constexpr char16_t VoiceMosBack[] = u"voice.bwd_mos";
inline constexpr char16_t VoiceLossThere[] = u"voice.fwd_loss_pct";
inline constexpr char16_t VoiceLossBack[] = u"voice.bwd_loss_pct";
inline constexpr char16_t VoiceJitterThere[] = u"voice.fwd_jitter_ms";
inline constexpr char16_t VoiceJitterBack[] = u"voice.bwd_jitter_ms";
inline constexpr char16_t VoiceDelayThere[] = u"voice.fwd_owd_ms"; // only when both clocks allow
inline constexpr char16_t VoiceDelayBack[] = u"voice.bwd_owd_ms";
inline constexpr char16_t VoiceRtt[] = u"voice.rtt_ms";
inline constexpr char16_t VoiceSent[] = u"voice.sent";
} // namespace StreamSwarm::Metric
