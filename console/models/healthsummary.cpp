// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "healthsummary.h"

#include <algorithm>

#include <QMap>

namespace StreamSwarm::Console {

namespace {

constexpr qsizetype MAX_ROUNDS_PER_PATH = 20000; // a 15-minute window of 50 ms rounds

} // namespace

void HealthSummary::add(const Round &round)
{
    QList<Round> &rounds = m_paths[{round.agentId, round.testId}];
    // Rounds come in time order per path, save a stored one read after a live one.
    auto at = rounds.end();
    while (at != rounds.begin() && std::prev(at)->timeMs > round.timeMs)
        --at;
    if (at != rounds.begin() && std::prev(at)->timeMs == round.timeMs)
        return; // the same round, seen live and read back
    rounds.insert(at, round);
    const qint64 oldest = rounds.constLast().timeMs - WINDOW_MS;
    const auto kept
        = std::find_if(rounds.cbegin(), rounds.cend(), [oldest](const Round &r) { return r.timeMs >= oldest; });
    rounds.erase(rounds.cbegin(), kept);
    if (rounds.size() > MAX_ROUNDS_PER_PATH)
        rounds.remove(0, rounds.size() - MAX_ROUNDS_PER_PATH);
}

QList<HealthSummary::Round> HealthSummary::recent(qint64 agentId, qint64 testId, qint64 nowMs) const
{
    QList<Round> within;
    for (const Round &round : m_paths.value({agentId, testId})) {
        if (round.timeMs > nowMs - WINDOW_MS && round.timeMs <= nowMs)
            within.append(round);
    }
    return within;
}

QList<HealthSummary::AgentHealth> HealthSummary::agents(qint64 nowMs) const
{
    QMap<qint64, AgentHealth> byAgent;
    QHash<qint64, std::pair<double, int>> loss; // agent -> sum, count
    for (auto it = m_paths.cbegin(); it != m_paths.cend(); ++it) {
        for (const Round &round : recent(it.key().first, it.key().second, nowMs)) {
            AgentHealth &agent = byAgent[round.agentId];
            agent.agentId = round.agentId;
            ++agent.rounds;
            agent.failed += round.failed ? 1 : 0;
            if (round.lossPct) {
                loss[round.agentId].first += *round.lossPct;
                ++loss[round.agentId].second;
            }
        }
    }
    QList<AgentHealth> list;
    for (AgentHealth agent : std::as_const(byAgent)) {
        agent.workedPct = 100.0 * (agent.rounds - agent.failed) / agent.rounds;
        if (const auto sum = loss.constFind(agent.agentId); sum != loss.cend() && sum->second > 0)
            agent.lossPct = sum->first / sum->second;
        list.append(agent);
    }
    std::stable_sort(list.begin(), list.end(), [](const AgentHealth &a, const AgentHealth &b) {
        if (a.workedPct != b.workedPct)
            return a.workedPct < b.workedPct;
        return a.lossPct.value_or(0) > b.lossPct.value_or(0);
    });
    return list;
}

QList<HealthSummary::PathHealth> HealthSummary::worstPaths(qint64 nowMs, int count) const
{
    QList<PathHealth> list;
    for (auto it = m_paths.cbegin(); it != m_paths.cend(); ++it) {
        const QList<Round> rounds = recent(it.key().first, it.key().second, nowMs);
        if (rounds.isEmpty())
            continue;
        PathHealth path{it.key().first, it.key().second, int(rounds.size()), 0, std::nullopt};
        double lost = 0;
        double latency = 0;
        int timed = 0;
        for (const Round &round : rounds) {
            lost += round.failed ? 100.0 : round.lossPct.value_or(0);
            if (!round.failed && round.latencyMs) {
                latency += *round.latencyMs;
                ++timed;
            }
        }
        path.lostPct = lost / double(rounds.size());
        if (timed)
            path.latencyMs = latency / timed;
        list.append(path);
    }
    std::sort(list.begin(), list.end(), [](const PathHealth &a, const PathHealth &b) {
        if (a.lostPct != b.lostPct)
            return a.lostPct > b.lostPct;
        if (a.latencyMs.value_or(-1) != b.latencyMs.value_or(-1))
            return a.latencyMs.value_or(-1) > b.latencyMs.value_or(-1);
        return std::pair(a.agentId, a.testId) < std::pair(b.agentId, b.testId);
    });
    if (list.size() > count)
        list.resize(count);
    return list;
}

} // namespace StreamSwarm::Console
