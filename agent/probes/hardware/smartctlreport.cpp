// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "smartctlreport.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace StreamSwarm::Agent::SmartctlReport {

namespace {

// smartctl's exit status is a bit mask (smartctl(8)); these two mean it learned nothing of the drive.
// The others (a failing drive, errors in its logs) come with a full report.
constexpr int EXIT_COMMAND_LINE = 1 << 0;
constexpr int EXIT_DEVICE_OPEN = 1 << 1;

constexpr int ATA_REALLOCATED_SECTORS = 5;
constexpr int ATA_PENDING_SECTORS = 197;

constexpr double LOWEST_CELSIUS = -40;
constexpr double HIGHEST_CELSIUS = 150;
// Some vendors pack several fields into an attribute's 48-bit raw value; a sector count beyond this is
// one of those, not a count.
constexpr double HIGHEST_SECTOR_COUNT = 4'294'967'295.0;
constexpr double HIGHEST_HOURS = 1'000'000; // over a century
constexpr double HIGHEST_USED_PCT = 255; // NVMe: a byte, and "may exceed 100"
constexpr int MAX_TEXT_LENGTH = 128;

std::optional<double> within(const QJsonValue &value, double lowest, double highest)
{
    if (!value.isDouble())
        return std::nullopt;
    const double number = value.toDouble();
    return number >= lowest && number <= highest ? std::optional<double>(number) : std::nullopt;
}

QString text(const QJsonValue &value)
{
    return value.toString().trimmed().left(MAX_TEXT_LENGTH);
}

std::optional<QJsonObject> parseObject(const QByteArray &json, QString *problem)
{
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject()
        || !document.object().value(u"smartctl"_s).isObject()) {
        *problem = json.trimmed().isEmpty()
            ? QCoreApplication::translate("StreamSwarm::Agent::Hardware", "smartctl gave no answer")
            : QCoreApplication::translate("StreamSwarm::Agent::Hardware",
                "smartctl's answer could not be read (is it older than version 7.0, which added --json?)");
        return std::nullopt;
    }
    return document.object();
}

// smartctl's first error message ("/dev/sdb: Unable to detect device type"), or a general one.
QString failure(const QJsonObject &smartctl)
{
    const QJsonArray messages = smartctl.value(u"messages"_s).toArray();
    for (const QJsonValue &message : messages) {
        if (message[u"severity"_s].toString() == u"error"_s && !message[u"string"_s].toString().isEmpty())
            return QCoreApplication::translate("StreamSwarm::Agent::Hardware", "smartctl: %1")
                .arg(text(message[u"string"_s]));
    }
    return QCoreApplication::translate("StreamSwarm::Agent::Hardware", "smartctl could not open the drive");
}

std::optional<double> ataAttribute(const QJsonObject &report, int id)
{
    const QJsonArray table = report[u"ata_smart_attributes"_s][u"table"_s].toArray();
    for (const QJsonValue &attribute : table) {
        if (attribute[u"id"_s].toInt(-1) == id)
            return within(attribute[u"raw"_s][u"value"_s], 0, HIGHEST_SECTOR_COUNT);
    }
    return std::nullopt;
}

QString modelOf(const QJsonObject &report)
{
    if (report.contains(u"model_name"_s))
        return text(report[u"model_name"_s]);
    if (report.contains(u"scsi_model_name"_s))
        return text(report[u"scsi_model_name"_s]);
    return text(QJsonValue(report[u"scsi_vendor"_s].toString() + u' ' + report[u"scsi_product"_s].toString()));
}

} // namespace

QString driveName(const ScannedDrive &drive)
{
    QString name = drive.device.startsWith(u"/dev/"_s) ? drive.device.mid(5) : drive.device;
    if (drive.type.contains(u','))
        name += u' ' + drive.type;
    return name;
}

std::optional<QList<ScannedDrive>> parseScan(const QByteArray &json, QString *problem)
{
    const std::optional<QJsonObject> scan = parseObject(json, problem);
    if (!scan)
        return std::nullopt;
    QList<ScannedDrive> drives;
    const QJsonArray devices = scan->value(u"devices"_s).toArray();
    for (const QJsonValue &device : devices) {
        const QString name = device[u"name"_s].toString();
        if (!name.isEmpty())
            drives.append(ScannedDrive{name, device[u"type"_s].toString()});
    }
    return drives;
}

DriveHealth parseHealth(const QByteArray &json, const ScannedDrive &drive)
{
    DriveHealth health;
    health.drive = driveName(drive);
    const std::optional<QJsonObject> parsed = parseObject(json, &health.problem);
    if (!parsed)
        return health;
    const QJsonObject &report = *parsed;
    const QJsonObject smartctl = report[u"smartctl"_s].toObject();
    if (smartctl[u"exit_status"_s].toInt() & (EXIT_COMMAND_LINE | EXIT_DEVICE_OPEN)) {
        health.problem = failure(smartctl);
        return health;
    }
    health.model = modelOf(report);
    health.serial = text(report[u"serial_number"_s]);
    health.protocol = text(report[u"device"_s][u"protocol"_s]);
    const QJsonValue passed = report[u"smart_status"_s][u"passed"_s];
    if (passed.isBool())
        health.passed = passed.toBool();
    const QJsonObject nvme = report[u"nvme_smart_health_information_log"_s].toObject();
    health.temperatureC = within(report[u"temperature"_s][u"current"_s], LOWEST_CELSIUS, HIGHEST_CELSIUS);
    if (!health.temperatureC)
        health.temperatureC = within(nvme[u"temperature"_s], LOWEST_CELSIUS, HIGHEST_CELSIUS);
    health.powerOnHours = within(report[u"power_on_time"_s][u"hours"_s], 0, HIGHEST_HOURS);
    if (!health.powerOnHours)
        health.powerOnHours = within(nvme[u"power_on_hours"_s], 0, HIGHEST_HOURS);
    health.reallocatedSectors = ataAttribute(report, ATA_REALLOCATED_SECTORS);
    if (!health.reallocatedSectors)
        health.reallocatedSectors = within(report[u"scsi_grown_defect_list"_s], 0, HIGHEST_SECTOR_COUNT);
    health.pendingSectors = ataAttribute(report, ATA_PENDING_SECTORS);
    health.nvmeUsedPct = within(nvme[u"percentage_used"_s], 0, HIGHEST_USED_PCT);
    health.mediaErrors = within(nvme[u"media_errors"_s], 0, HIGHEST_SECTOR_COUNT);
    return health;
}

} // namespace StreamSwarm::Agent::SmartctlReport
