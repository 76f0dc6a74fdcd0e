// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <memory>

#include <QCoreApplication>
#include <QString>

class QLockFile;

namespace StreamSwarm::Console {

// Keeps a second console from serving the same SQLite database (it would mark the first one's agents
// offline and fight over them): a lock file beside the database, released when the console stops or
// dies, and a note of the holder's PID and listening address for the refusal message. The CLI
// subcommands take no lock: they are meant to run beside a console. Main thread.
class ServerLock
{
    Q_DECLARE_TR_FUNCTIONS(StreamSwarm::Console::ServerLock)
public:
    ServerLock();
    ~ServerLock();
    Q_DISABLE_COPY_MOVE(ServerLock)

    // Takes the lock for the database file; on failure error names the console holding it.
    bool acquire(const QString &databasePath, QString *error);
    // Records where this console listens, for the message a second one prints.
    void recordListenUrl(const QString &url);
    void release();

private:
    QString notePath() const { return m_databasePath + QStringLiteral(".console"); }

    QString m_databasePath;
    std::unique_ptr<QLockFile> m_lock;
};

} // namespace StreamSwarm::Console
