// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <optional>

#include <QCommandLineParser>
#include <QStringList>

namespace StreamSwarm {

// The common tail of every program's option parsing: parse errors, --help, --version and stray
// words. Returns an exit code when the program should stop here (with error set, or 0 after
// printing help or version), nullopt to carry on.
std::optional<int> finishParsing(QCommandLineParser &parser, const QStringList &arguments, QString *error);

// The account this process runs as, for the audit trail ("root", "alice").
QString currentUserName();

} // namespace StreamSwarm
