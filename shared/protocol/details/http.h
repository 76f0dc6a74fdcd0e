// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <optional>

#include <QCborMap>
#include <QList>
#include <QString>
#include <QStringList>

#include "shared/protocol/details/certificates.h"

namespace StreamSwarm::Protocol {

class FieldReader;

inline constexpr int MAX_HTTP_URL_LENGTH = 2048;
inline constexpr int MAX_HTTP_REDIRECTS = 21; // the most any test follows (20), and the one it refused
inline constexpr int MAX_HTTP_HEADERS = 64;
inline constexpr int MAX_HTTP_HEADER_NAME_LENGTH = 128;
inline constexpr int MAX_HTTP_HEADER_VALUE_LENGTH = 1024;
inline constexpr int MAX_HTTP_REQUESTS = 10;

// One response header as the server sent it (a Set-Cookie's value is left out by the agent).
struct HttpHeader
{
    QString name;
    QString value;
};

// The phases of one request of a round, in ms from its start, as curl's -w times.
struct HttpRequestTiming
{
    double dnsMs = 0;
    double connectMs = 0;
    std::optional<double> tlsMs; // https only
    double ttfbMs = 0;
    double totalMs = 0;
    bool reused = false; // it went over a connection an earlier request of the round opened
};

// An http round's detail: what was asked and what answered, the redirects, the response's headers,
// the TLS session and certificate chain, and with several requests per round each one's timings.
struct HttpDetail
{
    static constexpr char16_t KIND[] = u"http"; // the wire's "kind"

    QString url; // as asked
    QString finalUrl; // after the redirects
    QString method; // "GET", "HEAD"
    QString version; // "1.1", "2"; empty when no answer came
    int status = 0; // the final answer's; 0 when none came
    QStringList redirects; // where each redirect went, in order
    QString address; // the server's IP address and port, of the last connection
    int port = 0;
    QString contentType;
    QString contentEncoding;
    QList<HttpHeader> headers; // the final answer's
    QString tlsVersion; // "TLSv1.3"; empty without TLS
    QString cipher;
    QList<CertificateSummary> chain; // as the server sent it, leaf first
    std::optional<bool> trusted; // the chain and name passed validation; absent without a handshake
    QString validation; // why not, in words; empty when trusted
    QList<HttpRequestTiming> requests; // with requests > 1, each request's timings in order

    // The wire form's fields after "kind", and back (README.md beside details.h).
    void writeTo(QCborMap &map) const;
    static HttpDetail readFrom(const QCborMap &map, FieldReader &reader);
};

} // namespace StreamSwarm::Protocol
