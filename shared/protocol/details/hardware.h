// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <optional>

#include <QCborMap>
#include <QList>
#include <QString>

namespace StreamSwarm::Protocol {

class FieldReader;

inline constexpr int MAX_HARDWARE_DRIVES = 64;
inline constexpr int MAX_HARDWARE_BATTERIES = 8;
inline constexpr int MAX_HARDWARE_SOURCES = 16; // sources named "not available"
inline constexpr int MAX_HARDWARE_NAME_LENGTH = 80; // a drive, battery or source name
inline constexpr int MAX_HARDWARE_TEXT_LENGTH = 128; // a model, serial number, protocol or battery status
inline constexpr int MAX_HARDWARE_REASON_LENGTH = 512; // why a source or drive could not be read

// One drive as smartctl described it. Its figures are the round's smart.* metrics.
struct DriveSummary
{
    QString drive; // the instance of its metrics: "sda", "nvme0"
    QString model; // "ST3500418AS"; empty when the drive did not say
    QString serial;
    QString protocol; // smartctl's: "ATA", "NVMe", "SCSI"
    std::optional<bool> passed; // the drive's own verdict; nullopt when it gave none
    QString problem; // why the drive could not be asked, in plain words; empty when it could
};

struct BatteryState
{
    QString name; // "BAT0"
    QString status; // the kernel's word: "Charging", "Discharging", "Full", "Not charging", "Unknown"
};

// A source of figures this host does not have, or that could not be read this round.
struct UnavailableHardware
{
    QString source; // "temperatures", "fans", "power", "batteries", "memory-errors", "drives"
    QString reason; // in plain words, in the agent's language
};

// A hardware round's detail: the drives with their identity and verdict, the batteries' status,
// and which sources were not available, and why. The figures are its metrics.
struct HardwareDetail
{
    static constexpr char16_t KIND[] = u"hardware"; // the wire's "kind"

    QList<DriveSummary> drives;
    QList<BatteryState> batteries;
    QList<UnavailableHardware> unavailable;

    // The wire form's fields after "kind", and back (README.md beside details.h).
    void writeTo(QCborMap &map) const;
    static HardwareDetail readFrom(const QCborMap &map, FieldReader &reader);
};

} // namespace StreamSwarm::Protocol
