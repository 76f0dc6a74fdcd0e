// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "latenesssamples.h"

#include <algorithm>

namespace StreamSwarm::NetLab {

void LatenessSamples::add(std::int64_t lateNs)
{
    if (m_samples.size() < MAX_SAMPLES)
        m_samples.push_back(lateNs);
}

long long LatenessSamples::percentile(double fraction) const
{
    if (m_samples.empty())
        return -1;
    std::vector<std::int64_t> values = m_samples;
    const auto index = std::size_t(fraction * double(values.size() - 1));
    std::nth_element(values.begin(), values.begin() + std::ptrdiff_t(index), values.end());
    return values[index];
}

} // namespace StreamSwarm::NetLab
