// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <optional>

#include <QString>

// Reading one sysfs attribute: a short text, usually one number. A missing, unreadable, empty or
// cut-off file reads as nullopt, never as zero, so a broken sensor is "not available" rather than
// a false figure. Any thread.
namespace StreamSwarm::Agent::Platform::SysfsFile {

// The file's first line without surrounding white space; nullopt when it cannot be read or is empty.
std::optional<QString> readText(const QString &path);
// A whole decimal number (sysfs writes them plainly, "-5000", "42000"); nullopt otherwise.
std::optional<qint64> readInteger(const QString &path);
std::optional<quint64> readUnsigned(const QString &path);
// The file exists but this process may not read it (RAPL's energy_uj is root's alone since Linux 5.10).
bool isForbidden(const QString &path);

} // namespace StreamSwarm::Agent::Platform::SysfsFile
