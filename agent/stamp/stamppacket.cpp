// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "stamppacket.h"

#include <cmath>

#include <QtEndian>

namespace StreamSwarm::Agent::Stamp {

namespace {

constexpr qint64 NTP_UNIX_OFFSET_S = 2208988800LL; // 1900-01-01 to 1970-01-01
constexpr qint64 NS_PER_S = 1'000'000'000LL;
constexpr int TLV_HEADER_BYTES = 4;
constexpr int COS_VALUE_BYTES = 4;

// TLVs from offset 44 on; nullopt when the rest is not a clean TLV list (then it is padding).
std::optional<QList<Tlv>> decodeTlvs(const QByteArray &bytes)
{
    QList<Tlv> tlvs;
    qsizetype at = BASE_PACKET_BYTES;
    while (at < bytes.size()) {
        if (bytes.size() - at < TLV_HEADER_BYTES)
            return std::nullopt;
        const auto *raw = reinterpret_cast<const uchar *>(bytes.constData() + at);
        Tlv tlv;
        tlv.flags = raw[0];
        tlv.type = raw[1];
        const quint16 length = qFromBigEndian<quint16>(raw + 2);
        if (tlv.type == 0 || bytes.size() - at - TLV_HEADER_BYTES < length)
            return std::nullopt;
        tlv.value = bytes.mid(at + TLV_HEADER_BYTES, length);
        tlvs.append(tlv);
        at += TLV_HEADER_BYTES + length;
    }
    return tlvs;
}

void appendTlvs(QByteArray &out, const QList<Tlv> &tlvs)
{
    for (const Tlv &tlv : tlvs) {
        char header[TLV_HEADER_BYTES];
        header[0] = char(tlv.flags);
        header[1] = char(tlv.type);
        qToBigEndian<quint16>(quint16(tlv.value.size()), header + 2);
        out.append(header, TLV_HEADER_BYTES);
        out.append(tlv.value);
    }
}

std::optional<ClassOfService> findClassOfService(const QList<Tlv> &tlvs)
{
    for (const Tlv &tlv : tlvs) {
        if (tlv.type == Tlv::TYPE_CLASS_OF_SERVICE)
            return decodeClassOfService(tlv.value);
    }
    return std::nullopt;
}

} // namespace

quint64 ntpFromUnixNs(qint64 unixNs)
{
    const qint64 seconds = unixNs / NS_PER_S;
    const qint64 remainderNs = unixNs % NS_PER_S;
    // Rounded to the nearest 2^-32 s (0.23 ns); a carry past the second goes into the seconds.
    quint64 fraction = (quint64(remainderNs) << 32) / quint64(NS_PER_S);
    if ((((quint64(remainderNs) << 32) % quint64(NS_PER_S)) * 2) >= quint64(NS_PER_S))
        ++fraction;
    return (quint64(seconds + NTP_UNIX_OFFSET_S) << 32) + fraction;
}

qint64 unixNsFromNtp(quint64 ntp)
{
    const qint64 seconds = qint64(ntp >> 32) - NTP_UNIX_OFFSET_S;
    const quint64 fraction = ntp & 0xffffffffULL;
    const qint64 ns = qint64((fraction * quint64(NS_PER_S) + (1ULL << 31)) >> 32);
    return seconds * NS_PER_S + ns;
}

quint16 encodeErrorEstimate(qint64 errorNs, bool synchronised)
{
    // error = multiplier * 2^(scale - 32) s. Round up: the estimate must never claim better than true.
    const double units = std::ceil(double(std::max<qint64>(errorNs, 1)) * 4.294967296);
    quint64 multiplier = quint64(std::max(1.0, units));
    int scale = 0;
    while (multiplier > 255 && scale < 63) {
        multiplier = (multiplier + 1) / 2;
        ++scale;
    }
    multiplier = std::min<quint64>(multiplier, 255);
    return quint16((synchronised ? 0x8000 : 0) | (scale << 8) | multiplier);
}

qint64 errorNsFromEstimate(quint16 estimate)
{
    const int scale = (estimate >> 8) & 0x3f;
    const double multiplier = estimate & 0xff;
    return qint64(std::ceil(multiplier * std::ldexp(1.0, scale - 32) * double(NS_PER_S)));
}

QByteArray encodeClassOfService(const ClassOfService &cos)
{
    QByteArray value(COS_VALUE_BYTES, '\0');
    value[0] = char(((cos.dscp1 & 0x3f) << 2) | (cos.ecn1 & 0x03));
    value[1] = char(((cos.dscp2 & 0x3f) << 2) | (cos.ecn2 & 0x03));
    value[2] = char((cos.rp & 0x03) << 6);
    return value;
}

std::optional<ClassOfService> decodeClassOfService(const QByteArray &value)
{
    if (value.size() != COS_VALUE_BYTES)
        return std::nullopt;
    const auto *raw = reinterpret_cast<const uchar *>(value.constData());
    ClassOfService cos;
    cos.dscp1 = raw[0] >> 2;
    cos.ecn1 = raw[0] & 0x03;
    cos.dscp2 = raw[1] >> 2;
    cos.ecn2 = raw[1] & 0x03;
    cos.rp = raw[2] >> 6;
    return cos;
}

QByteArray SenderPacket::encode() const
{
    QByteArray out(BASE_PACKET_BYTES, '\0'); // MBZ stays zero
    auto *raw = reinterpret_cast<uchar *>(out.data());
    qToBigEndian(seq, raw);
    qToBigEndian(timestamp, raw + 4);
    qToBigEndian(errorEstimate, raw + 12);
    qToBigEndian(ssid, raw + 14);
    appendTlvs(out, tlvs);
    return out;
}

std::optional<SenderPacket> SenderPacket::decode(const QByteArray &bytes)
{
    if (bytes.size() < BASE_PACKET_BYTES || bytes.size() > MAX_PACKET_BYTES)
        return std::nullopt;
    const auto *raw = reinterpret_cast<const uchar *>(bytes.constData());
    SenderPacket packet;
    packet.seq = qFromBigEndian<quint32>(raw);
    packet.timestamp = qFromBigEndian<quint64>(raw + 4);
    packet.errorEstimate = qFromBigEndian<quint16>(raw + 12);
    packet.ssid = qFromBigEndian<quint16>(raw + 14);
    // Bytes after the base packet that are not TLVs are plain padding (RFC 8762 senders may pad).
    packet.tlvs = decodeTlvs(bytes).value_or(QList<Tlv>());
    return packet;
}

std::optional<ClassOfService> SenderPacket::classOfService() const
{
    return findClassOfService(tlvs);
}

void SenderPacket::setClassOfService(const ClassOfService &cos)
{
    tlvs.removeIf([](const Tlv &tlv) { return tlv.type == Tlv::TYPE_CLASS_OF_SERVICE; });
    tlvs.append({0, Tlv::TYPE_CLASS_OF_SERVICE, encodeClassOfService(cos)});
}

QByteArray ReflectorPacket::encode() const
{
    QByteArray out(BASE_PACKET_BYTES, '\0');
    auto *raw = reinterpret_cast<uchar *>(out.data());
    qToBigEndian(seq, raw);
    qToBigEndian(timestamp, raw + 4);
    qToBigEndian(errorEstimate, raw + 12);
    qToBigEndian(ssid, raw + 14);
    qToBigEndian(receiveTimestamp, raw + 16);
    qToBigEndian(senderSeq, raw + 24);
    qToBigEndian(senderTimestamp, raw + 28);
    qToBigEndian(senderErrorEstimate, raw + 36);
    raw[40] = senderTtl;
    appendTlvs(out, tlvs);
    if (out.size() < padTo)
        out.append(QByteArray(padTo - out.size(), '\0'));
    return out;
}

std::optional<ReflectorPacket> ReflectorPacket::decode(const QByteArray &bytes)
{
    if (bytes.size() < BASE_PACKET_BYTES || bytes.size() > MAX_PACKET_BYTES)
        return std::nullopt;
    const auto *raw = reinterpret_cast<const uchar *>(bytes.constData());
    ReflectorPacket packet;
    packet.seq = qFromBigEndian<quint32>(raw);
    packet.timestamp = qFromBigEndian<quint64>(raw + 4);
    packet.errorEstimate = qFromBigEndian<quint16>(raw + 12);
    packet.ssid = qFromBigEndian<quint16>(raw + 14);
    packet.receiveTimestamp = qFromBigEndian<quint64>(raw + 16);
    packet.senderSeq = qFromBigEndian<quint32>(raw + 24);
    packet.senderTimestamp = qFromBigEndian<quint64>(raw + 28);
    packet.senderErrorEstimate = qFromBigEndian<quint16>(raw + 36);
    packet.senderTtl = raw[40];
    packet.tlvs = decodeTlvs(bytes).value_or(QList<Tlv>());
    return packet;
}

std::optional<ClassOfService> ReflectorPacket::classOfService() const
{
    return findClassOfService(tlvs);
}

std::optional<ReflectorPacket> reflect(const QByteArray &testPacket, const Reception &reception, quint32 reflectorSeq)
{
    const auto test = SenderPacket::decode(testPacket);
    if (!test)
        return std::nullopt;
    ReflectorPacket reply;
    reply.seq = reflectorSeq;
    reply.errorEstimate = reception.errorEstimate;
    reply.ssid = test->ssid;
    reply.receiveTimestamp = reception.receiveTimestamp;
    reply.senderSeq = test->seq;
    reply.senderTimestamp = test->timestamp;
    reply.senderErrorEstimate = test->errorEstimate;
    reply.senderTtl = reception.ttl;
    reply.padTo = int(testPacket.size());
    for (Tlv tlv : test->tlvs) {
        if (tlv.type == Tlv::TYPE_CLASS_OF_SERVICE) {
            auto cos = decodeClassOfService(tlv.value);
            if (!cos) {
                tlv.flags |= Tlv::FLAG_MALFORMED;
            } else {
                cos->dscp2 = reception.tos >> 2;
                cos->ecn2 = reception.tos & 0x03;
                cos->rp = 0;
                tlv.value = encodeClassOfService(*cos);
            }
        } else if (tlv.type != Tlv::TYPE_EXTRA_PADDING) {
            tlv.flags |= Tlv::FLAG_UNRECOGNIZED; // returned as it came, marked as not understood
        }
        reply.tlvs.append(tlv);
    }
    return reply;
}

} // namespace StreamSwarm::Agent::Stamp
