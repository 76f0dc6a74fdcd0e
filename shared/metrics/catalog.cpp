// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "catalog.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;

namespace StreamSwarm {

namespace {

// qos metrics exist per DSCP class ("qos.ef.rtt_median_ms"): one set for each standard class.
void appendQosMetrics(QList<MetricInfo> &catalog)
{
    struct Figure
    {
        const char16_t *name;
        const char16_t *unit;
        MetricKind kind;
        const char *description;
    };
    static const Figure figures[] = {
        {u"sent", u"count", MetricKind::Counter,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics", "STAMP test packets sent in this class in the round")},
        {u"loss_pct", u"%", MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics", "Share of this class's packets with no answer")},
        {u"fwd_loss_pct", u"%", MetricKind::Gauge,
            QT_TRANSLATE_NOOP(
                "StreamSwarm::Metrics", "Share of this class's packets lost on the way to the reflector")},
        {u"bwd_loss_pct", u"%", MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics", "Share of this class's packets lost on the way back")},
        {u"rtt_min_ms", u"ms", MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics", "Shortest two-way delay in this class, reflector time excluded")},
        {u"rtt_median_ms", u"ms", MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics", "Median two-way delay in this class, reflector time excluded")},
        {u"rtt_max_ms", u"ms", MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics", "Longest two-way delay in this class, reflector time excluded")},
        {u"jitter_ms", u"ms", MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics", "Interarrival jitter (RFC 3550) of this class's two-way delays")},
        {u"fwd_jitter_ms", u"ms", MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics",
                "Interarrival jitter (RFC 3550) on the way to the reflector; needs no synchronised clocks")},
        {u"bwd_jitter_ms", u"ms", MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics",
                "Interarrival jitter (RFC 3550) on the way back from the reflector; needs no synchronised clocks")},
        {u"fwd_reordered", u"count", MetricKind::Counter,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics",
                "Test packets in this class that reached the reflector after a later one in the round")},
        {u"bwd_reordered", u"count", MetricKind::Counter,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics",
                "Replies in this class that reached us after a later reply of the reflector in the round")},
        {u"fwd_duplicates", u"count", MetricKind::Counter,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics",
                "Extra copies of this class's test packets that reached the reflector in the round")},
        {u"bwd_duplicates", u"count", MetricKind::Counter,
            QT_TRANSLATE_NOOP(
                "StreamSwarm::Metrics", "Extra copies of the reflector's replies in this class that reached us")},
        {u"dscp_kept", u"bool", MetricKind::Gauge,
            QT_TRANSLATE_NOOP(
                "StreamSwarm::Metrics", "1 when this class's marking arrived unchanged both ways, else 0")},
        {u"fwd_owd_ms", u"ms", MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics",
                "Median one-way delay to the reflector; only when both clocks are synchronised well enough")},
        {u"bwd_owd_ms", u"ms", MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics",
                "Median one-way delay back from the reflector; only when both clocks are synchronised well enough")},
    };
    QStringList classes{u"be"_s, u"ef"_s};
    for (int cs = 1; cs <= 7; ++cs)
        classes.append(u"cs"_s + QString::number(cs));
    for (int af = 1; af <= 4; ++af) {
        for (int drop = 1; drop <= 3; ++drop)
            classes.append(u"af"_s + QString::number(af) + QString::number(drop));
    }
    for (const QString &cls : std::as_const(classes)) {
        for (const Figure &figure : figures) {
            catalog.append({u"qos."_s + cls + u'.' + QString::fromUtf16(figure.name), QString::fromUtf16(figure.unit),
                figure.kind, figure.description});
        }
    }
}

QList<MetricInfo> buildCatalog()
{
    const auto metric = [](const char16_t *name, const char16_t *unit, MetricKind kind, const char *description) {
        return MetricInfo{QString::fromUtf16(name), QString::fromUtf16(unit), kind, description};
    };
    QList<MetricInfo> catalog{
        metric(Metric::PingRttMin, u"ms", MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics", "Shortest echo round-trip time in the round")),
        metric(Metric::PingRttAvg, u"ms", MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics", "Mean echo round-trip time in the round")),
        metric(Metric::PingRttMax, u"ms", MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics", "Longest echo round-trip time in the round")),
        metric(Metric::PingRttMdev, u"ms", MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics", "Mean deviation of the round-trip times in the round")),
        metric(Metric::PingJitter, u"ms", MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics",
                "Interarrival jitter (RFC 3550) of the round-trip times, running across rounds")),
        metric(Metric::PingLoss, u"%", MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics", "Share of echo requests with no reply in time")),
        metric(Metric::PingSent, u"count", MetricKind::Counter,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics", "Echo requests sent in the round")),
        metric(Metric::PingReceived, u"count", MetricKind::Counter,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics", "Distinct echo replies received in the round")),
        metric(Metric::PingDuplicates, u"count", MetricKind::Counter,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics", "Echo replies received more than once in the round")),
        metric(Metric::PingRttMedian, u"ms", MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics", "Median echo round-trip time in the round")),
        metric(Metric::PingRttStddev, u"ms", MetricKind::Gauge,
            QT_TRANSLATE_NOOP(
                "StreamSwarm::Metrics", "Sample standard deviation of the round-trip times in the round")),
        metric(Metric::PingReordered, u"count", MetricKind::Counter,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics", "Echo replies that arrived after the reply to a later echo")),
        metric(Metric::PingIcmpErrors, u"count", MetricKind::Counter,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics",
                "Echo requests answered by an ICMP error (unreachable, TTL exceeded, prohibited)")),
        // traceroute
        metric(Metric::TracerouteHops, u"count", MetricKind::Gauge,
            QT_TRANSLATE_NOOP(
                "StreamSwarm::Metrics", "Hops on the path to the destination, or probed when not reached")),
        metric(Metric::TracerouteReached, u"bool", MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics", "1 when the round's probes reached the destination, else 0")),
        metric(Metric::TracerouteDestRtt, u"ms", MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics", "Mean round-trip time to the destination in the round")),
        metric(Metric::TracerouteDestLoss, u"%", MetricKind::Gauge,
            QT_TRANSLATE_NOOP(
                "StreamSwarm::Metrics", "Share of the round's probes to the destination without an answer")),
        metric(Metric::TracerouteRouteChanged, u"bool", MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics", "1 when the hop addresses differ from the previous round's")),
    };
    appendQosMetrics(catalog);
    return catalog;
}

} // namespace

const QList<MetricInfo> &MetricCatalog::all()
{
    static const QList<MetricInfo> catalog = buildCatalog();
    return catalog;
}

const MetricInfo *MetricCatalog::find(QStringView name)
{
    for (const MetricInfo &info : all()) {
        if (info.name == name)
            return &info;
    }
    return nullptr;
}

QList<MetricInfo> MetricCatalog::forTestType(QStringView testType)
{
    QList<MetricInfo> result;
    for (const MetricInfo &info : all()) {
        if (QStringView(info.name).startsWith(testType) && info.name.size() > testType.size()
            && info.name.at(testType.size()) == u'.')
            result.append(info);
    }
    return result;
}

QString MetricCatalog::describe(const MetricInfo &info)
{
    return QCoreApplication::translate("StreamSwarm::Metrics", info.description);
}

} // namespace StreamSwarm
