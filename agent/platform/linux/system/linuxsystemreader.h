// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <functional>
#include <optional>

#include <QCoreApplication>

#include "agent/platform/systemreader.h"

namespace StreamSwarm::Agent {

// The size and use of one mounted filesystem (statvfs).
struct FilesystemSpace
{
    quint64 sizeBytes = 0;
    quint64 freeBytes = 0; // for ordinary users
    quint64 usedBytes = 0;
    quint64 inodes = 0;
    quint64 inodesFree = 0;
};

// Reads a Linux host from /proc and /sys below root ("/" for the live host; a fixture tree in tests).
// Filesystem sizes come from spaceOf(path below root); network filesystems are left out, since a
// server that is gone would stall the reading.
class LinuxSystemReader final : public SystemReader
{
    Q_DECLARE_TR_FUNCTIONS(StreamSwarm::Agent::LinuxSystemReader)
public:
    using SpaceOf = std::function<std::optional<FilesystemSpace>(const QString &path)>;

    // At most this many of each, so that a round stays within the protocol's values per round.
    static constexpr int MAX_CORES = 128;
    static constexpr int MAX_INTERFACES = 64;
    static constexpr int MAX_DISKS = 32;
    static constexpr int MAX_FILESYSTEMS = 32;

    explicit LinuxSystemReader(QString root = QStringLiteral("/"), SpaceOf spaceOf = statvfsSpace);
    SystemSnapshot read(SystemParts parts = ALL_SYSTEM_PARTS) override;

    static std::optional<FilesystemSpace> statvfsSpace(const QString &path);

private:
    QString path(const QString &relative) const; // root joined with "proc/stat"
    std::optional<QByteArray> readFile(const QString &relative, SystemSnapshot *snapshot, const QString &what) const;
    void readInterfaces(SystemSnapshot *snapshot) const;
    void readDisks(SystemSnapshot *snapshot) const;
    void readFilesystems(SystemSnapshot *snapshot) const;

    QString m_root;
    SpaceOf m_spaceOf;
};

} // namespace StreamSwarm::Agent
