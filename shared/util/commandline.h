// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <optional>

#include <QCommandLineParser>
#include <QStringList>

namespace StreamSwarm {

// Exit codes of every StreamSwarm program: the command line itself is wrong (usage), or the
// program tried and could not do what was asked (failed).
constexpr int EXIT_FAILED = 1;
constexpr int EXIT_USAGE = 2;

// The common tail of every program's option parsing: parse errors, stray words, --help and
// --version. Returns an exit code when the program should stop here (EXIT_USAGE with error set,
// or 0 after printing help or version), nullopt to carry on.
std::optional<int> finishParsing(QCommandLineParser &parser, const QStringList &arguments, QString *error);

// The parser's help with its usage line naming the program as the user types it, not the path it
// was started from ("Usage: streamswarm-agent [options]"). usage defaults to "NAME [options]".
QString helpText(const QCommandLineParser &parser, const QString &usage = QString());

// The account this process runs as, for the audit trail ("root", "alice").
QString currentUserName();

} // namespace StreamSwarm
