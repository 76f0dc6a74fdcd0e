// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include <algorithm>
#include <cmath>

#include <QJsonDocument>
#include <QJsonObject>

#include "console/alerts/alertmessage.h"
#include "console/alerts/delivery.h"
#include "console/alerts/verdict.h"
#include "console/cli/commands.h"
#include "console/cli/serveroptions.h"
#include "shared/util/duration.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console::Commands {

namespace {

std::optional<double> readNumber(const QCommandLineParser &parser, const QString &option, QString *error)
{
    bool ok = false;
    const double value = parser.value(option).toDouble(&ok);
    if (!ok || !std::isfinite(value)) {
        *error = Cli::tr("--%1 takes a number, e.g. --%1 20.").arg(option);
        return std::nullopt;
    }
    return value;
}

std::optional<int> readCount(const QCommandLineParser &parser, const QString &option, int fallback, QString *error)
{
    if (!parser.isSet(option))
        return fallback;
    bool ok = false;
    const int value = parser.value(option).toInt(&ok);
    if (!ok) {
        *error = Cli::tr("--%1 takes a whole number.").arg(option);
        return std::nullopt;
    }
    return value;
}

// A time for a maintenance window: ISO 8601, "now", or +DURATION from now.
std::optional<qint64> readFutureTime(const QCommandLineParser &parser, const QString &option, QString *error)
{
    const QString text = parser.value(option);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QString why;
    if (text == u"now")
        return now.toMSecsSinceEpoch();
    if (text.startsWith(u'+')) {
        if (const auto later = parseDurationMs(QStringView(text).mid(1), &why))
            return now.toMSecsSinceEpoch() + *later;
    } else if (const auto time = parseTimePoint(text, now, &why)) {
        return time->toMSecsSinceEpoch();
    }
    *error = Cli::tr("--%1: %2 Write a time as 2026-12-24T08:00:00Z, now, or +2h from now.").arg(option, why);
    return std::nullopt;
}

QString stateText(AlertState state)
{
    switch (state) {
    case AlertState::Ok:
        return Cli::tr("ok");
    case AlertState::Firing:
        return Cli::tr("firing");
    case AlertState::Acknowledged:
        return Cli::tr("acknowledged");
    case AlertState::Silenced:
        return Cli::tr("silenced");
    }
    return QString();
}

QString windowTimes(const MaintenanceWindow &window)
{
    QString text = formatIsoUtcMs(window.fromMs) + u" - "_s + formatIsoUtcMs(window.toMs);
    if (window.everyMs)
        text += u' ' + Cli::tr("every %1").arg(formatDurationMs(window.everyMs));
    return text;
}

} // namespace

int alertAdd(const Invocation &invocation)
{
    Command command(invocation);
    QCommandLineParser &parser = command.parser();
    parser.addOption({u"name"_s, Cli::tr("The alert's name."), Cli::tr("NAME")});
    parser.addOption({u"test"_s, Cli::tr("The test whose rounds it watches."), Cli::tr("TEST")});
    parser.addOption(
        {u"metric"_s, Cli::tr("The metric it watches, e.g. ping.loss_pct or http.total_ms."), Cli::tr("METRIC")});
    parser.addOption({u"above"_s, Cli::tr("A round is bad when the metric is above this."), Cli::tr("X")});
    parser.addOption({u"below"_s, Cli::tr("A round is bad when the metric is below this."), Cli::tr("X")});
    parser.addOption({u"for"_s, Cli::tr("How many bad rounds make trouble (default 1)."), Cli::tr("N")});
    parser.addOption(
        {u"of"_s, Cli::tr("Out of how many of the latest rounds (default: as many as --for)."), Cli::tr("M")});
    parser.addOption({u"clear"_s,
        Cli::tr("The level the metric must come back to before the alert clears (default: the alert level)."),
        Cli::tr("X")});
    parser.addOption(
        {u"agents"_s, Cli::tr("Whose rounds count: agent names and tag:TAG separated by commas, or all (default)."),
            Cli::tr("LIST")});
    parser.addOption({u"min-agents"_s,
        Cli::tr("Fire only when at least this many agents see the trouble at once (default 1)."), Cli::tr("K")});
    parser.addOption({u"severity"_s, Cli::tr("info, warning (default) or critical."), Cli::tr("S")});
    parser.addOption({u"notify"_s,
        Cli::tr("Where to send a message when it fires and when it clears: webhook:URL, email:ADDRESS, "
                "command:PATH or desktop; repeat for more."),
        Cli::tr("KIND:TARGET")});
    parser.addOption({u"on"_s,
        Cli::tr("Not a metric but something that happens: agent-offline (an agent away for more than a minute; "
                "no --test) or route-change (a traceroute test's agent took another route)."),
        Cli::tr("EVENT")});
    parser.addOption({u"change"_s,
        Cli::tr("Judge each round by how much the metric changed since the round before (--above 50: it rose by "
                "more than 50).")});
    parser.addOption({u"percentile"_s,
        Cli::tr("Judge each round by this percentile of the metric over the last --window rounds (e.g. 95)."),
        Cli::tr("P")});
    parser.addOption({u"baseline"_s,
        Cli::tr("Judge each round by the mean of the last --window rounds against the metric's usual level, as a "
                "ratio (--above 1.5: half as much again as usual).")});
    parser.addOption({u"window"_s, Cli::tr("Rounds for --percentile and --baseline (default 20)."), Cli::tr("N")});
    parser.addOption({u"depends-on"_s,
        Cli::tr("Another alert this one depends on: while that one fires, this one is held and sends nothing."),
        Cli::tr("ALERT")});
    if (auto code = command.parse(0))
        return *code;
    const QString event = parser.value(u"on"_s);
    const QStringList required = event.isEmpty()        ? QStringList{u"name"_s, u"test"_s, u"metric"_s}
        : event == QStringView(AlertRule::ROUTE_CHANGE) ? QStringList{u"name"_s, u"test"_s}
                                                        : QStringList{u"name"_s};
    for (const QString &option : required) {
        if (!parser.isSet(option))
            return failWith(Cli::tr("--%1 is required.").arg(option), EXIT_USAGE);
    }
    if (event.isEmpty() && parser.isSet(u"above"_s) == parser.isSet(u"below"_s))
        return failWith(Cli::tr("Give either --above X or --below X: when a round counts as bad."), EXIT_USAGE);
    if (!event.isEmpty() && (parser.isSet(u"above"_s) || parser.isSet(u"below"_s)))
        return failWith(Cli::tr("An alert on %1 has no level; leave --above and --below out.").arg(event), EXIT_USAGE);

    AlertRule rule;
    rule.name = parser.value(u"name"_s);
    rule.testName = parser.value(u"test"_s);
    rule.metric = parser.value(u"metric"_s);
    rule.comparison = parser.isSet(u"above"_s) ? AlertRule::Comparison::Above : AlertRule::Comparison::Below;
    rule.event = event;
    QString error;
    if (event.isEmpty()) {
        const auto level = readNumber(parser, parser.isSet(u"above"_s) ? u"above"_s : u"below"_s, &error);
        if (!level)
            return failWith(error, EXIT_USAGE);
        rule.raiseLevel = *level;
    }
    if (parser.isSet(u"clear"_s)) {
        rule.clearLevel = readNumber(parser, u"clear"_s, &error);
        if (!rule.clearLevel)
            return failWith(error, EXIT_USAGE);
    }
    const auto forRounds = readCount(parser, u"for"_s, 1, &error);
    // A route is settled again after five rounds on it, unless --of says otherwise.
    const int defaultOf = event == QStringView(AlertRule::ROUTE_CHANGE) ? 5 : forRounds.value_or(1);
    const auto ofRounds = forRounds ? readCount(parser, u"of"_s, defaultOf, &error) : std::nullopt;
    const auto minAgents = ofRounds ? readCount(parser, u"min-agents"_s, 1, &error) : std::nullopt;
    if (!minAgents)
        return failWith(error, EXIT_USAGE);
    rule.forRounds = *forRounds;
    rule.ofRounds = *ofRounds;
    rule.minAgents = *minAgents;
    if (parser.isSet(u"agents"_s)) {
        const auto agents = AgentSelection::parse(parser.value(u"agents"_s), &error);
        if (!agents)
            return failWith(u"--agents: "_s + error, EXIT_USAGE);
        rule.agents = *agents;
    }
    if (parser.isSet(u"severity"_s)) {
        const auto severity = severityFromKey(parser.value(u"severity"_s));
        if (!severity)
            return failWith(Cli::tr("--severity takes info, warning or critical."), EXIT_USAGE);
        rule.severity = *severity;
    }
    for (const QString &text : parser.values(u"notify"_s)) {
        const auto target = NotifyTarget::parse(text, &error);
        if (!target)
            return failWith(u"--notify: "_s + error, EXIT_USAGE);
        rule.notify.append(*target);
    }
    rule.dependsOn = parser.value(u"depends-on"_s);
    if (int(parser.isSet(u"change"_s)) + int(parser.isSet(u"percentile"_s)) + int(parser.isSet(u"baseline"_s)) > 1)
        return failWith(Cli::tr("Give at most one of --change, --percentile and --baseline."), EXIT_USAGE);
    if (parser.isSet(u"change"_s))
        rule.measure = AlertRule::Measure::Change;
    if (parser.isSet(u"percentile"_s)) {
        rule.measure = AlertRule::Measure::Percentile;
        const auto percentile = readNumber(parser, u"percentile"_s, &error);
        if (!percentile)
            return failWith(error, EXIT_USAGE);
        rule.percentile = *percentile;
    }
    if (parser.isSet(u"baseline"_s))
        rule.measure = AlertRule::Measure::Baseline;
    const auto window = readCount(parser, u"window"_s, rule.window, &error);
    if (!window)
        return failWith(error, EXIT_USAGE);
    if (parser.isSet(u"window"_s) && rule.measure != AlertRule::Measure::Percentile
        && rule.measure != AlertRule::Measure::Baseline)
        return failWith(Cli::tr("--window goes with --percentile or --baseline."), EXIT_USAGE);
    rule.window = *window;
    if (!rule.check(&error))
        return failWith(error, EXIT_USAGE);
    if (auto code = command.openDatabase())
        return *code;
    if (const auto added = command.operations().addAlert(rule); !added)
        return failWith(added.error());
    out() << Cli::tr("Added alert \"%1\": %2.").arg(rule.name, rule.conditionText()) << Qt::endl;
    if (rule.notify.isEmpty()) {
        QTextStream(stderr) << Cli::tr("It sends no messages; it shows in the console and in 'alert list'. Add "
                                       "--notify to be told.")
                            << Qt::endl;
    }
    return 0;
}

int alertList(const Invocation &invocation)
{
    Command command(invocation);
    command.parser().addOption(jsonOption());
    if (auto code = command.open(0))
        return *code;
    const auto alerts = command.operations().alerts();
    if (!alerts)
        return failWith(alerts.error());
    printRecords(
        command, *alerts,
        {Cli::tr("NAME"), Cli::tr("STATE"), Cli::tr("SEVERITY"), Cli::tr("TEST"), Cli::tr("CONDITION"),
            Cli::tr("SINCE"), Cli::tr("AGENTS")},
        [](const AlertStatus &status) {
            return QStringList{status.rule.name, stateText(status.state), severityKey(status.rule.severity),
                status.rule.testName, status.rule.conditionText(),
                status.open ? formatIsoUtcMs(status.open->startedAtMs) : u"-"_s,
                status.troubledAgents.isEmpty() ? u"-"_s : status.troubledAgents.join(u',')};
        },
        [](const AlertStatus &status) {
            const AlertRule &rule = status.rule;
            QJsonArray notify;
            for (const NotifyTarget &target : rule.notify)
                notify.append(target.toString());
            QJsonObject object{{u"name"_s, rule.name}, {u"state"_s, alertStateKey(status.state)},
                {u"severity"_s, severityKey(rule.severity)}, {u"test"_s, rule.testName}, {u"metric"_s, rule.metric},
                {rule.comparison == AlertRule::Comparison::Above ? u"above"_s : u"below"_s, rule.raiseLevel},
                {u"clear"_s, rule.clearAt()}, {u"for"_s, rule.forRounds}, {u"of"_s, rule.ofRounds},
                {u"agents"_s, rule.agents.toString()}, {u"minAgents"_s, rule.minAgents}, {u"notify"_s, notify},
                {u"dependsOn"_s, rule.dependsOn}, {u"measure"_s, measureKey(int(rule.measure))}, {u"on"_s, rule.event},
                {u"troubledAgents"_s, QJsonArray::fromStringList(status.troubledAgents)}};
            if (rule.measure == AlertRule::Measure::Percentile || rule.measure == AlertRule::Measure::Baseline)
                object.insert(u"window"_s, rule.window);
            if (rule.measure == AlertRule::Measure::Percentile)
                object.insert(u"percentile"_s, rule.percentile);
            if (status.open) {
                object.insert(u"since"_s, formatIsoUtcMs(status.open->startedAtMs));
                object.insert(u"firedOn"_s, QJsonArray::fromStringList(status.open->agents));
                if (status.open->ackedAtMs) {
                    object.insert(u"acknowledged"_s, formatIsoUtcMs(status.open->ackedAtMs));
                    object.insert(u"acknowledgedBy"_s, status.open->ackedBy);
                    object.insert(u"comment"_s, status.open->ackComment);
                }
                if (!status.open->silencedBy.isEmpty())
                    object.insert(u"silencedBy"_s, status.open->silencedBy);
                if (status.open->heldBy)
                    object.insert(u"heldBy"_s, status.open->heldByName);
                if (!status.open->sharedHop.isEmpty())
                    object.insert(u"sharedHop"_s, status.open->sharedHop);
            }
            return object;
        });
    return 0;
}

int alertAck(const Invocation &invocation)
{
    Command command(invocation);
    command.parser().addOption({u"comment"_s, Cli::tr("What is being done about it."), Cli::tr("TEXT")});
    if (auto code = command.open(1))
        return *code;
    const QString name = command.positional(0);
    if (const auto done = command.operations().acknowledgeAlert(name, command.parser().value(u"comment"_s)); !done)
        return failWith(done.error());
    out() << Cli::tr("Acknowledged alert \"%1\"; it sends nothing more until it clears.").arg(name) << Qt::endl;
    return 0;
}

int alertRemove(const Invocation &invocation)
{
    Command command(invocation);
    if (auto code = command.open(1))
        return *code;
    const QString name = command.positional(0);
    if (const auto done = command.operations().removeAlert(name); !done)
        return failWith(done.error());
    out() << Cli::tr("Removed alert \"%1\"; its history stays in the event log.").arg(name) << Qt::endl;
    return 0;
}

int alertTest(const Invocation &invocation)
{
    Command command(invocation);
    addDeliveryOptions(command.parser());
    if (auto code = command.open(1))
        return *code;
    const QString name = command.positional(0);
    DeliverySettings delivery;
    QString error;
    if (!readDeliverySettings(command.settings(), &delivery, &error))
        return failWith(error, EXIT_USAGE);
    const auto alerts = command.operations().alerts();
    if (!alerts)
        return failWith(alerts.error());
    const auto found = std::find_if(
        alerts->cbegin(), alerts->cend(), [&](const AlertStatus &status) { return status.rule.name == name; });
    if (found == alerts->cend())
        return failWith(Cli::tr("There is no alert named \"%1\"; see 'alert list'.").arg(name));
    const AlertRule &rule = found->rule;
    if (rule.notify.isEmpty())
        return failWith(Cli::tr("The alert \"%1\" sends no messages; give it --notify targets first.").arg(name));
    const AlertMessage message = rule.testMessage(QDateTime::currentMSecsSinceEpoch());
    int failed = 0;
    for (const NotifyTarget &target : rule.notify) {
        if (target.kind == NotifyTarget::Kind::Desktop) {
            out() << Cli::tr("%1: shown by the console window's tray; use the Test button there.")
                         .arg(target.displayText())
                  << Qt::endl;
            continue;
        }
        const DeliveryOutcome outcome = Delivery::deliver(target, message, delivery);
        if (outcome.delivered) {
            out() << Cli::tr("%1: sent.").arg(target.displayText()) << Qt::endl;
        } else {
            ++failed;
            out() << Cli::tr("%1: not sent: %2").arg(target.displayText(), outcome.why) << Qt::endl;
        }
    }
    return failed ? EXIT_FAILED : 0;
}

int alertHistory(const Invocation &invocation)
{
    Command command(invocation);
    QCommandLineParser &parser = command.parser();
    parser.addOption(jsonOption());
    parser.addOption({u"from"_s, Cli::tr("Since when (ISO 8601, or a duration ago such as 7d; default 30d)."),
        Cli::tr("TIME"), u"30d"_s});
    parser.addOption({u"to"_s, Cli::tr("Until when (default now)."), Cli::tr("TIME")});
    parser.addOption({u"limit"_s, Cli::tr("At most this many, the newest (default 1000)."), Cli::tr("N"), u"1000"_s});
    if (auto code = command.parse(0))
        return *code;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    qint64 fromMs = 0;
    qint64 toMs = now.toMSecsSinceEpoch();
    QString error;
    if (!readTimeOption(parser, u"from"_s, now, &fromMs, &error)
        || !readTimeOption(parser, u"to"_s, now, &toMs, &error))
        return failWith(error, EXIT_USAGE);
    bool ok = false;
    const int limit = parser.value(u"limit"_s).toInt(&ok);
    if (!ok || limit < 1 || limit > 100000)
        return failWith(Cli::tr("--limit must be a whole number from 1 to 100000."), EXIT_USAGE);
    if (auto code = command.openDatabase())
        return *code;
    const auto incidents = command.operations().alertIncidents(fromMs, toMs, limit);
    if (!incidents)
        return failWith(incidents.error());
    const qint64 nowMs = now.toMSecsSinceEpoch();
    const auto lasted = [nowMs](const AlertIncident &incident) {
        return (incident.clearedAtMs ? incident.clearedAtMs : nowMs) - incident.startedAtMs;
    };
    printRecords(
        command, *incidents,
        {Cli::tr("STARTED"), Cli::tr("ALERT"), Cli::tr("SEVERITY"), Cli::tr("LASTED"), Cli::tr("AGENTS"),
            Cli::tr("ACKNOWLEDGED"), Cli::tr("NOTE")},
        [&](const AlertIncident &incident) {
            QString note = incident.ackComment;
            if (!incident.silencedBy.isEmpty())
                note = Cli::tr("maintenance: %1").arg(incident.silencedBy);
            else if (incident.heldBy)
                note = Cli::tr("held by %1").arg(incident.heldByName);
            else if (!incident.sharedHop.isEmpty())
                note = Cli::tr("shared hop %1").arg(incident.sharedHop);
            if (!incident.verdict.isEmpty()) {
                const Verdict verdict = Verdict::fromJson(QJsonDocument::fromJson(incident.verdict.toUtf8()).object());
                note = (note.isEmpty() ? QString() : note + u"; "_s) + verdict.text();
            }
            return QStringList{formatIsoUtcMs(incident.startedAtMs), incident.ruleName, severityKey(incident.severity),
                formatDurationMs(lasted(incident)) + (incident.clearedAtMs ? QString() : Cli::tr(" (firing)")),
                incident.agents.join(u','),
                incident.ackedAtMs
                    ? Cli::tr("after %1 by %2")
                          .arg(formatDurationMs(incident.ackedAtMs - incident.startedAtMs), incident.ackedBy)
                    : u"-"_s,
                note.isEmpty() ? u"-"_s : note};
        },
        [&](const AlertIncident &incident) {
            QJsonObject object{{u"alert"_s, incident.ruleName}, {u"test"_s, incident.testName},
                {u"metric"_s, incident.metric}, {u"severity"_s, severityKey(incident.severity)},
                {u"condition"_s, incident.condition}, {u"started"_s, formatIsoUtcMs(incident.startedAtMs)},
                {u"durationMs"_s, lasted(incident)}, {u"agents"_s, QJsonArray::fromStringList(incident.agents)},
                {u"value"_s, incident.value}};
            if (incident.clearedAtMs)
                object.insert(u"cleared"_s, formatIsoUtcMs(incident.clearedAtMs));
            if (incident.ackedAtMs) {
                object.insert(u"acknowledged"_s, formatIsoUtcMs(incident.ackedAtMs));
                object.insert(u"acknowledgedBy"_s, incident.ackedBy);
                object.insert(u"comment"_s, incident.ackComment);
            }
            if (!incident.silencedBy.isEmpty())
                object.insert(u"silencedBy"_s, incident.silencedBy);
            if (incident.heldBy)
                object.insert(u"heldBy"_s, incident.heldByName);
            if (!incident.sharedHop.isEmpty())
                object.insert(u"sharedHop"_s, incident.sharedHop);
            if (!incident.diagnosis.isEmpty())
                object.insert(u"diagnosis"_s, QJsonDocument::fromJson(incident.diagnosis.toUtf8()).object());
            if (!incident.verdict.isEmpty())
                object.insert(u"verdict"_s, QJsonDocument::fromJson(incident.verdict.toUtf8()).object());
            return object;
        });
    if (!command.wantsJson() && !incidents->isEmpty()) {
        qint64 acked = 0;
        qint64 ackTotal = 0;
        for (const AlertIncident &incident : *incidents) {
            if (incident.ackedAtMs) {
                ++acked;
                ackTotal += incident.ackedAtMs - incident.startedAtMs;
            }
        }
        out() << Qt::endl
              << Cli::tr("%1 times fired; %2 acknowledged, after %3 on average.")
                     .arg(incidents->size())
                     .arg(acked)
                     .arg(acked ? formatDurationMs(ackTotal / acked) : u"-"_s)
              << Qt::endl;
    }
    return 0;
}

int maintenanceAdd(const Invocation &invocation)
{
    Command command(invocation);
    QCommandLineParser &parser = command.parser();
    parser.addOption({u"name"_s, Cli::tr("The window's name."), Cli::tr("NAME")});
    parser.addOption({u"from"_s, Cli::tr("When it opens: 2026-12-24T08:00:00Z, now, or +2h."), Cli::tr("TIME")});
    parser.addOption({u"to"_s, Cli::tr("When it closes, written the same way."), Cli::tr("TIME")});
    parser.addOption({u"every"_s, Cli::tr("Open it again after this long, e.g. 1d or 1w."), Cli::tr("DURATION")});
    parser.addOption(
        {u"agents"_s, Cli::tr("Only alerts seen on these agents (names, tag:TAG; default all)."), Cli::tr("LIST")});
    parser.addOption(
        {u"tests"_s, Cli::tr("Only alerts on these tests, separated by commas (default all)."), Cli::tr("LIST")});
    if (auto code = command.parse(0))
        return *code;
    for (const QString &required : {u"name"_s, u"from"_s, u"to"_s}) {
        if (!parser.isSet(required))
            return failWith(Cli::tr("--%1 is required.").arg(required), EXIT_USAGE);
    }
    MaintenanceWindow window;
    window.name = parser.value(u"name"_s);
    QString error;
    const auto from = readFutureTime(parser, u"from"_s, &error);
    const auto to = from ? readFutureTime(parser, u"to"_s, &error) : std::nullopt;
    if (!to)
        return failWith(error, EXIT_USAGE);
    window.fromMs = *from;
    window.toMs = *to;
    if (parser.isSet(u"every"_s)) {
        const auto every = parseDurationMs(parser.value(u"every"_s), &error);
        if (!every)
            return failWith(u"--every: "_s + error, EXIT_USAGE);
        window.everyMs = *every;
    }
    if (parser.isSet(u"agents"_s)) {
        const auto agents = AgentSelection::parse(parser.value(u"agents"_s), &error);
        if (!agents)
            return failWith(u"--agents: "_s + error, EXIT_USAGE);
        window.agents = *agents;
    }
    for (const QString &test : parser.value(u"tests"_s).split(u',', Qt::SkipEmptyParts))
        window.tests.append(test.trimmed());
    if (!window.check(&error))
        return failWith(error, EXIT_USAGE);
    if (auto code = command.openDatabase())
        return *code;
    if (const auto added = command.operations().addMaintenance(window); !added)
        return failWith(added.error());
    out() << Cli::tr("Added maintenance window \"%1\": %2. Alerts stay silent then; measuring goes on.")
                 .arg(window.name, windowTimes(window))
          << Qt::endl;
    return 0;
}

int maintenanceList(const Invocation &invocation)
{
    Command command(invocation);
    command.parser().addOption(jsonOption());
    if (auto code = command.open(0))
        return *code;
    const auto windows = command.operations().maintenanceWindows();
    if (!windows)
        return failWith(windows.error());
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    printRecords(
        command, *windows, {Cli::tr("NAME"), Cli::tr("WHEN"), Cli::tr("OPEN"), Cli::tr("AGENTS"), Cli::tr("TESTS")},
        [now](const MaintenanceWindow &window) {
            return QStringList{window.name, windowTimes(window), window.isOpenAt(now) ? Cli::tr("yes") : Cli::tr("no"),
                window.agents.toString(), window.tests.isEmpty() ? Cli::tr("all") : window.tests.join(u',')};
        },
        [now](const MaintenanceWindow &window) {
            return QJsonObject{{u"name"_s, window.name}, {u"from"_s, formatIsoUtcMs(window.fromMs)},
                {u"to"_s, formatIsoUtcMs(window.toMs)}, {u"everyMs"_s, window.everyMs},
                {u"open"_s, window.isOpenAt(now)}, {u"agents"_s, window.agents.toString()},
                {u"tests"_s, QJsonArray::fromStringList(window.tests)}};
        });
    return 0;
}

int maintenanceRemove(const Invocation &invocation)
{
    Command command(invocation);
    if (auto code = command.open(1))
        return *code;
    const QString name = command.positional(0);
    if (const auto done = command.operations().removeMaintenance(name); !done)
        return failWith(done.error());
    out() << Cli::tr("Removed maintenance window \"%1\".").arg(name) << Qt::endl;
    return 0;
}

} // namespace StreamSwarm::Console::Commands
