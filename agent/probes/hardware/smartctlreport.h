// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <optional>

#include <QByteArray>
#include <QList>
#include <QString>

namespace StreamSwarm::Agent {

// A drive smartctl found: the device to ask and how to talk to it.
struct ScannedDrive
{
    QString device; // "/dev/sda", "/dev/bus/0"
    QString type; // smartctl's -d type: "sat", "nvme", "scsi", "megaraid,0"
};

// What smartctl said about one drive. A figure the drive did not report is nullopt.
struct DriveHealth
{
    QString drive; // the instance of its metrics: "sda", "nvme0", "bus/0 megaraid,0"
    QString model;
    QString serial;
    QString protocol; // "ATA", "NVMe", "SCSI"
    std::optional<bool> passed; // the drive's overall self-assessment
    std::optional<double> temperatureC;
    std::optional<double> reallocatedSectors; // ATA attribute 5; SCSI grown defects
    std::optional<double> pendingSectors; // ATA attribute 197
    std::optional<double> powerOnHours;
    std::optional<double> nvmeUsedPct; // NVMe percentage used
    std::optional<double> mediaErrors; // NVMe media and data integrity errors
    QString problem; // why smartctl could not read the drive, in plain words; empty when it could
};

// Reading smartctl's JSON (smartmontools 7.0 and later, `--json`). Pure functions, any thread.
namespace SmartctlReport {

// The instance name of a device: "/dev/sda" gives "sda"; a type that names a disk behind a RAID
// controller is added ("bus/0 megaraid,0").
QString driveName(const ScannedDrive &drive);
// `smartctl --scan-open --json`: the drives it found (none: an empty list). nullopt, with a reason,
// when the answer is not smartctl's JSON.
std::optional<QList<ScannedDrive>> parseScan(const QByteArray &json, QString *problem);
// `smartctl --json -a DEVICE`: what the drive reported. A reply that is cut off, not JSON, or
// smartctl's own failure to open the device gives a DriveHealth with only drive and problem set.
DriveHealth parseHealth(const QByteArray &json, const ScannedDrive &drive);

} // namespace SmartctlReport

} // namespace StreamSwarm::Agent
