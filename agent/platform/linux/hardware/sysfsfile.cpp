// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "sysfsfile.h"

#include <QFile>
#include <QFileInfo>

namespace StreamSwarm::Agent::Platform::SysfsFile {

namespace {

// A sysfs attribute is at most one page; a longer file is not one we know how to read.
constexpr qint64 MAX_ATTRIBUTE_BYTES = 4096;

} // namespace

std::optional<QString> readText(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return std::nullopt;
    const QByteArray bytes = file.read(MAX_ATTRIBUTE_BYTES);
    const qsizetype end = bytes.indexOf('\n');
    const QString text = QString::fromUtf8(end < 0 ? bytes : bytes.left(end)).trimmed();
    if (text.isEmpty())
        return std::nullopt;
    return text;
}

std::optional<qint64> readInteger(const QString &path)
{
    const std::optional<QString> text = readText(path);
    if (!text)
        return std::nullopt;
    bool ok = false;
    const qint64 value = text->toLongLong(&ok);
    return ok ? std::optional<qint64>(value) : std::nullopt;
}

std::optional<quint64> readUnsigned(const QString &path)
{
    const std::optional<QString> text = readText(path);
    if (!text)
        return std::nullopt;
    bool ok = false;
    const quint64 value = text->toULongLong(&ok);
    return ok ? std::optional<quint64>(value) : std::nullopt;
}

bool isForbidden(const QString &path)
{
    const QFileInfo info(path);
    return info.exists() && !info.isReadable();
}

} // namespace StreamSwarm::Agent::Platform::SysfsFile
