// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <memory>
#include <optional>

#include <QCommandLineParser>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonValue>
#include <QStringList>
#include <QTextStream>

#include "console/app/localadministration.h"
#include "console/cli/cli.h"
#include "shared/util/commandline.h"
#include "shared/util/configfile.h"

// What every subcommand shares: its parser with --help and the database options, the application
// layer over the database, and printing (tables, JSON, one line on stderr on failure). Their messages are
// translated as Cli::tr(). Main thread only.
namespace StreamSwarm::Console::Commands {

// One run of a subcommand as the dispatcher hands it over.
struct Invocation
{
    QStringList arguments; // the program, then the words after the command's own words
    QString usage; // "streamswarm-console token create NAME [--uses N] [--expires 7d]"
    QString summary; // what the command does, in one line
};

QTextStream &out();
// Prints "streamswarm-console: message" on stderr and returns code.
int failWith(const QString &message, int code = EXIT_FAILED);
QString formatTime(qint64 ms); // ISO 8601 UTC, or "-" for none
// A time option (--from, --to) into *ms when it is given: ISO 8601, or a duration ago from now. False
// with "--from: why" when it does not read as a time; *ms is left as it was when not given.
bool readTimeOption(
    const QCommandLineParser &parser, const QString &option, const QDateTime &now, qint64 *ms, QString *error);
// Prints rows as left-aligned columns with a header line.
void printTable(const QStringList &header, const QList<QStringList> &rows);
void printJson(const QJsonValue &value);
QCommandLineOption jsonOption();

// One subcommand invocation: its parser, its database, its failure helpers.
class Command
{
public:
    explicit Command(const Invocation &invocation);
    Q_DISABLE_COPY_MOVE(Command)

    QCommandLineParser &parser() { return m_parser; }

    // Parses; on a problem, or after printing --help, returns the exit code to return.
    std::optional<int> parse(int positionalCount);
    // As parse(), for commands that take minimum arguments or more (agent tag NAME TAG...).
    std::optional<int> parseAtLeast(int minimum);
    QString positional(int index) const { return m_parser.positionalArguments().value(index); }

    // Opens the database; on failure prints why and returns the exit code.
    std::optional<int> openDatabase();
    // parse(), then openDatabase(): how most commands begin.
    std::optional<int> open(int positionalCount);
    // The command line over the settings file (after parse()).
    const ConfiguredOptions &settings() const { return *m_settings; }
    // --json was given (for commands that offer it).
    bool wantsJson() const { return m_parser.isSet(jsonOption()); }
    // Every action and query, as the windows have them too (after openDatabase()).
    Operations &operations() { return m_administration.operations(); }

private:
    std::optional<int> parseArguments(int count, bool orMore);
    QStringList m_arguments;
    QString m_usage;
    QCommandLineParser m_parser;
    std::optional<ConfiguredOptions> m_settings;
    LocalAdministration m_administration;
};

// What every list command prints: with --json an array of one object per record, otherwise a table
// of one row per record.
template <typename Record, typename ToRow, typename ToObject>
void printRecords(
    const Command &command, const QList<Record> &records, const QStringList &header, ToRow toRow, ToObject toObject)
{
    if (command.wantsJson()) {
        QJsonArray array;
        for (const Record &record : records)
            array.append(toObject(record));
        printJson(array);
        return;
    }
    QList<QStringList> rows;
    for (const Record &record : records)
        rows.append(toRow(record));
    printTable(header, rows);
}

} // namespace StreamSwarm::Console::Commands
