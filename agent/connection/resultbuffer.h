// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <deque>
#include <limits>

#include "shared/protocol/messages.h"

namespace StreamSwarm::Agent {

// Rounds waiting to be sent, and sent batches waiting for the console's ack. Batches carry an
// increasing seq; an ack of seq N releases every batch up to N. Bounded: past maxRounds the
// oldest rounds are dropped and counted. (Kept in memory for now; the disk spool replaces it.)
class ResultBuffer
{
public:
    explicit ResultBuffer(qsizetype maxRounds = 200000);

    void addRound(const Protocol::Round &round);
    bool hasPendingRounds() const { return !m_pending.empty(); }

    // Moves pending rounds into a new unacked batch, up to maxRounds rounds and maxValues values.
    Protocol::Results sealBatch(int maxRounds, int maxValues = std::numeric_limits<int>::max());
    void acknowledge(qint64 seq);
    // After welcome: the console already holds everything up to lastSeq.
    void resumeAfter(qint64 lastSeq);
    bool seqKnown() const { return m_seqKnown; }

    const std::deque<Protocol::Results> &unacked() const { return m_unacked; }
    qint64 nextSeq() const { return m_nextSeq; }
    qint64 droppedRounds() const { return m_dropped; }
    qsizetype roundCount() const { return m_roundCount; }

private:
    void enforceLimit();

    std::deque<Protocol::Round> m_pending;
    std::deque<Protocol::Results> m_unacked;
    qsizetype m_maxRounds;
    qsizetype m_roundCount = 0;
    qint64 m_nextSeq = 1;
    qint64 m_dropped = 0;
    bool m_seqKnown = false;
};

} // namespace StreamSwarm::Agent
