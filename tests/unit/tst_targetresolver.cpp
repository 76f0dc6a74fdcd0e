// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include <QSignalSpy>
#include <QTest>

#include "agent/probes/targetresolver.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm::Agent;

namespace {

// RFC 6761: names under .invalid never resolve.
const QString NOWHERE = u"no-such-host.invalid"_s;

} // namespace

class TestTargetResolver : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void addressIsUsedAsItIs_data();
    void addressIsUsedAsItIs();
    void nameIsLookedUpOnceForTheFirstRound();
    void nameThatDoesNotResolveIsNotAskedAgainAtOnce();
    void resolverMayGoWhileItLooksUp();
};

void TestTargetResolver::addressIsUsedAsItIs_data()
{
    QTest::addColumn<QString>("target");
    QTest::addColumn<QString>("address");
    QTest::newRow("IPv4") << u"192.0.2.7"_s << u"192.0.2.7"_s;
    QTest::newRow("IPv6") << u"2001:db8::1"_s << u"2001:db8::1"_s;
    // A v4-mapped address is pinged over IPv4.
    QTest::newRow("v4-mapped") << u"::ffff:192.0.2.9"_s << u"192.0.2.9"_s;
}

void TestTargetResolver::addressIsUsedAsItIs()
{
    QFETCH(QString, target);
    QFETCH(QString, address);
    TargetResolver resolver(target, u"test 1"_s);
    QSignalSpy finished(&resolver, &TargetResolver::lookupFinished);
    QVERIFY(resolver.isLiteral());
    QCOMPARE(resolver.prepare(), TargetResolver::State::Ready);
    QCOMPARE(resolver.address(), QHostAddress(address));
    resolver.markSuspect(); // an address is never looked up, however suspect
    QCOMPARE(resolver.prepare(), TargetResolver::State::Ready);
    QTest::qWait(50);
    QCOMPARE(finished.size(), 0);
}

void TestTargetResolver::nameIsLookedUpOnceForTheFirstRound()
{
    TargetResolver resolver(u"localhost"_s, u"test 2"_s);
    QSignalSpy finished(&resolver, &TargetResolver::lookupFinished);
    QVERIFY(!resolver.isLiteral());
    QVERIFY(resolver.address().isNull());
    const TargetResolver::State first = resolver.prepare();
    if (first == TargetResolver::State::Waiting) {
        QVERIFY(finished.wait(10000));
    } else {
        QCOMPARE(first, TargetResolver::State::Ready); // answered at once
    }
    QVERIFY(resolver.address().isLoopback());
    QVERIFY(resolver.error().isEmpty());
    // The next rounds use it; nothing is looked up again so soon, even when a round got no answer
    // (refreshes are at least 30 s apart).
    const int lookups = finished.size();
    resolver.markSuspect();
    QCOMPARE(resolver.prepare(), TargetResolver::State::Ready);
    QCOMPARE(resolver.prepare(), TargetResolver::State::Ready);
    QTest::qWait(100);
    QCOMPARE(finished.size(), lookups);
}

void TestTargetResolver::nameThatDoesNotResolveIsNotAskedAgainAtOnce()
{
    TargetResolver resolver(NOWHERE, u"test 3"_s);
    QSignalSpy finished(&resolver, &TargetResolver::lookupFinished);
    const TargetResolver::State first = resolver.prepare();
    if (first == TargetResolver::State::Waiting)
        QVERIFY(finished.wait(30000));
    else
        QCOMPARE(first, TargetResolver::State::Failed);
    QVERIFY(resolver.address().isNull());
    QVERIFY(!resolver.error().isEmpty());
    // The following rounds fail at once with the same reason, without asking the resolver again.
    const int lookups = finished.size();
    for (int round = 0; round < 5; ++round)
        QCOMPARE(resolver.prepare(), TargetResolver::State::Failed);
    QTest::qWait(100);
    QCOMPARE(finished.size(), lookups);
}

void TestTargetResolver::resolverMayGoWhileItLooksUp()
{
    // A test removed while its first lookup runs: the late answer must find nothing deleted.
    for (int i = 0; i < 20; ++i) {
        auto *resolver = new TargetResolver(i % 2 ? NOWHERE : u"localhost"_s, u"test 4"_s);
        resolver->prepare();
        delete resolver;
    }
    TargetResolver last(u"localhost"_s, u"test 5"_s);
    QSignalSpy finished(&last, &TargetResolver::lookupFinished);
    if (last.prepare() == TargetResolver::State::Waiting)
        QVERIFY(finished.wait(30000)); // lookups run in order on Qt's pool: the others are done too
    QTest::qWait(100);
}

QTEST_GUILESS_MAIN(TestTargetResolver)
#include "tst_targetresolver.moc"
