// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "alertevaluator.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <utility>

#include <QtAlgorithms>

#include "shared/protocol/details.h"

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
        && a.clearAt() == b.clearAt() && a.forRounds == b.forRounds && a.ofRounds == b.ofRounds
        && a.measure == b.measure && a.window == b.window && a.percentile == b.percentile;
}

} // namespace

std::optional<double> AgentCondition::measure(const AlertRule &rule, double value)
{
    ++m_seen;
    switch (rule.measure) {
    case AlertRule::Measure::Value:
        return value;
    case AlertRule::Measure::Change: {
        const std::optional<double> before = std::exchange(m_previous, value);
        return before ? std::optional<double>(value - *before) : std::nullopt;
    }
    case AlertRule::Measure::Percentile: {
        m_recent.append(value);
        while (m_recent.size() > rule.window)
            m_recent.removeFirst();
        if (m_recent.size() < rule.window)
            return std::nullopt;
        QList<double> sorted = m_recent;
        std::sort(sorted.begin(), sorted.end());
        // Nearest rank, as SmokePing and most dashboards read a percentile of a few values.
        const auto rank = qsizetype(std::ceil(rule.percentile / 100.0 * double(sorted.size())));
        return sorted.at(std::clamp<qsizetype>(rank - 1, 0, sorted.size() - 1));
    }
    case AlertRule::Measure::Baseline: {
        m_recent.append(value);
        while (m_recent.size() > rule.window)
            m_recent.removeFirst();
        const double weight = 1.0 / double(rule.window * AlertRule::BASELINE_SPAN);
        m_usual = m_seen == 1 ? value : m_usual + weight * (value - m_usual);
        // The usual level needs a few windows of history first, and a level of zero has no ratio.
        if (m_seen < qint64(rule.window) * 3 || m_usual <= 0)
            return std::nullopt;
        const double recent = std::accumulate(m_recent.cbegin(), m_recent.cend(), 0.0) / double(m_recent.size());
        return recent / m_usual;
    }
    }
    return value;
}

AgentCondition::Change AgentCondition::add(const AlertRule &rule, double value)
{
    const std::optional<double> measured = measure(rule, value);
    if (!measured)
        return Change::None; // not enough rounds yet to judge
    m_beyondRaise = (m_beyondRaise << 1) | (rule.isBad(*measured, false) ? 1 : 0);
    m_beyondClear = (m_beyondClear << 1) | (rule.isBad(*measured, true) ? 1 : 0);
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

AgentCondition::Change AgentCondition::set(bool inTrouble)
{
    if (inTrouble == m_inTrouble)
        return Change::None;
    m_inTrouble = inTrouble;
    return inTrouble ? Change::Raised : Change::Cleared;
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
    m_judged.clear();
    m_rulesByTest.clear();
    for (int i = 0; i < m_rules.size(); ++i) {
        AlertRule judged = m_rules.at(i);
        if (judged.event == QStringView(AlertRule::ROUTE_CHANGE)) {
            // A round is 1 when its route changed: trouble at one change, gone after ofRounds without.
            judged.comparison = AlertRule::Comparison::Above;
            judged.measure = AlertRule::Measure::Value;
            judged.raiseLevel = 0.5;
            judged.clearLevel.reset();
            judged.forRounds = 1;
        }
        m_judged.append(judged);
        if (judged.event != QStringView(AlertRule::AGENT_OFFLINE))
            m_rulesByTest[judged.testId].append(i);
    }
}

QList<ConditionChange> AlertEvaluator::agentsSeen(const QList<AgentRecord> &agents, qint64 nowMs)
{
    QList<ConditionChange> changes;
    for (const AlertRule &rule : std::as_const(m_judged)) {
        if (rule.event != QStringView(AlertRule::AGENT_OFFLINE))
            continue;
        for (const AgentRecord &agent : agents) {
            if (agent.revoked || !rule.agents.covers(agent))
                continue;
            // Away since it was last heard from; an agent never seen has not gone anywhere.
            const bool away
                = !agent.online && agent.lastSeenMs > 0 && nowMs - agent.lastSeenMs >= AlertRule::OFFLINE_GRACE_MS;
            const auto change = m_conditions[{rule.id, agent.id}].set(away);
            if (change != AgentCondition::Change::None)
                changes.append({rule.id, agent.id, away, away ? agent.lastSeenMs : nowMs, away ? 0.0 : 1.0});
        }
    }
    return changes;
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
            const AlertRule &rule = m_judged.at(index);
            if (!rule.agents.covers(agentName, agentTags))
                continue;
            if (rule.event == QStringView(AlertRule::ROUTE_CHANGE)) {
                const auto *path = round.detail.get<Protocol::TracerouteDetail>();
                if (!path)
                    continue; // a failed round says nothing about the route
                const double changed = path->routeChanged ? 1 : 0;
                const auto change = m_conditions[{rule.id, agentId}].add(rule, changed);
                if (change != AgentCondition::Change::None)
                    changes.append({rule.id, agentId, change == AgentCondition::Change::Raised, round.timeMs, changed});
                continue;
            }
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
