// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QString>

#include "tests/support/processharness.h"

namespace StreamSwarm::Test {

// A clean Debian 12 host for package and deployment tests: a minbase root (unpacked from the suite's
// cached debootstrap when the debian_root fixture made one, else debootstrapped here) with /proc
// mounted, entered with chroot. It shares this machine's network, so its programs reach 127.0.0.1.
// Needs root. The destructor stops everything running in it and unmounts /proc.
class DebianRoot
{
public:
    DebianRoot() = default;
    ~DebianRoot();
    Q_DISABLE_COPY_MOVE(DebianRoot)

    // The cached tarball ctest's debian_root fixture makes (tests/support/make-debian-root).
    static QString cachedTarball();

    bool create(const QString &path, QString *error);
    QString path() const { return m_path; }
    // A shell command inside, as root, with Debian's PATH and no question asked by apt.
    CommandResult run(const QString &command, int timeoutMs = 120000) const;
    QByteArray file(const QString &pathInside) const;
    bool writeFile(const QString &pathInside, const QByteArray &contents) const;
    // Ends every process whose root is this one (sshd, the agent), so the folder can go.
    void stopEverything() const;

private:
    QString m_path;
    bool m_procMounted = false;
};

// The agent's .deb made by cpack from this build (ctest's build folder) into folder; its path, or empty
// with why in error.
QString buildAgentPackage(const QString &folder, QString *error);

// A copy of a .deb with another version in its control file, as the next release would be.
bool repackWithVersion(const QString &package, const QString &version, const QString &workDir, const QString &output);

} // namespace StreamSwarm::Test
