// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace StreamSwarm::NetLab {

// The test DNS server's programmed records and how it builds an answer to a query: no recursion,
// no compression, one zone of whatever names it was given. Test code: it builds the messages
// itself so that the probe under test and dig are checked against something they share nothing with.
class DnsZone
{
public:
    struct Record
    {
        QByteArray name; // lower case, no trailing dot
        int type = 0;
        quint32 ttl = 0;
        QByteArray data; // wire form
    };

    // "www.example.com A 300 192.0.2.1", "example.com MX 60 10 mail.example.com.",
    // "example.com TXT 60 \"v=spf1 -all\" \"second\"", "_sip._udp.example.com SRV 60 0 5 5060 sip.example.com.".
    bool add(const QString &line, QString *error);

    enum class Mode {
        Answer, // records, NXDOMAIN for names it does not have
        Truncate, // over UDP: TC set and no records
    };
    // The answer to query (nullopt-like empty array for a message that is not a query); forcedRcode >= 0
    // answers every query so, with no records.
    QByteArray answer(const QByteArray &query, Mode mode, int forcedRcode, QString *summary) const;

    static int typeCode(const QString &name);
    static QString typeName(int code);

private:
    QList<Record> m_records;
};

} // namespace StreamSwarm::NetLab
