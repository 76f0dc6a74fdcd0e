// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "resultbuffer.h"

namespace StreamSwarm::Agent {

ResultBuffer::ResultBuffer(qsizetype maxRounds)
    : m_maxRounds(maxRounds)
{ }

void ResultBuffer::addRound(const Protocol::Round &round)
{
    m_pending.push_back(round);
    ++m_roundCount;
    enforceLimit();
}

Protocol::Results ResultBuffer::sealBatch(int maxRounds, int maxValues)
{
    Protocol::Results batch;
    batch.seq = m_nextSeq++;
    qsizetype values = 0;
    // At least one round per batch; then stop before either limit the console enforces.
    while (!m_pending.empty() && batch.rounds.size() < maxRounds
        && (batch.rounds.isEmpty() || values + m_pending.front().values.size() <= maxValues)) {
        values += m_pending.front().values.size();
        batch.rounds.append(std::move(m_pending.front()));
        m_pending.pop_front();
    }
    m_unacked.push_back(batch);
    return batch;
}

void ResultBuffer::acknowledge(qint64 seq)
{
    while (!m_unacked.empty() && m_unacked.front().seq <= seq) {
        m_roundCount -= m_unacked.front().rounds.size();
        m_unacked.pop_front();
    }
}

void ResultBuffer::resumeAfter(qint64 lastSeq)
{
    if (!std::exchange(m_seqKnown, true)) {
        // First contact since this process started: our numbering began at 1, the console's
        // continues from an earlier run. Nothing was sent yet, so renumber everything after it.
        m_nextSeq = std::max(m_nextSeq, lastSeq + 1);
        for (Protocol::Results &batch : m_unacked)
            batch.seq = m_nextSeq++;
        return;
    }
    acknowledge(lastSeq);
    m_nextSeq = std::max(m_nextSeq, lastSeq + 1);
}

void ResultBuffer::enforceLimit()
{
    while (m_roundCount > m_maxRounds) {
        if (!m_unacked.empty()) {
            Protocol::Results &oldest = m_unacked.front();
            if (!oldest.rounds.isEmpty()) {
                oldest.rounds.removeFirst();
                --m_roundCount;
                ++m_dropped;
                continue;
            }
            m_unacked.pop_front();
            continue;
        }
        m_pending.pop_front();
        --m_roundCount;
        ++m_dropped;
    }
}

} // namespace StreamSwarm::Agent
