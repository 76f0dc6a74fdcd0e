// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QList>
#include <QString>

namespace StreamSwarm {

enum class MetricKind {
    Gauge, // a value at a moment or over one round (RTT, loss)
    Counter, // a count within one round (probes sent)
};

struct MetricInfo
{
    QString name; // "ping.rtt_avg_ms": test type, dot, metric
    QString unit; // "ms", "%", "count"
    MetricKind kind;
    const char *description; // untranslated; show with MetricCatalog::describe()
};

// The one list of every metric StreamSwarm measures. Agent, console, exports, reports and
// translations all name metrics through it. Thread-safe (immutable after first use).
class MetricCatalog
{
public:
    static const QList<MetricInfo> &all();
    static const MetricInfo *find(QStringView name);
    static QList<MetricInfo> forTestType(QStringView testType);
    static QString describe(const MetricInfo &info); // translated one-line description
};

// Metric names as constants so a typo is a compile error, not a silent new metric.
namespace Metric {
inline constexpr char16_t PingRttMin[] = u"ping.rtt_min_ms";
inline constexpr char16_t PingRttAvg[] = u"ping.rtt_avg_ms";
inline constexpr char16_t PingRttMax[] = u"ping.rtt_max_ms";
inline constexpr char16_t PingRttMdev[] = u"ping.rtt_mdev_ms";
inline constexpr char16_t PingJitter[] = u"ping.jitter_ms";
inline constexpr char16_t PingLoss[] = u"ping.loss_pct";
inline constexpr char16_t PingSent[] = u"ping.sent";
inline constexpr char16_t PingReceived[] = u"ping.received";
inline constexpr char16_t PingDuplicates[] = u"ping.duplicates";
inline constexpr char16_t PingRttMedian[] = u"ping.rtt_median_ms";
inline constexpr char16_t PingRttStddev[] = u"ping.rtt_stddev_ms";
inline constexpr char16_t PingReordered[] = u"ping.reordered";
inline constexpr char16_t PingIcmpErrors[] = u"ping.icmp_errors";
// traceroute
inline constexpr char16_t TracerouteHops[] = u"traceroute.hops";
inline constexpr char16_t TracerouteReached[] = u"traceroute.reached";
inline constexpr char16_t TracerouteDestRtt[] = u"traceroute.dest_rtt_ms";
inline constexpr char16_t TracerouteDestLoss[] = u"traceroute.dest_loss_pct";
inline constexpr char16_t TracerouteRouteChanged[] = u"traceroute.route_changed";
} // namespace Metric

} // namespace StreamSwarm
