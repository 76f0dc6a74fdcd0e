// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "resultbuffer.h"

#include "shared/protocol/codec.h"

namespace StreamSwarm::Agent {

namespace {

constexpr qsizetype MAX_EVENTS = 1000;

} // namespace

ResultBuffer::ResultBuffer(qsizetype maxRounds)
    : m_maxRounds(maxRounds)
{ }

void ResultBuffer::addRound(const Protocol::Round &round)
{
    m_rounds.push_back(round);
    while (qsizetype(m_rounds.size()) > m_maxRounds) {
        m_rounds.pop_front();
        ++m_dropped;
    }
}

void ResultBuffer::addEvent(const Protocol::Event &event)
{
    m_events.push_back(event);
    if (qsizetype(m_events.size()) > MAX_EVENTS) {
        m_events.pop_front();
        ++m_droppedEvents;
    }
}

Protocol::Results ResultBuffer::takeBatch(int maxRounds, int maxValues)
{
    Protocol::Results batch;
    qsizetype values = 0;
    // At least one round per batch; then stop before either limit the console enforces.
    while (!m_rounds.empty() && batch.rounds.size() < maxRounds
        && (batch.rounds.isEmpty() || values + m_rounds.front().values.size() <= maxValues)) {
        values += m_rounds.front().values.size();
        batch.rounds.append(std::move(m_rounds.front()));
        m_rounds.pop_front();
    }
    while (!m_events.empty() && batch.events.size() < Protocol::MAX_EVENTS_PER_BATCH) {
        batch.events.append(std::move(m_events.front()));
        m_events.pop_front();
    }
    return batch;
}

void ResultBuffer::putBack(Protocol::Results batch)
{
    for (auto it = batch.rounds.rbegin(); it != batch.rounds.rend(); ++it)
        m_rounds.push_front(std::move(*it));
    for (auto it = batch.events.rbegin(); it != batch.events.rend(); ++it)
        m_events.push_front(std::move(*it));
}

} // namespace StreamSwarm::Agent
