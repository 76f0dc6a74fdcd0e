// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "serverlock.h"

#include <QCoreApplication>
#include <QFile>
#include <QLockFile>
#include <QSaveFile>

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

ServerLock::ServerLock() = default;

ServerLock::~ServerLock()
{
    release();
}

bool ServerLock::acquire(const QString &databasePath, QString *error)
{
    release();
    m_databasePath = databasePath;
    auto lock = std::make_unique<QLockFile>(databasePath + u".lock"_s);
    // Never stale by age: a console runs for months. A holder that died is noticed by its PID.
    lock->setStaleLockTime(0);
    if (lock->tryLock(0)) {
        m_lock = std::move(lock);
        QFile::remove(notePath()); // a note left by a console that was killed
        return true;
    }
    if (lock->error() != QLockFile::LockFailedError) {
        *error = tr("Cannot create the lock file %1.lock beside the database; check the folder's permissions.")
                     .arg(databasePath);
        return false;
    }
    qint64 pid = 0;
    QString host;
    QString application;
    lock->getLockInfo(&pid, &host, &application);
    QString listening;
    QFile note(notePath());
    if (note.open(QIODevice::ReadOnly)) {
        const QList<QByteArray> lines = note.read(4096).split('\n');
        if (lines.value(0).toLongLong() == pid)
            listening = QString::fromUtf8(lines.value(1)).trimmed();
    }
    // Not "listening on": scripts (and our tests) look for those words to see a console start.
    const QString holder = listening.isEmpty() ? tr("PID %1 on %2").arg(pid).arg(host)
                                               : tr("PID %1 on %2, agents dial %3").arg(pid).arg(host, listening);
    *error = tr("Another console (%1) is already using the database %2. Stop that one first, or give this one its own "
                "--data-dir. The commands (token, agent, test, export ...) work beside a running console.")
                 .arg(holder, databasePath);
    return false;
}

void ServerLock::recordListenUrl(const QString &url)
{
    if (!m_lock)
        return;
    QSaveFile note(notePath());
    if (note.open(QIODevice::WriteOnly)) {
        note.write(QByteArray::number(QCoreApplication::applicationPid()) + '\n' + url.toUtf8() + '\n');
        note.commit();
    }
}

void ServerLock::release()
{
    if (!m_lock)
        return;
    QFile::remove(notePath());
    m_lock->unlock();
    m_lock.reset();
}

} // namespace StreamSwarm::Console
