// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QObject>

#include "agent/platform/linux/receivestamps.h"
#include "shared/protocol/messages.h"

namespace StreamSwarm::Agent {

// One test's measuring engine. The scheduler calls startRound() once per interval on the agent's
// main thread; the probe never blocks that thread and emits roundFinished() exactly once per round.
class Probe : public QObject
{
    Q_OBJECT
public:
    explicit Probe(QObject *parent = nullptr)
        : QObject(parent)
    {
        // Before the first probe sends anything, so that its first answers carry kernel stamps.
        keepReceiveStampsOn();
    }
    ~Probe() override = default;

    // roundTimeMs: agent wall clock (ms since epoch) at the scheduled start, to stamp the result.
    virtual void startRound(qint64 roundTimeMs) = 0;

Q_SIGNALS:
    void roundFinished(const StreamSwarm::Protocol::Round &round);
    // Something the console should record as an event (e.g. "route-changed"), with this test's id.
    void event(const StreamSwarm::Protocol::Event &event);
};

} // namespace StreamSwarm::Agent
