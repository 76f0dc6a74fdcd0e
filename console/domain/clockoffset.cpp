// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "clockoffset.h"

#include <algorithm>

namespace StreamSwarm::Console {

std::optional<ClockOffsetEstimator::Estimate> ClockOffsetEstimator::add(
    qint64 sentMs, qint64 agentMs, qint64 receivedMs)
{
    const qint64 roundTrip = receivedMs - sentMs;
    if (roundTrip < 0 || roundTrip > 600000)
        return std::nullopt;
    // Twice the midpoint keeps the arithmetic in whole milliseconds without bias.
    const qint64 offsetTwice = 2 * agentMs - (sentMs + receivedMs);
    Estimate estimate;
    estimate.offsetMs = offsetTwice >= 0 ? (offsetTwice + 1) / 2 : -((-offsetTwice + 1) / 2);
    // Half the round trip, plus 1 ms for the whole-millisecond timestamps on either side.
    estimate.errorMs = (roundTrip + 1) / 2 + 1;
    m_window.push_back(estimate);
    if (m_window.size() > WINDOW)
        m_window.pop_front();
    return best();
}

std::optional<ClockOffsetEstimator::Estimate> ClockOffsetEstimator::best() const
{
    if (m_window.empty())
        return std::nullopt;
    // The newest of equally good exchanges wins, so a clock that was stepped is followed at once.
    auto best = m_window.cbegin();
    for (auto it = m_window.cbegin(); it != m_window.cend(); ++it) {
        if (it->errorMs <= best->errorMs)
            best = it;
    }
    return *best;
}

} // namespace StreamSwarm::Console
