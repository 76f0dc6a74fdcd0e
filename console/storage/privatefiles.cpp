// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "privatefiles.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

#ifdef Q_OS_UNIX
#include <cerrno>
#include <cstring>

#include <sys/stat.h>

#include <fcntl.h>
#include <unistd.h>
#endif

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

namespace {

// The context this file's messages are translated in.
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(StreamSwarm::Console::PrivateFiles)
};

} // namespace

bool makePrivateFolder(const QString &path, QString *error)
{
    const QString clean = QDir::cleanPath(path);
    if (QFileInfo(clean).isDir())
        return true;
    const QString parent = QFileInfo(clean).absolutePath();
    bool made = QDir().mkpath(parent);
#ifdef Q_OS_UNIX
    // mkdir with the mode itself: no moment in which the folder is open to others.
    made = made && (::mkdir(QFile::encodeName(clean).constData(), 0700) == 0 || errno == EEXIST);
#else
    made = made && QDir().mkpath(clean);
#endif
    if (!made && error)
        *error = Tr::tr("Cannot create the folder %1; check the permissions of %2.").arg(clean, parent);
    return made;
}

bool makePrivateFile(const QString &path, QString *error)
{
#ifdef Q_OS_UNIX
    const int fd = ::open(QFile::encodeName(path).constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd >= 0) {
        ::close(fd);
        return true;
    }
    if (errno == EEXIST)
        return true;
    if (error)
        *error = Tr::tr("Cannot create %1: %2.").arg(path, QString::fromLocal8Bit(std::strerror(errno)));
    return false;
#else
    Q_UNUSED(path)
    Q_UNUSED(error)
    return true; // a new file inherits the user's profile folder's access list
#endif
}

Protocol::EventText describeReadableByOthers(const QString &path)
{
#ifdef Q_OS_UNIX
    struct stat info = {};
    if (::stat(QFile::encodeName(path).constData(), &info) != 0 || (info.st_mode & (S_IRWXG | S_IRWXO)) == 0)
        return {};
    const QString mode = QString::number(info.st_mode & 07777, 8).rightJustified(4, u'0');
    return Protocol::EventText(
        S_ISDIR(info.st_mode) ? u"data-folder-readable"_s : u"database-readable"_s, {path, mode});
#else
    Q_UNUSED(path)
    return {};
#endif
}

} // namespace StreamSwarm::Console
