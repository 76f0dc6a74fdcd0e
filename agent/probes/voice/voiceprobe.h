// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include "agent/probes/probe.h"
#include "agent/stamp/stampsession.h"
#include "shared/metrics/emodel.h"
#include "shared/protocol/validation.h"
#include "shared/testtypes/voice.h"

namespace StreamSwarm::Agent {

// The voice test: a call simulated over STAMP (StampSession, one stream): a packet per codec frame,
// as long as the codec's RTP packet (12 bytes of RTP header beside the audio), marked EF by default,
// for the call's length; the reflector answers each, as long. Each direction's loss, jitter and delay
// (one way when both clocks allow, else half the round trip) go into the ITU-T G.107 E-model with the
// codec's Ie and Bpl; the worse direction's rating is the call's. Main thread, never blocks.
class VoiceProbe final : public Probe
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(VoiceProbe)
public:
    using Params = Validation::VoiceParams;

    // Bytes of RTP header in each voice packet beside the codec's audio.
    static constexpr int RTP_HEADER_BYTES = 12;

    VoiceProbe(const Protocol::TestSpec &spec, Params params, QObject *parent = nullptr);
    ~VoiceProbe() override;

    void startRound(qint64 roundTimeMs) override;

private:
    void finishRound();

    Protocol::TestSpec m_spec;
    Params m_params;
    const EModel::Codec &m_codec;
    StampSession m_session;
    qint64 m_roundTimeMs = 0;
};

} // namespace StreamSwarm::Agent
