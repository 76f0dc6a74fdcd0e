// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
//
// Bit rates as users write them for the bandwidth test (iperf3's -b forms, link speeds), and back.
#include <QTest>

#include "shared/util/bitrate.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm;

class TestBitrate final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parsesWhatUsersWrite_data();
    void parsesWhatUsersWrite();
    void refusesWithTheFormsItTakes_data();
    void refusesWithTheFormsItTakes();
    void formatsForMessages_data();
    void formatsForMessages();
};

void TestBitrate::parsesWhatUsersWrite_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<qint64>("bitsPerSecond");
    QTest::newRow("plain") << u"500000"_s << qint64(500'000);
    QTest::newRow("iperf3 M") << u"100M"_s << qint64(100'000'000);
    QTest::newRow("lower case") << u"100m"_s << qint64(100'000'000);
    QTest::newRow("decimal G") << u"1.5G"_s << qint64(1'500'000'000);
    QTest::newRow("k") << u"64k"_s << qint64(64'000);
    QTest::newRow("Mbit") << u"50Mbit"_s << qint64(50'000'000);
    QTest::newRow("mbps") << u"50mbps"_s << qint64(50'000'000);
    QTest::newRow("spaced unit") << u" 10 Mbit/s "_s << qint64(10'000'000);
    QTest::newRow("b/s") << u"800b/s"_s << qint64(800);
}

void TestBitrate::parsesWhatUsersWrite()
{
    QFETCH(QString, text);
    QFETCH(qint64, bitsPerSecond);
    QString error;
    const auto parsed = parseBitrate(text, &error);
    QVERIFY2(parsed, qPrintable(error));
    QCOMPARE(*parsed, bitsPerSecond);
}

void TestBitrate::refusesWithTheFormsItTakes_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("empty") << QString();
    QTest::newRow("negative") << u"-5M"_s;
    QTest::newRow("bytes") << u"10MB"_s; // a size, not a rate: refused rather than read as bits
    QTest::newRow("unknown prefix") << u"10T"_s;
    QTest::newRow("two numbers") << u"10 20"_s;
    QTest::newRow("too big") << u"2000000G"_s;
}

void TestBitrate::refusesWithTheFormsItTakes()
{
    QFETCH(QString, text);
    QString error;
    QVERIFY(!parseBitrate(text, &error));
    QVERIFY2(error.contains(u"is not a bit rate"_s) && error.contains(u"100M"_s), qPrintable(error));
    QVERIFY(!parseBitrate(text)); // no error pointer: no crash
}

void TestBitrate::formatsForMessages_data()
{
    QTest::addColumn<qint64>("bitsPerSecond");
    QTest::addColumn<QString>("text");
    QTest::newRow("bits") << qint64(800) << u"800 bit/s"_s;
    QTest::newRow("kilo") << qint64(64'000) << u"64 kbit/s"_s;
    QTest::newRow("mega, decimal") << qint64(1'500'000) << u"1.5 Mbit/s"_s;
    QTest::newRow("giga") << qint64(100'000'000'000) << u"100 Gbit/s"_s;
}

void TestBitrate::formatsForMessages()
{
    QFETCH(qint64, bitsPerSecond);
    QFETCH(QString, text);
    QCOMPARE(formatBitrate(bitsPerSecond), text);
}

QTEST_GUILESS_MAIN(TestBitrate)
#include "tst_bitrate.moc"
