// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "edacreader.h"

#include <QCoreApplication>
#include <QDir>

#include "agent/platform/linux/hardware/sysfsfile.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Agent::Platform {

EdacReader::EdacReader(const QString &root)
    : m_directory(QDir(root).filePath(u"sys/devices/system/edac/mc"_s))
{ }

void EdacReader::readInto(HardwareReadings &readings) const
{
    const QDir directory(m_directory);
    QStringList controllers = directory.entryList({u"mc*"_s}, QDir::Dirs | QDir::NoDotAndDotDot);
    std::sort(controllers.begin(), controllers.end(), [](const QString &a, const QString &b) {
        return QStringView(a).mid(2).toInt() < QStringView(b).mid(2).toInt();
    });
    for (const QString &controller : std::as_const(controllers)) {
        const std::optional<quint64> corrected
            = SysfsFile::readUnsigned(directory.filePath(controller + u"/ce_count"_s));
        const std::optional<quint64> uncorrected
            = SysfsFile::readUnsigned(directory.filePath(controller + u"/ue_count"_s));
        if (corrected && uncorrected)
            readings.ecc.append(EccCounter{controller, *corrected, *uncorrected});
    }
    if (readings.ecc.isEmpty())
        readings.unavailable.append({QString::fromUtf16(HardwareSource::MemoryErrors),
            QCoreApplication::translate("StreamSwarm::Agent::Hardware",
                "this host reports no memory error counts (no ECC memory, or no EDAC driver loaded)")});
}

} // namespace StreamSwarm::Agent::Platform
