// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <functional>
#include <optional>

#include <QObject>

#include "console/deploy/sshconnection.h"

namespace StreamSwarm::Console {

// One host to deploy to: "user@host:port" and the name its agent gets (empty: the host's own name).
struct DeployTarget
{
    QString host;
    quint16 port = 22;
    QString user;
    QString agentName;

    QString label() const; // "user@host" or "user@host:port", for messages
};

// What every host of one deployment shares.
struct DeployParameters
{
    SshCredentials credentials; // user is filled in per host
    QString knownHostsFile; // empty: ~/.ssh/known_hosts
    bool acceptNewHostKeys = false; // without asking (CI, scripts); a changed key is refused all the same
    QByteArray package; // the agent's .deb
    int timeoutSeconds = 15; // for each network step
};

// The agent's .deb from path, read whole; nullopt with a sentence in error when it cannot be read or
// is not a Debian package (an ar archive, at most 256 MB).
std::optional<QByteArray> readAgentPackage(const QString &path, QString *error);

// What a finished host job found out.
struct DeployReport
{
    bool ok = false;
    bool cancelled = false;
    QString error; // one sentence, when not ok
    QStringList log; // the end of the host's log after an error
    QString version; // the package version installed
    QString previousVersion; // the one it replaced; empty on a first install
    QString manager; // "systemd" or "init-script"
    QString agentName; // as it will show in the console
    bool settingsKept = false; // an agent was there already: its settings and credential stay
};

// Deploys the agent package to one host over SSH: host key, login, sudo, SFTP copy into a private
// folder, apt-get install, settings, start. Blocking: run() belongs on a worker thread. Nothing is
// installed until the package has arrived whole; a connection lost before that leaves nothing behind
// (the remote guard removes the folder when its input ends).
class DeployJob final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DeployJob)
public:
    enum class Stage { Connecting, CheckingHost, Copying, Installing, Starting };
    Q_ENUM(Stage)

    // Asked on the worker thread when the host key is not in known_hosts: true to trust and record it.
    using HostKeyQuestion = std::function<bool(const DeployTarget &, const HostKeyCheck &)>;
    // Makes the settings file for the host, once its own name is known (it holds the enrollment token).
    using SettingsMaker = std::function<QByteArray(const QString &agentName)>;

    DeployJob(DeployTarget target, DeployParameters parameters, HostKeyQuestion askHostKey, SettingsMaker makeSettings,
        QObject *parent = nullptr);

    void run();
    void cancel() { m_ssh.cancel(); } // any thread

Q_SIGNALS:
    void stageChanged(DeployJob::Stage stage, const QString &description);
    void copied(qint64 bytes, qint64 total);
    void finished(const DeployReport &report);

private:
    struct Probe
    {
        bool root = false;
        bool debian = false;
        QString architecture;
        QString hostname;
        QString sudo; // "no-password", "password", "missing", or empty for root
    };
    bool deploy(DeployReport *report);
    bool probe(Probe *found, QString *error);
    bool checkSudo(const Probe &found, QString *how, QString *error);
    bool install(const QString &how, DeployReport *report);
    void stage(Stage stage, const QString &description);
    QString forgetHostKeyCommand() const;

    DeployTarget m_target;
    DeployParameters m_parameters;
    HostKeyQuestion m_askHostKey;
    SettingsMaker m_makeSettings;
    SshConnection m_ssh;
    bool m_installBegun = false; // from here on the host finishes the install even if we go
};

} // namespace StreamSwarm::Console

Q_DECLARE_METATYPE(StreamSwarm::Console::DeployReport)
