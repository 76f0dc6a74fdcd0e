// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <memory>
#include <optional>

#include <QList>
#include <QString>

// What the hardware test reads from the host's own sensors: temperatures, fans, energy counters,
// batteries and mains, memory error counters. Each platform reads them its own way (Linux: hwmon,
// powercap, power_supply and EDAC under /sys, in platform/linux/hardware/; Windows would use WMI);
// the probe works out rates and metrics from these plain readings. A source that is missing or
// unreadable is named in `unavailable`, never an error.
namespace StreamSwarm::Agent::Platform {

// The sources a reading comes from, as UnavailableSource::source and the hardware detail name them.
namespace HardwareSource {
inline constexpr char16_t Temperatures[] = u"temperatures";
inline constexpr char16_t Fans[] = u"fans";
inline constexpr char16_t Power[] = u"power";
inline constexpr char16_t Batteries[] = u"batteries";
inline constexpr char16_t MemoryErrors[] = u"memory-errors";
inline constexpr char16_t Drives[] = u"drives";
} // namespace HardwareSource

// A source the host does not offer, or would not let us read, and why, in plain words.
struct UnavailableSource
{
    QString source; // one of HardwareSource
    QString reason; // "this host has no hwmon sensors"
};

// One temperature (degrees Celsius) or fan (revolutions per minute).
struct SensorReading
{
    QString name; // the instance: "coretemp Core 0", "nct6775 fan2"
    double value = 0;
};

// A cumulative energy counter (RAPL): it wraps to zero after rangeUj.
struct EnergyCounter
{
    QString domain; // "package-0", "package-0/dram"
    quint64 energyUj = 0;
    quint64 rangeUj = 0; // 0: the range is unknown, so a smaller reading cannot be told from a reset
};

// A battery, or a mains (AC) adapter.
struct PowerSupply
{
    QString name; // "BAT0", "AC"
    bool battery = false; // a battery; otherwise mains, USB or another external supply
    std::optional<double> capacityPct; // batteries: charge left, 0-100
    std::optional<double> powerW; // batteries: the rate of charge or discharge, never negative
    QString status; // batteries: the kernel's word ("Charging", "Discharging", "Full", "Not charging")
    std::optional<bool> online; // external supplies: plugged in and delivering
};

// The error counters of one memory controller (EDAC), since boot or the last reset.
struct EccCounter
{
    QString controller; // "mc0"
    quint64 corrected = 0;
    quint64 uncorrected = 0;
};

struct HardwareReadings
{
    QList<SensorReading> temperatures;
    QList<SensorReading> fans;
    QList<EnergyCounter> energy;
    QList<PowerSupply> supplies;
    QList<EccCounter> ecc;
    QList<UnavailableSource> unavailable;
};

// Reads the readings of one host; cheap file reads, called on the agent's main thread once a round.
class HardwareSensors
{
public:
    virtual ~HardwareSensors() = default;
    virtual HardwareReadings read() const = 0;
};

// This platform's sensors of the system whose root directory is root: "/" for this host, a fixture
// tree in tests.
std::unique_ptr<HardwareSensors> createHardwareSensors(const QString &root);

} // namespace StreamSwarm::Agent::Platform
