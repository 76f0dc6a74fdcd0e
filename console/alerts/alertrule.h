// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <optional>

#include <QCoreApplication>
#include <QList>
#include <QString>
#include <QStringList>

#include "console/alerts/notifytarget.h"

namespace StreamSwarm::Console {

struct AgentRecord;
struct AlertMessage;

enum class AlertSeverity { Info, Warning, Critical };
QString severityKey(AlertSeverity severity); // "info", "warning", "critical"
QString measureKey(int measure); // AlertRule::Measure: "value", "change", "percentile", "baseline"
std::optional<AlertSeverity> severityFromKey(const QString &key);

// Which agents a rule or a maintenance window covers: all of them, or these names and every agent
// carrying one of these tags, as --agents takes it ("all", "a,b,tag:core").
struct AgentSelection
{
    Q_DECLARE_TR_FUNCTIONS(StreamSwarm::Console::AgentSelection)
public:
    bool all = true;
    QStringList names;
    QStringList tags;

    static std::optional<AgentSelection> parse(const QString &text, QString *error);
    QString toString() const;
    bool covers(const AgentRecord &agent) const;
    bool covers(const QString &agentName, const QStringList &agentTags) const;
};

// One alert rule on a metric of a test: a round is bad when the metric is beyond the raise level;
// an agent is in trouble when forRounds of its last ofRounds rounds were bad, and stays so while
// forRounds of its last ofRounds are beyond the clear level (hysteresis). The alert fires when at
// least minAgents of the covered agents are in trouble at once, and clears when fewer are.
struct AlertRule
{
    Q_DECLARE_TR_FUNCTIONS(StreamSwarm::Console::AlertRule)
public:
    static constexpr int MAX_ROUNDS = 64; // --of at most: the window is a bit mask
    static constexpr int MAX_TARGETS = 16; // --notify at most
    static constexpr int MAX_AGENTS = 10000; // --min-agents at most

    enum class Comparison { Above, Below };
    // What a round is judged by: the metric's value; its change since the round before; a percentile of
    // the last `window` values; or the mean of the last `window` values against the metric's usual level
    // (its long-term mean over BASELINE_SPAN windows: 1.5 means half as much again as usual).
    enum class Measure { Value, Change, Percentile, Baseline };
    static constexpr int MAX_WINDOW = 1000;
    static constexpr int BASELINE_SPAN = 20; // the usual level spans this many windows
    static constexpr const char16_t *AGENT_OFFLINE = u"agent-offline";
    static constexpr const char16_t *ROUTE_CHANGE = u"route-change";
    static constexpr qint64 OFFLINE_GRACE_MS = 60 * 1000; // a restart or a short outage is no alert

    qint64 id = 0;
    QString name;
    qint64 testId = 0;
    QString testName;
    QString metric;
    Comparison comparison = Comparison::Above;
    Measure measure = Measure::Value;
    int window = 20; // rounds, for Percentile and Baseline
    double percentile = 95; // Percentile: 1 to 99.9
    double raiseLevel = 0;
    std::optional<double> clearLevel; // none: the raise level
    int forRounds = 1;
    int ofRounds = 1;
    AgentSelection agents;
    int minAgents = 1;
    AlertSeverity severity = AlertSeverity::Warning;
    QList<NotifyTarget> notify;
    // Not a metric but something that happens (--on): AGENT_OFFLINE (an agent away for
    // OFFLINE_GRACE_MS; no test) or ROUTE_CHANGE (a traceroute test's agent took another route; it
    // clears after ofRounds rounds on the same route). Empty for a metric rule.
    QString event;
    // Another alert this one depends on: while that one fires, this one is held (recorded, not sent).
    QString dependsOn;
    qint64 createdAtMs = 0;

    double clearAt() const { return clearLevel.value_or(raiseLevel); }
    // Whether a value is beyond the raise level, or (holding) beyond the clear level.
    bool isBad(double value, bool holding) const;
    // "ping.loss_pct above 20 for 3 of 5 rounds, clears at 5"
    QString conditionText() const;
    // A message about this rule in state ("firing", "cleared", "test") at atMs, with what the rule says
    // (name, severity, test, metric and its unit, levels); what happened is the caller's to add.
    AlertMessage message(const QString &state, qint64 atMs) const;
    // The test message every target is sent to see that it arrives (alert test, the window's button).
    AlertMessage testMessage(qint64 nowMs) const;
    // The checks that need no database: levels finite and the clear level on the right side, rounds
    // and agents in range, a name a command line can take. The metric's test is checked with it.
    bool check(QString *error) const;
};

} // namespace StreamSwarm::Console
