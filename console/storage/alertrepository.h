// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <optional>

#include <QCoreApplication>
#include <QHash>
#include <QList>
#include <QSet>

#include "console/alerts/alertincident.h"
#include "console/alerts/maintenancewindow.h"
#include "console/map/mapnode.h"

namespace StreamSwarm::Console {

class Database;

// An agent in trouble under a rule, since when and with what value.
struct AgentTrouble
{
    qint64 agentId = 0;
    QString agentName;
    QStringList agentTags;
    qint64 sinceMs = 0;
    double value = 0;
};

// Alert rules, which agents are in trouble under them, the incidents they fired, the notifications
// waiting to go out, and maintenance windows.
class AlertRepository
{
    Q_DECLARE_TR_FUNCTIONS(StreamSwarm::Console::AlertRepository)
public:
    explicit AlertRepository(Database &db)
        : m_db(db)
    { }

    std::optional<qint64> addRule(const AlertRule &rule, QString *error);
    // Every rule with its test's name, by name.
    std::optional<QList<AlertRule>> rules(QString *error);
    std::optional<std::optional<AlertRule>> findRule(const QString &name, QString *error);
    std::optional<std::optional<AlertRule>> ruleById(qint64 id, QString *error);
    // Removes the rule and what it holds in trouble; its incidents stay in the history.
    bool removeRule(qint64 id, QString *error);
    bool removeRulesOfTest(qint64 testId, QString *error);

    // (rule id, agent id) of every agent in trouble.
    std::optional<QSet<QPair<qint64, qint64>>> troubles(QString *error);
    std::optional<QList<AgentTrouble>> troubledAgents(qint64 ruleId, QString *error);
    bool setTrouble(qint64 ruleId, qint64 agentId, bool inTrouble, qint64 timeMs, double value, QString *error);

    // The rule's incident under way, if any.
    std::optional<std::optional<AlertIncident>> openIncident(qint64 ruleId, QString *error);
    std::optional<qint64> addIncident(const AlertIncident &incident, QString *error);
    bool closeIncident(qint64 incidentId, qint64 clearedAtMs, QString *error);
    bool acknowledge(qint64 incidentId, qint64 atMs, const QString &by, const QString &comment, QString *error);
    bool setDiagnosis(qint64 incidentId, const QString &diagnosis, QString *error);
    // Incidents with a diagnosis not yet judged (at most 100).
    std::optional<QList<AlertIncident>> awaitingVerdict(QString *error);
    bool setVerdict(qint64 incidentId, const QString &verdict, QString *error);
    std::optional<QList<AlertIncident>> openIncidents(QString *error);
    // Incidents under way whose messages are due (notify_at at or before nowMs).
    std::optional<QList<AlertIncident>> dueIncidents(qint64 nowMs, QString *error);
    std::optional<qint64> nextRelease(QString *error); // the earliest notify_at waiting; 0: none
    // An incident's messages are decided: held by another incident (heldBy), or sent for these agents,
    // naming the hop their paths share (may be empty).
    bool released(
        qint64 incidentId, qint64 heldBy, const QStringList &agents, const QString &sharedHop, QString *error);
    // The hops of each agent's newest traced path since sinceMs (the target itself left out); agents
    // without one are missing.
    std::optional<QHash<QString, QStringList>> latestPaths(
        const QStringList &agentNames, qint64 sinceMs, QString *error);
    bool setSilencedBy(qint64 incidentId, const QString &window, QString *error);
    // Incidents that started between fromMs and toMs, newest first; at most limit.
    std::optional<QList<AlertIncident>> incidents(qint64 fromMs, qint64 toMs, int limit, QString *error);
    // Incidents under way that a maintenance window keeps quiet.
    std::optional<QList<AlertIncident>> silencedOpenIncidents(QString *error);

    std::optional<qint64> enqueue(
        qint64 incidentId, const QString &target, const QString &message, qint64 nowMs, QString *error);
    bool markSent(qint64 outboxId, qint64 atMs, QString *error);
    bool markFailed(qint64 outboxId, const QString &why, QString *error);
    bool countAttempt(qint64 outboxId, QString *error);
    // Notifications neither sent nor given up, oldest first.
    std::optional<QList<OutboxItem>> unsent(int limit, QString *error);

    bool addWindow(const MaintenanceWindow &window, QString *error);
    std::optional<QList<MaintenanceWindow>> windows(QString *error);
    bool removeWindow(const QString &name, QString *error);

    // The network map (it shows alerts' states, so it lives beside them).
    std::optional<MapLayout> mapLayout(QString *error);
    // Replaces the saved nodes; the background too when setBackground (empty: none).
    bool saveMapLayout(const MapLayout &layout, bool setBackground, QString *error);

private:
    std::optional<QList<AlertRule>> readRules(const QString &where, const QVariant &value, QString *error);
    std::optional<QList<AlertIncident>> readIncidents(
        const QString &where, const QVariantList &values, int limit, QString *error);

    Database &m_db;
};

} // namespace StreamSwarm::Console
