// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "qos.h"

#include <algorithm>

#include <QCoreApplication>

#include "shared/protocol/validation.h"
#include "shared/testtypes/paramreader.h"
#include "shared/util/duration.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Validation {

namespace {

const QString DEFAULT_CLASSES = u"ef,af41,cs1,be"_s;

bool parseClasses(const Protocol::TestSpec &spec, QosParams *result, QString *error)
{
    const QStringList classes = spec.params.value(u"classes"_s, DEFAULT_CLASSES).split(u',', Qt::SkipEmptyParts);
    for (const QString &text : classes) {
        const int dscp = parseDscp(text.trimmed());
        if (dscp < 0) {
            return TestTypes::fail(error,
                Messages::tr("\"%1\" in classes= is not a DSCP class; use names like EF, AF41, CS1, BE or numbers "
                             "0-63.")
                    .arg(text.trimmed().left(20)));
        }
        if (std::any_of(
                result->classes.cbegin(), result->classes.cend(), [&](const auto &c) { return c.second == dscp; }))
            return TestTypes::fail(
                error, Messages::tr("The class %1 is listed twice in classes=.").arg(dscpClassName(dscp)));
        result->classes.append({dscpClassName(dscp), dscp});
    }
    if (result->classes.isEmpty() || result->classes.size() > MAX_QOS_CLASSES) {
        return TestTypes::fail(error,
            Messages::tr("Give 1 to %1 DSCP classes in classes=, e.g. classes=ef,af41,be.").arg(MAX_QOS_CLASSES));
    }
    return true;
}

} // namespace

bool parseQosParams(const Protocol::TestSpec &spec, QosParams *params, QString *error)
{
    const TestTypes::TestType &type = TestTypes::qosType();
    if (!TestTypes::checkKnownParams(type, spec, error))
        return false;
    if (!checkReflectorTarget(type.name, spec.target, error))
        return false;
    QosParams result;
    if (!parseClasses(spec, &result, error) || !TestTypes::readInteger(type, spec, u"count", &result.count, error)
        || !TestTypes::readDuration(type, spec, u"spacing", &result.spacingMs, error)
        || !TestTypes::readDuration(type, spec, u"timeout", &result.timeoutMs, error)
        || !TestTypes::readInteger(type, spec, u"port", &result.port, error)) {
        return false;
    }
    const qint64 roundMs = qint64(result.classes.size()) * result.count * result.spacingMs + result.timeoutMs;
    if (roundMs > spec.intervalMs) {
        return TestTypes::fail(error,
            Messages::tr("A qos round (%1 classes x %2 packets %3 apart, then %4 to wait) takes %5, longer than the "
                         "interval %6; lower count, spacing or timeout, or raise the interval.")
                .arg(result.classes.size())
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

// qos metrics exist per DSCP class ("qos.ef.rtt_median_ms"): one set for each standard class.
QList<MetricInfo> qosMetrics()
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
    QList<MetricInfo> metrics;
    for (const QString &cls : std::as_const(classes)) {
        for (const Figure &figure : figures) {
            metrics.append({u"qos."_s + cls + u'.' + QString::fromUtf16(figure.name), QString::fromUtf16(figure.unit),
                figure.kind, figure.description});
        }
    }
    return metrics;
}

TestType describeQos()
{
    TestType type;
    type.name = u"qos"_s;
    type.menuOrder = 30;
    type.summary = QT_TRANSLATE_NOOP("StreamSwarm::TestTypes",
        "Delay, loss, jitter and DSCP handling per traffic class, both ways, to a STAMP reflector (RFC 8762)");
    type.target = TargetKind::ReflectorOrAgent;
    type.params = {
        {u"classes"_s, ParamKind::DscpList,
            QT_TRANSLATE_NOOP("StreamSwarm::TestTypes", "the DSCP classes measured, separated by commas"), 0, 0,
            Validation::DEFAULT_CLASSES, {}},
        {u"count"_s, ParamKind::Integer, QT_TRANSLATE_NOOP("StreamSwarm::TestTypes", "packets per class and round"), 1,
            1000, u"5"_s, {}},
        {u"spacing"_s, ParamKind::Duration, QT_TRANSLATE_NOOP("StreamSwarm::TestTypes", "time between packets"), 1,
            1000, u"10ms"_s, {}},
        {u"timeout"_s, ParamKind::Duration,
            QT_TRANSLATE_NOOP("StreamSwarm::TestTypes", "how long to wait for the last answers"), 10, 10000, u"500ms"_s,
            {}},
        {u"port"_s, ParamKind::Integer,
            QT_TRANSLATE_NOOP("StreamSwarm::TestTypes",
                "the reflector's UDP port; for agent:NAME, by default the port that agent announced"),
            1, 65535, u"862"_s, {}},
    };
    type.metricFamily = u"qos"_s;
    type.metrics = qosMetrics();
    type.detailKind = Protocol::DetailKind::Qos;
    // One class per chart: the first one asked for, usually the one that matters (EF).
    type.chart.line = u"qos.{class}.rtt_median_ms"_s;
    type.chart.minimum = u"qos.{class}.rtt_min_ms"_s;
    type.chart.maximum = u"qos.{class}.rtt_max_ms"_s;
    type.chart.loss = u"qos.{class}.loss_pct"_s;
    type.chart.lineName = QT_TRANSLATE_NOOP("StreamSwarm::TestTypes", "Median RTT, %1");
    type.chart.bandName = QT_TRANSLATE_NOOP("StreamSwarm::TestTypes", "Min–max RTT, %1");
    type.chart.lossName = QT_TRANSLATE_NOOP("StreamSwarm::TestTypes", "Packet loss, %1");
    type.chart.title = QT_TRANSLATE_NOOP("StreamSwarm::TestTypes", "Class %2 to the reflector, measured every %1");
    type.checkParams = [](const Protocol::TestSpec &spec, QString *error) {
        return Validation::parseQosParams(spec, nullptr, error);
    };
    type.chartClasses = [](const Protocol::TestSpec &spec) {
        Validation::QosParams params;
        QStringList classes;
        if (Validation::parseQosParams(spec, &params, nullptr)) {
            for (const auto &[name, dscp] : params.classes)
                classes.append(name);
        }
        return classes;
    };
    return type;
}

} // namespace

const TestType &qosType()
{
    static const TestType type = describeQos();
    return type;
}

} // namespace StreamSwarm::TestTypes
