// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "hwmonreader.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSet>

#include "agent/platform/linux/hardware/sysfsfile.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Agent::Platform {

namespace {

// Beyond these a reading is a broken sensor or a driver's placeholder (-273 °C, 127 °C on some
// boards is real, 255 °C and 65535 rpm are not): it is left out, not reported.
constexpr double LOWEST_CELSIUS = -60;
constexpr double HIGHEST_CELSIUS = 200;
constexpr double HIGHEST_RPM = 50000;

enum class Kind { Temperature, Fan };

struct Channel
{
    QString label;
    double value = 0;
};

// The chip's channels of one kind ("temp", "fan"), in the order of their numbers.
QList<Channel> readChannels(const QDir &chip, Kind kind)
{
    const QString prefix = kind == Kind::Temperature ? u"temp"_s : u"fan"_s;
    static const QRegularExpression inputName(u"^(temp|fan)(\\d+)_input$"_s);
    QList<std::pair<int, Channel>> numbered;
    const QStringList inputs = chip.entryList({prefix + u"*_input"_s}, QDir::Files | QDir::System, QDir::Name);
    for (const QString &input : inputs) {
        const QRegularExpressionMatch match = inputName.match(input);
        if (!match.hasMatch())
            continue;
        const QString channel = prefix + match.captured(2);
        // A channel the driver marks faulty or disabled reads a stale or made-up value.
        if (SysfsFile::readInteger(chip.filePath(channel + u"_fault"_s)).value_or(0) != 0
            || SysfsFile::readInteger(chip.filePath(channel + u"_enable"_s)).value_or(1) == 0)
            continue;
        const std::optional<qint64> raw = SysfsFile::readInteger(chip.filePath(input));
        if (!raw)
            continue;
        const double value = kind == Kind::Temperature ? double(*raw) / 1000.0 : double(*raw);
        const bool sane = kind == Kind::Temperature ? value >= LOWEST_CELSIUS && value <= HIGHEST_CELSIUS
                                                    : value >= 0 && value <= HIGHEST_RPM;
        if (!sane)
            continue;
        const QString label = SysfsFile::readText(chip.filePath(channel + u"_label"_s)).value_or(channel);
        numbered.append({match.captured(2).toInt(), Channel{label, value}});
    }
    std::sort(numbered.begin(), numbered.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
    QList<Channel> channels;
    for (const auto &[number, channel] : numbered)
        channels.append(channel);
    return channels;
}

// The device a chip belongs to ("coretemp.1", "nvme1"): steadier across reboots than its hwmonN.
QString deviceName(const QDir &chip, const QString &chipDirectory)
{
    const QString target = QFileInfo(chip.filePath(u"device"_s)).symLinkTarget();
    return target.isEmpty() ? chipDirectory : QFileInfo(target).fileName();
}

// hwmon10 after hwmon9.
int chipNumber(const QString &directoryName)
{
    return QStringView(directoryName).mid(5).toInt();
}

} // namespace

HwmonReader::HwmonReader(const QString &root)
    : m_directory(QDir(root).filePath(u"sys/class/hwmon"_s))
{ }

void HwmonReader::readInto(HardwareReadings &readings) const
{
    const QDir directory(m_directory);
    QStringList chips = directory.entryList({u"hwmon*"_s}, QDir::Dirs | QDir::NoDotAndDotDot);
    std::sort(
        chips.begin(), chips.end(), [](const QString &a, const QString &b) { return chipNumber(a) < chipNumber(b); });
    QSet<QString> temperatureNames;
    QSet<QString> fanNames;
    // Two chips of one driver (two NVMe drives, two CPU sockets' coretemp) may label their channels
    // alike: the later one's instance then says which device it belongs to.
    const auto addUnique = [](QList<SensorReading> &list, QSet<QString> &names, const QString &name,
                               const QString &device, double value) {
        const QString unique = names.contains(name) ? name + u" ("_s + device + u')' : name;
        names.insert(unique);
        list.append(SensorReading{unique, value});
    };
    for (const QString &chipDirectory : std::as_const(chips)) {
        const QDir chip(directory.filePath(chipDirectory));
        const QString chipName = SysfsFile::readText(chip.filePath(u"name"_s)).value_or(chipDirectory);
        const QString device = deviceName(chip, chipDirectory);
        for (const Channel &channel : readChannels(chip, Kind::Temperature))
            addUnique(readings.temperatures, temperatureNames, chipName + u' ' + channel.label, device, channel.value);
        for (const Channel &channel : readChannels(chip, Kind::Fan))
            addUnique(readings.fans, fanNames, chipName + u' ' + channel.label, device, channel.value);
    }
    if (readings.temperatures.isEmpty()) {
        readings.unavailable.append({QString::fromUtf16(HardwareSource::Temperatures),
            chips.isEmpty()
                ? QCoreApplication::translate("StreamSwarm::Agent::Hardware", "this host has no hwmon sensors")
                : QCoreApplication::translate(
                    "StreamSwarm::Agent::Hardware", "the hwmon sensors report no readable temperature")});
    }
    if (readings.fans.isEmpty()) {
        readings.unavailable.append({QString::fromUtf16(HardwareSource::Fans),
            QCoreApplication::translate("StreamSwarm::Agent::Hardware", "no fan speed sensor on this host")});
    }
}

} // namespace StreamSwarm::Agent::Platform
