// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QCoreApplication>
#include <QStringList>

#include "console/cli/databaseoptions.h"

namespace StreamSwarm::Console {

// The scriptable subcommands (token, agent, test, export, summary, ...): finds the one asked for
// and runs it. Each acts on the database directly, prints results on stdout and one plain
// sentence on stderr when it fails (exit 1), or when the command line is wrong (exit 2). Every
// command-line message is translated in its context (Cli::tr), whichever file says it.
class Cli
{
    Q_DECLARE_TR_FUNCTIONS(StreamSwarm::Console::Cli)
public:
    // Whether the word after the program's name is for the CLI: any word that is not an option, so
    // a misspelt command is reported as one instead of starting the console.
    static bool isCommand(const QString &word);
    // Whether the command draws (reports): it then needs a QGuiApplication for fonts.
    static bool needsGui(const QString &word);
    // arguments as from QCoreApplication::arguments(); returns the process exit code.
    static int run(const QStringList &arguments);
    // Every command with one line on what it does, for the console's --help.
    static QString commandList();
};

} // namespace StreamSwarm::Console
