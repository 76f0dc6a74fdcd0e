// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include <cmath>

#include <QTest>

#include "agent/stamp/stampstatistics.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm::Agent;

namespace {

using Reflection = StampStatistics::Reflection;

// Every expected figure below was worked out by hand; the tolerance only absorbs binary rounding.
bool near(double actual, double expected)
{
    return std::abs(actual - expected) < 1e-9;
}

qint64 msToNs(double ms)
{
    return qRound64(ms * 1e6);
}

constexpr qint64 T0 = 1'700'000'000'000'000'000; // 2023-11-14T22:13:20Z in ns

// "0:0 2:1 1:2": the reflections in our arrival order, each as our seq:the reflector's seq.
QList<Reflection> parseArrivals(const QString &text)
{
    QList<Reflection> result;
    for (const QString &pair : text.split(u' ', Qt::SkipEmptyParts)) {
        Reflection reflection;
        reflection.senderSeq = pair.section(u':', 0, 0).toUInt();
        reflection.reflectorSeq = pair.section(u':', 1, 1).toUInt();
        reflection.t1Ns = T0 + qint64(reflection.senderSeq) * 10'000'000;
        reflection.t2Ns = reflection.t1Ns + 1'000'000;
        reflection.t3Ns = reflection.t2Ns + 10'000;
        reflection.t4Ns = reflection.t3Ns + 1'000'000;
        result.append(reflection);
    }
    return result;
}

} // namespace

class TestStampStatistics final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void classifiesDirections_data();
    void classifiesDirections();
    void saysWhatEachArrivalIs();
    void jitterPerDirection_data();
    void jitterPerDirection();
    void clockStepBetweenRoundsIsNoJitter();
    void nicSpanIsUsedForTheTwoWayDelay();
};

void TestStampStatistics::classifiesDirections_data()
{
    QTest::addColumn<int>("sent"); // our seqs 0 .. sent - 1
    QTest::addColumn<QString>("arrivals");
    QTest::addColumn<int>("received");
    QTest::addColumn<int>("lostThere");
    QTest::addColumn<int>("lostBack");
    QTest::addColumn<int>("reorderedThere");
    QTest::addColumn<int>("reorderedBack");
    QTest::addColumn<int>("duplicatesThere");
    QTest::addColumn<int>("duplicatesBack");

    QTest::newRow("all in order") << 5 << u"0:0 1:1 2:2 3:3 4:4"_s << 5 << 0 << 0 << 0 << 0 << 0 << 0;
    // The reflector received 0 2 1 3 4 (its numbering says so) and the replies kept that order.
    QTest::newRow("reordered there") << 5 << u"0:0 2:1 1:2 3:3 4:4"_s << 5 << 0 << 0 << 1 << 0 << 0 << 0;
    // The reflector received them in order; reply 2 overtook reply 1 on the way back.
    QTest::newRow("reordered back") << 5 << u"0:0 2:2 1:1 3:3 4:4"_s << 5 << 0 << 0 << 0 << 1 << 0 << 0;
    // Swapped there and swapped again back: our arrival order looks right, yet both ways reordered.
    QTest::newRow("reordered both ways") << 3 << u"0:0 1:2 2:1"_s << 3 << 0 << 0 << 1 << 1 << 0 << 0;
    // RFC 4737: each packet below the highest seq seen before it counts: 1 and 2 came after 3.
    QTest::newRow("two late there") << 4 << u"0:0 3:1 1:2 2:3"_s << 4 << 0 << 0 << 2 << 0 << 0 << 0;
    QTest::newRow("late back by two") << 4 << u"0:0 2:2 3:3 1:1"_s << 4 << 0 << 0 << 0 << 1 << 0 << 0;
    // Test packet 2 reached the reflector twice: two reflections, two reflector numbers.
    QTest::newRow("duplicated there") << 5 << u"0:0 1:1 2:2 2:3 3:4 4:5"_s << 5 << 0 << 0 << 0 << 0 << 1 << 0;
    // The copy came much later, after 3: a duplicate, not a reordering.
    QTest::newRow("late duplicate there") << 5 << u"0:0 1:1 2:2 3:3 1:4 4:5"_s << 5 << 0 << 0 << 0 << 0 << 1 << 0;
    // Reflection 1 reached us twice, the same numbers both times.
    QTest::newRow("duplicated back") << 5 << u"0:0 1:1 1:1 2:2 3:3 4:4"_s << 5 << 0 << 0 << 0 << 0 << 0 << 1;
    QTest::newRow("duplicated back, late") << 4 << u"0:0 1:1 2:2 3:3 0:0"_s << 4 << 0 << 0 << 0 << 0 << 0 << 1;
    QTest::newRow("duplicated both ways") << 3 << u"0:0 1:1 1:2 1:2 2:3"_s << 3 << 0 << 0 << 0 << 0 << 1 << 1;
    // 2 never reached the reflector: its numbering has no gap.
    QTest::newRow("lost there") << 5 << u"0:0 1:1 3:2 4:3"_s << 4 << 1 << 0 << 0 << 0 << 0 << 0;
    // Reflection 2 is missing from the reflector's numbering.
    QTest::newRow("lost back") << 5 << u"0:0 1:1 3:3 4:4"_s << 4 << 0 << 1 << 0 << 0 << 0 << 0;
    QTest::newRow("lost both ways") << 5 << u"0:0 2:1 4:3"_s << 3 << 1 << 1 << 0 << 0 << 0 << 0;
    // The very last reflection missing leaves no gap to see: it counts as lost there.
    QTest::newRow("lost at the end") << 3 << u"0:0 1:1"_s << 2 << 1 << 0 << 0 << 0 << 0 << 0;
    QTest::newRow("nothing back") << 3 << QString() << 0 << 3 << 0 << 0 << 0 << 0 << 0;
    // A late reply to an earlier round's packet took reflector number 1: that gap is no loss.
    QTest::newRow("not ours") << 2 << u"0:0 7:1 1:2"_s << 2 << 0 << 0 << 0 << 0 << 0 << 0;
    // The reflector's numbering wraps at 2^32: still in order, nothing lost.
    QTest::newRow("reflector numbers wrap")
        << 4 << u"0:4294967294 1:4294967295 2:0 3:1"_s << 4 << 0 << 0 << 0 << 0 << 0 << 0;
    QTest::newRow("wrap, reordered back")
        << 4 << u"0:4294967294 2:0 1:4294967295 3:1"_s << 4 << 0 << 0 << 0 << 1 << 0 << 0;
}

void TestStampStatistics::classifiesDirections()
{
    QFETCH(int, sent);
    QFETCH(QString, arrivals);
    StampStatistics statistics;
    statistics.startRound();
    for (int seq = 0; seq < sent; ++seq)
        statistics.addSent(quint32(seq));
    for (const Reflection &reflection : parseArrivals(arrivals))
        statistics.addReflection(reflection);
    statistics.finishRound();
    QCOMPARE(statistics.sent(), sent);
    QTEST(statistics.received(), "received");
    QTEST(statistics.lostThere(), "lostThere");
    QTEST(statistics.lostBack(), "lostBack");
    QTEST(statistics.reorderedThere(), "reorderedThere");
    QTEST(statistics.reorderedBack(), "reorderedBack");
    QTEST(statistics.duplicatesThere(), "duplicatesThere");
    QTEST(statistics.duplicatesBack(), "duplicatesBack");
    QCOMPARE(int(statistics.rttsMs().size()), statistics.received());
}

void TestStampStatistics::saysWhatEachArrivalIs()
{
    StampStatistics statistics;
    statistics.startRound();
    statistics.addSent(10);
    statistics.addSent(11);
    const QList<Reflection> arrivals = parseArrivals(u"10:0 10:0 10:1 9:2 11:3"_s);
    QCOMPARE(statistics.addReflection(arrivals.at(0)), StampStatistics::Arrival::First);
    QCOMPARE(statistics.addReflection(arrivals.at(1)), StampStatistics::Arrival::DuplicateBack);
    QCOMPARE(statistics.addReflection(arrivals.at(2)), StampStatistics::Arrival::DuplicateThere);
    QCOMPARE(statistics.addReflection(arrivals.at(3)), StampStatistics::Arrival::Foreign); // 9: an earlier round's
    QCOMPARE(statistics.addReflection(arrivals.at(4)), StampStatistics::Arrival::First);
    statistics.finishRound();
    // A new round forgets the old one's packets.
    statistics.startRound();
    QCOMPARE(statistics.addReflection(arrivals.at(4)), StampStatistics::Arrival::Foreign);
    QCOMPARE(statistics.duplicatesThere(), 0);
}

void TestStampStatistics::jitterPerDirection_data()
{
    QTest::addColumn<double>("offsetMs"); // the reflector's clock minus ours
    QTest::newRow("same clock") << 0.0;
    QTest::newRow("reflector 5 s ahead") << 5000.0;
    QTest::newRow("reflector 3.7 s behind") << -3700.0;
}

void TestStampStatistics::jitterPerDirection()
{
    // One-way delays there 1.0 1.2 1.0 1.5 ms, back 2.0 2.0 2.4 2.1 ms, 0.05 ms in the reflector, 10 ms
    // apart. RFC 3550 J += (|D| - J) / 16 by hand:
    //   there |D| = 0.2 0.2 0.5:  J = 0.0125, 0.02421875, 0.053955078125
    //   back  |D| = 0 0.4 0.3:    J = 0, 0.025, 0.0421875
    //   two-way 3.0 3.2 3.4 3.6 (reflector time taken out), |D| = 0.2 0.2 0.2: J = 0.035205078125
    // A constant offset between the clocks is in every one-way delta alike and cancels.
    QFETCH(double, offsetMs);
    const double there[] = {1.0, 1.2, 1.0, 1.5};
    const double back[] = {2.0, 2.0, 2.4, 2.1};
    StampStatistics statistics;
    statistics.startRound();
    for (quint32 seq = 0; seq < 4; ++seq)
        statistics.addSent(seq);
    for (quint32 seq = 0; seq < 4; ++seq) {
        Reflection reflection;
        reflection.senderSeq = seq;
        reflection.reflectorSeq = 100 + seq;
        reflection.t1Ns = T0 + qint64(seq) * 10'000'000;
        reflection.t2Ns = reflection.t1Ns + msToNs(there[seq] + offsetMs);
        reflection.t3Ns = reflection.t2Ns + msToNs(0.05);
        reflection.t4Ns = reflection.t3Ns - msToNs(offsetMs) + msToNs(back[seq]);
        QCOMPARE(statistics.addReflection(reflection), StampStatistics::Arrival::First);
    }
    statistics.finishRound();
    QVERIFY2(near(statistics.jitterThereMs(), 0.053955078125), qPrintable(QString::number(statistics.jitterThereMs())));
    QVERIFY2(near(statistics.jitterBackMs(), 0.0421875), qPrintable(QString::number(statistics.jitterBackMs())));
    QVERIFY2(near(statistics.jitterMs(), 0.035205078125), qPrintable(QString::number(statistics.jitterMs())));
    const std::vector<double> rtts{3.0, 3.2, 3.4, 3.6};
    QCOMPARE(statistics.rttsMs().size(), rtts.size());
    for (size_t i = 0; i < rtts.size(); ++i)
        QVERIFY2(near(statistics.rttsMs()[i], rtts[i]), qPrintable(QString::number(statistics.rttsMs()[i])));
}

void TestStampStatistics::clockStepBetweenRoundsIsNoJitter()
{
    // The reflector's clock moves 1 ms between two rounds (a step, or drift over the interval): every
    // one-way delta of round 2 is 1 ms off round 1's, on both paths, and the two-way delay is the same.
    StampStatistics statistics;
    for (int round = 0; round < 2; ++round) {
        statistics.startRound();
        for (quint32 i = 0; i < 3; ++i)
            statistics.addSent(quint32(round * 3) + i);
        for (quint32 i = 0; i < 3; ++i) {
            Reflection reflection;
            reflection.senderSeq = quint32(round * 3) + i;
            reflection.reflectorSeq = reflection.senderSeq;
            reflection.t1Ns = T0 + qint64(round) * 1'000'000'000 + qint64(i) * 10'000'000;
            reflection.t2Ns = reflection.t1Ns + msToNs(1.0 + round);
            reflection.t3Ns = reflection.t2Ns + msToNs(0.05);
            reflection.t4Ns = reflection.t3Ns + msToNs(2.0 - round);
            statistics.addReflection(reflection);
        }
        statistics.finishRound();
    }
    QCOMPARE(statistics.jitterThereMs(), 0.0);
    QCOMPARE(statistics.jitterBackMs(), 0.0);
    QCOMPARE(statistics.jitterMs(), 0.0);
}

void TestStampStatistics::nicSpanIsUsedForTheTwoWayDelay()
{
    StampStatistics statistics;
    statistics.startRound();
    statistics.addSent(1);
    Reflection reflection = parseArrivals(u"1:1"_s).first(); // 2.01 ms t4 - t1, 0.01 ms in the reflector
    reflection.localSpanNs = msToNs(1.51);
    statistics.addReflection(reflection);
    statistics.finishRound();
    QVERIFY(near(statistics.rttsMs().at(0), 1.5));
}

QTEST_APPLESS_MAIN(TestStampStatistics)
#include "tst_stampstatistics.moc"
