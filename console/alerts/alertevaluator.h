// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <optional>

#include <QHash>
#include <QList>
#include <QSet>

#include "console/alerts/alertrule.h"
#include "console/storage/records.h"
#include "shared/protocol/messages.h"

namespace StreamSwarm::Console {

// One agent's rounds for one rule: the last rounds' verdicts against the raise and the clear level,
// and whether the agent is in trouble. Plain value.
class AgentCondition
{
public:
    enum class Change { None, Raised, Cleared };

    Change add(const AlertRule &rule, double value);
    // For what is seen rather than measured (an agent away): in trouble or not, now.
    Change set(bool inTrouble);
    // In trouble as the database remembers it (after a restart): as if the window were all bad.
    void restoreInTrouble(const AlertRule &rule);
    bool inTrouble() const { return m_inTrouble; }

private:
    // What the rule judges this round by (the value, its change, a percentile, against the usual
    // level); nullopt until there are rounds enough to say.
    std::optional<double> measure(const AlertRule &rule, double value);

    QList<double> m_recent; // the last rule.window values, oldest first (Percentile, Baseline)
    std::optional<double> m_previous; // Change
    double m_usual = 0; // Baseline: the long-term mean (exponentially weighted)
    qint64 m_seen = 0;
    quint64 m_beyondRaise = 0; // bit 0: the newest round
    quint64 m_beyondClear = 0;
    bool m_inTrouble = false;
};

// A change of one agent's condition under one rule, to be recorded (AlertOperations decides whether
// the alert fires or clears: that depends on the other agents too).
struct ConditionChange
{
    qint64 ruleId = 0;
    qint64 agentId = 0;
    bool inTrouble = false;
    qint64 timeMs = 0; // the round's
    double value = 0; // the metric in that round
};

// Applies the rules to rounds as they are stored and says when an agent's condition changes. Keeps
// only small windows per rule and agent; the same rules give the same changes for the same rounds.
class AlertEvaluator
{
public:
    // Takes new rules; conditions under rules that did not change are kept. troubled: the (rule, agent)
    // pairs the database holds in trouble, restored for rules not kept.
    void setRules(const QList<AlertRule> &rules, const QSet<QPair<qint64, qint64>> &troubled);
    // The rounds of one agent (with its name and tags, to know which rules cover it), oldest first.
    QList<ConditionChange> add(
        qint64 agentId, const QString &agentName, const QStringList &agentTags, const QList<Protocol::Round> &rounds);
    // The agents as the console sees them now: those away longer than AlertRule::OFFLINE_GRACE_MS come
    // into trouble under agent-offline rules that cover them, and leave it when they are back.
    QList<ConditionChange> agentsSeen(const QList<AgentRecord> &agents, qint64 nowMs);
    const QList<AlertRule> &rules() const { return m_rules; }

private:
    QList<AlertRule> m_rules;
    QList<AlertRule> m_judged; // as rounds are judged: a route-change rule as "a change in 1 of ofRounds"
    QHash<qint64, QList<int>> m_rulesByTest; // test id -> indexes into m_rules
    QHash<QPair<qint64, qint64>, AgentCondition> m_conditions; // (rule id, agent id)
};

} // namespace StreamSwarm::Console
