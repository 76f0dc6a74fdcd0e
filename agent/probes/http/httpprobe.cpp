// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "httpprobe.h"

#include <algorithm>

#include "agent/probes/http/curlmulti.h"
#include "agent/probes/http/httpfailure.h"
#include "agent/probes/probefactory.h"
#include "shared/protocol/validation.h"
#include "shared/util/duration.h"
#include "shared/util/logging.h"

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace StreamSwarm::Agent {

namespace {

// How long past its timeout a round may run before the probe stops curl itself.
constexpr qint64 OVERDUE_GRACE_MS = 2000;
constexpr int MAX_URL_IN_MESSAGE = 200;

double toMs(qint64 us)
{
    return double(us) / 1000.0;
}

bool isEncoded(const QString &contentEncoding)
{
    return !contentEncoding.isEmpty() && contentEncoding.compare(u"identity", Qt::CaseInsensitive) != 0;
}

Protocol::HttpRequestTiming timingOf(const HttpTransferResult &result)
{
    Protocol::HttpRequestTiming timing;
    timing.dnsMs = toMs(result.dnsUs);
    timing.connectMs = toMs(result.connectUs);
    if (result.tlsUs > 0)
        timing.tlsMs = toMs(result.tlsUs);
    timing.ttfbMs = toMs(result.ttfbUs);
    timing.totalMs = toMs(result.totalUs);
    timing.reused = result.newConnections == 0 && result.status > 0;
    return timing;
}

} // namespace

HttpProbe::HttpProbe(const Protocol::TestSpec &spec, const Validation::HttpParams &params, QObject *parent)
    : Probe(parent)
    , m_spec(spec)
    , m_params(params)
    , m_overdue([this] { handleRoundOverdue(); })
    , m_finishSoon([this] { finishRound(); })
{
    m_params.requests = std::clamp(m_params.requests, 1, Protocol::MAX_HTTP_REQUESTS);
    m_params.timeoutMs = std::clamp<qint64>(m_params.timeoutMs, 1, Validation::MAX_HTTP_TIMEOUT_MS);
    Validation::checkHttpUrl(spec.target, &m_urlError);
}

HttpProbe::~HttpProbe() = default;

void HttpProbe::startRound(qint64 roundTimeMs)
{
    if (m_roundRunning) {
        setRoundError(tr("the round was still running when the next one was due"));
        finishRound();
    }
    m_roundRunning = true;
    m_roundTimeMs = roundTimeMs;
    m_results.clear();
    m_roundError.clear();
    m_roundClock.start();
    if (!m_urlError.isEmpty()) {
        setRoundError(m_urlError);
        m_finishSoon.start(0ns);
        return;
    }
    if (!m_transfer) {
        QString libraryError;
        m_multi = CurlMulti::acquire(&libraryError);
        if (!m_multi) {
            setRoundError(libraryError);
            m_finishSoon.start(0ns);
            return;
        }
        m_transfer = std::make_unique<HttpTransfer>(m_multi, m_spec.target, m_params, this);
        connect(m_transfer.get(), &HttpTransfer::finished, this, &HttpProbe::handleRequestFinished);
    }
    m_overdue.start(std::chrono::milliseconds(m_params.timeoutMs + OVERDUE_GRACE_MS));
    startRequest();
}

void HttpProbe::startRequest()
{
    const int index = int(m_results.size());
    const qint64 remainingMs = m_params.timeoutMs - m_roundClock.elapsed();
    if (remainingMs <= 0) {
        setRoundError(tr("the round's %1 were over before request %2 of %3")
                          .arg(formatDurationMs(m_params.timeoutMs))
                          .arg(index + 1)
                          .arg(m_params.requests));
        m_finishSoon.start(0ns);
        return;
    }
    const bool fresh = index == 0;
    const bool last = index == m_params.requests - 1;
    m_requestTimeoutMs = remainingMs;
    if (!m_transfer->start(fresh, last, remainingMs)) {
        setRoundError(tr("libcurl did not take the request"));
        m_finishSoon.start(0ns);
    }
}

void HttpProbe::handleRequestFinished()
{
    if (!m_roundRunning)
        return;
    const HttpTransferResult &result = m_transfer->result();
    m_results.append(result);
    const QString failure = describeHttpFailure(result, m_params, m_requestTimeoutMs);
    if (!failure.isEmpty()) {
        if (m_params.requests > 1) {
            setRoundError(tr("request %1 of %2: %3").arg(m_results.size()).arg(m_params.requests).arg(failure));
        } else {
            setRoundError(failure);
        }
        finishRound();
        return;
    }
    if (m_results.size() < m_params.requests)
        startRequest();
    else
        finishRound();
}

void HttpProbe::handleRoundOverdue()
{
    setRoundError(tr("the round did not finish within %1").arg(formatDurationMs(m_params.timeoutMs)));
    finishRound();
}

void HttpProbe::setRoundError(const QString &reason)
{
    if (!m_roundError.isEmpty())
        return; // the first error of a round is the one it reports
    const QString method = m_params.method == Validation::HttpParams::Method::Head ? u"HEAD"_s : u"GET"_s;
    m_roundError = tr("%1 %2: %3.").arg(method, m_spec.target.left(MAX_URL_IN_MESSAGE), reason);
    qCDebug(lcProbe).noquote() << "http" << m_spec.id << m_roundError;
}

void HttpProbe::finishRound()
{
    if (!m_roundRunning)
        return;
    m_overdue.stop();
    m_finishSoon.stop();
    if (m_transfer && m_transfer->isRunning()) {
        m_transfer->abort(); // the phases it reached still count
        m_results.append(m_transfer->result());
    }
    m_roundRunning = false;
    const Protocol::Round round = buildRound();
    Q_EMIT roundFinished(round); // last: a receiver may start the next round or delete us
}

Protocol::Round HttpProbe::buildRound() const
{
    Protocol::Round round;
    round.testId = m_spec.id;
    round.timeMs = m_roundTimeMs;
    round.error = m_roundError;
    if (m_results.isEmpty())
        return round;
    // The names are the catalog's static literals: used in place, not copied at every round.
    const auto add = [&round](const char16_t *metric, double value) {
        const auto length = qsizetype(std::char_traits<char16_t>::length(metric));
        round.values.append(
            Protocol::MetricValue{QString::fromRawData(reinterpret_cast<const QChar *>(metric), length), value});
    };
    // The phases are the first request's: a new visitor's, from the start of the request, as curl -w.
    // A phase not reached (0 from curl) is left out rather than reported as instant.
    const HttpTransferResult &first = m_results.first();
    if (first.dnsUs > 0)
        add(Metric::HttpDns, toMs(first.dnsUs));
    if (first.connectUs > 0)
        add(Metric::HttpConnect, toMs(first.connectUs));
    if (first.tlsUs > 0)
        add(Metric::HttpTls, toMs(first.tlsUs));
    if (first.ttfbUs > 0 && first.status > 0)
        add(Metric::HttpTtfb, toMs(first.ttfbUs));
    const bool complete = first.completed();
    if (complete)
        add(Metric::HttpTotal, toMs(first.totalUs));
    if (first.status > 0) {
        add(Metric::HttpDownloadBytes, double(first.wireBytes));
        add(Metric::HttpStatus, double(first.status));
    }
    if (first.status > 0 || first.code == CURLE_TOO_MANY_REDIRECTS)
        add(Metric::HttpRedirects, double(first.redirects));
    if (complete && first.wireBytes > 0) {
        // Bits per µs are Mbit/s.
        const qint64 bodyUs = first.totalUs > first.ttfbUs ? first.totalUs - first.ttfbUs : first.totalUs;
        if (bodyUs > 0)
            add(Metric::HttpThroughput, double(first.wireBytes) * 8.0 / double(bodyUs));
        add(Metric::HttpCompressionRatio,
            isEncoded(first.contentEncoding) ? double(first.decodedBytes) / double(first.wireBytes) : 1.0);
    }
    if (first.validation.ran)
        add(Metric::HttpCertValidation, first.validation.milliseconds);
    if (m_params.requests > 1 && m_results.size() > 1) {
        bool allReused = true;
        double ttfbSum = 0;
        double totalSum = 0;
        int counted = 0;
        for (qsizetype i = 1; i < m_results.size(); ++i) {
            const HttpTransferResult &later = m_results.at(i);
            allReused = allReused && later.status > 0 && later.newConnections == 0;
            if (later.completed()) {
                ttfbSum += toMs(later.ttfbUs);
                totalSum += toMs(later.totalUs);
                ++counted;
            }
        }
        add(Metric::HttpReused, allReused ? 1.0 : 0.0);
        if (counted > 0) {
            add(Metric::HttpReusedTtfb, ttfbSum / counted);
            add(Metric::HttpReusedTotal, totalSum / counted);
        }
    }
    round.detail = buildDetail();
    return round;
}

Protocol::HttpDetail HttpProbe::buildDetail() const
{
    const HttpTransferResult &first = m_results.first();
    const HttpTransferResult &last = m_results.last();
    Protocol::HttpDetail detail;
    detail.url = m_spec.target.left(Protocol::MAX_HTTP_URL_LENGTH);
    detail.finalUrl = last.effectiveUrl;
    detail.method = m_params.method == Validation::HttpParams::Method::Head ? u"HEAD"_s : u"GET"_s;
    detail.version = last.version;
    detail.status = last.status >= 100 && last.status <= 999 ? int(last.status) : 0;
    detail.redirects = first.redirectChain.mid(0, Protocol::MAX_HTTP_REDIRECTS);
    if (first.code == CURLE_TOO_MANY_REDIRECTS && !first.refusedRedirect.isEmpty()
        && detail.redirects.size() < Protocol::MAX_HTTP_REDIRECTS) {
        detail.redirects.append(first.refusedRedirect);
    }
    detail.address = last.address;
    detail.port = last.port > 0 && last.port <= 65535 ? int(last.port) : 0;
    detail.contentType = last.contentType;
    detail.contentEncoding = last.contentEncoding;
    detail.headers = last.headers;
    const HttpTransferResult &tls = first.tlsUsed || first.validation.ran ? first : last;
    detail.tlsVersion = tls.tlsVersion;
    detail.cipher = tls.cipher;
    detail.chain = tls.chain;
    if (tls.validation.ran) {
        detail.trusted = tls.validation.trusted && tls.hostMatches;
        detail.validation = tls.certificateProblem;
    }
    if (m_params.requests > 1) {
        for (const HttpTransferResult &result : m_results)
            detail.requests.append(timingOf(result));
    }
    return detail;
}

// This folder's entry in the probe factory (agent/CMakeLists.txt finds it).
ProbeType httpProbeType()
{
    return probeType<HttpProbe>(TestTypes::httpType(), Validation::parseHttpParams);
}

} // namespace StreamSwarm::Agent
