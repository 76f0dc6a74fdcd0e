// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <optional>

#include <QCommandLineParser>
#include <QStringList>

#include "console/storage/database.h"

namespace StreamSwarm::Console {

// The scriptable subcommands (token, agent, test, export, summary). Each acts on the database
// directly, prints results on stdout and one plain sentence on stderr when it fails.
class Cli
{
public:
    static bool isCommand(const QString &word);
    // arguments as from QCoreApplication::arguments(); returns the process exit code.
    static int run(const QStringList &arguments);
};

// The console's data folder: --data-dir, else the user's data folder (~/.local/share/streamswarm-console).
QString resolveDataDir(const QString &dataDirOption);

// Where the console keeps its own certificate: --data-dir, else the SQLite file's folder, else the
// default data folder.
QString resolveCertificateDir(const QString &dataDirOption, const DatabaseUrl &database);

// The database from --db, else the URL in --db-file (so a password need not sit on a command line),
// else $STREAMSWARM_DB, else <data-dir>/streamswarm.db.
std::optional<DatabaseUrl> resolveDatabase(const QCommandLineParser &parser, QString *error);

// --data-dir, --db and --db-file, shared by every command that opens the database.
void addDatabaseOptions(QCommandLineParser &parser);

} // namespace StreamSwarm::Console
