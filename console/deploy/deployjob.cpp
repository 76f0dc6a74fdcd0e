// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "deployjob.h"

#include <QCryptographicHash>
#include <QDeadlineTimer>
#include <QFile>

#include "shared/protocol/validation.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

namespace {

constexpr int INSTALL_TIMEOUT_MS = 15 * 60 * 1000; // apt-get fetching dependencies over a slow line
constexpr int LINE_TIMEOUT_MS = 30 * 1000;
constexpr qsizetype MAX_LOG_LINES = 40; // the host sends 15; more is not worth keeping
constexpr qint64 MAX_PACKAGE_BYTES = 256 * 1024 * 1024;

// The scripts that run on the host (console/deploy/remote/, built in as resources).
QString remoteScript(const QString &name)
{
    QFile file(u":/deploy/"_s + name);
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}

// 'text' for a POSIX shell, whatever text holds.
QString shellQuoted(QString text)
{
    return u'\'' + text.replace(u'\'', u"'\\''"_s) + u'\'';
}

QString runWithSh(const QString &script)
{
    return u"sh -c "_s + shellQuoted(script) + u" streamswarm-deploy"_s;
}

} // namespace

std::optional<QByteArray> readAgentPackage(const QString &path, QString *error)
{
    QFile package(path);
    if (!package.open(QIODevice::ReadOnly)) {
        *error = DeployJob::tr("Could not read the package %1: %2").arg(path, package.errorString());
        return std::nullopt;
    }
    if (package.size() > MAX_PACKAGE_BYTES || !package.peek(8).startsWith("!<arch>\n")) {
        *error = DeployJob::tr("%1 is not a Debian package (.deb).").arg(path);
        return std::nullopt;
    }
    return package.readAll();
}

QString DeployTarget::label() const
{
    const QString where = port == 22 ? host : u"%1:%2"_s.arg(host).arg(port);
    return user.isEmpty() ? where : user + u'@' + where;
}

DeployJob::DeployJob(DeployTarget target, DeployParameters parameters, HostKeyQuestion askHostKey,
    SettingsMaker makeSettings, QObject *parent)
    : QObject(parent)
    , m_target(std::move(target))
    , m_parameters(std::move(parameters))
    , m_askHostKey(std::move(askHostKey))
    , m_makeSettings(std::move(makeSettings))
{
    m_parameters.credentials.user = m_target.user;
}

void DeployJob::stage(Stage stage, const QString &description)
{
    Q_EMIT stageChanged(stage, description);
}

// What removes the host's old key from the file we check against, as the user would type it.
QString DeployJob::forgetHostKeyCommand() const
{
    QString command = u"ssh-keygen -R "_s
        + (m_target.port == 22 ? m_target.host : shellQuoted(u"[%1]:%2"_s.arg(m_target.host).arg(m_target.port)));
    if (!m_parameters.knownHostsFile.isEmpty())
        command += u" -f "_s + shellQuoted(m_parameters.knownHostsFile);
    return command;
}

void DeployJob::run()
{
    DeployReport report;
    report.ok = deploy(&report);
    report.cancelled = !report.ok && m_ssh.cancelled();
    if (report.cancelled && !m_installBegun)
        report.error = tr("Cancelled; nothing was installed.");
    m_parameters.credentials.password.fill(u'\0'); // held no longer than needed
    Q_EMIT finished(report);
}

bool DeployJob::deploy(DeployReport *report)
{
    const QString host = m_target.host;
    stage(Stage::Connecting, tr("Connecting"));
    if (!m_ssh.open(host, m_target.port, m_target.user, m_parameters.knownHostsFile, m_parameters.timeoutSeconds,
            &report->error)) {
        return false;
    }
    const HostKeyCheck key = m_ssh.checkHostKey();
    switch (key.state) {
    case HostKeyCheck::State::Known:
        break;
    case HostKeyCheck::State::Unknown:
        if (!m_parameters.acceptNewHostKeys && !(m_askHostKey && m_askHostKey(m_target, key))) {
            report->error = tr("%1 is new to this computer: its %2 key is %3. Nothing was done. If that is the key "
                               "its owner gives you, accept it (--accept-new-host-key, or answer yes when asked).")
                                .arg(host, key.keyType, key.fingerprint);
            return false;
        }
        if (!m_ssh.rememberHostKey(&report->error))
            return false;
        break;
    case HostKeyCheck::State::Changed:
        report->error = tr("WARNING: %1 shows another host key than the one on record (now %2 %3). Someone may be "
                           "pretending to be this host, or it was reinstalled. Nothing was done. If you know why it "
                           "changed, remove the old key (%4) and try again.")
                            .arg(host, key.keyType, key.fingerprint, forgetHostKeyCommand());
        return false;
    case HostKeyCheck::State::Failed:
        report->error = key.error;
        return false;
    }
    if (!m_ssh.authenticate(m_parameters.credentials, &report->error))
        return false;

    stage(Stage::CheckingHost, tr("Checking the host"));
    Probe found;
    QString how;
    if (!probe(&found, &report->error) || !checkSudo(found, &how, &report->error))
        return false;
    report->agentName = m_target.agentName.isEmpty() ? found.hostname : m_target.agentName;
    if (!Validation::checkName(tr("agent name"), report->agentName, nullptr)) {
        report->error = tr("%1 calls itself \"%2\", which cannot be an agent's name (letters, digits, '.', '_' and "
                           "'-'). Give it a name (--name, or the hosts file's fourth column).")
                            .arg(m_target.host, report->agentName.left(64));
        return false;
    }
    return install(how, report);
}

bool DeployJob::probe(Probe *found, QString *error)
{
    const auto command = m_ssh.start(runWithSh(remoteScript(u"probe.sh"_s)), error);
    if (!command)
        return false;
    QString output;
    if (command->finish(&output, LINE_TIMEOUT_MS) != 0) {
        *error = tr("Could not look around on %1: %2").arg(m_target.host, output.trimmed());
        return false;
    }
    for (const QString &line : output.split(u'\n')) {
        const QString name = line.section(u' ', 0, 0);
        const QString value = line.section(u' ', 1).trimmed();
        if (name == u"uid")
            found->root = value == u"0";
        else if (name == u"hostname")
            found->hostname = value;
        else if (name == u"architecture")
            found->architecture = value;
        else if (name == u"sudo")
            found->sudo = value;
    }
    if (found->architecture.isEmpty()) {
        *error = tr("%1 has no dpkg and apt-get, so it is not a Debian or Ubuntu host. Install the agent there "
                    "from the .tar.gz instead.")
                     .arg(m_target.host);
        return false;
    }
    return true;
}

bool DeployJob::checkSudo(const Probe &found, QString *how, QString *error)
{
    const QString host = m_target.host;
    const QString user = m_target.user;
    if (found.root) {
        *how = u"root"_s;
        return true;
    }
    if (found.sudo == u"no-password") {
        *how = u"sudo"_s;
        return true;
    }
    if (found.sudo == u"missing") {
        *error = tr("%1 has no sudo, and %2 is not root: deploy as root, or install sudo there.").arg(host, user);
        return false;
    }
    const QString password = m_parameters.credentials.password;
    if (password.isEmpty()) {
        *error = tr("%1 needs a password for sudo on %2. Give it (--ask-password or --password-stdin), or deploy as "
                    "a user with password-less sudo.")
                     .arg(user, host);
        return false;
    }
    const auto command = m_ssh.start(u"LC_ALL=C LANG=C sudo -S -p '' -v 2>&1"_s, error);
    if (!command)
        return false;
    command->write(password.toUtf8() + '\n');
    command->closeInput();
    QString output;
    const int status = command->finish(&output, LINE_TIMEOUT_MS);
    if (status == 0) {
        *how = u"sudo-password"_s;
        return true;
    }
    if (output.contains(u"not in the sudoers"_s) || output.contains(u"may not run sudo"_s)
        || output.contains(u"not allowed"_s)) {
        *error = tr("%1 may not use sudo on %2. Nothing was installed. Deploy as a user who may (or as root), or ask "
                    "the host's administrator.")
                     .arg(user, host);
    } else if (output.contains(u"incorrect password"_s) || output.contains(u"try again"_s)) {
        *error = tr("sudo on %1 did not accept the password for %2. Nothing was installed.").arg(host, user);
    } else {
        *error = tr("sudo failed on %1: %2").arg(host, output.simplified());
    }
    return false;
}

bool DeployJob::install(const QString &how, DeployReport *report)
{
    const QString host = m_target.host;
    QString *error = &report->error;
    stage(Stage::Copying, tr("Copying the package"));
    const auto guard = m_ssh.start(runWithSh(remoteScript(u"guard.sh"_s)), error);
    if (!guard)
        return false;
    QString line;
    if (guard->readLine(&line, LINE_TIMEOUT_MS) != RemoteCommand::Read::Line || !line.startsWith(u"staging /"_s)) {
        *error = tr("Could not make a private folder in /tmp on %1: %2").arg(host, line);
        return false;
    }
    const QString staging = line.mid(8);
    const QByteArray &package = m_parameters.package;
    const auto noProgress = [](qint64) {
    };
    const auto copyProgress = [&](qint64 sent) {
        Q_EMIT copied(sent, package.size());
    };
    if (!m_ssh.upload(remoteScript(u"install.sh"_s).toUtf8(), staging + u"/install.sh"_s, noProgress, error)
        || !m_ssh.upload(m_makeSettings(report->agentName), staging + u"/agent.conf"_s, noProgress, error)
        || !m_ssh.upload(package, staging + u"/streamswarm-agent.deb"_s, copyProgress, error)) {
        return false; // the guard sees its input end and removes the folder
    }
    if (m_ssh.cancelled())
        return false;

    stage(Stage::Installing, tr("Installing"));
    const QByteArray checksum = QCryptographicHash::hash(package, QCryptographicHash::Sha256).toHex();
    QByteArray order = "install " + checksum + ' ' + how.toUtf8() + '\n';
    if (how == u"sudo-password")
        order += m_parameters.credentials.password.toUtf8() + '\n';
    if (!guard->write(order)) {
        *error = tr("The connection to %1 was lost before the install began. Nothing was installed.").arg(host);
        return false;
    }
    guard->closeInput();
    m_installBegun = true;
    QString failure;
    QDeadlineTimer deadline(INSTALL_TIMEOUT_MS);
    for (;;) {
        const RemoteCommand::Read read = guard->readLine(&line, int(std::max<qint64>(1, deadline.remainingTime())));
        if (read == RemoteCommand::Read::Ended)
            break;
        if (read != RemoteCommand::Read::Line) {
            *error = m_ssh.cancelled()
                ? tr("Stopped waiting. The install on %1 had begun and finishes there on its own; deploy again to "
                     "see how it went.")
                      .arg(host)
                : tr("The connection to %1 was lost during the install. It finishes there on its own; deploy again to "
                     "see how it went.")
                      .arg(host);
            return false;
        }
        const QString word = line.section(u' ', 0, 0);
        const QStringList words = line.section(u' ', 1).split(u' ', Qt::SkipEmptyParts);
        if (word == u"step" && words.value(0) == u"installing") {
            report->version = words.value(1);
            report->previousVersion = words.value(2);
            stage(Stage::Installing, tr("Installing %1").arg(report->version));
        } else if (word == u"step" && words.value(0) == u"settings-kept") {
            report->settingsKept = true;
            report->agentName = words.value(1, report->agentName);
            stage(Stage::Starting, tr("Starting (the host's own settings are kept)"));
        } else if (word == u"step" && words.value(0) == u"settings-written") {
            stage(Stage::Starting, tr("Starting"));
        } else if (word == u"error") {
            failure = words.join(u' ');
        } else if (word == u"log" && report->log.size() < MAX_LOG_LINES) {
            report->log.append(line.mid(4));
        } else if (word == u"done") {
            report->version = words.value(0);
            report->manager = words.value(1);
        }
    }
    if (!report->manager.isEmpty())
        return true;
    const QString what = failure.section(u' ', 0, 0);
    if (what == u"damaged")
        *error = tr("The package arrived damaged on %1. Nothing was installed; try again.").arg(host);
    else if (what == u"not-a-package")
        *error = tr("The package is not a Debian package. Nothing was installed.");
    else if (what == u"architecture")
        *error = tr("The package is for %1, but %2 is %3. Nothing was installed; use the agent package built for %3.")
                     .arg(failure.section(u' ', 1, 1), host, failure.section(u' ', 2, 2));
    else if (what == u"install")
        *error = tr("apt-get could not install the package on %1; nothing was changed. Its last lines:").arg(host);
    else if (what == u"settings")
        *error = tr("The package is installed on %1, but its settings could not be written.").arg(host);
    else if (what == u"start")
        *error = tr("The agent is installed on %1 but did not start:").arg(host);
    else if (what == u"stopped")
        *error = tr("The agent started on %1 but stopped at once. Its log:").arg(host);
    else
        *error = tr("The install on %1 did not finish (sudo or the shell refused it).").arg(host);
    return false;
}

} // namespace StreamSwarm::Console
