// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include <cmath>

#include <QTest>

#include "agent/probes/traceroute/traceroutestatistics.h"

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
    void routeChangedWithEcmp_data();
    void routeChangedWithEcmp();
    void pathText();
    void hopKeepsEveryAddress();
    void hopDropsLeastFrequentBeyondBound();
    void vanishedAfterEnoughMisses();
    void replacedRouterIsReportedLater();
    void relatedChangeNeedsLessEvidence();
    void alternationNeverVanishes();
    void onceSeenAddressIsKept();
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
    // Between the routers known before and after it, another router may be a balanced hop's other
    // branch: learnt, and reported once the old one stays silent (replacedRouterIsReportedLater).
    QTest::newRow("other router, same neighbours")
        << path << true << QStringList{u"a"_s, u"x"_s, u"c"_s, u"d"_s} << true << false;
    QTest::newRow("other router, and the next one")
        << path << true << QStringList{u"a"_s, u"x"_s, u"y"_s, u"d"_s} << true << true;
    QTest::newRow("other first router, next one silent")
        << path << true << QStringList{u"x"_s, QString(), u"c"_s, u"d"_s} << true << true;
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

void TestTracerouteStatistics::routeChangedWithEcmp_data()
{
    QTest::addColumn<QList<QStringList>>("known");
    QTest::addColumn<bool>("knownReached");
    QTest::addColumn<QList<QStringList>>("current");
    QTest::addColumn<bool>("currentReached");
    QTest::addColumn<bool>("changed");

    // Hop 2 balances over b1 and b2; both have been seen there.
    const QList<QStringList> known{{u"a"_s}, {u"b1"_s, u"b2"_s}, {u"c"_s}, {u"d"_s}};
    QTest::newRow("both again") << known << true << QList<QStringList>{{u"a"_s}, {u"b2"_s, u"b1"_s}, {u"c"_s}, {u"d"_s}}
                                << true << false;
    QTest::newRow("only the second this round")
        << known << true << QList<QStringList>{{u"a"_s}, {u"b2"_s}, {u"c"_s}, {u"d"_s}} << true << false;
    QTest::newRow("only the first this round")
        << known << true << QList<QStringList>{{u"a"_s}, {u"b1"_s}, {u"c"_s}, {u"d"_s}} << true << false;
    QTest::newRow("a third joins") << known << true
                                   << QList<QStringList>{{u"a"_s}, {u"b3"_s, u"b1"_s}, {u"c"_s}, {u"d"_s}} << true
                                   << false;
    QTest::newRow("another router, same neighbours")
        << known << true << QList<QStringList>{{u"a"_s}, {u"x"_s}, {u"c"_s}, {u"d"_s}} << true << false;
    QTest::newRow("another router, other neighbour")
        << known << true << QList<QStringList>{{u"a"_s}, {u"x"_s}, {u"y"_s}, {u"d"_s}} << true << true;
    QTest::newRow("silent balanced hop") << known << true << QList<QStringList>{{u"a"_s}, {}, {u"c"_s}, {u"d"_s}}
                                         << true << false;
    QTest::newRow("one hop more behind it")
        << known << true << QList<QStringList>{{u"a"_s}, {u"b1"_s}, {u"c"_s}, {u"e"_s}, {u"d"_s}} << true << true;
    QTest::newRow("behind it, the other branch's address")
        << known << true << QList<QStringList>{{u"a"_s}, {u"b2"_s}, {u"c2"_s}, {u"d"_s}} << true << false;
    QTest::newRow("behind it, a balanced hop answers from a third address")
        << QList<QStringList>{{u"a"_s}, {u"b1"_s, u"b2"_s}, {u"c1"_s, u"c2"_s}, {u"d"_s}} << true
        << QList<QStringList>{{u"a"_s}, {u"b1"_s}, {u"x"_s}, {u"d"_s}} << true << false;
    QTest::newRow("behind it, a balanced hop replaced, and the next one")
        << QList<QStringList>{{u"a"_s}, {u"b1"_s, u"b2"_s}, {u"c1"_s, u"c2"_s}, {u"d"_s}, {u"e"_s}} << true
        << QList<QStringList>{{u"a"_s}, {u"b1"_s}, {u"x"_s}, {u"y"_s}, {u"e"_s}} << true << true;
    QTest::newRow("behind a single router, another address, then the destination")
        << QList<QStringList>{{u"a"_s}, {u"b"_s}, {u"c1"_s}, {u"d"_s}} << true
        << QList<QStringList>{{u"a"_s}, {u"b"_s}, {u"c2"_s}, {u"d"_s}} << true << false;
    QTest::newRow("behind a single router, another address, then silence")
        << QList<QStringList>{{u"a"_s}, {u"b"_s}, {u"c1"_s}, {u"d"_s}} << true
        << QList<QStringList>{{u"a"_s}, {u"b"_s}, {u"c2"_s}, {}} << false << true;
    QTest::newRow("balanced last router, destination earlier")
        << QList<QStringList>{{u"a"_s}, {u"b1"_s, u"b2"_s}, {u"d"_s}} << true << QList<QStringList>{{u"a"_s}, {u"d"_s}}
        << true << true;
}

void TestTracerouteStatistics::routeChangedWithEcmp()
{
    QFETCH(QList<QStringList>, known);
    QFETCH(bool, knownReached);
    QFETCH(QList<QStringList>, current);
    QFETCH(bool, currentReached);
    QFETCH(bool, changed);
    QCOMPARE(StreamSwarm::Agent::routeChanged(known, knownReached, current, currentReached), changed);
}

void TestTracerouteStatistics::pathText()
{
    QCOMPARE(StreamSwarm::Agent::pathText({u"10.0.0.1"_s, QString(), u"10.0.2.1"_s}), u"10.0.0.1 * 10.0.2.1"_s);
    QCOMPARE(StreamSwarm::Agent::pathText(QStringList()), QString());
    QCOMPARE(StreamSwarm::Agent::pathText(QList<QStringList>{{u"a"_s}, {u"b1"_s, u"b2"_s}, {}}), u"a b1|b2 *"_s);
}

void TestTracerouteStatistics::hopKeepsEveryAddress()
{
    // Answers a 1 ms, b 2 ms, b 4 ms, a 3 ms, b 6 ms: b answered three times, a twice.
    HopRecord record;
    record.addSent(6);
    const QList<std::pair<QString, double>> answers{{u"a"_s, 1}, {u"b"_s, 2}, {u"b"_s, 4}, {u"a"_s, 3}, {u"b"_s, 6}};
    for (const auto &[address, ms] : answers)
        record.addAnswer(address, ms);
    QCOMPARE(record.primary(), u"b"_s);
    QCOMPARE(record.addresses(), (QStringList{u"b"_s, u"a"_s}));
    QCOMPARE(record.statistics().sent(), 6);
    QCOMPARE(record.statistics().received(), 5);
    QVERIFY(near(record.statistics().avgMs(), 16.0 / 5));
    QVERIFY(near(record.statistics().lossPercent(), 100.0 / 6));
    const HopRecord::Member &b = record.members().at(0);
    const HopRecord::Member &a = record.members().at(1);
    QCOMPARE(b.stats.received(), 3);
    QVERIFY(near(b.stats.avgMs(), 4));
    QCOMPARE(b.stats.bestMs(), 2.0);
    QCOMPARE(a.stats.received(), 2);
    QVERIFY(near(a.stats.avgMs(), 2));
    QCOMPARE(a.stats.bestMs(), 1.0);
    QVERIFY(record.overlaps({u"x"_s, u"a"_s}));
    QVERIFY(!record.overlaps({u"x"_s}));
    record.reset();
    QVERIFY(record.members().isEmpty());
    QCOMPARE(record.primary(), QString());
}

void TestTracerouteStatistics::hopDropsLeastFrequentBeyondBound()
{
    HopRecord record;
    record.addAnswer(u"main"_s, 1);
    record.addAnswer(u"main"_s, 1);
    for (int i = 0; i < HopRecord::MAX_MEMBERS; ++i)
        record.addAnswer(u"10.0.0.%1"_s.arg(i), 1);
    QCOMPARE(record.members().size(), HopRecord::MAX_MEMBERS);
    QCOMPARE(record.primary(), u"main"_s);
    QCOMPARE(record.members().constLast().address, u"10.0.0.15"_s); // the newest pushed out 10.0.0.14
    QVERIFY(!record.addresses().contains(u"10.0.0.14"_s));
    QCOMPARE(record.statistics().received(), 2 + HopRecord::MAX_MEMBERS); // every answer still counts
}

void TestTracerouteStatistics::vanishedAfterEnoughMisses()
{
    // a and b alternate for 20 answers (a first, b last), then only b answers. a's share after its first
    // answer: 9 of the 18 answers up to its last, 0.5, so it has gone once (1 - 0.5)^misses < 1e-6, which
    // first holds at 20 misses (0.5^19 = 1.9e-6, 0.5^20 = 9.5e-7). The alternation's last b is miss 1.
    HopRecord record;
    for (int i = 0; i < 20; ++i)
        record.addAnswer(i % 2 == 0 ? u"a"_s : u"b"_s, 1);
    for (int i = 0; i < 18; ++i)
        record.addAnswer(u"b"_s, 1);
    QVERIFY(record.vanished().isEmpty());
    // With a change proven elsewhere 1e-2 is enough, which 19 misses are well past.
    QCOMPARE(record.vanished(HopRecord::RELATED_MISS_PROBABILITY, HopRecord::RELATED_MIN_MISSES), QStringList{u"a"_s});
    record.addAnswer(u"b"_s, 1);
    QCOMPARE(record.vanished(), QStringList{u"a"_s});
    record.forget(u"a"_s);
    QCOMPARE(record.addresses(), QStringList{u"b"_s});
    QVERIFY(record.vanished().isEmpty()); // a lone address never "vanishes": silence is loss
    for (int i = 0; i < 50; ++i)
        record.addAnswer(u"b"_s, 1);
    QVERIFY(record.vanished().isEmpty());
}

void TestTracerouteStatistics::replacedRouterIsReportedLater()
{
    // b answered hop 2 for ten rounds of five probes; then x answers there between the same neighbours.
    // No change yet (it may be a balanced hop's other branch), x is learnt beside b, and once b has
    // stayed silent for MIN_MISSES answers (share 1: any miss is telling) it has gone: the change.
    const QList<QStringList> known{{u"a"_s}, {u"b"_s}, {u"c"_s}, {u"d"_s}};
    const QList<QStringList> now{{u"a"_s}, {u"x"_s}, {u"c"_s}, {u"d"_s}};
    QVERIFY(StreamSwarm::Agent::mayBeAnotherBranch(known, now, 1));
    QVERIFY(!StreamSwarm::Agent::routeChanged(known, true, now, true));
    HopRecord record;
    for (int i = 0; i < 50; ++i)
        record.addAnswer(u"b"_s, 1);
    int answers = 0;
    while (record.vanished().isEmpty() && answers < 100) {
        record.addAnswer(u"x"_s, 1);
        ++answers;
    }
    QCOMPARE(answers, HopRecord::MIN_MISSES);
    QCOMPARE(record.vanished(), QStringList{u"b"_s});
    // A balanced hop whose branches alternate never loses one this way.
    HopRecord balanced;
    for (int i = 0; i < 400; ++i) {
        balanced.addAnswer(i % 10 < 5 ? u"b"_s : u"x"_s, 1); // five probes of a round on one branch
        QVERIFY(balanced.vanished().isEmpty());
    }
}

void TestTracerouteStatistics::relatedChangeNeedsLessEvidence()
{
    // Share 0.5: 0.5^7 = 0.0078 is the first power below 1e-2, so 7 misses (5 at the least).
    HopRecord relaxed;
    for (int i = 0; i < 20; ++i)
        relaxed.addAnswer(i % 2 == 0 ? u"a"_s : u"b"_s, 1); // a's first miss: the last b
    for (int i = 0; i < 5; ++i)
        relaxed.addAnswer(u"b"_s, 1);
    const auto related = [&relaxed] {
        return relaxed.vanished(HopRecord::RELATED_MISS_PROBABILITY, HopRecord::RELATED_MIN_MISSES);
    };
    QVERIFY(related().isEmpty()); // 6 misses: 0.5^6 = 0.016
    relaxed.addAnswer(u"b"_s, 1);
    QCOMPARE(related(), QStringList{u"a"_s});
    QVERIFY(relaxed.vanished().isEmpty()); // alone, 7 misses prove nothing yet

    // An address seen twice in a row (share 1 after its first answer) goes after the least, 5 misses.
    HopRecord twice;
    twice.addAnswer(u"main"_s, 1);
    twice.addAnswer(u"b"_s, 1);
    twice.addAnswer(u"b"_s, 1);
    for (int i = 0; i < HopRecord::RELATED_MIN_MISSES - 1; ++i)
        twice.addAnswer(u"main"_s, 1);
    QVERIFY(twice.vanished(HopRecord::RELATED_MISS_PROBABILITY, HopRecord::RELATED_MIN_MISSES).isEmpty());
    twice.addAnswer(u"main"_s, 1);
    QCOMPARE(twice.vanished(HopRecord::RELATED_MISS_PROBABILITY, HopRecord::RELATED_MIN_MISSES), QStringList{u"b"_s});
}

void TestTracerouteStatistics::alternationNeverVanishes()
{

    // A fixed pattern with runs of up to 6 of one address, as hashing spreads probes over two paths:
    // neither address goes missing for anywhere near 20 answers, so neither vanishes.
    const QString pattern = u"aabbbabaaaaaabbabbbbbbaab"_s;
    HopRecord record;
    for (int i = 0; i < 1000; ++i) {
        record.addAnswer(pattern.at(i % pattern.size()) == u'a' ? u"a"_s : u"b"_s, 1);
        QVERIFY2(record.vanished().isEmpty(), qPrintable(QString::number(i)));
    }
    QCOMPARE(record.members().size(), 2);
}

void TestTracerouteStatistics::onceSeenAddressIsKept()
{
    // One answer tells nothing about an address's share: it is never judged gone.
    HopRecord record;
    record.addAnswer(u"rare"_s, 1);
    for (int i = 0; i < 500; ++i)
        record.addAnswer(u"main"_s, 1);
    QVERIFY(record.vanished().isEmpty());
    // Two answers in a row and then none: share 1 after the first, so the minimum of 12 misses decides.
    HopRecord twice;
    twice.addAnswer(u"main"_s, 1);
    twice.addAnswer(u"b"_s, 1);
    twice.addAnswer(u"b"_s, 1);
    for (int i = 0; i < HopRecord::MIN_MISSES - 1; ++i)
        twice.addAnswer(u"main"_s, 1);
    QVERIFY(twice.vanished().isEmpty());
    twice.addAnswer(u"main"_s, 1);
    QCOMPARE(twice.vanished(), QStringList{u"b"_s});
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
