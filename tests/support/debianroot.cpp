// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "debianroot.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <signal.h>

using namespace Qt::StringLiterals;

namespace StreamSwarm::Test {

DebianRoot::~DebianRoot()
{
    if (m_path.isEmpty())
        return;
    stopEverything();
    if (m_procMounted)
        runCommand(u"umount"_s, {u"-l"_s, m_path + u"/proc"_s});
}

QString DebianRoot::cachedTarball()
{
    return qEnvironmentVariable("STREAMSWARM_BINARY_DIR") + u"/test-roots/bookworm-minbase.tar"_s;
}

bool DebianRoot::create(const QString &path, QString *error)
{
    m_path = path;
    QDir().mkpath(path);
    if (QFile::exists(cachedTarball())) {
        const CommandResult unpack = runCommand(u"tar"_s, {u"-C"_s, path, u"-xf"_s, cachedTarball()}, 120000);
        if (unpack.exitCode != 0) {
            *error = u"tar: "_s + unpack.err;
            return false;
        }
    } else {
        const CommandResult debootstrap = runCommand(
            u"debootstrap"_s, {u"--variant=minbase"_s, u"bookworm"_s, path, u"http://deb.debian.org/debian"_s}, 300000);
        if (debootstrap.exitCode != 0) {
            *error = debootstrap.out.right(2000) + debootstrap.err.right(2000);
            return false;
        }
    }
    QFile::remove(path + u"/etc/resolv.conf"_s);
    if (!QFile::copy(u"/etc/resolv.conf"_s, path + u"/etc/resolv.conf"_s)) {
        *error = u"could not copy /etc/resolv.conf into the root"_s;
        return false;
    }
    // start-stop-daemon and sshd look at /proc.
    if (runCommand(u"mount"_s, {u"-t"_s, u"proc"_s, u"proc"_s, path + u"/proc"_s}).exitCode != 0) {
        *error = u"could not mount /proc in the root"_s;
        return false;
    }
    m_procMounted = true;
    return true;
}

CommandResult DebianRoot::run(const QString &command, int timeoutMs) const
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(u"DEBIAN_FRONTEND"_s, u"noninteractive"_s);
    environment.insert(u"PATH"_s, u"/usr/sbin:/usr/bin:/sbin:/bin"_s);
    // The root is a host of its own: its programs read its /etc/streamswarm, not the suite's folder.
    environment.remove(u"STREAMSWARM_CONFIG_DIR"_s);
    return runCommand(u"chroot"_s, {m_path, u"/bin/sh"_s, u"-c"_s, command}, timeoutMs, environment);
}

QByteArray DebianRoot::file(const QString &pathInside) const
{
    QFile file(m_path + pathInside);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

bool DebianRoot::writeFile(const QString &pathInside, const QByteArray &contents) const
{
    QFile file(m_path + pathInside);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(contents) == contents.size();
}

// Found by /proc/PID/root, which names the root a process lives in.
void DebianRoot::stopEverything() const
{
    const QString root = QFileInfo(m_path).canonicalFilePath();
    const QStringList pids = QDir(u"/proc"_s).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &pid : pids) {
        bool numeric = false;
        const int number = pid.toInt(&numeric);
        if (numeric && QFileInfo(u"/proc/%1/root"_s.arg(pid)).symLinkTarget() == root)
            ::kill(number, SIGKILL);
    }
}

QString buildAgentPackage(const QString &folder, QString *error)
{
    const QString binaryDir = qEnvironmentVariable("STREAMSWARM_BINARY_DIR");
    if (!QFile::exists(binaryDir + u"/CPackConfig.cmake"_s)) {
        *error = u"run by ctest from the build folder"_s;
        return {};
    }
    const CommandResult cpack = runCommand(u"cpack"_s,
        {u"-G"_s, u"DEB"_s, u"-D"_s, u"CPACK_COMPONENTS_ALL=agent"_s, u"-B"_s, folder, u"--config"_s,
            binaryDir + u"/CPackConfig.cmake"_s},
        240000);
    if (cpack.exitCode != 0) {
        *error = cpack.out + cpack.err;
        return {};
    }
    const QStringList debs = QDir(folder).entryList({u"streamswarm-agent_*.deb"_s});
    if (debs.size() != 1) {
        *error = u"cpack made %1 agent packages, not one: %2"_s.arg(debs.size()).arg(debs.join(u", "_s));
        return {};
    }
    return folder + u'/' + debs.first();
}

bool repackWithVersion(const QString &package, const QString &version, const QString &workDir, const QString &output)
{
    const QString unpacked = workDir + u"/unpacked-"_s + version;
    if (runCommand(u"dpkg-deb"_s, {u"-R"_s, package, unpacked}).exitCode != 0)
        return false;
    QFile control(unpacked + u"/DEBIAN/control"_s);
    if (!control.open(QIODevice::ReadOnly))
        return false;
    QByteArray text = control.readAll();
    control.close();
    const qsizetype start = text.indexOf("\nVersion: ");
    const qsizetype end = text.indexOf('\n', start + 1);
    if (start < 0 || end < 0)
        return false;
    text.replace(start, end - start, QByteArray("\nVersion: " + version.toUtf8()));
    if (!control.open(QIODevice::WriteOnly | QIODevice::Truncate) || control.write(text) != text.size())
        return false;
    control.close();
    return runCommand(u"dpkg-deb"_s, {u"-b"_s, unpacked, output}).exitCode == 0;
}

} // namespace StreamSwarm::Test
