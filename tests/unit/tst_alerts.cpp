// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
// Alert rules: how rounds make an agent's trouble (AlertEvaluator), and how the application layer
// fires, clears, silences and acknowledges alerts and fills the outbox, on SQLite and PostgreSQL.
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlQuery>
#include <QTest>

#include "console/alerts/alertevaluator.h"
#include "console/alerts/alertmessage.h"
#include "console/alerts/verdict.h"
#include "console/app/alertnotices.h"
#include "console/app/localadministration.h"
#include "console/storage/agentrepository.h"
#include "tests/unit/storagefixture.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm;
using namespace StreamSwarm::Console;

namespace {

const Actor COMMAND_LINE{Actor::Origin::CommandLine, u"alice"_s};

AlertRule lossRule(const QString &name, const QString &test, double above, int forRounds = 1, int ofRounds = 1)
{
    AlertRule rule;
    rule.name = name;
    rule.testName = test;
    rule.metric = u"ping.loss_pct"_s;
    rule.raiseLevel = above;
    rule.forRounds = forRounds;
    rule.ofRounds = ofRounds;
    QString error;
    rule.notify = {*NotifyTarget::parse(u"webhook:http://127.0.0.1:9/hook"_s, &error),
        *NotifyTarget::parse(u"email:noc@example.net"_s, &error)};
    return rule;
}

Protocol::Round lossRound(qint64 testId, qint64 timeMs, double loss)
{
    return Test::round(testId, timeMs, {{u"ping.rtt_avg_ms"_s, 1.0}, {u"ping.loss_pct"_s, loss}});
}

QStringList states(const QList<AlertStatus> &statuses)
{
    QStringList list;
    for (const AlertStatus &status : statuses)
        list.append(status.rule.name + u'=' + alertStateKey(status.state));
    return list;
}

// The notifications a recording put in the outbox.
Result<QList<OutboxItem>> notify(const Result<AlertRecording> &recorded)
{
    return recorded ? Result<QList<OutboxItem>>(recorded->notifications)
                    : Result<QList<OutboxItem>>::failure(recorded.error());
}

} // namespace

class TestAlerts final : public Test::StorageTestCase
{
    Q_OBJECT

private Q_SLOTS:
    void troubleNeedsForOfRoundsAndClearsWithHysteresis();
    void belowRulesAndRoundsWithoutTheMetric();
    void changePercentileAndBaselineMeasures();
    void routeChangesAndAgentsAway();
    void changedRulesStartAfreshAndTroubleIsRestored();
    void rulesAreCheckedBeforeAnythingIsWritten();
    void alertFiresOnceWhenEnoughAgentsAreInTrouble();
    void maintenanceSilencesThenNotifiesWhenItCloses();
    void acknowledgedAlertsAndRemovedRulesKeepTheirHistory();
    void deliveryOutcomesAreRecorded();
    void sharedHopIsTheDeepestOnEveryPath();
    void alertsBehindASharedHopSendOneMessage();
    void aDependentAlertIsHeldWhileItsParentFires();
    void anHttpAlertTakesPathLookupAndPhases();
    void theMapIsSavedForEveryConsole();
    void verdictFollowsWhereLossStarts_data();
    void verdictFollowsWhereLossStarts();

private:
    std::unique_ptr<LocalAdministration> open();
    bool seedSharedRouter(Operations &operations, qint64 *ids, QString *error);
    // The fixture's seed (alpha, beta; wan, lan) in a database of its own connection.
    bool seedDatabase(qint64 *alpha, qint64 *beta, qint64 *wan, qint64 *lan, QString *error);
};

std::unique_ptr<LocalAdministration> TestAlerts::open()
{
    auto administration = std::make_unique<LocalAdministration>(COMMAND_LINE);
    QString error;
    if (!administration->open(url(), u"tst_alerts"_s, &error)) {
        qWarning() << error;
        return nullptr;
    }
    return administration;
}

void TestAlerts::troubleNeedsForOfRoundsAndClearsWithHysteresis()
{
    AlertRule rule = lossRule(u"loss"_s, u"wan"_s, 20, 3, 5);
    rule.clearLevel = 5;
    AgentCondition condition;
    using Change = AgentCondition::Change;
    // Two bad rounds of five are not enough; the third within five is.
    for (double loss : {30.0, 0.0, 30.0, 0.0})
        QCOMPARE(condition.add(rule, loss), Change::None);
    QCOMPARE(condition.add(rule, 30), Change::Raised);
    QVERIFY(condition.inTrouble());
    // 10 % is under the alert level but above the clear level: it still counts against clearing.
    QCOMPARE(condition.add(rule, 10), Change::None); // 10 30 0 30 0: three beyond 5
    QCOMPARE(condition.add(rule, 0), Change::None); // 0 10 30 0 30: three
    QCOMPARE(condition.add(rule, 0), Change::Cleared); // 0 0 10 30 0: two
    QVERIFY(!condition.inTrouble());
    // Exactly at the level is not beyond it.
    QCOMPARE(condition.add(rule, 20), Change::None);
    QCOMPARE(condition.add(rule, 20), Change::None);
    QCOMPARE(condition.add(rule, 20), Change::None);
}

void TestAlerts::belowRulesAndRoundsWithoutTheMetric()
{
    AlertRule rule = lossRule(u"slow"_s, u"wan"_s, 50);
    rule.id = 7;
    rule.testId = 3;
    rule.metric = u"http.throughput_mbps"_s;
    rule.comparison = AlertRule::Comparison::Below;
    rule.clearLevel = 80;
    QString error;
    rule.agents = *AgentSelection::parse(u"edge,tag:core"_s, &error);
    AlertEvaluator evaluator;
    evaluator.setRules({rule}, {});
    const auto rounds = [](double mbps) {
        return QList<Protocol::Round>{Test::round(3, 1000, {{u"http.throughput_mbps"_s, mbps}})};
    };
    // An agent the rule does not cover, a round of another test, a failed round without the metric.
    QVERIFY(evaluator.add(1, u"other"_s, {u"lan"_s}, rounds(10)).isEmpty());
    QVERIFY(evaluator.add(2, u"edge"_s, {}, {Test::round(4, 1000, {{u"http.throughput_mbps"_s, 10}})}).isEmpty());
    QVERIFY(evaluator.add(2, u"edge"_s, {}, {Test::round(3, 1000, {}, u"refused"_s)}).isEmpty());
    auto changes = evaluator.add(2, u"edge"_s, {}, rounds(49.5));
    QCOMPARE(changes.size(), 1);
    QCOMPARE(changes.at(0).ruleId, 7);
    QCOMPARE(changes.at(0).agentId, 2);
    QVERIFY(changes.at(0).inTrouble);
    QCOMPARE(changes.at(0).value, 49.5);
    QVERIFY(evaluator.add(2, u"edge"_s, {}, rounds(70)).isEmpty()); // above 50, still below the clear level
    changes = evaluator.add(2, u"edge"_s, {}, rounds(85));
    QCOMPARE(changes.size(), 1);
    QVERIFY(!changes.at(0).inTrouble);
    // By tag.
    QCOMPARE(evaluator.add(5, u"core-1"_s, {u"core"_s}, rounds(1)).size(), 1);
}

void TestAlerts::changePercentileAndBaselineMeasures()
{
    using Change = AgentCondition::Change;
    // The change from one round to the next: a jump of 60 is beyond 50, a flat round is not.
    AlertRule change = lossRule(u"jump"_s, u"wan"_s, 50);
    change.measure = AlertRule::Measure::Change;
    AgentCondition jumps;
    QCOMPARE(jumps.add(change, 10), Change::None); // nothing to compare with yet
    QCOMPARE(jumps.add(change, 70), Change::Raised);
    QCOMPARE(jumps.add(change, 70), Change::Cleared);
    QCOMPARE(jumps.add(change, 20), Change::None); // a fall is no rise

    // The 80th percentile of the last five rounds (nearest rank: the 4th of 5).
    AlertRule percentile = lossRule(u"p80"_s, u"wan"_s, 50);
    percentile.measure = AlertRule::Measure::Percentile;
    percentile.percentile = 80;
    percentile.window = 5;
    AgentCondition spread;
    for (double value : {10.0, 10.0, 10.0, 10.0, 100.0})
        QCOMPARE(spread.add(percentile, value), Change::None);
    QCOMPARE(spread.add(percentile, 100), Change::Raised); // 10 10 10 100 100
    // It clears once only one 100 is left among the five: four rounds later.
    for (int i = 0; i < 4; ++i)
        QCOMPARE(spread.add(percentile, 10), i < 3 ? Change::None : Change::Cleared);

    // Against the usual level: 10 for a long while, then twice that.
    AlertRule baseline = lossRule(u"usual"_s, u"wan"_s, 1.5);
    baseline.measure = AlertRule::Measure::Baseline;
    baseline.window = 5;
    AgentCondition usual;
    for (int i = 0; i < 40; ++i)
        QCOMPARE(usual.add(baseline, 10), Change::None);
    int raisedAfter = 0;
    for (int i = 1; i <= 5 && !raisedAfter; ++i) {
        if (usual.add(baseline, 20) == Change::Raised)
            raisedAfter = i;
    }
    // The mean of the last five passes 1.5 times the usual 10 once three of them are 20.
    QCOMPARE(raisedAfter, 3);

    QString error;
    baseline.raiseLevel = 0;
    QVERIFY(!baseline.check(&error) && error.contains(u"ratio"_s));
    percentile.percentile = 0;
    QVERIFY(!percentile.check(&error) && error.contains(u"--percentile"_s));
    percentile.percentile = 95;
    percentile.window = 1;
    QVERIFY(!percentile.check(&error) && error.contains(u"--window"_s));
    percentile.window = 20;
    QVERIFY(percentile.conditionText().contains(u"95th percentile of ping.loss_pct over 20 rounds above 50"_s));
}

void TestAlerts::routeChangesAndAgentsAway()
{
    AlertRule route;
    route.id = 1;
    route.name = u"route"_s;
    route.testId = 4;
    route.testName = u"paths"_s;
    route.event = QString::fromUtf16(AlertRule::ROUTE_CHANGE);
    route.ofRounds = 3;
    AlertRule away;
    away.id = 2;
    away.name = u"away"_s;
    away.event = QString::fromUtf16(AlertRule::AGENT_OFFLINE);
    QString error;
    QVERIFY2(route.check(&error) && away.check(&error), qPrintable(error));
    AlertEvaluator evaluator;
    evaluator.setRules({route, away}, {});
    const auto traced = [](bool changed) {
        Protocol::TracerouteDetail path;
        path.routeChanged = changed;
        Protocol::Round round = Test::round(4, 1000, {{u"traceroute.hops"_s, 3}});
        round.detail = path;
        return QList<Protocol::Round>{round};
    };
    QVERIFY(evaluator.add(9, u"a"_s, {}, traced(false)).isEmpty());
    auto changes = evaluator.add(9, u"a"_s, {}, traced(true));
    QCOMPARE(changes.size(), 1);
    QVERIFY(changes.at(0).inTrouble);
    QVERIFY(evaluator.add(9, u"a"_s, {}, traced(false)).isEmpty());
    QVERIFY(evaluator.add(9, u"a"_s, {}, traced(false)).isEmpty());
    changes = evaluator.add(9, u"a"_s, {}, traced(false)); // three rounds on the same route
    QCOMPARE(changes.size(), 1);
    QVERIFY(!changes.at(0).inTrouble);

    const qint64 now = 10'000'000;
    AgentRecord agent;
    agent.id = 5;
    agent.name = u"edge"_s;
    agent.lastSeenMs = now - 30'000;
    AgentRecord never = agent;
    never.id = 6;
    never.lastSeenMs = 0;
    QVERIFY(evaluator.agentsSeen({agent, never}, now).isEmpty()); // away only half a minute
    changes = evaluator.agentsSeen({agent, never}, now + 31'000);
    QCOMPARE(changes.size(), 1);
    QCOMPARE(changes.at(0).agentId, 5);
    QVERIFY(changes.at(0).inTrouble);
    QVERIFY(evaluator.agentsSeen({agent, never}, now + 40'000).isEmpty()); // said once
    agent.online = true;
    changes = evaluator.agentsSeen({agent, never}, now + 50'000);
    QCOMPARE(changes.size(), 1);
    QVERIFY(!changes.at(0).inTrouble);

    away.testName = u"paths"_s;
    QVERIFY(!away.check(&error) && error.contains(u"--test"_s));
    route.testName.clear();
    QVERIFY(!route.check(&error) && error.contains(u"--test"_s));
}

void TestAlerts::changedRulesStartAfreshAndTroubleIsRestored()
{
    AlertRule rule = lossRule(u"loss"_s, u"wan"_s, 20, 2, 2);
    rule.id = 1;
    rule.testId = 3;
    AlertEvaluator evaluator;
    evaluator.setRules({rule}, {});
    QVERIFY(evaluator.add(9, u"a"_s, {}, {lossRound(3, 1, 50)}).isEmpty());
    // The same rule again (another name does not change how rounds are judged): its window is kept.
    rule.name = u"renamed"_s;
    evaluator.setRules({rule}, {});
    QCOMPARE(evaluator.add(9, u"a"_s, {}, {lossRound(3, 2, 50)}).size(), 1);
    // A stricter rule starts anew; the database says agent 9 is in trouble, so it is.
    rule.raiseLevel = 40;
    evaluator.setRules({rule}, {{1, 9}});
    const auto changes = evaluator.add(9, u"a"_s, {}, {lossRound(3, 3, 0), lossRound(3, 4, 0)});
    QCOMPARE(changes.size(), 1);
    QVERIFY(!changes.at(0).inTrouble);
    QCOMPARE(changes.at(0).timeMs, 3); // 2 of 2 no longer hold after one good round
}

void TestAlerts::rulesAreCheckedBeforeAnythingIsWritten()
{
    QString error;
    qint64 alpha = 0, beta = 0, wan = 0, lan = 0;
    QVERIFY2(seedDatabase(&alpha, &beta, &wan, &lan, &error), qPrintable(error));
    auto local = open();
    QVERIFY(local);
    Operations &operations = local->operations();
    const auto refused = [&](const AlertRule &rule) {
        const auto added = operations.addAlert(rule);
        return added ? QString() : added.error();
    };
    QVERIFY(refused(lossRule(u"x"_s, u"nope"_s, 20)).contains(u"no test named \"nope\""_s));
    AlertRule wrongMetric = lossRule(u"x"_s, u"wan"_s, 20);
    wrongMetric.metric = u"http.total_ms"_s;
    QVERIFY(refused(wrongMetric).contains(u"does not measure http.total_ms"_s));
    AlertRule clear = lossRule(u"x"_s, u"wan"_s, 20);
    clear.clearLevel = 30;
    QVERIFY(refused(clear).contains(u"must not be above"_s));
    AlertRule agents = lossRule(u"x"_s, u"wan"_s, 20);
    agents.agents = *AgentSelection::parse(u"alpha"_s, &error);
    agents.minAgents = 2;
    QVERIFY(refused(agents).contains(u"could never fire"_s));
    AlertRule rounds = lossRule(u"x"_s, u"wan"_s, 20, 3, 2);
    QVERIFY(refused(rounds).contains(u"--of"_s));
    QVERIFY(refused(lossRule(u"bad name!"_s, u"wan"_s, 20)).contains(u"alert name"_s));
    QVERIFY(!AgentSelection::parse(u"all,alpha"_s, &error));
    QVERIFY(!AgentSelection::parse(u" , "_s, &error));
    QVERIFY(operations.alerts()->isEmpty());

    QVERIFY(operations.addAlert(lossRule(u"loss"_s, u"wan"_s, 20)));
    QVERIFY(refused(lossRule(u"loss"_s, u"lan"_s, 20)).contains(u"already an alert named"_s));
    // Per-class and per-instance names count as the type's metric.
    AlertRule perClass = lossRule(u"rtt"_s, u"wan"_s, 20);
    perClass.metric = u"ping.rtt_avg_ms"_s;
    perClass.measure = AlertRule::Measure::Percentile;
    perClass.percentile = 99;
    perClass.window = 30;
    QVERIFY(operations.addAlert(perClass));
    AlertRule away;
    away.name = u"away"_s;
    away.event = QString::fromUtf16(AlertRule::AGENT_OFFLINE);
    QVERIFY2(operations.addAlert(away), qPrintable(operations.addAlert(away).error()));
    AlertRule route = away;
    route.name = u"route"_s;
    route.event = QString::fromUtf16(AlertRule::ROUTE_CHANGE);
    route.testName = u"wan"_s;
    QVERIFY(refused(route).contains(u"route changes are seen by traceroute tests"_s));
    const auto alerts = operations.alerts();
    QCOMPARE(states(*alerts), (QStringList{u"away=ok"_s, u"loss=ok"_s, u"rtt=ok"_s}));
    QCOMPARE(alerts->at(0).rule.event, u"agent-offline"_s);
    QCOMPARE(alerts->at(0).rule.testId, 0);
    QCOMPARE(alerts->at(2).rule.measure, AlertRule::Measure::Percentile);
    QCOMPARE(alerts->at(2).rule.percentile, 99.0);
    QCOMPARE(alerts->at(2).rule.window, 30);
}

void TestAlerts::alertFiresOnceWhenEnoughAgentsAreInTrouble()
{
    QString error;
    qint64 alpha = 0, beta = 0, wan = 0, lan = 0;
    QVERIFY2(seedDatabase(&alpha, &beta, &wan, &lan, &error), qPrintable(error));
    auto local = open();
    QVERIFY(local);
    Operations &operations = local->operations();
    AlertRule rule = lossRule(u"loss"_s, u"wan"_s, 20);
    rule.minAgents = 2;
    rule.severity = AlertSeverity::Critical;
    const auto id = operations.addAlert(rule);
    QVERIFY2(id, qPrintable(id.error()));

    // One agent in trouble: not enough.
    auto sent = notify(operations.recordConditions({{*id, alpha, true, 10000, 50}}));
    QVERIFY2(sent, qPrintable(sent.error()));
    QVERIFY(sent->isEmpty());
    auto alerts = operations.alerts();
    QCOMPARE(states(*alerts), QStringList{u"loss=ok"_s});
    QCOMPARE(alerts->at(0).troubledAgents, QStringList{u"alpha"_s});
    // The second: it fires, one message per target.
    sent = notify(operations.recordConditions({{*id, beta, true, 11000, 60}}));
    QVERIFY2(sent, qPrintable(sent.error()));
    QCOMPARE(sent->size(), 2);
    QCOMPARE(sent->at(0).target, u"webhook:http://127.0.0.1:9/hook"_s);
    QCOMPARE(sent->at(1).target, u"email:noc@example.net"_s);
    const auto message = AlertMessage::fromJson(QJsonDocument::fromJson(sent->at(0).message.toUtf8()).object());
    QVERIFY(message);
    QCOMPARE(message->state, u"firing"_s);
    QCOMPARE(message->severity, u"critical"_s);
    QCOMPARE(message->agents, (QStringList{u"alpha"_s, u"beta"_s}));
    QCOMPARE(message->value, 60.0);
    QCOMPARE(message->threshold, 20.0);
    QCOMPARE(message->testName, u"wan"_s);
    QCOMPARE(message->timeMs, 11000);
    alerts = operations.alerts();
    QCOMPARE(states(*alerts), QStringList{u"loss=firing"_s});
    QCOMPARE(alerts->at(0).open->startedAtMs, 11000);
    // The evidence: a short traceroute from both agents towards the test's target, as a test of its own.
    const QJsonObject diagnosis = QJsonDocument::fromJson(alerts->at(0).open->diagnosis.toUtf8()).object();
    const QString pathTest = u"diag-%1-path"_s.arg(alerts->at(0).open->id);
    QCOMPARE(diagnosis.value(u"tests"_s).toArray(), QJsonArray{pathTest});
    const auto trace = operations.findTest(pathTest);
    QVERIFY(trace && *trace);
    QCOMPARE((*trace)->type, u"traceroute"_s);
    QCOMPARE((*trace)->target, diagnosis.value(u"target"_s).toString());
    QCOMPARE((*trace)->agentNames, (QStringList{u"alpha"_s, u"beta"_s}));
    QCOMPARE((*trace)->durationMs, Operations::DIAGNOSIS_ROUNDS * Operations::DIAGNOSIS_ROUND_MS);
    QCOMPARE((*trace)->params.value(u"probes"_s), QString::number(Operations::DIAGNOSIS_PROBES));
    // Still in trouble on a third report: nothing new is sent.
    sent = notify(operations.recordConditions({{*id, alpha, true, 12000, 70}}));
    QVERIFY(sent && sent->isEmpty());
    // One recovers: fewer than two, so it clears, once.
    sent = notify(operations.recordConditions({{*id, alpha, false, 13000, 0}}));
    QVERIFY2(sent, qPrintable(sent.error()));
    QCOMPARE(sent->size(), 2);
    QCOMPARE(
        AlertMessage::fromJson(QJsonDocument::fromJson(sent->at(1).message.toUtf8()).object())->state, u"cleared"_s);
    sent = notify(operations.recordConditions({{*id, beta, false, 14000, 0}}));
    QVERIFY(sent && sent->isEmpty());
    QCOMPARE(states(*operations.alerts()), QStringList{u"loss=ok"_s});
    const auto incidents = operations.alertIncidents(0, 100000, 10);
    QCOMPARE(incidents->size(), 1);
    QCOMPARE(incidents->at(0).startedAtMs, 11000);
    QCOMPARE(incidents->at(0).clearedAtMs, 13000);
    QCOMPARE(incidents->at(0).agents, (QStringList{u"alpha"_s, u"beta"_s}));
    QCOMPARE(operations.unsentNotifications(10)->size(), 4);
    QStringList kinds;
    const auto events = operations.recentEvents(10);
    for (const EventRecord &event : *events)
        kinds.append(event.kind + u'|' + event.level);
    QVERIFY(kinds.contains(u"alert-fired|error"_s));
    QVERIFY(kinds.contains(u"alert-cleared|info"_s));
}

void TestAlerts::maintenanceSilencesThenNotifiesWhenItCloses()
{
    QString error;
    qint64 alpha = 0, beta = 0, wan = 0, lan = 0;
    QVERIFY2(seedDatabase(&alpha, &beta, &wan, &lan, &error), qPrintable(error));
    auto local = open();
    QVERIFY(local);
    Operations &operations = local->operations();
    const auto id = operations.addAlert(lossRule(u"loss"_s, u"wan"_s, 20));
    QVERIFY(id);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    MaintenanceWindow other;
    other.name = u"lan-work"_s;
    other.fromMs = now - 60000;
    other.toMs = now + 3600000;
    other.tests = {u"lan"_s};
    QVERIFY(operations.addMaintenance(other));
    MaintenanceWindow window = other;
    window.name = u"alpha-work"_s;
    window.tests = {};
    window.agents = *AgentSelection::parse(u"alpha"_s, &error);
    const auto added = operations.addMaintenance(window);
    QVERIFY2(added, qPrintable(added.error()));
    QVERIFY(operations.addMaintenance(window).error().contains(u"already a maintenance window"_s));
    MaintenanceWindow backwards = window;
    backwards.name = u"backwards"_s;
    backwards.toMs = backwards.fromMs - 1;
    QVERIFY(operations.addMaintenance(backwards).error().contains(u"end after it starts"_s));

    // In trouble on alpha only, which is under maintenance: recorded, silenced, nothing sent.
    auto sent = notify(operations.recordConditions({{*id, alpha, true, now, 50}}));
    QVERIFY2(sent, qPrintable(sent.error()));
    QVERIFY(sent->isEmpty());
    auto alerts = operations.alerts();
    QCOMPARE(states(*alerts), QStringList{u"loss=silenced"_s});
    QCOMPARE(alerts->at(0).open->silencedBy, u"alpha-work"_s);
    // The window still open: nothing.
    QVERIFY(notify(operations.endSilences())->isEmpty());
    // It is removed while the alert still fires: now the notifications go out, once.
    QVERIFY(operations.removeMaintenance(u"alpha-work"_s));
    sent = notify(operations.endSilences());
    QVERIFY2(sent, qPrintable(sent.error()));
    QCOMPARE(sent->size(), 2);
    QVERIFY(notify(operations.endSilences())->isEmpty());
    QCOMPARE(states(*operations.alerts()), QStringList{u"loss=firing"_s});
    QVERIFY(operations.removeMaintenance(u"alpha-work"_s).error().contains(u"no maintenance window"_s));

    // A repeating window: open now, and again a week later.
    MaintenanceWindow weekly;
    weekly.name = u"weekly"_s;
    weekly.fromMs = now - 8 * 24 * 3600 * 1000LL;
    weekly.toMs = weekly.fromMs + 2 * 24 * 3600 * 1000LL;
    weekly.everyMs = 7 * 24 * 3600 * 1000LL;
    QVERIFY(weekly.isOpenAt(now));
    QVERIFY(!weekly.isOpenAt(now + 2 * 24 * 3600 * 1000LL));
    QVERIFY(weekly.isOpenAt(now + 7 * 24 * 3600 * 1000LL));
    weekly.toMs = weekly.fromMs + weekly.everyMs;
    QVERIFY(!weekly.check(&error));
}

void TestAlerts::acknowledgedAlertsAndRemovedRulesKeepTheirHistory()
{
    QString error;
    qint64 alpha = 0, beta = 0, wan = 0, lan = 0;
    QVERIFY2(seedDatabase(&alpha, &beta, &wan, &lan, &error), qPrintable(error));
    auto local = open();
    QVERIFY(local);
    Operations &operations = local->operations();
    const auto id = operations.addAlert(lossRule(u"loss"_s, u"wan"_s, 20));
    QVERIFY(id);
    QVERIFY(operations.acknowledgeAlert(u"loss"_s, QString()).error().contains(u"not firing"_s));
    QVERIFY(operations.acknowledgeAlert(u"nope"_s, QString()).error().contains(u"no alert named"_s));
    QVERIFY(notify(operations.recordConditions({{*id, alpha, true, 5000, 50}})));
    const auto acked = operations.acknowledgeAlert(u"loss"_s, u"provider ticket 4711"_s);
    QVERIFY2(acked, qPrintable(acked.error()));
    const auto alerts = operations.alerts();
    QCOMPARE(states(*alerts), QStringList{u"loss=acknowledged"_s});
    QCOMPARE(alerts->at(0).open->ackComment, u"provider ticket 4711"_s);
    QCOMPARE(alerts->at(0).open->ackedBy, u"alice"_s);

    QVERIFY(operations.removeAlert(u"loss"_s));
    QVERIFY(operations.alerts()->isEmpty());
    QVERIFY(operations.removeAlert(u"loss"_s).error().contains(u"no alert named"_s));
    const auto incidents = operations.alertIncidents(0, 100000, 10);
    QCOMPARE(incidents->size(), 1);
    QCOMPARE(incidents->at(0).ruleName, u"loss"_s);
    QVERIFY(incidents->at(0).clearedAtMs != 0);
    // Nothing left to send for a rule that is gone, and a change for it is ignored.
    QVERIFY(operations.unsentNotifications(10)->isEmpty());
    QVERIFY(notify(operations.recordConditions({{*id, alpha, false, 6000, 0}}))->isEmpty());
    // Deleting a test removes its rules.
    QVERIFY(operations.addAlert(lossRule(u"lan-loss"_s, u"lan"_s, 20)));
    QVERIFY(operations.deleteTest(u"lan"_s, false));
    QVERIFY(operations.alerts()->isEmpty());
}

void TestAlerts::deliveryOutcomesAreRecorded()
{
    QString error;
    qint64 alpha = 0, beta = 0, wan = 0, lan = 0;
    QVERIFY2(seedDatabase(&alpha, &beta, &wan, &lan, &error), qPrintable(error));
    auto local = open();
    QVERIFY(local);
    Operations &operations = local->operations();
    const auto id = operations.addAlert(lossRule(u"loss"_s, u"wan"_s, 20));
    const auto sent = notify(operations.recordConditions({{*id, alpha, true, 5000, 50}}));
    QCOMPARE(sent->size(), 2);
    QVERIFY(operations.notificationDone(sent->at(0), false, false, u"busy"_s)); // to be tried again
    QCOMPARE(operations.unsentNotifications(10)->size(), 2);
    QCOMPARE(operations.unsentNotifications(10)->at(0).attempts, 1);
    QVERIFY(operations.notificationDone(sent->at(0), true, true, QString()));
    QVERIFY(operations.notificationDone(sent->at(1), false, true, u"The mail server refused the login."_s));
    QVERIFY(operations.unsentNotifications(10)->isEmpty());
    const auto events = operations.recentEvents(1);
    QCOMPARE(events->at(0).kind, u"alert-notify-failed"_s);
    QVERIFY(events->at(0).text().contains(u"noc@example.net"_s));
    QVERIFY(events->at(0).text().contains(u"refused the login"_s));
}

void TestAlerts::sharedHopIsTheDeepestOnEveryPath()
{
    QCOMPARE(sharedHop({}), QString());
    QCOMPARE(sharedHop({{u"a"_s, u"b"_s}}), u"b"_s);
    QCOMPARE(sharedHop({{u"gw1"_s, u"isp"_s, u"core"_s}, {u"gw2"_s, u"isp"_s, u"core"_s}}), u"core"_s);
    QCOMPARE(sharedHop({{u"gw1"_s, u"isp"_s, u"x"_s}, {u"gw2"_s, u"isp"_s, u"y"_s}}), u"isp"_s);
    QCOMPARE(sharedHop({{u"gw1"_s, u"x"_s}, {u"gw2"_s, u"y"_s}}), QString());
}

bool TestAlerts::seedDatabase(qint64 *alpha, qint64 *beta, qint64 *wan, qint64 *lan, QString *error)
{
    Database db;
    return db.open(url(), u"seed"_s, error) && seed(db, alpha, beta, wan, lan, error);
}

// Three agents whose paths pass the router 10.9.9.1, each watched by an alert of its own.
bool TestAlerts::seedSharedRouter(Operations &operations, qint64 *ids, QString *error)
{
    Database db;
    qint64 alpha = 0, beta = 0, wan = 0, lan = 0;
    if (!db.open(url(), u"seed"_s, error) || !seed(db, &alpha, &beta, &wan, &lan, error))
        return false;
    qint64 gamma = 0;
    if (!enroll(db, u"gamma"_s, &gamma, error, u"host-3"_s))
        return false;
    ids[0] = alpha;
    ids[1] = beta;
    ids[2] = gamma;
    TestRecord uplink;
    uplink.name = u"uplink"_s;
    uplink.type = u"ping"_s;
    uplink.target = u"10.5.0.2"_s;
    uplink.intervalMs = 1000;
    uplink.agentNames = {u"alpha"_s, u"beta"_s, u"gamma"_s};
    TestRecord paths = uplink;
    paths.name = u"paths"_s;
    paths.type = u"traceroute"_s;
    paths.intervalMs = 10000;
    const auto uplinkId = operations.addTest(uplink);
    const auto pathsId = operations.addTest(paths);
    if (!uplinkId || !pathsId) {
        *error = uplinkId ? pathsId.error() : uplinkId.error();
        return false;
    }
    SampleRepository samples(db);
    const qint64 tracedAt = QDateTime::currentMSecsSinceEpoch() - 60000;
    for (int i = 0; i < 3; ++i) {
        Protocol::TracerouteDetail path;
        path.target = u"10.5.0.2"_s;
        path.address = u"10.5.0.2"_s;
        for (const QString &address : {u"10.0.%1.1"_s.arg(i + 1), u"10.9.9.1"_s, u"10.5.0.2"_s}) {
            Protocol::TracerouteHop hop;
            hop.ttl = int(path.hops.size()) + 1;
            hop.address = address;
            path.hops.append(hop);
        }
        Protocol::Round traced = Test::round(*pathsId, tracedAt, {{u"traceroute.hops"_s, 3}});
        traced.detail = path;
        if (!store(samples, ids[i], 1, {traced}, error))
            return false;
    }
    for (const QString &agent : {u"alpha"_s, u"beta"_s, u"gamma"_s}) {
        AlertRule rule = lossRule(u"loss-"_s + agent, u"uplink"_s, 20);
        rule.agents = *AgentSelection::parse(agent, error);
        if (const auto added = operations.addAlert(rule); !added) {
            *error = added.error();
            return false;
        }
    }
    return true;
}

void TestAlerts::alertsBehindASharedHopSendOneMessage()
{
    auto local = open();
    QVERIFY(local);
    Operations &operations = local->operations();
    qint64 agents[3] = {};
    QString error;
    QVERIFY2(seedSharedRouter(operations, agents, &error), qPrintable(error));
    const auto rules = operations.alertRulesState();
    QCOMPARE(rules->rules.size(), 3);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    // The shared router fails: all three see loss within a second or two. Their agents have traced
    // paths, so nothing is sent until the settle time is over.
    for (int i = 0; i < 3; ++i) {
        const auto recorded
            = operations.recordConditions({{rules->rules.at(i).id, agents[i], true, now + i * 500, 100}});
        QVERIFY2(recorded, qPrintable(recorded.error()));
        QVERIFY(recorded->notifications.isEmpty());
        QVERIFY(recorded->nextReleaseMs >= now + AlertNotices::SETTLE_MS);
    }
    QVERIFY(notify(operations.releaseDueAlerts(now))->isEmpty()); // not yet due
    const auto released = operations.releaseDueAlerts(now + AlertNotices::SETTLE_MS + 2000);
    QVERIFY2(released, qPrintable(released.error()));
    // One alert speaks for all three, naming the hop; the two others are held.
    QCOMPARE(released->notifications.size(), 2);
    const auto message
        = AlertMessage::fromJson(QJsonDocument::fromJson(released->notifications.at(0).message.toUtf8()).object());
    QCOMPARE(message->alertName, u"loss-alpha"_s);
    QCOMPARE(message->agents, (QStringList{u"alpha"_s, u"beta"_s, u"gamma"_s}));
    QVERIFY2(message->diagnosis.contains(u"10.9.9.1"_s), qPrintable(message->diagnosis));
    QCOMPARE(released->nextReleaseMs, 0);
    const auto alerts = operations.alerts();
    QCOMPARE(states(*alerts), (QStringList{u"loss-alpha=firing"_s, u"loss-beta=silenced"_s, u"loss-gamma=silenced"_s}));
    QCOMPARE(alerts->at(0).open->sharedHop, u"10.9.9.1"_s);
    QCOMPARE(alerts->at(1).open->heldByName, u"loss-alpha"_s);
    QCOMPARE(alerts->at(2).open->heldByName, u"loss-alpha"_s);
    QCOMPARE(alerts->at(2).open->sharedHop, u"10.9.9.1"_s);
    // A fourth alert behind the same hop, later: held by the one that spoke.
    // The held ones clear without a word; the one that spoke says so once.
    QVERIFY(
        notify(operations.recordConditions({{rules->rules.at(1).id, agents[1], false, now + 20000, 0}}))->isEmpty());
    QVERIFY(
        notify(operations.recordConditions({{rules->rules.at(2).id, agents[2], false, now + 20000, 0}}))->isEmpty());
    const auto cleared
        = notify(operations.recordConditions({{rules->rules.at(0).id, agents[0], false, now + 21000, 0}}));
    QCOMPARE(cleared->size(), 2);
    QCOMPARE(
        AlertMessage::fromJson(QJsonDocument::fromJson(cleared->at(0).message.toUtf8()).object())->state, u"cleared"_s);
    QStringList held;
    const auto events = operations.recentEvents(50);
    for (const EventRecord &event : *events) {
        if (event.kind == u"alert-held")
            held.append(event.text());
    }
    QCOMPARE(held.size(), 2);
    QVERIFY2(held.at(0).contains(u"10.9.9.1"_s), qPrintable(held.at(0)));
}

void TestAlerts::aDependentAlertIsHeldWhileItsParentFires()
{
    QString error;
    qint64 alpha = 0, beta = 0, wan = 0, lan = 0;
    QVERIFY2(seedDatabase(&alpha, &beta, &wan, &lan, &error), qPrintable(error));
    auto local = open();
    QVERIFY(local);
    Operations &operations = local->operations();
    AlertRule uplink = lossRule(u"uplink"_s, u"wan"_s, 20);
    uplink.agents = *AgentSelection::parse(u"alpha"_s, &error);
    AlertRule service = lossRule(u"service"_s, u"lan"_s, 20);
    service.dependsOn = u"uplink"_s;
    QVERIFY(operations.addAlert(service).error().contains(u"no alert named \"uplink\" to depend on"_s));
    const auto parentId = operations.addAlert(uplink);
    const auto childId = operations.addAlert(service);
    QVERIFY(parentId && childId);
    service.dependsOn = u"service"_s;
    service.name = u"service"_s;
    QVERIFY(!service.check(&error));
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    // The child fires first: it waits; the parent fires meanwhile (no paths: it speaks at once).
    auto recorded = operations.recordConditions({{*childId, alpha, true, now, 50}});
    QVERIFY(recorded && recorded->notifications.isEmpty());
    recorded = operations.recordConditions({{*parentId, alpha, true, now + 1000, 50}});
    QCOMPARE(recorded->notifications.size(), 2);
    QVERIFY(notify(operations.releaseDueAlerts(now + AlertNotices::SETTLE_MS + 1000))->isEmpty());
    const auto alerts = operations.alerts();
    QCOMPARE(states(*alerts), (QStringList{u"service=silenced"_s, u"uplink=firing"_s}));
    QCOMPARE(alerts->at(0).open->heldByName, u"uplink"_s);
}

void TestAlerts::anHttpAlertTakesPathLookupAndPhases()
{
    QString error;
    qint64 alpha = 0, beta = 0, wan = 0, lan = 0;
    QVERIFY2(seedDatabase(&alpha, &beta, &wan, &lan, &error), qPrintable(error));
    auto local = open();
    QVERIFY(local);
    Operations &operations = local->operations();
    TestRecord video;
    video.name = u"video"_s;
    video.type = u"http"_s;
    video.target = u"https://media.example.net/watch?v=3&q=hd"_s;
    video.intervalMs = 10000;
    video.allAgents = true;
    video.params = {{u"requests"_s, u"2"_s}};
    QVERIFY(operations.addTest(video));
    AlertRule slow = lossRule(u"slow-video"_s, u"video"_s, 500);
    slow.metric = u"http.total_ms"_s;
    const auto id = operations.addAlert(slow);
    QVERIFY2(id, qPrintable(id.error()));
    QVERIFY(operations.recordConditions({{*id, beta, true, 1000, 900}}));
    const auto alerts = operations.alerts();
    const QJsonObject diagnosis = QJsonDocument::fromJson(alerts->at(0).open->diagnosis.toUtf8()).object();
    QCOMPARE(diagnosis.value(u"target"_s).toString(), u"media.example.net"_s);
    const QString prefix = u"diag-%1-"_s.arg(alerts->at(0).open->id);
    QCOMPARE(diagnosis.value(u"tests"_s).toArray(),
        (QJsonArray{QString(prefix + u"path"_s), QString(prefix + u"dns"_s), QString(prefix + u"http"_s)}));
    const auto phases = operations.findTest(prefix + u"http"_s);
    QVERIFY(phases && *phases);
    QCOMPARE((*phases)->target, video.target);
    QCOMPARE((*phases)->params, video.params);
    QCOMPARE((*phases)->agentNames, QStringList{u"beta"_s});
    QVERIFY(!(*phases)->allAgents);
    QCOMPARE((*phases)->durationMs, video.intervalMs);
    const auto lookup = operations.findTest(prefix + u"dns"_s);
    QCOMPARE((*lookup)->target, u"media.example.net"_s);
}

void TestAlerts::theMapIsSavedForEveryConsole()
{
    auto local = open();
    QVERIFY(local);
    Operations &operations = local->operations();
    QVERIFY(operations.mapLayout()->nodes.isEmpty());
    MapLayout layout;
    layout.nodes = {{MapNode::Kind::Agent, u"alpha"_s, 10.5, -20}, {MapNode::Kind::Target, u"example.net"_s, 300, 40},
        {MapNode::Kind::Hop, u"10.9.9.1"_s, 150, 0}};
    layout.background = QByteArray("\x89PNG\r\n\x1a\n", 8) + QByteArray(1000, '\0');
    QVERIFY(operations.saveMapLayout(layout, true));
    auto read = operations.mapLayout();
    QVERIFY2(read, qPrintable(read.error()));
    QCOMPARE(read->nodes.size(), 3);
    QVERIFY(read->nodes.contains(layout.nodes.at(0)) && read->nodes.contains(layout.nodes.at(2)));
    QCOMPARE(read->background, layout.background);
    // Moving a node keeps the background; clearing the background keeps the nodes.
    layout.nodes[0].x = 99;
    QVERIFY(operations.saveMapLayout(layout, false));
    read = operations.mapLayout();
    QVERIFY(read->nodes.contains(layout.nodes.at(0)));
    QCOMPARE(read->background, layout.background);
    layout.background.clear();
    QVERIFY(operations.saveMapLayout(layout, true));
    QVERIFY(operations.mapLayout()->background.isEmpty());
    QCOMPARE(operations.mapLayout()->nodes.size(), 3);
    // Refused plainly, nothing changed.
    MapLayout bad = layout;
    bad.nodes[1].x = qQNaN();
    QVERIFY(operations.saveMapLayout(bad, false).error().contains(u"no place"_s));
    bad.background = QByteArray(MapLayout::MAX_BACKGROUND_BYTES + 1, 'x');
    bad.nodes[1].x = 0;
    QVERIFY(operations.saveMapLayout(bad, true).error().contains(u"16 MB"_s));
    QCOMPARE(operations.mapLayout()->nodes.size(), 3);
}

void TestAlerts::verdictFollowsWhereLossStarts_data()
{
    QTest::addColumn<QStringList>("hops"); // address/loss, "*" for no answer; the last is the target
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("named");
    QTest::newRow("only the target") << QStringList{u"192.168.1.1/0"_s, u"203.0.113.1/0"_s, u"198.51.100.7/45"_s}
                                     << u"remote"_s << u"198.51.100.7"_s;
    QTest::newRow("the gateway") << QStringList{u"192.168.1.1/50"_s, u"203.0.113.1/50"_s, u"198.51.100.7/50"_s}
                                 << u"local"_s << u"192.168.1.1"_s;
    QTest::newRow("inside the site") << QStringList{u"192.168.1.1/0"_s, u"10.1.0.1/30"_s, u"203.0.113.1/30"_s,
        u"198.51.100.7/30"_s} << u"local"_s
                                     << u"10.1.0.1"_s;
    QTest::newRow("the provider") << QStringList{u"192.168.1.1/0"_s, u"203.0.113.1/40"_s, u"203.0.113.9/40"_s,
        u"198.51.100.7/40"_s} << u"provider"_s
                                  << u"203.0.113.1"_s;
    QTest::newRow("a router ignoring probes")
        << QStringList{u"192.168.1.1/0"_s, u"203.0.113.1/100"_s, u"198.51.100.7/0"_s} << u"clean"_s << QString();
    QTest::newRow("silence from a hop on")
        << QStringList{u"192.168.1.1/0"_s, u"203.0.113.1/0"_s, u"*"_s, u"*"_s} << u"provider"_s << u"hop 3"_s;
}

void TestAlerts::verdictFollowsWhereLossStarts()
{
    QFETCH(QStringList, hops);
    QFETCH(QString, kind);
    QFETCH(QString, named);
    Protocol::TracerouteDetail path;
    path.target = u"198.51.100.7"_s;
    path.address = u"198.51.100.7"_s;
    for (const QString &text : hops) {
        Protocol::TracerouteHop hop;
        hop.ttl = int(path.hops.size()) + 1;
        if (text != u"*") {
            hop.address = text.section(u'/', 0, 0);
            hop.lossPct = text.section(u'/', 1).toDouble();
        }
        path.hops.append(hop);
    }
    const Verdict verdict = Verdict::fromPath(path);
    QCOMPARE(Verdict::kindKey(verdict.kind), kind);
    QVERIFY2(verdict.evidence.contains(named), qPrintable(verdict.evidence));
    QCOMPARE(Verdict::fromJson(verdict.toJson()).kind, verdict.kind);
    QVERIFY(!verdict.text().isEmpty());
    QVERIFY(isSiteAddress(u"fd00::1"_s) && isSiteAddress(u"100.64.0.1"_s) && !isSiteAddress(u"8.8.8.8"_s));
}

QTEST_GUILESS_MAIN(TestAlerts)
#include "tst_alerts.moc"
