// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include <QTest>

#include "console/storage/hourdays.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm::Console;

namespace {

constexpr qint64 DAY = HourDay::DAY_MS;
constexpr qint64 HOUR = HourDay::HOUR_MS;
constexpr qint64 MONDAY = 1'796'083'200'000; // a UTC midnight

RollupFigures hour(qint64 timeMs, qint64 count, bool latency)
{
    return RollupFigures{timeMs, count, 2.5 * double(count), 0.25, 7.75, latency ? std::optional(1.5) : std::nullopt,
        latency ? std::optional(6.0) : std::nullopt, latency ? std::optional(7.5) : std::nullopt,
        latency ? QByteArray("sketch-of-%1").replace("%1", QByteArray::number(count)) : QByteArray()};
}

QString text(const RollupFigures &figures)
{
    const auto optional = [](const std::optional<double> &value) {
        return value ? QString::number(*value) : u"-"_s;
    };
    return u"%1 n=%2 sum=%3 %4..%5 p=%6/%7/%8 %9"_s.arg((figures.timeMs - MONDAY) / HOUR)
        .arg(figures.count)
        .arg(figures.total)
        .arg(figures.lowest)
        .arg(figures.highest)
        .arg(optional(figures.p50), optional(figures.p95), optional(figures.p99), QString::fromLatin1(figures.sketch));
}

QStringList texts(const QList<RollupFigures> &hours)
{
    QStringList result;
    for (const RollupFigures &figures : hours)
        result.append(text(figures));
    return result;
}

} // namespace

class TestHourDay final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void roundTrip();
    void putKeepsTimeOrderAndReplaces();
    void damagedBytesYieldNothing_data();
    void damagedBytesYieldNothing();
    void daysBefore1970();
};

void TestHourDay::roundTrip()
{
    const QList<RollupFigures> hours{
        hour(MONDAY, 3600, true), hour(MONDAY + 5 * HOUR, 12, false), hour(MONDAY + 23 * HOUR, 1, true)};
    const QByteArray packed = HourDay::encode(MONDAY, hours);
    const auto decoded = HourDay::decode(MONDAY, packed);
    QVERIFY(decoded);
    QCOMPARE(texts(*decoded), texts(hours));
    QCOMPARE(texts(*decoded).at(1), u"5 n=12 sum=30 0.25..7.75 p=-/-/- "_s);
    QVERIFY(HourDay::decode(MONDAY, HourDay::encode(MONDAY, {})).value().isEmpty());
}

void TestHourDay::putKeepsTimeOrderAndReplaces()
{
    QList<RollupFigures> day;
    HourDay::put(day, hour(MONDAY + 7 * HOUR, 1, false));
    HourDay::put(day, hour(MONDAY + 2 * HOUR, 2, false));
    HourDay::put(day, hour(MONDAY + 9 * HOUR, 3, false));
    HourDay::put(day, hour(MONDAY + 7 * HOUR, 4, true)); // rolled up again, late rounds and all
    QCOMPARE(day.size(), 3);
    QCOMPARE(day.at(0).count, 2);
    QCOMPARE(day.at(1).count, 4);
    QCOMPARE(day.at(1).sketch, QByteArray("sketch-of-4"));
    QCOMPARE(day.at(2).count, 3);
}

void TestHourDay::damagedBytesYieldNothing_data()
{
    QTest::addColumn<QByteArray>("bytes");
    const QByteArray good = HourDay::encode(MONDAY, {hour(MONDAY, 10, true), hour(MONDAY + HOUR, 11, true)});
    QByteArray otherVersion = good;
    otherVersion[0] = 2;
    QByteArray hourOutOfDay = good;
    hourOutOfDay[1] = 24;
    QByteArray sketchTooLong = good;
    sketchTooLong[1 + 57] = char(0x7f);
    const QByteArray secondHourFirst = HourDay::encode(MONDAY, {hour(MONDAY + HOUR, 1, false), hour(MONDAY, 1, false)});
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("another version") << otherVersion;
    QTest::newRow("cut short") << good.left(good.size() - 3);
    QTest::newRow("hour 24") << hourOutOfDay;
    QTest::newRow("a sketch longer than the row") << sketchTooLong;
    QTest::newRow("hours out of order") << secondHourFirst;
    QTest::newRow("text") << QByteArray("not a packed day at all, just some text of a length");
}

void TestHourDay::damagedBytesYieldNothing()
{
    QFETCH(QByteArray, bytes);
    int calls = 0;
    QVERIFY(!HourDay::forEach(MONDAY, bytes, [&calls](const RollupFigures &) { ++calls; }));
    QCOMPARE(calls, 0);
    QVERIFY(!HourDay::decode(MONDAY, bytes));
}

void TestHourDay::daysBefore1970()
{
    QCOMPARE(HourDay::dayOf(MONDAY + 5 * HOUR), MONDAY);
    QCOMPARE(HourDay::dayOf(MONDAY), MONDAY);
    QCOMPARE(HourDay::dayOf(-1), -DAY);
    QCOMPARE(HourDay::dayOf(-DAY), -DAY);
    const auto decoded = HourDay::decode(-DAY, HourDay::encode(-DAY, {hour(-DAY + 3 * HOUR, 5, false)}));
    QVERIFY(decoded);
    QCOMPARE(decoded->constFirst().timeMs, -DAY + 3 * HOUR);
}

QTEST_GUILESS_MAIN(TestHourDay)
#include "tst_hourday.moc"
