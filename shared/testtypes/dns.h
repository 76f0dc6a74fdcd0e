// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QHostAddress>
#include <QString>

#include "shared/protocol/messages.h"
#include "shared/testtypes/testtype.h"

namespace StreamSwarm::Validation {

// Dns parameters after defaults, for the probe and for checks.
struct DnsParams
{
    QString queryName; // as sent: the target, or for PTR of an IP address its reverse name
    QString queryType = QStringLiteral("A"); // one of the descriptor's choices
    QHostAddress server; // null: the system's resolvers (/etc/resolv.conf)
    quint16 serverPort = 53;
    qint64 timeoutMs = 5000; // the whole lookup, every try included
    bool tcp = false; // ask over TCP from the start
    bool recurse = true; // the RD flag
};

bool parseDnsParams(const Protocol::TestSpec &spec, DnsParams *params, QString *error);

// "4.3.2.1.in-addr.arpa" for 1.2.3.4, nibbles under "ip6.arpa" for IPv6; empty for a null address.
QString reverseLookupName(const QHostAddress &address);
// A DNS name as the dns test takes it: labels of letters, digits, '-' and '_', 1 to 63 each, 253 in
// all, an optional trailing dot.
bool isDnsName(QStringView name);

} // namespace StreamSwarm::Validation

namespace StreamSwarm::TestTypes {

const TestType &dnsType();

} // namespace StreamSwarm::TestTypes

// The dns family's metric names, so that a typo in code is a compile error, not a silent new metric.
namespace StreamSwarm::Metric {
inline constexpr char16_t DnsLookup[] = u"dns.lookup_ms";
inline constexpr char16_t DnsRcode[] = u"dns.rcode";
inline constexpr char16_t DnsAnswers[] = u"dns.answers";
inline constexpr char16_t DnsTtlMin[] = u"dns.ttl_min_s";
} // namespace StreamSwarm::Metric
