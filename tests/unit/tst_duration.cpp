// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include <ctime>

#include <QTest>

#include "shared/util/duration.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm;

namespace {

// 2026-11-26T08:00:00Z (date -u -d 2026-11-26T08:00:00Z +%s, times 1000).
constexpr qint64 NOW_MS = 1'795'680'000'000;
constexpr qint64 HOUR_MS = 3'600'000;
constexpr qint64 REJECTED = -1;

} // namespace

class TestDuration : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void parseDuration_data();
    void parseDuration();
    void parseDurationWithoutErrorPointer();
    void formatDuration_data();
    void formatDuration();
    void parseTimePoint_data();
    void parseTimePoint();
    void formatIsoUtcMs_data();
    void formatIsoUtcMs();
};

void TestDuration::initTestCase()
{
    // A local zone far from UTC, so "no offset means UTC" is really tested (POSIX form: no tzdata needed).
    qputenv("TZ", "XST-5:30");
    tzset();
}

void TestDuration::parseDuration_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<qint64>("expectedMs"); // REJECTED when it must fail
    QTest::addColumn<QString>("errorMentions");

    QTest::newRow("ms") << u"500ms"_s << qint64(500) << QString();
    QTest::newRow("one ms") << u"1ms"_s << qint64(1) << QString();
    QTest::newRow("s") << u"10s"_s << qint64(10'000) << QString();
    QTest::newRow("m") << u"5m"_s << qint64(300'000) << QString();
    QTest::newRow("h") << u"2h"_s << qint64(7'200'000) << QString();
    QTest::newRow("d") << u"7d"_s << qint64(604'800'000) << QString();
    QTest::newRow("zero s") << u"0s"_s << qint64(0) << QString();
    QTest::newRow("zero ms") << u"0ms"_s << qint64(0) << QString();
    QTest::newRow("surrounding spaces") << u"  10s  "_s << qint64(10'000) << QString();
    QTest::newRow("tab and newline") << u"\t2h\n"_s << qint64(7'200'000) << QString();
    // The largest day count whose milliseconds still leave room for a factor of 1000:
    // 9223372036854775807 / 86400000 / 1000 = 106751991 (integer division); 106751991 * 86400000.
    QTest::newRow("largest days") << u"106751991d"_s << qint64(9'223'372'022'400'000) << QString();

    QTest::newRow("empty") << QString() << REJECTED << u"empty"_s;
    QTest::newRow("only spaces") << u"   "_s << REJECTED << u"empty"_s;
    QTest::newRow("no unit") << u"10"_s << REJECTED << u"\"10\""_s;
    QTest::newRow("no number") << u"s"_s << REJECTED << u"\"s\""_s;
    QTest::newRow("no number ms") << u"ms"_s << REJECTED << u"\"ms\""_s;
    QTest::newRow("fraction") << u"1.5s"_s << REJECTED << u"\"1.5s\""_s;
    QTest::newRow("negative") << u"-5s"_s << REJECTED << u"\"-5s\""_s;
    QTest::newRow("plus sign") << u"+5s"_s << REJECTED << u"\"+5s\""_s;
    QTest::newRow("space before unit") << u"5 m"_s << REJECTED << u"\"5 m\""_s;
    QTest::newRow("space before ms") << u"5 ms"_s << REJECTED << u"\"5 ms\""_s;
    QTest::newRow("two units") << u"1h30m"_s << REJECTED << u"\"1h30m\""_s;
    QTest::newRow("upper case unit") << u"5S"_s << REJECTED << u"\"5S\""_s;
    QTest::newRow("long unit") << u"5min"_s << REJECTED << u"\"5min\""_s;
    QTest::newRow("exponent") << u"1e3s"_s << REJECTED << u"\"1e3s\""_s;
    QTest::newRow("hex") << u"0x10s"_s << REJECTED << u"\"0x10s\""_s;
    QTest::newRow("word") << u"soon"_s << REJECTED << u"\"soon\""_s;
    QTest::newRow("arabic-indic digit") << u"\u0665s"_s << REJECTED << u"\"\u0665s\""_s;
    QTest::newRow("trimmed in message") << u"  7x  "_s << REJECTED << u"\"7x\""_s;
    QTest::newRow("overflow days") << u"106751992d"_s << REJECTED << u"\"106751992d\" is too long"_s;
    QTest::newRow("overflow ms") << u"9223372036854775807ms"_s << REJECTED
                                 << u"\"9223372036854775807ms\" is too long"_s;
    QTest::newRow("beyond qint64") << u"99999999999999999999s"_s << REJECTED << u"\"99999999999999999999s\""_s;
}

void TestDuration::parseDuration()
{
    QFETCH(QString, text);
    QFETCH(qint64, expectedMs);
    QFETCH(QString, errorMentions);

    QString error = u"untouched"_s;
    const std::optional<qint64> result = parseDurationMs(text, &error);
    if (expectedMs != REJECTED) {
        QVERIFY2(result.has_value(), qPrintable(error));
        QCOMPARE(*result, expectedMs);
        return;
    }
    QVERIFY2(!result.has_value(), qPrintable(u"accepted as %1 ms"_s.arg(result.value_or(0))));
    QVERIFY2(error.contains(errorMentions), qPrintable(error));
    // One sentence that shows the accepted forms, except for the too-long case.
    if (!errorMentions.contains(u"too long"))
        QVERIFY2(error.contains(u"500ms, 10s, 5m, 2h or 7d"), qPrintable(error));
}

void TestDuration::parseDurationWithoutErrorPointer()
{
    QVERIFY(!parseDurationMs(u"nonsense", nullptr));
    QCOMPARE(parseDurationMs(u"3s", nullptr).value_or(-1), qint64(3000));
}

void TestDuration::formatDuration_data()
{
    QTest::addColumn<qint64>("ms");
    QTest::addColumn<QString>("expected");

    QTest::newRow("zero") << qint64(0) << u"0ms"_s;
    QTest::newRow("one ms") << qint64(1) << u"1ms"_s;
    QTest::newRow("999 ms") << qint64(999) << u"999ms"_s;
    QTest::newRow("1 s") << qint64(1000) << u"1s"_s;
    QTest::newRow("1.5 s") << qint64(1500) << u"1500ms"_s;
    QTest::newRow("90 s") << qint64(90'000) << u"90s"_s;
    QTest::newRow("1 m") << qint64(60'000) << u"1m"_s;
    QTest::newRow("90 m") << qint64(5'400'000) << u"90m"_s;
    QTest::newRow("1 h") << qint64(HOUR_MS) << u"1h"_s;
    QTest::newRow("25 h") << qint64(25 * HOUR_MS) << u"25h"_s;
    QTest::newRow("1 d") << qint64(86'400'000) << u"1d"_s;
    QTest::newRow("7 d") << qint64(604'800'000) << u"7d"_s;
    QTest::newRow("1 d and 1 ms") << qint64(86'400'001) << u"86400001ms"_s;
    QTest::newRow("366 d") << qint64(31'622'400'000) << u"366d"_s;
}

void TestDuration::formatDuration()
{
    QFETCH(qint64, ms);
    QFETCH(QString, expected);
    QCOMPARE(formatDurationMs(ms), expected);
}

void TestDuration::parseTimePoint_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<qint64>("expectedMs");

    QTest::newRow("iso Z") << u"2026-11-26T08:00:00Z"_s << true << NOW_MS;
    QTest::newRow("iso no zone is UTC") << u"2026-11-26T08:00:00"_s << true << NOW_MS;
    QTest::newRow("iso with ms") << u"2026-11-26T08:00:00.123Z"_s << true << NOW_MS + 123;
    QTest::newRow("iso +02:00") << u"2026-11-26T08:00:00+02:00"_s << true << NOW_MS - 2 * HOUR_MS;
    QTest::newRow("iso -05:00") << u"2026-11-26T08:00:00-05:00"_s << true << NOW_MS + 5 * HOUR_MS;
    QTest::newRow("date only") << u"2026-11-26"_s << true << NOW_MS - 8 * HOUR_MS;
    QTest::newRow("iso with spaces") << u"  2026-11-26T08:00:00Z "_s << true << NOW_MS;
    QTest::newRow("2h ago") << u"2h"_s << true << NOW_MS - 2 * HOUR_MS;
    QTest::newRow("90m ago") << u"90m"_s << true << NOW_MS - 5'400'000;
    QTest::newRow("7d ago") << u"7d"_s << true << NOW_MS - 7 * 24 * HOUR_MS;
    QTest::newRow("0s ago") << u"0s"_s << true << NOW_MS;

    QTest::newRow("garbage") << u"garbage"_s << false << qint64(0);
    QTest::newRow("empty") << QString() << false << qint64(0);
    QTest::newRow("negative duration") << u"-2h"_s << false << qint64(0);
    QTest::newRow("month 13") << u"2026-13-01T00:00:00Z"_s << false << qint64(0);
    QTest::newRow("hour 25") << u"2026-11-26T25:00:00Z"_s << false << qint64(0);
    QTest::newRow("number without unit") << u"10"_s << false << qint64(0);
    QTest::newRow("yesterday") << u"yesterday"_s << false << qint64(0);
}

void TestDuration::parseTimePoint()
{
    QFETCH(QString, text);
    QFETCH(bool, valid);
    QFETCH(qint64, expectedMs);

    const QDateTime now = QDateTime::fromMSecsSinceEpoch(NOW_MS, Qt::UTC);
    QString error;
    const std::optional<QDateTime> result = StreamSwarm::parseTimePoint(text, now, &error);
    if (!valid) {
        QVERIFY2(!result.has_value(), qPrintable(result ? result->toString(Qt::ISODateWithMs) : QString()));
        QVERIFY2(error.contains(u"\"%1\""_s.arg(text.trimmed())), qPrintable(error));
        QVERIFY2(error.contains(u"ISO 8601"), qPrintable(error));
        return;
    }
    QVERIFY2(result.has_value(), qPrintable(error));
    QVERIFY(result->isValid());
    QCOMPARE(result->toMSecsSinceEpoch(), expectedMs);
}

void TestDuration::formatIsoUtcMs_data()
{
    QTest::addColumn<qint64>("ms");
    QTest::addColumn<QString>("expected");

    QTest::newRow("epoch") << qint64(0) << u"1970-01-01T00:00:00.000Z"_s;
    QTest::newRow("now with ms") << NOW_MS + 123 << u"2026-11-26T08:00:00.123Z"_s;
    QTest::newRow("one ms before midnight") << NOW_MS + 16 * HOUR_MS - 1 << u"2026-11-26T23:59:59.999Z"_s;
}

void TestDuration::formatIsoUtcMs()
{
    QFETCH(qint64, ms);
    QFETCH(QString, expected);
    QCOMPARE(StreamSwarm::formatIsoUtcMs(ms), expected);
}

QTEST_APPLESS_MAIN(TestDuration)

#include "tst_duration.moc"
