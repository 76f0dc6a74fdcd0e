// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "chartmetrics.h"

#include <QCoreApplication>
#include <QDateTime>

#include "shared/metrics/catalog.h"
#include "shared/protocol/validation.h"
#include "shared/util/duration.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("StreamSwarm::Console::ChartMetrics", text);
}

} // namespace

std::optional<ChartMetrics> chartMetricsFor(const TestRecord &test)
{
    const QString every = formatDurationMs(test.intervalMs);
    ChartMetrics chart;
    if (test.type == u"ping"_s) {
        chart.line = QString::fromUtf16(Metric::PingRttAvg);
        chart.minimum = QString::fromUtf16(Metric::PingRttMin);
        chart.maximum = QString::fromUtf16(Metric::PingRttMax);
        chart.loss = QString::fromUtf16(Metric::PingLoss);
        chart.lineName = tr("Average RTT");
        chart.bandName = tr("Min–max RTT");
        chart.lossName = tr("Packet loss");
        chart.title = tr("Round-trip time and packet loss, measured every %1").arg(every);
        return chart;
    }
    if (test.type == u"traceroute"_s) {
        // The path itself is in each round's detail; the chart follows its last hop.
        chart.line = QString::fromUtf16(Metric::TracerouteDestRtt);
        chart.loss = QString::fromUtf16(Metric::TracerouteDestLoss);
        chart.lineName = tr("RTT to the destination");
        chart.lossName = tr("Loss to the destination");
        chart.title = tr("The traced path's last hop, traced every %1").arg(every);
        return chart;
    }
    if (test.type == u"qos"_s) {
        // One class per chart: the first one asked for, usually the one that matters (EF).
        Validation::QosParams params;
        QString error;
        const Protocol::TestSpec spec = test.toSpec(QDateTime::currentMSecsSinceEpoch());
        if (!Validation::parseQosParams(spec, &params, &error) || params.classes.empty())
            return std::nullopt;
        const QString name = params.classes.front().first;
        const QString prefix = u"qos."_s + name + u'.';
        chart.line = prefix + u"rtt_median_ms"_s;
        chart.minimum = prefix + u"rtt_min_ms"_s;
        chart.maximum = prefix + u"rtt_max_ms"_s;
        chart.loss = prefix + u"loss_pct"_s;
        const QString label = name.toUpper();
        chart.lineName = tr("Median RTT, %1").arg(label);
        chart.bandName = tr("Min–max RTT, %1").arg(label);
        chart.lossName = tr("Packet loss, %1").arg(label);
        chart.title = tr("Class %1 to the reflector, measured every %2").arg(label, every);
        return chart;
    }
    return std::nullopt;
}

} // namespace StreamSwarm::Console
