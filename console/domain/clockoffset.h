// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <deque>
#include <optional>

#include <QtGlobal>

namespace StreamSwarm::Console {

// Estimates an agent's clock offset from ping/pong exchanges, NTP-style: the agent answered
// somewhere between our send and receive times, so its clock minus ours is agentTime minus the
// midpoint, give or take half the round trip. The exchange with the shortest round trip among the
// last few wins (queueing only ever adds delay). Pure; any thread.
class ClockOffsetEstimator
{
public:
    struct Estimate
    {
        qint64 offsetMs = 0; // agent clock minus console clock
        qint64 errorMs = 0; // the true offset lies within offsetMs +- errorMs

        bool operator==(const Estimate &other) const { return offsetMs == other.offsetMs && errorMs == other.errorMs; }
    };

    static constexpr int WINDOW = 8;

    // One exchange, all in whole milliseconds. Returns the current best estimate, or nullopt for an
    // exchange that cannot be right (answered before it was asked).
    std::optional<Estimate> add(qint64 sentMs, qint64 agentMs, qint64 receivedMs);
    std::optional<Estimate> best() const;

private:
    std::deque<Estimate> m_window;
};

} // namespace StreamSwarm::Console
