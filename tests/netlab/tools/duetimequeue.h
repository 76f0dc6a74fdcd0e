// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "tests/netlab/tools/realtime.h"

namespace StreamSwarm::NetLab {

// Holds items until their due time (CLOCK_MONOTONIC) and hands each to a release callback on time, in
// due order, first come first served among equals. The callback runs on the queue's own real-time
// thread, which sleeps on an absolute deadline until SPIN_NS before the earliest item is due, then
// spins. push() and size() may be called from any thread.
template <typename Item>
class DueTimeQueue
{
public:
    // Called with the lock released; dueMonoNs is when the item was due, for its lateness.
    using Release = std::function<void(Item &item, std::int64_t dueMonoNs)>;

    // Wake-up latency on a busy two-core machine stays well inside this, and the final spin costs
    // at most this much CPU per release.
    static constexpr std::int64_t SPIN_NS = 150'000;

    DueTimeQueue() = default;
    ~DueTimeQueue() { stop(); }
    DueTimeQueue(const DueTimeQueue &) = delete;
    DueTimeQueue &operator=(const DueTimeQueue &) = delete;

    void start(Release release)
    {
        m_release = std::move(release);
        m_releaser = std::thread([this] { releaseLoop(); });
    }

    // Stops the releasing thread; the items it did not release stay for takeHeld().
    void stop()
    {
        if (!m_releaser.joinable())
            return;
        {
            const std::lock_guard lock(m_mutex);
            m_stopping = true;
        }
        m_changed.notify_all();
        m_releaser.join();
    }

    void push(std::int64_t dueMonoNs, Item item)
    {
        bool wake = false;
        {
            const std::lock_guard lock(m_mutex);
            m_heap.push_back({dueMonoNs, ++m_order, std::move(item)});
            std::push_heap(m_heap.begin(), m_heap.end(), &DueTimeQueue::later);
            const std::int64_t earliest = m_heap.front().dueMonoNs;
            wake = earliest < m_earliestDueNs.load(std::memory_order_relaxed);
            m_earliestDueNs.store(earliest, std::memory_order_release);
        }
        // Only a new earliest item changes what the releaser waits for.
        if (wake)
            m_changed.notify_one();
    }

    std::size_t size() const
    {
        const std::lock_guard lock(m_mutex);
        return m_heap.size();
    }

    // The items still held, in no particular order; meant for after stop().
    std::vector<Item> takeHeld()
    {
        const std::lock_guard lock(m_mutex);
        std::vector<Item> items;
        items.reserve(m_heap.size());
        for (Entry &entry : m_heap)
            items.push_back(std::move(entry.item));
        m_heap.clear();
        m_earliestDueNs.store(INT64_MAX, std::memory_order_release);
        return items;
    }

private:
    struct Entry
    {
        std::int64_t dueMonoNs = 0;
        std::uint64_t order = 0;
        Item item;
    };

    // The heap's order: the earliest due item on top, first come first served among equals.
    static bool later(const Entry &left, const Entry &right)
    {
        return left.dueMonoNs != right.dueMonoNs ? left.dueMonoNs > right.dueMonoNs : left.order > right.order;
    }

    void releaseLoop()
    {
        tryRealtime();
        std::unique_lock lock(m_mutex);
        while (!m_stopping) {
            if (m_heap.empty()) {
                m_changed.wait(lock);
                continue;
            }
            const std::int64_t dueNs = m_heap.front().dueMonoNs;
            if (dueNs - nowNs(CLOCK_MONOTONIC) > SPIN_NS) {
                // steady_clock is CLOCK_MONOTONIC, and libstdc++ waits with pthread_cond_clockwait: an
                // absolute monotonic deadline, like clock_nanosleep(TIMER_ABSTIME), that a newly queued
                // earlier item can cut short without a race.
                const std::chrono::steady_clock::time_point wakeAt{std::chrono::nanoseconds(dueNs - SPIN_NS)};
                m_changed.wait_until(lock, wakeAt);
                continue;
            }
            // The final stretch is a spin with the lock released; an item queued meanwhile with an even
            // earlier due time shortens it.
            lock.unlock();
            std::int64_t targetNs = dueNs;
            while (nowNs(CLOCK_MONOTONIC) < targetNs) {
                targetNs = std::min(targetNs, m_earliestDueNs.load(std::memory_order_acquire));
                cpuRelax();
            }
            lock.lock();
            std::pop_heap(m_heap.begin(), m_heap.end(), &DueTimeQueue::later);
            Entry entry = std::move(m_heap.back());
            m_heap.pop_back();
            m_earliestDueNs.store(m_heap.empty() ? INT64_MAX : m_heap.front().dueMonoNs, std::memory_order_release);
            lock.unlock();
            m_release(entry.item, entry.dueMonoNs);
            lock.lock();
        }
    }

    Release m_release;
    mutable std::mutex m_mutex; // guards m_heap, m_order and m_stopping
    std::condition_variable m_changed;
    std::vector<Entry> m_heap;
    std::uint64_t m_order = 0;
    bool m_stopping = false;
    std::atomic<std::int64_t> m_earliestDueNs{INT64_MAX}; // heap top, for the releaser's final spin
    std::thread m_releaser;
};

} // namespace StreamSwarm::NetLab
