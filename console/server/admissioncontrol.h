// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <functional>
#include <list>
#include <optional>

#include <QHash>
#include <QHostAddress>

namespace StreamSwarm::Console {

// A token bucket kept as time credit: a token is worth intervalMs, at most burst of them are
// banked, and credit grows with the time that passes. Integer maths, so tests can work it out by hand.
class TokenBucket
{
public:
    TokenBucket(int burst, qint64 intervalMs, qint64 nowMs);

    bool take(qint64 nowMs); // takes a token if there is one
    void charge(qint64 nowMs); // takes a token even when there is none (debt, at most burst tokens deep)
    qint64 msUntilToken(qint64 nowMs) const; // 0 when a token is there
    bool isFull(qint64 nowMs) const;

private:
    qint64 creditAt(qint64 nowMs) const;

    qint64 m_intervalMs;
    qint64 m_capacityMs;
    qint64 m_creditMs;
    qint64 m_updatedMs;
};

// Decides whether a new agent connection may proceed, per source address: failed authentication
// and enrollment attempts draw on a token bucket (an empty bucket locks the address out until it
// refills), and connections that have not authenticated yet are capped per address and in total.
// Memory is bounded: entries that hold nothing are dropped by expire(), and past
// maxTrackedAddresses the least recently seen address is forgotten, preferring one that is neither
// locked out nor waiting on a connection. Plain class; lives on the server's thread.
class AdmissionControl
{
public:
    using Clock = std::function<qint64()>; // monotonic milliseconds

    struct Limits
    {
        int failureBurst;
        qint64 failureRefillMs;
        int maxPendingPerAddress;
        int maxPendingTotal;
        int maxTrackedAddresses;
    };
    static Limits defaultLimits();

    enum class Decision { Ok, LockedOut, TooManyPending };
    struct Verdict
    {
        Decision decision = Decision::Ok;
        qint64 retryAfterMs = 0; // for LockedOut: when the address may try again
    };

    explicit AdmissionControl(Clock clock = {}, Limits limits = defaultLimits());
    Q_DISABLE_COPY_MOVE(AdmissionControl) // entries point into m_order

    // Ok counts the connection as pending until connectionAuthenticated() or
    // connectionClosedUnauthenticated() is called for it (exactly one of the two).
    Verdict admit(const QHostAddress &address);
    void connectionAuthenticated(const QHostAddress &address);
    void connectionClosedUnauthenticated(const QHostAddress &address);
    // A refused credential or token. Returns the lockout's length when this failure started one;
    // failures while locked out extend it silently, so one lockout is reported once.
    std::optional<qint64> recordFailure(const QHostAddress &address);
    // Forgets addresses with a full bucket and no pending connection (call now and then).
    void expire();

    qint64 lockoutRemainingMs(const QHostAddress &address) const;
    int pendingFor(const QHostAddress &address) const;
    int pendingTotal() const { return m_pendingTotal; }
    qsizetype trackedAddresses() const { return m_entries.size(); }
    const Limits &limits() const { return m_limits; }

    // IPv4-mapped IPv6 (::ffff:192.0.2.1) becomes plain IPv4 and scope ids go, so one host is one key.
    static QHostAddress normalized(const QHostAddress &address);

private:
    struct Entry
    {
        TokenBucket failures;
        int pending = 0;
        std::list<QHostAddress>::iterator order; // position in m_order, most recently seen last
    };

    Entry &touch(const QHostAddress &key, qint64 now);
    void evictOne();
    void release(const QHostAddress &address);

    Clock m_clock;
    Limits m_limits;
    QHash<QHostAddress, Entry> m_entries;
    std::list<QHostAddress> m_order;
    int m_pendingTotal = 0;
};

} // namespace StreamSwarm::Console
