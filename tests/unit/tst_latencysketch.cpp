// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
//
// LatencySketch: quantiles within 1 % of the value measured at that rank, merging, the count under a
// limit, and the stored form (round trip, and bytes that are not a sketch refused).
#include <cmath>
#include <random>

#include <QTest>

#include "console/storage/latencysketch.h"

using namespace StreamSwarm::Console;

class TestLatencySketch final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void quantilesWithinOnePercent_data();
    void quantilesWithinOnePercent();
    void mergedEqualsWhole();
    void countAtOrBelow();
    void zeroAndOddValues();
    void bytesRoundTrip();
    void refusesBytesThatAreNotASketch();
};

void TestLatencySketch::quantilesWithinOnePercent_data()
{
    QTest::addColumn<double>("median");
    QTest::addColumn<double>("spread");
    QTest::newRow("LAN, 0.3 ms") << 0.3 << 0.2;
    QTest::newRow("WAN, 40 ms") << 40.0 << 0.5;
    QTest::newRow("satellite, 600 ms, heavy tail") << 600.0 << 1.5;
}

void TestLatencySketch::quantilesWithinOnePercent()
{
    QFETCH(double, median);
    QFETCH(double, spread);
    std::mt19937_64 random(42);
    std::lognormal_distribution<double> latency(std::log(median), spread);
    std::vector<double> values(20'000);
    LatencySketch sketch;
    for (double &value : values) {
        value = latency(random);
        sketch.add(value);
    }
    std::sort(values.begin(), values.end());
    QCOMPARE(sketch.count(), qint64(values.size()));
    for (const double q : {0.0, 0.01, 0.25, 0.5, 0.9, 0.95, 0.99, 0.999, 1.0}) {
        const double truth = values[size_t(std::floor(q * double(values.size() - 1)))];
        const double estimate = *sketch.quantile(q);
        QVERIFY2(std::abs(estimate - truth) <= LatencySketch::RELATIVE_ACCURACY * truth * 1.0000001,
            qPrintable(QStringLiteral("q=%1: %2 against %3").arg(q).arg(estimate).arg(truth)));
    }
}

void TestLatencySketch::mergedEqualsWhole()
{
    LatencySketch whole, first, second;
    for (int i = 1; i <= 1000; ++i) {
        const double value = 0.1 * i;
        whole.add(value);
        (i % 3 ? first : second).add(value);
    }
    first.merge(second);
    QCOMPARE(first.count(), whole.count());
    QCOMPARE(first.toBytes(), whole.toBytes());
    QVERIFY(!LatencySketch().quantile(0.5));
}

void TestLatencySketch::countAtOrBelow()
{
    LatencySketch sketch;
    for (int i = 1; i <= 100; ++i)
        sketch.add(double(i)); // 1..100 ms
    // 25 values at or below 25 ms; only 25's own bin (2 % wide) is estimated.
    QVERIFY(std::abs(sketch.countAtOrBelow(25.0) - 25.0) <= 1.0);
    QCOMPARE(sketch.countAtOrBelow(1000.0), 100.0);
    QCOMPARE(sketch.countAtOrBelow(0.5), 0.0);
    QCOMPARE(sketch.countAtOrBelow(-1.0), 0.0);
    // Read from the stored bytes in place, the same counts (with the zero bin too).
    sketch.add(0.0, 7);
    const QByteArray bytes = sketch.toBytes();
    for (const double limit : {-1.0, 0.0, 0.5, 1.0, 24.9, 25.0, 25.3, 99.0, 1000.0})
        QCOMPARE(LatencySketch::countAtOrBelow(bytes, limit), std::optional(sketch.countAtOrBelow(limit)));
}

void TestLatencySketch::zeroAndOddValues()
{
    LatencySketch sketch;
    sketch.add(0.0, 3);
    sketch.add(-2.0); // a clock step backwards: counted with the zeros, never lost
    sketch.add(1e15); // beyond the last bin: kept there
    sketch.add(5.0, 0); // nothing
    QCOMPARE(sketch.count(), qint64(5));
    QCOMPARE(*sketch.quantile(0.0), 0.0);
    QCOMPARE(*sketch.quantile(0.5), 0.0);
    QVERIFY(*sketch.quantile(1.0) > 1e11);
    QCOMPARE(sketch.countAtOrBelow(0.0), 4.0);
}

void TestLatencySketch::bytesRoundTrip()
{
    LatencySketch sketch;
    sketch.add(0.0, 2);
    for (int i = 0; i < 500; ++i)
        sketch.add(0.05 * std::pow(1.03, i));
    const QByteArray bytes = sketch.toBytes();
    QVERIFY(bytes.size() < 1200); // about two bytes a bin
    const auto back = LatencySketch::fromBytes(bytes);
    QVERIFY(back);
    QCOMPARE(back->count(), sketch.count());
    QCOMPARE(back->toBytes(), bytes);
    for (const double q : {0.1, 0.5, 0.99})
        QCOMPARE(*back->quantile(q), *sketch.quantile(q));
    QCOMPARE(LatencySketch::fromBytes(LatencySketch().toBytes())->count(), qint64(0));
}

void TestLatencySketch::refusesBytesThatAreNotASketch()
{
    LatencySketch sketch;
    sketch.add(3.0);
    sketch.add(4.0);
    const QByteArray good = sketch.toBytes();
    QVERIFY(!LatencySketch::fromBytes(QByteArray()));
    QVERIFY(!LatencySketch::fromBytes(QByteArray(QByteArray(1, '\x02') + good.mid(1)))); // another version
    QVERIFY(!LatencySketch::fromBytes(good.left(good.size() - 1))); // cut short
    QVERIFY(!LatencySketch::fromBytes(QByteArray(good + '\x00'))); // trailing bytes
    QVERIFY(!LatencySketch::fromBytes(QByteArray::fromHex("01ffffffffffffffffffff"))); // absurd bin count
    QVERIFY(!LatencySketch::fromBytes(QByteArray::fromHex("01020a010101"))); // bins out of order
    QVERIFY(!LatencySketch::fromBytes(QByteArray::fromHex("0101f01501"))); // a bin past the last
    QVERIFY(!LatencySketch::fromBytes(QByteArray::fromHex("01010a00"))); // a count of zero
    // Counting in place refuses the same bytes, also where the damage lies past the limit's bin.
    QVERIFY(LatencySketch::countAtOrBelow(good, 3.5));
    QVERIFY(!LatencySketch::countAtOrBelow(good.left(good.size() - 1), 3.5));
    QVERIFY(!LatencySketch::countAtOrBelow(QByteArray(good + '\x00'), 3.5));
    QVERIFY(!LatencySketch::countAtOrBelow(QByteArray::fromHex("01020a010101"), 100.0));
}

QTEST_GUILESS_MAIN(TestLatencySketch)
#include "tst_latencysketch.moc"
