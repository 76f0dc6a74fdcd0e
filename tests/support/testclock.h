// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <functional>

#include <QtGlobal>

namespace StreamSwarm::Test {

// The injectable clock: what code under test reads as the time (ms since the epoch) through a
// std::function seam (AdmissionControl::Clock, Spool::Clock), moved by the test instead of waited for.
// Used by the test's thread only; it must outlive what reads it.
class ManualClock
{
public:
    explicit ManualClock(qint64 startMs = 1'000'000)
        : m_nowMs(startMs)
    { }

    qint64 nowMs() const { return m_nowMs; }
    void set(qint64 ms) { m_nowMs = ms; }
    void advance(qint64 ms) { m_nowMs += ms; }
    // The seam's view of this clock.
    std::function<qint64()> function() const
    {
        return [this] {
            return m_nowMs;
        };
    }

private:
    qint64 m_nowMs;
};

} // namespace StreamSwarm::Test
