// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "traceroute.h"

#include <algorithm>

#include <QCoreApplication>

#include "shared/protocol/validation.h"
#include "shared/testtypes/paramreader.h"
#include "shared/util/duration.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Validation {

namespace {

// UDP probes count up from the port, one per probe of a round (1024 at most); a TCP SYN may go to any port.
int maxTraceroutePort(TracerouteParams::Protocol protocol)
{
    return protocol == TracerouteParams::Protocol::Tcp ? 65535 : 65535 - 1023;
}

} // namespace

bool parseTracerouteParams(const Protocol::TestSpec &spec, TracerouteParams *params, QString *error)
{
    const TestTypes::TestType &type = TestTypes::tracerouteType();
    if (!TestTypes::checkKnownParams(type, spec, error) || !checkInterval(spec.intervalMs, error))
        return false;
    TracerouteParams result;
    QString protocol = u"icmp"_s;
    if (!TestTypes::readChoice(type, spec, u"protocol", &protocol, error))
        return false;
    if (protocol == u"udp") {
        result.protocol = TracerouteParams::Protocol::Udp;
    } else if (protocol == u"tcp") {
        result.protocol = TracerouteParams::Protocol::Tcp;
        result.port = 80;
    }
    if (!TestTypes::readSwitch(type, spec, u"resolve", &result.resolve, error)
        || !TestTypes::readInteger(type, spec, u"max-hops", &result.maxHops, error)
        || !TestTypes::readInteger(type, spec, u"probes", &result.probes, error)
        || !TestTypes::readInteger(type, spec, u"port", &result.port, error, maxTraceroutePort(result.protocol))) {
        return false;
    }
    const qint64 waves = (result.maxHops + TRACEROUTE_WAVE_TTLS - 1) / TRACEROUTE_WAVE_TTLS;
    // By default wait as long as the round leaves room for, up to a second per wave.
    result.timeoutMs = std::clamp<qint64>(spec.intervalMs / waves, 10, 1000);
    if (!TestTypes::readDuration(type, spec, u"timeout", &result.timeoutMs, error))
        return false;
    if (waves * result.timeoutMs > spec.intervalMs) {
        return TestTypes::fail(error,
            Messages::tr("A traceroute round (up to %1 waves of %2 hops, each waiting %3) can take %4, longer than "
                         "the interval %5; lower max-hops or timeout, or raise the interval.")
                .arg(waves)
                .arg(TRACEROUTE_WAVE_TTLS)
                .arg(formatDurationMs(result.timeoutMs), formatDurationMs(waves * result.timeoutMs),
                    formatDurationMs(spec.intervalMs)));
    }
    if (params)
        *params = result;
    return true;
}

} // namespace StreamSwarm::Validation

namespace StreamSwarm::TestTypes {

namespace {

TestType describeTraceroute()
{
    TestType type;
    type.name = u"traceroute"_s;
    type.menuOrder = 20;
    type.summary = QT_TRANSLATE_NOOP("StreamSwarm::TestTypes",
        "The path to a host hop by hop, with each hop's loss and round-trip time, as mtr shows it");
    type.target = TargetKind::Host;
    type.params = {
        {u"protocol"_s, ParamKind::Choice, QT_TRANSLATE_NOOP("StreamSwarm::TestTypes", "what the probes are"), 0, 0,
            u"icmp"_s, {u"icmp"_s, u"udp"_s, u"tcp"_s}},
        {u"max-hops"_s, ParamKind::Integer, QT_TRANSLATE_NOOP("StreamSwarm::TestTypes", "the longest path probed"), 1,
            64, u"30"_s, {}},
        {u"probes"_s, ParamKind::Integer, QT_TRANSLATE_NOOP("StreamSwarm::TestTypes", "probes per hop and round"), 1,
            10, u"3"_s, {}},
        {u"timeout"_s, ParamKind::Duration,
            QT_TRANSLATE_NOOP("StreamSwarm::TestTypes",
                "how long each wave of 16 hops waits; by default what the interval leaves, at most 1s"),
            10, 60000, {}, {}},
        {u"port"_s, ParamKind::Integer,
            QT_TRANSLATE_NOOP("StreamSwarm::TestTypes",
                "udp: the first destination port, one more per probe (default 33434); tcp: the port the SYNs go to "
                "(default 80)"),
            1, 65535, {}, {}},
        {u"resolve"_s, ParamKind::Switch,
            QT_TRANSLATE_NOOP("StreamSwarm::TestTypes", "look up the hops' names; never delays a round"), 0, 0, u"on"_s,
            {}},
    };
    type.metricFamily = u"traceroute"_s;
    type.metrics = {
        {QString::fromUtf16(Metric::TracerouteHops), u"count"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP(
                "StreamSwarm::Metrics", "Hops on the path to the destination, or probed when not reached")},
        {QString::fromUtf16(Metric::TracerouteReached), u"bool"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics", "1 when the round's probes reached the destination, else 0")},
        {QString::fromUtf16(Metric::TracerouteDestRtt), u"ms"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics", "Mean round-trip time to the destination in the round")},
        {QString::fromUtf16(Metric::TracerouteDestLoss), u"%"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP(
                "StreamSwarm::Metrics", "Share of the round's probes to the destination without an answer")},
        {QString::fromUtf16(Metric::TracerouteRouteChanged), u"bool"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics", "1 when the hop addresses differ from the previous round's")},
    };
    type.detailKind = Protocol::DetailKind::Traceroute;
    // The path itself is in each round's detail; the chart follows its last hop.
    type.chart.line = QString::fromUtf16(Metric::TracerouteDestRtt);
    type.chart.loss = QString::fromUtf16(Metric::TracerouteDestLoss);
    type.chart.lineName = QT_TRANSLATE_NOOP("StreamSwarm::TestTypes", "RTT to the destination");
    type.chart.lossName = QT_TRANSLATE_NOOP("StreamSwarm::TestTypes", "Loss to the destination");
    type.chart.title = QT_TRANSLATE_NOOP("StreamSwarm::TestTypes", "The traced path's last hop, traced every %1");
    type.chart.pathTable = true;
    type.checkParams = [](const Protocol::TestSpec &spec, QString *error) {
        return Validation::parseTracerouteParams(spec, nullptr, error);
    };
    return type;
}

} // namespace

const TestType &tracerouteType()
{
    static const TestType type = describeTraceroute();
    return type;
}

} // namespace StreamSwarm::TestTypes
