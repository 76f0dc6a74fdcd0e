// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "hardware.h"

#include <QCoreApplication>

#include "shared/protocol/validation.h"
#include "shared/testtypes/paramreader.h"
#include "shared/util/duration.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Validation {

namespace {

constexpr qint64 LONGEST_DEFAULT_SMART_TIMEOUT_MS = 10000;

} // namespace

bool parseHardwareParams(const Protocol::TestSpec &spec, HardwareParams *params, QString *error)
{
    const TestTypes::TestType &type = TestTypes::hardwareType();
    if (!TestTypes::checkKnownParams(type, spec, error) || !checkInterval(spec.intervalMs, error))
        return false;
    HardwareParams result;
    result.smartTimeoutMs = std::clamp<qint64>(spec.intervalMs, 1000, LONGEST_DEFAULT_SMART_TIMEOUT_MS);
    if (!TestTypes::readSwitch(type, spec, u"smart", &result.smart, error)
        || !TestTypes::readDuration(type, spec, u"smart-timeout", &result.smartTimeoutMs, error))
        return false;
    // smartctl must have answered before the next round starts; a round never waits longer.
    if (spec.params.contains(u"smart-timeout"_s) && result.smartTimeoutMs > spec.intervalMs) {
        return TestTypes::fail(error,
            Messages::tr("The smart-timeout %1 is longer than the interval %2; lower it or raise the interval.")
                .arg(formatDurationMs(result.smartTimeoutMs), formatDurationMs(spec.intervalMs)));
    }
    result.smartTimeoutMs = std::min(result.smartTimeoutMs, spec.intervalMs);
    if (params)
        *params = result;
    return true;
}

} // namespace StreamSwarm::Validation

namespace StreamSwarm::TestTypes {

namespace {

MetricInfo perInstance(
    const char16_t *name, const QString &unit, MetricKind kind, const char *description, const char16_t *label)
{
    return MetricInfo{QString::fromUtf16(name), unit, kind, description, QString::fromUtf16(label)};
}

TestType describeHardware()
{
    TestType type;
    type.name = u"hardware"_s;
    type.menuOrder = 120;
    type.summary = QT_TRANSLATE_NOOP(
        "StreamSwarm::TestTypes", "Temperatures, fans, power, memory errors and drive health of the agent's own host");
    type.target = TargetKind::ThisHost;
    type.exampleTarget = QString::fromUtf16(Validation::LOCAL_TARGET);
    type.params = {
        {u"smart"_s, ParamKind::Switch,
            QT_TRANSLATE_NOOP("StreamSwarm::TestTypes", "ask smartctl (smartmontools) about the drives' health"), 0, 0,
            u"on"_s, {}},
        {u"smart-timeout"_s, ParamKind::Duration,
            QT_TRANSLATE_NOOP("StreamSwarm::TestTypes",
                "how long smartctl may take for all drives together; by default the interval, at most 10s"),
            1000, 60000, {}, {}},
    };
    type.metricFamily = u"hardware"_s; // its metrics are hw.* (sensors) and smart.* (drives)
    const QString celsius = u"°C"_s;
    const QString count = u"count"_s;
    type.metrics = {
        perInstance(Metric::HwTemperature, celsius, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics",
                "Temperature of a sensor on the board, CPU or another chip, as its driver reports it"),
            MetricLabel::Sensor),
        perInstance(Metric::HwFan, u"rpm"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics", "Speed of a fan; 0 when it has stopped"), MetricLabel::Fan),
        perInstance(Metric::HwPower, u"W"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics",
                "Power drawn by a CPU package or one of its parts (cores, memory) over the round, from its energy "
                "counter"),
            MetricLabel::Domain),
        perInstance(Metric::HwBattery, u"%"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics", "Charge left in a battery"), MetricLabel::Battery),
        perInstance(Metric::HwBatteryPower, u"W"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP(
                "StreamSwarm::Metrics", "Rate at which a battery charges or discharges (its status says which)"),
            MetricLabel::Battery),
        {QString::fromUtf16(Metric::HwAcOnline), u"bool"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics", "1 while the host runs on mains power, 0 while on battery")},
        perInstance(Metric::HwEccCorrected, count, MetricKind::Counter,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics",
                "Memory errors that ECC found and corrected during the round; a few are harmless, a rising count "
                "points at a failing module"),
            MetricLabel::MemoryController),
        perInstance(Metric::HwEccUncorrected, count, MetricKind::Counter,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics",
                "Memory errors that ECC found but could not correct during the round: data was lost"),
            MetricLabel::MemoryController),
        perInstance(Metric::HwEccCorrectedTotal, count, MetricKind::Gauge,
            QT_TRANSLATE_NOOP(
                "StreamSwarm::Metrics", "Corrected memory errors since the host started (or its counters were reset)"),
            MetricLabel::MemoryController),
        perInstance(Metric::HwEccUncorrectedTotal, count, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics",
                "Uncorrected memory errors since the host started (or its counters were reset)"),
            MetricLabel::MemoryController),
        perInstance(Metric::SmartHealthy, u"bool"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics",
                "1 when the drive's own health check passes, 0 when the drive says it is failing"),
            MetricLabel::Drive),
        perInstance(Metric::SmartTemperature, celsius, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics", "Temperature the drive reports"), MetricLabel::Drive),
        perInstance(Metric::SmartReallocated, count, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics",
                "Sectors the drive has replaced with spares because they went bad (SMART attribute 5, or the SCSI "
                "grown "
                "defect list); a rising count warns of failure"),
            MetricLabel::Drive),
        perInstance(Metric::SmartPending, count, MetricKind::Gauge,
            QT_TRANSLATE_NOOP(
                "StreamSwarm::Metrics", "Sectors that could not be read and wait to be replaced (SMART attribute 197)"),
            MetricLabel::Drive),
        perInstance(Metric::SmartPowerOnHours, u"h"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics", "Hours the drive has been powered on in its life"),
            MetricLabel::Drive),
        perInstance(Metric::SmartNvmeUsed, u"%"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP(
                "StreamSwarm::Metrics", "Share of an NVMe drive's rated write endurance used up; may pass 100"),
            MetricLabel::Drive),
        perInstance(Metric::SmartMediaErrors, count, MetricKind::Gauge,
            QT_TRANSLATE_NOOP(
                "StreamSwarm::Metrics", "Data integrity errors an NVMe drive could not recover from, in its life"),
            MetricLabel::Drive),
    };
    type.detailKind = Protocol::DetailKind::Hardware;
    type.chart.line = QString::fromUtf16(Metric::HwTemperature);
    type.chart.detailTable = true;
    type.chart.axisLabel = QT_TRANSLATE_NOOP("StreamSwarm::TestTypes", "Temperature (°C)");
    type.chart.lineName = QT_TRANSLATE_NOOP("StreamSwarm::TestTypes", "Temperature");
    type.chart.title = QT_TRANSLATE_NOOP("StreamSwarm::TestTypes", "Hardware temperatures, measured every %1");
    type.checkParams = [](const Protocol::TestSpec &spec, QString *error) {
        return Validation::parseHardwareParams(spec, nullptr, error);
    };
    return type;
}

} // namespace

const TestType &hardwareType()
{
    static const TestType type = describeHardware();
    return type;
}

} // namespace StreamSwarm::TestTypes
