// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QCborMap>
#include <QList>
#include <QString>

#include "shared/protocol/details/certificates.h"

namespace StreamSwarm::Protocol {

class FieldReader;

// A tls round's detail: what the handshake agreed on, the chain the server showed and whether it
// was trusted, and why not. The figures (handshake and validation time, days left) are its metrics.
struct TlsDetail
{
    static constexpr char16_t KIND[] = u"tls"; // the wire's "kind"

    QString address; // the IP address connected to
    int port = 0;
    QString serverName; // the name sent in SNI and checked against the certificate; empty: none
    QString version; // "TLSv1.3"
    QString cipher; // OpenSSL's name: "TLS_AES_256_GCM_SHA384"
    QString alpn; // the protocol the server chose ("h2"); empty when none
    bool trusted = false;
    QString problem; // why the certificate was not trusted, in plain words; empty when it was
    QList<CertificateSummary> chain; // as the server sent it, leaf first

    // The wire form's fields after "kind", and back (README.md beside details.h).
    void writeTo(QCborMap &map) const;
    static TlsDetail readFrom(const QCborMap &map, FieldReader &reader);
};

} // namespace StreamSwarm::Protocol
