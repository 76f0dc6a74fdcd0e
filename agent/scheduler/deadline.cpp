// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "deadline.h"

#include <queue>
#include <vector>

#include <QHash>
#include <QTimer>

#include "shared/util/monotonic.h"

namespace StreamSwarm::Agent {

namespace {

// Expiries handled in one go: a callback that starts itself again at 0 must not hold the thread.
constexpr int MAX_EXPIRIES_PER_WAKEUP = 100'000;

} // namespace

// One per thread, alive while any Deadline of the thread is: a min-heap of (due, serial) and the
// armed Deadlines by serial. A stop only forgets the serial; its heap entry is dropped when it comes
// up (or in a compaction, should stale entries pile up).
class DeadlineQueue
{
    Q_DISABLE_COPY_MOVE(DeadlineQueue)
public:
    static DeadlineQueue *acquire()
    {
        if (!s_current)
            s_current = new DeadlineQueue;
        ++s_current->m_users;
        return s_current;
    }
    void release()
    {
        if (--m_users == 0 && !m_expiring)
            retire();
    }

    quint64 arm(Deadline *deadline, qint64 dueNs)
    {
        const quint64 serial = ++m_lastSerial;
        m_heap.push({dueNs, serial});
        m_armed.insert(serial, deadline);
        if (m_heap.size() > 2 * size_t(m_armed.size()) + 1024)
            compact();
        if (!m_timer.isActive() || dueNs < m_timerDueNs)
            reschedule();
        return serial;
    }
    void disarm(quint64 serial) { m_armed.remove(serial); }

private:
    struct Entry
    {
        qint64 dueNs;
        quint64 serial;
        bool operator>(const Entry &other) const
        {
            return dueNs != other.dueNs ? dueNs > other.dueNs : serial > other.serial;
        }
    };

    DeadlineQueue()
    {
        m_timer.setSingleShot(true);
        m_timer.setTimerType(Qt::PreciseTimer);
        QObject::connect(&m_timer, &QTimer::timeout, [this] { expire(); });
    }

    void retire()
    {
        s_current = nullptr;
        delete this; // from inside m_timer's timeout too: Qt allows a sender to go in its slot
    }

    void expire()
    {
        m_expiring = true;
        const qint64 nowNs = monotonicNs();
        for (int fired = 0; !m_heap.empty() && m_heap.top().dueNs <= nowNs && fired < MAX_EXPIRIES_PER_WAKEUP;) {
            const Entry entry = m_heap.top();
            m_heap.pop();
            Deadline *deadline = m_armed.take(entry.serial);
            if (!deadline)
                continue; // stopped or restarted since
            deadline->m_serial = 0;
            ++fired;
            deadline->m_onExpired(); // may start, stop or destroy any Deadline, this one too
        }
        m_expiring = false;
        if (m_users == 0) {
            retire();
            return;
        }
        reschedule();
    }

    void reschedule()
    {
        while (!m_heap.empty() && !m_armed.contains(m_heap.top().serial))
            m_heap.pop();
        if (m_heap.empty()) {
            m_timer.stop();
            return;
        }
        m_timerDueNs = m_heap.top().dueNs;
        const qint64 waitNs = std::max<qint64>(0, m_timerDueNs - monotonicNs());
        m_timer.start(std::chrono::milliseconds((waitNs + 999'999) / 1'000'000));
    }

    void compact()
    {
        std::vector<Entry> live;
        live.reserve(size_t(m_armed.size()));
        for (; !m_heap.empty(); m_heap.pop()) {
            if (m_armed.contains(m_heap.top().serial))
                live.push_back(m_heap.top());
        }
        m_heap = decltype(m_heap)(std::greater<Entry>(), std::move(live));
    }

    static thread_local DeadlineQueue *s_current;

    QTimer m_timer;
    qint64 m_timerDueNs = 0;
    std::priority_queue<Entry, std::vector<Entry>, std::greater<Entry>> m_heap;
    QHash<quint64, Deadline *> m_armed;
    quint64 m_lastSerial = 0;
    int m_users = 0;
    bool m_expiring = false; // the last Deadline going meanwhile leaves the queue to expire()
};

thread_local DeadlineQueue *DeadlineQueue::s_current = nullptr;

Deadline::Deadline(std::function<void()> onExpired)
    : m_onExpired(std::move(onExpired))
    , m_queue(DeadlineQueue::acquire())
{ }

Deadline::~Deadline()
{
    stop();
    m_queue->release();
}

void Deadline::start(std::chrono::nanoseconds wait)
{
    stop();
    m_serial = m_queue->arm(this, monotonicNs() + std::max<qint64>(0, wait.count()));
}

void Deadline::stop()
{
    if (m_serial != 0) {
        m_queue->disarm(m_serial);
        m_serial = 0;
    }
}

} // namespace StreamSwarm::Agent
