// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <chrono>

#include <QtGlobal>

namespace StreamSwarm {

// The monotonic clock (CLOCK_MONOTONIC on Linux): for intervals and deadlines, never for dates, as
// it does not jump when the wall clock is set.
inline qint64 monotonicNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

inline qint64 monotonicMs()
{
    return monotonicNs() / 1'000'000;
}

} // namespace StreamSwarm
