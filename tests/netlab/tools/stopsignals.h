// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <csignal>

namespace StreamSwarm::NetLab {

// SIGTERM, SIGINT and SIGHUP stop a lab helper: blocked in the constructing thread and so in every
// thread it starts afterwards, and taken by that thread with sigtimedwait. SIGPIPE is ignored.
class StopSignals
{
public:
    StopSignals();

    // Waits up to timeoutNs (under a second); true when a stop signal arrived.
    bool arrivedWithin(long timeoutNs) const;

private:
    sigset_t m_signals{};
};

} // namespace StreamSwarm::NetLab
