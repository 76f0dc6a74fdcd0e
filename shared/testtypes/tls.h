// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QString>
#include <QStringList>

#include "shared/protocol/messages.h"
#include "shared/testtypes/testtype.h"

namespace StreamSwarm::Validation {

// tls parameters after defaults, for the probe and for checks.
struct TlsParams
{
    QString host; // from the target "host[:port]"
    quint16 port = 443;
    QString serverName; // sent in SNI and checked against the certificate; by default a named host
    QStringList alpn = {QStringLiteral("h2"), QStringLiteral("http/1.1")};
    QString caFile; // trust these authorities instead of the system's
    int expiryWarningDays = 21;
    qint64 timeoutMs = 10000; // connect and handshake together
};

bool parseTlsParams(const Protocol::TestSpec &spec, TlsParams *params, QString *error);

} // namespace StreamSwarm::Validation

namespace StreamSwarm::TestTypes {

const TestType &tlsType();

} // namespace StreamSwarm::TestTypes

namespace StreamSwarm::Metric {
inline constexpr char16_t TlsConnect[] = u"tls.connect_ms";
inline constexpr char16_t TlsHandshake[] = u"tls.handshake_ms";
inline constexpr char16_t TlsCertValidation[] = u"tls.cert_validation_ms";
inline constexpr char16_t TlsCertDaysLeft[] = u"tls.cert_days_left";
inline constexpr char16_t TlsCertTrusted[] = u"tls.cert_trusted";
} // namespace StreamSwarm::Metric
