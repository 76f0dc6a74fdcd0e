// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include <QTest>

#include "console/server/admissioncontrol.h"
#include "tests/support/testclock.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm::Console;

namespace {

using Decision = AdmissionControl::Decision;

QHostAddress address(const QString &text)
{
    return QHostAddress(text);
}

constexpr qint64 NONE = -1;

qint64 lockout(std::optional<qint64> started)
{
    return started.value_or(NONE);
}

QHostAddress numbered(int n)
{
    return QHostAddress(quint32(0x0a000000u + quint32(n))); // 10.0.0.0 + n
}

} // namespace

// Token bucket maths with an injected clock: every expected time below is worked out by hand from
// burst 5 and one token per 12 s.
class TestAdmissionControl : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void defaultsAreTheDocumentedOnes();
    void tokenBucketByHand();
    void tokenBucketDebtIsBounded();
    void lockoutAfterBurstOfFailures();
    void spacedFailuresRefillInBetween();
    void failuresWhileLockedOutExtendSilently();
    void oneFailurePerRefillNeverLocksOut();
    void lockedOutAddressIsNotCountedPending();
    void pendingCapPerAddress();
    void pendingCapInTotal();
    void ipv4MappedAndScopedAddressesAreNormalised();
    void otherAddressesAreUnaffected();
    void expireForgetsOnlyWhatHoldsNothing();
    void trackedAddressesAreBounded();
    void evictionKeepsLockoutsWhenItCan();
    void evictingPendingEntriesKeepsTheTotalRight();

private:
    AdmissionControl make(AdmissionControl::Limits limits = AdmissionControl::defaultLimits())
    {
        return AdmissionControl(m_clock.function(), limits);
    }

    StreamSwarm::Test::ManualClock m_clock; // any start; only differences matter
};

void TestAdmissionControl::defaultsAreTheDocumentedOnes()
{
    const AdmissionControl::Limits limits = AdmissionControl::defaultLimits();
    QCOMPARE(limits.failureBurst, 5);
    QCOMPARE(limits.failureRefillMs, 12000);
    QCOMPARE(limits.maxPendingPerAddress, 8);
    QCOMPARE(limits.maxPendingTotal, 512);
    QCOMPARE(limits.maxTrackedAddresses, 65536);
}

void TestAdmissionControl::tokenBucketByHand()
{
    TokenBucket bucket(5, 12000, 0);
    QVERIFY(bucket.isFull(0));
    for (int i = 0; i < 5; ++i)
        QVERIFY(bucket.take(0));
    QVERIFY(!bucket.take(0));
    QCOMPARE(bucket.msUntilToken(0), 12000);
    QCOMPARE(bucket.msUntilToken(11999), 1);
    QVERIFY(!bucket.take(11999)); // a refused take costs nothing
    QCOMPARE(bucket.msUntilToken(12000), 0);
    QVERIFY(bucket.take(12000));
    QVERIFY(!bucket.take(12000));
    // Empty at 12 000 ms: full again five tokens (60 000 ms) later, not before.
    QVERIFY(!bucket.isFull(71999));
    QVERIFY(bucket.isFull(72000));
    // Idle time beyond a full bucket banks nothing extra.
    for (int i = 0; i < 5; ++i)
        QVERIFY(bucket.take(1000000));
    QVERIFY(!bucket.take(1000000));
    // A clock that steps back neither pays nor costs.
    QCOMPARE(bucket.msUntilToken(500000), 12000);
    QVERIFY(!bucket.take(500000));
    QCOMPARE(bucket.msUntilToken(1006000), 6000);
}

void TestAdmissionControl::tokenBucketDebtIsBounded()
{
    TokenBucket bucket(5, 12000, 0);
    for (int i = 0; i < 20; ++i)
        bucket.charge(0);
    // 60 000 - 20 * 12 000 = -180 000, floored at -60 000: 72 000 ms until the next token.
    QCOMPARE(bucket.msUntilToken(0), 72000);
    QCOMPARE(bucket.msUntilToken(72000), 0);

    TokenBucket messages(500, 10, 0); // the per-agent message limit: 100 a second, bursts of 500
    int taken = 0;
    while (messages.take(0) && taken < 1000)
        ++taken;
    QCOMPARE(taken, 500);
    QVERIFY(!messages.take(9));
    QVERIFY(messages.take(10));
}

void TestAdmissionControl::lockoutAfterBurstOfFailures()
{
    AdmissionControl control = make();
    const QHostAddress attacker = address(u"192.0.2.7"_s);
    for (int i = 1; i <= 4; ++i) {
        QCOMPARE(lockout(control.recordFailure(attacker)), NONE);
        QCOMPARE(control.admit(attacker).decision, Decision::Ok);
        control.connectionClosedUnauthenticated(attacker);
    }
    // The fifth failure empties the bucket: locked out until a token is back, 12 s.
    QCOMPARE(lockout(control.recordFailure(attacker)), 12000);
    AdmissionControl::Verdict verdict = control.admit(attacker);
    QCOMPARE(verdict.decision, Decision::LockedOut);
    QCOMPARE(verdict.retryAfterMs, 12000);
    m_clock.advance(11999);
    verdict = control.admit(attacker);
    QCOMPARE(verdict.decision, Decision::LockedOut);
    QCOMPARE(verdict.retryAfterMs, 1);
    QCOMPARE(control.lockoutRemainingMs(attacker), 1);
    m_clock.advance(1);
    QCOMPARE(control.lockoutRemainingMs(attacker), 0);
    QCOMPARE(control.admit(attacker).decision, Decision::Ok);
    // One token came back, so the next failure locks out again at once, for another 12 s.
    QCOMPARE(lockout(control.recordFailure(attacker)), 12000);
}

void TestAdmissionControl::spacedFailuresRefillInBetween()
{
    AdmissionControl control = make();
    const QHostAddress peer = address(u"198.51.100.1"_s);
    const qint64 start = m_clock.nowMs();
    // Credit in ms, starting at 60 000: -12 000 a failure, +1 000 a second between them:
    // 48 000, 37 000, 26 000, 15 000, then 4 000 < 12 000 at the fifth, locking out for 8 000 ms.
    for (int i = 0; i < 4; ++i) {
        m_clock.set(start + i * qint64(1000));
        QCOMPARE(lockout(control.recordFailure(peer)), NONE);
    }
    m_clock.set(start + 4000);
    QCOMPARE(lockout(control.recordFailure(peer)), 8000);
    m_clock.set(start + 11999);
    QCOMPARE(control.admit(peer).retryAfterMs, 1);
    m_clock.set(start + 12000);
    QCOMPARE(control.admit(peer).decision, Decision::Ok);
}

void TestAdmissionControl::failuresWhileLockedOutExtendSilently()
{
    AdmissionControl control = make();
    const QHostAddress peer = address(u"203.0.113.9"_s);
    for (int i = 0; i < 4; ++i)
        control.recordFailure(peer);
    QCOMPARE(lockout(control.recordFailure(peer)), 12000);
    // Connections admitted before the lockout can still fail: each adds 12 s, none is reported again.
    QCOMPARE(lockout(control.recordFailure(peer)), NONE);
    QCOMPARE(lockout(control.recordFailure(peer)), NONE);
    QCOMPARE(control.lockoutRemainingMs(peer), 36000);
    m_clock.advance(36000);
    QCOMPARE(control.admit(peer).decision, Decision::Ok);
    // A failure after the lockout ended starts (and reports) a new one.
    QCOMPARE(lockout(control.recordFailure(peer)), 12000);
}

void TestAdmissionControl::oneFailurePerRefillNeverLocksOut()
{
    AdmissionControl control = make();
    const QHostAddress peer = address(u"192.0.2.50"_s);
    for (int i = 0; i < 50; ++i) {
        QCOMPARE(lockout(control.recordFailure(peer)), NONE);
        m_clock.advance(12000);
        QCOMPARE(control.admit(peer).decision, Decision::Ok);
        control.connectionClosedUnauthenticated(peer);
    }
}

void TestAdmissionControl::lockedOutAddressIsNotCountedPending()
{
    AdmissionControl control = make();
    const QHostAddress peer = address(u"192.0.2.8"_s);
    for (int i = 0; i < 5; ++i)
        control.recordFailure(peer);
    for (int i = 0; i < 100; ++i)
        QCOMPARE(control.admit(peer).decision, Decision::LockedOut);
    QCOMPARE(control.pendingFor(peer), 0);
    QCOMPARE(control.pendingTotal(), 0);
}

void TestAdmissionControl::pendingCapPerAddress()
{
    AdmissionControl control = make();
    const QHostAddress peer = address(u"192.0.2.10"_s);
    for (int i = 0; i < 8; ++i)
        QCOMPARE(control.admit(peer).decision, Decision::Ok);
    QCOMPARE(control.pendingFor(peer), 8);
    QCOMPARE(control.admit(peer).decision, Decision::TooManyPending);
    QCOMPARE(control.pendingFor(peer), 8);
    // Either way out of the pending state frees a place.
    control.connectionAuthenticated(peer);
    QCOMPARE(control.admit(peer).decision, Decision::Ok);
    control.connectionClosedUnauthenticated(peer);
    QCOMPARE(control.pendingFor(peer), 7);
    QCOMPARE(control.admit(peer).decision, Decision::Ok);
    QCOMPARE(control.admit(peer).decision, Decision::TooManyPending);
    // More releases than admissions do not underflow.
    for (int i = 0; i < 20; ++i)
        control.connectionClosedUnauthenticated(peer);
    QCOMPARE(control.pendingFor(peer), 0);
    QCOMPARE(control.pendingTotal(), 0);
}

void TestAdmissionControl::pendingCapInTotal()
{
    AdmissionControl control = make();
    for (int i = 0; i < 512; ++i)
        QCOMPARE(control.admit(numbered(i)).decision, Decision::Ok);
    QCOMPARE(control.pendingTotal(), 512);
    QCOMPARE(control.admit(numbered(1000)).decision, Decision::TooManyPending);
    QCOMPARE(control.admit(numbered(0)).decision, Decision::TooManyPending);
    QCOMPARE(control.pendingFor(numbered(1000)), 0);
    control.connectionAuthenticated(numbered(3));
    QCOMPARE(control.admit(numbered(1000)).decision, Decision::Ok);
    QCOMPARE(control.pendingTotal(), 512);
}

void TestAdmissionControl::ipv4MappedAndScopedAddressesAreNormalised()
{
    const QHostAddress mapped = address(u"::ffff:192.0.2.7"_s);
    QCOMPARE(mapped.protocol(), QAbstractSocket::IPv6Protocol);
    const QHostAddress plain = AdmissionControl::normalized(mapped);
    QCOMPARE(plain.protocol(), QAbstractSocket::IPv4Protocol);
    QCOMPARE(plain.toString(), u"192.0.2.7"_s);
    QCOMPARE(AdmissionControl::normalized(address(u"fe80::1%lo"_s)).toString(), u"fe80::1"_s);
    QCOMPARE(AdmissionControl::normalized(address(u"2001:db8::1"_s)).toString(), u"2001:db8::1"_s);

    AdmissionControl control = make();
    for (int i = 0; i < 5; ++i)
        control.recordFailure(i % 2 ? mapped : address(u"192.0.2.7"_s));
    QCOMPARE(control.admit(address(u"192.0.2.7"_s)).decision, Decision::LockedOut);
    QCOMPARE(control.admit(mapped).decision, Decision::LockedOut);
    QCOMPARE(control.trackedAddresses(), 1);

    QCOMPARE(control.admit(mapped).decision, Decision::LockedOut);
    m_clock.advance(12000);
    QCOMPARE(control.admit(mapped).decision, Decision::Ok);
    QCOMPARE(control.pendingFor(address(u"192.0.2.7"_s)), 1);
    control.connectionClosedUnauthenticated(address(u"192.0.2.7"_s));
    QCOMPARE(control.pendingFor(mapped), 0);
}

void TestAdmissionControl::otherAddressesAreUnaffected()
{
    AdmissionControl control = make();
    for (int i = 0; i < 5; ++i)
        control.recordFailure(address(u"192.0.2.1"_s));
    QCOMPARE(control.admit(address(u"192.0.2.1"_s)).decision, Decision::LockedOut);
    QCOMPARE(control.admit(address(u"192.0.2.2"_s)).decision, Decision::Ok);
    QCOMPARE(control.admit(address(u"2001:db8::1"_s)).decision, Decision::Ok);
    QCOMPARE(control.admit(address(u"2001:db8::2"_s)).decision, Decision::Ok);
}

void TestAdmissionControl::expireForgetsOnlyWhatHoldsNothing()
{
    AdmissionControl control = make();
    for (int i = 0; i < 10; ++i) {
        QCOMPARE(control.admit(numbered(i)).decision, Decision::Ok);
        control.connectionAuthenticated(numbered(i));
    }
    QCOMPARE(control.admit(numbered(100)).decision, Decision::Ok); // still pending
    control.recordFailure(numbered(200)); // one failure: 12 s until the bucket is full again
    QCOMPARE(control.trackedAddresses(), 12);
    control.expire();
    QCOMPARE(control.trackedAddresses(), 2);
    m_clock.advance(11999);
    control.expire();
    QCOMPARE(control.trackedAddresses(), 2);
    m_clock.advance(1);
    control.expire();
    QCOMPARE(control.trackedAddresses(), 1);
    control.connectionClosedUnauthenticated(numbered(100));
    control.expire();
    QCOMPARE(control.trackedAddresses(), 0);
    QCOMPARE(control.pendingTotal(), 0);
}

void TestAdmissionControl::trackedAddressesAreBounded()
{
    AdmissionControl control = make();
    const int cap = control.limits().maxTrackedAddresses;
    for (int i = 0; i < cap + 5000; ++i) {
        control.recordFailure(numbered(i));
        QVERIFY(control.trackedAddresses() <= cap);
    }
    QCOMPARE(control.trackedAddresses(), cap);
    // The oldest went first: address 0 starts over (five more failures to lock it out), the newest
    // still has its first failure (four more do it).
    for (int i = 0; i < 4; ++i) {
        QCOMPARE(lockout(control.recordFailure(numbered(0))), NONE);
        QCOMPARE(lockout(control.recordFailure(numbered(cap + 4999))), i == 3 ? 12000 : NONE);
    }
    QCOMPARE(lockout(control.recordFailure(numbered(0))), 12000);
    QCOMPARE(control.trackedAddresses(), cap);
}

void TestAdmissionControl::evictionKeepsLockoutsWhenItCan()
{
    AdmissionControl control = make({5, 12000, 8, 512, 100});
    const QHostAddress attacker = address(u"192.0.2.66"_s);
    for (int i = 0; i < 5; ++i)
        control.recordFailure(attacker);
    // A thousand other addresses come and go after it; the lockout is the oldest entry, yet stays.
    for (int i = 0; i < 1000; ++i) {
        QCOMPARE(control.admit(numbered(i)).decision, Decision::Ok);
        control.connectionClosedUnauthenticated(numbered(i));
        QVERIFY(control.trackedAddresses() <= 100);
    }
    QCOMPARE(control.admit(attacker).decision, Decision::LockedOut);
    QCOMPARE(control.admit(attacker).retryAfterMs, 12000);
}

void TestAdmissionControl::evictingPendingEntriesKeepsTheTotalRight()
{
    AdmissionControl control = make({5, 12000, 8, 512, 2});
    QCOMPARE(control.admit(numbered(1)).decision, Decision::Ok);
    QCOMPARE(control.admit(numbered(2)).decision, Decision::Ok);
    QCOMPARE(control.admit(numbered(3)).decision, Decision::Ok); // forgets 1, the oldest
    QCOMPARE(control.trackedAddresses(), 2);
    QCOMPARE(control.pendingTotal(), 2);
    control.connectionClosedUnauthenticated(numbered(1)); // already left the total
    QCOMPARE(control.pendingTotal(), 2);
    control.connectionClosedUnauthenticated(numbered(2));
    control.connectionClosedUnauthenticated(numbered(3));
    QCOMPARE(control.pendingTotal(), 0);
}

QTEST_APPLESS_MAIN(TestAdmissionControl)
#include "tst_admissioncontrol.moc"
