// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "dns.h"

#include <QCborArray>

#include "shared/protocol/detailcodec.h"
#include "shared/protocol/fieldreader.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Protocol {

namespace {

constexpr int MAX_TRANSPORT_LENGTH = 8;
constexpr qint64 MAX_TTL = 0x7fffffff; // RFC 2181 8: a TTL with the top bit set counts as 0
constexpr qint64 MAX_SENDS = 1000;

QCborMap encodeRecord(const DnsRecord &record)
{
    return QCborMap{
        {u"name"_s, record.name}, {u"type"_s, record.type}, {u"ttl"_s, record.ttl}, {u"data"_s, record.data}};
}

DnsRecord readRecord(const QCborValue &value, FieldReader &reader)
{
    DnsRecord record;
    if (!value.isMap())
        return reader.fail(u"each answer must be a map"_s), record;
    const QCborMap map = value.toMap();
    record.name = reader.text(map, u"name"_s, MAX_DNS_NAME_LENGTH);
    record.type = reader.text(map, u"type"_s, MAX_DNS_TYPE_LENGTH);
    record.ttl = reader.count(map, u"ttl"_s, 0, MAX_TTL);
    record.data = reader.text(map, u"data"_s, MAX_DNS_DATA_LENGTH);
    return record;
}

} // namespace

void DnsDetail::writeTo(QCborMap &map) const
{
    map.insert(u"query"_s, query);
    map.insert(u"type"_s, queryType);
    map.insert(u"server"_s, server);
    map.insert(u"transport"_s, transport);
    if (!rcode.isEmpty())
        map.insert(u"rcode"_s, rcode);
    map.insert(u"sends"_s, sends);
    map.insert(u"authoritative"_s, authoritative);
    map.insert(u"truncated_udp"_s, truncatedUdp);
    if (answersCut)
        map.insert(u"answers_cut"_s, true);
    QCborArray records;
    for (const DnsRecord &record : answers)
        records.append(encodeRecord(record));
    map.insert(u"answers"_s, records);
}

DnsDetail DnsDetail::readFrom(const QCborMap &map, FieldReader &reader)
{
    DnsDetail detail;
    detail.query = reader.text(map, u"query"_s, MAX_DNS_NAME_LENGTH);
    detail.queryType = reader.text(map, u"type"_s, MAX_DNS_TYPE_LENGTH);
    detail.server = reader.text(map, u"server"_s, MAX_ADDRESS_LENGTH);
    detail.transport = reader.text(map, u"transport"_s, MAX_TRANSPORT_LENGTH);
    detail.rcode = reader.text(map, u"rcode"_s, MAX_DNS_RCODE_LENGTH, false);
    detail.sends = reader.count(map, u"sends"_s, 0, MAX_SENDS);
    detail.authoritative = reader.boolean(map, u"authoritative"_s);
    detail.truncatedUdp = reader.boolean(map, u"truncated_udp"_s);
    detail.answersCut = reader.optionalBoolean(map, u"answers_cut"_s).value_or(false);
    const QCborArray records = reader.array(map, u"answers"_s, MAX_DNS_ANSWERS);
    detail.answers.reserve(records.size());
    for (qsizetype i = 0; i < records.size() && reader.ok(); ++i) {
        reader.setContext(u"dns detail, answer %1: "_s.arg(i + 1));
        detail.answers.append(readRecord(records.at(i), reader));
    }
    reader.setContext(u"dns detail: "_s);
    return detail;
}

} // namespace StreamSwarm::Protocol
