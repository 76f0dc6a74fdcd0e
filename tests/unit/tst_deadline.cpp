// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include <chrono>
#include <memory>
#include <vector>

#include <QElapsedTimer>
#include <QTest>

#include "agent/scheduler/deadline.h"

using namespace std::chrono_literals;
using namespace StreamSwarm::Agent;

class TestDeadline : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void firesOnceInOrderAndNeverEarly();
    void stopAndRestartReplaceTheLastStart();
    void neverFiresInsideStart();
    void callbackMayStopOrDestroyOthersDueNow();
    void lastDeadlineMayGoInItsOwnCallback();
    void restartingAtZeroDoesNotHoldTheThread();
    void manyStartsAndStopsStayBounded();
};

// Each Deadline records when it fired (ms after the test's start), in firing order.
void TestDeadline::firesOnceInOrderAndNeverEarly()
{
    QElapsedTimer clock;
    clock.start();
    std::vector<std::pair<int, qint64>> fired;
    std::vector<std::unique_ptr<Deadline>> deadlines;
    const std::vector<int> waitsMs{30, 5, 20, 0, 5, 12};
    for (size_t i = 0; i < waitsMs.size(); ++i) {
        deadlines.push_back(std::make_unique<Deadline>([&, i] { fired.emplace_back(int(i), clock.nsecsElapsed()); }));
        deadlines.back()->start(std::chrono::milliseconds(waitsMs[i]));
    }
    QTRY_COMPARE_WITH_TIMEOUT(fired.size(), waitsMs.size(), 5000);
    QTest::qWait(50); // and no second firing
    QCOMPARE(fired.size(), waitsMs.size());
    for (size_t n = 0; n < fired.size(); ++n) {
        const auto [index, atNs] = fired[n];
        QVERIFY2(atNs >= qint64(waitsMs[size_t(index)]) * 1'000'000,
            qPrintable(QStringLiteral("deadline %1 fired after %2 ns, before its %3 ms")
                           .arg(index)
                           .arg(atNs)
                           .arg(waitsMs[size_t(index)])));
        if (n > 0) // by due time; equal times in start order
            QVERIFY(waitsMs[size_t(fired[n - 1].first)] <= waitsMs[size_t(index)]);
        QVERIFY(!deadlines[size_t(index)]->isActive());
    }
}

void TestDeadline::stopAndRestartReplaceTheLastStart()
{
    int stoppedFired = 0;
    int restartedFired = 0;
    QElapsedTimer clock;
    clock.start();
    qint64 restartedAtNs = 0;
    Deadline stopped([&] { ++stoppedFired; });
    Deadline restarted([&] {
        ++restartedFired;
        restartedAtNs = clock.nsecsElapsed();
    });
    stopped.start(5ms);
    QVERIFY(stopped.isActive());
    stopped.stop();
    QVERIFY(!stopped.isActive());
    restarted.start(5ms);
    restarted.start(40ms); // the 5 ms start no longer counts
    QTRY_COMPARE_WITH_TIMEOUT(restartedFired, 1, 5000);
    QVERIFY(restartedAtNs >= 40'000'000);
    QTest::qWait(20);
    QCOMPARE(stoppedFired, 0);
    QCOMPARE(restartedFired, 1);
}

void TestDeadline::neverFiresInsideStart()
{
    int fired = 0;
    Deadline now([&] { ++fired; });
    now.start(0ms);
    now.start(-5ms); // a time already past: as soon as the event loop runs
    QCOMPARE(fired, 0);
    QTRY_COMPARE_WITH_TIMEOUT(fired, 1, 5000);
}

// A probe's callback finishes its round and so stops or deletes other probes' deadlines, due at the
// same moment.
void TestDeadline::callbackMayStopOrDestroyOthersDueNow()
{
    int firstFired = 0;
    int othersFired = 0;
    auto destroyed = std::make_unique<Deadline>([&] { ++othersFired; });
    Deadline stopped([&] { ++othersFired; });
    Deadline kept([&] { ++othersFired; });
    Deadline first([&] {
        ++firstFired;
        destroyed.reset();
        stopped.stop();
    });
    first.start(1ms);
    destroyed->start(1ms);
    stopped.start(1ms);
    kept.start(1ms);
    QTRY_COMPARE_WITH_TIMEOUT(firstFired, 1, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(othersFired, 1, 5000); // only `kept`
    QTest::qWait(10);
    QCOMPARE(othersFired, 1);
}

void TestDeadline::lastDeadlineMayGoInItsOwnCallback()
{
    bool fired = false;
    std::unique_ptr<Deadline> only;
    only = std::make_unique<Deadline>([&] {
        fired = true;
        only.reset();
    });
    only->start(1ms);
    QTRY_VERIFY_WITH_TIMEOUT(fired, 5000);
    QVERIFY(!only);
    // The next one starts afresh.
    bool again = false;
    Deadline next([&] { again = true; });
    next.start(1ms);
    QTRY_VERIFY_WITH_TIMEOUT(again, 5000);
}

// A callback that starts itself at 0 every time fires once per event loop pass, not in a loop.
void TestDeadline::restartingAtZeroDoesNotHoldTheThread()
{
    int fired = 0;
    std::unique_ptr<Deadline> busy;
    busy = std::make_unique<Deadline>([&] {
        busy->start(0ms);
        ++fired;
    });
    busy->start(0ms);
    bool otherFired = false;
    Deadline other([&] { otherFired = true; });
    other.start(5ms);
    QTRY_VERIFY_WITH_TIMEOUT(otherFired, 5000);
    QVERIFY(fired > 0);
    busy.reset();
}

// 1,000 tests a second, each arming and stopping its wait: stale entries are dropped, and the ones
// still armed fire.
void TestDeadline::manyStartsAndStopsStayBounded()
{
    constexpr int COUNT = 1000;
    int fired = 0;
    std::vector<std::unique_ptr<Deadline>> deadlines;
    for (int i = 0; i < COUNT; ++i)
        deadlines.push_back(std::make_unique<Deadline>([&] { ++fired; }));
    for (int round = 0; round < 100; ++round) {
        for (auto &deadline : deadlines) {
            deadline->start(1h);
            deadline->stop();
        }
    }
    for (int i = 0; i < COUNT; i += 2)
        deadlines[size_t(i)]->start(std::chrono::milliseconds(i % 20));
    QTRY_COMPARE_WITH_TIMEOUT(fired, COUNT / 2, 5000);
    QTest::qWait(30);
    QCOMPARE(fired, COUNT / 2);
}

QTEST_GUILESS_MAIN(TestDeadline)
#include "tst_deadline.moc"
