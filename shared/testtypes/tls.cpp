// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "tls.h"

#include <algorithm>

#include <QCoreApplication>
#include <QHostAddress>

#include "shared/protocol/validation.h"
#include "shared/testtypes/paramreader.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Validation {

namespace {

constexpr int MAX_ALPN_PROTOCOLS = 8;

bool parseAlpn(const QString &text, QStringList *protocols, QString *error)
{
    QStringList result;
    for (const QString &part : text.split(u',')) {
        const QString protocol = part.trimmed();
        // RFC 7301: 1 to 255 bytes; we take printable ASCII, which every registered id is.
        if (protocol.isEmpty() || protocol.size() > 255
            || !std::all_of(
                protocol.cbegin(), protocol.cend(), [](QChar c) { return c.unicode() > 32 && c.unicode() < 127; })) {
            return TestTypes::fail(error,
                Messages::tr("The parameter alpn=%1 is not valid; give protocol names separated by commas, e.g. "
                             "h2,http/1.1.")
                    .arg(text.left(60)));
        }
        result << protocol;
    }
    if (result.size() > MAX_ALPN_PROTOCOLS)
        return TestTypes::fail(error, Messages::tr("Give at most %1 protocols in alpn.").arg(MAX_ALPN_PROTOCOLS));
    *protocols = result;
    return true;
}

} // namespace

bool parseTlsParams(const Protocol::TestSpec &spec, TlsParams *params, QString *error)
{
    const TestTypes::TestType &type = TestTypes::tlsType();
    if (!TestTypes::checkKnownParams(type, spec, error) || !checkInterval(spec.intervalMs, error))
        return false;
    TlsParams result;
    if (!readTargetPort(TestTypes::tlsType(), spec, 443, &result.host, &result.port, error))
        return false;
    if (QHostAddress(result.host).isNull())
        result.serverName = result.host;
    if (!TestTypes::readText(type, spec, u"sni", &result.serverName, error)
        || !TestTypes::readFile(type, spec, u"ca-file", &result.caFile, error)
        || !TestTypes::readInteger(type, spec, u"expiry-warning", &result.expiryWarningDays, error)) {
        return false;
    }
    if (spec.params.contains(u"sni"_s) && !checkHostTarget(result.serverName, nullptr)) {
        return TestTypes::fail(
            error, Messages::tr("The parameter sni=%1 is not a host name.").arg(result.serverName.left(80)));
    }
    QString alpn;
    if (!TestTypes::readText(type, spec, u"alpn", &alpn, error)
        || (!alpn.isEmpty() && alpn != u"none" && !parseAlpn(alpn, &result.alpn, error))) {
        return false;
    }
    if (alpn == u"none")
        result.alpn.clear();
    if (!TestTypes::readTimeout(type, spec, 10000, &result.timeoutMs, error))
        return false;
    if (params)
        *params = result;
    return true;
}

} // namespace StreamSwarm::Validation

namespace StreamSwarm::TestTypes {

namespace {

TestType describeTls()
{
    TestType type;
    type.name = u"tls"_s;
    type.menuOrder = 60;
    type.summary = QT_TRANSLATE_NOOP(
        "StreamSwarm::TestTypes", "TLS handshake time, protocol, cipher and the server's certificate and its expiry");
    type.target = TargetKind::HostPort;
    type.exampleTarget = u"192.0.2.1:443"_s;
    type.params = {
        {u"port"_s, ParamKind::Integer,
            QT_TRANSLATE_NOOP("StreamSwarm::TestTypes", "the port, when the target does not say it (host:port)"), 1,
            65535, u"443"_s, {}},
        {u"sni"_s, ParamKind::Text,
            QT_TRANSLATE_NOOP("StreamSwarm::TestTypes",
                "the server name to send and check the certificate against; by default the target's host name"),
            0, 253, {}, {}},
        {u"alpn"_s, ParamKind::Text,
            QT_TRANSLATE_NOOP("StreamSwarm::TestTypes", "application protocols to offer, comma-separated, or none"), 0,
            255, u"h2,http/1.1"_s, {}},
        {u"ca-file"_s, ParamKind::File,
            QT_TRANSLATE_NOOP("StreamSwarm::TestTypes",
                "a PEM file of authorities to trust instead of the system's, on the agent's host"),
            0, 4096, {}, {}},
        {u"expiry-warning"_s, ParamKind::Integer,
            QT_TRANSLATE_NOOP(
                "StreamSwarm::TestTypes", "warn once when the certificate expires in fewer days than this"),
            0, 3650, u"21"_s, {}},
        {u"timeout"_s, ParamKind::Duration,
            QT_TRANSLATE_NOOP("StreamSwarm::TestTypes",
                "how long connect and handshake may take together; by default the interval, at most 10s"),
            10, 60000, {}, {}},
    };
    type.metricFamily = u"tls"_s;
    type.metrics = {
        {QString::fromUtf16(Metric::TlsConnect), u"ms"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics", "Time to open the TCP connection the handshake runs on")},
        {QString::fromUtf16(Metric::TlsHandshake), u"ms"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics",
                "Time from the open connection to the end of the TLS handshake, certificate validation included")},
        {QString::fromUtf16(Metric::TlsCertValidation), u"ms"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP(
                "StreamSwarm::Metrics", "Time the handshake spent validating the server's certificate chain")},
        {QString::fromUtf16(Metric::TlsCertDaysLeft), u"days"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics",
                "Whole days until the server's certificate expires; negative once it has expired")},
        {QString::fromUtf16(Metric::TlsCertTrusted), u"bool"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics",
                "1 when the certificate chain is trusted and names the server, 0 when it is not")},
    };
    type.detailKind = Protocol::DetailKind::Tls;
    type.chart.line = QString::fromUtf16(Metric::TlsHandshake);
    type.chart.detailTable = true;
    type.chart.axisLabel = QT_TRANSLATE_NOOP("StreamSwarm::TestTypes", "Time (ms)");
    type.chart.lineName = QT_TRANSLATE_NOOP("StreamSwarm::TestTypes", "Handshake time");
    type.chart.title = QT_TRANSLATE_NOOP("StreamSwarm::TestTypes", "TLS handshake time, measured every %1");
    type.checkParams = [](const Protocol::TestSpec &spec, QString *error) {
        return Validation::parseTlsParams(spec, nullptr, error);
    };
    return type;
}

} // namespace

const TestType &tlsType()
{
    static const TestType type = describeTls();
    return type;
}

} // namespace StreamSwarm::TestTypes
