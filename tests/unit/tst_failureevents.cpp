// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include <QTest>

#include "console/app/failureevents.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm;
using namespace StreamSwarm::Console;

namespace {

constexpr qint64 ALPHA = 1;
constexpr qint64 BETA = 2;
constexpr qint64 WAN = 10;
constexpr qint64 LAN = 11;

Protocol::Round round(qint64 testId, qint64 timeMs, const QString &error = QString())
{
    Protocol::Round r;
    r.testId = testId;
    r.timeMs = timeMs;
    r.values = {{u"ping.loss_pct"_s, error.isEmpty() ? 0.0 : 100.0}};
    r.error = error;
    return r;
}

// "1000 test 10 timeout" for each event, in order; every one a probe-error warning.
QStringList lines(const QList<Protocol::Event> &events)
{
    QStringList result;
    for (const Protocol::Event &event : events) {
        if (event.level != u"warning" || event.kind != u"probe-error")
            result.append(u"unexpected %1 %2"_s.arg(event.level, event.kind));
        result.append(u"%1 test %2 %3"_s.arg(event.timeMs).arg(event.testId).arg(event.message));
    }
    return result;
}

// Decides and, as storage would after a commit, accepts.
QStringList store(FailureEvents &failures, qint64 agentId, const QList<Protocol::Round> &rounds)
{
    const QList<Protocol::Event> events = failures.eventsFor(agentId, rounds);
    failures.accept(agentId, rounds);
    return lines(events);
}

} // namespace

class TestFailureEvents final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void oneEventWhenFailingStartsOrChanges();
    void failingContinuesAcrossBatches();
    void agentsAndTestsAreSeparate();
    void recoveryThenTheSameErrorIsNewAgain();
    void decidingRemembersNothingUntilAccepted();
    void orderWithinABatchCounts();
};

void TestFailureEvents::oneEventWhenFailingStartsOrChanges()
{
    FailureEvents failures;
    QCOMPARE(store(failures, ALPHA,
                 {round(WAN, 1000, u"timeout"_s), round(LAN, 1000, u"timeout"_s), round(WAN, 2000, u"timeout"_s),
                     round(WAN, 3000), round(WAN, 4000, u"timeout"_s), round(WAN, 5000, u"unreachable"_s)}),
        (QStringList{u"1000 test 10 timeout"_s, u"1000 test 11 timeout"_s, u"4000 test 10 timeout"_s,
            u"5000 test 10 unreachable"_s}));
}

void TestFailureEvents::failingContinuesAcrossBatches()
{
    FailureEvents failures;
    QCOMPARE(store(failures, ALPHA, {round(WAN, 1000, u"unreachable"_s)}), QStringList{u"1000 test 10 unreachable"_s});
    QCOMPARE(store(failures, ALPHA, {round(WAN, 2000, u"unreachable"_s)}), QStringList());
    QCOMPARE(store(failures, ALPHA, {round(WAN, 3000, u"unreachable"_s), round(WAN, 4000, u"timeout"_s)}),
        QStringList{u"4000 test 10 timeout"_s});
    QCOMPARE(store(failures, ALPHA, {}), QStringList());
    QCOMPARE(store(failures, ALPHA, {round(LAN, 5000)}), QStringList()); // another test: WAN still failing
    QCOMPARE(store(failures, ALPHA, {round(WAN, 6000, u"timeout"_s)}), QStringList());
}

void TestFailureEvents::agentsAndTestsAreSeparate()
{
    FailureEvents failures;
    QCOMPARE(store(failures, ALPHA, {round(WAN, 6000, u"unreachable"_s)}), QStringList{u"6000 test 10 unreachable"_s});
    // Beta's failure of the same test is its own event, and does not end alpha's.
    QCOMPARE(store(failures, BETA, {round(WAN, 6000, u"unreachable"_s)}), QStringList{u"6000 test 10 unreachable"_s});
    QCOMPARE(store(failures, BETA, {round(WAN, 7000)}), QStringList());
    QCOMPARE(store(failures, ALPHA, {round(WAN, 7000, u"unreachable"_s)}), QStringList());
    QCOMPARE(store(failures, ALPHA, {round(LAN, 7000, u"unreachable"_s)}), QStringList{u"7000 test 11 unreachable"_s});
}

void TestFailureEvents::recoveryThenTheSameErrorIsNewAgain()
{
    FailureEvents failures;
    QCOMPARE(store(failures, ALPHA, {round(WAN, 1000, u"timeout"_s)}), QStringList{u"1000 test 10 timeout"_s});
    QCOMPARE(store(failures, ALPHA, {round(WAN, 2000)}), QStringList());
    QCOMPARE(store(failures, ALPHA, {round(WAN, 3000, u"timeout"_s)}), QStringList{u"3000 test 10 timeout"_s});
}

void TestFailureEvents::decidingRemembersNothingUntilAccepted()
{
    FailureEvents failures;
    const QList<Protocol::Round> batch{round(WAN, 1000, u"timeout"_s)};
    // The batch failed to store (not accepted): sent again, it deserves its event again.
    QCOMPARE(lines(failures.eventsFor(ALPHA, batch)), QStringList{u"1000 test 10 timeout"_s});
    QCOMPARE(lines(failures.eventsFor(ALPHA, batch)), QStringList{u"1000 test 10 timeout"_s});
    failures.accept(ALPHA, batch);
    QCOMPARE(lines(failures.eventsFor(ALPHA, {round(WAN, 2000, u"timeout"_s)})), QStringList());
    // A recovery that was not stored leaves the failure remembered.
    QCOMPARE(lines(failures.eventsFor(ALPHA, {round(WAN, 3000), round(WAN, 4000, u"timeout"_s)})),
        QStringList{u"4000 test 10 timeout"_s});
    QCOMPARE(lines(failures.eventsFor(ALPHA, {round(WAN, 5000, u"timeout"_s)})), QStringList());
}

void TestFailureEvents::orderWithinABatchCounts()
{
    FailureEvents failures;
    // Rounds join a batch as they finish: an older round may follow a newer one; the order given counts.
    QCOMPARE(store(failures, ALPHA,
                 {round(WAN, 2000, u"timeout"_s), round(WAN, 1000, u"timeout"_s), round(WAN, 3000, u"refused"_s),
                     round(WAN, 2500, u"timeout"_s)}),
        (QStringList{u"2000 test 10 timeout"_s, u"3000 test 10 refused"_s, u"2500 test 10 timeout"_s}));
    QCOMPARE(store(failures, ALPHA, {round(WAN, 4000, u"timeout"_s)}), QStringList());
}

QTEST_APPLESS_MAIN(TestFailureEvents)
#include "tst_failureevents.moc"
