// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "command.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "console/cli/databaseoptions.h"
#include "shared/util/duration.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console::Commands {

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

int failWith(const QString &message, int code)
{
    out().flush();
    QTextStream err(stderr);
    err << QCoreApplication::applicationName() << ": " << message << Qt::endl;
    return code;
}

QString formatTime(qint64 ms)
{
    return ms ? formatIsoUtcMs(ms) : u"-"_s;
}

bool readTimeOption(
    const QCommandLineParser &parser, const QString &option, const QDateTime &now, qint64 *ms, QString *error)
{
    if (!parser.isSet(option))
        return true;
    QString why;
    const auto time = parseTimePoint(parser.value(option), now, &why);
    if (!time) {
        *error = u"--"_s + option + u": "_s + why;
        return false;
    }
    *ms = time->toMSecsSinceEpoch();
    return true;
}

void printTable(const QStringList &header, const QList<QStringList> &rows)
{
    QList<qsizetype> widths;
    for (const QString &title : header)
        widths.append(title.size());
    for (const QStringList &row : rows) {
        for (qsizetype i = 0; i < row.size() && i < widths.size(); ++i)
            widths[i] = std::max(widths[i], row[i].size());
    }
    const auto printRow = [&](const QStringList &row) {
        QString line;
        for (qsizetype i = 0; i < row.size(); ++i)
            line += i + 1 < row.size() ? row[i].leftJustified(widths[i] + 2) : row[i];
        out() << line << '\n';
    };
    printRow(header);
    for (const QStringList &row : rows)
        printRow(row);
    out().flush();
}

void printJson(const QJsonValue &value)
{
    const QJsonDocument document = value.isArray() ? QJsonDocument(value.toArray()) : QJsonDocument(value.toObject());
    out() << QString::fromUtf8(document.toJson(QJsonDocument::Indented));
    out().flush();
}

QCommandLineOption jsonOption()
{
    return {u"json"_s, Cli::tr("Print JSON instead of a table.")};
}

Command::Command(const Invocation &invocation)
    : m_arguments(invocation.arguments)
    , m_usage(invocation.usage)
    , m_administration({Actor::Origin::CommandLine, currentUserName()})
{
    m_parser.setApplicationDescription(invocation.summary);
    m_parser.addHelpOption();
    addDatabaseOptions(m_parser);
}

std::optional<int> Command::parse(int positionalCount)
{
    return parseArguments(positionalCount, false);
}

std::optional<int> Command::parseAtLeast(int minimum)
{
    return parseArguments(minimum, true);
}

std::optional<int> Command::parseArguments(int count, bool orMore)
{
    if (!m_parser.parse(m_arguments))
        return failWith(m_parser.errorText() + u" Usage: "_s + m_usage, EXIT_USAGE);
    if (m_parser.isSet(u"help"_s) || m_parser.isSet(u"help-all"_s)) {
        out() << helpText(m_parser, m_usage);
        out().flush();
        return 0;
    }
    const qsizetype given = m_parser.positionalArguments().size();
    if (orMore ? given < count : given != count) {
        return failWith(orMore
                ? Cli::tr("Expected at least %1 arguments after the command; usage: %2").arg(count).arg(m_usage)
                : Cli::tr("Expected %1 argument(s) after the command; usage: %2").arg(count).arg(m_usage),
            EXIT_USAGE);
    }
    QString error;
    m_settings = loadSettings(m_parser, &error);
    if (!m_settings)
        return failWith(error, EXIT_USAGE);
    return std::nullopt;
}

std::optional<int> Command::open(int positionalCount)
{
    if (auto code = parse(positionalCount))
        return code;
    return openDatabase();
}

std::optional<int> Command::openDatabase()
{
    QString error;
    int code = EXIT_FAILED;
    const auto url = resolveDatabase(settings(), &error, &code);
    if (!url)
        return failWith(error, code);
    if (!m_administration.open(*url, u"streamswarm-cli"_s, &error))
        return failWith(error);
    return std::nullopt;
}

} // namespace StreamSwarm::Console::Commands
