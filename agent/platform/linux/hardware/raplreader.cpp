// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "raplreader.h"

#include <QCoreApplication>
#include <QDir>
#include <QHash>

#include "agent/platform/linux/hardware/sysfsfile.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Agent::Platform {

namespace {

// "intel-rapl:0:1" is a part of "intel-rapl:0". The MMIO interface (intel-rapl-mmio:N) repeats a
// package's counter, so only intel-rapl:* is read.
QString parentZone(const QString &zone)
{
    const qsizetype lastColon = zone.lastIndexOf(u':');
    return zone.indexOf(u':') == lastColon ? QString() : zone.left(lastColon);
}

} // namespace

RaplReader::RaplReader(const QString &root)
    : m_directory(QDir(root).filePath(u"sys/class/powercap"_s))
{ }

void RaplReader::readInto(HardwareReadings &readings) const
{
    const QDir directory(m_directory);
    const QStringList zones = directory.entryList({u"intel-rapl:*"_s}, QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
    QHash<QString, QString> names;
    for (const QString &zone : zones)
        names.insert(zone, SysfsFile::readText(directory.filePath(zone + u"/name"_s)).value_or(zone));
    bool forbidden = false;
    for (const QString &zone : zones) {
        const QString energyPath = directory.filePath(zone + u"/energy_uj"_s);
        const std::optional<quint64> energy = SysfsFile::readUnsigned(energyPath);
        if (!energy) {
            forbidden = forbidden || SysfsFile::isForbidden(energyPath);
            continue;
        }
        const QString parent = parentZone(zone);
        const QString domain
            = parent.isEmpty() ? names.value(zone) : names.value(parent, parent) + u'/' + names.value(zone);
        const quint64 range = SysfsFile::readUnsigned(directory.filePath(zone + u"/max_energy_range_uj"_s)).value_or(0);
        readings.energy.append(EnergyCounter{domain, *energy, range});
    }
    if (!readings.energy.isEmpty())
        return;
    QString reason;
    if (forbidden)
        reason = QCoreApplication::translate("StreamSwarm::Agent::Hardware",
            "the CPU's energy counters are readable by root only, and the agent does not run as root");
    else if (zones.isEmpty())
        reason = QCoreApplication::translate(
            "StreamSwarm::Agent::Hardware", "this host's CPU reports no energy counters (RAPL)");
    else
        reason
            = QCoreApplication::translate("StreamSwarm::Agent::Hardware", "the CPU's energy counters cannot be read");
    readings.unavailable.append({QString::fromUtf16(HardwareSource::Power), reason});
}

} // namespace StreamSwarm::Agent::Platform
