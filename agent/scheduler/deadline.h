// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <chrono>
#include <functional>

#include <QtGlobal>

namespace StreamSwarm::Agent {

class DeadlineQueue;

// A single-shot timer for what the agent runs by the thousand: each test's round timer and each
// ping's wait for its reply. Every Deadline of a thread shares one QTimer and a heap, so starting
// one costs O(log n) and stopping one O(1); with a QTimer each, Qt walked its list of every timer
// on the thread at each stop, which with 1,000 ping tests was 6 % of the agent's CPU. Never fires
// before its time (to the millisecond, like Qt::PreciseTimer) and always from the event loop,
// never inside start(). Lives on the thread that made it.
class Deadline
{
    Q_DISABLE_COPY_MOVE(Deadline)
public:
    explicit Deadline(std::function<void()> onExpired);
    ~Deadline();

    // Fires once after `wait` (0: as soon as the event loop runs); restarting replaces the last start.
    void start(std::chrono::nanoseconds wait);
    void stop();
    bool isActive() const { return m_serial != 0; }

private:
    friend class DeadlineQueue;

    std::function<void()> m_onExpired;
    DeadlineQueue *m_queue;
    quint64 m_serial = 0; // the queue's entry that counts; 0 when stopped
};

} // namespace StreamSwarm::Agent
