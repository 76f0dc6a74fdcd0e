// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "traceroutestatistics.h"

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace StreamSwarm::Agent {

void HopStatistics::addRtt(double ms)
{
    ms = std::max(0.0, ms);
    ++m_received;
    m_lastMs = ms;
    if (m_received == 1) {
        m_bestMs = m_worstMs = ms;
    } else {
        m_bestMs = std::min(m_bestMs, ms);
        m_worstMs = std::max(m_worstMs, ms);
    }
    const double delta = ms - m_meanMs;
    m_meanMs += delta / m_received;
    m_m2 += delta * (ms - m_meanMs);
}

double HopStatistics::lossPercent() const
{
    if (m_sent <= 0)
        return 0;
    return 100.0 * std::max(0, m_sent - m_received) / m_sent;
}

double HopStatistics::stddevMs() const
{
    return m_received > 1 ? std::sqrt(std::max(0.0, m_m2 / m_received)) : 0.0;
}

namespace {

// Whether a router other than the destination answered at some TTL from index on.
bool routerFrom(const QStringList &hops, qsizetype index, const QString &destination)
{
    for (qsizetype i = std::max<qsizetype>(0, index); i < hops.size(); ++i) {
        if (!hops.at(i).isEmpty() && hops.at(i) != destination)
            return true;
    }
    return false;
}

} // namespace

bool routeChanged(const QStringList &previous, bool previousReached, const QStringList &current, bool currentReached)
{
    const qsizetype common = std::min(previous.size(), current.size());
    for (qsizetype i = 0; i < common; ++i) {
        if (!previous.at(i).isEmpty() && !current.at(i).isEmpty() && previous.at(i) != current.at(i))
            return true;
    }
    // A router now answers where the destination used to (longer), or used to where it now does
    // (shorter). Silent TTLs prove nothing: the destination's own answers may have been lost.
    if (!previousReached || !currentReached || previous.isEmpty() || current.isEmpty())
        return false;
    return routerFrom(current, previous.size() - 1, previous.constLast())
        || routerFrom(previous, current.size() - 1, current.constLast());
}

QString pathText(const QStringList &hops)
{
    QStringList shown;
    shown.reserve(hops.size());
    for (const QString &hop : hops)
        shown.append(hop.isEmpty() ? u"*"_s : hop);
    return shown.join(u' ');
}

Attribution attributeLoss(const QList<HopFigures> &hops, double minStepPct, double minStepMs)
{
    Attribution result;
    const qsizetype n = hops.size();
    QList<double> carriedLoss(n);
    QList<double> carriedBest(n, -1);
    double least = 100;
    double leastBest = -1;
    for (qsizetype i = n - 1; i >= 0; --i) {
        least = std::min(least, hops.at(i).lossPct);
        carriedLoss[i] = least;
        if (hops.at(i).hasRtt)
            leastBest = leastBest < 0 ? hops.at(i).bestMs : std::min(leastBest, hops.at(i).bestMs);
        carriedBest[i] = leastBest;
    }
    double previousLoss = 0;
    double previousBest = 0;
    for (qsizetype i = 0; i < n; ++i) {
        const HopFigures &hop = hops.at(i);
        if (hop.lossPct - carriedLoss.at(i) > minStepPct)
            result.rateLimitedTtls.append(hop.ttl);
        const double lossStep = carriedLoss.at(i) - previousLoss;
        if (result.lossTtl == 0 && lossStep > minStepPct) {
            result.lossTtl = hop.ttl;
            result.lossAddress = hop.address;
            result.lossStepPct = lossStep;
        }
        previousLoss = carriedLoss.at(i);
        if (carriedBest.at(i) >= 0) {
            const double latencyStep = carriedBest.at(i) - previousBest;
            if (latencyStep > minStepMs && latencyStep > result.latencyStepMs) {
                result.latencyTtl = hop.ttl;
                result.latencyAddress = hop.address;
                result.latencyStepMs = latencyStep;
            }
            previousBest = carriedBest.at(i);
        }
    }
    return result;
}

} // namespace StreamSwarm::Agent
