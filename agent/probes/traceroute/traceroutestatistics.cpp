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

void HopRecord::addAnswer(const QString &address, double rttMs)
{
    m_all.addRtt(rttMs);
    ++m_answers;
    auto it = std::find_if(
        m_members.begin(), m_members.end(), [&address](const Member &member) { return member.address == address; });
    if (it == m_members.end()) {
        if (m_members.size() >= MAX_MEMBERS)
            m_members.removeLast(); // the least frequent makes room
        m_members.append(Member{address, HopStatistics(), m_answers - 1, 0});
        it = m_members.end() - 1;
    }
    it->stats.addRtt(rttMs);
    it->lastAnswer = m_answers;
    // Keep the order (most answers first); an address passes the ones it now outnumbers.
    for (auto i = it - m_members.begin();
         i > 0 && m_members.at(i - 1).stats.received() < m_members.at(i).stats.received(); --i) {
        m_members.swapItemsAt(i - 1, i);
    }
}

QStringList HopRecord::addresses() const
{
    QStringList result;
    result.reserve(m_members.size());
    for (const Member &member : m_members)
        result.append(member.address);
    return result;
}

bool HopRecord::overlaps(const QStringList &addresses) const
{
    return std::any_of(m_members.cbegin(), m_members.cend(),
        [&addresses](const Member &member) { return addresses.contains(member.address); });
}

QStringList HopRecord::vanished(double missProbability, int minMisses) const
{
    QStringList result;
    if (m_members.size() < 2)
        return result; // a lone address that falls silent is a silent hop, not a smaller set
    for (const Member &member : m_members) {
        const qint64 misses = m_answers - member.lastAnswer;
        if (misses < minMisses)
            continue;
        // Its share of the hop's answers between its first answer and its last, leaving out the first
        // (which is where we started counting). The silence since then stays out of the estimate, or
        // the estimate would sink with every miss and never let the address go.
        const qint64 span = member.lastAnswer - member.firstAnswer - 1;
        const int later = member.stats.received() - 1;
        if (later <= 0 || span <= 0)
            continue; // seen once: too little to judge, so it is kept
        const double share = std::min(1.0, double(later) / double(span));
        const double needed = share >= 1.0 ? double(minMisses) : std::log(missProbability) / std::log(1.0 - share);
        if (double(misses) >= std::max(double(minMisses), needed))
            result.append(member.address);
    }
    return result;
}

void HopRecord::forget(const QString &address)
{
    m_members.removeIf([&address](const Member &member) { return member.address == address; });
}

namespace {

bool disjoint(const QStringList &a, const QStringList &b)
{
    return std::none_of(a.cbegin(), a.cend(), [&b](const QString &address) { return b.contains(address); });
}

// Whether a router other than the destination answered at some TTL from index on.
bool routerFrom(const QList<QStringList> &hops, qsizetype index, const QStringList &destination)
{
    for (qsizetype i = std::max<qsizetype>(0, index); i < hops.size(); ++i) {
        for (const QString &address : hops.at(i)) {
            if (!destination.contains(address))
                return true;
        }
    }
    return false;
}

QList<QStringList> asSets(const QStringList &path)
{
    QList<QStringList> result;
    result.reserve(path.size());
    for (const QString &address : path)
        result.append(address.isEmpty() ? QStringList() : QStringList{address});
    return result;
}

} // namespace

bool mayBeAnotherBranch(const QList<QStringList> &known, const QList<QStringList> &current, qsizetype index)
{
    if (index < 0 || index >= known.size() || index >= current.size())
        return false;
    // Behind a load-balanced hop, a hop known by one address may answer from another branch's
    // (Linux answers IPv6 from the interface the probe came in on).
    if (index > 0 && known.at(index - 1).size() >= 2 && known.at(index).size() == 1)
        return true;
    // The same routers before and after it: a balanced hop whose other branch this round's probes
    // took first. A real replacement shows when the known address stays silent (vanished()).
    const auto same = [&known, &current](qsizetype i) {
        return !known.at(i).isEmpty() && !current.at(i).isEmpty() && !disjoint(known.at(i), current.at(i));
    };
    const bool sameBefore = index == 0 || same(index - 1);
    const bool sameAfter = index + 1 < known.size() && index + 1 < current.size() && same(index + 1);
    return sameBefore && sameAfter;
}

bool routeChanged(
    const QList<QStringList> &known, bool knownReached, const QList<QStringList> &current, bool currentReached)
{
    const qsizetype common = std::min(known.size(), current.size());
    for (qsizetype i = 0; i < common; ++i) {
        if (known.at(i).isEmpty() || current.at(i).isEmpty() || !disjoint(known.at(i), current.at(i)))
            continue;
        if (!mayBeAnotherBranch(known, current, i))
            return true;
    }
    // A router now answers where the destination used to (longer), or used to where it now does
    // (shorter). Silent TTLs prove nothing: the destination's own answers may have been lost.
    if (!knownReached || !currentReached || known.isEmpty() || current.isEmpty())
        return false;
    return routerFrom(current, known.size() - 1, known.constLast())
        || routerFrom(known, current.size() - 1, current.constLast());
}

bool routeChanged(const QStringList &previous, bool previousReached, const QStringList &current, bool currentReached)
{
    return routeChanged(asSets(previous), previousReached, asSets(current), currentReached);
}

QString pathText(const QStringList &hops)
{
    return pathText(asSets(hops));
}

QString pathText(const QList<QStringList> &hops)
{
    QStringList shown;
    shown.reserve(hops.size());
    for (const QStringList &hop : hops)
        shown.append(hop.isEmpty() ? u"*"_s : hop.join(u'|'));
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
