// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QCborMap>
#include <QString>

namespace StreamSwarm::Protocol {

class FieldReader;

// A tcp round's detail: the address the name led to, which the connect time is for.
struct TcpDetail
{
    static constexpr char16_t KIND[] = u"tcp"; // the wire's "kind"

    QString address; // the IP address connected to
    int port = 0;

    // The wire form's fields after "kind", and back (README.md beside details.h).
    void writeTo(QCborMap &map) const;
    static TcpDetail readFrom(const QCborMap &map, FieldReader &reader);
};

} // namespace StreamSwarm::Protocol
