// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QByteArray>
#include <QCoreApplication>
#include <QList>
#include <QString>

#include "shared/protocol/details/dns.h"

namespace StreamSwarm::Agent {

// A DNS answer message as the dns test reports it: the header's flags and RCODE, and each record of
// the answer section with its data in dig's presentation format ("10 mail.example.com." for MX).
// Names are read by c-ares (ares_expand_name), which follows compression pointers safely. Plain
// value, any thread.
struct DnsAnswer
{
    Q_DECLARE_TR_FUNCTIONS(StreamSwarm::Agent::DnsAnswer)

public:
    int rcode = 0;
    bool authoritative = false;
    bool truncated = false;
    QList<Protocol::DnsRecord> records; // at most Protocol::MAX_DNS_ANSWERS
    bool cut = false; // records or data were left out to keep within the detail's limits

    // false, with a reason, for a message that does not read as a DNS answer.
    static bool parse(const QByteArray &message, DnsAnswer *answer, QString *error);
};

// "A", "MX" ... for the types the test asks for and a few more; "TYPE99" for others (RFC 3597).
QString dnsTypeName(int type);
// The number of a type named by dnsTypeName(); 0 for a name it does not know.
int dnsTypeCode(QStringView name);
// "NOERROR", "NXDOMAIN" ...; "RCODE12" for codes without a name.
QString dnsRcodeName(int rcode);

} // namespace StreamSwarm::Agent
