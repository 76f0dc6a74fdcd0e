// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <atomic>
#include <functional>
#include <memory>

#include <QCoreApplication>
#include <QString>

// libssh's types, kept out of the callers' headers.
struct ssh_session_struct;
struct ssh_channel_struct;

namespace StreamSwarm::Console {

// How to prove who we are: a key file, else the user's SSH agent, else a password. The password is
// only ever held in memory, for the login and for sudo.
struct SshCredentials
{
    QString user;
    QString keyFile;
    QString password;
};

// The host key as the server showed it, and what known_hosts says about it.
struct HostKeyCheck
{
    enum class State { Known, Unknown, Changed, Failed };
    State state = State::Failed;
    QString fingerprint; // "SHA256:..." as ssh-keygen -l prints it
    QString keyType; // "ssh-ed25519"
    QString error; // when Failed
};

class RemoteCommand;

// One SSH connection (libssh, blocking, with a timeout on every step): host key, login, commands and
// SFTP upload. Used on one worker thread at a time; cancel() may be called from any thread and makes
// the next wait give up.
class SshConnection
{
    Q_DECLARE_TR_FUNCTIONS(StreamSwarm::Console::SshConnection)

public:
    SshConnection();
    ~SshConnection();
    Q_DISABLE_COPY_MOVE(SshConnection)

    // knownHostsFile empty: ~/.ssh/known_hosts.
    bool open(const QString &host, quint16 port, const QString &user, const QString &knownHostsFile, int timeoutSeconds,
        QString *error);
    HostKeyCheck checkHostKey();
    // Adds the host's key to known_hosts (after the user accepted it).
    bool rememberHostKey(QString *error);
    bool authenticate(const SshCredentials &credentials, QString *error);

    // Starts a command (through the user's login shell, as ssh does); nullptr with error set on failure.
    std::unique_ptr<RemoteCommand> start(const QString &command, QString *error);
    // Writes data to remotePath over SFTP (mode 0600), in chunks; progress(bytesSent) after each.
    bool upload(
        const QByteArray &data, const QString &remotePath, const std::function<void(qint64)> &progress, QString *error);

    void cancel() { m_cancelled = true; }
    bool cancelled() const { return m_cancelled; }
    QString lastError() const;

private:
    friend class RemoteCommand;
    ssh_session_struct *m_session = nullptr;
    QString m_host;
    std::atomic_bool m_cancelled{false};
};

// A command running on the host: its input, its output line by line (stdout and stderr as they come),
// its exit status.
class RemoteCommand
{
public:
    RemoteCommand(SshConnection *connection, ssh_channel_struct *channel);
    ~RemoteCommand();
    Q_DISABLE_COPY_MOVE(RemoteCommand)

    bool write(const QByteArray &data);
    void closeInput();
    enum class Read { Line, Ended, TimedOut, Failed };
    // The next whole line (without its newline), waiting at most timeoutMs.
    Read readLine(QString *line, int timeoutMs);
    // Everything until the command ends (bounded by timeoutMs), then its exit status (-1 if unknown).
    int finish(QString *output, int timeoutMs);

private:
    bool fill(int waitMs);

    SshConnection *m_connection;
    ssh_channel_struct *m_channel;
    QByteArray m_pending;
    bool m_ended = false;
};

} // namespace StreamSwarm::Console
