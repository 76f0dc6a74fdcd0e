// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "cli.h"

#include <cstdio>

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QStandardPaths>
#include <QTextStream>

#include "console/server/certificatestore.h"
#include "console/storage/storageservice.h"
#include "shared/protocol/validation.h"
#include "shared/util/commandline.h"
#include "shared/util/duration.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("StreamSwarm::Console::Cli", text);
}

// Thrown nowhere: every failure path returns this code after printing one line.
constexpr int EXIT_FAILED = 1;
constexpr int EXIT_USAGE = 2;

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

int failWith(const QString &message, int code = EXIT_FAILED)
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

// Prints rows as left-aligned columns with a header line.
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

// One subcommand invocation: its parser, its database, its failure helpers.
class Command
{
public:
    Command(QStringList arguments, QString usage)
        : m_arguments(std::move(arguments))
        , m_usage(std::move(usage))
    {
        m_parser.setApplicationDescription(m_usage);
        m_parser.addHelpOption();
        addDatabaseOptions(m_parser);
    }

    QCommandLineParser &parser() { return m_parser; }

    // Parses; on a problem prints one line and returns an exit code to return.
    std::optional<int> parse(int positionalCount)
    {
        if (!m_parser.parse(m_arguments))
            return failWith(m_parser.errorText() + u" Usage: "_s + m_usage, EXIT_USAGE);
        if (m_parser.isSet(u"help"_s)) {
            out() << m_parser.helpText();
            out().flush();
            return 0;
        }
        if (m_parser.positionalArguments().size() != positionalCount) {
            return failWith(
                tr("Expected %1 argument(s) after the command; usage: %2").arg(positionalCount).arg(m_usage),
                EXIT_USAGE);
        }
        return std::nullopt;
    }

    QString positional(int index) const { return m_parser.positionalArguments().value(index); }

    // Opens the database; on failure prints why and returns the exit code.
    std::optional<int> openDatabase()
    {
        QString error;
        const auto url = resolveDatabase(m_parser, &error);
        if (!url)
            return failWith(error);
        if (!m_db.open(*url, u"streamswarm-cli"_s, &error))
            return failWith(error);
        m_repositories = std::make_unique<Repositories>(m_db);
        return std::nullopt;
    }

    Repositories &repos() { return *m_repositories; }

    // The audit trail: what the command changed, and which account ran it.
    void audit(const QString &kind, const QString &message, qint64 agentId = 0, qint64 testId = 0)
    {
        const QString who = currentUserName();
        QString error;
        if (!m_repositories->events.add(QDateTime::currentMSecsSinceEpoch(), u"info"_s, kind, agentId, testId,
                tr("%1 (by %2 on the command line)").arg(message, who), &error)) {
            QTextStream(stderr) << QCoreApplication::applicationName() << ": " << error << Qt::endl;
        }
    }

private:
    QStringList m_arguments;
    QString m_usage;
    QCommandLineParser m_parser;
    Database m_db;
    std::unique_ptr<Repositories> m_repositories;
};

const QCommandLineOption JSON_OPTION{u"json"_s, tr("Print JSON instead of a table.")};

int tokenCreate(const QStringList &args)
{
    Command command(args, u"streamswarm-console token create NAME [--uses N] [--expires 7d]"_s);
    command.parser().addOption({u"uses"_s, tr("How many agents may enroll with it (default 1)."), tr("N"), u"1"_s});
    command.parser().addOption({u"expires"_s, tr("How long it stays valid (default 7d)."), tr("DURATION"), u"7d"_s});
    if (auto code = command.parse(1))
        return *code;
    const QString name = command.positional(0);
    QString error;
    if (!Validation::checkName(tr("token name"), name, &error))
        return failWith(error, EXIT_USAGE);
    bool ok = false;
    const int uses = command.parser().value(u"uses"_s).toInt(&ok);
    if (!ok || uses < 1 || uses > 100000)
        return failWith(tr("--uses must be a whole number from 1 to 100000."), EXIT_USAGE);
    const auto expires = parseDurationMs(command.parser().value(u"expires"_s), &error);
    if (!expires)
        return failWith(u"--expires: "_s + error, EXIT_USAGE);
    if (auto code = command.openDatabase())
        return *code;
    const qint64 expiresAt = QDateTime::currentMSecsSinceEpoch() + *expires;
    const auto token = command.repos().tokens.create(name, uses, expiresAt, &error);
    if (!token)
        return failWith(error);
    command.audit(u"token-created"_s,
        tr("Token \"%1\" created for %2 enrollment(s) until %3").arg(name).arg(uses).arg(formatIsoUtcMs(expiresAt)));
    out() << *token << Qt::endl;
    QTextStream(stderr) << tr("Token \"%1\" allows %2 enrollment(s) until %3. It is shown only this once.")
                               .arg(name)
                               .arg(uses)
                               .arg(formatIsoUtcMs(expiresAt))
                        << Qt::endl;
    return 0;
}

int tokenList(const QStringList &args)
{
    Command command(args, u"streamswarm-console token list [--json]"_s);
    command.parser().addOption(JSON_OPTION);
    if (auto code = command.parse(0))
        return *code;
    if (auto code = command.openDatabase())
        return *code;
    QString error;
    const auto tokens = command.repos().tokens.list(&error);
    if (!tokens)
        return failWith(error);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const auto state = [now](const TokenRecord &token) {
        return tokenStateName(token.stateAt(now));
    };
    if (command.parser().isSet(JSON_OPTION)) {
        QJsonArray array;
        for (const TokenRecord &token : *tokens) {
            array.append(
                QJsonObject{{u"name"_s, token.name}, {u"state"_s, state(token)}, {u"usesLeft"_s, token.usesLeft},
                    {u"expires"_s, formatTime(token.expiresAtMs)}, {u"created"_s, formatTime(token.createdAtMs)}});
        }
        printJson(array);
        return 0;
    }
    QList<QStringList> rows;
    for (const TokenRecord &token : *tokens)
        rows.append({token.name, state(token), QString::number(token.usesLeft), formatTime(token.expiresAtMs)});
    printTable({tr("NAME"), tr("STATE"), tr("USES LEFT"), tr("EXPIRES")}, rows);
    return 0;
}

int tokenRevoke(const QStringList &args)
{
    Command command(args, u"streamswarm-console token revoke NAME"_s);
    if (auto code = command.parse(1))
        return *code;
    if (auto code = command.openDatabase())
        return *code;
    QString error;
    if (!command.repos().tokens.revoke(command.positional(0), &error))
        return failWith(error);
    command.audit(u"token-revoked"_s, tr("Token \"%1\" revoked").arg(command.positional(0)));
    out() << tr("Revoked token \"%1\".").arg(command.positional(0)) << Qt::endl;
    return 0;
}

int agentList(const QStringList &args)
{
    Command command(args, u"streamswarm-console agent list [--json]"_s);
    command.parser().addOption(JSON_OPTION);
    if (auto code = command.parse(0))
        return *code;
    if (auto code = command.openDatabase())
        return *code;
    QString error;
    const auto agents = command.repos().agents.list(&error);
    if (!agents)
        return failWith(error);
    const auto status = [](const AgentRecord &agent) {
        return agent.revoked ? tr("revoked") : agent.online ? tr("online") : tr("offline");
    };
    if (command.parser().isSet(JSON_OPTION)) {
        QJsonArray array;
        for (const AgentRecord &agent : *agents) {
            array.append(QJsonObject{{u"name"_s, agent.name}, {u"status"_s, status(agent)}, {u"host"_s, agent.host},
                {u"os"_s, agent.os}, {u"version"_s, agent.version},
                {u"capabilities"_s, QJsonArray::fromStringList(agent.capabilities)},
                {u"enrolled"_s, formatTime(agent.enrolledAtMs)}, {u"lastSeen"_s, formatTime(agent.lastSeenMs)},
                {u"clockOffsetMs"_s, agent.clockOffsetMs ? QJsonValue(double(*agent.clockOffsetMs)) : QJsonValue()},
                {u"clockErrorMs"_s, agent.clockOffsetMs ? QJsonValue(double(agent.clockErrorMs)) : QJsonValue()},
                {u"clockSkewed"_s, agent.clockSkewed()}});
        }
        printJson(array);
        return 0;
    }
    QList<QStringList> rows;
    for (const AgentRecord &agent : *agents)
        rows.append({agent.name, status(agent), agent.host, agent.os, agent.version, formatTime(agent.lastSeenMs),
            describeClock(agent)});
    printTable({tr("NAME"), tr("STATUS"), tr("HOST"), tr("OS"), tr("VERSION"), tr("LAST SEEN"), tr("CLOCK")}, rows);
    return 0;
}

int agentRevoke(const QStringList &args)
{
    Command command(args, u"streamswarm-console agent revoke NAME"_s);
    if (auto code = command.parse(1))
        return *code;
    if (auto code = command.openDatabase())
        return *code;
    QString error;
    qint64 agentId = 0;
    if (!command.repos().agents.revoke(command.positional(0), &agentId, &error))
        return failWith(error);
    command.audit(u"agent-revoked"_s, tr("Agent \"%1\" revoked").arg(command.positional(0)), agentId);
    out() << tr("Revoked agent \"%1\"; a running console disconnects it within a second.").arg(command.positional(0))
          << Qt::endl;
    return 0;
}

int agentRekey(const QStringList &args)
{
    Command command(args, u"streamswarm-console agent rekey NAME"_s);
    if (auto code = command.parse(1))
        return *code;
    if (auto code = command.openDatabase())
        return *code;
    QString error;
    qint64 agentId = 0;
    if (!command.repos().agents.requestRekey(command.positional(0), &agentId, &error))
        return failWith(error);
    command.audit(
        u"agent-rekey-requested"_s, tr("New credential asked for agent \"%1\"").arg(command.positional(0)), agentId);
    out() << tr("Agent \"%1\" gets a new credential from the running console as soon as it is online (within a "
                "second if it is online now); its old credential then stops working.")
                 .arg(command.positional(0))
          << Qt::endl;
    return 0;
}

int testAdd(const QStringList &args)
{
    Command command(args,
        u"streamswarm-console test add --name NAME --type TYPE --target TARGET [--interval 1s] "
        "[--duration 60s | --continuous] --agents A,B|all [--param key=value]..."_s);
    QCommandLineParser &parser = command.parser();
    parser.addOption({u"name"_s, tr("Test name."), tr("NAME")});
    parser.addOption({u"type"_s, tr("Test type: %1.").arg(Validation::runnableTestTypes().join(u", ")), tr("TYPE")});
    parser.addOption({u"target"_s,
        tr("Host name or address to test; for qos also agent:NAME, another agent (started with --stamp-port) "
           "reached at the address its connection comes from."),
        tr("TARGET")});
    parser.addOption({u"interval"_s, tr("Time between rounds (default 1s)."), tr("DURATION"), u"1s"_s});
    parser.addOption({u"duration"_s, tr("How long the test runs (default 60s)."), tr("DURATION"), u"60s"_s});
    parser.addOption({u"continuous"_s, tr("Run until stopped.")});
    parser.addOption({u"agents"_s, tr("Comma-separated agent names, or all."), tr("LIST")});
    parser.addOption({u"param"_s, tr("A test parameter; repeat for more."), tr("KEY=VALUE")});
    if (auto code = command.parse(0))
        return *code;
    for (const QString &required : {u"name"_s, u"type"_s, u"target"_s, u"agents"_s}) {
        if (!parser.isSet(required))
            return failWith(tr("--%1 is required.").arg(required), EXIT_USAGE);
    }
    if (parser.isSet(u"duration"_s) && parser.isSet(u"continuous"_s))
        return failWith(tr("Give either --duration or --continuous, not both."), EXIT_USAGE);

    TestRecord test;
    test.name = parser.value(u"name"_s);
    test.type = parser.value(u"type"_s);
    test.target = parser.value(u"target"_s);
    QString error;
    const auto interval = parseDurationMs(parser.value(u"interval"_s), &error);
    if (!interval)
        return failWith(u"--interval: "_s + error, EXIT_USAGE);
    test.intervalMs = *interval;
    if (!parser.isSet(u"continuous"_s)) {
        const auto duration = parseDurationMs(parser.value(u"duration"_s), &error);
        if (!duration)
            return failWith(u"--duration: "_s + error, EXIT_USAGE);
        test.durationMs = *duration;
        if (test.durationMs == 0)
            return failWith(
                tr("--duration must be longer than zero; use --continuous to run until stopped."), EXIT_USAGE);
    }
    for (const QString &param : parser.values(u"param"_s)) {
        const qsizetype equals = param.indexOf(u'=');
        if (equals <= 0)
            return failWith(tr("--param \"%1\" must look like key=value.").arg(param), EXIT_USAGE);
        test.params.insert(param.left(equals), param.mid(equals + 1));
    }
    const QStringList agents = parser.value(u"agents"_s).split(u',', Qt::SkipEmptyParts);
    if (agents.isEmpty())
        return failWith(tr("--agents names no agent; give names separated by commas, or all."), EXIT_USAGE);
    test.allAgents = agents == QStringList{u"all"_s};
    if (!test.allAgents) {
        for (const QString &agent : agents) {
            if (!Validation::checkName(tr("agent name"), agent.trimmed(), &error))
                return failWith(error, EXIT_USAGE);
            if (!test.agentNames.contains(agent.trimmed()))
                test.agentNames.append(agent.trimmed());
        }
    }
    test.createdAtMs = QDateTime::currentMSecsSinceEpoch();
    if (!Validation::checkTestSpec(test.toSpec(test.createdAtMs), &error))
        return failWith(error, EXIT_USAGE);

    if (auto code = command.openDatabase())
        return *code;
    const auto testId = command.repos().tests.add(test, &error);
    if (!testId)
        return failWith(error);
    command.audit(u"test-added"_s, tr("Test \"%1\" added").arg(test.name), 0, *testId);
    out() << tr("Added test \"%1\": %2 %3 every %4, %5, on %6.")
                 .arg(test.name, test.type, test.target, formatDurationMs(test.intervalMs),
                     test.durationMs ? tr("for %1").arg(formatDurationMs(test.durationMs)) : tr("until stopped"),
                     test.allAgents ? tr("all agents") : test.agentNames.join(u", "))
          << Qt::endl;
    if (const QString targetAgent = Validation::agentTargetName(test.target); !targetAgent.isEmpty()) {
        const auto agent = command.repos().agents.findByName(targetAgent, &error);
        if (agent && !agent->online) {
            QTextStream(stderr)
                << tr("The agent \"%1\" is not connected now; the test waits until it connects.").arg(targetAgent)
                << Qt::endl;
        }
    }
    return 0;
}

int testList(const QStringList &args)
{
    Command command(args, u"streamswarm-console test list [--json]"_s);
    command.parser().addOption(JSON_OPTION);
    if (auto code = command.parse(0))
        return *code;
    if (auto code = command.openDatabase())
        return *code;
    QString error;
    const auto tests = command.repos().tests.list(&error);
    if (!tests)
        return failWith(error);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const auto agentsOf = [](const TestRecord &test) {
        return test.allAgents ? u"all"_s : test.agentNames.join(u',');
    };
    if (command.parser().isSet(JSON_OPTION)) {
        QJsonArray array;
        for (const TestRecord &test : *tests) {
            QJsonObject params;
            for (auto it = test.params.cbegin(); it != test.params.cend(); ++it)
                params.insert(it.key(), it.value());
            array.append(QJsonObject{{u"name"_s, test.name}, {u"type"_s, test.type}, {u"target"_s, test.target},
                {u"intervalMs"_s, test.intervalMs}, {u"durationMs"_s, test.durationMs},
                {u"state"_s, testStateName(test.stateAt(now))}, {u"agents"_s, agentsOf(test)}, {u"params"_s, params},
                {u"created"_s, formatTime(test.createdAtMs)}});
        }
        printJson(array);
        return 0;
    }
    QList<QStringList> rows;
    for (const TestRecord &test : *tests) {
        rows.append({test.name, test.type, test.target, formatDurationMs(test.intervalMs),
            test.durationMs ? formatDurationMs(test.durationMs) : tr("continuous"), testStateName(test.stateAt(now)),
            agentsOf(test)});
    }
    printTable({tr("NAME"), tr("TYPE"), tr("TARGET"), tr("INTERVAL"), tr("DURATION"), tr("STATE"), tr("AGENTS")}, rows);
    return 0;
}

int testStop(const QStringList &args)
{
    Command command(args, u"streamswarm-console test stop NAME"_s);
    if (auto code = command.parse(1))
        return *code;
    if (auto code = command.openDatabase())
        return *code;
    QString error;
    if (!command.repos().tests.stop(command.positional(0), QDateTime::currentMSecsSinceEpoch(), &error))
        return failWith(error);
    command.audit(u"test-stopped"_s, tr("Test \"%1\" stopped").arg(command.positional(0)));
    out() << tr("Stopped test \"%1\".").arg(command.positional(0)) << Qt::endl;
    return 0;
}

// --test/--agent/--from/--to, shared by export and summary.
void addFilterOptions(QCommandLineParser &parser)
{
    parser.addOption({u"test"_s, tr("Only this test."), tr("NAME")});
    parser.addOption({u"agent"_s, tr("Only this agent."), tr("NAME")});
    parser.addOption({u"from"_s, tr("Start time: ISO 8601, or a duration ago (2h)."), tr("TIME")});
    parser.addOption({u"to"_s, tr("End time: ISO 8601, or a duration ago."), tr("TIME")});
}

std::optional<SampleFilter> readFilter(const QCommandLineParser &parser, QString *error)
{
    SampleFilter filter;
    filter.testName = parser.value(u"test"_s);
    filter.agentName = parser.value(u"agent"_s);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (const QString &option : {u"from"_s, u"to"_s}) {
        if (!parser.isSet(option))
            continue;
        QString why;
        const auto time = parseTimePoint(parser.value(option), now, &why);
        if (!time) {
            *error = u"--"_s + option + u": "_s + why;
            return std::nullopt;
        }
        (option == u"from" ? filter.fromMs : filter.toMs) = time->toMSecsSinceEpoch();
    }
    return filter;
}

QString formatValue(double value)
{
    return QString::number(value, 'g', QLocale::FloatingPointShortest);
}

int exportSamples(const QStringList &args)
{
    Command command(args,
        u"streamswarm-console export --format csv|json [--test NAME] [--agent NAME] [--from T] "
        "[--to T] [--out FILE]"_s);
    QCommandLineParser &parser = command.parser();
    parser.addOption({u"format"_s, tr("csv or json."), tr("FORMAT")});
    parser.addOption({u"out"_s, tr("Write to this file instead of standard output."), tr("FILE")});
    addFilterOptions(parser);
    if (auto code = command.parse(0))
        return *code;
    const QString format = parser.value(u"format"_s);
    if (format != u"csv" && format != u"json")
        return failWith(tr("--format must be csv or json."), EXIT_USAGE);
    QString error;
    const auto filter = readFilter(parser, &error);
    if (!filter)
        return failWith(error, EXIT_USAGE);
    if (auto code = command.openDatabase())
        return *code;

    // QSaveFile: a failed export never leaves a half-written file in place of a good one.
    QSaveFile file(parser.value(u"out"_s));
    QFile stdoutFile;
    QIODevice *device = &file;
    if (parser.isSet(u"out"_s)) {
        if (!file.open(QIODevice::WriteOnly))
            return failWith(tr("Cannot write %1: %2").arg(file.fileName(), file.errorString()));
    } else {
        out().flush();
        if (!stdoutFile.open(stdout, QIODevice::WriteOnly))
            return failWith(tr("Cannot write to standard output."));
        device = &stdoutFile;
    }
    QTextStream stream(device);
    stream.setEncoding(QStringConverter::Utf8);
    qint64 rows = 0;
    bool ok = true;
    if (format == u"csv") {
        stream << "time,agent,test,metric,value,unit\n";
        ok = command.repos().samples.forEachSample(
            *filter,
            [&](const SampleRow &row) {
                stream << formatIsoUtcMs(row.timeMs) << ',' << row.agent << ',' << row.test << ',' << row.metric << ','
                       << formatValue(row.value) << ',' << row.unit << '\n';
                ++rows;
                return stream.status() == QTextStream::Ok;
            },
            &error);
    } else {
        QJsonArray samples;
        QJsonArray details;
        ok = command.repos().samples.forEachSample(
            *filter,
            [&](const SampleRow &row) {
                samples.append(QJsonObject{{u"time"_s, formatIsoUtcMs(row.timeMs)}, {u"agent"_s, row.agent},
                    {u"test"_s, row.test}, {u"metric"_s, row.metric}, {u"value"_s, row.value}, {u"unit"_s, row.unit}});
                ++rows;
                return true;
            },
            &error);
        ok = ok
            && command.repos().samples.forEachDetail(
                *filter,
                [&](qint64 timeMs, const QString &agent, const QString &test, const QString &kind,
                    const QString &body) {
                    details.append(
                        QJsonObject{{u"time"_s, formatIsoUtcMs(timeMs)}, {u"agent"_s, agent}, {u"test"_s, test},
                            {u"kind"_s, kind}, {u"body"_s, QJsonDocument::fromJson(body.toUtf8()).object()}});
                    return true;
                },
                &error);
        const QJsonObject root{{u"samples"_s, samples}, {u"details"_s, details}};
        stream << QString::fromUtf8(QJsonDocument(root).toJson(QJsonDocument::Indented));
    }
    stream.flush();
    if (!ok)
        return failWith(error);
    if (stream.status() != QTextStream::Ok)
        return failWith(tr("Writing the export failed (disk full?)."));
    if (parser.isSet(u"out"_s)) {
        if (!file.commit())
            return failWith(tr("Cannot write %1: %2").arg(file.fileName(), file.errorString()));
        QTextStream(stderr) << tr("Wrote %1 samples to %2.").arg(rows).arg(file.fileName()) << Qt::endl;
    }
    return 0;
}

int summary(const QStringList &args)
{
    Command command(args, u"streamswarm-console summary [--test NAME] [--agent NAME] [--from T] [--to T] [--json]"_s);
    command.parser().addOption(JSON_OPTION);
    addFilterOptions(command.parser());
    if (auto code = command.parse(0))
        return *code;
    QString error;
    const auto filter = readFilter(command.parser(), &error);
    if (!filter)
        return failWith(error, EXIT_USAGE);
    if (auto code = command.openDatabase())
        return *code;
    const auto agents = command.repos().agents.list(&error);
    const auto series = agents ? command.repos().samples.summarize(*filter, &error) : std::nullopt;
    if (!series)
        return failWith(error);
    const auto number = [](const std::optional<double> &value) {
        return value ? QString::number(*value, 'f', 3) : u"-"_s;
    };
    qint64 samples = 0;
    for (const SeriesSummary &entry : *series)
        samples += entry.samples;
    if (command.parser().isSet(JSON_OPTION)) {
        QJsonArray array;
        const auto json = [](const std::optional<double> &value) {
            return value ? QJsonValue(*value) : QJsonValue();
        };
        for (const SeriesSummary &entry : *series) {
            array.append(QJsonObject{{u"agent"_s, entry.agent}, {u"test"_s, entry.test}, {u"type"_s, entry.type},
                {u"samples"_s, entry.samples}, {u"rounds"_s, entry.rounds}, {u"rttMinMs"_s, json(entry.rttMin)},
                {u"rttAvgMs"_s, json(entry.rttAvg)}, {u"rttMaxMs"_s, json(entry.rttMax)},
                {u"lossPct"_s, json(entry.lossAvg)}});
        }
        printJson(QJsonObject{{u"agents"_s, agents->size()}, {u"samples"_s, samples}, {u"series"_s, array}});
        return 0;
    }
    out() << tr("Agents: %1   Samples stored: %2").arg(agents->size()).arg(samples) << '\n';
    QList<QStringList> rows;
    for (const SeriesSummary &entry : *series) {
        rows.append({entry.agent, entry.test, QString::number(entry.rounds), number(entry.rttMin), number(entry.rttAvg),
            number(entry.rttMax), number(entry.lossAvg)});
    }
    printTable(
        {tr("AGENT"), tr("TEST"), tr("ROUNDS"), tr("RTT MIN ms"), tr("RTT AVG ms"), tr("RTT MAX ms"), tr("LOSS %")},
        rows);
    return 0;
}

int eventList(const QStringList &args)
{
    Command command(args, u"streamswarm-console event list [--limit N] [--json]"_s);
    command.parser().addOption(JSON_OPTION);
    command.parser().addOption({u"limit"_s, tr("How many of the newest events (default 50)."), tr("N"), u"50"_s});
    if (auto code = command.parse(0))
        return *code;
    bool ok = false;
    const int limit = command.parser().value(u"limit"_s).toInt(&ok);
    if (!ok || limit < 1 || limit > 100000)
        return failWith(tr("--limit must be a whole number from 1 to 100000."), EXIT_USAGE);
    if (auto code = command.openDatabase())
        return *code;
    QString error;
    const auto events = command.repos().events.recent(limit, &error);
    if (!events)
        return failWith(error);
    if (command.parser().isSet(JSON_OPTION)) {
        QJsonArray array;
        for (const EventRecord &event : *events) {
            array.append(QJsonObject{{u"time"_s, formatIsoUtcMs(event.timeMs)}, {u"level"_s, event.level},
                {u"kind"_s, event.kind}, {u"agent"_s, event.agentName}, {u"test"_s, event.testName},
                {u"message"_s, event.message}});
        }
        printJson(array);
        return 0;
    }
    QList<QStringList> rows;
    for (const EventRecord &event : *events) {
        rows.append({formatIsoUtcMs(event.timeMs), event.level, event.kind,
            event.agentName.isEmpty() ? u"-"_s : event.agentName, event.message});
    }
    printTable({tr("TIME"), tr("LEVEL"), tr("KIND"), tr("AGENT"), tr("MESSAGE")}, rows);
    return 0;
}

int fingerprint(const QStringList &args)
{
    Command command(args, u"streamswarm-console fingerprint [--cert FILE --key FILE]"_s);
    command.parser().addOption(
        {u"cert"_s, tr("The certificate the console is started with, if not its own."), tr("FILE")});
    command.parser().addOption({u"key"_s, tr("The private key for --cert."), tr("FILE")});
    if (auto code = command.parse(0))
        return *code;
    const QCommandLineParser &parser = command.parser();
    if (parser.isSet(u"cert"_s) != parser.isSet(u"key"_s))
        return failWith(tr("Give --cert and --key together."), EXIT_USAGE);
    QString error;
    const auto database = resolveDatabase(parser, &error);
    if (!database)
        return failWith(error, EXIT_USAGE);
    CertificateStore store;
    const bool loaded = parser.isSet(u"cert"_s)
        ? store.loadFiles(parser.value(u"cert"_s), parser.value(u"key"_s), &error)
        : store.loadOrCreate(resolveCertificateDir(parser.value(u"data-dir"_s), *database), &error);
    if (!loaded)
        return failWith(error);
    out() << store.fingerprint() << Qt::endl;
    return 0;
}

struct Subcommand
{
    QString group;
    QString action; // empty for single-word commands
    int (*run)(const QStringList &);
};

const QList<Subcommand> &subcommands()
{
    static const QList<Subcommand> list{
        {u"token"_s, u"create"_s, tokenCreate},
        {u"token"_s, u"list"_s, tokenList},
        {u"token"_s, u"revoke"_s, tokenRevoke},
        {u"agent"_s, u"list"_s, agentList},
        {u"agent"_s, u"revoke"_s, agentRevoke},
        {u"agent"_s, u"rekey"_s, agentRekey},
        {u"test"_s, u"add"_s, testAdd},
        {u"test"_s, u"list"_s, testList},
        {u"test"_s, u"stop"_s, testStop},
        {u"export"_s, QString(), exportSamples},
        {u"summary"_s, QString(), summary},
        {u"fingerprint"_s, QString(), fingerprint},
        {u"event"_s, u"list"_s, eventList},
    };
    return list;
}

} // namespace

bool Cli::isCommand(const QString &word)
{
    return std::any_of(
        subcommands().cbegin(), subcommands().cend(), [&](const Subcommand &command) { return command.group == word; });
}

int Cli::run(const QStringList &arguments)
{
    const QString group = arguments.value(1);
    const QString action = arguments.value(2);
    QStringList actions;
    for (const Subcommand &command : subcommands()) {
        if (command.group != group)
            continue;
        if (command.action.isEmpty()) // "export ...": the parser sees everything after the word
            return command.run(QStringList{arguments.first() + u' ' + group} + arguments.mid(2));
        if (command.action == action)
            return command.run(QStringList{arguments.first() + u' ' + group + u' ' + action} + arguments.mid(3));
        actions.append(command.action);
    }
    if (actions.isEmpty())
        return failWith(tr("Unknown command \"%1\"; see --help.").arg(group), EXIT_USAGE);
    return failWith(tr("\"%1 %2\" is not a command; use %1 %3.").arg(group, action, actions.join(u'|')), EXIT_USAGE);
}

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

void addDatabaseOptions(QCommandLineParser &parser)
{
    parser.addOption({u"data-dir"_s, tr("Folder for the console's data."), tr("DIR")});
    parser.addOption(
        {u"db"_s, tr("Database: sqlite:/path/file.db or postgresql://user:pass@host:port/db."), tr("URL")});
    parser.addOption({u"db-file"_s, tr("Read the database URL from this file (keeps a password off the command line)."),
        tr("FILE")});
}

std::optional<DatabaseUrl> resolveDatabase(const QCommandLineParser &parser, QString *error)
{
    QString text = parser.value(u"db"_s);
    if (parser.isSet(u"db-file"_s)) {
        if (!text.isEmpty()) {
            *error = tr("Give --db or --db-file, not both.");
            return std::nullopt;
        }
        QFile file(parser.value(u"db-file"_s));
        if (!file.open(QIODevice::ReadOnly)) {
            *error = tr("Cannot read %1: %2").arg(file.fileName(), file.errorString());
            return std::nullopt;
        }
        text = QString::fromUtf8(file.readLine(4096)).trimmed();
        if (text.isEmpty()) {
            *error = tr("%1 holds no database URL on its first line.").arg(file.fileName());
            return std::nullopt;
        }
    }
    if (text.isEmpty())
        text = qEnvironmentVariable("STREAMSWARM_DB");
    if (!text.isEmpty())
        return DatabaseUrl::parse(text, error);
    return DatabaseUrl::sqliteFile(resolveDataDir(parser.value(u"data-dir"_s)) + u"/streamswarm.db"_s);
}

} // namespace StreamSwarm::Console
