// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QList>
#include <QString>
#include <QStringList>

#include "console/alerts/alertrule.h"

namespace StreamSwarm::Console {

// One time an alert fired: from when to when, where it was seen, who acknowledged it, and whether a
// maintenance window kept it quiet. Kept after its rule is removed, for the event history.
struct AlertIncident
{
    qint64 id = 0;
    qint64 ruleId = 0;
    QString ruleName;
    QString testName;
    QString metric;
    AlertSeverity severity = AlertSeverity::Warning;
    qint64 startedAtMs = 0;
    qint64 clearedAtMs = 0; // 0: still firing
    qint64 ackedAtMs = 0; // 0: not acknowledged
    QString ackedBy;
    QString ackComment;
    QString silencedBy; // the maintenance window's name; empty: notified
    QStringList agents; // the agents in trouble when it fired
    double value = 0; // the metric when it fired
    QString condition; // the rule's condition as it was then
    // The evidence taken when it fired: {"target": host, "tests": [names]} of the short tests run
    // from the agents in trouble (a traceroute, a DNS lookup); empty when there was nothing to run.
    QString diagnosis;
    // Messages wait until then, so alerts that fire together can be seen as one (0: nothing waits).
    qint64 notifyAtMs = 0;
    qint64 heldBy = 0; // the incident that explains this one (its alert's name in heldByName); 0: none
    QString heldByName;
    QString sharedHop; // the hop the agents' paths share, when several saw the trouble behind it
    QString verdict; // Verdict as JSON, once the diagnosis has been judged; empty until then
};

// What an alert is now, as 'alert list' shows it.
enum class AlertState { Ok, Firing, Acknowledged, Silenced };
QString alertStateKey(AlertState state); // "ok", "firing", "acknowledged", "silenced"

struct AlertStatus
{
    AlertRule rule;
    AlertState state = AlertState::Ok;
    std::optional<AlertIncident> open; // the incident under way
    QStringList troubledAgents; // agents in trouble now (fewer than the rule's minimum while ok)
};

// A notification waiting in the database until it is delivered.
struct OutboxItem
{
    qint64 id = 0;
    qint64 incidentId = 0;
    QString target; // NotifyTarget::toString()
    QString message; // AlertMessage as JSON
    int attempts = 0;
};

// What recording alert changes did: the notifications to send (already in the outbox), and what
// happened in plain words, for the log.
struct AlertRecording
{
    QList<OutboxItem> notifications;
    QStringList happened;
    qint64 nextReleaseMs = 0; // when incidents' waiting messages are next due (0: none wait)
};

} // namespace StreamSwarm::Console
