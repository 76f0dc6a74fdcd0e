// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <memory>

#include <openssl/ssl.h>

#include "agent/probes/certificatecheck.h"
#include "agent/probes/connectingprobe.h"
#include "agent/probes/tls/tlshandshake.h"
#include "agent/scheduler/deadline.h"
#include "shared/protocol/details/tls.h"
#include "shared/testtypes/tls.h"

namespace StreamSwarm::Agent {

// The tls test: each round connects to host:port, runs a full TLS handshake (no session is resumed),
// and reports the connect and handshake times, what was agreed, the server's chain, whether it is
// trusted (OpenSSL's own validation against the system's or the given authorities, timed), and the
// days until the certificate expires. An untrusted certificate still gives the round its figures,
// with the reason as its error; expiry within the warning days raises one event per certificate.
class TlsProbe final : public ConnectingProbe
{
    Q_OBJECT
public:
    TlsProbe(const Protocol::TestSpec &spec, const Validation::TlsParams &params, QObject *parent = nullptr);
    ~TlsProbe() override;

private:
    void clearRound() override;
    void beginMeasuring() override;
    void finishRound() override;
    qint64 longestRoundMs() const override { return m_params.timeoutMs; }

    void makeContext();
    void handleConnected(bool connected);
    void handleHandshake(bool done);
    void handleTimeout();
    void readSession();
    void warnOfExpiry(X509 *leaf, int daysLeft);
    void setRoundReason(const QString &reason); // a lower-case reason, as the round's sentence

    Validation::TlsParams m_params;
    std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> m_context;
    QString m_contextError; // why m_context could not be made (a CA file that cannot be read)
    ChainValidation m_validation; // the chain validation of this round's handshake
    TlsHandshake m_handshake;
    Deadline m_timeout;
    double m_connectMs = -1;
    double m_handshakeMs = -1;
    int m_daysLeft = 0;
    Protocol::TlsDetail m_detail;
    bool m_hasSession = false; // the handshake was done: the detail and figures are the round's
    QString m_warnedCertificate; // the SHA-256 of the certificate an expiry event was raised for
};

} // namespace StreamSwarm::Agent
