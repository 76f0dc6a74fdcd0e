// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "latestvalues.h"

#include <QHashFunctions>

namespace StreamSwarm::Console {

void LatestValues::record(qint64 agentId, const QList<Protocol::Round> &rounds, qint64 nowMs)
{
    for (const Protocol::Round &round : rounds) {
        for (const Protocol::MetricValue &metric : round.values) {
            Key key{agentId, round.testId, metric.metric};
            const auto it = m_series.find(key);
            if (it == m_series.end()) {
                if (m_series.size() >= MAX_SERIES) {
                    ++m_refused;
                    continue;
                }
                m_series.insert(std::move(key), {metric.value, round.timeMs, nowMs});
            } else if (it->timeMs <= round.timeMs) {
                *it = {metric.value, round.timeMs, nowMs};
            }
        }
    }
}

void LatestValues::retain(const std::function<bool(const Key &, const Value &)> &keep)
{
    m_series.removeIf([&keep](const QHash<Key, Value>::iterator it) { return !keep(it.key(), it.value()); });
}

size_t qHash(const LatestValues::Key &key, size_t seed) noexcept
{
    return qHashMulti(seed, key.agentId, key.testId, key.sampleName);
}

} // namespace StreamSwarm::Console
