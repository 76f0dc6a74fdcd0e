// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "qosprobe.h"

#include <algorithm>

#include "agent/platform/linux/clockstate.h"
#include "agent/probes/probefactory.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Agent {

namespace {

StampSession::Settings sessionSettings(const Protocol::TestSpec &spec, const Validation::QosParams &params)
{
    StampSession::Settings settings;
    settings.target = spec.target;
    settings.port = params.port;
    for (const auto &cls : params.classes)
        settings.dscps.append(cls.second);
    settings.count = params.count;
    settings.spacingMs = params.spacingMs;
    settings.timeoutMs = params.timeoutMs;
    settings.sessionBase = quint16(spec.id);
    return settings;
}

} // namespace

QosProbe::QosProbe(const Protocol::TestSpec &spec, Params params, QObject *parent)
    : Probe(parent)
    , m_spec(spec)
    , m_params(std::move(params))
    , m_session(sessionSettings(m_spec, m_params))
{
    connect(&m_session, &StampSession::roundFinished, this, &QosProbe::finishRound);
}

QosProbe::~QosProbe() = default;

void QosProbe::startRound(qint64 roundTimeMs)
{
    m_session.finishRound(); // one still running is reported first, with its own time
    m_roundTimeMs = roundTimeMs;
    m_session.startRound();
}

void QosProbe::finishRound()
{
    Protocol::Round round;
    round.testId = m_spec.id;
    round.timeMs = m_roundTimeMs;
    round.error = m_session.error();
    Protocol::QosDetail detail;
    const std::vector<StampSession::Stream> &streams = m_session.streams();
    for (int c = 0; c < int(m_params.classes.size()) && c < int(streams.size()); ++c) {
        const StampSession::Stream &f = streams[size_t(c)];
        const StampStatistics &s = *f.statistics;
        const QString name = m_params.classes.at(c).first;
        const int dscp = m_params.classes.at(c).second;
        const int sent = s.sent();
        const int received = s.received();
        const std::vector<double> &rtts = s.rttsMs();
        const QString prefix = u"qos."_s + name + u'.';
        const auto share = [sent](int count) {
            return sent ? 100.0 * count / sent : 0.0;
        };
        round.values.append({prefix + u"sent"_s, double(sent)});
        round.values.append({prefix + u"loss_pct"_s, share(s.lost())});
        round.values.append({prefix + u"fwd_loss_pct"_s, share(s.lostThere())});
        round.values.append({prefix + u"bwd_loss_pct"_s, share(s.lostBack())});
        round.values.append({prefix + u"fwd_reordered"_s, double(s.reorderedThere())});
        round.values.append({prefix + u"bwd_reordered"_s, double(s.reorderedBack())});
        round.values.append({prefix + u"fwd_duplicates"_s, double(s.duplicatesThere())});
        round.values.append({prefix + u"bwd_duplicates"_s, double(s.duplicatesBack())});
        detail.duplicates += s.duplicatesThere() + s.duplicatesBack();
        const bool oneWay = received && f.clocksSynchronised && !f.forwardMs.empty();
        if (received) {
            round.values.append({prefix + u"rtt_min_ms"_s, *std::min_element(rtts.cbegin(), rtts.cend())});
            round.values.append({prefix + u"rtt_median_ms"_s, median(rtts)});
            round.values.append({prefix + u"rtt_max_ms"_s, *std::max_element(rtts.cbegin(), rtts.cend())});
            round.values.append({prefix + u"jitter_ms"_s, s.jitterMs()});
            round.values.append({prefix + u"fwd_jitter_ms"_s, s.jitterThereMs()});
            round.values.append({prefix + u"bwd_jitter_ms"_s, s.jitterBackMs()});
            round.values.append({prefix + u"dscp_kept"_s, f.markingKeptThere && f.markingKeptBack ? 1.0 : 0.0});
            if (oneWay) {
                round.values.append({prefix + u"fwd_owd_ms"_s, median(f.forwardMs)});
                round.values.append({prefix + u"bwd_owd_ms"_s, median(f.backwardMs)});
            }
        }
        Protocol::QosClassDetail out;
        out.className = name;
        out.dscp = dscp;
        out.sent = sent;
        out.received = received;
        out.lostThere = s.lostThere();
        out.lostBack = s.lostBack();
        out.reorderedThere = s.reorderedThere();
        out.reorderedBack = s.reorderedBack();
        out.duplicatesThere = s.duplicatesThere();
        out.duplicatesBack = s.duplicatesBack();
        if (received) { // else nothing came back to say them
            out.jitterThereMs = s.jitterThereMs();
            out.jitterBackMs = s.jitterBackMs();
            out.markingKeptThere = f.markingKeptThere;
            out.markingKeptBack = f.markingKeptBack;
            out.clocksSynchronised = f.clocksSynchronised;
        }
        // Said in words when one-way delays are left out, so a reader knows it is not a fault.
        if (received && !oneWay)
            out.oneWayDelaysLeftOut = f.oneWayLeftOutBecause;
        detail.classes.append(out);
    }
    // Timestamp quality: per two-way sample, the weaker of its send and receive stamps (the
    // reflector's T3 is always taken in user space just before its send: STAMP has no follow-up);
    // and our clock's state, which with the reflector's error estimate decides the one-way delays.
    detail.timestamps = m_session.timestamps();
    detail.clock = clockReading(ClockState::recent());
    round.detail = std::move(detail);
    Q_EMIT roundFinished(round);
}

// This folder's entry in the probe factory (agent/CMakeLists.txt finds it).
ProbeType qosProbeType()
{
    return probeType<QosProbe>(TestTypes::qosType(), Validation::parseQosParams);
}

} // namespace StreamSwarm::Agent
