// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QList>
#include <QString>

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "shared/protocol/details/certificates.h"

// What the TLS-speaking probes (tls, http) share about a server's certificates: the chain summed up
// for the detail, the time the handshake spent validating it, and why it was not accepted, in plain
// words. OpenSSL's own validation runs; this only times it and reads its outcome. Any thread.
namespace StreamSwarm::Agent {

Protocol::CertificateSummary summarizeCertificate(X509 *certificate);
// The chain as the server sent it, leaf first, cut at Protocol::MAX_CHAIN_CERTIFICATES.
QList<Protocol::CertificateSummary> summarizeChain(STACK_OF(X509) * chain);

// Whole days from now until the certificate's notAfter: negative once it has expired.
int daysUntilExpiry(X509 *certificate);

// "the certificate expired 3 days ago", "the certificate is for www.example.com, not localhost",
// "the certificate is self-signed and not trusted": OpenSSL's verify error (X509_V_ERR_...) for
// the leaf, as said to the user. host is the name or address the client asked for.
QString describeVerifyError(long x509Error, X509 *leaf, const QString &host);

// The outcome of the chain validations of the handshakes on one SSL_CTX.
struct ChainValidation
{
    bool ran = false; // OpenSSL validated a chain (a handshake got that far)
    bool trusted = false;
    long error = X509_V_OK; // X509_V_ERR_... when not trusted
    double milliseconds = 0; // spent in X509_verify_cert(), all handshakes together
    bool acceptUntrusted = false; // the handshake goes on even when the chain is not trusted
};

// Times the chain validation of every handshake on context and keeps its outcome in *validation,
// which must outlive them. With validation->acceptUntrusted the handshake then goes on (the tls test
// reports the chain and the reason); otherwise OpenSSL's verdict stands.
void timeChainValidation(SSL_CTX *context, ChainValidation *validation);

} // namespace StreamSwarm::Agent
