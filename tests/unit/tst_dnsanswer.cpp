// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include <QTest>

#include "agent/probes/dns/dnsanswer.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm;
using StreamSwarm::Agent::DnsAnswer;

namespace {

// A hand-written answer: header (id 0x1234, QR AA, RCODE as given, one question), the question
// "ex.com A IN", then the given answer records.
QByteArray message(int rcode, int answers, const QByteArray &records)
{
    const QByteArray header = QByteArray::fromHex("1234") + QByteArray(1, char(0x84))
        + QByteArray(1, char(0x80 | rcode)) + QByteArray::fromHex("0001") + QByteArray(1, char(answers >> 8))
        + QByteArray(1, char(answers & 0xff)) + QByteArray::fromHex("00000000");
    return header
        + QByteArray::fromHex("026578036"
                              "36f6d0000010001")
        + QByteArray::fromHex(records.simplified().replace(' ', ""));
}

// A record owned by the question's name (a pointer to offset 12), of type and TTL, with data.
QByteArray record(const char *typeHex, const char *ttlHex, const QByteArray &dataHex)
{
    const QByteArray data = QByteArray::fromHex(dataHex);
    return "c00c " + QByteArray(typeHex) + " 0001 " + ttlHex + ' '
        + QByteArray::number(data.size() + 0x10000, 16).mid(1) + ' ' + dataHex;
}

} // namespace

// The answer section as dig prints it, and messages that do not read refused with a reason.
class TestDnsAnswer final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void records_data();
    void records();
    void header();
    void brokenMessages_data();
    void brokenMessages();
    void manyRecordsAreCut();
};

void TestDnsAnswer::records_data()
{
    QTest::addColumn<QByteArray>("records");
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("data");
    QTest::newRow("A") << record("0001", "0000012c", "c0000201") << u"A"_s << u"192.0.2.1"_s;
    QTest::newRow("AAAA") << record("001c", "0000012c", "20010db8000000000000000000000001") << u"AAAA"_s
                          << u"2001:db8::1"_s;
    QTest::newRow("MX, compressed") << record("000f", "0000012c", "000a 046d61696c c00c") << u"MX"_s
                                    << u"10 mail.ex.com."_s;
    QTest::newRow("TXT escapes") << record("0010", "0000012c", "05 612209 5c62 00") << u"TXT"_s
                                 << uR"("a\"\009\\b" "")"_s;
    QTest::newRow("SRV") << record("0021", "0000012c", "0000 0005 13c4 03736970 c00c") << u"SRV"_s
                         << u"0 5 5060 sip.ex.com."_s;
    QTest::newRow("PTR of the root") << record("000c", "0000012c", "00") << u"PTR"_s << u"."_s;
    QTest::newRow("unknown type") << record("0063", "0000012c", "0a000001") << u"TYPE99"_s << u"\\# 4 0A000001"_s;
    QTest::newRow("TTL with its top bit") << record("0001", "80000000", "c0000201") << u"A"_s << u"192.0.2.1"_s;
}

void TestDnsAnswer::records()
{
    QFETCH(QByteArray, records);
    DnsAnswer answer;
    QString error;
    QVERIFY2(DnsAnswer::parse(message(0, 1, records), &answer, &error), qPrintable(error));
    QCOMPARE(answer.records.size(), 1);
    QCOMPARE(answer.records.at(0).name, u"ex.com."_s);
    QTEST(answer.records.at(0).type, "type");
    QTEST(answer.records.at(0).data, "data");
    QCOMPARE(answer.records.at(0).ttl, QTest::currentDataTag() == QByteArray("TTL with its top bit") ? 0 : 300);
}

void TestDnsAnswer::header()
{
    DnsAnswer answer;
    QString error;
    QVERIFY2(DnsAnswer::parse(message(3, 0, {}), &answer, &error), qPrintable(error));
    QCOMPARE(answer.rcode, 3);
    QVERIFY(answer.authoritative);
    QVERIFY(!answer.truncated);
    QVERIFY(answer.records.isEmpty());
    QCOMPARE(Agent::dnsRcodeName(3), u"NXDOMAIN"_s);
    QCOMPARE(Agent::dnsRcodeName(12), u"RCODE12"_s);
    QCOMPARE(Agent::dnsTypeCode(u"SRV"), 33);
    QCOMPARE(Agent::dnsTypeCode(u"NONE"), 0);
}

void TestDnsAnswer::brokenMessages_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::newRow("short header") << QByteArray::fromHex("1234");
    QTest::newRow("record cut short") << message(0, 1, "c00c 0001 0001 0000");
    QTest::newRow("data past the end") << message(0, 1, "c00c 0001 0001 0000012c 0010 c0000201");
    QTest::newRow("pointer loop") << message(0, 1, record("000c", "0000012c", "c024") /* to itself */);
    QTest::newRow("pointer past the end") << message(0, 1, record("0005", "0000012c", "cfff"));
    QTest::newRow("A of 3 bytes") << message(0, 1, record("0001", "0000012c", "c00002"));
    QTest::newRow("TXT overrun") << message(0, 1, record("0010", "0000012c", "0561"));
    QTest::newRow("more answers than there are") << message(0, 2, record("0001", "0000012c", "c0000201"));
}

void TestDnsAnswer::brokenMessages()
{
    QFETCH(QByteArray, bytes);
    DnsAnswer answer;
    QString error;
    QVERIFY(!DnsAnswer::parse(bytes, &answer, &error));
    qInfo("%s", qPrintable(error));
    QVERIFY(!error.isEmpty());
}

void TestDnsAnswer::manyRecordsAreCut()
{
    QByteArray records;
    const int count = Protocol::MAX_DNS_ANSWERS + 5;
    for (int i = 0; i < count; ++i)
        records += record("0001", "0000003c", "c0000201") + ' ';
    DnsAnswer answer;
    QString error;
    QVERIFY2(DnsAnswer::parse(message(0, count, records), &answer, &error), qPrintable(error));
    QCOMPARE(answer.records.size(), Protocol::MAX_DNS_ANSWERS);
    QVERIFY(answer.cut);
}

QTEST_APPLESS_MAIN(TestDnsAnswer)
#include "tst_dnsanswer.moc"
