// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include <cmath>
#include <cstring>

#include <linux/errqueue.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <QRandomGenerator>
#include <QTest>

#include "agent/platform/linux/controlmessages.h"
#include "agent/probes/ping/pingstatistics.h"
#include "shared/protocol/detailcodec.h"

using namespace Qt::StringLiterals;
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
    void rttSource_data();
    void rttSource();
    void timestampTally();
    void packetStamps();
    void transmitStampNumbers();
    void medianAndStddev_data();
    void medianAndStddev();
    void reordering();
    void icmpErrorsEndTheEcho();
    void icmpErrorDescriptions_data();
    void icmpErrorDescriptions();
    void jitterIsBitExactToReference();
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

void TestPingStatistics::rttSource_data()
{
    QTest::addColumn<qint64>("kernelSendReal");
    QTest::addColumn<qint64>("kernelReal");
    QTest::addColumn<qint64>("hardwareSend");
    QTest::addColumn<qint64>("hardwareReceive");
    QTest::addColumn<qint64>("rttNs");
    QTest::addColumn<TimestampSource>("source");

    // The NIC's clock is its own (here 3 s behind the wall clock); only differences count. 12.5 us.
    constexpr qint64 NIC = REAL - 3'000'000'000;
    QTest::newRow("hardware both ends") << REAL + 26'000 << REAL + 45'000 << NIC + 30'000 << NIC + 42'500
                                        << qint64(12'500) << TimestampSource::Hardware;
    // Only the receive end stamped by the NIC: the kernel's pair is used.
    QTest::newRow("hardware receive only")
        << REAL + 26'000 << REAL + 45'000 << qint64(0) << NIC + 42'500 << qint64(19'000) << TimestampSource::Kernel;
    // A NIC pair that runs backwards cannot be right: the kernel's pair is used.
    QTest::newRow("hardware backwards") << REAL + 26'000 << REAL + 45'000 << NIC + 42'500 << NIC + 30'000
                                        << qint64(19'000) << TimestampSource::Kernel;
    // A NIC pair longer than the monotonic send-to-read time (80 us) cannot be right either.
    QTest::newRow("hardware too long") << REAL + 26'000 << REAL + 45'000 << NIC << NIC + 90'000 << qint64(19'000)
                                       << TimestampSource::Kernel;
    QTest::newRow("kernel both ends") << REAL + 26'000 << REAL + 45'000 << qint64(0) << qint64(0) << qint64(19'000)
                                      << TimestampSource::Kernel;
    // Kernel receive, but the send end is our own clock read before sendto(): as good as the worse end.
    QTest::newRow("kernel receive only") << qint64(0) << REAL + 45'000 << qint64(0) << qint64(0) << qint64(45'000)
                                         << TimestampSource::User;
    QTest::newRow("no kernel stamps") << qint64(0) << qint64(0) << qint64(0) << qint64(0) << qint64(80'000)
                                      << TimestampSource::User;
    // A wall-clock step throws the kernel pair out: the monotonic time, from user space.
    QTest::newRow("step") << REAL + 26'000 << REAL - 999'955'000 << qint64(0) << qint64(0) << qint64(80'000)
                          << TimestampSource::User;
}

void TestPingStatistics::rttSource()
{
    QFETCH(qint64, kernelSendReal);
    QFETCH(qint64, kernelReal);
    QFETCH(qint64, hardwareSend);
    QFETCH(qint64, hardwareReceive);
    EchoTimestamps stamps;
    stamps.sendRealNs = REAL;
    stamps.sendMonoNs = MONO;
    stamps.kernelSendRealNs = kernelSendReal;
    stamps.kernelRealNs = kernelReal;
    stamps.readRealNs = REAL + 80'000;
    stamps.readMonoNs = MONO + 80'000;
    stamps.hardwareSendNs = hardwareSend;
    stamps.hardwareReceiveNs = hardwareReceive;
    const RttSample sample = selectRtt(stamps);
    QTEST(sample.ns, "rttNs");
    QTEST(sample.source, "source");
}

void TestPingStatistics::timestampTally()
{
    // The tally as a ping round's detail carries it.
    const auto encoded = [](const TimestampTally &tally) {
        return StreamSwarm::Protocol::encodeDetail(StreamSwarm::Protocol::PingDetail{tally, {}})
            .value(u"timestamps"_s)
            .toMap();
    };
    TimestampTally tally;
    QCOMPARE(tally.weakest(), TimestampSource::Kernel); // nothing measured, nothing to blame
    tally.add(TimestampSource::Hardware);
    tally.add(TimestampSource::Hardware);
    QCOMPARE(tally.weakest(), TimestampSource::Hardware);
    QCOMPARE(encoded(tally), (QCborMap{{u"source"_s, u"hardware"_s}, {u"hardware"_s, 2}})); // no zeros
    tally.add(TimestampSource::Kernel);
    QCOMPARE(tally.weakest(), TimestampSource::Kernel);
    tally.add(TimestampSource::User);
    QCOMPARE(tally.weakest(), TimestampSource::User);
    const QCborMap cbor = encoded(tally);
    QCOMPARE(cbor.value(u"source"_s).toString(), u"user"_s);
    QCOMPARE(cbor.value(u"hardware"_s).toInteger(), 2);
    QCOMPARE(cbor.value(u"kernel"_s).toInteger(), 1);
    QCOMPARE(cbor.value(u"user"_s).toInteger(), 1);
    QCOMPARE(tally.total(), 4);
}

// Control messages as the kernel lays them out: the parser must find each stamp and its source.
void TestPingStatistics::packetStamps()
{
    alignas(cmsghdr) unsigned char buffer[CMSG_SPACE(sizeof(scm_timestamping))] = {};
    auto *message = reinterpret_cast<cmsghdr *>(buffer);
    message->cmsg_level = SOL_SOCKET;
    message->cmsg_type = SCM_TIMESTAMPING;
    message->cmsg_len = CMSG_LEN(sizeof(scm_timestamping));
    scm_timestamping stamps{};
    stamps.ts[0] = {1'700'000'000, 123'456'789};
    std::memcpy(CMSG_DATA(message), &stamps, sizeof(stamps));

    PacketStamp stamp;
    QVERIFY(Platform::readPacketStamp(message, &stamp));
    QCOMPARE(stamp.source, TimestampSource::Kernel);
    QCOMPARE(stamp.ns, 1'700'000'000'123'456'789);
    QCOMPARE(stamp.hardwareNs, 0);

    stamps.ts[2] = {42, 5}; // the NIC's clock
    std::memcpy(CMSG_DATA(message), &stamps, sizeof(stamps));
    QVERIFY(Platform::readPacketStamp(message, &stamp));
    QCOMPARE(stamp.source, TimestampSource::Hardware);
    QCOMPARE(stamp.ns, 42'000'000'005);
    QCOMPARE(stamp.softwareNs, 1'700'000'000'123'456'789);

    // An empty SCM_TIMESTAMPING (e.g. hardware asked for but not given) is no stamp.
    std::memset(CMSG_DATA(message), 0, sizeof(stamps));
    PacketStamp untouched;
    QVERIFY(!Platform::readPacketStamp(message, &untouched));
    QCOMPARE(untouched.ns, 0);

    message->cmsg_type = SCM_TIMESTAMPNS;
    message->cmsg_len = CMSG_LEN(sizeof(timespec));
    const timespec ts{1'700'000'001, 7};
    std::memcpy(CMSG_DATA(message), &ts, sizeof(ts));
    QVERIFY(Platform::readPacketStamp(message, &stamp));
    QCOMPARE(stamp.source, TimestampSource::Kernel);
    QCOMPARE(stamp.ns, 1'700'000'001'000'000'007);

    message->cmsg_level = IPPROTO_IP; // someone else's message
    QVERIFY(!Platform::readPacketStamp(message, &stamp));
}

// The kernel numbers stamped sends from 0; a send it numbered that we never counted moves us on.
void TestPingStatistics::transmitStampNumbers()
{
    TransmitStampNumbers<quint16> numbers(3);
    numbers.sent(40);
    numbers.sent(41);
    QCOMPARE(numbers.find(0), std::optional<quint16>(40));
    QCOMPARE(numbers.find(1), std::optional<quint16>(41));
    QCOMPARE(numbers.find(0), std::optional<quint16>(40)); // kept: a NIC stamp may follow in its own message
    // Number 2 went to a send that failed after the kernel counted it: ours go on from 3.
    QCOMPARE(numbers.find(2), std::nullopt);
    numbers.sent(42);
    QCOMPARE(numbers.find(3), std::optional<quint16>(42));
    // Bounded: the fourth key clears the three before it.
    numbers.sent(43);
    QCOMPARE(numbers.find(4), std::optional<quint16>(43));
    QCOMPARE(numbers.find(0), std::nullopt);
    numbers.restart(); // a new socket
    numbers.sent(50);
    QCOMPARE(numbers.find(0), std::optional<quint16>(50));

    // The software and the NIC's stamps of one send, in two messages, end up together.
    PacketStamp stamp;
    stamp.merge(PacketStamp{1'000, TimestampSource::Kernel, 1'000, 0});
    QCOMPARE(stamp.source, TimestampSource::Kernel);
    stamp.merge(PacketStamp{77, TimestampSource::Hardware, 0, 77});
    QCOMPARE(stamp.softwareNs, 1'000);
    QCOMPARE(stamp.hardwareNs, 77);
    QCOMPARE(stamp.ns, 77);
    QCOMPARE(stamp.source, TimestampSource::Hardware);
}

void TestPingStatistics::medianAndStddev_data()
{
    QTest::addColumn<QList<double>>("rttsMs"); // replies to sequences 0, 1, 2 ... in this order
    QTest::addColumn<double>("medianMs");
    QTest::addColumn<double>("stddevMs");

    // mean 12; squares of deviations 4 + 0 + 1 + 9 = 14; sample variance 14/3
    QTest::newRow("even count") << QList<double>{10, 12, 11, 15} << 11.5 << 2.1602468994692869;
    // mean 5; deviations 1, 1, 0: sample variance 2/2 = 1
    QTest::newRow("odd count") << QList<double>{4, 6, 5} << 5.0 << 1.0;
    QTest::newRow("one reply") << QList<double>{7.25} << 7.25 << 0.0;
    QTest::newRow("none") << QList<double>{} << 0.0 << 0.0;
    // An outlier moves the mean, not the median. Mean 28; deviations -18, -17, -16, -15, 66;
    // squares 324 + 289 + 256 + 225 + 4356 = 5450; sample variance 5450/4 = 1362.5
    QTest::newRow("outlier") << QList<double>{10, 11, 12, 13, 94} << 12.0 << 36.912057650583117;
}

void TestPingStatistics::medianAndStddev()
{
    QFETCH(QList<double>, rttsMs);
    QFETCH(double, medianMs);
    QFETCH(double, stddevMs);
    PingStatistics stats(0);
    stats.addSent(int(rttsMs.size()) + 1); // one more, lost
    for (qsizetype i = 0; i < rttsMs.size(); ++i)
        QVERIFY(stats.addReply(quint16(i), msToNs(rttsMs.at(i))));
    QVERIFY2(near(stats.medianMs(), medianMs), qPrintable(QString::number(stats.medianMs(), 'g', 17)));
    QVERIFY2(near(stats.stddevMs(), stddevMs), qPrintable(QString::number(stats.stddevMs(), 'g', 17)));
    QCOMPARE(stats.reordered(), 0);
}

void TestPingStatistics::reordering()
{
    // Sent 10..15. Arrival: 10, 12, 11 (late: 12 came first), 14, 13 (late), 13 again (a duplicate, not
    // counted twice), 15, and 9 from the round before (ignored).
    PingStatistics stats(10);
    stats.addSent(6);
    for (const int sequence : {10, 12, 11, 14, 13, 13, 15, 9})
        stats.addReply(quint16(sequence), msToNs(1));
    QCOMPARE(stats.received(), 6);
    QCOMPARE(stats.reordered(), 2);
    QCOMPARE(stats.duplicates(), 1);
    QCOMPARE(stats.ignored(), 1);

    // Across the 16-bit wrap: sent 65535, 0, 1; 1 arrives before 0.
    PingStatistics wrapped(65535);
    wrapped.addSent(3);
    for (const int sequence : {65535, 1, 0})
        wrapped.addReply(quint16(sequence), msToNs(1));
    QCOMPARE(wrapped.reordered(), 1);
}

void TestPingStatistics::icmpErrorsEndTheEcho()
{
    PingStatistics stats(100);
    stats.addSent(4);
    QVERIFY(stats.addReply(100, msToNs(2)));
    QVERIFY(stats.addError(101));
    QVERIFY(!stats.addError(101)); // reported once
    QVERIFY(!stats.addError(100)); // already answered
    QVERIFY(!stats.addError(104)); // not sent by this round
    QVERIFY(!stats.addError(99));
    QCOMPARE(stats.errors(), 1);
    QCOMPARE(stats.received(), 1);
    QCOMPARE(stats.lossPercent(), 75.0); // an error is no reply
}

void TestPingStatistics::icmpErrorDescriptions_data()
{
    QTest::addColumn<bool>("v6");
    QTest::addColumn<int>("type");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("text");
    QTest::newRow("v4 net") << false << 3 << 0 << u"Network unreachable"_s;
    QTest::newRow("v4 host") << false << 3 << 1 << u"Host unreachable"_s;
    QTest::newRow("v4 prohibited") << false << 3 << 13 << u"Communication administratively prohibited"_s;
    QTest::newRow("v4 net prohibited") << false << 3 << 9 << u"Network administratively prohibited"_s;
    QTest::newRow("v4 frag") << false << 3 << 4 << u"Fragmentation needed"_s;
    QTest::newRow("v4 ttl") << false << 11 << 0 << u"TTL exceeded in transit"_s;
    QTest::newRow("v4 other") << false << 42 << 7 << u"ICMP error type 42 code 7"_s;
    QTest::newRow("v6 no route") << true << 1 << 0 << u"Network unreachable"_s;
    QTest::newRow("v6 prohibited") << true << 1 << 1 << u"Communication administratively prohibited"_s;
    QTest::newRow("v6 address") << true << 1 << 3 << u"Host unreachable"_s;
    QTest::newRow("v6 reject") << true << 1 << 6 << u"Reject route to destination"_s;
    QTest::newRow("v6 too big") << true << 2 << 0 << u"Packet too big"_s;
    QTest::newRow("v6 hop limit") << true << 3 << 0 << u"Hop limit exceeded in transit"_s;
}

void TestPingStatistics::icmpErrorDescriptions()
{
    QFETCH(bool, v6);
    QFETCH(int, type);
    QFETCH(int, code);
    QTEST(describeIcmpError(v6, type, code), "text");
}

void TestPingStatistics::jitterIsBitExactToReference()
{
    // RFC 3550 appendix A.8, written out plainly in double: J += (1/16) * (|D| - J).
    const auto reference = [](const QList<qint64> &rttsNs) {
        double jitter = 0;
        for (qsizetype i = 1; i < rttsNs.size(); ++i) {
            double d = double(rttsNs.at(i)) / 1e6 - double(rttsNs.at(i - 1)) / 1e6;
            if (d < 0)
                d = -d;
            jitter += (1.0 / 16.0) * (d - jitter);
        }
        return jitter;
    };
    QRandomGenerator random(20260101);
    for (int sequenceNumber = 0; sequenceNumber < 200; ++sequenceNumber) {
        const int length = 2 + int(random.bounded(3000));
        const qint64 baseNs = qint64(random.bounded(100'000'000)); // up to 100 ms
        const qint64 spreadNs = qint64(random.bounded(5'000'000)) + 1;
        QList<qint64> rttsNs;
        for (int i = 0; i < length; ++i)
            rttsNs.append(baseNs + qint64(random.bounded(quint32(spreadNs))));
        // Through the same path as the probe: one round's statistics, in send order, then the estimator.
        PingStatistics stats(quint16(random.bounded(65536)));
        stats.addSent(length);
        for (int i = 0; i < length; ++i)
            stats.addReply(quint16(stats.firstSequence() + i), rttsNs.at(i));
        JitterEstimator estimator;
        for (const double rtt : stats.rttsMsInSendOrder())
            estimator.addSample(rtt);
        const double ours = estimator.jitterMs();
        const double theirs = reference(rttsNs);
        QVERIFY2(std::memcmp(&ours, &theirs, sizeof(double)) == 0,
            qPrintable(u"sequence %1: %2 vs %3"_s.arg(sequenceNumber).arg(ours, 0, 'g', 17).arg(theirs, 0, 'g', 17)));
    }
}

QTEST_APPLESS_MAIN(TestPingStatistics)
#include "tst_pingstatistics.moc"
