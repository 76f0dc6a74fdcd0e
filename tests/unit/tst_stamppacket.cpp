// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include <QRandomGenerator>
#include <QTest>

#include "agent/stamp/stamppacket.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm::Agent::Stamp;

namespace {

quint8 byteAt(const QByteArray &bytes, int offset)
{
    return quint8(bytes.at(offset));
}

QByteArray hex(const char *text)
{
    return QByteArray::fromHex(text);
}

} // namespace

// STAMP packets byte by byte against the layouts of RFC 8762 section 4 and RFC 8972 section 4.
class TestStampPacket final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void senderLayout();
    void reflectorLayout();
    void ntpTimestamps();
    void ntpRoundTrip();
    void errorEstimate_data();
    void errorEstimate();
    void classOfServiceBits();
    void reflectFillsEveryField();
    void reflectKeepsThePacketLength();
    void refusesWhatIsNotStamp();
    void malformedTlvsAreJustPadding();
};

void TestStampPacket::senderLayout()
{
    SenderPacket packet;
    packet.seq = 0x01020304;
    packet.timestamp = 0x1122334455667788ULL;
    packet.errorEstimate = 0x8101;
    packet.ssid = 0xbeef;
    const QByteArray bytes = packet.encode();
    QCOMPARE(bytes.size(), 44);
    QCOMPARE(bytes.left(16),
        hex("01020304"
            "1122334455667788"
            "8101"
            "beef"));
    QCOMPARE(bytes.mid(16), QByteArray(28, '\0')); // MBZ
    const auto decoded = SenderPacket::decode(bytes);
    QVERIFY(decoded);
    QCOMPARE(decoded->seq, packet.seq);
    QCOMPARE(decoded->timestamp, packet.timestamp);
    QCOMPARE(decoded->errorEstimate, packet.errorEstimate);
    QCOMPARE(decoded->ssid, packet.ssid);
    QVERIFY(decoded->tlvs.isEmpty());
}

void TestStampPacket::reflectorLayout()
{
    ReflectorPacket packet;
    packet.seq = 9;
    packet.timestamp = 0x0a0b0c0d0e0f1011ULL;
    packet.errorEstimate = 0x0001;
    packet.ssid = 0x0102;
    packet.receiveTimestamp = 0x2122232425262728ULL;
    packet.senderSeq = 0x31323334;
    packet.senderTimestamp = 0x4142434445464748ULL;
    packet.senderErrorEstimate = 0x5152;
    packet.senderTtl = 61;
    const QByteArray bytes = packet.encode();
    QCOMPARE(bytes.size(), 44);
    QCOMPARE(bytes,
        hex("00000009"
            "0a0b0c0d0e0f1011"
            "0001"
            "0102"
            "2122232425262728"
            "31323334"
            "4142434445464748"
            "5152"
            "0000"
            "3d"
            "000000"));
    const auto decoded = ReflectorPacket::decode(bytes);
    QVERIFY(decoded);
    QCOMPARE(decoded->receiveTimestamp, packet.receiveTimestamp);
    QCOMPARE(decoded->senderSeq, packet.senderSeq);
    QCOMPARE(decoded->senderTimestamp, packet.senderTimestamp);
    QCOMPARE(decoded->senderErrorEstimate, packet.senderErrorEstimate);
    QCOMPARE(decoded->senderTtl, quint8(61));
}

void TestStampPacket::ntpTimestamps()
{
    // 1970-01-01 is 2,208,988,800 s after the NTP epoch (0x83AA7E80).
    QCOMPARE(ntpFromUnixNs(0), 0x83AA7E80ULL << 32);
    QCOMPARE(ntpFromUnixNs(500'000'000), (0x83AA7E80ULL << 32) | 0x80000000ULL);
    QCOMPARE(ntpFromUnixNs(250'000'000), (0x83AA7E80ULL << 32) | 0x40000000ULL);
    QCOMPARE(unixNsFromNtp((0x83AA7E80ULL << 32) | 0xC0000000ULL), qint64(750'000'000));
    // 2026-11-26T00:00:00Z = 1795651200 s since 1970.
    QCOMPARE(ntpFromUnixNs(1795651200LL * 1'000'000'000) >> 32, quint64(1795651200LL + 2208988800LL));
}

void TestStampPacket::ntpRoundTrip()
{
    QRandomGenerator random(8762);
    for (int i = 0; i < 10000; ++i) {
        const qint64 ns = 1'700'000'000'000'000'000LL + qint64(random.bounded(1'000'000'000)) * 1'000'000
            + random.bounded(1'000'000);
        QVERIFY(std::abs(unixNsFromNtp(ntpFromUnixNs(ns)) - ns) <= 1); // a fraction unit is 0.23 ns
    }
}

void TestStampPacket::errorEstimate_data()
{
    QTest::addColumn<qint64>("errorNs");
    QTest::newRow("1 ns") << qint64(1);
    QTest::newRow("1 us") << qint64(1000);
    QTest::newRow("100 us") << qint64(100'000);
    QTest::newRow("1 ms") << qint64(1'000'000);
    QTest::newRow("1 s") << qint64(1'000'000'000);
    QTest::newRow("1 h") << qint64(3600) * 1'000'000'000;
}

void TestStampPacket::errorEstimate()
{
    QFETCH(qint64, errorNs);
    for (bool synchronised : {true, false}) {
        const quint16 estimate = encodeErrorEstimate(errorNs, synchronised);
        QCOMPARE(isSynchronised(estimate), synchronised);
        QVERIFY((estimate & 0x4000) == 0); // Z = 0: NTP timestamps
        QVERIFY((estimate & 0xff) != 0); // a zero multiplier is not allowed
        const qint64 back = errorNsFromEstimate(estimate);
        // Never better than the truth, and within the format's precision (8-bit multiplier).
        QVERIFY2(back >= errorNs && back <= errorNs + errorNs / 64 + 2,
            qPrintable(u"%1 ns encoded as %2 ns"_s.arg(errorNs).arg(back)));
    }
    // By hand: multiplier 1, scale 0 is 2^-32 s = 0.2328 ns.
    QCOMPARE(errorNsFromEstimate(0x0001), qint64(1));
    QCOMPARE(errorNsFromEstimate(0x2001), qint64(1'000'000'000)); // 2^32 * 2^-32 s
}

void TestStampPacket::classOfServiceBits()
{
    // DSCP1 | ECN1 | DSCP2 | ECN2 | RP | reserved, packed as RFC 8972 section 4.4 (with erratum).
    ClassOfService cos;
    cos.dscp1 = 46; // EF
    cos.ecn1 = 2;
    QCOMPARE(encodeClassOfService(cos), hex("ba000000"));
    cos.dscp2 = 34; // AF41
    cos.ecn2 = 1;
    cos.rp = 1;
    QCOMPARE(encodeClassOfService(cos), hex("ba894000"));
    QCOMPARE(decodeClassOfService(hex("ba894000")), std::optional<ClassOfService>(cos));
    QCOMPARE(decodeClassOfService(hex("ffffffff"))->rp, quint8(3));
    QVERIFY(!decodeClassOfService(hex("ba00")));
}

void TestStampPacket::reflectFillsEveryField()
{
    SenderPacket test;
    test.seq = 7;
    test.timestamp = ntpFromUnixNs(1'795'651'200'123'456'789LL);
    test.errorEstimate = encodeErrorEstimate(1000, true);
    test.ssid = 42;
    test.setClassOfService({46, 0, 0, 0, 0});
    test.tlvs.append({0, 200, "abc"}); // a TLV we do not know
    test.tlvs.append({0, Tlv::TYPE_EXTRA_PADDING, QByteArray(16, '\0')});
    const QByteArray bytes = test.encode();
    QCOMPARE(bytes.size(), 44 + 8 + 7 + 20);

    Reception reception;
    reception.receiveTimestamp = test.timestamp + 1000;
    reception.errorEstimate = encodeErrorEstimate(5000, false);
    reception.ttl = 61;
    reception.tos = 0xb9; // EF with ECN 1
    const auto reply = reflect(bytes, reception, 100);
    QVERIFY(reply);
    QCOMPARE(reply->seq, quint32(100));
    QCOMPARE(reply->ssid, quint16(42));
    QCOMPARE(reply->senderSeq, quint32(7));
    QCOMPARE(reply->senderTimestamp, test.timestamp);
    QCOMPARE(reply->senderErrorEstimate, test.errorEstimate);
    QCOMPARE(reply->receiveTimestamp, reception.receiveTimestamp);
    QCOMPARE(reply->errorEstimate, reception.errorEstimate);
    QCOMPARE(reply->senderTtl, quint8(61));
    const QByteArray replyBytes = reply->encode();
    QCOMPARE(replyBytes.size(), bytes.size()); // symmetric: no amplification
    const auto decoded = ReflectorPacket::decode(replyBytes);
    QVERIFY(decoded);
    QCOMPARE(decoded->tlvs.size(), 3);
    const auto cos = decoded->classOfService();
    QVERIFY(cos);
    QCOMPARE(cos->dscp1, quint8(46));
    QCOMPARE(cos->dscp2, quint8(46));
    QCOMPARE(cos->ecn2, quint8(1));
    QCOMPARE(decoded->tlvs.at(1).type, quint8(200));
    QCOMPARE(decoded->tlvs.at(1).flags, Tlv::FLAG_UNRECOGNIZED);
    QCOMPARE(decoded->tlvs.at(1).value, QByteArray("abc"));
    QCOMPARE(decoded->tlvs.at(2).flags, quint8(0));
    QCOMPARE(byteAt(replyBytes, 40), quint8(61));
}

void TestStampPacket::reflectKeepsThePacketLength()
{
    // An RFC 8762 sender may pad with bytes that are not TLVs: the reply is just as long, zero-filled.
    SenderPacket test;
    test.seq = 1;
    const QByteArray bytes = test.encode() + QByteArray(100, '\xff');
    const auto reply = reflect(bytes, Reception{}, 0);
    QVERIFY(reply);
    const QByteArray replyBytes = reply->encode();
    QCOMPARE(replyBytes.size(), bytes.size());
    QCOMPARE(replyBytes.mid(44), QByteArray(100, '\0'));
}

void TestStampPacket::refusesWhatIsNotStamp()
{
    QVERIFY(!SenderPacket::decode(QByteArray(43, '\0')));
    QVERIFY(!SenderPacket::decode(QByteArray(MAX_PACKET_BYTES + 1, '\0')));
    QVERIFY(!reflect(QByteArray(10, 'x'), Reception{}, 0));
    QVERIFY(!ReflectorPacket::decode(QByteArray(20, '\0')));
    QVERIFY(SenderPacket::decode(QByteArray(MAX_PACKET_BYTES, '\0')));
}

void TestStampPacket::malformedTlvsAreJustPadding()
{
    SenderPacket test;
    QByteArray bytes = test.encode();
    bytes += hex("00040010"); // a CoS TLV claiming 16 bytes, with 2 behind it
    bytes += hex("ba00");
    const auto decoded = SenderPacket::decode(bytes);
    QVERIFY(decoded);
    QVERIFY(decoded->tlvs.isEmpty());
    QVERIFY(!decoded->classOfService());
    // A CoS TLV of the wrong length is returned marked malformed.
    SenderPacket odd;
    odd.tlvs.append({0, Tlv::TYPE_CLASS_OF_SERVICE, hex("ba00")});
    const auto reply = reflect(odd.encode(), Reception{}, 0);
    QVERIFY(reply);
    QCOMPARE(reply->tlvs.first().flags, Tlv::FLAG_MALFORMED);
}

QTEST_GUILESS_MAIN(TestStampPacket)
#include "tst_stamppacket.moc"
