// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace StreamSwarm::NetLab {

// How late each release was, in nanoseconds, for the summary line's late_median_ns, late_p99_ns and
// late_max_ns; keeps the first MAX_SAMPLES.
class LatenessSamples
{
public:
    static constexpr std::size_t MAX_SAMPLES = 1 << 22;

    void add(std::int64_t lateNs);
    // The value at this fraction of the sorted samples (0.5 the median, 1 the maximum); -1 when empty.
    long long percentile(double fraction) const;

private:
    std::vector<std::int64_t> m_samples;
};

} // namespace StreamSwarm::NetLab
