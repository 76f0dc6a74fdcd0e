// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "bandwidth.h"

#include <QCoreApplication>

#include "shared/protocol/validation.h"
#include "shared/testtypes/paramreader.h"
#include "shared/util/duration.h"

using namespace Qt::StringLiterals;

namespace {

constexpr quint16 IPERF3_PORT = 5201;
constexpr qint64 UDP_DEFAULT_BITRATE = 1'000'000; // iperf3's own default
// What the results' exchange after the measurement may take, on a loaded link.
constexpr qint64 RESULTS_MS = 4000;

} // namespace

namespace StreamSwarm::Validation {

qint64 BandwidthParams::roundLimitMs() const
{
    const int directions = isHttp() ? int(download) + int(upload) : 1;
    return directions * (connectTimeoutMs + 1000LL * (omitSeconds + seconds)) + RESULTS_MS;
}

bool parseBandwidthParams(const Protocol::TestSpec &spec, BandwidthParams *params, QString *error)
{
    const TestTypes::TestType &type = TestTypes::bandwidthType();
    if (!TestTypes::checkKnownParams(type, spec, error))
        return false;
    BandwidthParams result;
    QString protocol = u"tcp"_s;
    QString direction = u"both"_s;
    qint64 durationMs = 10'000;
    if (!TestTypes::readChoice(type, spec, u"method", &result.method, error))
        return false;
    // Each method's own parameters; the others' are refused, not ignored.
    static const QList<std::pair<QString, QStringList>> ownParams{
        {u"port"_s, {u"iperf3"_s}},
        {u"protocol"_s, {u"iperf3"_s, u"agent"_s}},
        {u"reverse"_s, {u"iperf3"_s, u"agent"_s}},
        {u"bitrate"_s, {u"iperf3"_s, u"agent"_s}},
        {u"dscp"_s, {u"iperf3"_s, u"agent"_s}},
        {u"direction"_s, {u"http"_s}},
    };
    for (const auto &[key, methods] : ownParams) {
        if (spec.params.contains(key) && !methods.contains(result.method)) {
            return TestTypes::fail(error,
                Messages::tr("The parameter %1 is for method=%2; this test's method is %3.")
                    .arg(key, methods.join(Messages::tr(" or method=")), result.method));
        }
    }
    const QString peerAgent = agentTargetName(spec.target);
    if (result.isAgent()) {
        if (peerAgent.isEmpty()) {
            return TestTypes::fail(error,
                Messages::tr("A bandwidth test with method=agent measures to another agent: give the target as "
                             "agent:NAME, not \"%1\".")
                    .arg(spec.target.left(80)));
        }
        if (!checkName(Messages::tr("agent name after agent:"), peerAgent, error))
            return false;
        result.peerAgent = peerAgent;
        result.port = 0; // the serving agent's, given with each turn
    } else if (!peerAgent.isEmpty()) {
        return TestTypes::fail(error,
            Messages::tr("The target %1 is an agent; measuring to another agent needs method=agent.")
                .arg(spec.target.left(80)));
    } else if (result.isHttp()) {
        if (!checkHttpUrl(spec.target, error))
            return false;
        result.url = spec.target;
        result.streams = 4;
    } else if (!TestTypes::readTargetPort(type, spec, IPERF3_PORT, &result.host, &result.port, error)) {
        return false;
    }
    qint64 omitMs = result.isHttp() ? 2000 : 0;
    if (!TestTypes::readChoice(type, spec, u"protocol", &protocol, error)
        || !TestTypes::readChoice(type, spec, u"direction", &direction, error)
        || !TestTypes::readInteger(type, spec, u"streams", &result.streams, error)
        || !TestTypes::readDuration(type, spec, u"duration", &durationMs, error)
        || !TestTypes::readDuration(type, spec, u"omit", &omitMs, error)
        || !TestTypes::readSwitch(type, spec, u"reverse", &result.reverse, error)
        || !TestTypes::readBitrate(type, spec, u"bitrate", &result.bitsPerSecond, error)
        || !TestTypes::readDscp(type, spec, u"dscp", &result.dscp, error)
        || !TestTypes::readDuration(type, spec, u"connect-timeout", &result.connectTimeoutMs, error))
        return false;
    // iperf3 counts whole seconds, and the speed test reports each second.
    for (const auto &[key, ms] : {std::pair{u"duration"_s, durationMs}, std::pair{u"omit"_s, omitMs}}) {
        if (ms % 1000) {
            return TestTypes::fail(error,
                Messages::tr("The parameter %1=%2 is not whole seconds; the bandwidth test counts whole seconds (e.g. "
                             "10s).")
                    .arg(key, spec.params.value(key).left(40)));
        }
    }
    result.seconds = int(durationMs / 1000);
    result.omitSeconds = int(omitMs / 1000);
    result.udp = protocol == u"udp";
    result.download = direction != u"upload";
    result.upload = direction != u"download";
    if (result.udp && !result.bitsPerSecond)
        result.bitsPerSecond = UDP_DEFAULT_BITRATE;
    if (result.roundLimitMs() > spec.intervalMs) {
        return TestTypes::fail(error,
            Messages::tr("A bandwidth test measuring %1 (after %2 of warm-up) needs an interval of at least %3 to "
                         "connect, measure and exchange results (each direction in turn, for http); the interval "
                         "is %4. Raise the interval or shorten duration.")
                .arg(formatDurationMs(durationMs), formatDurationMs(omitMs), formatDurationMs(result.roundLimitMs()),
                    formatDurationMs(spec.intervalMs)));
    }
    if (params)
        *params = result;
    return true;
}

} // namespace StreamSwarm::Validation

namespace StreamSwarm::TestTypes {

namespace {

TestType describeBandwidth()
{
    TestType type;
    type.name = u"bandwidth"_s;
    type.menuOrder = 80;
    type.summary = QT_TRANSLATE_NOOP("StreamSwarm::TestTypes",
        "Throughput to an iperf3 server or to another agent (TCP or UDP, with libiperf), or a speed test to a "
        "LibreSpeed server");
    type.target = TargetKind::ServerOrUrl;
    type.exampleTarget = u"192.0.2.1"_s;
    type.params = {
        {u"method"_s, ParamKind::Choice,
            QT_TRANSLATE_NOOP("StreamSwarm::TestTypes",
                "how it is measured: iperf3 (the target is any iperf3 server, host[:port]), agent (the target is "
                "another agent, agent:NAME, which serves the measurement while the console gives the two a turn) "
                "or http (a speed test: the target is a LibreSpeed server's URL, e.g. "
                "https://speed.example.net/backend/)"),
            0, 0, u"iperf3"_s, {u"iperf3"_s, u"agent"_s, u"http"_s}},
        {u"port"_s, ParamKind::Integer,
            QT_TRANSLATE_NOOP("StreamSwarm::TestTypes", "iperf3: the server's port, when the target does not say it"),
            1, 65535, u"5201"_s, {}},
        {u"protocol"_s, ParamKind::Choice,
            QT_TRANSLATE_NOOP("StreamSwarm::TestTypes",
                "iperf3: tcp (as fast as the path allows) or udp (at the bit rate, reporting loss and jitter)"),
            0, 0, u"tcp"_s, {u"tcp"_s, u"udp"_s}},
        {u"streams"_s, ParamKind::Integer,
            QT_TRANSLATE_NOOP(
                "StreamSwarm::TestTypes", "parallel connections (iperf3 -P); by default 1 for iperf3, 4 for http"),
            1, 32, {}, {}},
        {u"direction"_s, ParamKind::Choice,
            QT_TRANSLATE_NOOP(
                "StreamSwarm::TestTypes", "http: download, upload, or both one after the other (by default both)"),
            0, 0, {}, {u"both"_s, u"download"_s, u"upload"_s}},
        {u"duration"_s, ParamKind::Duration,
            QT_TRANSLATE_NOOP("StreamSwarm::TestTypes", "how long it measures, in whole seconds (iperf3 -t)"), 1000,
            60'000, u"10s"_s, {}},
        {u"omit"_s, ParamKind::Duration,
            QT_TRANSLATE_NOOP("StreamSwarm::TestTypes",
                "a warm-up before measuring, sent but not counted, in whole seconds (iperf3 -O); by default 0s for "
                "iperf3, 2s for http"),
            0, 10'000, {}, {}},
        {u"reverse"_s, ParamKind::Switch,
            QT_TRANSLATE_NOOP(
                "StreamSwarm::TestTypes", "iperf3: on, the server sends and this agent receives (iperf3 -R)"),
            0, 0, u"off"_s, {}},
        {u"bitrate"_s, ParamKind::Bitrate,
            QT_TRANSLATE_NOOP("StreamSwarm::TestTypes",
                "iperf3: the rate each stream sends at (-b), e.g. 100M; by default unlimited for tcp, 1M for udp"),
            1000, 100'000'000'000LL, {}, {}},
        {u"dscp"_s, ParamKind::Dscp,
            QT_TRANSLATE_NOOP("StreamSwarm::TestTypes", "iperf3: the packets' traffic class: EF, AF41 ... or 0 to 63"),
            0, 63, u"BE"_s, {}},
        {u"connect-timeout"_s, ParamKind::Duration,
            QT_TRANSLATE_NOOP("StreamSwarm::TestTypes", "how long to wait for the server to answer"), 100, 10'000,
            u"3s"_s, {}},
    };
    type.metricFamily = u"bandwidth"_s;
    type.metrics = {
        {QString::fromUtf16(Metric::BandwidthThroughput), u"Mbit/s"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics",
                "Throughput: the data that arrived at the receiving end per second, all streams together (a speed "
                "test: its download, or its upload when it only uploads)")},
        {QString::fromUtf16(Metric::BandwidthSent), u"Mbit/s"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP(
                "StreamSwarm::Metrics", "The data the sending end sent per second, all streams together")},
        {QString::fromUtf16(Metric::BandwidthRetransmits), u"count"_s, MetricKind::Counter,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics", "TCP segments the sending end sent again during the test")},
        {QString::fromUtf16(Metric::BandwidthJitter), u"ms"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics",
                "UDP: how unevenly the packets arrived (RFC 3550 jitter, as iperf3 reports it)")},
        {QString::fromUtf16(Metric::BandwidthLoss), u"%"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics", "UDP: datagrams that did not arrive, of those sent")},
        {QString::fromUtf16(Metric::BandwidthDownload), u"Mbit/s"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP(
                "StreamSwarm::Metrics", "Speed test: what the server's data arrived at, after the warm-up")},
        {QString::fromUtf16(Metric::BandwidthUpload), u"Mbit/s"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics",
                "Speed test: what this agent's uploads were sent at, after the "
                "warm-up")},
    };
    type.detailKind = Protocol::DetailKind::Bandwidth;
    type.chart.line = QString::fromUtf16(Metric::BandwidthThroughput);
    type.chart.loss = QString::fromUtf16(Metric::BandwidthLoss);
    type.chart.lineName = QT_TRANSLATE_NOOP("StreamSwarm::TestTypes", "Throughput");
    type.chart.lossName = QT_TRANSLATE_NOOP("StreamSwarm::TestTypes", "UDP datagrams lost");
    type.chart.title = QT_TRANSLATE_NOOP("StreamSwarm::TestTypes", "Throughput, measured every %1");
    type.chart.axisLabel = QT_TRANSLATE_NOOP("StreamSwarm::TestTypes", "Throughput (Mbit/s)");
    type.chart.detailTable = true;
    type.agentTargetEachRound = true;
    type.checkParams = [](const Protocol::TestSpec &spec, QString *error) {
        return Validation::parseBandwidthParams(spec, nullptr, error);
    };
    type.chartsLoss = [](const Protocol::TestSpec &spec) { // UDP loses datagrams; TCP sends again
        Validation::BandwidthParams params;
        return Validation::parseBandwidthParams(spec, &params, nullptr) && params.udp;
    };
    return type;
}

} // namespace

const TestType &bandwidthType()
{
    static const TestType type = describeBandwidth();
    return type;
}

} // namespace StreamSwarm::TestTypes
