// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include <cmath>

#include <QTest>

#include "agent/probes/pingstatistics.h"

using namespace StreamSwarm::Agent;

namespace {

// Every expected figure below was worked out by hand; the tolerance only absorbs binary rounding.
bool near(double actual, double expected)
{
    return std::abs(actual - expected) < 1e-9;
}

qint64 msToNs(double ms)
{
    return qRound64(ms * 1e6);
}

// 2023-11-14T22:13:20Z and an arbitrary monotonic reading, in ns.
constexpr qint64 REAL = 1'700'000'000'000'000'000;
constexpr qint64 MONO = 5'000'000'000;

} // namespace

class TestPingStatistics : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void roundFigures_data();
    void roundFigures();
    void sendOrder();
    void jitter_data();
    void jitter();
    void jitterRunsAcrossRoundsAndResets();
    void rttSelection_data();
    void rttSelection();
};

void TestPingStatistics::roundFigures_data()
{
    QTest::addColumn<int>("firstSequence");
    QTest::addColumn<int>("sent");
    QTest::addColumn<QList<int>>("sequences"); // replies in arrival order
    QTest::addColumn<QList<double>>("rttsMs");
    QTest::addColumn<int>("received");
    QTest::addColumn<int>("duplicates");
    QTest::addColumn<int>("ignored");
    QTest::addColumn<bool>("hasRtt");
    QTest::addColumn<double>("minMs");
    QTest::addColumn<double>("avgMs");
    QTest::addColumn<double>("maxMs");
    QTest::addColumn<double>("mdevMs");
    QTest::addColumn<double>("lossPct");

    // mean 48/4 = 12; mean of squares (100+144+121+225)/4 = 147.5; mdev = sqrt(147.5-144) = sqrt(3.5)
    QTest::newRow("four replies") << 0 << 4 << QList<int>{0, 1, 2, 3} << QList<double>{10, 12, 11, 15} << 4 << 0 << 0
                                  << true << 10.0 << 12.0 << 15.0 << 1.8708286933869707 << 0.0;
    // 101 answered twice (25 ms is the duplicate, left out), 102 and 104 lost: 3 of 5 = 40 % loss.
    // RTTs 20, 30, 40: mean 30; mean of squares 2900/3; mdev = sqrt(2900/3 - 900) = sqrt(200/3)
    QTest::newRow("loss and a duplicate") << 100 << 5 << QList<int>{100, 101, 101, 103} << QList<double>{20, 30, 25, 40}
                                          << 3 << 1 << 0 << true << 20.0 << 30.0 << 40.0 << 8.1649658092772603 << 40.0;
    // This round owns 10, 11, 12: 9 is late from the round before, 13 was never sent by this round.
    // RTTs 1.5, 2.5: mean 2; mdev = sqrt((0.25+0.25)/2) = 0.5; loss 1 of 3 = 33.33 %
    QTest::newRow("late and future replies ignored")
        << 10 << 3 << QList<int>{9, 10, 13, 12} << QList<double>{50, 1.5, 3, 2.5} << 2 << 0 << 2 << true << 1.5 << 2.0
        << 2.5 << 0.5 << 33.333333333333333;
    // Owns 65534, 65535, 0, 1 (16-bit wrap); 65533 is late. RTTs 4, 6, 5: mean 5;
    // mdev = sqrt((1+1+0)/3) = sqrt(2/3); loss 1 of 4 = 25 %
    QTest::newRow("sequence wraps") << 65534 << 4 << QList<int>{65535, 0, 65533, 1} << QList<double>{4, 6, 9, 5} << 3
                                    << 0 << 1 << true << 4.0 << 5.0 << 6.0 << 0.81649658092772603 << 25.0;
    QTest::newRow("no reply") << 7 << 3 << QList<int>{} << QList<double>{} << 0 << 0 << 0 << false << 0.0 << 0.0 << 0.0
                              << 0.0 << 100.0;
    QTest::newRow("only duplicates of one reply") << 0 << 2 << QList<int>{1, 1, 1} << QList<double>{0.5, 0.6, 0.7} << 1
                                                  << 2 << 0 << true << 0.5 << 0.5 << 0.5 << 0.0 << 50.0;
    QTest::newRow("nothing sent") << 0 << 0 << QList<int>{0} << QList<double>{1} << 0 << 0 << 1 << false << 0.0 << 0.0
                                  << 0.0 << 0.0 << 0.0;
    // Loopback-sized values keep microsecond precision: 37, 41, 45 us; mean 41 us;
    // mdev = sqrt((16+0+16)/3) us = sqrt(32/3) us = 3.2659863237109 us
    QTest::newRow("microseconds") << 0 << 3 << QList<int>{0, 1, 2} << QList<double>{0.037, 0.041, 0.045} << 3 << 0 << 0
                                  << true << 0.037 << 0.041 << 0.045 << 0.0032659863237109 << 0.0;
}

void TestPingStatistics::roundFigures()
{
    QFETCH(int, firstSequence);
    QFETCH(int, sent);
    QFETCH(QList<int>, sequences);
    QFETCH(QList<double>, rttsMs);

    PingStatistics stats{quint16(firstSequence)};
    stats.addSent(sent);
    QCOMPARE(sequences.size(), rttsMs.size());
    for (qsizetype i = 0; i < sequences.size(); ++i)
        stats.addReply(quint16(sequences.at(i)), msToNs(rttsMs.at(i)));

    QCOMPARE(stats.sent(), sent);
    QTEST(stats.received(), "received");
    QTEST(stats.duplicates(), "duplicates");
    QTEST(stats.ignored(), "ignored");
    QTEST(stats.hasRtt(), "hasRtt");
    QFETCH(double, minMs);
    QFETCH(double, avgMs);
    QFETCH(double, maxMs);
    QFETCH(double, mdevMs);
    QFETCH(double, lossPct);
    QVERIFY2(near(stats.minMs(), minMs), qPrintable(QString::number(stats.minMs(), 'g', 17)));
    QVERIFY2(near(stats.avgMs(), avgMs), qPrintable(QString::number(stats.avgMs(), 'g', 17)));
    QVERIFY2(near(stats.maxMs(), maxMs), qPrintable(QString::number(stats.maxMs(), 'g', 17)));
    QVERIFY2(near(stats.mdevMs(), mdevMs), qPrintable(QString::number(stats.mdevMs(), 'g', 17)));
    QVERIFY2(near(stats.lossPercent(), lossPct), qPrintable(QString::number(stats.lossPercent(), 'g', 17)));
    QVERIFY(!std::isnan(stats.mdevMs()));
}

void TestPingStatistics::sendOrder()
{
    PingStatistics stats(40);
    stats.addSent(4);
    QVERIFY(stats.addReply(42, msToNs(3)));
    QVERIFY(stats.addReply(40, msToNs(1)));
    QVERIFY(stats.addReply(43, msToNs(4)));
    QVERIFY(stats.addReply(41, msToNs(2)));
    QVERIFY(stats.addReply(41, msToNs(9))); // duplicate: not a sample
    QVERIFY(!stats.addReply(44, msToNs(5)));
    QVERIFY(stats.isAnswered(41));
    QVERIFY(!stats.isAnswered(44));
    QCOMPARE(stats.rttsMsInSendOrder(), (QList<double>{1, 2, 3, 4}));
}

void TestPingStatistics::jitter_data()
{
    QTest::addColumn<QList<double>>("samplesMs");
    QTest::addColumn<QList<double>>("expected"); // J after each sample; -1 = no value yet

    // D = 2: J = 2/16 = 0.125; D = 1: J = 0.125 + 0.875/16 = 0.1796875;
    // D = 4: J = 0.1796875 + 3.8203125/16 = 0.41845703125
    QTest::newRow("rfc3550 steps") << QList<double>{10, 12, 11, 15}
                                   << QList<double>{-1, 0.125, 0.1796875, 0.41845703125};
    QTest::newRow("constant rtt") << QList<double>{5, 5, 5} << QList<double>{-1, 0, 0};
    QTest::newRow("one sample") << QList<double>{7} << QList<double>{-1};
    // D = 16: J = 1; D = 0: J = 1 - 1/16 = 0.9375; D = 32: J = 0.9375 + 31.0625/16 = 2.87890625
    QTest::newRow("falling then rising") << QList<double>{20, 4, 4, 36} << QList<double>{-1, 1, 0.9375, 2.87890625};
}

void TestPingStatistics::jitter()
{
    QFETCH(QList<double>, samplesMs);
    QFETCH(QList<double>, expected);
    JitterEstimator estimator;
    QVERIFY(!estimator.hasValue());
    for (qsizetype i = 0; i < samplesMs.size(); ++i) {
        estimator.addSample(samplesMs.at(i));
        QCOMPARE(estimator.sampleCount(), qint64(i + 1));
        if (expected.at(i) < 0) {
            QVERIFY(!estimator.hasValue());
        } else {
            QVERIFY(estimator.hasValue());
            QVERIFY2(
                near(estimator.jitterMs(), expected.at(i)), qPrintable(QString::number(estimator.jitterMs(), 'g', 17)));
        }
    }
}

void TestPingStatistics::jitterRunsAcrossRoundsAndResets()
{
    // Two rounds {10, 12} and {11, 15} give the same running value as one sequence of four.
    JitterEstimator estimator;
    PingStatistics first(0);
    first.addSent(2);
    first.addReply(0, msToNs(10));
    first.addReply(1, msToNs(12));
    for (const double rtt : first.rttsMsInSendOrder())
        estimator.addSample(rtt);
    PingStatistics lost(2);
    lost.addSent(3); // a round with no replies adds no samples
    for (const double rtt : lost.rttsMsInSendOrder())
        estimator.addSample(rtt);
    QVERIFY(near(estimator.jitterMs(), 0.125));
    PingStatistics second(5);
    second.addSent(2);
    second.addReply(5, msToNs(11));
    second.addReply(6, msToNs(15));
    for (const double rtt : second.rttsMsInSendOrder())
        estimator.addSample(rtt);
    QVERIFY(near(estimator.jitterMs(), 0.41845703125));

    estimator.reset();
    QVERIFY(!estimator.hasValue());
    QCOMPARE(estimator.sampleCount(), qint64(0));
    estimator.addSample(3);
    estimator.addSample(1);
    QVERIFY(near(estimator.jitterMs(), 0.125));
}

void TestPingStatistics::rttSelection_data()
{
    QTest::addColumn<qint64>("sendReal");
    QTest::addColumn<qint64>("sendMono");
    QTest::addColumn<qint64>("kernelSendReal");
    QTest::addColumn<qint64>("kernelReal");
    QTest::addColumn<qint64>("readReal");
    QTest::addColumn<qint64>("readMono");
    QTest::addColumn<qint64>("rttNs");

    // Kernel stamp 30 us after the send, we read 80 us after it: the kernel's 30 us is the RTT.
    QTest::newRow("kernel stamp") << REAL << MONO << qint64(0) << REAL + 30'000 << REAL + 80'000 << MONO + 80'000
                                  << qint64(30'000);
    QTest::newRow("no kernel stamp") << REAL << MONO << qint64(0) << qint64(0) << REAL + 80'000 << MONO + 80'000
                                     << qint64(80'000);
    // The wall clock stepped back 1 s between send and reply: kernel RTT -999.97 ms, use 80 us.
    QTest::newRow("step back, negative") << REAL << MONO << qint64(0) << REAL - 999'970'000 << REAL - 999'920'000
                                         << MONO + 80'000 << qint64(80'000);
    // Stepped forward 1 s: kernel RTT 1000.03 ms > monotonic 80 us.
    QTest::newRow("step forward, absurd")
        << REAL << MONO << qint64(0) << REAL + 1'000'030'000 << REAL + 1'000'080'000 << MONO + 80'000 << qint64(80'000);
    // Stepped back 5 ms during a 20 ms RTT: kernel says 15 ms, plausible but wrong; the 5 ms drift
    // against the monotonic clock exceeds 100 us + 20.05 ms / 1000 = 120.05 us, so 20.05 ms is used.
    QTest::newRow("small step back") << REAL << MONO << qint64(0) << REAL + 15'000'000 << REAL + 15'050'000
                                     << MONO + 20'050'000 << qint64(20'050'000);
    // NTP slewing the wall clock 500 ppm slow over a 1 s RTT: 1000.1 ms monotonic reads 999.59995 ms wall
    // (drift -500.05 us, allowed 100 us + 1000.1 us); the kernel's 999.5 ms stands.
    QTest::newRow("slew tolerated") << REAL << MONO << qint64(0) << REAL + 999'500'000 << REAL + 999'599'950
                                    << MONO + 1'000'100'000 << qint64(999'500'000);
    // Kernel transmit stamp 26 us after our clock read, receive stamp 45 us after it: 19 us.
    QTest::newRow("kernel send stamp") << REAL << MONO << REAL + 26'000 << REAL + 45'000 << REAL + 80'000
                                       << MONO + 80'000 << qint64(19'000);
    // A transmit stamp before our own send stamp belongs to another echo: ours is used, 45 us.
    QTest::newRow("send stamp too early")
        << REAL << MONO << REAL - 5'000'000 << REAL + 45'000 << REAL + 80'000 << MONO + 80'000 << qint64(45'000);
    // One after the reply arrived cannot be ours either: 45 us.
    QTest::newRow("send stamp after reply")
        << REAL << MONO << REAL + 50'000 << REAL + 45'000 << REAL + 80'000 << MONO + 80'000 << qint64(45'000);
    // Without a receive stamp the transmit stamp alone is no use: monotonic 80 us.
    QTest::newRow("send stamp only") << REAL << MONO << REAL + 26'000 << qint64(0) << REAL + 80'000 << MONO + 80'000
                                     << qint64(80'000);
    // The wall clock stepped back 1 s between the two kernel stamps: monotonic 80 us.
    QTest::newRow("step between kernel stamps")
        << REAL << MONO << REAL + 26'000 << REAL - 999'955'000 << REAL - 999'920'000 << MONO + 80'000 << qint64(80'000);
    QTest::newRow("never negative") << REAL << MONO << qint64(0) << qint64(0) << REAL << MONO - 5 << qint64(0);
}

void TestPingStatistics::rttSelection()
{
    EchoTimestamps stamps;
    QFETCH(qint64, sendReal);
    QFETCH(qint64, sendMono);
    QFETCH(qint64, kernelSendReal);
    QFETCH(qint64, kernelReal);
    QFETCH(qint64, readReal);
    QFETCH(qint64, readMono);
    stamps.sendRealNs = sendReal;
    stamps.sendMonoNs = sendMono;
    stamps.kernelSendRealNs = kernelSendReal;
    stamps.kernelRealNs = kernelReal;
    stamps.readRealNs = readReal;
    stamps.readMonoNs = readMono;
    QTEST(selectRttNs(stamps), "rttNs");
}

QTEST_APPLESS_MAIN(TestPingStatistics)
#include "tst_pingstatistics.moc"
