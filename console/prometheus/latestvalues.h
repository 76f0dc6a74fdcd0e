// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <functional>

#include <QHash>
#include <QList>
#include <QString>

#include "shared/protocol/messages.h"

namespace StreamSwarm::Console {

// The newest value of every series (agent, test, sample name) stored since the console started,
// fed as rounds are stored so that a scrape never reads the samples table. At most MAX_SERIES
// series; values of new ones beyond that are not kept. Pure; used on one thread.
class LatestValues
{
public:
    static constexpr qsizetype MAX_SERIES = 100000;

    struct Key
    {
        qint64 agentId = 0;
        qint64 testId = 0;
        QString sampleName; // "ping.rtt_avg_ms", "if.rx_bytes_per_s{if=eth0}"

        bool operator==(const Key &other) const
        {
            return agentId == other.agentId && testId == other.testId && sampleName == other.sampleName;
        }
    };

    struct Value
    {
        double value = 0;
        qint64 timeMs = 0; // the round's start on the agent's clock
        qint64 receivedMs = 0; // when the console stored it, on its own clock
    };

    // Keeps each value unless the series already holds one from a later round.
    void record(qint64 agentId, const QList<Protocol::Round> &rounds, qint64 nowMs);
    // Forgets the series keep() says no to (agents or tests that are gone, values gone stale).
    void retain(const std::function<bool(const Key &, const Value &)> &keep);
    const QHash<Key, Value> &series() const { return m_series; }
    qint64 refused() const { return m_refused; } // values of series beyond MAX_SERIES

private:
    QHash<Key, Value> m_series;
    qint64 m_refused = 0;
};

size_t qHash(const LatestValues::Key &key, size_t seed = 0) noexcept;

} // namespace StreamSwarm::Console
