// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <optional>

#include <QByteArray>
#include <QList>

// STAMP test packets (RFC 8762, unauthenticated mode) with the optional TLVs of RFC 8972 that we
// use: Class of Service (the DSCP and ECN a reflector received), and any other TLV carried back
// unchanged but marked unrecognised. Pure encoding; any thread.
namespace StreamSwarm::Agent::Stamp {

inline constexpr quint16 DEFAULT_PORT = 862; // IANA "stamp"
inline constexpr int BASE_PACKET_BYTES = 44;
inline constexpr int MAX_PACKET_BYTES = 1472; // one Ethernet frame of IPv4 and UDP: we never fragment

// 64-bit NTP timestamp: seconds since 1900 in the high half, binary fraction in the low half.
quint64 ntpFromUnixNs(qint64 unixNs);
qint64 unixNsFromNtp(quint64 ntp);

// RFC 4656 error estimate: S (clock synchronised to UTC), Z (0: NTP format), scale and multiplier
// such that the error is multiplier * 2^(scale - 32) seconds.
quint16 encodeErrorEstimate(qint64 errorNs, bool synchronised);
qint64 errorNsFromEstimate(quint16 estimate); // the largest error the estimate allows
inline bool isSynchronised(quint16 estimate)
{
    return (estimate & 0x8000) != 0;
}

struct ClassOfService
{
    quint8 dscp1 = 0; // asked for: the DSCP the reflector should use for its reply
    quint8 ecn1 = 0;
    quint8 dscp2 = 0; // as received at the reflector
    quint8 ecn2 = 0;
    quint8 rp = 0; // reverse path: 1 = the reflector did not use dscp1 for its reply

    bool operator==(const ClassOfService &other) const
    {
        return dscp1 == other.dscp1 && ecn1 == other.ecn1 && dscp2 == other.dscp2 && ecn2 == other.ecn2
            && rp == other.rp;
    }
};

// One TLV as found on the wire (RFC 8972 section 4: flags, type, length, value).
struct Tlv
{
    static constexpr quint8 FLAG_UNRECOGNIZED = 0x80;
    static constexpr quint8 FLAG_MALFORMED = 0x40;
    static constexpr quint8 FLAG_INTEGRITY = 0x20;
    static constexpr quint8 TYPE_EXTRA_PADDING = 1;
    static constexpr quint8 TYPE_CLASS_OF_SERVICE = 4;

    quint8 flags = 0;
    quint8 type = 0;
    QByteArray value;
};

struct SenderPacket
{
    quint32 seq = 0;
    quint64 timestamp = 0; // T1, NTP format
    quint16 errorEstimate = 0;
    quint16 ssid = 0;
    QList<Tlv> tlvs;

    QByteArray encode() const;
    static std::optional<SenderPacket> decode(const QByteArray &bytes);
    std::optional<ClassOfService> classOfService() const;
    void setClassOfService(const ClassOfService &cos);
};

struct ReflectorPacket
{
    quint32 seq = 0;
    quint64 timestamp = 0; // T3: when the reflector sent this reply
    quint16 errorEstimate = 0;
    quint16 ssid = 0;
    quint64 receiveTimestamp = 0; // T2: when the reflector received the test packet
    quint32 senderSeq = 0;
    quint64 senderTimestamp = 0; // T1, echoed
    quint16 senderErrorEstimate = 0;
    quint8 senderTtl = 0; // TTL or hop limit the test packet arrived with
    QList<Tlv> tlvs;
    int padTo = 0; // zero bytes after the TLVs up to this length: a reply as long as its test packet

    QByteArray encode() const;
    static std::optional<ReflectorPacket> decode(const QByteArray &bytes);
    std::optional<ClassOfService> classOfService() const;
};

QByteArray encodeClassOfService(const ClassOfService &cos);
std::optional<ClassOfService> decodeClassOfService(const QByteArray &value);

// The reflector's side of one exchange: the reply to a test packet received at T2 with the given
// TTL and DSCP/ECN, to be stamped T3. The reply is exactly as long as the test packet (RFC 8762
// symmetric size), so a reflector can never be used to amplify traffic.
struct Reception
{
    quint64 receiveTimestamp = 0;
    quint16 errorEstimate = 0;
    quint8 ttl = 0;
    quint8 tos = 0; // the whole TOS / traffic class byte: DSCP << 2 | ECN
};
std::optional<ReflectorPacket> reflect(const QByteArray &testPacket, const Reception &reception, quint32 reflectorSeq);

} // namespace StreamSwarm::Agent::Stamp
