// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QString>

#include "shared/protocol/messages.h"
#include "shared/testtypes/testtype.h"

namespace StreamSwarm::Validation {

inline constexpr qint64 MAX_HTTP_TIMEOUT_MS = 30'000;
inline constexpr int MAX_EXPECT_LENGTH = 256;
inline constexpr int MAX_PATH_PARAM_LENGTH = 1024;

// http parameters after defaults, for the probe and for checks.
struct HttpParams
{
    enum class Method { Get, Head };
    enum class Version { Auto, Http11, Http2 };

    Method method = Method::Get;
    int requests = 1; // per round, one after the other on one connection where the server allows it
    int lowestStatus = 200; // a final status in [lowestStatus, highestStatus] is success
    int highestStatus = 399;
    QString expect; // a text the body must contain; empty: no check
    qint64 maxBodyBytes = 10'000'000; // decoded bytes; beyond it the body is not read
    qint64 timeoutMs = MAX_HTTP_TIMEOUT_MS; // the whole round
    int maxRedirects = 5;
    Version version = Version::Auto; // Auto: HTTP/2 over TLS where the server offers it, as curl
    QString caFile; // PEM authorities to trust instead of the system's; empty: the system's
    bool insecure = false; // the certificate is validated and reported, but not required to pass
};

bool parseHttpParams(const Protocol::TestSpec &spec, HttpParams *params, QString *error);

} // namespace StreamSwarm::Validation

namespace StreamSwarm::TestTypes {

const TestType &httpType();

} // namespace StreamSwarm::TestTypes

// The http family's metric names, so that a typo in code is a compile error. The phase times mean
// what curl -w's time_namelookup ... time_total mean.
namespace StreamSwarm::Metric {
inline constexpr char16_t HttpDns[] = u"http.dns_ms";
inline constexpr char16_t HttpConnect[] = u"http.connect_ms";
inline constexpr char16_t HttpTls[] = u"http.tls_ms";
inline constexpr char16_t HttpTtfb[] = u"http.ttfb_ms";
inline constexpr char16_t HttpTotal[] = u"http.total_ms";
inline constexpr char16_t HttpDownloadBytes[] = u"http.download_bytes";
inline constexpr char16_t HttpThroughput[] = u"http.throughput_mbps";
inline constexpr char16_t HttpStatus[] = u"http.status";
inline constexpr char16_t HttpRedirects[] = u"http.redirects";
inline constexpr char16_t HttpCompressionRatio[] = u"http.compression_ratio";
inline constexpr char16_t HttpCertValidation[] = u"http.cert_validation_ms";
inline constexpr char16_t HttpReused[] = u"http.reused";
inline constexpr char16_t HttpReusedTtfb[] = u"http.reused_ttfb_ms";
inline constexpr char16_t HttpReusedTotal[] = u"http.reused_total_ms";
} // namespace StreamSwarm::Metric
