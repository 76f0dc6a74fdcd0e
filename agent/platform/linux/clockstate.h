// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QtGlobal>

namespace StreamSwarm::Agent {

// How far this host's wall clock can be trusted, from the kernel's NTP state (adjtimex), which
// chrony, ntpd and systemd-timesyncd keep up to date. Any thread.
struct ClockState
{
    bool synchronised = false; // a time daemon disciplines the clock and has not lost sync
    qint64 offsetNs = 0; // the last measured offset from the reference
    qint64 errorNs = 0; // estimated error bound: the true time lies within +- this
    qint64 maxErrorNs = 0; // the kernel's worst-case bound

    static ClockState read();
    // A reading at most MAX_AGE_MS old, shared by everything this thread measures: a thousand
    // ping rounds a second each asking the kernel cost 3 % of the agent's CPU, for a state the time
    // daemon changes every few seconds at most.
    static ClockState recent();
    static constexpr int MAX_AGE_MS = 250;
};

} // namespace StreamSwarm::Agent
