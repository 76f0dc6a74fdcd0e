// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <functional>

#include <QtGlobal>

namespace StreamSwarm::Agent {

// Reconnect delays: exponential from 1 s, capped at 30 s, each drawn at random from the upper half
// of its step ("equal jitter") so a fleet that lost the console together does not return together.
class Backoff
{
public:
    explicit Backoff(qint64 initialMs = 1000, qint64 capMs = 30000,
        std::function<double()> random = nullptr); // random in [0, 1)

    qint64 nextDelayMs();
    void reset() { m_attempt = 0; }
    int attempts() const { return m_attempt; }

private:
    qint64 m_initialMs;
    qint64 m_capMs;
    std::function<double()> m_random;
    int m_attempt = 0;
};

} // namespace StreamSwarm::Agent
