// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "clockstate.h"

#include <algorithm>
#include <ctime>

#include <sys/timex.h>

namespace StreamSwarm::Agent {

ClockState ClockState::read()
{
    timex tx{}; // modes 0: read only
    const int state = adjtimex(&tx);
    ClockState clock;
    clock.synchronised = state >= 0 && state != TIME_ERROR && !(tx.status & STA_UNSYNC);
    // offset is in microseconds unless STA_NANO says nanoseconds; the error bounds are microseconds.
    clock.offsetNs = (tx.status & STA_NANO) ? qint64(tx.offset) : qint64(tx.offset) * 1000;
    clock.errorNs = qint64(tx.esterror) * 1000;
    clock.maxErrorNs = qint64(tx.maxerror) * 1000;
    if (!clock.synchronised)
        clock.errorNs = std::max<qint64>(clock.errorNs, 1'000'000'000); // nothing vouches for it
    return clock;
}

ClockState ClockState::recent()
{
    // The coarse clock is read without a system call; its tick (1 to 4 ms) is fine for an age.
    timespec now{};
    clock_gettime(CLOCK_MONOTONIC_COARSE, &now);
    const qint64 nowMs = qint64(now.tv_sec) * 1000 + now.tv_nsec / 1'000'000;
    thread_local qint64 readAtMs = -1;
    thread_local ClockState cached;
    if (readAtMs < 0 || nowMs - readAtMs >= MAX_AGE_MS) {
        cached = read();
        readAtMs = nowMs;
    }
    return cached;
}

} // namespace StreamSwarm::Agent
