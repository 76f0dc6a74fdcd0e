// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "catalog.h"

#include <QCoreApplication>

namespace StreamSwarm {

namespace {

QList<MetricInfo> buildCatalog()
{
    const auto metric = [](const char16_t *name, const char16_t *unit, MetricKind kind, const char *description) {
        return MetricInfo{QString::fromUtf16(name), QString::fromUtf16(unit), kind, description};
    };
    return {
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
    };
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
