// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "stampstatistics.h"

#include <algorithm>
#include <cmath>

namespace StreamSwarm::Agent {

double median(std::vector<double> values)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    const size_t middle = values.size() / 2;
    return values.size() % 2 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
}

namespace {

// Sequence numbers compare in serial arithmetic (RFC 1982), so a wrap at 2^32 is no reordering.
bool before(quint32 a, quint32 b)
{
    return qint32(a - b) < 0;
}

double ms(qint64 ns)
{
    return double(ns) / 1e6;
}

} // namespace

void StampStatistics::Jitter::add(double deltaMs)
{
    if (hasPrevious)
        jitterMs += (std::abs(deltaMs - previousMs) - jitterMs) / 16.0;
    previousMs = deltaMs;
    hasPrevious = true;
}

void StampStatistics::startRound()
{
    m_sent.clear();
    m_reflectorSeqs.clear();
    m_reflections.clear();
    m_firsts.clear();
    m_hasMaxReflectorSeq = false;
    m_maxReflectorSeq = 0;
    m_lostThere = m_lostBack = 0;
    m_reorderedThere = m_reorderedBack = 0;
    m_duplicatesThere = m_duplicatesBack = 0;
    m_rttsMs.clear();
    // One-way deltas are only compared within a round: across the interval between rounds, two
    // free-running clocks drift apart (50 ppm over 1 s is 50 us), which is no jitter of the path.
    m_there.hasPrevious = false;
    m_back.hasPrevious = false;
}

void StampStatistics::addSent(quint32 senderSeq)
{
    m_sent.push_back(senderSeq);
    m_reflectorSeqs.emplace(senderSeq, std::vector<quint32>());
}

StampStatistics::Arrival StampStatistics::addReflection(const Reflection &reflection)
{
    const auto seen = m_reflectorSeqs.find(reflection.senderSeq);
    if (seen == m_reflectorSeqs.end())
        return Arrival::Foreign;
    std::vector<quint32> &reflectorSeqs = seen->second;
    if (std::find(reflectorSeqs.cbegin(), reflectorSeqs.cend(), reflection.reflectorSeq) != reflectorSeqs.cend()) {
        ++m_duplicatesBack;
        return Arrival::DuplicateBack;
    }
    // Every distinct reflection is its own packet on the way back, a forward duplicate's too.
    if (m_hasMaxReflectorSeq && before(reflection.reflectorSeq, m_maxReflectorSeq)) {
        ++m_reorderedBack;
    } else {
        m_maxReflectorSeq = reflection.reflectorSeq;
        m_hasMaxReflectorSeq = true;
    }
    reflectorSeqs.push_back(reflection.reflectorSeq);
    m_reflections.push_back(reflection);
    if (reflectorSeqs.size() > 1) {
        ++m_duplicatesThere;
        return Arrival::DuplicateThere;
    }
    m_firsts.push_back(reflection);
    return Arrival::First;
}

void StampStatistics::finishRound()
{
    // The way there, in the order the reflector received the test packets (its numbering), each
    // test packet's first arrival only.
    std::vector<const Reflection *> there;
    for (const Reflection &reflection : m_reflections) {
        const std::vector<quint32> &numbers = m_reflectorSeqs.at(reflection.senderSeq);
        const bool firstArrival = std::none_of(
            numbers.cbegin(), numbers.cend(), [&](quint32 other) { return before(other, reflection.reflectorSeq); });
        if (firstArrival)
            there.push_back(&reflection);
    }
    std::stable_sort(there.begin(), there.end(),
        [](const Reflection *a, const Reflection *b) { return before(a->reflectorSeq, b->reflectorSeq); });
    bool hasMax = false;
    quint32 maxSenderSeq = 0;
    for (const Reflection *reflection : there) {
        if (hasMax && before(reflection->senderSeq, maxSenderSeq)) {
            ++m_reorderedThere;
        } else {
            maxSenderSeq = reflection->senderSeq;
            hasMax = true;
        }
        // A constant offset between the two clocks is in every t2 - t1 alike and cancels in the
        // difference of two of them: this jitter needs no synchronised clocks (likewise t4 - t3).
        m_there.add(ms(reflection->t2Ns - reflection->t1Ns));
    }

    for (const Reflection &reflection : m_firsts) {
        const qint64 span = reflection.localSpanNs ? reflection.localSpanNs : reflection.t4Ns - reflection.t1Ns;
        const double rtt = ms(span - (reflection.t3Ns - reflection.t2Ns));
        m_rttsMs.push_back(rtt);
        m_rtt.add(rtt);
        m_back.add(ms(reflection.t4Ns - reflection.t3Ns));
    }

    // Losses on the way back are the gaps in the reflector's numbering of what we received (losses at
    // the very start or end of a round cannot be told apart and count as lost there).
    if (m_reflections.size() > 1) {
        const quint32 base = m_reflections.front().reflectorSeq;
        qint64 low = 0;
        qint64 high = 0;
        for (const Reflection &reflection : m_reflections) {
            const qint64 offset = qint32(reflection.reflectorSeq - base);
            low = std::min(low, offset);
            high = std::max(high, offset);
        }
        m_lostBack = int(std::max<qint64>(0, high - low + 1 - qint64(m_reflections.size())));
    }
    // Loss figures are shares of the test packets sent: a lost reflection of a forward duplicate
    // (its test packet answered anyway) is not a lost test packet.
    m_lostBack = std::min(m_lostBack, lost());
    m_lostThere = lost() - m_lostBack;
}

} // namespace StreamSwarm::Agent
