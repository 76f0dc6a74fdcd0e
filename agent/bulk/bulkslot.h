// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <functional>

#include <QList>
#include <QObject>
#include <QPointer>
#include <QRandomGenerator>

namespace StreamSwarm::Agent {

// One bulk measurement (a bandwidth round) at a time on this agent: two would share the link and
// each read half. A round that finds the slot taken waits its turn, in the order of asking, and then
// starts after a random slip of up to MAX_SLIP_MS, so that rounds that queued together do not follow
// each other in lockstep. One per agent process; main thread.
class BulkSlot final
{
public:
    static constexpr int MAX_SLIP_MS = 1000;

    static BulkSlot &instance();

    // Asks for the slot for owner: start() runs when it is owner's (at once when it is free). Owner
    // asks once at a time; asking again withdraws the earlier request first.
    void request(QObject *owner, std::function<void()> start);
    // Owner's request is withdrawn, or the slot it holds is freed for the next in line. Call it when
    // the round ends, and from owner's destructor.
    void release(QObject *owner);
    bool isHeld() const { return !m_holder.isNull(); }
    int waiting() const { return int(m_queue.size()); }
    // A fixed seed for the slips (tests), instead of a random one.
    void seedSlips(quint32 seed) { m_random.seed(seed); }

private:
    BulkSlot() = default;
    void handOn();

    struct Request
    {
        QPointer<QObject> owner;
        std::function<void()> start;
    };
    QPointer<QObject> m_holder;
    QList<Request> m_queue;
    QRandomGenerator m_random{QRandomGenerator::securelySeeded()};
};

} // namespace StreamSwarm::Agent
