// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "voice.h"

#include <algorithm>

#include <QCoreApplication>

#include "shared/metrics/emodel.h"
#include "shared/protocol/validation.h"
#include "shared/testtypes/paramreader.h"
#include "shared/util/duration.h"

using namespace Qt::StringLiterals;

namespace {

constexpr qint64 MIN_CALL_MS = 100;
constexpr qint64 MAX_CALL_MS = 60'000;

} // namespace

namespace StreamSwarm::Validation {

bool parseVoiceParams(const Protocol::TestSpec &spec, VoiceParams *params, QString *error)
{
    const TestTypes::TestType &type = TestTypes::voiceType();
    if (!TestTypes::checkKnownParams(type, spec, error))
        return false;
    if (!checkReflectorTarget(type.name, spec.target, error))
        return false;
    VoiceParams result;
    if (const auto codec = spec.params.constFind(u"codec"_s); codec != spec.params.constEnd()) {
        const EModel::Codec *known = EModel::findCodec(codec->trimmed());
        if (!known) {
            return TestTypes::fail(error,
                Messages::tr("The codec \"%1\" is not one we can simulate; use one of: %2.")
                    .arg(codec->trimmed().left(40), EModel::codecNames()));
        }
        result.codec = QString::fromUtf16(known->name);
    }
    if (!TestTypes::readDscp(type, spec, u"dscp", &result.dscp, error)
        || !TestTypes::readDuration(type, spec, u"timeout", &result.timeoutMs, error)
        || !TestTypes::readInteger(type, spec, u"port", &result.port, error))
        return false;
    if (spec.params.contains(u"duration"_s)) {
        if (!TestTypes::readDuration(type, spec, u"duration", &result.durationMs, error))
            return false;
    } else {
        result.durationMs = std::min(spec.intervalMs - result.timeoutMs, MAX_CALL_MS);
    }
    const qint64 frameMs = EModel::findCodec(result.codec)->frameMs;
    if (result.durationMs < MIN_CALL_MS || result.durationMs + result.timeoutMs > spec.intervalMs) {
        return TestTypes::fail(error,
            Messages::tr("A voice call of %1 and %2 to wait for the last answers needs an interval of at least %3, "
                         "and a call lasts at least %4; the interval is %5. Raise the interval (10s suits a call "
                         "of 9.5s) or shorten duration or timeout.")
                .arg(formatDurationMs(std::max(result.durationMs, MIN_CALL_MS)), formatDurationMs(result.timeoutMs),
                    formatDurationMs(std::max(result.durationMs, MIN_CALL_MS) + result.timeoutMs),
                    formatDurationMs(MIN_CALL_MS), formatDurationMs(spec.intervalMs)));
    }
    result.durationMs -= result.durationMs % frameMs; // whole frames
    if (params)
        *params = result;
    return true;
}

} // namespace StreamSwarm::Validation

namespace StreamSwarm::TestTypes {

namespace {

TestType describeVoice()
{
    TestType type;
    type.name = u"voice"_s;
    type.menuOrder = 35;
    type.summary = QT_TRANSLATE_NOOP("StreamSwarm::TestTypes",
        "Call quality (MOS) both ways, from a simulated call to a STAMP reflector or another agent");
    type.target = TargetKind::ReflectorOrAgent;
    type.params = {
        {u"codec"_s, ParamKind::Choice,
            QT_TRANSLATE_NOOP("StreamSwarm::TestTypes",
                "the codec whose packets are sent and rated: g711 (160 bytes every 20 ms), g729 (20 bytes), opus "
                "(80 bytes)"),
            0, 0, u"g711"_s, {u"g711"_s, u"g729"_s, u"opus"_s}},
        {u"duration"_s, ParamKind::Duration,
            QT_TRANSLATE_NOOP("StreamSwarm::TestTypes",
                "how long the call lasts each round; by default the interval less the timeout, at most 60s"),
            MIN_CALL_MS, MAX_CALL_MS, {}, {}},
        {u"dscp"_s, ParamKind::Dscp,
            QT_TRANSLATE_NOOP("StreamSwarm::TestTypes", "the packets' traffic class: EF, AF41 ... or 0 to 63"), 0, 63,
            u"EF"_s, {}},
        {u"timeout"_s, ParamKind::Duration,
            QT_TRANSLATE_NOOP("StreamSwarm::TestTypes", "how long to wait for the last answers"), 10, 5000, u"500ms"_s,
            {}},
        {u"port"_s, ParamKind::Integer,
            QT_TRANSLATE_NOOP("StreamSwarm::TestTypes",
                "the reflector's UDP port; for agent:NAME, by default the port that agent announced"),
            1, 65535, u"862"_s, {}},
    };
    type.metricFamily = u"voice"_s;
    type.metrics = {
        {QString::fromUtf16(Metric::VoiceMos), u"MOS"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics",
                "Call quality from 1 (impossible) to 4.5 (perfect) in the worse direction, as the ITU-T E-model "
                "rates this path for the codec; 4 and above is good, below 3.6 people complain")},
        {QString::fromUtf16(Metric::VoiceRating), u"R"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics",
                "The E-model's rating (R-factor, 0 to 100) in the worse direction: 90 and above is best, below 70 "
                "many users are dissatisfied")},
        {QString::fromUtf16(Metric::VoiceMosThere), u"MOS"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics", "Call quality of this agent's speech as the peer hears it")},
        {QString::fromUtf16(Metric::VoiceMosBack), u"MOS"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics", "Call quality of the peer's speech as this agent hears it")},
        {QString::fromUtf16(Metric::VoiceLossThere), u"%"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics", "Voice packets lost on the way to the peer")},
        {QString::fromUtf16(Metric::VoiceLossBack), u"%"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics", "Voice packets lost on the way back from the peer")},
        {QString::fromUtf16(Metric::VoiceJitterThere), u"ms"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP(
                "StreamSwarm::Metrics", "Jitter on the way to the peer (RFC 3550): how unevenly the packets arrive")},
        {QString::fromUtf16(Metric::VoiceJitterBack), u"ms"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics", "Jitter on the way back from the peer (RFC 3550)")},
        {QString::fromUtf16(Metric::VoiceDelayThere), u"ms"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics",
                "One-way network delay to the peer (median); only when both clocks are synchronised well enough")},
        {QString::fromUtf16(Metric::VoiceDelayBack), u"ms"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics",
                "One-way network delay back from the peer (median); only when both clocks allow it")},
        {QString::fromUtf16(Metric::VoiceRtt), u"ms"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP(
                "StreamSwarm::Metrics", "Round-trip network delay (median), the reflector's time taken out")},
        {QString::fromUtf16(Metric::VoiceSent), u"count"_s, MetricKind::Counter,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics", "Voice packets sent in the round")},
    };
    type.detailKind = Protocol::DetailKind::Voice;
    type.chart.line = QString::fromUtf16(Metric::VoiceMos);
    type.chart.loss = QString::fromUtf16(Metric::VoiceLossThere);
    type.chart.lineName = QT_TRANSLATE_NOOP("StreamSwarm::TestTypes", "MOS, worse direction");
    type.chart.lossName = QT_TRANSLATE_NOOP("StreamSwarm::TestTypes", "Packets lost on the way there");
    type.chart.title = QT_TRANSLATE_NOOP("StreamSwarm::TestTypes", "Call quality to the peer, measured every %1");
    type.chart.axisLabel = QT_TRANSLATE_NOOP("StreamSwarm::TestTypes", "MOS (1 to 4.5)");
    type.chart.detailTable = true;
    type.checkParams = [](const Protocol::TestSpec &spec, QString *error) {
        return Validation::parseVoiceParams(spec, nullptr, error);
    };
    return type;
}

} // namespace

const TestType &voiceType()
{
    static const TestType type = describeVoice();
    return type;
}

} // namespace StreamSwarm::TestTypes
