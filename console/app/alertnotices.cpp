// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "alertnotices.h"

#include <algorithm>

#include <QJsonDocument>

#include "console/alerts/alertmessage.h"
#include "console/storage/storageservice.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

namespace {

AlertMessage messageFor(const AlertRule &rule, const AlertIncident &incident, const QString &state, qint64 atMs)
{
    AlertMessage message = rule.message(state, atMs);
    // The same on every attempt and from every collector: receivers drop repeats by it.
    message.id = u"incident-%1-%2"_s.arg(incident.id).arg(state);
    message.agents = incident.agents;
    message.value = incident.value;
    message.summary = incident.condition;
    if (!incident.sharedHop.isEmpty()) {
        message.diagnosis = AlertNotices::tr("Seen by %1, whose paths share the hop %2: the trouble is likely there "
                                             "or beyond it. Alerts it explains are held.")
                                .arg(incident.agents.join(u", "), incident.sharedHop);
    }
    return message;
}

QStringList merged(QStringList agents, const QStringList &more)
{
    for (const QString &agent : more) {
        if (!agents.contains(agent))
            agents.append(agent);
    }
    return agents;
}

} // namespace

QString sharedHop(const QList<QStringList> &paths)
{
    if (paths.isEmpty())
        return QString();
    const QStringList &first = paths.constFirst();
    for (auto hop = first.crbegin(); hop != first.crend(); ++hop) {
        if (std::all_of(paths.cbegin(), paths.cend(), [&](const QStringList &path) { return path.contains(*hop); }))
            return *hop;
    }
    return QString();
}

std::optional<qint64> AlertNotices::releaseTime(
    const AlertRule &rule, const AlertIncident &incident, qint64 nowMs, QString *error)
{
    if (!rule.dependsOn.isEmpty())
        return nowMs + SETTLE_MS;
    const auto paths = m_repos.alerts.latestPaths(incident.agents, nowMs - PATH_AGE_MS, error);
    if (!paths)
        return std::nullopt;
    return paths->isEmpty() ? nowMs : nowMs + SETTLE_MS;
}

bool AlertNotices::enqueue(
    const AlertRule &rule, const AlertIncident &incident, const QString &state, qint64 atMs, QString *error)
{
    const QString message = QString::fromUtf8(
        QJsonDocument(messageFor(rule, incident, state, atMs).toJson()).toJson(QJsonDocument::Compact));
    for (const NotifyTarget &target : rule.notify) {
        const auto id = m_repos.alerts.enqueue(
            incident.id, target.toString(), message, QDateTime::currentMSecsSinceEpoch(), error);
        if (!id)
            return false;
        m_recording.notifications.append({*id, incident.id, target.toString(), message, 0});
    }
    return true;
}

bool AlertNotices::releaseDue(qint64 nowMs, QString *error)
{
    const auto due = m_repos.alerts.dueIncidents(nowMs, error);
    if (!due)
        return false;
    // Oldest first: the first to fire is the one that speaks for the others.
    QList<AlertIncident> ordered = *due;
    std::sort(ordered.begin(), ordered.end(), [](const AlertIncident &a, const AlertIncident &b) {
        return std::pair(a.startedAtMs, a.id) < std::pair(b.startedAtMs, b.id);
    });
    for (const AlertIncident &incident : std::as_const(ordered)) {
        // Re-read: releasing an earlier one may have held this one meanwhile.
        const auto open = m_repos.alerts.openIncident(incident.ruleId, error);
        if (!open)
            return false;
        if (*open && (*open)->id == incident.id && (*open)->notifyAtMs && !release(**open, nowMs, error))
            return false;
    }
    return noteNextRelease(error);
}

bool AlertNotices::noteNextRelease(QString *error)
{
    const auto next = m_repos.alerts.nextRelease(error);
    if (!next)
        return false;
    m_recording.nextReleaseMs = *next;
    return true;
}

bool AlertNotices::hold(const AlertIncident &incident, const AlertIncident &by, const QStringList &agents,
    const QString &hop, QString *error)
{
    const qint64 root = by.heldBy ? by.heldBy : by.id;
    const QString rootName = by.heldBy ? by.heldByName : by.ruleName;
    const Protocol::EventText text = hop.isEmpty()
        ? Protocol::EventText(u"alert-held-dependency"_s, {incident.ruleName, rootName})
        : Protocol::EventText(u"alert-held"_s, {incident.ruleName, rootName, hop});
    if (!m_repos.alerts.released(incident.id, root, agents, hop, error)
        || !m_repos.events.add(QDateTime::currentMSecsSinceEpoch(), u"info"_s, u"alert-held"_s, 0, 0, text, error))
        return false;
    m_recording.happened.append(text.text());
    return true;
}

bool AlertNotices::release(const AlertIncident &incident, qint64 nowMs, QString *error)
{
    const auto rule = m_repos.alerts.ruleById(incident.ruleId, error);
    const auto troubled = rule && *rule ? m_repos.alerts.troubledAgents(incident.ruleId, error) : std::nullopt;
    if (!rule || (*rule && !troubled))
        return false;
    if (!*rule || incident.heldBy || !incident.silencedBy.isEmpty())
        return m_repos.alerts.released(incident.id, incident.heldBy, incident.agents, incident.sharedHop, error);
    QStringList agents = incident.agents;
    for (const AgentTrouble &agent : *troubled)
        agents = merged(agents, {agent.agentName});

    // Declared by hand: the alert it depends on fires.
    if (!(*rule)->dependsOn.isEmpty()) {
        const auto parent = m_repos.alerts.findRule((*rule)->dependsOn, error);
        const auto parentOpen = parent && *parent ? m_repos.alerts.openIncident((*parent)->id, error)
                                                  : std::optional<std::optional<AlertIncident>>(std::nullopt);
        if (!parent || !parentOpen)
            return false;
        if (*parentOpen)
            return hold(incident, **parentOpen, agents, QString(), error);
    }

    // Found in the paths: another alert under way was seen behind the same hop.
    const auto open = m_repos.alerts.openIncidents(error);
    if (!open)
        return false;
    QList<AlertIncident> others;
    QStringList everyone = agents;
    for (const AlertIncident &other : *open) {
        if (other.id != incident.id && other.silencedBy.isEmpty()) {
            others.append(other);
            everyone = merged(everyone, other.agents);
        }
    }
    std::sort(others.begin(), others.end(), [](const AlertIncident &a, const AlertIncident &b) {
        return std::pair(a.startedAtMs, a.id) < std::pair(b.startedAtMs, b.id);
    });
    const auto paths = m_repos.alerts.latestPaths(everyone, nowMs - PATH_AGE_MS, error);
    if (!paths)
        return false;
    const auto pathsOf = [&paths](const QStringList &names) {
        QList<QStringList> found;
        for (const QString &name : names) {
            if (paths->contains(name))
                found.append(paths->value(name));
        }
        return found;
    };
    const QList<QStringList> own = pathsOf(agents);
    const auto shares = [&](const AlertIncident &other) {
        const QList<QStringList> theirs = pathsOf(other.agents);
        return own.isEmpty() || theirs.isEmpty() ? QString() : sharedHop(own + theirs);
    };
    const auto before = [&incident](const AlertIncident &other) {
        return std::pair(other.startedAtMs, other.id) < std::pair(incident.startedAtMs, incident.id);
    };
    for (const AlertIncident &other : std::as_const(others)) {
        // One that fired earlier and has spoken (or been held) explains this one.
        if ((before(other) || !other.notifyAtMs) && !other.notifyAtMs) {
            if (const QString hop = shares(other); !hop.isEmpty())
                return hold(incident, other, agents, hop, error);
        }
    }
    // This one speaks for those still waiting behind the same hop.
    QStringList group = agents;
    for (const AlertIncident &other : std::as_const(others)) {
        if (!other.notifyAtMs || other.heldBy)
            continue;
        if (const QString hop = shares(other); !hop.isEmpty()) {
            if (!hold(other, incident, other.agents, hop, error))
                return false;
            group = merged(group, other.agents);
        }
    }
    const QList<QStringList> groupPaths = pathsOf(group);
    AlertIncident sent = incident;
    sent.agents = group;
    sent.sharedHop = groupPaths.size() >= 2 ? sharedHop(groupPaths) : QString();
    if (!m_repos.alerts.released(incident.id, 0, group, sent.sharedHop, error))
        return false;
    return enqueue(**rule, sent, u"firing"_s, incident.startedAtMs, error);
}

} // namespace StreamSwarm::Console
