// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "bulkwindows.h"

#include <algorithm>

#include "shared/protocol/details.h"
#include "shared/protocol/validation.h"

namespace StreamSwarm::Console {

void BulkWindows::add(const DetailRow &row)
{
    const auto *detail = row.record.detail.get<Protocol::BandwidthDetail>();
    if (!detail)
        return;
    m_bulkTests.insert(row.test);
    if (detail->measuredSeconds <= 0 && !detail->download && !detail->upload)
        return; // skipped, refused or failed before sending: nothing loaded the link
    const int directions
        = detail->download || detail->upload ? int(bool(detail->download)) + int(bool(detail->upload)) : 1;
    const qint64 startMs = row.timeMs + detail->waitedMs;
    const qint64 endMs = startMs + 1000LL * directions * (detail->omitSeconds + detail->seconds) + MARGIN_MS;
    addWindow(row.agent, startMs, endMs);
    // Between agents the serving agent's link carried the same traffic.
    if (const QString peer = Validation::agentTargetName(detail->server); !peer.isEmpty())
        addWindow(peer, startMs, endMs);
}

void BulkWindows::addWindow(const QString &agent, qint64 startMs, qint64 endMs)
{
    QList<std::pair<qint64, qint64>> &list = m_windows[agent];
    const auto at = std::upper_bound(list.begin(), list.end(), std::pair{startMs, endMs});
    list.insert(at, {startMs, endMs});
    m_longestMs = std::max(m_longestMs, endMs - startMs);
}

bool BulkWindows::loaded(const QString &agent, const QString &test, qint64 timeMs) const
{
    if (m_bulkTests.contains(test))
        return false;
    const auto found = m_windows.constFind(agent);
    if (found == m_windows.cend())
        return false;
    // Windows that start after timeMs cannot hold it; of the others only the last few can.
    const auto &list = *found;
    auto it = std::upper_bound(list.cbegin(), list.cend(), std::pair{timeMs, std::numeric_limits<qint64>::max()});
    while (it != list.cbegin()) {
        --it;
        if (it->second > timeMs)
            return true;
        if (timeMs - it->first >= m_longestMs)
            return false;
    }
    return false;
}

QList<std::pair<qint64, qint64>> BulkWindows::windows(const QString &agent) const
{
    return m_windows.value(agent);
}

} // namespace StreamSwarm::Console
