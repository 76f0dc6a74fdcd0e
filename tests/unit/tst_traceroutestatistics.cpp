// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include <cmath>

#include <QTest>

#include "agent/probes/traceroutestatistics.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm::Agent;

namespace {

// Every expected figure below was worked out by hand; the tolerance only absorbs binary rounding.
bool near(double actual, double expected)
{
    return std::abs(actual - expected) < 1e-9;
}

HopFigures hop(int ttl, double lossPct, double bestMs)
{
    return HopFigures{ttl, u"10.0.%1.1"_s.arg(ttl), lossPct, true, bestMs};
}

} // namespace

class TestTracerouteStatistics final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void emptyHop();
    void runningFigures();
    void lossCountsUnanswered();
    void resetStartsAfresh();
    void routeChanged_data();
    void routeChanged();
    void pathText();
    void noLoss();
    void rateLimitedHopIsNotLoss();
    void lossFromTheHopOn();
    void lossStepAfterRateLimitedHop();
    void smallNoiseIsNoStep();
    void latencyStep();
    void emptyPath();
};

void TestTracerouteStatistics::emptyHop()
{
    const HopStatistics stats;
    QCOMPARE(stats.sent(), 0);
    QCOMPARE(stats.received(), 0);
    QVERIFY(!stats.hasRtt());
    QCOMPARE(stats.lossPercent(), 0.0);
    QCOMPARE(stats.stddevMs(), 0.0);
}

void TestTracerouteStatistics::runningFigures()
{
    // RTTs 2, 4, 4, 4, 5, 5, 7, 9 ms: mean 5, population variance 4 (the textbook case), so stddev 2.
    HopStatistics stats;
    stats.addSent(8);
    for (const double ms : {2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0})
        stats.addRtt(ms);
    QCOMPARE(stats.received(), 8);
    QVERIFY(near(stats.avgMs(), 5));
    QVERIFY(near(stats.stddevMs(), 2));
    QCOMPARE(stats.bestMs(), 2.0);
    QCOMPARE(stats.worstMs(), 9.0);
    QCOMPARE(stats.lastMs(), 9.0);
    QCOMPARE(stats.lossPercent(), 0.0);
    // Across rounds as mtr: one more answer of 1 ms moves best and last, mean (40 + 1) / 9.
    stats.addSent();
    stats.addRtt(1.0);
    QCOMPARE(stats.bestMs(), 1.0);
    QCOMPARE(stats.lastMs(), 1.0);
    QVERIFY(near(stats.avgMs(), 41.0 / 9));
}

void TestTracerouteStatistics::lossCountsUnanswered()
{
    HopStatistics stats;
    stats.addSent(3);
    stats.addRtt(1.5);
    QVERIFY(near(stats.lossPercent(), 200.0 / 3));
    stats.addSent(5);
    stats.addRtt(1.5);
    stats.addRtt(2.5);
    // 3 of 8 answered.
    QVERIFY(near(stats.lossPercent(), 62.5));
    QVERIFY(near(stats.stddevMs(), std::sqrt(2.0 / 9)));
    stats.addRtt(-3); // a clock oddity never makes a negative RTT
    QCOMPARE(stats.bestMs(), 0.0);
}

void TestTracerouteStatistics::resetStartsAfresh()
{
    HopStatistics stats;
    stats.addSent(2);
    stats.addRtt(10);
    stats.reset();
    QCOMPARE(stats.sent(), 0);
    QVERIFY(!stats.hasRtt());
    stats.addSent();
    stats.addRtt(3);
    QCOMPARE(stats.bestMs(), 3.0);
    QCOMPARE(stats.worstMs(), 3.0);
}

void TestTracerouteStatistics::routeChanged_data()
{
    QTest::addColumn<QStringList>("previous");
    QTest::addColumn<bool>("previousReached");
    QTest::addColumn<QStringList>("current");
    QTest::addColumn<bool>("currentReached");
    QTest::addColumn<bool>("changed");

    const QStringList path{u"a"_s, u"b"_s, u"c"_s, u"d"_s};
    QTest::newRow("same") << path << true << path << true << false;
    QTest::newRow("silent hop now") << path << true << QStringList{u"a"_s, QString(), u"c"_s, u"d"_s} << true << false;
    QTest::newRow("silent hop before") << QStringList{u"a"_s, QString(), u"c"_s, u"d"_s} << true << path << true
                                       << false;
    QTest::newRow("other router") << path << true << QStringList{u"a"_s, u"x"_s, u"c"_s, u"d"_s} << true << true;
    QTest::newRow("shorter") << path << true << QStringList{u"a"_s, u"c"_s, u"d"_s} << true << true;
    QTest::newRow("one hop more") << path << true << QStringList{u"a"_s, u"b"_s, u"c"_s, u"e"_s, u"d"_s} << true
                                  << true;
    // Not reached: the path stops early but nothing seen contradicts the old one.
    QTest::newRow("cut short") << path << true << QStringList{u"a"_s, u"b"_s} << false << false;
    QTest::newRow("cut short, other") << path << true << QStringList{u"a"_s, u"y"_s} << false << true;
    // The destination's answers at TTL 4 all lost, so it first answered at 5: not a longer path.
    QTest::newRow("lost at destination") << path << true << QStringList{u"a"_s, u"b"_s, u"c"_s, QString(), u"d"_s}
                                         << true << false;
    QTest::newRow("lost at destination before")
        << QStringList{u"a"_s, u"b"_s, QString(), QString(), u"d"_s} << true << path << true << false;
    QTest::newRow("silent router, then shorter")
        << QStringList{u"a"_s, QString(), u"c"_s, u"d"_s} << true << QStringList{u"a"_s, u"d"_s} << true << true;
    QTest::newRow("both empty") << QStringList() << false << QStringList() << false << false;
}

void TestTracerouteStatistics::routeChanged()
{
    QFETCH(QStringList, previous);
    QFETCH(bool, previousReached);
    QFETCH(QStringList, current);
    QFETCH(bool, currentReached);
    QFETCH(bool, changed);
    QCOMPARE(StreamSwarm::Agent::routeChanged(previous, previousReached, current, currentReached), changed);
}

void TestTracerouteStatistics::pathText()
{
    QCOMPARE(StreamSwarm::Agent::pathText({u"10.0.0.1"_s, QString(), u"10.0.2.1"_s}), u"10.0.0.1 * 10.0.2.1"_s);
    QCOMPARE(StreamSwarm::Agent::pathText({}), QString());
}

void TestTracerouteStatistics::noLoss()
{
    const Attribution result = attributeLoss({hop(1, 0, 0.1), hop(2, 0, 0.2), hop(3, 0, 0.3)});
    QCOMPARE(result.lossTtl, 0);
    QCOMPARE(result.latencyTtl, 0);
    QVERIFY(result.rateLimitedTtls.isEmpty());
}

void TestTracerouteStatistics::rateLimitedHopIsNotLoss()
{
    // Hop 2 loses 60 % but hop 3 and the destination none: hop 2 rate-limits its ICMP answers.
    const Attribution result = attributeLoss({hop(1, 0, 0.1), hop(2, 60, 0.2), hop(3, 0, 0.3), hop(4, 0, 0.4)});
    QCOMPARE(result.lossTtl, 0);
    QCOMPARE(result.rateLimitedTtls, QList<int>{2});
}

void TestTracerouteStatistics::lossFromTheHopOn()
{
    // 30 % from hop 3 on (31 and 29 are noise around it): carried losses 0, 0, 29, 29, 29.
    const Attribution result
        = attributeLoss({hop(1, 0, 0.1), hop(2, 0, 0.2), hop(3, 30, 0.3), hop(4, 31, 0.4), hop(5, 29, 0.5)});
    QCOMPARE(result.lossTtl, 3);
    QCOMPARE(result.lossAddress, u"10.0.3.1"_s);
    QVERIFY(near(result.lossStepPct, 29));
    QVERIFY(result.rateLimitedTtls.isEmpty()); // 30 and 31 exceed the carried 29 by less than 2 points
}

void TestTracerouteStatistics::lossStepAfterRateLimitedHop()
{
    // Hop 1 rate-limits (50 %, hop 2 shows none), hop 3 drops 30 %, hop 4 also rate-limits (70 %).
    // Carried: 0, 0, 30, 30, 30; hop 1 exceeds its carried 0 by 50, hop 4 its 30 by 40.
    const Attribution result
        = attributeLoss({hop(1, 50, 0.1), hop(2, 0, 0.2), hop(3, 30, 0.3), hop(4, 70, 0.4), hop(5, 30, 0.5)});
    QCOMPARE(result.lossTtl, 3);
    QVERIFY(near(result.lossStepPct, 30));
    QCOMPARE(result.rateLimitedTtls, (QList<int>{1, 4}));
}

void TestTracerouteStatistics::smallNoiseIsNoStep()
{
    // 1.5 points at the destination only: below the 2-point threshold.
    const Attribution result = attributeLoss({hop(1, 0, 0.1), hop(2, 0, 0.2), hop(3, 1.5, 0.3)});
    QCOMPARE(result.lossTtl, 0);
    // A step of 3 at hop 2 and 5 more at hop 3: the first is named, with its own step.
    const Attribution steps = attributeLoss({hop(1, 0, 0.1), hop(2, 3, 0.2), hop(3, 8, 0.3)});
    QCOMPARE(steps.lossTtl, 2);
    QVERIFY(near(steps.lossStepPct, 3));
}

void TestTracerouteStatistics::latencyStep()
{
    // best RTTs 0.5, 0.7, 20.7 (a slow hop), 20.9 and a hop with 30 that the destination (21.0)
    // undercuts: the carried best is 0.5, 0.7, 20.7, 20.9, 21.0, 21.0, so the step is at hop 3, 20 ms.
    const Attribution result = attributeLoss(
        {hop(1, 0, 0.5), hop(2, 0, 0.7), hop(3, 0, 20.7), hop(4, 0, 20.9), hop(5, 0, 30), hop(6, 0, 21.0)});
    QCOMPARE(result.latencyTtl, 3);
    QCOMPARE(result.latencyAddress, u"10.0.3.1"_s);
    QVERIFY(near(result.latencyStepMs, 20));
    // A first hop 5 ms away is itself the step.
    const Attribution first = attributeLoss({hop(1, 0, 5), hop(2, 0, 5.2)});
    QCOMPARE(first.latencyTtl, 1);
    QVERIFY(near(first.latencyStepMs, 5));
}

void TestTracerouteStatistics::emptyPath()
{
    const Attribution result = attributeLoss({});
    QCOMPARE(result.lossTtl, 0);
    QCOMPARE(result.latencyTtl, 0);
}

QTEST_APPLESS_MAIN(TestTracerouteStatistics)

#include "tst_traceroutestatistics.moc"
