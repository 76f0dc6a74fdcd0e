// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "powersupplyreader.h"

#include <cmath>

#include <QCoreApplication>
#include <QDir>

#include "agent/platform/linux/hardware/sysfsfile.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Agent::Platform {

namespace {

// A laptop draws tens of watts, a workstation's UPS battery a few hundred: beyond this a reading is
// a driver's nonsense.
constexpr double HIGHEST_BATTERY_WATTS = 1000;
constexpr int MAX_STATUS_LENGTH = 32;

// The rate of charge or discharge in watts: power_now (µW), or voltage_now (µV) times current_now
// (µA). Some drivers sign the current by direction; the status says the direction, so the figure is
// its size.
std::optional<double> batteryPower(const QDir &supply)
{
    if (const std::optional<qint64> power = SysfsFile::readInteger(supply.filePath(u"power_now"_s)))
        return std::abs(double(*power)) / 1e6;
    const std::optional<qint64> voltage = SysfsFile::readInteger(supply.filePath(u"voltage_now"_s));
    const std::optional<qint64> current = SysfsFile::readInteger(supply.filePath(u"current_now"_s));
    if (!voltage || !current)
        return std::nullopt;
    return std::abs(double(*voltage) / 1e6 * double(*current) / 1e6);
}

PowerSupply readBattery(const QDir &supply, const QString &name)
{
    PowerSupply battery;
    battery.name = name;
    battery.battery = true;
    if (const std::optional<qint64> capacity = SysfsFile::readInteger(supply.filePath(u"capacity"_s));
        capacity && *capacity >= 0 && *capacity <= 100)
        battery.capacityPct = double(*capacity);
    if (const std::optional<double> power = batteryPower(supply); power && *power <= HIGHEST_BATTERY_WATTS)
        battery.powerW = power;
    battery.status = SysfsFile::readText(supply.filePath(u"status"_s)).value_or(QString()).left(MAX_STATUS_LENGTH);
    return battery;
}

} // namespace

PowerSupplyReader::PowerSupplyReader(const QString &root)
    : m_directory(QDir(root).filePath(u"sys/class/power_supply"_s))
{ }

void PowerSupplyReader::readInto(HardwareReadings &readings) const
{
    const QDir directory(m_directory);
    const QStringList names = directory.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
    bool anyBattery = false;
    for (const QString &name : names) {
        const QDir supply(directory.filePath(name));
        if (SysfsFile::readText(supply.filePath(u"scope"_s)) == u"Device"_s)
            continue;
        const QString type = SysfsFile::readText(supply.filePath(u"type"_s)).value_or(QString());
        if (type == u"Battery"_s) {
            // A bay without its battery still has a directory, with present = 0.
            if (SysfsFile::readInteger(supply.filePath(u"present"_s)).value_or(1) == 0)
                continue;
            readings.supplies.append(readBattery(supply, name));
            anyBattery = true;
        } else if (!type.isEmpty()) {
            PowerSupply external;
            external.name = name;
            if (const std::optional<qint64> online = SysfsFile::readInteger(supply.filePath(u"online"_s)))
                external.online = *online != 0;
            readings.supplies.append(external);
        }
    }
    if (!anyBattery)
        readings.unavailable.append({QString::fromUtf16(HardwareSource::Batteries),
            QCoreApplication::translate("StreamSwarm::Agent::Hardware", "this host has no battery")});
}

} // namespace StreamSwarm::Agent::Platform
