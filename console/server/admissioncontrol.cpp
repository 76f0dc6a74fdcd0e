// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "admissioncontrol.h"

#include <algorithm>
#include <chrono>

#include "shared/util/monotonic.h"

namespace StreamSwarm::Console {

namespace {

// Secrets are 256-bit random, so this is not about guessing them: it keeps a flood of refused
// handshakes (each an HMAC, a database write and a log line) from drowning the event log and the
// database thread. Five quick mistakes pass (a typo, a retry); after that one attempt per 12 s.
constexpr int FAILURE_BURST = 5;
constexpr qint64 FAILURE_REFILL_MS = 12000;
// An agent needs one connection; a few more cover a reconnect racing its dying predecessor and a
// handful of agents behind one NAT. The total keeps a crowd of addresses from holding sockets open
// (each is closed within 10 s anyway if it sends no hello).
constexpr int MAX_PENDING_PER_ADDRESS = 8;
constexpr int MAX_PENDING_TOTAL = 512;
// About 100 bytes an entry, so a few MB at most even when an attacker rotates source addresses.
constexpr int MAX_TRACKED_ADDRESSES = 65536;
// Eviction looks this far from the oldest end for an entry that protects nothing.
constexpr int EVICTION_SCAN = 64;

} // namespace

TokenBucket::TokenBucket(int burst, qint64 intervalMs, qint64 nowMs)
    : m_intervalMs(std::max<qint64>(intervalMs, 1))
    , m_capacityMs(std::max(burst, 1) * m_intervalMs)
    , m_creditMs(m_capacityMs)
    , m_updatedMs(nowMs)
{ }

qint64 TokenBucket::creditAt(qint64 nowMs) const
{
    // A clock that steps back earns nothing (and takes nothing away).
    return std::min(m_capacityMs, m_creditMs + std::max<qint64>(nowMs - m_updatedMs, 0));
}

bool TokenBucket::take(qint64 nowMs)
{
    const qint64 credit = creditAt(nowMs);
    m_updatedMs = std::max(m_updatedMs, nowMs);
    if (credit < m_intervalMs) {
        m_creditMs = credit;
        return false;
    }
    m_creditMs = credit - m_intervalMs;
    return true;
}

void TokenBucket::charge(qint64 nowMs)
{
    m_creditMs = std::max(creditAt(nowMs) - m_intervalMs, -m_capacityMs);
    m_updatedMs = std::max(m_updatedMs, nowMs);
}

qint64 TokenBucket::msUntilToken(qint64 nowMs) const
{
    return std::max<qint64>(m_intervalMs - creditAt(nowMs), 0);
}

bool TokenBucket::isFull(qint64 nowMs) const
{
    return creditAt(nowMs) >= m_capacityMs;
}

AdmissionControl::Limits AdmissionControl::defaultLimits()
{
    return {FAILURE_BURST, FAILURE_REFILL_MS, MAX_PENDING_PER_ADDRESS, MAX_PENDING_TOTAL, MAX_TRACKED_ADDRESSES};
}

AdmissionControl::AdmissionControl(Clock clock, Limits limits)
    : m_clock(clock ? std::move(clock) : Clock(&monotonicMs))
    , m_limits(limits)
{
    m_limits.maxTrackedAddresses = std::max(m_limits.maxTrackedAddresses, 1);
}

QHostAddress AdmissionControl::normalized(const QHostAddress &address)
{
    bool isV4 = false;
    const quint32 v4 = address.toIPv4Address(&isV4); // also true for ::ffff:a.b.c.d
    if (isV4)
        return QHostAddress(v4);
    QHostAddress plain = address;
    plain.setScopeId(QString());
    return plain;
}

AdmissionControl::Entry &AdmissionControl::touch(const QHostAddress &key, qint64 now)
{
    if (const auto it = m_entries.find(key); it != m_entries.end()) {
        m_order.splice(m_order.end(), m_order, it->order);
        return *it;
    }
    if (m_entries.size() >= m_limits.maxTrackedAddresses)
        evictOne();
    m_order.push_back(key);
    return *m_entries.emplace(
        key, Entry{TokenBucket(m_limits.failureBurst, m_limits.failureRefillMs, now), 0, std::prev(m_order.end())});
}

void AdmissionControl::evictOne()
{
    // Prefer forgetting an address that is neither locked out nor waiting on a connection; past the
    // scan, the oldest goes whatever it holds (its pending connections leave the total with it).
    const qint64 now = m_clock();
    auto victim = m_order.end();
    auto idleButLocked = m_order.end();
    int scanned = 0;
    for (auto it = m_order.begin(); it != m_order.end() && scanned < EVICTION_SCAN; ++it, ++scanned) {
        const Entry &entry = m_entries.find(*it).value();
        if (entry.pending > 0)
            continue;
        if (entry.failures.msUntilToken(now) == 0) {
            victim = it;
            break;
        }
        if (idleButLocked == m_order.end())
            idleButLocked = it;
    }
    if (victim == m_order.end())
        victim = idleButLocked != m_order.end() ? idleButLocked : m_order.begin();
    if (victim == m_order.end())
        return;
    const auto entry = m_entries.find(*victim);
    m_pendingTotal -= entry->pending;
    m_entries.erase(entry);
    m_order.erase(victim);
}

AdmissionControl::Verdict AdmissionControl::admit(const QHostAddress &address)
{
    const QHostAddress key = normalized(address);
    const qint64 now = m_clock();
    if (const auto it = m_entries.find(key); it != m_entries.end()) {
        Entry &entry = touch(key, now);
        if (const qint64 wait = entry.failures.msUntilToken(now); wait > 0)
            return {Decision::LockedOut, wait};
        if (entry.pending >= m_limits.maxPendingPerAddress)
            return {Decision::TooManyPending, 0};
    }
    if (m_pendingTotal >= m_limits.maxPendingTotal)
        return {Decision::TooManyPending, 0};
    Entry &entry = touch(key, now);
    ++entry.pending;
    ++m_pendingTotal;
    return {Decision::Ok, 0};
}

void AdmissionControl::release(const QHostAddress &address)
{
    const auto it = m_entries.find(normalized(address));
    if (it == m_entries.end() || it->pending == 0)
        return; // evicted meanwhile: its count left the total then
    --it->pending;
    --m_pendingTotal;
}

void AdmissionControl::connectionAuthenticated(const QHostAddress &address)
{
    release(address);
}

void AdmissionControl::connectionClosedUnauthenticated(const QHostAddress &address)
{
    release(address);
}

std::optional<qint64> AdmissionControl::recordFailure(const QHostAddress &address)
{
    const qint64 now = m_clock();
    Entry &entry = touch(normalized(address), now);
    const bool wasLockedOut = entry.failures.msUntilToken(now) > 0;
    entry.failures.charge(now);
    const qint64 wait = entry.failures.msUntilToken(now);
    if (wasLockedOut || wait == 0)
        return std::nullopt;
    return wait;
}

void AdmissionControl::expire()
{
    const qint64 now = m_clock();
    for (auto it = m_entries.begin(); it != m_entries.end();) {
        if (it->pending == 0 && it->failures.isFull(now)) {
            m_order.erase(it->order);
            it = m_entries.erase(it);
        } else {
            ++it;
        }
    }
}

qint64 AdmissionControl::lockoutRemainingMs(const QHostAddress &address) const
{
    const auto it = m_entries.constFind(normalized(address));
    return it == m_entries.cend() ? 0 : it->failures.msUntilToken(m_clock());
}

int AdmissionControl::pendingFor(const QHostAddress &address) const
{
    const auto it = m_entries.constFind(normalized(address));
    return it == m_entries.cend() ? 0 : it->pending;
}

} // namespace StreamSwarm::Console
