// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include <algorithm>
#include <cmath>

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QJsonObject>

#include "console/cli/commands.h"
#include "console/reports/reportdocument.h"
#include "console/reports/reportschedule.h"
#include "shared/util/duration.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console::Commands {

namespace {

// What a report shows and how, without its period: shared by report and report schedule add.
void addShapeOptions(QCommandLineParser &parser)
{
    parser.addOption({u"template"_s, Cli::tr("executive (the default), engineering or evidence."), Cli::tr("KIND")});
    parser.addOption({u"test"_s, Cli::tr("Only this test."), Cli::tr("NAME")});
    parser.addOption(
        {u"agent"_s, Cli::tr("Only this agent, or tag:TAG for the agents that carry a tag."), Cli::tr("NAME")});
    parser.addOption({u"paper"_s, Cli::tr("a4 (the default) or letter."), Cli::tr("SIZE")});
    parser.addOption({u"landscape"_s, Cli::tr("Lay the pages out wide.")});
    parser.addOption(
        {u"site"_s, Cli::tr("The name on every page's header. Default: this computer's name."), Cli::tr("NAME")});
    parser.addOption({u"latency-target"_s, Cli::tr("Latency target (default 100ms)."), Cli::tr("DURATION")});
    parser.addOption(
        {u"loss-target"_s, Cli::tr("Highest acceptable packet loss in percent (default 1)."), Cli::tr("PERCENT")});
    parser.addOption({u"availability-target"_s, Cli::tr("Lowest acceptable availability in percent (default 99.9)."),
        Cli::tr("PERCENT")});
}

std::optional<double> readPercent(
    const QCommandLineParser &parser, const QString &option, double fallback, QString *error)
{
    if (!parser.isSet(option))
        return fallback;
    QString text = parser.value(option).trimmed();
    if (text.endsWith(u'%'))
        text.chop(1);
    bool ok = false;
    const double value = text.toDouble(&ok);
    if (!ok || !std::isfinite(value) || value < 0 || value > 100) {
        *error = Cli::tr("--%1 must be a percentage from 0 to 100, not \"%2\".").arg(option, parser.value(option));
        return std::nullopt;
    }
    return value;
}

void addReportOptions(QCommandLineParser &parser)
{
    parser.addOption({u"out"_s, Cli::tr("The PDF file to write."), Cli::tr("FILE")});
    parser.addOption({u"from"_s, Cli::tr("Start time: ISO 8601, or a duration ago (7d). Default: 7 days before --to."),
        Cli::tr("TIME")});
    parser.addOption({u"to"_s, Cli::tr("End time: ISO 8601, or a duration ago. Default: now."), Cli::tr("TIME")});
    addShapeOptions(parser);
}

// The shape options into request; false with error set on a usage problem.
bool readShape(const QCommandLineParser &parser, ReportRequest *request, QString *error)
{
    if (parser.isSet(u"template"_s)) {
        const auto kind = ReportRequest::kindFromKey(parser.value(u"template"_s));
        if (!kind) {
            *error = Cli::tr("--template must be executive, engineering or evidence, not \"%1\".")
                         .arg(parser.value(u"template"_s));
            return false;
        }
        request->kind = *kind;
    }
    request->testName = parser.value(u"test"_s);
    request->agents = parser.value(u"agent"_s);
    request->siteName = parser.value(u"site"_s).trimmed();
    request->landscape = parser.isSet(u"landscape"_s);
    const QString paper = parser.value(u"paper"_s).toLower();
    if (paper == u"letter")
        request->paper = QPageSize::Letter;
    else if (!paper.isEmpty() && paper != u"a4") {
        *error = Cli::tr("--paper must be a4 or letter, not \"%1\".").arg(parser.value(u"paper"_s));
        return false;
    }
    if (parser.isSet(u"latency-target"_s)) {
        QString why;
        const auto latency = parseDurationMs(parser.value(u"latency-target"_s), &why);
        if (!latency) {
            *error = u"--latency-target: "_s + why;
            return false;
        }
        request->targets.latencyMs = double(*latency);
    }
    const auto loss = readPercent(parser, u"loss-target"_s, request->targets.lossPct, error);
    const auto availability
        = loss ? readPercent(parser, u"availability-target"_s, request->targets.availabilityPct, error) : std::nullopt;
    if (!loss || !availability)
        return false;
    request->targets.lossPct = *loss;
    request->targets.availabilityPct = *availability;
    return true;
}

// The request as the options give it; nullopt with error set on a usage problem.
std::optional<ReportRequest> readRequest(const QCommandLineParser &parser, QString *error)
{
    ReportRequest request;
    if (!readShape(parser, &request, error))
        return std::nullopt;
    if (request.kind == ReportKind::Evidence && (!parser.isSet(u"from"_s) || !parser.isSet(u"to"_s))) {
        *error = Cli::tr("An evidence report is about one incident: give its start with --from and its end with --to.");
        return std::nullopt;
    }
    const QDateTime now = QDateTime::currentDateTimeUtc();
    request.toMs = now.toMSecsSinceEpoch();
    if (!readTimeOption(parser, u"to"_s, now, &request.toMs, error)
        || !readTimeOption(parser, u"from"_s, now, &request.fromMs, error))
        return std::nullopt;
    if (!parser.isSet(u"from"_s))
        request.fromMs = request.toMs - 7 * ReportRequest::DAY_MS;
    if (!request.check(error))
        return std::nullopt;
    return request;
}

} // namespace

int report(const Invocation &invocation)
{
    if (invocation.arguments.value(1) == u"schedule")
        return reportSchedule(invocation);
    Command command(invocation);
    QCommandLineParser &parser = command.parser();
    addReportOptions(parser);
    if (auto code = command.parse(0))
        return *code;
    if (!parser.isSet(u"out"_s) || parser.value(u"out"_s).isEmpty())
        return failWith(Cli::tr("Say where to write the report with --out FILE.pdf."), EXIT_USAGE);
    QString error;
    const auto request = readRequest(parser, &error);
    if (!request)
        return failWith(error, EXIT_USAGE);
    // Refuse an unwritable place before reading a month of data for it.
    const QFileInfo target(parser.value(u"out"_s));
    if (!target.absoluteDir().exists())
        return failWith(Cli::tr("Cannot write the report to %1: the folder %2 does not exist.")
                            .arg(target.filePath(), target.absolutePath()));
    if (auto code = command.openDatabase())
        return *code;
    ReportCollector collector(command.operations());
    const Result<ReportData> data = collector.collect(*request);
    if (!data)
        return failWith(data.error());
    int pages = 0;
    if (!ReportDocument::writePdf(*data, target.filePath(), &pages, &error))
        return failWith(error);
    if (request->kind == ReportKind::Evidence) {
        const QString what = (data->agentNames.join(u", "_s) + u" / "_s + data->testNames.join(u", "_s));
        if (const auto kept = command.operations().recordEvidence(
                what, request->fromMs, request->toMs, QString::fromLatin1(data->sha256));
            !kept)
            return failWith(Cli::tr("The report was written, but its checksum could not be kept in the event log: %1")
                                .arg(kept.error()));
    }
    out().flush();
    QTextStream(stdout) << Cli::tr("Wrote %1 (%2 pages). Data checksum (SHA-256): %3")
                               .arg(target.filePath())
                               .arg(pages)
                               .arg(QString::fromLatin1(data->sha256))
                        << Qt::endl;
    if (std::none_of(
            data->paths.cbegin(), data->paths.cend(), [](const PathFigures &path) { return path.rounds() > 0; }))
        QTextStream(stderr) << Cli::tr("Note: nothing was measured in this period for the tests and agents chosen; "
                                       "the report says so.")
                            << Qt::endl;
    return 0;
}

namespace {

int scheduleAdd(const Invocation &invocation)
{
    Command command(invocation);
    QCommandLineParser &parser = command.parser();
    parser.addOption({u"name"_s, Cli::tr("The schedule's name; also the start of its files' names."), Cli::tr("NAME")});
    parser.addOption({u"every"_s, Cli::tr("daily, weekly (Monday to Monday) or monthly."), Cli::tr("PERIOD")});
    parser.addOption({u"folder"_s, Cli::tr("Where the PDF files go (a full path)."), Cli::tr("DIR")});
    parser.addOption({u"printer"_s, Cli::tr("Also print each report on this printer (CUPS)."), Cli::tr("NAME")});
    addShapeOptions(parser);
    if (auto code = command.parse(0))
        return *code;
    ReportSchedule schedule;
    schedule.name = parser.value(u"name"_s);
    const auto every = ReportSchedule::everyFromKey(parser.value(u"every"_s));
    if (!every) {
        return failWith(
            Cli::tr("--every must be daily, weekly or monthly, not \"%1\".").arg(parser.value(u"every"_s)), EXIT_USAGE);
    }
    schedule.every = *every;
    schedule.folder = parser.value(u"folder"_s);
    if (!schedule.folder.isEmpty())
        schedule.folder = QFileInfo(schedule.folder).absoluteFilePath();
    schedule.printer = parser.value(u"printer"_s);
    QString error;
    if (!readShape(parser, &schedule.request, &error) || !schedule.check(&error))
        return failWith(error, EXIT_USAGE);
    if (auto code = command.openDatabase())
        return *code;
    if (const auto added = command.operations().addSchedule(schedule); !added)
        return failWith(added.error());
    const auto due = ReportSchedule::nextStart(
        schedule.every, ReportSchedule::periodStart(schedule.every, QDateTime::currentMSecsSinceEpoch()));
    out() << Cli::tr("Scheduled \"%1\" %2; the first report is made after %3, while a console or collector runs.")
                 .arg(schedule.name, ReportSchedule::everyName(schedule.every), formatTime(due))
          << Qt::endl;
    return 0;
}

int scheduleList(const Invocation &invocation)
{
    Command command(invocation);
    command.parser().addOption(jsonOption());
    if (auto code = command.open(0))
        return *code;
    const auto schedules = command.operations().schedules();
    if (!schedules)
        return failWith(schedules.error());
    const auto nextDue = [](const ReportSchedule &schedule) {
        return ReportSchedule::nextStart(
            schedule.every, ReportSchedule::periodStart(schedule.every, schedule.reportedUntilMs));
    };
    printRecords(
        command, *schedules,
        {Cli::tr("NAME"), Cli::tr("EVERY"), Cli::tr("TEMPLATE"), Cli::tr("FOLDER"), Cli::tr("PRINTER"),
            Cli::tr("NEXT REPORT AFTER")},
        [&](const ReportSchedule &schedule) {
            return QStringList{schedule.name, ReportSchedule::everyKey(schedule.every),
                ReportRequest::kindKey(schedule.request.kind), schedule.folder,
                schedule.printer.isEmpty() ? u"-"_s : schedule.printer, formatTime(nextDue(schedule))};
        },
        [&](const ReportSchedule &schedule) {
            return QJsonObject{{u"name"_s, schedule.name}, {u"every"_s, ReportSchedule::everyKey(schedule.every)},
                {u"template"_s, ReportRequest::kindKey(schedule.request.kind)}, {u"folder"_s, schedule.folder},
                {u"printer"_s, schedule.printer}, {u"test"_s, schedule.request.testName},
                {u"agents"_s, schedule.request.agents}, {u"reportedUntil"_s, formatTime(schedule.reportedUntilMs)},
                {u"nextReportAfter"_s, formatTime(nextDue(schedule))}};
        });
    return 0;
}

int scheduleRemove(const Invocation &invocation)
{
    Command command(invocation);
    if (auto code = command.open(1))
        return *code;
    if (const auto removed = command.operations().removeSchedule(command.positional(0)); !removed)
        return failWith(removed.error());
    out()
        << Cli::tr("Removed the scheduled report \"%1\"; the reports already written stay.").arg(command.positional(0))
        << Qt::endl;
    return 0;
}

} // namespace

int reportSchedule(const Invocation &invocation)
{
    // "streamswarm-console report" then "schedule ACTION ...": one more word than the dispatcher knows.
    const QString action = invocation.arguments.value(2);
    const QString words = invocation.arguments.value(0) + u" schedule "_s + action;
    const QStringList rest = invocation.arguments.mid(3);
    if (action == u"add") {
        return scheduleAdd({QStringList{words} + rest,
            words
                + u" --name NAME --every daily|weekly|monthly --folder DIR [--printer NAME] "
                  "[--template executive|engineering] [--test NAME] [--agent NAME|tag:TAG] [--paper a4|letter]"_s,
            Cli::tr("Make a report after every day, week or month, into a folder.")});
    }
    if (action == u"list") {
        return scheduleList(
            {QStringList{words} + rest, words + u" [--json]"_s, Cli::tr("Show the scheduled reports.")});
    }
    if (action == u"remove") {
        return scheduleRemove(
            {QStringList{words} + rest, words + u" NAME"_s, Cli::tr("Stop making a scheduled report.")});
    }
    return failWith(Cli::tr("\"report schedule\" needs an action: add, list or remove; see '%1 schedule add --help'.")
                        .arg(invocation.arguments.value(0)),
        EXIT_USAGE);
}

} // namespace StreamSwarm::Console::Commands
