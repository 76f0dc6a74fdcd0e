// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "bulkslot.h"

#include <QTimer>

namespace StreamSwarm::Agent {

BulkSlot &BulkSlot::instance()
{
    static BulkSlot slot;
    return slot;
}

void BulkSlot::request(QObject *owner, std::function<void()> start)
{
    release(owner);
    if (!m_holder) {
        m_holder = owner;
        start();
        return;
    }
    m_queue.append({owner, std::move(start)});
}

void BulkSlot::release(QObject *owner)
{
    m_queue.removeIf([owner](const Request &request) { return request.owner == owner || !request.owner; });
    if (m_holder == owner) {
        m_holder = nullptr;
        handOn();
    }
}

void BulkSlot::handOn()
{
    while (!m_queue.isEmpty() && !m_holder) {
        Request next = m_queue.takeFirst();
        if (!next.owner)
            continue; // gone without releasing: its destructor ran before it could
        m_holder = next.owner;
        // The slot is the next owner's from now, so nothing overtakes it during the slip.
        const int slipMs = int(m_random.bounded(MAX_SLIP_MS + 1));
        QTimer::singleShot(slipMs, Qt::PreciseTimer, next.owner, std::move(next.start));
    }
}

} // namespace StreamSwarm::Agent
