// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "alertevaluator.h"

#include <QtAlgorithms>

namespace StreamSwarm::Console {

namespace {

quint64 windowMask(int rounds)
{
    return rounds >= 64 ? ~quint64(0) : (quint64(1) << rounds) - 1;
}

int countIn(quint64 bits, int rounds)
{
    return int(qPopulationCount(bits & windowMask(rounds)));
}

// Whether two versions of a rule judge rounds alike, so that windows kept under one fit the other.
bool sameCondition(const AlertRule &a, const AlertRule &b)
{
    return a.testId == b.testId && a.metric == b.metric && a.comparison == b.comparison && a.raiseLevel == b.raiseLevel
        && a.clearAt() == b.clearAt() && a.forRounds == b.forRounds && a.ofRounds == b.ofRounds;
}

} // namespace

AgentCondition::Change AgentCondition::add(const AlertRule &rule, double value)
{
    m_beyondRaise = (m_beyondRaise << 1) | (rule.isBad(value, false) ? 1 : 0);
    m_beyondClear = (m_beyondClear << 1) | (rule.isBad(value, true) ? 1 : 0);
    if (!m_inTrouble && countIn(m_beyondRaise, rule.ofRounds) >= rule.forRounds) {
        m_inTrouble = true;
        return Change::Raised;
    }
    if (m_inTrouble && countIn(m_beyondClear, rule.ofRounds) < rule.forRounds) {
        m_inTrouble = false;
        return Change::Cleared;
    }
    return Change::None;
}

void AgentCondition::restoreInTrouble(const AlertRule &rule)
{
    m_beyondRaise = m_beyondClear = windowMask(rule.ofRounds);
    m_inTrouble = true;
}

void AlertEvaluator::setRules(const QList<AlertRule> &rules, const QSet<QPair<qint64, qint64>> &troubled)
{
    QHash<qint64, const AlertRule *> previous;
    for (const AlertRule &rule : std::as_const(m_rules))
        previous.insert(rule.id, &rule);
    QHash<QPair<qint64, qint64>, AgentCondition> kept;
    for (const AlertRule &rule : rules) {
        const AlertRule *before = previous.value(rule.id);
        const bool keep = before && sameCondition(*before, rule);
        for (auto it = m_conditions.cbegin(); keep && it != m_conditions.cend(); ++it) {
            if (it.key().first == rule.id)
                kept.insert(it.key(), it.value());
        }
        if (keep)
            continue;
        for (const auto &pair : troubled) {
            if (pair.first == rule.id)
                kept[pair].restoreInTrouble(rule);
        }
    }
    m_conditions = std::move(kept);
    m_rules = rules;
    m_rulesByTest.clear();
    for (int i = 0; i < m_rules.size(); ++i)
        m_rulesByTest[m_rules.at(i).testId].append(i);
}

QList<ConditionChange> AlertEvaluator::add(
    qint64 agentId, const QString &agentName, const QStringList &agentTags, const QList<Protocol::Round> &rounds)
{
    QList<ConditionChange> changes;
    for (const Protocol::Round &round : rounds) {
        const auto indexes = m_rulesByTest.constFind(round.testId);
        if (indexes == m_rulesByTest.cend())
            continue;
        for (int index : *indexes) {
            const AlertRule &rule = m_rules.at(index);
            if (!rule.agents.covers(agentName, agentTags))
                continue;
            // A round without the metric (it failed before measuring it) says nothing either way.
            for (const Protocol::MetricValue &value : round.values) {
                if (value.metric != rule.metric)
                    continue;
                const auto change = m_conditions[{rule.id, agentId}].add(rule, value.value);
                if (change != AgentCondition::Change::None)
                    changes.append(
                        {rule.id, agentId, change == AgentCondition::Change::Raised, round.timeMs, value.value});
                break;
            }
        }
    }
    return changes;
}

} // namespace StreamSwarm::Console
