// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "hardwareround.h"

#include <QCoreApplication>

#include "shared/metrics/catalog.h"
#include "shared/protocol/codec.h"
#include "shared/testtypes/hardware.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Agent::HardwareRound {

namespace {

class Values
{
public:
    void add(const char16_t *metric, const char16_t *label, const QString &instance, std::optional<double> value)
    {
        if (value && m_values.size() < Protocol::MAX_VALUES_PER_ROUND)
            m_values.append({sampleName(metric, label, instance), *value});
    }
    void add(const char16_t *metric, double value)
    {
        if (m_values.size() < Protocol::MAX_VALUES_PER_ROUND)
            m_values.append({QString::fromUtf16(metric), value});
    }
    QList<Protocol::MetricValue> take() { return std::move(m_values); }

private:
    QList<Protocol::MetricValue> m_values;
};

std::optional<double> flag(std::optional<bool> value)
{
    return value ? std::optional<double>(*value ? 1 : 0) : std::nullopt;
}

} // namespace

QList<Protocol::MetricValue> values(const HardwareFindings &findings)
{
    using namespace Metric;
    using namespace MetricLabel;
    Values values;
    const Platform::HardwareReadings &readings = findings.readings;
    for (const Platform::SensorReading &sensor : readings.temperatures)
        values.add(HwTemperature, Sensor, sensor.name, sensor.value);
    for (const Platform::SensorReading &fan : readings.fans)
        values.add(HwFan, Fan, fan.name, fan.value);
    for (const CounterDeltas::Power &power : findings.power)
        values.add(HwPower, Domain, power.domain, power.watts);
    std::optional<bool> mains;
    for (const Platform::PowerSupply &supply : readings.supplies) {
        if (supply.battery) {
            values.add(HwBattery, Battery, supply.name, supply.capacityPct);
            values.add(HwBatteryPower, Battery, supply.name, supply.powerW);
        } else if (supply.online) {
            mains = mains.value_or(false) || *supply.online;
        }
    }
    if (mains)
        values.add(HwAcOnline, *mains ? 1 : 0);
    for (const Platform::EccCounter &counter : readings.ecc) {
        values.add(HwEccCorrectedTotal, MemoryController, counter.controller, double(counter.corrected));
        values.add(HwEccUncorrectedTotal, MemoryController, counter.controller, double(counter.uncorrected));
    }
    for (const CounterDeltas::NewErrors &errors : findings.newErrors) {
        values.add(HwEccCorrected, MemoryController, errors.controller, double(errors.corrected));
        values.add(HwEccUncorrected, MemoryController, errors.controller, double(errors.uncorrected));
    }
    for (const DriveHealth &drive : findings.drives) {
        values.add(SmartHealthy, Drive, drive.drive, flag(drive.passed));
        values.add(SmartTemperature, Drive, drive.drive, drive.temperatureC);
        values.add(SmartReallocated, Drive, drive.drive, drive.reallocatedSectors);
        values.add(SmartPending, Drive, drive.drive, drive.pendingSectors);
        values.add(SmartPowerOnHours, Drive, drive.drive, drive.powerOnHours);
        values.add(SmartNvmeUsed, Drive, drive.drive, drive.nvmeUsedPct);
        values.add(SmartMediaErrors, Drive, drive.drive, drive.mediaErrors);
    }
    return values.take();
}

Protocol::HardwareDetail detail(const HardwareFindings &findings)
{
    Protocol::HardwareDetail detail;
    for (const DriveHealth &drive : findings.drives) {
        if (detail.drives.size() == Protocol::MAX_HARDWARE_DRIVES)
            break;
        detail.drives.append(Protocol::DriveSummary{drive.drive.left(Protocol::MAX_HARDWARE_NAME_LENGTH),
            drive.model.left(Protocol::MAX_HARDWARE_TEXT_LENGTH), drive.serial.left(Protocol::MAX_HARDWARE_TEXT_LENGTH),
            drive.protocol.left(Protocol::MAX_HARDWARE_TEXT_LENGTH), drive.passed,
            drive.problem.left(Protocol::MAX_HARDWARE_REASON_LENGTH)});
    }
    for (const Platform::PowerSupply &supply : findings.readings.supplies) {
        if (supply.battery && detail.batteries.size() < Protocol::MAX_HARDWARE_BATTERIES)
            detail.batteries.append({supply.name.left(Protocol::MAX_HARDWARE_NAME_LENGTH),
                supply.status.left(Protocol::MAX_HARDWARE_TEXT_LENGTH)});
    }
    for (const Platform::UnavailableSource &source : findings.readings.unavailable)
        detail.unavailable.append({source.source, source.reason});
    if (findings.drivesAsked && !findings.drivesProblem.isEmpty()) {
        detail.unavailable.append({QString::fromUtf16(Platform::HardwareSource::Drives), findings.drivesProblem});
    } else if (findings.drivesAsked && findings.drives.isEmpty()) {
        detail.unavailable.append({QString::fromUtf16(Platform::HardwareSource::Drives),
            QCoreApplication::translate("StreamSwarm::Agent::Hardware", "smartctl found no drive that reports SMART")});
    }
    detail.unavailable = detail.unavailable.mid(0, Protocol::MAX_HARDWARE_SOURCES);
    for (Protocol::UnavailableHardware &source : detail.unavailable)
        source.reason.truncate(Protocol::MAX_HARDWARE_REASON_LENGTH);
    return detail;
}

} // namespace StreamSwarm::Agent::HardwareRound
