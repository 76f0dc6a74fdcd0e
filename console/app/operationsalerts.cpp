// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
// Alerts: rules and maintenance windows as users make them, and what the alert engine records when
// agents' conditions change (operations.h).
#include "operations.h"

#include <cmath>

#include <QDateTime>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSysInfo>
#include <QUrl>

#include "console/alerts/alertmessage.h"
#include "console/alerts/verdict.h"
#include "console/app/alertnotices.h"
#include "console/storage/storageservice.h"
#include "shared/protocol/details.h"
#include "shared/protocol/validation.h"
#include "shared/testtypes/testtype.h"
#include "shared/util/duration.h"
#include "shared/util/logging.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

namespace {

template <typename T>
Result<T> failure(const QString &error)
{
    return Result<T>::failure(error);
}

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

// Whether the test type measures this metric: by its catalog name, a per-instance name of it
// ("if.rx_bytes_per_s{if=eth0}"), or a per-class one (qos.ef.loss_pct for the catalog's loss_pct).
bool measures(const TestTypes::TestType &type, const QString &metric)
{
    const auto parsed = parseSampleName(metric);
    if (!parsed)
        return false;
    for (const MetricInfo &info : type.metrics) {
        if (info.name == metric || info.name == parsed->base)
            return true;
        const QString last = info.name.section(u'.', -1);
        if (metric.startsWith(type.metricFamily + u'.') && metric.section(u'.', -1) == last)
            return true;
    }
    return false;
}

QString eventLevel(AlertSeverity severity)
{
    switch (severity) {
    case AlertSeverity::Critical:
        return u"error"_s;
    case AlertSeverity::Warning:
        return u"warning"_s;
    case AlertSeverity::Info:
        return u"info"_s;
    }
    return u"warning"_s;
}

// The open maintenance window that covers an alert of this rule seen on these agents, if any.
std::optional<MaintenanceWindow> coveringWindow(
    const QList<MaintenanceWindow> &windows, const AlertRule &rule, const QList<AgentTrouble> &agents, qint64 atMs)
{
    QList<QPair<QString, QStringList>> seenOn;
    for (const AgentTrouble &agent : agents)
        seenOn.append({agent.agentName, agent.agentTags});
    for (const MaintenanceWindow &window : windows) {
        if (window.isOpenAt(atMs) && window.covers(rule.testName, seenOn))
            return window;
    }
    return std::nullopt;
}

QStringList agentNames(const QList<AgentTrouble> &agents)
{
    QStringList names;
    for (const AgentTrouble &agent : agents)
        names.append(agent.agentName);
    return names;
}

// What a test's rounds carry as their detail, by its type's descriptor.
Protocol::DetailKind detailKindOf(const TestRecord &test)
{
    const TestTypes::TestType *type = TestTypes::find(test.type);
    return type ? type->detailKind : Protocol::DetailKind::None;
}

// The host a test's target names, for a traceroute and a DNS lookup towards it: a URL's host,
// host:port's host, a bare host or address. Empty for a target that is another agent.
QString diagnosisHost(const TestRecord &test)
{
    const QString target = test.target.trimmed();
    if (target.isEmpty() || !Validation::agentTargetName(target).isEmpty() || target == Validation::LOCAL_TARGET)
        return QString();
    if (target.contains(u"://"))
        return QUrl(target).host();
    if (target.startsWith(u'[')) // [2001:db8::1]:443
        return target.mid(1, target.indexOf(u']') - 1);
    if (target.count(u':') == 1)
        return target.section(u':', 0, 0);
    return target;
}

} // namespace

Result<qint64> Operations::addAlert(const AlertRule &rule)
{
    QString error;
    if (!rule.check(&error))
        return failure<qint64>(error);
    const bool onAgents = rule.event == QStringView(AlertRule::AGENT_OFFLINE);
    const auto test = onAgents ? Result<std::optional<TestRecord>>(std::nullopt) : findTest(rule.testName);
    if (!test)
        return failure<qint64>(test.error());
    if (!onAgents && (!*test || (*test)->deletedAtMs))
        return failure<qint64>(tr("There is no test named \"%1\"; see 'test list'.").arg(rule.testName));
    if (rule.event == QStringView(AlertRule::ROUTE_CHANGE) && detailKindOf(**test) != Protocol::DetailKind::Traceroute)
        return failure<qint64>(
            tr("\"%1\" is a %2 test; route changes are seen by traceroute tests.").arg(rule.testName, (*test)->type));
    const TestTypes::TestType *type = rule.event.isEmpty() ? TestTypes::find((*test)->type) : nullptr;
    if (type && !measures(*type, rule.metric)) {
        QStringList names;
        for (const MetricInfo &info : type->metrics)
            names.append(info.name);
        return failure<qint64>(
            tr("A %1 test does not measure %2; it measures %3.").arg(type->name, rule.metric, names.join(u", ")));
    }
    return write<qint64>([&]() -> Result<qint64> {
        QString why;
        if (!rule.dependsOn.isEmpty()) {
            const auto parent = m_repos.alerts.findRule(rule.dependsOn, &why);
            if (!parent)
                return failure<qint64>(why);
            if (!*parent)
                return failure<qint64>(
                    tr("There is no alert named \"%1\" to depend on; see 'alert list'.").arg(rule.dependsOn));
        }
        AlertRule added = rule;
        added.testId = *test ? (*test)->id : 0;
        added.createdAtMs = nowMs();
        const auto id = m_repos.alerts.addRule(added, &why);
        if (!id
            || !audit(u"alert-added"_s, Protocol::EventText(u"alert-added"_s, {added.name, added.conditionText()}), 0,
                added.testId, &why))
            return failure<qint64>(why);
        return *id;
    });
}

Result<QList<AlertStatus>> Operations::alerts()
{
    QString error;
    const auto rules = m_repos.alerts.rules(&error);
    const auto windows = rules ? m_repos.alerts.windows(&error) : std::nullopt;
    if (!rules || !windows)
        return failure<QList<AlertStatus>>(error);
    const qint64 now = nowMs();
    QList<AlertStatus> statuses;
    for (const AlertRule &rule : *rules) {
        AlertStatus status;
        status.rule = rule;
        const auto open = m_repos.alerts.openIncident(rule.id, &error);
        const auto troubled = open ? m_repos.alerts.troubledAgents(rule.id, &error) : std::nullopt;
        if (!open || !troubled)
            return failure<QList<AlertStatus>>(error);
        status.open = *open;
        status.troubledAgents = agentNames(*troubled);
        // Quiet now: a window open over the agents in trouble, or, with none in trouble, over every agent
        // the alert watches.
        const auto coversRule = [&rule](const MaintenanceWindow &window) {
            if (window.agents.all)
                return true;
            if (rule.agents.all)
                return false;
            return std::all_of(rule.agents.names.cbegin(), rule.agents.names.cend(), [&](const QString &name) {
                return window.agents.names.contains(name);
            }) && std::all_of(rule.agents.tags.cbegin(), rule.agents.tags.cend(), [&](const QString &tag) {
                return window.agents.tags.contains(tag);
            });
        };
        const bool quiet = coveringWindow(*windows, rule, *troubled, now).has_value()
            || (troubled->isEmpty() && std::any_of(windows->cbegin(), windows->cend(), [&](const auto &window) {
                   return window.isOpenAt(now) && (window.tests.isEmpty() || window.tests.contains(rule.testName))
                       && coversRule(window);
               }));
        if (status.open && status.open->ackedAtMs)
            status.state = AlertState::Acknowledged;
        else if ((status.open && (!status.open->silencedBy.isEmpty() || status.open->heldBy)) || quiet)
            status.state = AlertState::Silenced;
        else if (status.open)
            status.state = AlertState::Firing;
        statuses.append(status);
    }
    return statuses;
}

Result<Done> Operations::acknowledgeAlert(const QString &name, const QString &comment)
{
    if (comment.size() > 1000)
        return failure<Done>(tr("The comment is too long; keep it under 1,000 characters."));
    return write<Done>([&]() -> Result<Done> {
        QString why;
        const auto rule = m_repos.alerts.findRule(name, &why);
        if (!rule)
            return failure<Done>(why);
        if (!*rule)
            return failure<Done>(tr("There is no alert named \"%1\"; see 'alert list'.").arg(name));
        const auto open = m_repos.alerts.openIncident((*rule)->id, &why);
        if (!open)
            return failure<Done>(why);
        if (!*open)
            return failure<Done>(tr("The alert \"%1\" is not firing, so there is nothing to acknowledge.").arg(name));
        const QString by = m_actor.user.isEmpty() ? tr("someone") : m_actor.user;
        if (!m_repos.alerts.acknowledge((*open)->id, nowMs(), by, comment, &why)
            || !audit(u"alert-acknowledged"_s, Protocol::EventText(u"alert-acknowledged"_s, {name, comment}), 0,
                (*rule)->testId, &why))
            return failure<Done>(why);
        return Done{};
    });
}

Result<Done> Operations::removeAlert(const QString &name)
{
    return write<Done>([&]() -> Result<Done> {
        QString why;
        const auto rule = m_repos.alerts.findRule(name, &why);
        if (!rule)
            return failure<Done>(why);
        if (!*rule)
            return failure<Done>(tr("There is no alert named \"%1\"; see 'alert list'.").arg(name));
        if (!m_repos.alerts.removeRule((*rule)->id, &why)
            || !audit(u"alert-removed"_s, Protocol::EventText(u"alert-removed"_s, {name}), 0, (*rule)->testId, &why))
            return failure<Done>(why);
        return Done{};
    });
}

Result<Done> Operations::addMaintenance(const MaintenanceWindow &window)
{
    QString error;
    if (!window.check(&error))
        return failure<Done>(error);
    return write<Done>([&]() -> Result<Done> {
        QString why;
        MaintenanceWindow added = window;
        added.createdAtMs = nowMs();
        const Protocol::EventText text(
            u"maintenance-added"_s, {added.name, formatIsoUtcMs(added.fromMs), formatIsoUtcMs(added.toMs)});
        if (!m_repos.alerts.addWindow(added, &why) || !audit(u"maintenance-added"_s, text, 0, 0, &why))
            return failure<Done>(why);
        return Done{};
    });
}

Result<QList<MaintenanceWindow>> Operations::maintenanceWindows()
{
    QString error;
    const auto windows = m_repos.alerts.windows(&error);
    return windows ? Result<QList<MaintenanceWindow>>(*windows) : failure<QList<MaintenanceWindow>>(error);
}

Result<Done> Operations::removeMaintenance(const QString &name)
{
    return write<Done>([&]() -> Result<Done> {
        QString why;
        if (!m_repos.alerts.removeWindow(name, &why)
            || !audit(u"maintenance-removed"_s, Protocol::EventText(u"maintenance-removed"_s, {name}), 0, 0, &why))
            return failure<Done>(why);
        return Done{};
    });
}

Result<QList<AlertIncident>> Operations::alertIncidents(qint64 fromMs, qint64 toMs, int limit)
{
    QString error;
    const auto incidents = m_repos.alerts.incidents(fromMs, toMs, limit, &error);
    return incidents ? Result<QList<AlertIncident>>(*incidents) : failure<QList<AlertIncident>>(error);
}

Result<AlertRulesState> Operations::alertRulesState()
{
    QString error;
    AlertRulesState state;
    const auto rules = m_repos.alerts.rules(&error);
    const auto troubles = rules ? m_repos.alerts.troubles(&error) : std::nullopt;
    if (!rules || !troubles)
        return failure<AlertRulesState>(error);
    return AlertRulesState{*rules, *troubles};
}

Result<AlertRecording> Operations::recordConditions(const QList<ConditionChange> &changes)
{
    return write<AlertRecording>([&]() -> Result<AlertRecording> {
        QString why;
        AlertRecording recording;
        const auto windows = m_repos.alerts.windows(&why);
        if (!windows)
            return failure<AlertRecording>(why);
        AlertNotices notices(m_repos, recording);
        for (const ConditionChange &change : changes) {
            const auto rule = m_repos.alerts.ruleById(change.ruleId, &why);
            if (!rule)
                return failure<AlertRecording>(why);
            if (!*rule)
                continue; // removed meanwhile
            if (!m_repos.alerts.setTrouble(
                    change.ruleId, change.agentId, change.inTrouble, change.timeMs, change.value, &why))
                return failure<AlertRecording>(why);
            const auto troubled = m_repos.alerts.troubledAgents(change.ruleId, &why);
            const auto open = troubled ? m_repos.alerts.openIncident(change.ruleId, &why) : std::nullopt;
            if (!troubled || !open)
                return failure<AlertRecording>(why);
            const AlertRule &alert = **rule;
            if (!*open && troubled->size() >= alert.minAgents) {
                AlertIncident incident;
                incident.ruleId = alert.id;
                incident.ruleName = alert.name;
                incident.testName = alert.testName;
                incident.metric = alert.metric;
                incident.severity = alert.severity;
                incident.startedAtMs = change.timeMs;
                incident.agents = agentNames(*troubled);
                incident.value = change.value;
                incident.condition = alert.conditionText();
                if (const auto window = coveringWindow(*windows, alert, *troubled, nowMs()))
                    incident.silencedBy = window->name;
                const auto releaseAt = notices.releaseTime(alert, incident, nowMs(), &why);
                if (!releaseAt)
                    return failure<AlertRecording>(why);
                incident.notifyAtMs = incident.silencedBy.isEmpty() ? *releaseAt : 0;
                const auto id = m_repos.alerts.addIncident(incident, &why);
                if (!id)
                    return failure<AlertRecording>(why);
                incident.id = *id;
                if (!startDiagnosis(alert, &incident, &why))
                    return failure<AlertRecording>(why);
                const Protocol::EventText text = incident.silencedBy.isEmpty()
                    ? Protocol::EventText(u"alert-fired"_s,
                        {alert.name, incident.condition, incident.agents.join(u", "), QString::number(change.value)})
                    : Protocol::EventText(u"alert-silenced"_s, {alert.name, incident.silencedBy});
                if (!m_repos.events.add(nowMs(), eventLevel(alert.severity), u"alert-fired"_s, change.agentId,
                        alert.testId, text, &why))
                    return failure<AlertRecording>(why);
                recording.happened.append(text.text());
                if (incident.notifyAtMs && incident.notifyAtMs <= nowMs() && !notices.releaseDue(nowMs(), &why))
                    return failure<AlertRecording>(why);
            } else if (*open && troubled->size() < alert.minAgents) {
                if (!m_repos.alerts.closeIncident((*open)->id, change.timeMs, &why)
                    || !m_repos.events.add(nowMs(), u"info"_s, u"alert-cleared"_s, change.agentId, alert.testId,
                        Protocol::EventText(u"alert-cleared"_s, {alert.name}), &why))
                    return failure<AlertRecording>(why);
                recording.happened.append(Protocol::EventText(u"alert-cleared"_s, {alert.name}).text());
                AlertIncident cleared = **open;
                cleared.value = change.value;
                // Only an alert whose firing was sent says that it cleared: not one held, silenced, or
                // clearing before its messages were due.
                const bool spoke = cleared.silencedBy.isEmpty() && !cleared.heldBy && !cleared.notifyAtMs;
                if (spoke && !notices.enqueue(alert, cleared, u"cleared"_s, change.timeMs, &why))
                    return failure<AlertRecording>(why);
            }
        }
        if (!notices.noteNextRelease(&why))
            return failure<AlertRecording>(why);
        return recording;
    });
}

bool Operations::startDiagnosis(const AlertRule &rule, AlertIncident *incident, QString *error)
{
    const auto test = findTest(rule.testName);
    if (!test) {
        *error = test.error();
        return false;
    }
    const QString host = *test ? diagnosisHost(**test) : QString();
    if (host.isEmpty())
        return true;
    const qint64 now = nowMs();
    QList<TestRecord> evidence;
    TestRecord path;
    path.name = u"diag-%1-path"_s.arg(incident->id);
    path.type = u"traceroute"_s;
    path.target = host;
    path.intervalMs = DIAGNOSIS_ROUND_MS;
    path.durationMs = DIAGNOSIS_ROUNDS * DIAGNOSIS_ROUND_MS;
    // Ten probes a hop each round, as mtr sends: 50 in all, so a hop's loss is told apart from chance.
    path.params = {{u"probes"_s, QString::number(DIAGNOSIS_PROBES)}};
    path.agentNames = incident->agents;
    path.createdAtMs = now;
    evidence.append(path);
    if (QHostAddress(host).isNull()) {
        TestRecord lookup = path;
        lookup.params.clear();
        lookup.name = u"diag-%1-dns"_s.arg(incident->id);
        lookup.type = u"dns"_s;
        lookup.durationMs = DIAGNOSIS_ROUND_MS; // one lookup
        evidence.append(lookup);
    }
    if (detailKindOf(**test) == Protocol::DetailKind::Http) {
        // The request itself once more, phase by phase, from the agents that saw the trouble.
        TestRecord phases = **test;
        phases.id = 0;
        phases.name = u"diag-%1-http"_s.arg(incident->id);
        phases.durationMs = phases.intervalMs; // one round
        phases.allAgents = false;
        phases.agentTags.clear();
        phases.agentIds.clear();
        phases.agentNames = incident->agents;
        phases.createdAtMs = now;
        phases.startsAtMs = phases.pausedAtMs = phases.stoppedAtMs = phases.deletedAtMs = 0;
        evidence.append(phases);
    }
    QJsonArray names;
    for (const TestRecord &added : std::as_const(evidence)) {
        QString why;
        // Evidence is a help, not a duty: an agent without room, or a target these types refuse, is
        // noted and the alert goes on.
        if (const auto room = checkRoom(added, 0); !room)
            why = room.error();
        if (!why.isEmpty() || !checkTest(added, &why)) {
            qCInfo(lcServer).noquote() << tr("No %1 for alert \"%2\": %3").arg(added.type, rule.name, why);
            continue;
        }
        if (!m_repos.tests.add(added, error))
            return false;
        names.append(added.name);
    }
    if (names.isEmpty())
        return true;
    incident->diagnosis = QString::fromUtf8(
        QJsonDocument(QJsonObject{{u"target"_s, host}, {u"tests"_s, names}}).toJson(QJsonDocument::Compact));
    return m_repos.alerts.setDiagnosis(incident->id, incident->diagnosis, error);
}

Result<AlertRecording> Operations::endSilences()
{
    return write<AlertRecording>([&]() -> Result<AlertRecording> {
        QString why;
        AlertRecording recording;
        AlertNotices notices(m_repos, recording);
        const auto silenced = m_repos.alerts.silencedOpenIncidents(&why);
        const auto windows = silenced ? m_repos.alerts.windows(&why) : std::nullopt;
        if (!silenced || !windows)
            return failure<AlertRecording>(why);
        const qint64 now = nowMs();
        for (const AlertIncident &incident : *silenced) {
            const auto rule = m_repos.alerts.ruleById(incident.ruleId, &why);
            const auto troubled = rule && *rule ? m_repos.alerts.troubledAgents(incident.ruleId, &why) : std::nullopt;
            if (!rule)
                return failure<AlertRecording>(why);
            if (!*rule || !troubled || coveringWindow(*windows, **rule, *troubled, now))
                continue;
            const Protocol::EventText text(u"alert-still-firing"_s, {incident.ruleName, incident.silencedBy});
            if (!m_repos.alerts.setSilencedBy(incident.id, QString(), &why)
                || !m_repos.events.add(
                    now, eventLevel(incident.severity), u"alert-fired"_s, 0, (*rule)->testId, text, &why))
                return failure<AlertRecording>(why);
            recording.happened.append(text.text());
            if (!notices.enqueue(**rule, incident, u"firing"_s, now, &why))
                return failure<AlertRecording>(why);
        }
        return recording;
    });
}

Result<AlertRecording> Operations::releaseDueAlerts(qint64 atMs)
{
    return write<AlertRecording>([&]() -> Result<AlertRecording> {
        QString why;
        AlertRecording recording;
        AlertNotices notices(m_repos, recording);
        if (!notices.releaseDue(atMs ? atMs : nowMs(), &why))
            return failure<AlertRecording>(why);
        return recording;
    });
}

Result<int> Operations::concludeDiagnoses()
{
    QString why;
    const auto awaiting = m_repos.alerts.awaitingVerdict(&why);
    if (!awaiting)
        return failure<int>(why);
    const qint64 now = nowMs();
    QList<QPair<qint64, QString>> verdicts;
    for (const AlertIncident &incident : *awaiting) {
        const QJsonObject diagnosis = QJsonDocument::fromJson(incident.diagnosis.toUtf8()).object();
        QString pathTest;
        for (const QJsonValue &name : diagnosis.value(u"tests"_s).toArray()) {
            if (name.toString().endsWith(u"-path"))
                pathTest = name.toString();
        }
        const auto test = findTest(pathTest);
        if (!test)
            return failure<int>(test.error());
        Verdict verdict;
        if (*test) {
            // Wait for the last round to come in (an agent sends its results a few seconds late).
            if (now < (*test)->startsAt() + (*test)->durationMs + DIAGNOSIS_ROUND_MS * 3)
                continue;
            for (const QString &agentName : incident.agents) {
                const auto agent = findAgent(agentName);
                if (!agent || !*agent)
                    continue;
                const auto detail = m_repos.samples.latestDetail((*agent)->id, (*test)->id, &why);
                if (!detail)
                    return failure<int>(why);
                if (const auto *path = detail->detail.get<Protocol::TracerouteDetail>()) {
                    verdict = Verdict::fromPath(*path);
                    if (incident.agents.size() > 1)
                        verdict.evidence = tr("From %1: %2").arg(agentName, verdict.evidence);
                    break;
                }
            }
            if (verdict.kind == Verdict::Kind::Unknown && verdict.evidence.isEmpty())
                verdict.evidence = tr("No traceroute round came back from the agents in trouble.");
        } else {
            verdict.evidence = tr("The traceroute test %1 is gone.").arg(pathTest);
        }
        verdicts.append(
            {incident.id, QString::fromUtf8(QJsonDocument(verdict.toJson()).toJson(QJsonDocument::Compact))});
    }
    if (verdicts.isEmpty())
        return 0;
    return write<int>([&]() -> Result<int> {
        QString error;
        for (const auto &[id, verdict] : std::as_const(verdicts)) {
            if (!m_repos.alerts.setVerdict(id, verdict, &error))
                return failure<int>(error);
        }
        return int(verdicts.size());
    });
}

Result<MapLayout> Operations::mapLayout()
{
    QString error;
    const auto layout = m_repos.alerts.mapLayout(&error);
    return layout ? Result<MapLayout>(*layout) : failure<MapLayout>(error);
}

Result<Done> Operations::saveMapLayout(const MapLayout &layout, bool setBackground)
{
    if (layout.nodes.size() > MapLayout::MAX_NODES)
        return failure<Done>(tr("The map has more than %1 things on it; remove some first.").arg(MapLayout::MAX_NODES));
    if (layout.background.size() > MapLayout::MAX_BACKGROUND_BYTES)
        return failure<Done>(tr("The background picture is larger than 16 MB; choose a smaller one."));
    for (const MapNode &node : layout.nodes) {
        if (node.name.isEmpty() || node.name.size() > 255 || !std::isfinite(node.x) || !std::isfinite(node.y))
            return failure<Done>(tr("The map cannot be saved: a node has no name or no place."));
    }
    return write<Done>([&]() -> Result<Done> {
        QString why;
        if (!m_repos.alerts.saveMapLayout(layout, setBackground, &why))
            return failure<Done>(why);
        return Done{};
    });
}

Result<QList<OutboxItem>> Operations::unsentNotifications(int limit)
{
    QString error;
    const auto items = m_repos.alerts.unsent(limit, &error);
    return items ? Result<QList<OutboxItem>>(*items) : failure<QList<OutboxItem>>(error);
}

Result<Done> Operations::notificationDone(const OutboxItem &item, bool delivered, bool final, const QString &why)
{
    const qint64 outboxId = item.id;
    return write<Done>([&]() -> Result<Done> {
        QString error;
        bool stored = true;
        if (delivered)
            stored = m_repos.alerts.markSent(outboxId, nowMs(), &error);
        else if (final)
            stored = m_repos.alerts.markFailed(outboxId, why, &error)
                && m_repos.events.add(nowMs(), u"warning"_s, u"alert-notify-failed"_s, 0, 0,
                    Protocol::EventText(u"alert-notify-failed"_s,
                        {NotifyTarget::parse(item.target, &error).value_or(NotifyTarget{}).displayText(), why}),
                    &error);
        else
            stored = m_repos.alerts.countAttempt(outboxId, &error);
        if (!stored)
            return failure<Done>(error);
        return Done{};
    });
}

} // namespace StreamSwarm::Console
