// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "voiceprobe.h"

#include <algorithm>

#include "agent/platform/linux/clockstate.h"
#include "agent/probes/probefactory.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Agent {

namespace {

const EModel::Codec &codecOf(const Validation::VoiceParams &params)
{
    static const EModel::Codec fallback = *EModel::findCodec(u"g711");
    const EModel::Codec *codec = EModel::findCodec(params.codec);
    return codec ? *codec : fallback; // the parser let only known names through
}

StampSession::Settings sessionSettings(
    const Protocol::TestSpec &spec, const Validation::VoiceParams &params, const EModel::Codec &codec)
{
    StampSession::Settings settings;
    settings.target = spec.target;
    settings.port = params.port;
    settings.dscps = {params.dscp};
    settings.count = int(std::max<qint64>(1, params.durationMs / codec.frameMs));
    settings.spacingMs = codec.frameMs;
    settings.timeoutMs = params.timeoutMs;
    settings.packetBytes = codec.payloadBytes + VoiceProbe::RTP_HEADER_BYTES;
    settings.sessionBase = quint16(spec.id);
    return settings;
}

Protocol::VoiceDirection rate(
    qint64 sent, qint64 lost, double jitterMs, double delayMs, bool measured, const EModel::Codec &codec)
{
    Protocol::VoiceDirection direction;
    direction.sent = sent;
    direction.lost = lost;
    direction.lossPct = sent ? 100.0 * double(lost) / double(sent) : 0.0;
    direction.jitterMs = jitterMs;
    direction.networkDelayMs = delayMs;
    direction.delayMeasured = measured;
    direction.mouthToEarMs = EModel::mouthToEarMs(delayMs, jitterMs, codec);
    EModel::Inputs inputs;
    inputs.mouthToEarMs = direction.mouthToEarMs;
    inputs.equipmentImpairment = codec.equipmentImpairment;
    inputs.lossRobustness = codec.lossRobustness;
    inputs.lossPct = direction.lossPct;
    inputs.burstRatio = direction.burstRatio;
    const EModel::Result result = EModel::evaluate(inputs);
    direction.delayImpairment = result.delay;
    direction.effectiveEquipment = result.effectiveEquipment;
    direction.rating = result.r;
    direction.mos = result.mos;
    return direction;
}

} // namespace

VoiceProbe::VoiceProbe(const Protocol::TestSpec &spec, Params params, QObject *parent)
    : Probe(parent)
    , m_spec(spec)
    , m_params(std::move(params))
    , m_codec(codecOf(m_params))
    , m_session(sessionSettings(m_spec, m_params, m_codec))
{
    connect(&m_session, &StampSession::roundFinished, this, &VoiceProbe::finishRound);
}

VoiceProbe::~VoiceProbe() = default;

void VoiceProbe::startRound(qint64 roundTimeMs)
{
    m_session.finishRound(); // one still running is reported first, with its own time
    m_roundTimeMs = roundTimeMs;
    m_session.startRound();
}

void VoiceProbe::finishRound()
{
    Protocol::Round round;
    round.testId = m_spec.id;
    round.timeMs = m_roundTimeMs;
    round.error = m_session.error();
    Protocol::VoiceDetail detail;
    detail.codec = QString::fromUtf16(m_codec.name);
    detail.frameMs = m_codec.frameMs;
    detail.packetBytes = m_session.packetBytes();
    detail.dscp = m_params.dscp;
    detail.equipmentImpairment = m_codec.equipmentImpairment;
    detail.lossRobustness = m_codec.lossRobustness;
    detail.codecValuesFromG113 = m_codec.valuesFromG113;

    const StampSession::Stream &call = m_session.streams().front();
    const StampStatistics &s = *call.statistics;
    round.values.append({QString::fromUtf16(Metric::VoiceSent), double(s.sent())});
    if (s.received() > 0) {
        const double rttMs = median(s.rttsMs());
        const bool oneWay = call.clocksSynchronised && !call.forwardMs.empty();
        const double thereMs = oneWay ? median(call.forwardMs) : rttMs / 2;
        const double backMs = oneWay ? median(call.backwardMs) : rttMs / 2;
        // The way back only carries what reached the reflector.
        const qint64 reflected = s.sent() - s.lostThere();
        detail.there = rate(s.sent(), s.lostThere(), s.jitterThereMs(), thereMs, oneWay, m_codec);
        detail.back = rate(reflected, s.lostBack(), s.jitterBackMs(), backMs, oneWay, m_codec);
        if (!oneWay)
            detail.oneWayDelaysLeftOut = call.oneWayLeftOutBecause;
        const Protocol::VoiceDirection &worse
            = detail.there->rating <= detail.back->rating ? *detail.there : *detail.back;
        round.values.append({QString::fromUtf16(Metric::VoiceMos), worse.mos});
        round.values.append({QString::fromUtf16(Metric::VoiceRating), worse.rating});
        round.values.append({QString::fromUtf16(Metric::VoiceMosThere), detail.there->mos});
        round.values.append({QString::fromUtf16(Metric::VoiceMosBack), detail.back->mos});
        round.values.append({QString::fromUtf16(Metric::VoiceLossThere), detail.there->lossPct});
        round.values.append({QString::fromUtf16(Metric::VoiceLossBack), detail.back->lossPct});
        round.values.append({QString::fromUtf16(Metric::VoiceJitterThere), detail.there->jitterMs});
        round.values.append({QString::fromUtf16(Metric::VoiceJitterBack), detail.back->jitterMs});
        round.values.append({QString::fromUtf16(Metric::VoiceRtt), rttMs});
        if (oneWay) {
            round.values.append({QString::fromUtf16(Metric::VoiceDelayThere), thereMs});
            round.values.append({QString::fromUtf16(Metric::VoiceDelayBack), backMs});
        }
    }
    detail.timestamps = m_session.timestamps();
    detail.clock = clockReading(ClockState::recent());
    round.detail = std::move(detail);
    Q_EMIT roundFinished(round);
}

// This folder's entry in the probe factory (agent/CMakeLists.txt finds it).
ProbeType voiceProbeType()
{
    return probeType<VoiceProbe>(TestTypes::voiceType(), Validation::parseVoiceParams);
}

} // namespace StreamSwarm::Agent
