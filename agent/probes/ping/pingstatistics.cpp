// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "pingstatistics.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include <QCoreApplication>

namespace StreamSwarm::Agent {

namespace {

// The context this file's messages are translated in.
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(StreamSwarm::Agent::IcmpErrors)
};

constexpr double NS_PER_MS = 1e6;

} // namespace

QString describeIcmpError(bool v6, int type, int code)
{
    if (v6) {
        switch (type) {
        case 1: // destination unreachable
            switch (code) {
            case 0:
                return Tr::tr("Network unreachable");
            case 1:
                return Tr::tr("Communication administratively prohibited");
            case 2:
                return Tr::tr("Beyond the scope of the source address");
            case 3:
                return Tr::tr("Host unreachable");
            case 4:
                return Tr::tr("Port unreachable");
            case 5:
                return Tr::tr("Source address failed ingress/egress policy");
            case 6:
                return Tr::tr("Reject route to destination");
            default:
                return Tr::tr("Destination unreachable (code %1)").arg(code);
            }
        case 2:
            return Tr::tr("Packet too big");
        case 3:
            return code == 0 ? Tr::tr("Hop limit exceeded in transit") : Tr::tr("Fragment reassembly time exceeded");
        case 4:
            return Tr::tr("Parameter problem (code %1)").arg(code);
        default:
            return Tr::tr("ICMPv6 error type %1 code %2").arg(type).arg(code);
        }
    }
    switch (type) {
    case 3: // destination unreachable
        switch (code) {
        case 0:
        case 6:
        case 11:
            return Tr::tr("Network unreachable");
        case 1:
        case 7:
        case 12:
            return Tr::tr("Host unreachable");
        case 2:
            return Tr::tr("Protocol unreachable");
        case 3:
            return Tr::tr("Port unreachable");
        case 4:
            return Tr::tr("Fragmentation needed");
        case 5:
            return Tr::tr("Source route failed");
        case 9:
            return Tr::tr("Network administratively prohibited");
        case 10:
            return Tr::tr("Host administratively prohibited");
        case 13:
            return Tr::tr("Communication administratively prohibited");
        default:
            return Tr::tr("Destination unreachable (code %1)").arg(code);
        }
    case 4:
        return Tr::tr("Source quench");
    case 5:
        return Tr::tr("Redirect");
    case 11:
        return code == 0 ? Tr::tr("TTL exceeded in transit") : Tr::tr("Fragment reassembly time exceeded");
    case 12:
        return Tr::tr("Parameter problem (code %1)").arg(code);
    default:
        return Tr::tr("ICMP error type %1 code %2").arg(type).arg(code);
    }
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
    if (offset < m_highestOffset)
        ++m_reordered;
    m_highestOffset = std::max(m_highestOffset, offset);
    return true;
}

bool PingStatistics::addError(quint16 sequence)
{
    const int offset = offsetOf(sequence);
    if (offset >= m_sent || m_answered.at(offset))
        return false;
    m_answered[offset] = true;
    ++m_errors;
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

double PingStatistics::medianMs() const
{
    if (!hasRtt())
        return 0;
    QList<qint64> sorted = m_rttsNs;
    std::sort(sorted.begin(), sorted.end());
    const qsizetype middle = sorted.size() / 2;
    if (sorted.size() % 2)
        return double(sorted.at(middle)) / NS_PER_MS;
    return (double(sorted.at(middle - 1)) + double(sorted.at(middle))) / 2 / NS_PER_MS;
}

double PingStatistics::stddevMs() const
{
    if (m_rttsNs.size() < 2)
        return 0;
    const double mdev = mdevMs();
    const auto n = double(m_rttsNs.size());
    return std::sqrt(mdev * mdev * n / (n - 1));
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
