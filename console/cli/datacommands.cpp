// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include <QCoreApplication>
#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QSaveFile>

#include "console/cli/commands.h"
#include "shared/util/duration.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console::Commands {

namespace {

// --test/--agent/--from/--to, shared by export and summary.
void addFilterOptions(QCommandLineParser &parser)
{
    parser.addOption({u"test"_s, Cli::tr("Only this test."), Cli::tr("NAME")});
    parser.addOption({u"agent"_s, Cli::tr("Only this agent."), Cli::tr("NAME")});
    parser.addOption({u"from"_s, Cli::tr("Start time: ISO 8601, or a duration ago (2h)."), Cli::tr("TIME")});
    parser.addOption({u"to"_s, Cli::tr("End time: ISO 8601, or a duration ago."), Cli::tr("TIME")});
}

std::optional<SampleFilter> readFilter(const QCommandLineParser &parser, QString *error)
{
    SampleFilter filter;
    filter.testName = parser.value(u"test"_s);
    filter.agentName = parser.value(u"agent"_s);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (!readTimeOption(parser, u"from"_s, now, &filter.fromMs, error)
        || !readTimeOption(parser, u"to"_s, now, &filter.toMs, error))
        return std::nullopt;
    if (parser.isSet(u"from"_s) && parser.isSet(u"to"_s) && filter.fromMs >= filter.toMs) {
        *error = Cli::tr("--from %1 (%2) is not earlier than --to %3 (%4), so no time lies between them; give the "
                         "earlier time to --from.")
                     .arg(parser.value(u"from"_s), formatIsoUtcMs(filter.fromMs), parser.value(u"to"_s),
                         formatIsoUtcMs(filter.toMs));
        return std::nullopt;
    }
    return filter;
}

// An unknown --test or --agent would give an empty result that looks like "nothing measured".
std::optional<int> checkFilterNames(Command &command, const SampleFilter &filter);

// Reads the filter options, opens the database and checks the names they give: how the commands
// that read samples begin. On a problem, prints why and returns the exit code.
std::optional<int> openFiltered(Command &command, SampleFilter *filter)
{
    QString error;
    auto read = readFilter(command.parser(), &error);
    if (!read)
        return failWith(error, EXIT_USAGE);
    *filter = std::move(*read);
    if (auto code = command.openDatabase())
        return code;
    return checkFilterNames(command, *filter);
}

std::optional<int> checkFilterNames(Command &command, const SampleFilter &filter)
{
    if (!filter.testName.isEmpty()) {
        const auto tests = command.operations().tests(true);
        if (!tests)
            return failWith(tests.error());
        const bool known = std::any_of(
            tests->cbegin(), tests->cend(), [&](const TestRecord &test) { return test.name == filter.testName; });
        if (!known) {
            return failWith(Cli::tr("There is no test named \"%1\"; see '%2 test list'.")
                                .arg(filter.testName, QCoreApplication::applicationName()));
        }
    }
    if (!filter.agentName.isEmpty()) {
        const auto agent = command.operations().findAgent(filter.agentName);
        if (!agent)
            return failWith(agent.error());
        if (*agent)
            return std::nullopt;
        return failWith(Cli::tr("There is no agent named \"%1\"; see '%2 agent list'.")
                            .arg(filter.agentName, QCoreApplication::applicationName()));
    }
    return std::nullopt;
}

QString formatValue(double value)
{
    return QString::number(value, 'g', QLocale::FloatingPointShortest);
}

QString formatOptional(const std::optional<double> &value)
{
    return value ? formatValue(*value) : QString();
}

// How long a tier is kept: "30d", "8w", "1y" (365 days), or "0"/"forever".
std::optional<qint64> parseKeep(const QString &option, const QString &text, QString *error)
{
    if (text == u"0" || text == u"forever")
        return 0;
    static const QHash<QChar, qint64> days{{u'd', 1}, {u'w', 7}, {u'y', 365}};
    bool ok = false;
    const qint64 count = text.chopped(text.isEmpty() ? 0 : 1).toLongLong(&ok);
    const QChar unit = text.isEmpty() ? QChar() : text.back();
    if (!ok || count < 1 || count > 100 * 365 || !days.contains(unit)) {
        *error = Cli::tr("--%1 \"%2\" is not a length of time to keep data; write days, weeks or years (30d, 8w, "
                         "1y) or 0 to keep it for ever.")
                     .arg(option, text);
        return std::nullopt;
    }
    return count * days.value(unit) * RetentionPolicy::DAY_MS;
}

QString describeKeep(qint64 keepMs)
{
    if (keepMs == 0)
        return Cli::tr("for ever");
    const qint64 days = keepMs / RetentionPolicy::DAY_MS;
    if (days % 365 == 0)
        return days == 365 ? Cli::tr("a year") : Cli::tr("%1 years").arg(days / 365);
    return days == 1 ? Cli::tr("a day") : Cli::tr("%1 days").arg(days);
}

} // namespace

int exportSamples(const Invocation &invocation)
{
    Command command(invocation);
    QCommandLineParser &parser = command.parser();
    parser.addOption({u"format"_s, Cli::tr("csv or json."), Cli::tr("FORMAT")});
    parser.addOption({u"out"_s, Cli::tr("Write to this file instead of standard output."), Cli::tr("FILE")});
    parser.addOption({u"resolution"_s,
        Cli::tr("raw (every sample, the default), 1m or 1h (per minute or per hour: count, mean, lowest, highest, "
                "and percentiles of latencies)."),
        Cli::tr("RES"), u"raw"_s});
    addFilterOptions(parser);
    if (auto code = command.parse(0))
        return *code;
    const QString format = parser.value(u"format"_s);
    if (format != u"csv" && format != u"json")
        return failWith(Cli::tr("--format must be csv or json."), EXIT_USAGE);
    const QString resolutionText = parser.value(u"resolution"_s);
    if (resolutionText != u"raw" && resolutionText != u"1m" && resolutionText != u"1h")
        return failWith(Cli::tr("--resolution must be raw, 1m or 1h."), EXIT_USAGE);
    const Resolution resolution = resolutionText == u"1m" ? Resolution::Minute
        : resolutionText == u"1h"                         ? Resolution::Hour
                                                          : Resolution::Raw;
    SampleFilter filter;
    if (auto code = openFiltered(command, &filter))
        return *code;

    // QSaveFile: a failed export never leaves a half-written file in place of a good one.
    QSaveFile file(parser.value(u"out"_s));
    QFile stdoutFile;
    QIODevice *device = &file;
    if (parser.isSet(u"out"_s)) {
        if (!file.open(QIODevice::WriteOnly))
            return failWith(Cli::tr("Cannot write %1: %2").arg(file.fileName(), file.errorString()));
    } else {
        out().flush();
        if (!stdoutFile.open(stdout, QIODevice::WriteOnly))
            return failWith(Cli::tr("Cannot write to standard output."));
        device = &stdoutFile;
    }
    QTextStream stream(device);
    stream.setEncoding(QStringConverter::Utf8);
    qint64 rows = 0;
    Result<Done> done = Done{};
    if (resolution != Resolution::Raw && format == u"csv") {
        stream << "time,agent,test,metric,count,mean,min,max,p50,p95,p99,unit\n";
        done = command.operations().forEachRollup(resolution, filter, [&](const RollupRow &row) {
            stream << formatIsoUtcMs(row.timeMs) << ',' << row.agent << ',' << row.test << ',' << row.metric << ','
                   << row.count << ',' << formatValue(row.mean) << ',' << formatValue(row.lowest) << ','
                   << formatValue(row.highest) << ',' << formatOptional(row.p50) << ',' << formatOptional(row.p95)
                   << ',' << formatOptional(row.p99) << ',' << row.unit << '\n';
            ++rows;
            return stream.status() == QTextStream::Ok;
        });
    } else if (resolution != Resolution::Raw) {
        QJsonArray rollups;
        done = command.operations().forEachRollup(resolution, filter, [&](const RollupRow &row) {
            QJsonObject rollup{{u"time"_s, formatIsoUtcMs(row.timeMs)}, {u"agent"_s, row.agent}, {u"test"_s, row.test},
                {u"metric"_s, row.metric}, {u"count"_s, row.count}, {u"mean"_s, row.mean}, {u"min"_s, row.lowest},
                {u"max"_s, row.highest}, {u"unit"_s, row.unit}};
            for (const auto &[key, value] :
                {std::pair{u"p50"_s, row.p50}, std::pair{u"p95"_s, row.p95}, std::pair{u"p99"_s, row.p99}}) {
                if (value)
                    rollup.insert(key, *value);
            }
            rollups.append(rollup);
            ++rows;
            return true;
        });
        const QJsonObject root{{u"resolution"_s, resolutionText}, {u"rollups"_s, rollups}};
        stream << QString::fromUtf8(QJsonDocument(root).toJson(QJsonDocument::Indented));
    } else if (format == u"csv") {
        // The columns are a contract (DESIGN.md): what bandwidth tests loaded is in the JSON export only.
        stream << "time,agent,test,metric,value,unit\n";
        done = command.operations().forEachSample(filter, [&](const SampleRow &row) {
            stream << formatIsoUtcMs(row.timeMs) << ',' << row.agent << ',' << row.test << ',' << row.metric << ','
                   << formatValue(row.value) << ',' << row.unit << '\n';
            ++rows;
            return stream.status() == QTextStream::Ok;
        });
    } else {
        // Which samples were taken while a bandwidth test loaded their agent's link.
        const Result<BulkWindows> bulk = command.operations().bulkWindows(filter.fromMs, filter.toMs);
        if (!bulk)
            return failWith(bulk.error());
        QJsonArray samples;
        QJsonArray details;
        done = command.operations().forEachSample(filter, [&](const SampleRow &row) {
            QJsonObject sample{{u"time"_s, formatIsoUtcMs(row.timeMs)}, {u"agent"_s, row.agent}, {u"test"_s, row.test},
                {u"metric"_s, row.metric}, {u"value"_s, row.value}, {u"unit"_s, row.unit}};
            if (bulk->loaded(row.agent, row.test, row.timeMs))
                sample.insert(u"bulk"_s, true);
            samples.append(sample);
            ++rows;
            return true;
        });
        if (done) {
            done = command.operations().forEachDetail(filter, [&](const DetailRow &row) {
                details.append(QJsonObject{{u"time"_s, formatIsoUtcMs(row.timeMs)}, {u"agent"_s, row.agent},
                    {u"test"_s, row.test}, {u"kind"_s, row.record.kind()}, {u"body"_s, row.record.body()}});
                return true;
            });
        }
        const QJsonObject root{{u"samples"_s, samples}, {u"details"_s, details}};
        stream << QString::fromUtf8(QJsonDocument(root).toJson(QJsonDocument::Indented));
    }
    stream.flush();
    if (!done)
        return failWith(done.error());
    if (stream.status() != QTextStream::Ok)
        return failWith(Cli::tr("Writing the export failed (disk full?)."));
    if (parser.isSet(u"out"_s)) {
        if (!file.commit())
            return failWith(Cli::tr("Cannot write %1: %2").arg(file.fileName(), file.errorString()));
        QTextStream(stderr) << (resolution == Resolution::Raw
                ? Cli::tr("Wrote %1 samples to %2.").arg(rows).arg(file.fileName())
                : Cli::tr("Wrote %1 rollups (%2) to %3.").arg(rows).arg(resolutionText, file.fileName()))
                            << Qt::endl;
    }
    return 0;
}

int summary(const Invocation &invocation)
{
    Command command(invocation);
    command.parser().addOption(jsonOption());
    addFilterOptions(command.parser());
    if (auto code = command.parse(0))
        return *code;
    SampleFilter filter;
    if (auto code = openFiltered(command, &filter))
        return *code;
    const auto agents = command.operations().agents();
    if (!agents)
        return failWith(agents.error());
    const auto series = command.operations().summarize(filter);
    if (!series)
        return failWith(series.error());
    const auto number = [](const std::optional<double> &value) {
        return value ? QString::number(*value, 'f', 3) : u"-"_s;
    };
    qint64 samples = 0;
    for (const SeriesSummary &entry : *series)
        samples += entry.samples;
    const auto size = command.operations().databaseSize();
    if (!size)
        return failWith(size.error());
    if (command.wantsJson()) {
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
        printJson(QJsonObject{
            {u"agents"_s, agents->size()}, {u"samples"_s, samples}, {u"databaseBytes"_s, *size}, {u"series"_s, array}});
        return 0;
    }
    out() << Cli::tr("Agents: %1   Samples stored: %2   Database: %3")
                 .arg(agents->size())
                 .arg(samples)
                 .arg(QLocale().formattedDataSize(*size))
          << '\n';
    QList<QStringList> rows;
    for (const SeriesSummary &entry : *series) {
        rows.append({entry.agent, entry.test, QString::number(entry.rounds), number(entry.rttMin), number(entry.rttAvg),
            number(entry.rttMax), number(entry.lossAvg)});
    }
    printTable({Cli::tr("AGENT"), Cli::tr("TEST"), Cli::tr("ROUNDS"), Cli::tr("RTT MIN ms"), Cli::tr("RTT AVG ms"),
                   Cli::tr("RTT MAX ms"), Cli::tr("LOSS %")},
        rows);
    return 0;
}

int retention(const Invocation &invocation)
{
    Command command(invocation);
    QCommandLineParser &parser = command.parser();
    parser.addOption(jsonOption());
    parser.addOption({u"raw"_s, Cli::tr("Keep every sample this long (default 30d)."), Cli::tr("TIME")});
    parser.addOption({u"minute"_s, Cli::tr("Keep the rollups per minute this long (default 1y)."), Cli::tr("TIME")});
    parser.addOption({u"hour"_s, Cli::tr("Keep the rollups per hour this long (default 5y)."), Cli::tr("TIME")});
    if (auto code = command.parse(0))
        return *code;
    if (auto code = command.openDatabase())
        return *code;
    const auto stored = command.operations().retentionPolicy();
    if (!stored)
        return failWith(stored.error());
    RetentionPolicy wanted = *stored;
    RetentionPolicy *policy = &wanted;
    bool changing = false;
    for (const auto &[option, keep] : {std::pair{u"raw"_s, &policy->rawMs}, std::pair{u"minute"_s, &policy->minuteMs},
             std::pair{u"hour"_s, &policy->hourMs}}) {
        if (!parser.isSet(option))
            continue;
        QString error;
        const auto parsed = parseKeep(option, parser.value(option), &error);
        if (!parsed)
            return failWith(error, EXIT_USAGE);
        *keep = *parsed;
        changing = true;
    }
    if (changing) {
        const auto done = command.operations().setRetentionPolicy(*policy);
        if (!done)
            return failWith(done.error());
    }
    if (command.wantsJson()) {
        printJson(QJsonObject{{u"rawDays"_s, policy->rawMs / RetentionPolicy::DAY_MS},
            {u"minuteDays"_s, policy->minuteMs / RetentionPolicy::DAY_MS},
            {u"hourDays"_s, policy->hourMs / RetentionPolicy::DAY_MS}});
        return 0;
    }
    out() << Cli::tr("Every sample is kept %1, the rollups per minute %2 and per hour %3.")
                 .arg(describeKeep(policy->rawMs), describeKeep(policy->minuteMs), describeKeep(policy->hourMs))
          << '\n';
    if (changing)
        out() << Cli::tr("Older data is removed in the background by the running console.") << '\n';
    return 0;
}

int eventList(const Invocation &invocation)
{
    Command command(invocation);
    QCommandLineParser &parser = command.parser();
    parser.addOption(jsonOption());
    parser.addOption({u"limit"_s, Cli::tr("How many of the newest events (default 50)."), Cli::tr("N"), u"50"_s});
    parser.addOption({u"from"_s, Cli::tr("Since when: ISO 8601, or a duration ago such as 7d."), Cli::tr("TIME")});
    parser.addOption({u"to"_s, Cli::tr("Until when (default now)."), Cli::tr("TIME")});
    parser.addOption(
        {u"kind"_s, Cli::tr("Only events of these kinds, e.g. alert-fired,agent-offline."), Cli::tr("KINDS")});
    parser.addOption({u"agent"_s, Cli::tr("Only events of this agent."), Cli::tr("NAME")});
    parser.addOption({u"test"_s, Cli::tr("Only events of this test."), Cli::tr("NAME")});
    parser.addOption({u"level"_s, Cli::tr("Only events of this level: info, warning or error."), Cli::tr("LEVEL")});
    parser.addOption({u"search"_s, Cli::tr("Only events whose message holds this text (any case)."), Cli::tr("TEXT")});
    parser.addOption({u"csv"_s, Cli::tr("Write CSV (time,level,kind,agent,test,message) instead of a table.")});
    if (auto code = command.parse(0))
        return *code;
    bool ok = false;
    EventQuery query;
    query.limit = parser.value(u"limit"_s).toInt(&ok);
    if (!ok || query.limit < 1 || query.limit > 100000)
        return failWith(Cli::tr("--limit must be a whole number from 1 to 100000."), EXIT_USAGE);
    QString error;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (!readTimeOption(parser, u"from"_s, now, &query.fromMs, &error)
        || !readTimeOption(parser, u"to"_s, now, &query.toMs, &error))
        return failWith(error, EXIT_USAGE);
    const QString level = parser.value(u"level"_s);
    if (!level.isEmpty() && level != u"info" && level != u"warning" && level != u"error")
        return failWith(Cli::tr("--level takes info, warning or error."), EXIT_USAGE);
    if (parser.isSet(u"csv"_s) && command.wantsJson())
        return failWith(Cli::tr("Give --csv or --json, not both."), EXIT_USAGE);
    for (const QString &kind : parser.value(u"kind"_s).split(u',', Qt::SkipEmptyParts))
        query.kinds.append(kind.trimmed());
    query.agentName = parser.value(u"agent"_s);
    query.testName = parser.value(u"test"_s);
    query.level = level;
    query.text = parser.value(u"search"_s).left(200);
    if (auto code = command.openDatabase())
        return *code;
    const auto events = command.operations().findEvents(query);
    if (!events)
        return failWith(events.error());
    if (parser.isSet(u"csv"_s)) {
        const auto field = [](QString text) {
            if (text.contains(u',') || text.contains(u'"') || text.contains(u'\n') || text.contains(u'\r'))
                text = u'"' + text.replace(u"\""_s, u"\"\""_s) + u'"';
            return text;
        };
        out() << "time,level,kind,agent,test,message\n";
        for (const EventRecord &event : *events) {
            out() << QStringList{formatIsoUtcMs(event.timeMs), event.level, field(event.kind), field(event.agentName),
                field(event.testName), field(event.text())}
                         .join(u',')
                  << '\n';
        }
        out().flush();
        return 0;
    }
    printRecords(
        command, *events, {Cli::tr("TIME"), Cli::tr("LEVEL"), Cli::tr("KIND"), Cli::tr("AGENT"), Cli::tr("MESSAGE")},
        [](const EventRecord &event) {
            return QStringList{formatIsoUtcMs(event.timeMs), event.level, event.kind,
                event.agentName.isEmpty() ? u"-"_s : event.agentName, event.text()};
        },
        [](const EventRecord &event) {
            return QJsonObject{{u"time"_s, formatIsoUtcMs(event.timeMs)}, {u"level"_s, event.level},
                {u"kind"_s, event.kind}, {u"agent"_s, event.agentName}, {u"test"_s, event.testName},
                {u"message"_s, event.text()}};
        });
    return 0;
}

} // namespace StreamSwarm::Console::Commands
