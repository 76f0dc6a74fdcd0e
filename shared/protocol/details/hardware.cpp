// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "hardware.h"

#include <QCborArray>

#include "shared/protocol/detailcodec.h"
#include "shared/protocol/fieldreader.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Protocol {

namespace {

QCborMap encodeDrive(const DriveSummary &drive)
{
    QCborMap map{{u"drive"_s, drive.drive}, {u"model"_s, drive.model}, {u"serial"_s, drive.serial},
        {u"protocol"_s, drive.protocol}};
    if (drive.passed)
        map.insert(u"passed"_s, *drive.passed);
    if (!drive.problem.isEmpty())
        map.insert(u"problem"_s, drive.problem.left(MAX_HARDWARE_REASON_LENGTH));
    return map;
}

DriveSummary readDrive(const QCborMap &map, FieldReader &reader)
{
    DriveSummary drive;
    drive.drive = reader.text(map, u"drive"_s, MAX_HARDWARE_NAME_LENGTH);
    drive.model = reader.text(map, u"model"_s, MAX_HARDWARE_TEXT_LENGTH);
    drive.serial = reader.text(map, u"serial"_s, MAX_HARDWARE_TEXT_LENGTH);
    drive.protocol = reader.text(map, u"protocol"_s, MAX_HARDWARE_TEXT_LENGTH);
    drive.passed = reader.optionalBoolean(map, u"passed"_s);
    drive.problem = reader.text(map, u"problem"_s, MAX_HARDWARE_REASON_LENGTH, false);
    return drive;
}

BatteryState readBattery(const QCborMap &map, FieldReader &reader)
{
    return BatteryState{reader.text(map, u"name"_s, MAX_HARDWARE_NAME_LENGTH),
        reader.text(map, u"status"_s, MAX_HARDWARE_TEXT_LENGTH, false)};
}

UnavailableHardware readSource(const QCborMap &map, FieldReader &reader)
{
    return UnavailableHardware{reader.text(map, u"source"_s, MAX_HARDWARE_NAME_LENGTH),
        reader.text(map, u"reason"_s, MAX_HARDWARE_REASON_LENGTH)};
}

// Each entry of the list under key, read by readEntry, with a context that names it.
template <typename T, typename ReadEntry>
QList<T> readList(const QCborMap &map, const QString &key, qsizetype maxSize, const QString &entryName,
    FieldReader &reader, ReadEntry readEntry)
{
    QList<T> entries;
    const QCborArray array = reader.array(map, key, maxSize);
    entries.reserve(array.size());
    for (qsizetype i = 0; i < array.size() && reader.ok(); ++i) {
        reader.setContext(u"hardware detail, %1 %2: "_s.arg(entryName).arg(i + 1));
        if (!array.at(i).isMap())
            return reader.fail(u"each %1 must be a map"_s.arg(entryName)), entries;
        entries.append(readEntry(array.at(i).toMap(), reader));
    }
    reader.setContext(u"hardware detail: "_s);
    return entries;
}

} // namespace

void HardwareDetail::writeTo(QCborMap &map) const
{
    QCborArray driveArray;
    for (const DriveSummary &drive : drives)
        driveArray.append(encodeDrive(drive));
    map.insert(u"drives"_s, driveArray);
    QCborArray batteryArray;
    for (const BatteryState &battery : batteries)
        batteryArray.append(QCborMap{{u"name"_s, battery.name}, {u"status"_s, battery.status}});
    map.insert(u"batteries"_s, batteryArray);
    QCborArray sourceArray;
    for (const UnavailableHardware &source : unavailable)
        sourceArray.append(
            QCborMap{{u"source"_s, source.source}, {u"reason"_s, source.reason.left(MAX_HARDWARE_REASON_LENGTH)}});
    map.insert(u"unavailable"_s, sourceArray);
}

HardwareDetail HardwareDetail::readFrom(const QCborMap &map, FieldReader &reader)
{
    HardwareDetail detail;
    detail.drives = readList<DriveSummary>(map, u"drives"_s, MAX_HARDWARE_DRIVES, u"drive"_s, reader, readDrive);
    detail.batteries
        = readList<BatteryState>(map, u"batteries"_s, MAX_HARDWARE_BATTERIES, u"battery"_s, reader, readBattery);
    detail.unavailable
        = readList<UnavailableHardware>(map, u"unavailable"_s, MAX_HARDWARE_SOURCES, u"source"_s, reader, readSource);
    return detail;
}

} // namespace StreamSwarm::Protocol
