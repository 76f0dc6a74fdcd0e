// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <optional>

#include <QCommandLineParser>

#include "console/storage/database.h"
#include "shared/util/configfile.h"

// Where the console's data lives, from --data-dir, --db and --db-file: shared by the console's
// own start and every subcommand.
namespace StreamSwarm::Console {

// The console's settings file, read when it exists and no --config names another (systemSettingsFile()).
constexpr char CONFIG_FILE_NAME[] = "console.conf";

// What console.conf may hold: the options of the console's start (listen, metrics-listen, cert, key,
// insecure, headless, data-dir, db, db-file). Subcommands read the same file for where the data lives.
ConfigFile::Rules configRules();

// --config's file, else the default one when it exists, under the command line. nullopt with error
// set when --config names no file or the file has a mistake (a usage error).
std::optional<ConfiguredOptions> loadSettings(const QCommandLineParser &parser, QString *error);

// The console's data folder: --data-dir, else the user's data folder (~/.local/share/streamswarm-console).
QString resolveDataDir(const QString &dataDirOption);

// Where the console keeps its own certificate: --data-dir, else the SQLite file's folder, else the
// default data folder.
QString resolveCertificateDir(const QString &dataDirOption, const DatabaseUrl &database);

// The database from --db, else the URL in --db-file (so a password need not sit on a command line),
// else $STREAMSWARM_DB, else <data-dir>/streamswarm.db. On failure exitCode (when given) says whether
// the command line is wrong (EXIT_USAGE) or the --db-file could not be read (EXIT_FAILED).
std::optional<DatabaseUrl> resolveDatabase(const ConfiguredOptions &options, QString *error, int *exitCode = nullptr);

// --config, --data-dir, --db and --db-file, shared by every command that opens the database.
void addDatabaseOptions(QCommandLineParser &parser);

} // namespace StreamSwarm::Console
