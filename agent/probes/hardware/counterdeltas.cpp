// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "counterdeltas.h"

namespace StreamSwarm::Agent {

namespace {

// The largest server CPU package draws well under a kilowatt; more is a counter that jumped.
constexpr double HIGHEST_DOMAIN_WATTS = 2000;
// Rounds closer than this say more about timer jitter than about power.
constexpr qint64 SHORTEST_SPAN_NS = 10'000'000;

} // namespace

std::optional<quint64> CounterDeltas::energyDelta(quint64 before, quint64 now, quint64 range)
{
    if (now >= before)
        return now - before;
    if (range > 0 && before <= range)
        return (range - before) + now;
    return std::nullopt;
}

QList<CounterDeltas::Power> CounterDeltas::power(const QList<Platform::EnergyCounter> &counters, qint64 monoNs)
{
    QList<Power> figures;
    const qint64 spanNs = monoNs - m_energyMonoNs;
    const bool comparable = m_energyMonoNs > 0 && spanNs >= SHORTEST_SPAN_NS;
    QHash<QString, quint64> latest;
    for (const Platform::EnergyCounter &counter : counters) {
        latest.insert(counter.domain, counter.energyUj);
        const auto before = m_energyUj.constFind(counter.domain);
        if (!comparable || before == m_energyUj.cend())
            continue;
        const std::optional<quint64> delta = energyDelta(*before, counter.energyUj, counter.rangeUj);
        if (!delta)
            continue;
        const double watts = double(*delta) / 1e6 / (double(spanNs) / 1e9);
        if (watts <= HIGHEST_DOMAIN_WATTS)
            figures.append(Power{counter.domain, watts});
    }
    m_energyUj = latest;
    m_energyMonoNs = monoNs;
    return figures;
}

QList<CounterDeltas::NewErrors> CounterDeltas::newErrors(const QList<Platform::EccCounter> &counters)
{
    QList<NewErrors> figures;
    QHash<QString, Platform::EccCounter> latest;
    for (const Platform::EccCounter &counter : counters) {
        latest.insert(counter.controller, counter);
        const auto before = m_ecc.constFind(counter.controller);
        if (before == m_ecc.cend())
            continue;
        figures.append(NewErrors{counter.controller, errorDelta(before->corrected, counter.corrected),
            errorDelta(before->uncorrected, counter.uncorrected)});
    }
    m_ecc = latest;
    return figures;
}

} // namespace StreamSwarm::Agent
