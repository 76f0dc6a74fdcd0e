// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QList>
#include <QString>

namespace StreamSwarm::Test {

// A database of ping rounds whose figures are known in advance, for the report tests and bench_report:
// agents "agent-01"... run one ping test "ping-dc" every stepMs. Agent a's round i measures
// 10 + a + (i % 7) / 2 ms, or SLOW_MS on every slowEvery-th round; outages are rounds in a row that
// failed (failed) or lost every packet; gaps have no rounds at all (the agent was away).
struct ReportSeed
{
    static constexpr double SLOW_MS = 40;

    struct Outage
    {
        int agent = 0;
        qint64 startMs = 0;
        int rounds = 0;
        bool failed = false; // else: every packet lost
    };
    struct Gap
    {
        int agent = 0;
        qint64 startMs = 0;
        qint64 durationMs = 0;
    };

    QString path;
    int agents = 1;
    qint64 fromMs = 0;
    qint64 rounds = 0; // per agent
    qint64 stepMs = 1000;
    int slowEvery = 0; // 0: never slow
    QList<Outage> outages;
    QList<Gap> gaps;
    // Also a traceroute test "trace-dc" every minute on the first tracingAgents agents; its path loses
    // at the last hop during their outages.
    int tracingAgents = 0;
    qint64 traceStepMs = 60 * 1000;

    static QString agentName(int agent); // "agent-01"
    double latencyOf(int agent, qint64 round) const;
    // What the seed stores for agent a's round i.
    enum class Kind { Measured, Failed, LostAll, Absent };
    Kind kindOf(int agent, qint64 round) const;
    qint64 timeOf(qint64 round) const { return fromMs + round * stepMs; }

    // Writes the whole database through the console's own repositories.
    bool write(QString *error) const;
};

} // namespace StreamSwarm::Test
