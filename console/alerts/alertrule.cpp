// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "alertrule.h"

#include <cmath>

#include <QSysInfo>

#include "console/alerts/alertincident.h"
#include "console/alerts/alertmessage.h"
#include "console/storage/records.h"
#include "shared/metrics/catalog.h"
#include "shared/protocol/validation.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

QString severityKey(AlertSeverity severity)
{
    switch (severity) {
    case AlertSeverity::Info:
        return u"info"_s;
    case AlertSeverity::Warning:
        return u"warning"_s;
    case AlertSeverity::Critical:
        return u"critical"_s;
    }
    return u"warning"_s;
}

std::optional<AlertSeverity> severityFromKey(const QString &key)
{
    for (AlertSeverity severity : {AlertSeverity::Info, AlertSeverity::Warning, AlertSeverity::Critical}) {
        if (severityKey(severity) == key)
            return severity;
    }
    return std::nullopt;
}

QString alertStateKey(AlertState state)
{
    switch (state) {
    case AlertState::Ok:
        return u"ok"_s;
    case AlertState::Firing:
        return u"firing"_s;
    case AlertState::Acknowledged:
        return u"acknowledged"_s;
    case AlertState::Silenced:
        return u"silenced"_s;
    }
    return u"ok"_s;
}

std::optional<AgentSelection> AgentSelection::parse(const QString &text, QString *error)
{
    AgentSelection selection;
    selection.all = false;
    for (const QString &raw : text.split(u',', Qt::SkipEmptyParts)) {
        const QString entry = raw.trimmed();
        if (entry == u"all") {
            selection.all = true;
        } else if (entry.startsWith(u"tag:")) {
            const QString tag = entry.mid(4);
            if (!Validation::checkName(tr("tag"), tag, error))
                return std::nullopt;
            if (!selection.tags.contains(tag))
                selection.tags.append(tag);
        } else if (!entry.isEmpty()) {
            if (!Validation::checkName(tr("agent name"), entry, error))
                return std::nullopt;
            if (!selection.names.contains(entry))
                selection.names.append(entry);
        }
    }
    if (selection.all && (!selection.names.isEmpty() || !selection.tags.isEmpty())) {
        *error = tr("\"all\" already means every agent; give it alone.");
        return std::nullopt;
    }
    if (!selection.all && selection.names.isEmpty() && selection.tags.isEmpty()) {
        *error = tr("No agent is named; give names or tag:TAG separated by commas, or all.");
        return std::nullopt;
    }
    return selection;
}

QString AgentSelection::toString() const
{
    if (all)
        return u"all"_s;
    QStringList parts = names;
    for (const QString &tag : tags)
        parts.append(u"tag:"_s + tag);
    return parts.join(u',');
}

bool AgentSelection::covers(const QString &agentName, const QStringList &agentTags) const
{
    if (all || names.contains(agentName))
        return true;
    for (const QString &tag : tags) {
        if (agentTags.contains(tag))
            return true;
    }
    return false;
}

bool AgentSelection::covers(const AgentRecord &agent) const
{
    return covers(agent.name, agent.tags);
}

bool AlertRule::isBad(double value, bool holding) const
{
    const double level = holding ? clearAt() : raiseLevel;
    return comparison == Comparison::Above ? value > level : value < level;
}

QString measureKey(int measure)
{
    switch (AlertRule::Measure(measure)) {
    case AlertRule::Measure::Value:
        return u"value"_s;
    case AlertRule::Measure::Change:
        return u"change"_s;
    case AlertRule::Measure::Percentile:
        return u"percentile"_s;
    case AlertRule::Measure::Baseline:
        return u"baseline"_s;
    }
    return u"value"_s;
}

QString AlertRule::conditionText() const
{
    if (event == QStringView(AGENT_OFFLINE)) {
        QString text = tr("an agent away for more than a minute");
        if (minAgents > 1)
            text = tr("%1, at least %2 agents at once").arg(text).arg(minAgents);
        return text;
    }
    if (event == QStringView(ROUTE_CHANGE))
        return tr("the route of %1 changes (clears after %2 rounds on the same route)").arg(testName).arg(ofRounds);
    QString measured = metric;
    switch (measure) {
    case Measure::Value:
        break;
    case Measure::Change:
        measured = tr("the change of %1 from one round to the next").arg(metric);
        break;
    case Measure::Percentile:
        measured = tr("the %1th percentile of %2 over %3 rounds").arg(percentile).arg(metric).arg(window);
        break;
    case Measure::Baseline:
        measured = tr("%1 over %2 rounds against its usual level").arg(metric).arg(window);
        break;
    }
    QString text = comparison == Comparison::Above ? tr("%1 above %2").arg(measured).arg(raiseLevel)
                                                   : tr("%1 below %2").arg(measured).arg(raiseLevel);
    if (ofRounds > 1)
        text = tr("%1 in %2 of %3 rounds").arg(text).arg(forRounds).arg(ofRounds);
    if (clearLevel)
        text = tr("%1, clears at %2").arg(text).arg(*clearLevel);
    if (minAgents > 1)
        text = tr("%1, on at least %2 agents").arg(text).arg(minAgents);
    return text;
}

AlertMessage AlertRule::message(const QString &state, qint64 atMs) const
{
    AlertMessage message;
    message.alertName = name;
    message.state = state;
    message.severity = severityKey(severity);
    message.testName = testName;
    message.metric = metric;
    if (const auto parsed = parseSampleName(metric)) {
        if (const MetricInfo *info = MetricCatalog::find(parsed->base))
            message.unit = info->unit;
    }
    message.comparison = comparison == Comparison::Above ? u"above"_s : u"below"_s;
    message.threshold = raiseLevel;
    message.clearLevel = clearLevel;
    message.timeMs = atMs;
    message.consoleHost = QSysInfo::machineHostName();
    return message;
}

AlertMessage AlertRule::testMessage(qint64 nowMs) const
{
    AlertMessage test = message(u"test"_s, nowMs);
    test.id = u"test-%1-%2"_s.arg(id).arg(nowMs);
    test.summary = tr("A test message: this is how alert \"%1\" will reach you.").arg(name);
    return test;
}

bool AlertRule::check(QString *error) const
{
    if (!Validation::checkName(tr("alert name"), name, error))
        return false;
    if (!event.isEmpty()) {
        if (event != QStringView(AGENT_OFFLINE) && event != QStringView(ROUTE_CHANGE)) {
            *error = tr("--on takes agent-offline or route-change.");
            return false;
        }
        if (!metric.isEmpty()) {
            *error = tr("An alert on %1 watches no metric; leave --metric out.").arg(event);
            return false;
        }
        if (event == QStringView(AGENT_OFFLINE) && !testName.isEmpty()) {
            *error = tr("An alert on agent-offline watches agents, not a test; leave --test out.");
            return false;
        }
        if (event == QStringView(ROUTE_CHANGE) && testName.isEmpty()) {
            *error = tr("An alert on route-change needs the traceroute test to watch: give --test.");
            return false;
        }
    } else if (metric.trimmed().isEmpty()) {
        *error = tr("Give the metric to watch, e.g. ping.loss_pct (see the test type's metrics in 'test add --help').");
        return false;
    }
    if (!std::isfinite(raiseLevel) || (clearLevel && !std::isfinite(*clearLevel))) {
        *error = tr("The alert's levels must be numbers.");
        return false;
    }
    if (clearLevel && comparison == Comparison::Above && *clearLevel > raiseLevel) {
        *error = tr("The clear level (%1) must not be above the alert level (%2): the alert clears when the value "
                    "falls back to it.")
                     .arg(*clearLevel)
                     .arg(raiseLevel);
        return false;
    }
    if (clearLevel && comparison == Comparison::Below && *clearLevel < raiseLevel) {
        *error = tr("The clear level (%1) must not be below the alert level (%2): the alert clears when the value "
                    "rises back to it.")
                     .arg(*clearLevel)
                     .arg(raiseLevel);
        return false;
    }
    if (forRounds < 1 || forRounds > MAX_ROUNDS) {
        *error = tr("--for takes 1 to %1 rounds.").arg(MAX_ROUNDS);
        return false;
    }
    if (ofRounds < forRounds || ofRounds > MAX_ROUNDS) {
        *error = tr("--of takes %1 to %2 rounds: at least as many as --for.").arg(forRounds).arg(MAX_ROUNDS);
        return false;
    }
    if ((measure == Measure::Percentile || measure == Measure::Baseline) && (window < 2 || window > MAX_WINDOW)) {
        *error = tr("--window takes 2 to %1 rounds.").arg(MAX_WINDOW);
        return false;
    }
    if (measure == Measure::Percentile && !(percentile >= 1 && percentile <= 99.9)) {
        *error = tr("--percentile takes 1 to 99.9, e.g. 95.");
        return false;
    }
    if (measure == Measure::Baseline && !(raiseLevel > 0 && clearAt() > 0)) {
        *error = tr("Against the usual level, the level is a ratio above zero: --above 1.5 means half as much again "
                    "as usual.");
        return false;
    }
    if (minAgents < 1 || minAgents > MAX_AGENTS) {
        *error = tr("--min-agents takes 1 to %1.").arg(MAX_AGENTS);
        return false;
    }
    if (!agents.all && agents.tags.isEmpty() && minAgents > agents.names.size()) {
        *error = tr("--min-agents is %1, but the alert watches only %2 agents, so it could never fire.")
                     .arg(minAgents)
                     .arg(agents.names.size());
        return false;
    }
    if (!dependsOn.isEmpty() && !Validation::checkName(tr("alert name in --depends-on"), dependsOn, error))
        return false;
    if (!dependsOn.isEmpty() && dependsOn == name) {
        *error = tr("An alert cannot depend on itself.");
        return false;
    }
    if (notify.size() > MAX_TARGETS) {
        *error = tr("An alert takes at most %1 --notify targets.").arg(MAX_TARGETS);
        return false;
    }
    return true;
}

} // namespace StreamSwarm::Console
