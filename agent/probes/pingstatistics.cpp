// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "pingstatistics.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace StreamSwarm::Agent {

namespace {

constexpr double NS_PER_MS = 1e6;
// How far the wall clock may drift from the monotonic one between send and read before we call it a
// step: a fixed allowance for the gap between the paired clock reads, plus 1000 ppm of the interval
// (NTP slews at most 500 ppm).
constexpr qint64 STEP_ALLOWANCE_NS = 100'000;
constexpr qint64 STEP_ALLOWANCE_DIVISOR = 1000;

} // namespace

qint64 selectRttNs(const EchoTimestamps &stamps)
{
    const qint64 monoNs = std::max<qint64>(0, stamps.readMonoNs - stamps.sendMonoNs);
    if (stamps.kernelRealNs == 0)
        return monoNs;
    const bool kernelSendFits
        = stamps.kernelSendRealNs >= stamps.sendRealNs && stamps.kernelSendRealNs <= stamps.kernelRealNs;
    const qint64 kernelNs = stamps.kernelRealNs - (kernelSendFits ? stamps.kernelSendRealNs : stamps.sendRealNs);
    if (kernelNs < 0 || kernelNs > monoNs)
        return monoNs;
    const qint64 driftNs = (stamps.readRealNs - stamps.readMonoNs) - (stamps.sendRealNs - stamps.sendMonoNs);
    if (std::abs(driftNs) > STEP_ALLOWANCE_NS + monoNs / STEP_ALLOWANCE_DIVISOR)
        return monoNs;
    return kernelNs;
}

PingStatistics::PingStatistics(quint16 firstSequence)
    : m_firstSequence(firstSequence)
{ }

void PingStatistics::addSent(int count)
{
    m_sent += count;
    m_answered.resize(m_sent, false);
}

bool PingStatistics::addReply(quint16 sequence, qint64 rttNs)
{
    const int offset = offsetOf(sequence);
    if (offset >= m_sent) {
        ++m_ignored;
        return false;
    }
    if (m_answered.at(offset)) {
        ++m_duplicates;
        return true;
    }
    m_answered[offset] = true;
    m_rttsNs.append(std::max<qint64>(0, rttNs));
    m_offsets.append(offset);
    return true;
}

bool PingStatistics::isAnswered(quint16 sequence) const
{
    const int offset = offsetOf(sequence);
    return offset < m_sent && m_answered.at(offset);
}

double PingStatistics::minMs() const
{
    return hasRtt() ? double(*std::min_element(m_rttsNs.cbegin(), m_rttsNs.cend())) / NS_PER_MS : 0;
}

double PingStatistics::avgMs() const
{
    if (!hasRtt())
        return 0;
    const double sumNs = std::accumulate(m_rttsNs.cbegin(), m_rttsNs.cend(), 0.0);
    return sumNs / double(m_rttsNs.size()) / NS_PER_MS;
}

double PingStatistics::maxMs() const
{
    return hasRtt() ? double(*std::max_element(m_rttsNs.cbegin(), m_rttsNs.cend())) / NS_PER_MS : 0;
}

double PingStatistics::mdevMs() const
{
    if (!hasRtt())
        return 0;
    // Two passes: the same value as sqrt(mean(x^2) - mean(x)^2) without its cancellation.
    const double mean = avgMs();
    double sumSquares = 0;
    for (const qint64 rttNs : m_rttsNs) {
        const double delta = double(rttNs) / NS_PER_MS - mean;
        sumSquares += delta * delta;
    }
    return std::sqrt(sumSquares / double(m_rttsNs.size()));
}

double PingStatistics::lossPercent() const
{
    if (m_sent == 0)
        return 0;
    return 100.0 * double(m_sent - received()) / double(m_sent);
}

QList<double> PingStatistics::rttsMsInSendOrder() const
{
    QList<int> order(m_rttsNs.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [this](int a, int b) { return m_offsets.at(a) < m_offsets.at(b); });
    QList<double> result;
    result.reserve(order.size());
    for (const int index : std::as_const(order))
        result.append(double(m_rttsNs.at(index)) / NS_PER_MS);
    return result;
}

void JitterEstimator::addSample(double rttMs)
{
    if (m_samples > 0)
        m_jitterMs += (std::abs(rttMs - m_previousMs) - m_jitterMs) / 16.0;
    m_previousMs = rttMs;
    ++m_samples;
}

void JitterEstimator::reset()
{
    *this = JitterEstimator();
}

} // namespace StreamSwarm::Agent
