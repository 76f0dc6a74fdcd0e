// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <cstdint>
#include <ctime>

#include <sys/prctl.h>

#include <pthread.h>
#include <sched.h>

// Clock and scheduling helpers for the lab helpers' timing threads (plain POSIX, no Qt).
namespace StreamSwarm::NetLab {

inline std::int64_t nowNs(clockid_t clock)
{
    timespec ts{};
    clock_gettime(clock, &ts);
    return std::int64_t(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

// Best effort: a real-time thread is woken ahead of the build jobs that share this machine.
inline void tryRealtime()
{
    constexpr int REALTIME_PRIORITY = 20;
    sched_param param{};
    param.sched_priority = REALTIME_PRIORITY;
    pthread_setschedparam(pthread_self(), SCHED_FIFO, &param);
    prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);
}

// One step of a busy wait.
inline void cpuRelax()
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}

} // namespace StreamSwarm::NetLab
