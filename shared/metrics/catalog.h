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

// The one list of every metric StreamSwarm measures, assembled from the test types' metric families
// (TestTypes::TestType::metrics; the name constants, Metric::PingRttAvg ..., are beside each type's
// descriptor). Agent, console, exports, reports and translations all name metrics through it.
// Thread-safe (immutable after first use).
class MetricCatalog
{
public:
    static const QList<MetricInfo> &all();
    static const MetricInfo *find(QStringView name);
    static QList<MetricInfo> forTestType(QStringView testType);
    static QString describe(const MetricInfo &info); // translated one-line description
};

} // namespace StreamSwarm
