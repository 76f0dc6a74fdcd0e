// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QCborMap>
#include <QList>
#include <QString>

namespace StreamSwarm::Protocol {

class FieldReader;

inline constexpr int MAX_DNS_ANSWERS = 100; // agents keep the first 100 records of an answer
inline constexpr int MAX_DNS_DATA_LENGTH = 1024; // a record's data as text; agents cut longer TXT data
inline constexpr int MAX_DNS_TYPE_LENGTH = 16; // "CNAME", "TYPE65535"
inline constexpr int MAX_DNS_RCODE_LENGTH = 16; // "NXDOMAIN", "RCODE15"
inline constexpr int MAX_DNS_NAME_LENGTH = 1024; // 255 bytes, some of them \DDD escaped when printed

// One record of an answer section, as dig prints it.
struct DnsRecord
{
    QString name; // "www.example.com."
    QString type; // "A", "MX" ... "TYPE99" for a type without a name
    qint64 ttl = 0; // seconds
    QString data; // "192.0.2.1", "10 mail.example.com.", "\"v=spf1 -all\"", "0 5 5060 sip.example.com."
};

// A dns round's detail: what was asked, who answered how, and the answer section.
struct DnsDetail
{
    static constexpr char16_t KIND[] = u"dns"; // the wire's "kind"

    QString query; // the name asked for, as sent ("1.0.0.127.in-addr.arpa" for a PTR of 127.0.0.1)
    QString queryType; // "A", "AAAA", "MX", "TXT", "NS", "SRV", "CNAME", "PTR"
    QString server; // the server that answered, or the last one asked: "127.0.0.1:53", "[::1]:5353"
    QString transport; // "udp" or "tcp"
    QString rcode; // "NOERROR", "NXDOMAIN", "SERVFAIL", "REFUSED" ...; empty when nothing answered
    qint64 sends = 0; // how often the query went out (tries, and once more over TCP after truncation)
    bool authoritative = false; // the AA flag of the answer
    bool truncatedUdp = false; // the UDP answer came truncated, so the query was asked again over TCP
    bool answersCut = false; // the answer held more records, or longer data, than the detail keeps
    QList<DnsRecord> answers;

    // The wire form's fields after "kind", and back (README.md beside details.h).
    void writeTo(QCborMap &map) const;
    static DnsDetail readFrom(const QCborMap &map, FieldReader &reader);
};

} // namespace StreamSwarm::Protocol
