// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <optional>

#include <QCoreApplication>
#include <QList>

#include "console/deploy/deployjob.h"

// The hosts to deploy to, as people write them: on the command line and in a CSV file.
namespace StreamSwarm::Console::DeployTargets {

constexpr int MAX_HOSTS = 10000;
constexpr qint64 MAX_FILE_BYTES = 1024 * 1024;

// "host", "user@host", "host:port", "user@[2001:db8::1]:port"; defaults fill what is left out.
std::optional<DeployTarget> parse(const QString &text, const DeployTarget &defaults, QString *error);

// One host per line: host[,port[,user[,agent name]]]; empty fields take the defaults. Blank lines,
// '#' comments and a first line starting "host," are skipped. Errors name the file and line.
std::optional<QList<DeployTarget>> readFile(const QString &path, const DeployTarget &defaults, QString *error);

} // namespace StreamSwarm::Console::DeployTargets
