// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QCborArray>
#include <QCborMap>
#include <QList>
#include <QString>

// What the details of the TLS-speaking tests (tls, http) say about the certificates a server showed:
// the chain as sent, leaf first, with its wire form ("chain": an array of maps). Plain values, any thread.
namespace StreamSwarm::Protocol {

class FieldReader;

struct CertificateSummary
{
    QString subject; // one line, RFC 2253 ("CN=www.example.com,O=Example")
    QString issuer;
    qint64 notBeforeMs = 0; // ms since the epoch, UTC
    qint64 notAfterMs = 0;
    QString serial; // hex
    QString sha256; // the DER's SHA-256, hex
    QString names; // the subject alternative names, comma-separated ("DNS:a.example,IP:192.0.2.1")

    bool operator==(const CertificateSummary &other) const;
};

// At most this many certificates of a chain travel; a longer chain is cut (the count says so).
inline constexpr int MAX_CHAIN_CERTIFICATES = 10;

QCborArray encodeChain(const QList<CertificateSummary> &chain);
// The parent's "chain"; absent means none (a round that failed before the handshake).
QList<CertificateSummary> readChain(const QCborMap &parent, FieldReader &reader);

} // namespace StreamSwarm::Protocol
