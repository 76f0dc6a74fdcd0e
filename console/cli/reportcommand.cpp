// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include <algorithm>
#include <cmath>

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFileInfo>

#include "console/cli/commands.h"
#include "console/reports/reportdocument.h"
#include "shared/util/duration.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console::Commands {

namespace {

void addReportOptions(QCommandLineParser &parser)
{
    parser.addOption({u"out"_s, Cli::tr("The PDF file to write."), Cli::tr("FILE")});
    parser.addOption({u"template"_s, Cli::tr("executive (the default), engineering or evidence."), Cli::tr("KIND")});
    parser.addOption({u"from"_s, Cli::tr("Start time: ISO 8601, or a duration ago (7d). Default: 7 days before --to."),
        Cli::tr("TIME")});
    parser.addOption({u"to"_s, Cli::tr("End time: ISO 8601, or a duration ago. Default: now."), Cli::tr("TIME")});
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

// The request as the options give it; nullopt with error set on a usage problem.
std::optional<ReportRequest> readRequest(const QCommandLineParser &parser, QString *error)
{
    ReportRequest request;
    if (parser.isSet(u"template"_s)) {
        const auto kind = ReportRequest::kindFromKey(parser.value(u"template"_s));
        if (!kind) {
            *error = Cli::tr("--template must be executive, engineering or evidence, not \"%1\".")
                         .arg(parser.value(u"template"_s));
            return std::nullopt;
        }
        request.kind = *kind;
    }
    if (request.kind == ReportKind::Evidence && (!parser.isSet(u"from"_s) || !parser.isSet(u"to"_s))) {
        *error = Cli::tr("An evidence report is about one incident: give its start with --from and its end with --to.");
        return std::nullopt;
    }
    const QDateTime now = QDateTime::currentDateTimeUtc();
    request.toMs = now.toMSecsSinceEpoch();
    for (const QString &option : {u"to"_s, u"from"_s}) {
        if (!parser.isSet(option))
            continue;
        QString why;
        const auto time = parseTimePoint(parser.value(option), now, &why);
        if (!time) {
            *error = u"--"_s + option + u": "_s + why;
            return std::nullopt;
        }
        (option == u"from" ? request.fromMs : request.toMs) = time->toMSecsSinceEpoch();
    }
    if (!parser.isSet(u"from"_s))
        request.fromMs = request.toMs - 7 * ReportRequest::DAY_MS;
    request.testName = parser.value(u"test"_s);
    request.agents = parser.value(u"agent"_s);
    request.siteName = parser.value(u"site"_s).trimmed();
    request.landscape = parser.isSet(u"landscape"_s);
    const QString paper = parser.value(u"paper"_s).toLower();
    if (paper == u"letter")
        request.paper = QPageSize::Letter;
    else if (!paper.isEmpty() && paper != u"a4") {
        *error = Cli::tr("--paper must be a4 or letter, not \"%1\".").arg(parser.value(u"paper"_s));
        return std::nullopt;
    }
    if (parser.isSet(u"latency-target"_s)) {
        QString why;
        const auto latency = parseDurationMs(parser.value(u"latency-target"_s), &why);
        if (!latency) {
            *error = u"--latency-target: "_s + why;
            return std::nullopt;
        }
        request.targets.latencyMs = double(*latency);
    }
    const auto loss = readPercent(parser, u"loss-target"_s, request.targets.lossPct, error);
    const auto availability
        = loss ? readPercent(parser, u"availability-target"_s, request.targets.availabilityPct, error) : std::nullopt;
    if (!loss || !availability)
        return std::nullopt;
    request.targets.lossPct = *loss;
    request.targets.availabilityPct = *availability;
    if (!request.check(error))
        return std::nullopt;
    return request;
}

} // namespace

int report(const Invocation &invocation)
{
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
    if (std::none_of(data->paths.cbegin(), data->paths.cend(), [](const PathFigures &path) { return path.rounds() > 0; }))
        QTextStream(stderr) << Cli::tr("Note: nothing was measured in this period for the tests and agents chosen; "
                                       "the report says so.")
                            << Qt::endl;
    return 0;
}

} // namespace StreamSwarm::Console::Commands
