// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "dns.h"

#include <algorithm>

#include <QCoreApplication>

#include "shared/protocol/validation.h"
#include "shared/testtypes/paramreader.h"
#include "shared/util/duration.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Validation {

namespace {

constexpr qint64 LONGEST_DEFAULT_TIMEOUT_MS = 5000;
constexpr int MAX_DNS_NAME_LENGTH = 253; // RFC 1035 2.3.4's 255 bytes on the wire, without the trailing dot

bool isDnsLabel(QStringView label)
{
    if (label.isEmpty() || label.size() > 63 || label.front() == u'-' || label.back() == u'-')
        return false;
    return std::all_of(label.cbegin(), label.cend(), [](QChar c) {
        return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9') || c == u'-'
            || c == u'_';
    });
}

// A literal IP address as the target (IPv6 without brackets or scope).
QHostAddress targetAddress(const QString &target)
{
    QHostAddress address;
    if (!target.contains(u'%') && address.setAddress(target) && checkHostTarget(target, nullptr))
        return address;
    return {};
}

bool parseServer(const QString &text, DnsParams *result, QString *error)
{
    const auto invalid = [&] {
        return TestTypes::fail(error,
            Messages::tr("The parameter server=%1 is not a DNS server's address; give an IP address, optionally "
                         "with a port: 192.0.2.53, 192.0.2.53:5353 or [2001:db8::53]:5353.")
                .arg(text.left(60)));
    };
    QString host = text;
    QString port;
    if (text.startsWith(u'[')) {
        const auto close = text.indexOf(u']');
        if (close < 0)
            return invalid();
        host = text.mid(1, close - 1);
        const QString rest = text.mid(close + 1);
        if (!rest.isEmpty()) {
            if (!rest.startsWith(u':'))
                return invalid();
            port = rest.mid(1);
        }
    } else if (text.count(u':') == 1) {
        host = text.section(u':', 0, 0);
        port = text.section(u':', 1);
    }
    const QHostAddress address(host);
    if (address.isNull() || host.contains(u'%') || !checkHostTarget(host, nullptr))
        return invalid();
    if (text.startsWith(u'[') && address.protocol() != QAbstractSocket::IPv6Protocol)
        return invalid();
    result->server = address;
    result->serverPort = 53;
    if (!port.isNull()) {
        bool ok = false;
        const uint number = port.toUInt(&ok);
        if (!ok || number < 1 || number > 65535
            || !std::all_of(port.cbegin(), port.cend(), [](QChar c) { return c.isDigit(); })) {
            return TestTypes::fail(error,
                Messages::tr("The port in server=%1 is not valid; give a number from 1 to 65535.").arg(text.left(60)));
        }
        result->serverPort = quint16(number);
    }
    return true;
}

bool parseQueryName(const Protocol::TestSpec &spec, DnsParams *result, QString *error)
{
    const QHostAddress address = targetAddress(spec.target);
    if (!address.isNull()) {
        if (result->queryType != u"PTR") {
            return TestTypes::fail(error,
                Messages::tr("The target %1 is an IP address: look up its name with type=PTR, or give a name to "
                             "look up with type=%2.")
                    .arg(spec.target, result->queryType));
        }
        result->queryName = reverseLookupName(address);
        return true;
    }
    if (!isDnsName(spec.target)) {
        return TestTypes::fail(error,
            Messages::tr("The target \"%1\" is not a DNS name; use labels of letters, digits, '-' and '_' "
                         "separated by dots, such as www.example.com or _sip._udp.example.com.")
                .arg(spec.target.left(80)));
    }
    result->queryName = spec.target;
    if (result->queryName.endsWith(u'.'))
        result->queryName.chop(1);
    return true;
}

} // namespace

QString reverseLookupName(const QHostAddress &address)
{
    bool isV4 = false;
    const quint32 v4 = address.toIPv4Address(&isV4);
    if (isV4) {
        return u"%1.%2.%3.%4.in-addr.arpa"_s.arg(v4 & 0xff).arg((v4 >> 8) & 0xff).arg((v4 >> 16) & 0xff).arg(v4 >> 24);
    }
    if (address.protocol() != QAbstractSocket::IPv6Protocol)
        return {};
    const Q_IPV6ADDR v6 = address.toIPv6Address();
    QString name;
    for (int i = 15; i >= 0; --i) {
        name += QString::number(v6[i] & 0xf, 16) + u'.' + QString::number(v6[i] >> 4, 16) + u'.';
    }
    return name + u"ip6.arpa"_s;
}

bool isDnsName(QStringView name)
{
    if (name.endsWith(u'.'))
        name.chop(1);
    if (name.isEmpty() || name.size() > MAX_DNS_NAME_LENGTH)
        return false;
    const auto labels = name.split(u'.');
    return std::all_of(labels.cbegin(), labels.cend(), isDnsLabel);
}

bool parseDnsParams(const Protocol::TestSpec &spec, DnsParams *params, QString *error)
{
    const TestTypes::TestType &type = TestTypes::dnsType();
    if (!TestTypes::checkKnownParams(type, spec, error))
        return false;
    if (!checkInterval(spec.intervalMs, error))
        return false;
    DnsParams result;
    // Record types are named in capitals, as dig prints them; "mx" means the same.
    Protocol::TestSpec normalised = spec;
    const auto typeParam = normalised.params.find(u"type"_s);
    if (typeParam != normalised.params.end())
        *typeParam = typeParam->toUpper();
    else if (!targetAddress(spec.target).isNull())
        result.queryType = u"PTR"_s; // an address is looked up by its reverse name
    if (!TestTypes::readChoice(type, normalised, u"type", &result.queryType, error)
        || !TestTypes::readSwitch(type, spec, u"tcp", &result.tcp, error)
        || !TestTypes::readSwitch(type, spec, u"recurse", &result.recurse, error)
        || !parseQueryName(spec, &result, error)) {
        return false;
    }
    const auto server = spec.params.constFind(u"server"_s);
    if (server != spec.params.constEnd() && !parseServer(*server, &result, error))
        return false;
    // By default wait as long as the round leaves room for, up to 5 s.
    result.timeoutMs = std::min(spec.intervalMs, LONGEST_DEFAULT_TIMEOUT_MS);
    if (!TestTypes::readDuration(type, spec, u"timeout", &result.timeoutMs, error))
        return false;
    if (result.timeoutMs > spec.intervalMs) {
        return TestTypes::fail(error,
            Messages::tr("A dns round waits up to its timeout %1 for the answer, longer than the interval %2; "
                         "lower the timeout or raise the interval.")
                .arg(formatDurationMs(result.timeoutMs), formatDurationMs(spec.intervalMs)));
    }
    if (params)
        *params = result;
    return true;
}

} // namespace StreamSwarm::Validation

namespace StreamSwarm::TestTypes {

namespace {

TestType describeDns()
{
    TestType type;
    type.name = u"dns"_s;
    type.menuOrder = 40;
    type.summary = QT_TRANSLATE_NOOP(
        "StreamSwarm::TestTypes", "Lookup time and answer of a DNS query, through the system's resolver or a server");
    type.target = TargetKind::DnsName;
    type.exampleTarget = u"www.example.com"_s;
    type.params = {
        {u"type"_s, ParamKind::Choice,
            QT_TRANSLATE_NOOP(
                "StreamSwarm::TestTypes", "the record type to ask for; PTR when the target is an IP address"),
            0, 0, u"A"_s, {u"A"_s, u"AAAA"_s, u"MX"_s, u"TXT"_s, u"NS"_s, u"SRV"_s, u"CNAME"_s, u"PTR"_s}},
        {u"server"_s, ParamKind::Server,
            QT_TRANSLATE_NOOP("StreamSwarm::TestTypes",
                "the DNS server to ask, such as 192.0.2.53 or [2001:db8::53]:5353; by default the system's resolvers"),
            0, 0, {}, {}},
        {u"timeout"_s, ParamKind::Duration,
            QT_TRANSLATE_NOOP("StreamSwarm::TestTypes",
                "how long to wait for the answer, every try included; by default what the interval leaves, at most 5s"),
            10, 60000, {}, {}},
        {u"tcp"_s, ParamKind::Switch,
            QT_TRANSLATE_NOOP("StreamSwarm::TestTypes",
                "ask over TCP from the start (otherwise UDP, and TCP only when the answer is truncated)"),
            0, 0, u"off"_s, {}},
        {u"recurse"_s, ParamKind::Switch,
            QT_TRANSLATE_NOOP("StreamSwarm::TestTypes",
                "ask the server to recurse (the RD flag); off to ask an authoritative server"),
            0, 0, u"on"_s, {}},
    };
    type.metricFamily = u"dns"_s;
    type.metrics = {
        {QString::fromUtf16(Metric::DnsLookup), u"ms"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP(
                "StreamSwarm::Metrics", "Time from sending the DNS query to its answer, retries included")},
        {QString::fromUtf16(Metric::DnsRcode), u"code"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics",
                "Response code of the DNS answer: 0 NOERROR, 2 SERVFAIL, 3 NXDOMAIN, 5 REFUSED")},
        {QString::fromUtf16(Metric::DnsAnswers), u"count"_s, MetricKind::Counter,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics", "Records in the answer section of the DNS answer")},
        {QString::fromUtf16(Metric::DnsTtlMin), u"s"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics", "Shortest time to live among the answer's records")},
    };
    type.detailKind = Protocol::DetailKind::Dns;
    type.chart.line = QString::fromUtf16(Metric::DnsLookup);
    type.chart.lineName = QT_TRANSLATE_NOOP("StreamSwarm::TestTypes", "Lookup time");
    type.chart.detailTable = true;
    type.chart.axisLabel = QT_TRANSLATE_NOOP("StreamSwarm::TestTypes", "Time (ms)");
    type.chart.title = QT_TRANSLATE_NOOP("StreamSwarm::TestTypes", "DNS lookup time, measured every %1");
    type.checkParams = [](const Protocol::TestSpec &spec, QString *error) {
        return Validation::parseDnsParams(spec, nullptr, error);
    };
    return type;
}

} // namespace

const TestType &dnsType()
{
    static const TestType type = describeDns();
    return type;
}

} // namespace StreamSwarm::TestTypes
