// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "httpfailure.h"

#include <cerrno>

#include <QCoreApplication>
#include <QUrl>

#include "shared/util/bytesize.h"
#include "shared/util/duration.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Agent {

namespace {

struct HttpText
{
    Q_DECLARE_TR_FUNCTIONS(StreamSwarm::Agent::HttpText)
};

// "1.2 s", "250 ms": how long, for a sentence.
QString secondsText(qint64 ms)
{
    if (ms < 1000)
        return HttpText::tr("%1 ms").arg(ms);
    return HttpText::tr("%1 s").arg(QString::number(double(ms) / 1000, 'f', ms % 1000 ? 1 : 0));
}

QString hostOf(const HttpTransferResult &result)
{
    return QUrl(result.effectiveUrl).host();
}

QString endpointOf(const HttpTransferResult &result)
{
    const QUrl url(result.effectiveUrl);
    const QString address = result.address.isEmpty() ? url.host() : result.address;
    const long port = result.port ? result.port : url.port(url.scheme() == u"https" ? 443 : 80);
    return HttpText::tr("%1 port %2").arg(address).arg(port);
}

QString expectedStatusText(const Validation::HttpParams &params)
{
    if (params.lowestStatus == 200 && params.highestStatus == 399)
        return HttpText::tr("a 2xx or 3xx status");
    if (params.lowestStatus == params.highestStatus)
        return QString::number(params.lowestStatus);
    return HttpText::tr("%1xx").arg(params.lowestStatus / 100);
}

QString describeConnectFailure(const HttpTransferResult &result)
{
    switch (result.osErrno) {
    case ECONNREFUSED:
        return HttpText::tr("%1 refused the connection").arg(endpointOf(result));
    case ENETUNREACH:
    case EHOSTUNREACH:
        return HttpText::tr("%1 cannot be reached (no route)").arg(endpointOf(result));
    default:
        return HttpText::tr("cannot connect to %1 (%2)").arg(endpointOf(result), result.curlMessage);
    }
}

QString describeTimeout(const HttpTransferResult &result, qint64 timeoutMs)
{
    if (result.stalled) {
        return HttpText::tr("the server stopped sending after %1 (no data for %2)")
            .arg(formatByteSize(result.wireBytes), secondsText(result.sinceLastDataMs));
    }
    const QString limit = formatDurationMs(timeoutMs);
    if (result.dnsUs == 0)
        return HttpText::tr("looking up %1 took longer than %2").arg(hostOf(result), limit);
    if (result.connectUs == 0)
        return HttpText::tr("could not connect to %1 within %2").arg(endpointOf(result), limit);
    if (result.ttfbUs == 0 && result.status == 0)
        return HttpText::tr("the server did not answer within %1").arg(limit);
    if (result.wireBytes > 0) {
        return HttpText::tr("the server stopped sending after %1 (no data for %2; the timeout is %3)")
            .arg(formatByteSize(result.wireBytes), secondsText(std::max<qint64>(result.sinceLastDataMs, 0)), limit);
    }
    return HttpText::tr("the answer did not complete within %1").arg(limit);
}

QString describeTransferError(const HttpTransferResult &result, const Validation::HttpParams &params, qint64 timeoutMs)
{
    if (result.stalled)
        return describeTimeout(result, timeoutMs);
    switch (result.code) {
    case CURLE_UNSUPPORTED_PROTOCOL:
        return HttpText::tr("%1 is not an http or https URL")
            .arg(result.refusedRedirect.isEmpty() ? result.effectiveUrl : result.refusedRedirect);
    case CURLE_URL_MALFORMAT:
        return HttpText::tr("the URL is malformed (%1)").arg(result.curlMessage);
    case CURLE_COULDNT_RESOLVE_HOST:
        return HttpText::tr("the name %1 does not resolve").arg(hostOf(result));
    case CURLE_COULDNT_CONNECT:
        return describeConnectFailure(result);
    case CURLE_OPERATION_TIMEDOUT:
        return describeTimeout(result, timeoutMs);
    case CURLE_PEER_FAILED_VERIFICATION:
        if (!result.certificateProblem.isEmpty())
            return result.certificateProblem;
        return HttpText::tr("the server's certificate was not accepted (%1)").arg(result.curlMessage);
    case CURLE_SSL_CONNECT_ERROR:
        return HttpText::tr("the TLS handshake with %1 failed (%2)").arg(endpointOf(result), result.curlMessage);
    case CURLE_TOO_MANY_REDIRECTS: {
        const QString next = result.refusedRedirect.isEmpty() ? result.effectiveUrl : result.refusedRedirect;
        if (params.maxRedirects == 1)
            return HttpText::tr("more than 1 redirect; the last went to %1").arg(next);
        return HttpText::tr("more than %1 redirects; the last went to %2").arg(params.maxRedirects).arg(next);
    }
    case CURLE_WRITE_ERROR:
        if (result.bodyCapped)
            return HttpText::tr("the body passed the %1 limit").arg(formatByteSize(params.maxBodyBytes));
        break;
    case CURLE_GOT_NOTHING:
        return HttpText::tr("the server closed the connection without answering");
    case CURLE_PARTIAL_FILE:
        return HttpText::tr("the server closed the connection after %1 of the body (%2)")
            .arg(formatByteSize(result.wireBytes), result.curlMessage);
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
        return HttpText::tr("the connection broke (%1)").arg(result.curlMessage);
    case CURLE_WEIRD_SERVER_REPLY:
        return HttpText::tr("the server's answer is not HTTP (%1)").arg(result.curlMessage);
    default:
        break;
    }
    return result.curlMessage;
}

} // namespace

QString describeHttpFailure(const HttpTransferResult &result, const Validation::HttpParams &params, qint64 timeoutMs)
{
    if (!result.completed())
        return describeTransferError(result, params, timeoutMs);
    if (result.status < params.lowestStatus || result.status > params.highestStatus) {
        const QString status = result.reason.isEmpty() ? QString::number(result.status)
                                                       : u"%1 %2"_s.arg(result.status).arg(result.reason);
        return HttpText::tr("the server answered %1; expected %2").arg(status, expectedStatusText(params));
    }
    if (!params.expect.isEmpty() && !result.expectFound)
        return HttpText::tr("the body does not contain \"%1\"").arg(params.expect.left(80));
    return QString();
}

} // namespace StreamSwarm::Agent
