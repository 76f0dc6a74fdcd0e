// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "databaseoptions.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>

#include "console/cli/cli.h"
#include "shared/util/commandline.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

QString resolveDataDir(const QString &dataDirOption)
{
    if (!dataDirOption.isEmpty())
        return QDir::cleanPath(QDir::current().absoluteFilePath(dataDirOption));
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
}

QString resolveCertificateDir(const QString &dataDirOption, const DatabaseUrl &database)
{
    if (dataDirOption.isEmpty() && database.kind == DatabaseUrl::Kind::Sqlite)
        return QFileInfo(database.path).absolutePath();
    return resolveDataDir(dataDirOption);
}

ConfigFile::Rules configRules()
{
    return {u"console"_s,
        {u"listen"_s, u"metrics-listen"_s, u"cert"_s, u"key"_s, u"insecure"_s, u"headless"_s, u"data-dir"_s, u"db"_s,
            u"db-file"_s, u"smtp-server"_s, u"smtp-from"_s, u"smtp-user"_s, u"smtp-password-file"_s, u"smtp-ca-file"_s,
            u"smtp-no-tls"_s, u"webhook-ca-file"_s},
        {u"insecure"_s, u"headless"_s, u"smtp-no-tls"_s}};
}

std::optional<ConfiguredOptions> loadSettings(const QCommandLineParser &parser, QString *error)
{
    return ConfiguredOptions::load(
        parser, systemSettingsFile(QString::fromLatin1(CONFIG_FILE_NAME)), configRules(), error);
}

void addDatabaseOptions(QCommandLineParser &parser)
{
    parser.addOption({u"config"_s,
        Cli::tr("Read the settings from this file instead of %1 (the command line wins).")
            .arg(systemSettingsFile(QString::fromLatin1(CONFIG_FILE_NAME))),
        Cli::tr("FILE")});
    parser.addOption({u"data-dir"_s, Cli::tr("Folder for the console's data."), Cli::tr("DIR")});
    parser.addOption(
        {u"db"_s, Cli::tr("Database: sqlite:/path/file.db or postgresql://user:pass@host:port/db."), Cli::tr("URL")});
    parser.addOption({u"db-file"_s,
        Cli::tr("Read the database URL from this file (keeps a password off the command line)."), Cli::tr("FILE")});
}

std::optional<DatabaseUrl> resolveDatabase(const ConfiguredOptions &options, QString *error, int *exitCode)
{
    const auto fail = [&](const QString &name, const QString &why, int code) -> std::optional<DatabaseUrl> {
        *error = options.blame(name, why);
        if (exitCode)
            *exitCode = code;
        return std::nullopt;
    };
    QString text = options.value(u"db"_s);
    if (options.isSet(u"db-file"_s)) {
        if (!text.isEmpty())
            return fail(u"db-file"_s, Cli::tr("Give --db or --db-file, not both."), EXIT_USAGE);
        QFile file(options.value(u"db-file"_s));
        if (!file.open(QIODevice::ReadOnly)) {
            return fail(
                u"db-file"_s, Cli::tr("Cannot read %1: %2").arg(file.fileName(), file.errorString()), EXIT_FAILED);
        }
        text = QString::fromUtf8(file.readLine(4096)).trimmed();
        if (text.isEmpty()) {
            return fail(
                u"db-file"_s, Cli::tr("%1 holds no database URL on its first line.").arg(file.fileName()), EXIT_FAILED);
        }
    }
    const bool fromVariable = text.isEmpty();
    if (text.isEmpty())
        text = qEnvironmentVariable("STREAMSWARM_DB");
    if (!text.isEmpty()) {
        auto url = DatabaseUrl::parse(text, error);
        if (!url) {
            if (!fromVariable)
                *error = options.blame(u"db"_s, *error);
            if (exitCode) // a wrong --db is a wrong command line; a wrong file or variable is not
                *exitCode = options.isSet(u"db"_s) ? EXIT_USAGE : EXIT_FAILED;
        }
        return url;
    }
    return DatabaseUrl::sqliteFile(resolveDataDir(options.value(u"data-dir"_s)) + u"/streamswarm.db"_s);
}

} // namespace StreamSwarm::Console
