// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <optional>

#include <QHash>
#include <QList>

namespace StreamSwarm::Console {

// The network's health now, as the summary charts show it: over the last 15 minutes, per agent
// the share of rounds that worked and the packets lost; and the paths (one agent's test) that did
// worst: most lost, failed rounds counting as all lost, then slowest. Fed with rounds as they are
// stored; plain data, used on the GUI thread.
class HealthSummary
{
public:
    static constexpr qint64 WINDOW_MS = 15 * 60 * 1000;

    struct Round
    {
        qint64 agentId = 0;
        qint64 testId = 0;
        qint64 timeMs = 0;
        bool failed = false;
        std::optional<double> lossPct; // the round's packet loss, when its test measures one
        std::optional<double> latencyMs; // the round's RTT or response time, when its test has one
    };
    struct AgentHealth
    {
        qint64 agentId = 0;
        int rounds = 0;
        int failed = 0;
        double workedPct = 0; // rounds that did not fail
        std::optional<double> lossPct; // mean over its rounds that measure loss
    };
    struct PathHealth
    {
        qint64 agentId = 0;
        qint64 testId = 0;
        int rounds = 0;
        double lostPct = 0; // mean loss, a failed round counting as 100
        std::optional<double> latencyMs; // mean over the rounds that have one
    };

    void add(const Round &round);
    void clear() { m_paths.clear(); }
    // Per agent that has rounds in the window ending at nowMs, the least healthy first.
    QList<AgentHealth> agents(qint64 nowMs) const;
    // The count worst paths with rounds in the window; paths that lost nothing come last, slowest
    // first.
    QList<PathHealth> worstPaths(qint64 nowMs, int count) const;

private:
    QList<Round> recent(qint64 agentId, qint64 testId, qint64 nowMs) const;

    QHash<std::pair<qint64, qint64>, QList<Round>> m_paths; // (agent, test) -> rounds, oldest first
};

} // namespace StreamSwarm::Console
