// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <deque>
#include <limits>

#include "shared/protocol/messages.h"

namespace StreamSwarm::Agent {

// Rounds and events measured but not yet sealed into a spooled batch: the few hundred
// milliseconds between a probe finishing and the next seal. Bounded: if the spool cannot take
// them (disk full), past maxRounds the oldest are dropped and counted.
class ResultBuffer
{
public:
    explicit ResultBuffer(qsizetype maxRounds = 200000);

    void addRound(const Protocol::Round &round);
    void addEvent(const Protocol::Event &event);
    bool isEmpty() const { return m_rounds.empty() && m_events.empty(); }
    qsizetype roundCount() const { return qsizetype(m_rounds.size()); }

    // The next batch (seq left 0): up to maxRounds rounds and maxValues values, at least one round
    // when any is waiting, and the waiting events.
    Protocol::Results takeBatch(int maxRounds, int maxValues = std::numeric_limits<int>::max());
    // The spool could not take it: it goes back in front, in order.
    void putBack(Protocol::Results batch);

    // Rounds dropped because the buffer was full, since the last call.
    qint64 takeDroppedRounds() { return std::exchange(m_dropped, 0); }
    qint64 takeDroppedEvents() { return std::exchange(m_droppedEvents, 0); }

private:
    std::deque<Protocol::Round> m_rounds;
    std::deque<Protocol::Event> m_events;
    qsizetype m_maxRounds;
    qint64 m_dropped = 0;
    qint64 m_droppedEvents = 0;
};

} // namespace StreamSwarm::Agent
