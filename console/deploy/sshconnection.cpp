// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "sshconnection.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <fcntl.h>
#include <libssh/libssh.h>
#include <libssh/sftp.h>
#include <poll.h>

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

namespace {

constexpr qsizetype UPLOAD_CHUNK = 32 * 1024; // what every SFTP server accepts in one write
constexpr int POLL_MS = 200; // how often a wait looks at cancel()
constexpr qsizetype MAX_LINE = 64 * 1024; // a host that sends an endless line is cut off

QByteArray local8(const QString &text)
{
    return QFile::encodeName(text);
}

} // namespace

SshConnection::SshConnection()
    : m_session(ssh_new())
{ }

SshConnection::~SshConnection()
{
    if (ssh_is_connected(m_session))
        ssh_disconnect(m_session);
    ssh_free(m_session);
}

QString SshConnection::lastError() const
{
    return QString::fromUtf8(ssh_get_error(m_session));
}

bool SshConnection::open(const QString &host, quint16 port, const QString &user, const QString &knownHostsFile,
    int timeoutSeconds, QString *error)
{
    m_host = host;
    unsigned int portNumber = port;
    long timeout = timeoutSeconds;
    bool processConfig = false; // what the command line and the dialog say, not ~/.ssh/config
    const QByteArray hostBytes = host.toUtf8();
    const QByteArray userBytes = user.toUtf8();
    ssh_options_set(m_session, SSH_OPTIONS_PROCESS_CONFIG, &processConfig);
    ssh_options_set(m_session, SSH_OPTIONS_HOST, hostBytes.constData());
    ssh_options_set(m_session, SSH_OPTIONS_PORT, &portNumber);
    ssh_options_set(m_session, SSH_OPTIONS_USER, userBytes.constData());
    ssh_options_set(m_session, SSH_OPTIONS_TIMEOUT, &timeout);
    if (!knownHostsFile.isEmpty()) {
        const QByteArray path = local8(knownHostsFile);
        ssh_options_set(m_session, SSH_OPTIONS_KNOWNHOSTS, path.constData());
        // Only the file the user named decides; /etc/ssh/ssh_known_hosts would let another key in.
        ssh_options_set(m_session, SSH_OPTIONS_GLOBAL_KNOWNHOSTS, "/dev/null");
    }
    // Without blocking, so cancel() is heard while a silent host keeps us waiting.
    ssh_set_blocking(m_session, 0);
    const QDeadlineTimer deadline{qint64(timeoutSeconds) * 1000};
    int result = ssh_connect(m_session);
    while (result == SSH_AGAIN && !m_cancelled && !deadline.hasExpired()) {
        pollfd socket{ssh_get_fd(m_session), POLLIN | POLLOUT, 0};
        ::poll(&socket, 1, POLL_MS);
        result = ssh_connect(m_session);
    }
    ssh_set_blocking(m_session, 1);
    if (result == SSH_OK)
        return true;
    if (m_cancelled)
        *error = tr("Cancelled.");
    else if (result == SSH_AGAIN)
        *error = tr("Could not connect to %1 port %2: no answer within %3 s.").arg(host).arg(port).arg(timeoutSeconds);
    else
        *error = tr("Could not connect to %1 port %2: %3").arg(host).arg(port).arg(lastError());
    return false;
}

HostKeyCheck SshConnection::checkHostKey()
{
    HostKeyCheck check;
    ssh_key key = nullptr;
    if (ssh_get_server_publickey(m_session, &key) != SSH_OK) {
        check.error = tr("%1 did not show its host key: %2").arg(m_host, lastError());
        return check;
    }
    unsigned char *hash = nullptr;
    size_t hashLength = 0;
    if (ssh_get_publickey_hash(key, SSH_PUBLICKEY_HASH_SHA256, &hash, &hashLength) == SSH_OK) {
        char *text = ssh_get_fingerprint_hash(SSH_PUBLICKEY_HASH_SHA256, hash, hashLength);
        check.fingerprint = QString::fromLatin1(text);
        ssh_string_free_char(text);
        ssh_clean_pubkey_hash(&hash);
    }
    check.keyType = QString::fromLatin1(ssh_key_type_to_char(ssh_key_type(key)));
    ssh_key_free(key);

    switch (ssh_session_is_known_server(m_session)) {
    case SSH_KNOWN_HOSTS_OK:
        check.state = HostKeyCheck::State::Known;
        break;
    case SSH_KNOWN_HOSTS_NOT_FOUND: // no known_hosts file yet
    case SSH_KNOWN_HOSTS_UNKNOWN:
        check.state = HostKeyCheck::State::Unknown;
        break;
    case SSH_KNOWN_HOSTS_CHANGED:
    case SSH_KNOWN_HOSTS_OTHER: // a key of another type where one is known: as suspicious as a changed one
        check.state = HostKeyCheck::State::Changed;
        break;
    case SSH_KNOWN_HOSTS_ERROR:
        check.error = tr("Could not read the known hosts file: %1").arg(lastError());
        break;
    }
    return check;
}

bool SshConnection::rememberHostKey(QString *error)
{
    char *path = nullptr;
    if (ssh_options_get(m_session, SSH_OPTIONS_KNOWNHOSTS, &path) == SSH_OK && path) {
        QDir().mkpath(QFileInfo(QFile::decodeName(path)).absolutePath());
        ssh_string_free_char(path);
    }
    if (ssh_session_update_known_hosts(m_session) != SSH_OK) {
        *error = tr("Could not add %1's key to the known hosts file: %2").arg(m_host, lastError());
        return false;
    }
    return true;
}

// As ssh does: the key file if one is given, else the keys in the user's SSH agent, then the password
// where the server takes one.
bool SshConnection::authenticate(const SshCredentials &credentials, QString *error)
{
    // Asking for "none" first tells us which methods the server offers.
    int result = ssh_userauth_none(m_session, nullptr);
    if (result == SSH_AUTH_SUCCESS)
        return true;
    const int methods = result == SSH_AUTH_ERROR ? 0 : ssh_userauth_list(m_session, nullptr);
    QStringList tried;
    const auto failed = [&]() {
        if (result == SSH_AUTH_ERROR)
            *error = tr("The connection to %1 failed while logging in: %2").arg(m_host, lastError());
        return result == SSH_AUTH_ERROR;
    };
    if (failed())
        return false;
    if (!credentials.keyFile.isEmpty()) {
        ssh_key key = nullptr;
        // The password is for the login or sudo, never a key's passphrase: keys with one go through the agent.
        if (ssh_pki_import_privkey_file(local8(credentials.keyFile).constData(), nullptr, nullptr, nullptr, &key)
            != SSH_OK) {
            *error = tr("Could not read the private key %1. If it has a passphrase, add it to your SSH agent "
                        "(ssh-add %1) and leave out --key.")
                         .arg(credentials.keyFile);
            return false;
        }
        result = ssh_userauth_publickey(m_session, nullptr, key);
        ssh_key_free(key);
        if (result == SSH_AUTH_SUCCESS)
            return true;
        if (failed())
            return false;
        tried.append(tr("the key %1").arg(credentials.keyFile));
    } else if (!qEnvironmentVariableIsEmpty("SSH_AUTH_SOCK")) {
        result = ssh_userauth_agent(m_session, nullptr);
        if (result == SSH_AUTH_SUCCESS)
            return true;
        if (failed())
            return false;
        tried.append(tr("the keys in your SSH agent"));
    }
    if (!credentials.password.isEmpty() && (methods & SSH_AUTH_METHOD_PASSWORD)) {
        result = ssh_userauth_password(m_session, nullptr, credentials.password.toUtf8().constData());
        if (result == SSH_AUTH_SUCCESS)
            return true;
        if (failed())
            return false;
        tried.append(tr("the password"));
    }
    if (tried.isEmpty()) {
        *error = (methods & SSH_AUTH_METHOD_PASSWORD)
            ? tr("No way to log in to %1: give a key (--key FILE) or a password, or start an SSH agent.").arg(m_host)
            : tr("%1 takes no passwords: log in with a key (--key FILE) or your SSH agent.").arg(m_host);
        return false;
    }
    *error = tr("%1 refused %2 for user %3. Nothing was done.").arg(m_host, tried.join(tr(" and ")), credentials.user);
    return false;
}

std::unique_ptr<RemoteCommand> SshConnection::start(const QString &command, QString *error)
{
    ssh_channel channel = ssh_channel_new(m_session);
    if (!channel || ssh_channel_open_session(channel) != SSH_OK
        || ssh_channel_request_exec(channel, command.toUtf8().constData()) != SSH_OK) {
        *error = tr("Could not run a command on %1: %2").arg(m_host, lastError());
        if (channel)
            ssh_channel_free(channel);
        return nullptr;
    }
    return std::make_unique<RemoteCommand>(this, channel);
}

bool SshConnection::upload(
    const QByteArray &data, const QString &remotePath, const std::function<void(qint64)> &progress, QString *error)
{
    const std::unique_ptr<sftp_session_struct, void (*)(sftp_session)> sftp(sftp_new(m_session), sftp_free);
    if (!sftp || sftp_init(sftp.get()) != SSH_OK) {
        *error = tr("%1 offers no SFTP (its sshd needs a \"Subsystem sftp\" line): %2").arg(m_host, lastError());
        return false;
    }
    sftp_file file = sftp_open(sftp.get(), remotePath.toUtf8().constData(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (!file) {
        *error = tr("Could not create %1 on %2: %3").arg(remotePath, m_host, lastError());
        return false;
    }
    qint64 sent = 0;
    while (sent < data.size()) {
        if (m_cancelled) {
            sftp_close(file);
            *error = tr("Cancelled.");
            return false;
        }
        const qsizetype chunk = std::min(UPLOAD_CHUNK, data.size() - sent);
        const ssize_t written = sftp_write(file, data.constData() + sent, size_t(chunk));
        if (written <= 0) {
            *error = tr("The connection to %1 was lost while copying the package: %2").arg(m_host, lastError());
            sftp_close(file);
            return false;
        }
        sent += written;
        progress(sent);
    }
    if (sftp_close(file) != SSH_OK) {
        *error = tr("The copy of the package on %1 could not be finished: %2").arg(m_host, lastError());
        return false;
    }
    return true;
}

RemoteCommand::RemoteCommand(SshConnection *connection, ssh_channel_struct *channel)
    : m_connection(connection)
    , m_channel(channel)
{ }

RemoteCommand::~RemoteCommand()
{
    ssh_channel_close(m_channel);
    ssh_channel_free(m_channel);
}

bool RemoteCommand::write(const QByteArray &data)
{
    qsizetype sent = 0;
    while (sent < data.size()) {
        const int written = ssh_channel_write(m_channel, data.constData() + sent, uint32_t(data.size() - sent));
        if (written == SSH_ERROR)
            return false;
        sent += written;
    }
    return true;
}

void RemoteCommand::closeInput()
{
    ssh_channel_send_eof(m_channel);
}

// Reads what has arrived (stdout, then stderr) into m_pending; false once the command has ended.
bool RemoteCommand::fill(int waitMs)
{
    char buffer[4096];
    const int got = ssh_channel_read_timeout(m_channel, buffer, sizeof buffer, 0, waitMs);
    if (got > 0)
        m_pending.append(buffer, got);
    const int errors = ssh_channel_read_nonblocking(m_channel, buffer, sizeof buffer, 1);
    if (errors > 0)
        m_pending.append(buffer, errors);
    if (got == SSH_ERROR || (got == 0 && errors <= 0 && ssh_channel_is_eof(m_channel)))
        m_ended = true;
    return !m_ended;
}

RemoteCommand::Read RemoteCommand::readLine(QString *line, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    for (;;) {
        const qsizetype newline = m_pending.indexOf('\n');
        if (newline >= 0 || m_pending.size() > MAX_LINE) {
            const qsizetype end = newline >= 0 ? newline : m_pending.size();
            *line = QString::fromUtf8(m_pending.left(end));
            m_pending.remove(0, std::min(end + 1, m_pending.size()));
            return Read::Line;
        }
        if (m_ended) {
            if (!m_pending.isEmpty()) {
                *line = QString::fromUtf8(m_pending);
                m_pending.clear();
                return Read::Line;
            }
            return ssh_is_connected(m_connection->m_session) ? Read::Ended : Read::Failed;
        }
        if (m_connection->cancelled() || deadline.hasExpired())
            return Read::TimedOut;
        fill(int(std::min<qint64>(POLL_MS, std::max<qint64>(1, deadline.remainingTime()))));
    }
}

int RemoteCommand::finish(QString *output, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    QString line;
    for (;;) {
        const Read read = readLine(&line, int(std::max<qint64>(1, deadline.remainingTime())));
        if (read == Read::Line) {
            *output += line + u'\n';
            continue;
        }
        if (read != Read::Ended)
            return -1;
        break;
    }
    return ssh_channel_get_exit_status(m_channel);
}

} // namespace StreamSwarm::Console
