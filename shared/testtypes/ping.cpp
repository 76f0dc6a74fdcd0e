// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "ping.h"

#include <algorithm>

#include <QCoreApplication>
#include <QHostAddress>

#include "shared/protocol/validation.h"
#include "shared/testtypes/paramreader.h"
#include "shared/util/duration.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Validation {

namespace {

bool parsePingMarking(const Protocol::TestSpec &spec, PingParams *result, QString *error)
{
    const TestTypes::TestType &type = TestTypes::pingType();
    if (!TestTypes::readInteger(type, spec, u"ttl", &result->ttl, error)
        || !TestTypes::readInteger(type, spec, u"tos", &result->tos, error)) {
        return false;
    }
    if (spec.params.contains(u"dscp"_s)) {
        if (spec.params.contains(u"tos"_s))
            return TestTypes::fail(error, Messages::tr("Give either dscp or tos, not both."));
        int codePoint = 0;
        if (!TestTypes::readDscp(type, spec, u"dscp", &codePoint, error))
            return false;
        result->tos = codePoint << 2;
    }
    const auto source = spec.params.constFind(u"source"_s);
    if (source != spec.params.constEnd()) {
        const QHostAddress address(*source);
        if (address.isNull() || !checkHostTarget(*source, nullptr)) {
            return TestTypes::fail(error,
                Messages::tr("The parameter source=%1 is not an IP address; give one of this host's addresses.")
                    .arg(source->left(60)));
        }
        const QHostAddress target(spec.target);
        if (!target.isNull() && target.protocol() != address.protocol()) {
            return TestTypes::fail(error,
                Messages::tr("The source address %1 and the target %2 are of different IP versions.")
                    .arg(*source, spec.target));
        }
        result->source = *source;
    }
    return TestTypes::readInterface(type, spec, u"interface", &result->interface, error);
}

} // namespace

bool parsePingParams(const Protocol::TestSpec &spec, PingParams *params, QString *error)
{
    const TestTypes::TestType &type = TestTypes::pingType();
    if (!TestTypes::checkKnownParams(type, spec, error))
        return false;
    if (!checkInterval(spec.intervalMs, error)) // also keeps the round arithmetic below from overflowing
        return false;
    PingParams result;
    if (!TestTypes::readInteger(type, spec, u"count", &result.count, error)
        || !TestTypes::readInteger(type, spec, u"size", &result.payloadSize, error)
        || !TestTypes::readDuration(type, spec, u"spacing", &result.spacingMs, error)
        || !parsePingMarking(spec, &result, error)) {
        return false;
    }
    // By default wait for replies as long as the round leaves room for, up to a second.
    result.timeoutMs = std::clamp<qint64>(spec.intervalMs - (result.count - 1) * result.spacingMs, 10, 1000);
    if (!TestTypes::readDuration(type, spec, u"timeout", &result.timeoutMs, error))
        return false;
    const qint64 roundMs = (result.count - 1) * result.spacingMs + result.timeoutMs;
    if (roundMs > spec.intervalMs) {
        return TestTypes::fail(error,
            Messages::tr("A ping round (%1 echoes %2 apart, then %3 to wait) takes %4, longer than the "
                         "interval %5; lower count, spacing or timeout, or raise the interval.")
                .arg(result.count)
                .arg(formatDurationMs(result.spacingMs), formatDurationMs(result.timeoutMs), formatDurationMs(roundMs),
                    formatDurationMs(spec.intervalMs)));
    }
    if (params)
        *params = result;
    return true;
}

} // namespace StreamSwarm::Validation

namespace StreamSwarm::TestTypes {

namespace {

TestType describePing()
{
    TestType type;
    type.name = u"ping"_s;
    type.menuOrder = 10;
    type.summary = QT_TRANSLATE_NOOP("StreamSwarm::TestTypes", "Round-trip time and loss of ICMP echoes to a host");
    type.target = TargetKind::Host;
    type.params = {
        {u"count"_s, ParamKind::Integer, QT_TRANSLATE_NOOP("StreamSwarm::TestTypes", "echoes per round"), 1, 100,
            u"1"_s, {}},
        {u"spacing"_s, ParamKind::Duration,
            QT_TRANSLATE_NOOP("StreamSwarm::TestTypes", "time between the echoes of one round"), 10, 60000, u"100ms"_s,
            {}},
        {u"timeout"_s, ParamKind::Duration,
            QT_TRANSLATE_NOOP("StreamSwarm::TestTypes",
                "how long to wait for the last reply; by default what the interval leaves, at most 1s"),
            10, 60000, {}, {}},
        {u"size"_s, ParamKind::Integer,
            QT_TRANSLATE_NOOP("StreamSwarm::TestTypes", "payload bytes after the ICMP header, as ping -s"), 0,
            65507 - 8, u"56"_s, {}},
        {u"ttl"_s, ParamKind::Integer,
            QT_TRANSLATE_NOOP("StreamSwarm::TestTypes", "IPv4 TTL or IPv6 hop limit; by default the system's"), 1, 255,
            {}, {}},
        {u"dscp"_s, ParamKind::Dscp,
            QT_TRANSLATE_NOOP("StreamSwarm::TestTypes", "traffic class: EF, AF41, CS1 ... or 0 to 63; not with tos"), 0,
            63, {}, {}},
        {u"tos"_s, ParamKind::Integer,
            QT_TRANSLATE_NOOP("StreamSwarm::TestTypes", "the whole TOS or traffic class byte; not with dscp"), 0, 255,
            {}, {}},
        {u"source"_s, ParamKind::Address,
            QT_TRANSLATE_NOOP("StreamSwarm::TestTypes", "the address of this host to send from"), 0, 0, {}, {}},
        {u"interface"_s, ParamKind::Interface,
            QT_TRANSLATE_NOOP("StreamSwarm::TestTypes", "the network interface to send through"), 0, 0, {}, {}},
    };
    type.metricFamily = u"ping"_s;
    type.metrics = {
        {QString::fromUtf16(Metric::PingRttMin), u"ms"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics", "Shortest echo round-trip time in the round")},
        {QString::fromUtf16(Metric::PingRttAvg), u"ms"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics", "Mean echo round-trip time in the round")},
        {QString::fromUtf16(Metric::PingRttMax), u"ms"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics", "Longest echo round-trip time in the round")},
        {QString::fromUtf16(Metric::PingRttMdev), u"ms"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics", "Mean deviation of the round-trip times in the round")},
        {QString::fromUtf16(Metric::PingJitter), u"ms"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics",
                "Interarrival jitter (RFC 3550) of the round-trip times, running across rounds")},
        {QString::fromUtf16(Metric::PingLoss), u"%"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics", "Share of echo requests with no reply in time")},
        {QString::fromUtf16(Metric::PingSent), u"count"_s, MetricKind::Counter,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics", "Echo requests sent in the round")},
        {QString::fromUtf16(Metric::PingReceived), u"count"_s, MetricKind::Counter,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics", "Distinct echo replies received in the round")},
        {QString::fromUtf16(Metric::PingDuplicates), u"count"_s, MetricKind::Counter,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics", "Echo replies received more than once in the round")},
        {QString::fromUtf16(Metric::PingRttMedian), u"ms"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics", "Median echo round-trip time in the round")},
        {QString::fromUtf16(Metric::PingRttStddev), u"ms"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP(
                "StreamSwarm::Metrics", "Sample standard deviation of the round-trip times in the round")},
        {QString::fromUtf16(Metric::PingReordered), u"count"_s, MetricKind::Counter,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics", "Echo replies that arrived after the reply to a later echo")},
        {QString::fromUtf16(Metric::PingIcmpErrors), u"count"_s, MetricKind::Counter,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics",
                "Echo requests answered by an ICMP error (unreachable, TTL exceeded, prohibited)")},
    };
    type.detailKind = Protocol::DetailKind::Ping;
    // SmokePing's picture: the median, the rounds' spread as smoke inside the min-max band, loss as colour.
    type.chart.line = QString::fromUtf16(Metric::PingRttMedian);
    type.chart.minimum = QString::fromUtf16(Metric::PingRttMin);
    type.chart.maximum = QString::fromUtf16(Metric::PingRttMax);
    type.chart.loss = QString::fromUtf16(Metric::PingLoss);
    type.chart.spread = QString::fromUtf16(Metric::PingRttStddev);
    type.chart.lineName = QT_TRANSLATE_NOOP("StreamSwarm::TestTypes", "Median RTT");
    type.chart.spreadName = QT_TRANSLATE_NOOP("StreamSwarm::TestTypes", "Typical spread (±σ)");
    type.chart.bandName = QT_TRANSLATE_NOOP("StreamSwarm::TestTypes", "Min–max RTT");
    type.chart.lossName = QT_TRANSLATE_NOOP("StreamSwarm::TestTypes", "Packet loss");
    type.chart.reportExtras = {QString::fromUtf16(Metric::PingJitter)};
    type.chart.reportExtraNames = {QT_TRANSLATE_NOOP("StreamSwarm::TestTypes", "Jitter")};
    type.chart.title
        = QT_TRANSLATE_NOOP("StreamSwarm::TestTypes", "Round-trip time and packet loss, measured every %1");
    type.checkParams = [](const Protocol::TestSpec &spec, QString *error) {
        return Validation::parsePingParams(spec, nullptr, error);
    };
    return type;
}

} // namespace

const TestType &pingType()
{
    static const TestType type = describePing();
    return type;
}

} // namespace StreamSwarm::TestTypes
