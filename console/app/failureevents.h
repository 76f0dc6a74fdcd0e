// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <utility>

#include <QHash>
#include <QList>

#include "shared/protocol/messages.h"

namespace StreamSwarm::Console {

// Which events a batch of rounds deserves: one when a test starts failing on an agent or fails
// differently, none while it keeps failing the same way. Remembers each (agent, test)'s last error
// across batches and sessions; used on the storage thread only, by the jobs that store batches.
class FailureEvents
{
public:
    // The probe-error events these rounds deserve, in round order. Remembers nothing yet: a batch that
    // fails to store must yield its events again when the agent sends it again.
    QList<Protocol::Event> eventsFor(qint64 agentId, const QList<Protocol::Round> &rounds) const;
    // The batch was stored: remember how each of its tests' rounds ended.
    void accept(qint64 agentId, const QList<Protocol::Round> &rounds);
    // What was accepted for this agent was not kept after all (its commit failed): learn it again.
    void forget(qint64 agentId);

private:
    using Key = std::pair<qint64, qint64>; // (agent, test)

    // How the rounds end each test they touch (an empty error: no longer failing), and the events due.
    QHash<Key, QString> walk(
        qint64 agentId, const QList<Protocol::Round> &rounds, QList<Protocol::Event> *events) const;

    QHash<Key, QString> m_lastErrors; // only tests whose latest round failed
};

} // namespace StreamSwarm::Console
