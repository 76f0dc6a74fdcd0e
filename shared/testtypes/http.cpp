// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "http.h"

#include <algorithm>

#include <QCoreApplication>
#include <QRegularExpression>
#include <QUrl>

#include "shared/protocol/validation.h"
#include "shared/testtypes/paramreader.h"
#include "shared/util/bytesize.h"
#include "shared/util/duration.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Validation {

namespace {

bool parseExpectedStatus(const Protocol::TestSpec &spec, HttpParams *result, QString *error)
{
    QString text;
    if (!TestTypes::readText(TestTypes::httpType(), spec, u"expect-status", &text, error))
        return false;
    if (text.isEmpty())
        return true;
    // "200": that status exactly; "2xx": any of its class.
    static const QRegularExpression exact(u"\\A[1-5][0-9][0-9]\\z"_s);
    static const QRegularExpression family(u"\\A([1-5])[xX][xX]\\z"_s);
    if (exact.match(text).hasMatch()) {
        result->lowestStatus = result->highestStatus = text.toInt();
    } else if (const auto match = family.match(text); match.hasMatch()) {
        result->lowestStatus = match.captured(1).toInt() * 100;
        result->highestStatus = result->lowestStatus + 99;
    } else {
        return TestTypes::fail(error,
            Messages::tr("The parameter expect-status=%1 is not valid; use a status such as 200, or a class such as "
                         "2xx.")
                .arg(text.left(40)));
    }
    return true;
}

} // namespace

bool parseHttpParams(const Protocol::TestSpec &spec, HttpParams *params, QString *error)
{
    const TestTypes::TestType &type = TestTypes::httpType();
    if (!checkHttpUrl(spec.target, error) || !TestTypes::checkKnownParams(type, spec, error))
        return false;
    if (!checkInterval(spec.intervalMs, error))
        return false;
    HttpParams result;
    QString method = u"GET"_s;
    QString version = u"auto"_s;
    result.timeoutMs = std::min(spec.intervalMs, MAX_HTTP_TIMEOUT_MS);
    if (!TestTypes::readChoice(type, spec, u"method", &method, error)
        || !TestTypes::readInteger(type, spec, u"requests", &result.requests, error)
        || !parseExpectedStatus(spec, &result, error)
        || !TestTypes::readText(type, spec, u"expect", &result.expect, error)
        || !TestTypes::readSize(type, spec, u"max-body", &result.maxBodyBytes, error)
        || !TestTypes::readDuration(type, spec, u"timeout", &result.timeoutMs, error)
        || !TestTypes::readInteger(type, spec, u"max-redirects", &result.maxRedirects, error)
        || !TestTypes::readChoice(type, spec, u"http-version", &version, error)
        || !TestTypes::readFile(type, spec, u"ca-file", &result.caFile, error)
        || !TestTypes::readSwitch(type, spec, u"insecure", &result.insecure, error)) {
        return false;
    }
    result.method = method == u"HEAD" ? HttpParams::Method::Head : HttpParams::Method::Get;
    result.version = version == u"1.1" ? HttpParams::Version::Http11
        : version == u"2"              ? HttpParams::Version::Http2
                                       : HttpParams::Version::Auto;
    if (!result.expect.isEmpty() && result.method == HttpParams::Method::Head)
        return TestTypes::fail(error, Messages::tr("A HEAD request has no body to find expect= in; use method=GET."));
    if (result.timeoutMs > spec.intervalMs) {
        return TestTypes::fail(error,
            Messages::tr("An http round may take up to its timeout %1, longer than the interval %2; lower timeout or "
                         "raise the interval.")
                .arg(formatDurationMs(result.timeoutMs), formatDurationMs(spec.intervalMs)));
    }
    if (params)
        *params = result;
    return true;
}

} // namespace StreamSwarm::Validation

namespace StreamSwarm::TestTypes {

namespace {

MetricInfo metric(const char16_t *name, const QString &unit, MetricKind kind, const char *description)
{
    return {QString::fromUtf16(name), unit, kind, description};
}

TestType describeHttp()
{
    TestType type;
    type.name = u"http"_s;
    type.menuOrder = 70;
    type.summary = QT_TRANSLATE_NOOP("StreamSwarm::TestTypes",
        "Phase timings (DNS, connect, TLS, first byte, total), status and download of an HTTP or HTTPS URL");
    type.target = TargetKind::Url;
    type.exampleTarget = u"https://www.example.com/video/clip.m3u8?quality=720p"_s;
    type.params = {
        {u"method"_s, ParamKind::Choice, QT_TRANSLATE_NOOP("StreamSwarm::TestTypes", "the request's method"), 0, 0,
            u"GET"_s, {u"GET"_s, u"HEAD"_s}},
        {u"requests"_s, ParamKind::Integer,
            QT_TRANSLATE_NOOP("StreamSwarm::TestTypes",
                "requests per round, one after the other; the first opens a new connection, the others reuse it "
                "where the server allows"),
            1, 10, u"1"_s, {}},
        {u"expect-status"_s, ParamKind::Text,
            QT_TRANSLATE_NOOP("StreamSwarm::TestTypes",
                "the final status that counts as success, e.g. 200 or 2xx; by default any 2xx or 3xx"),
            0, 3, {}, {}},
        {u"expect"_s, ParamKind::Text,
            QT_TRANSLATE_NOOP("StreamSwarm::TestTypes", "a text the body must contain (case-sensitive)"), 0,
            Validation::MAX_EXPECT_LENGTH, {}, {}},
        {u"max-body"_s, ParamKind::Size,
            QT_TRANSLATE_NOOP("StreamSwarm::TestTypes",
                "the most of the (decoded) body to read; beyond it the round stops with a message"),
            1, 1'000'000'000, u"10MB"_s, {}},
        {u"timeout"_s, ParamKind::Duration,
            QT_TRANSLATE_NOOP(
                "StreamSwarm::TestTypes", "the longest a whole round may take; by default the interval, at most 30s"),
            100, Validation::MAX_HTTP_TIMEOUT_MS, {}, {}},
        {u"max-redirects"_s, ParamKind::Integer,
            QT_TRANSLATE_NOOP("StreamSwarm::TestTypes",
                "redirects followed before the round fails; 0: none, a redirect is the answer"),
            0, 20, u"5"_s, {}},
        {u"http-version"_s, ParamKind::Choice,
            QT_TRANSLATE_NOOP("StreamSwarm::TestTypes",
                "auto: HTTP/2 over TLS where the server offers it, else HTTP/1.1 (as curl); 1.1 or 2 to insist"),
            0, 0, u"auto"_s, {u"auto"_s, u"1.1"_s, u"2"_s}},
        {u"ca-file"_s, ParamKind::File,
            QT_TRANSLATE_NOOP("StreamSwarm::TestTypes",
                "a PEM file on the agent with the authorities to trust instead of the system's"),
            0, Validation::MAX_PATH_PARAM_LENGTH, {}, {}},
        {u"insecure"_s, ParamKind::Switch,
            QT_TRANSLATE_NOOP("StreamSwarm::TestTypes",
                "on: go on when the certificate is not valid (it is still checked and reported)"),
            0, 0, u"off"_s, {}},
    };
    type.metricFamily = u"http"_s;
    const QString ms = u"ms"_s;
    type.metrics = {
        metric(Metric::HttpDns, ms, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics",
                "Time from the start of the round's first request until its name was resolved (curl's "
                "time_namelookup)")),
        metric(Metric::HttpConnect, ms, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics",
                "Time from the start of the first request until its TCP connection was set up (time_connect)")),
        metric(Metric::HttpTls, ms, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics",
                "Time from the start of the first request until its TLS handshake was done (time_appconnect); "
                "only for https")),
        metric(Metric::HttpTtfb, ms, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics",
                "Time from the start of the first request until the first byte of the answer "
                "(time_starttransfer)")),
        metric(Metric::HttpTotal, ms, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics",
                "Time from the start of the first request until its answer was complete, redirects included "
                "(time_total)")),
        metric(Metric::HttpDownloadBytes, u"bytes"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics",
                "Body bytes of the first request as they came over the wire, before decompression "
                "(size_download)")),
        metric(Metric::HttpThroughput, u"Mbit/s"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics",
                "Body bytes on the wire x 8 / (total - time to first byte), in Mbit/s; over the total when the two "
                "are equal; not reported without a body")),
        metric(Metric::HttpStatus, u"code"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics", "Status code of the final answer (http_code)")),
        metric(Metric::HttpRedirects, u"count"_s, MetricKind::Counter,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics", "Redirects followed (num_redirects)")),
        metric(Metric::HttpCompressionRatio, u"ratio"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics",
                "Decoded body size / body size on the wire; 1 when the body was not compressed")),
        metric(Metric::HttpCertValidation, ms, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics",
                "Time OpenSSL spent validating the server's certificate chain in the first handshake; only for "
                "https")),
        metric(Metric::HttpReused, u"bool"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics",
                "1 when requests 2 to N of the round reused the first request's connection, else 0; only with "
                "requests > 1")),
        metric(Metric::HttpReusedTtfb, ms, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics",
                "Mean time to first byte of requests 2 to N of the round; only with requests > 1")),
        metric(Metric::HttpReusedTotal, ms, MetricKind::Gauge,
            QT_TRANSLATE_NOOP(
                "StreamSwarm::Metrics", "Mean total time of requests 2 to N of the round; only with requests > 1")),
    };
    type.detailKind = Protocol::DetailKind::Http;
    type.chart.line = QString::fromUtf16(Metric::HttpTotal);
    type.chart.detailTable = true;
    type.chart.axisLabel = QT_TRANSLATE_NOOP("StreamSwarm::TestTypes", "Time (ms)");
    // Cumulative from the request's start, as curl's times are: the bar's segments are DNS, connect,
    // TLS, the server's wait and the download (a plain http round has no TLS segment).
    type.chart.phases = {QString::fromUtf16(Metric::HttpDns), QString::fromUtf16(Metric::HttpConnect),
        QString::fromUtf16(Metric::HttpTls), QString::fromUtf16(Metric::HttpTtfb),
        QString::fromUtf16(Metric::HttpTotal)};
    type.chart.phaseNames = {QT_TRANSLATE_NOOP("StreamSwarm::TestTypes", "DNS"),
        QT_TRANSLATE_NOOP("StreamSwarm::TestTypes", "Connect"), QT_TRANSLATE_NOOP("StreamSwarm::TestTypes", "TLS"),
        QT_TRANSLATE_NOOP("StreamSwarm::TestTypes", "Wait"), QT_TRANSLATE_NOOP("StreamSwarm::TestTypes", "Download")};
    type.chart.lineName = QT_TRANSLATE_NOOP("StreamSwarm::TestTypes", "Total time");
    type.chart.title = QT_TRANSLATE_NOOP("StreamSwarm::TestTypes", "HTTP total time, measured every %1");
    type.checkParams = [](const Protocol::TestSpec &spec, QString *error) {
        return Validation::parseHttpParams(spec, nullptr, error);
    };
    return type;
}

} // namespace

const TestType &httpType()
{
    static const TestType type = describeHttp();
    return type;
}

} // namespace StreamSwarm::TestTypes
