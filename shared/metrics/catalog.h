// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <optional>

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
    // For a metric measured once per interface, disk, core or sensor: the label that names the
    // instance in its samples ("if" for "if.rx_bytes_per_s{if=eth0}"); empty for a single value.
    QString instanceLabel = {};
};

// A sample's metric name: the catalog's name, and for a per-instance metric the instance as a label,
// "if.rx_bytes_per_s{if=eth0}" (one label, as Prometheus writes it). Samples, exports and charts carry
// the whole name; the catalog knows the base.
struct SampleName
{
    QString base; // "if.rx_bytes_per_s"
    QString label; // "if"; empty without an instance
    QString instance; // "eth0"
};

// The longest sample name, base and instance together, and the longest instance in it.
inline constexpr int MAX_SAMPLE_NAME_LENGTH = 160;
inline constexpr int MAX_INSTANCE_LENGTH = 80;

// base{label=instance}. The instance is made safe first: characters that would end or split the
// label ('{', '}', '=', ',', '"', '\\' and control characters) become '_', and it is cut at
// MAX_INSTANCE_LENGTH; an empty instance becomes "_".
QString sampleName(QStringView base, QStringView label, QStringView instance);
// The parts of a sample name; nullopt when it is not "base" or "base{label=instance}" as above.
std::optional<SampleName> parseSampleName(QStringView name);

// The one list of every metric StreamSwarm measures, assembled from the test types' metric families
// (TestTypes::TestType::metrics; the name constants, Metric::PingRttAvg ..., are beside each type's
// descriptor). Agent, console, exports, reports and translations all name metrics through it.
// Thread-safe (immutable after first use).
class MetricCatalog
{
public:
    static const QList<MetricInfo> &all();
    static const MetricInfo *find(QStringView name);
    // The metric a sample name is of: the base's entry, when the label is the one it is measured by
    // (none for a single-value metric); nullptr otherwise.
    static const MetricInfo *findSample(QStringView sampleName);
    static QList<MetricInfo> forTestType(QStringView testType); // the type's descriptor's metrics
    static QString describe(const MetricInfo &info); // translated one-line description
};

} // namespace StreamSwarm
