// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "systemprobe.h"

#include <algorithm>

#include "agent/probes/probefactory.h"
#include "agent/probes/system/systemfigures.h"

using namespace std::chrono_literals;

namespace StreamSwarm::Agent {

namespace {

// The first round's two readings are this far apart at most (half the interval when shorter).
constexpr auto FIRST_SPAN = 1000ms;

} // namespace

SystemProbe::SystemProbe(const Protocol::TestSpec &spec, const Validation::SystemParams &params,
    std::unique_ptr<SystemReader> reader, QObject *parent)
    : Probe(parent)
    , m_spec(spec)
    , m_params(params)
    , m_reader(std::move(reader))
    , m_secondReading([this] { finishRound(); })
{ }

SystemProbe::~SystemProbe() = default;

void SystemProbe::startRound(qint64 roundTimeMs)
{
    m_roundTimeMs = roundTimeMs;
    if (m_secondReading.isActive()) // the scheduler never overlaps rounds; should it, one answer
        return;
    if (!m_previous) {
        m_previous = m_reader->read(m_params.parts);
        const auto span
            = std::min<std::chrono::nanoseconds>(FIRST_SPAN, std::chrono::milliseconds(m_spec.intervalMs) / 2);
        m_secondReading.start(span);
        return;
    }
    finishRound();
}

void SystemProbe::finishRound()
{
    SystemSnapshot now = m_reader->read(m_params.parts);
    Protocol::Round round;
    round.testId = m_spec.id;
    round.timeMs = m_roundTimeMs;
    round.values = systemFigures(m_previous ? &*m_previous : nullptr, now, m_params);
    Protocol::SystemDetail detail;
    detail.kernel = now.kernel;
    for (const auto &[what, why] : std::as_const(now.unavailable)) {
        if (detail.unavailable.size() >= Protocol::MAX_UNAVAILABLE_SOURCES)
            break;
        detail.unavailable.append(
            {what.left(Protocol::MAX_UNAVAILABLE_TEXT), why.left(Protocol::MAX_UNAVAILABLE_TEXT)});
    }
    round.detail = detail;
    if (round.values.isEmpty())
        round.error = tr("Nothing about this host could be read.");
    m_previous = std::move(now);
    Q_EMIT roundFinished(round);
}

// This folder's entry in the probe factory (agent/CMakeLists.txt finds it).
ProbeType systemProbeType()
{
    return probeType<SystemProbe>(TestTypes::systemType(), Validation::parseSystemParams);
}

} // namespace StreamSwarm::Agent
