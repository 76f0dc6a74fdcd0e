// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QList>
#include <QString>
#include <QStringList>

// The arithmetic of the traceroute probe, free of sockets and clocks so tests can feed it known truth.
namespace StreamSwarm::Agent {

// One hop's figures running across rounds, as mtr keeps them: probes sent and answered, and the RTT
// last/avg/best/worst/stddev (population, Welford) over every answer.
class HopStatistics
{
public:
    void addSent(int count = 1) { m_sent += count; }
    void addRtt(double ms);
    void reset() { *this = HopStatistics(); }

    int sent() const { return m_sent; }
    int received() const { return m_received; }
    bool hasRtt() const { return m_received > 0; }
    // Share of probes without an answer, 0-100; 0 when nothing was sent.
    double lossPercent() const;
    double lastMs() const { return m_lastMs; }
    double avgMs() const { return m_meanMs; }
    double bestMs() const { return m_bestMs; }
    double worstMs() const { return m_worstMs; }
    double stddevMs() const;

private:
    int m_sent = 0;
    int m_received = 0;
    double m_lastMs = 0;
    double m_meanMs = 0;
    double m_m2 = 0;
    double m_bestMs = 0;
    double m_worstMs = 0;
};

// Whether the route changed between two rounds. Each list holds one address per TTL from 1 on, empty
// for a hop that did not answer ("*"), which never counts as a change. It changed when some TTL has an
// address in both rounds and they differ, or when both reached the destination and a router answered
// in one round at a TTL where the destination did in the other (silent TTLs before the destination
// may be its own lost answers, so they prove no longer path).
bool routeChanged(const QStringList &previous, bool previousReached, const QStringList &current, bool currentReached);
// "10.0.0.1 10.0.1.1 * 10.0.3.2": the path as the route-change event prints it.
QString pathText(const QStringList &hops);

// One hop as loss attribution sees it; a hop that never answered is left out by the caller.
struct HopFigures
{
    int ttl = 0;
    QString address;
    double lossPct = 0;
    bool hasRtt = false;
    double bestMs = 0;
};

// Which hop first shows the loss (or latency step) that the path carries on to its end. Loss a hop
// passes on shows at every later hop, so the loss carried past hop i is the least loss at i or any
// later hop; a hop whose own loss is above what it carries is rate-limiting its ICMP answers, not
// dropping traffic (a hop with loss followed by one without is the plain case). The loss hop is the
// first whose carried loss rises above the previous hop's by more than minStepPct. The latency hop is
// the one with the largest rise of carried best RTT (least best RTT here or later), above minStepMs.
struct Attribution
{
    int lossTtl = 0; // 0: no loss carried to the end
    QString lossAddress;
    double lossStepPct = 0;
    int latencyTtl = 0; // 0: no step above the threshold
    QString latencyAddress;
    double latencyStepMs = 0;
    QList<int> rateLimitedTtls;
};
Attribution attributeLoss(const QList<HopFigures> &hops, double minStepPct = 2.0, double minStepMs = 1.0);

} // namespace StreamSwarm::Agent
