// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <optional>

#include <QCoreApplication>
#include <QStringList>
#include <QUrl>

namespace StreamSwarm::Agent {

// The settings file read when it exists and no --config names another (systemSettingsFile()).
constexpr char CONFIG_FILE_NAME[] = "agent.conf";

// What the agent was told on its command line, in its settings file and environment.
struct AgentOptions
{
    Q_DECLARE_TR_FUNCTIONS(StreamSwarm::Agent::AgentOptions)

public:
    QUrl server;
    QString token; // enrollment token: used once, then the credential in the state dir is used
    QString name;
    QString stateDir;
    QByteArray fingerprint; // SHA-256 of the console's certificate to insist on; empty = trust on first use
    bool insecure = false;
    qint64 spoolMaxBytes = 256LL * 1024 * 1024; // results kept on disk while the console is away
    qint64 replayRoundsPerSecond = 2000; // how fast a backlog is sent after reconnecting
    quint16 stampPort = 0; // answer STAMP test packets on this UDP port; 0 = do not
    QStringList hardwareStampInterfaces; // NICs whose own packet stamping the agent switches on
    QStringList warnings; // said once at start: what works but should be changed

    // --server URL --token T | --token-file F [--name N] [--state-dir D] [--fingerprint F] [--config F]
    // [--insecure] [--spool-size SIZE] [--replay-rate N] [--stamp-port PORT]
    // [--hardware-timestamps IFACE[,IFACE...]]. The token may also come from
    // $STREAMSWARM_TOKEN so it never shows in `ps`.
    static std::optional<AgentOptions> parse(const QStringList &arguments, QString *error, int *exitCode);
};

} // namespace StreamSwarm::Agent
