// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include <QTest>

#include "console/domain/assignmentplanner.h"
#include "shared/protocol/codec.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm;
using namespace StreamSwarm::Console;

namespace {

constexpr qint64 AGENT_ID = 7;
constexpr qint64 OTHER_AGENT_ID = 8;
constexpr qint64 NOW = 100'000;

TestRecord makeTest(qint64 id, const QString &name, qint64 createdAtMs, qint64 durationMs, bool allAgents,
    const QList<qint64> &agentIds = {}, qint64 stoppedAtMs = 0)
{
    TestRecord test;
    test.id = id;
    test.name = name;
    test.type = u"ping"_s;
    test.target = u"192.0.2.%1"_s.arg(id);
    test.intervalMs = 1000 * id;
    test.durationMs = durationMs;
    test.params = {{u"count"_s, QString::number(id)}};
    test.allAgents = allAgents;
    test.agentIds = agentIds;
    test.createdAtMs = createdAtMs;
    test.stoppedAtMs = stoppedAtMs;
    return test;
}

AgentRecord makeAgent(qint64 id, bool revoked = false)
{
    AgentRecord agent;
    agent.id = id;
    agent.name = u"agent-%1"_s.arg(id);
    agent.revoked = revoked;
    return agent;
}

QStringList names(const Protocol::Assign &assign)
{
    QStringList result;
    for (const Protocol::TestSpec &spec : assign.tests)
        result.append(spec.name);
    return result;
}

// A mix: continuous for everyone, timed for listed agents, stopped, finished, and someone else's.
QList<TestRecord> mixedTests()
{
    return {
        makeTest(1, u"everyone"_s, 0, 0, true),
        makeTest(2, u"listed-timed"_s, 40'000, 90'000, false, {OTHER_AGENT_ID, AGENT_ID}), // ends at 130000
        makeTest(3, u"someone-else"_s, 0, 0, false, {OTHER_AGENT_ID}),
        makeTest(4, u"stopped"_s, 0, 0, true, {}, 50'000),
        makeTest(5, u"finished"_s, 0, 60'000, true), // ended at 60000
        makeTest(6, u"ends-exactly-now"_s, 40'000, 60'000, true), // ends at 100000 = NOW
        makeTest(7, u"everyone-timed"_s, 99'000, 5'000, true, {}), // ends at 104000
        makeTest(8, u"listed-stopped"_s, 0, 0, false, {AGENT_ID}, 1),
    };
}

} // namespace

class TestAssignmentPlanner : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void planPicksRunningTestsForTheAgent();
    void testsForATagGoToAgentsThatCarryIt();
    void scheduledAndPausedTestsWait();
    void planCopiesTheDefinition();
    void otherAgentGetsItsOwnSet();
    void revokedAgentGetsNothing();
    void nothingToRun();
    void assignmentHoldsAtMostTheProtocolsLimit();
    void remainingMsCountsDown_data();
    void remainingMsCountsDown();
    void nextChange_data();
    void nextChange();
    void agentTargetFollowsTheAgentsAddress();
    void agentTargetWaitsWhileOffline();
    void agentTargetUsesTheAnnouncedStampPort();
    void agentTargetOfTurnsStaysAsWritten();
};

void TestAssignmentPlanner::planPicksRunningTestsForTheAgent()
{
    const Protocol::Assign assign = AssignmentPlanner::plan(mixedTests(), makeAgent(AGENT_ID), NOW);
    QCOMPARE(names(assign), (QStringList{u"everyone"_s, u"listed-timed"_s, u"everyone-timed"_s}));
}

void TestAssignmentPlanner::planCopiesTheDefinition()
{
    const Protocol::Assign assign = AssignmentPlanner::plan(mixedTests(), makeAgent(AGENT_ID), NOW);
    QCOMPARE(assign.tests.size(), 3);

    const Protocol::TestSpec &continuous = assign.tests.at(0);
    QCOMPARE(continuous.id, qint64(1));
    QCOMPARE(continuous.type, u"ping"_s);
    QCOMPARE(continuous.target, u"192.0.2.1"_s);
    QCOMPARE(continuous.intervalMs, qint64(1000));
    QCOMPARE(continuous.durationMs, qint64(0));
    QCOMPARE(continuous.remainingMs, qint64(0)); // continuous: no end
    QCOMPARE(continuous.params, (QMap<QString, QString>{{u"count"_s, u"1"_s}}));

    const Protocol::TestSpec &timed = assign.tests.at(1);
    QCOMPARE(timed.id, qint64(2));
    QCOMPARE(timed.target, u"192.0.2.2"_s);
    QCOMPARE(timed.intervalMs, qint64(2000));
    QCOMPARE(timed.durationMs, qint64(90'000));
    QCOMPARE(timed.remainingMs, qint64(30'000)); // 40000 + 90000 - 100000
    QCOMPARE(timed.params, (QMap<QString, QString>{{u"count"_s, u"2"_s}}));

    QCOMPARE(assign.tests.at(2).remainingMs, qint64(4000)); // 99000 + 5000 - 100000
}

void TestAssignmentPlanner::otherAgentGetsItsOwnSet()
{
    const Protocol::Assign assign = AssignmentPlanner::plan(mixedTests(), makeAgent(OTHER_AGENT_ID), NOW);
    QCOMPARE(names(assign), (QStringList{u"everyone"_s, u"listed-timed"_s, u"someone-else"_s, u"everyone-timed"_s}));

    // An agent named by no test still gets the tests for everyone.
    const Protocol::Assign stranger = AssignmentPlanner::plan(mixedTests(), makeAgent(99), NOW);
    QCOMPARE(names(stranger), (QStringList{u"everyone"_s, u"everyone-timed"_s}));
}

void TestAssignmentPlanner::revokedAgentGetsNothing()
{
    QVERIFY(AssignmentPlanner::plan(mixedTests(), makeAgent(AGENT_ID, true), NOW).tests.isEmpty());
    QVERIFY(AssignmentPlanner::plan(mixedTests(), makeAgent(OTHER_AGENT_ID, true), NOW).tests.isEmpty());
}

void TestAssignmentPlanner::assignmentHoldsAtMostTheProtocolsLimit()
{
    // Rows made by hand or by an older console may give an agent more tests than an assignment may
    // carry: the agent would refuse all of them. The oldest go, the rest are counted.
    QList<TestRecord> tests;
    for (int i = 1; i <= Protocol::MAX_TESTS_PER_ASSIGN + 3; ++i)
        tests.append(makeTest(i, u"t%1"_s.arg(i), 0, 0, i % 2 == 0, {AGENT_ID}));
    int leftOut = -1;
    const Protocol::Assign assign = AssignmentPlanner::plan(tests, makeAgent(AGENT_ID), NOW, {}, &leftOut);
    QCOMPARE(assign.tests.size(), Protocol::MAX_TESTS_PER_ASSIGN);
    QCOMPARE(leftOut, 3);
    QCOMPARE(assign.tests.constFirst().name, u"t1"_s);
    QCOMPARE(assign.tests.constLast().name, u"t%1"_s.arg(Protocol::MAX_TESTS_PER_ASSIGN));
    // What goes out decodes on the agent's side.
    Protocol::DecodeError error;
    QVERIFY2(Protocol::decode(Protocol::encode({assign}), &error), qPrintable(error.reason));
    tests.removeLast();
    tests.removeLast();
    tests.removeLast();
    QCOMPARE(AssignmentPlanner::plan(tests, makeAgent(AGENT_ID), NOW, {}, &leftOut).tests.size(),
        Protocol::MAX_TESTS_PER_ASSIGN);
    QCOMPARE(leftOut, 0);
}

void TestAssignmentPlanner::nothingToRun()
{
    QVERIFY(AssignmentPlanner::plan({}, makeAgent(AGENT_ID), NOW).tests.isEmpty());
    const QList<TestRecord> over{
        makeTest(4, u"stopped"_s, 0, 0, true, {}, 50'000), makeTest(5, u"finished"_s, 0, 60'000, true)};
    QVERIFY(AssignmentPlanner::plan(over, makeAgent(AGENT_ID), NOW).tests.isEmpty());
}

void TestAssignmentPlanner::remainingMsCountsDown_data()
{
    QTest::addColumn<qint64>("nowMs");
    QTest::addColumn<bool>("running");
    QTest::addColumn<qint64>("remainingMs");

    // Created at 40000 for 90000: runs in [40000, 130000).
    QTest::newRow("at creation") << qint64(40'000) << true << qint64(90'000);
    QTest::newRow("half way") << qint64(85'000) << true << qint64(45'000);
    QTest::newRow("last ms") << qint64(129'999) << true << qint64(1);
    QTest::newRow("at the end") << qint64(130'000) << false << qint64(0);
    QTest::newRow("after the end") << qint64(200'000) << false << qint64(0);
}

void TestAssignmentPlanner::remainingMsCountsDown()
{
    QFETCH(qint64, nowMs);
    QFETCH(bool, running);
    QFETCH(qint64, remainingMs);

    const QList<TestRecord> tests{makeTest(2, u"listed-timed"_s, 40'000, 90'000, false, {AGENT_ID})};
    const Protocol::Assign assign = AssignmentPlanner::plan(tests, makeAgent(AGENT_ID), nowMs);
    QCOMPARE(assign.tests.size(), running ? 1 : 0);
    if (running)
        QCOMPARE(assign.tests.first().remainingMs, remainingMs);
}

void TestAssignmentPlanner::nextChange_data()
{
    QTest::addColumn<QList<TestRecord>>("tests");
    QTest::addColumn<qint64>("nowMs");
    QTest::addColumn<qint64>("expected");

    QTest::newRow("mixed: the soonest running end") << mixedTests() << NOW << qint64(104'000);
    QTest::newRow("mixed, later: the next end") << mixedTests() << qint64(104'000) << qint64(130'000);
    QTest::newRow("mixed, all timed over") << mixedTests() << qint64(130'000) << qint64(0);
    QTest::newRow("nothing") << QList<TestRecord>{} << NOW << qint64(0);
    QTest::newRow("only continuous") << QList<TestRecord>{makeTest(1, u"a"_s, 0, 0, true)} << NOW << qint64(0);
    QTest::newRow("stopped timed test ignored")
        << QList<TestRecord>{makeTest(1, u"a"_s, 90'000, 60'000, true, {}, 95'000)} << NOW << qint64(0);
    QTest::newRow("order does not matter") << QList<TestRecord>{makeTest(1, u"late"_s, 0, 500'000, true),
        makeTest(2, u"soon"_s, 0, 200'000, true), makeTest(3, u"later"_s, 0, 300'000, true)}
                                           << NOW << qint64(200'000);
}

void TestAssignmentPlanner::nextChange()
{
    QFETCH(QList<TestRecord>, tests);
    QFETCH(qint64, nowMs);
    QFETCH(qint64, expected);
    QCOMPARE(AssignmentPlanner::nextChangeMs(tests, nowMs), expected);
}

// A qos test to "agent:NAME" is sent with the address that agent connects from; when it comes back
// from another address, the planned spec differs (so the console sends the assignment again).
void TestAssignmentPlanner::agentTargetFollowsTheAgentsAddress()
{
    TestRecord qos = makeTest(9, u"to-branch"_s, 0, 0, true);
    qos.type = u"qos"_s;
    qos.target = u"agent:branch-7"_s;
    const QList<TestRecord> tests{qos};
    AgentAddresses addresses;
    addresses.online.insert(u"branch-7"_s, QHostAddress(u"198.51.100.7"_s));
    addresses.consoleAddress = QHostAddress(u"203.0.113.1"_s);
    const Protocol::Assign first = AssignmentPlanner::plan(tests, makeAgent(AGENT_ID), NOW, addresses);
    QCOMPARE(first.tests.size(), 1);
    QCOMPARE(first.tests.constFirst().target, u"198.51.100.7"_s);

    // Reconnected from elsewhere: a different spec, so a different assignment.
    addresses.online.insert(u"branch-7"_s, QHostAddress(u"198.51.100.8"_s));
    const Protocol::Assign moved = AssignmentPlanner::plan(tests, makeAgent(AGENT_ID), NOW, addresses);
    QCOMPARE(moved.tests.constFirst().target, u"198.51.100.8"_s);
    QVERIFY(!(moved.tests.constFirst() == first.tests.constFirst()));

    // A dual-stack listener sees IPv4 peers as v4-mapped IPv6: measured over IPv4.
    addresses.online.insert(u"branch-7"_s, QHostAddress(u"::ffff:198.51.100.9"_s));
    QCOMPARE(AssignmentPlanner::plan(tests, makeAgent(AGENT_ID), NOW, addresses).tests.constFirst().target,
        u"198.51.100.9"_s);

    // On the console's own host (loopback): other hosts reach it at the console's address...
    addresses.online.insert(u"branch-7"_s, QHostAddress(QHostAddress::LocalHost));
    QCOMPARE(AssignmentPlanner::plan(tests, makeAgent(AGENT_ID), NOW, addresses).tests.constFirst().target,
        u"203.0.113.1"_s);
    // ... unless the measuring agent reached the console over loopback too.
    addresses.consoleAddress = QHostAddress(QHostAddress::LocalHost);
    QCOMPARE(
        AssignmentPlanner::plan(tests, makeAgent(AGENT_ID), NOW, addresses).tests.constFirst().target, u"127.0.0.1"_s);
}

// While the named agent is offline its test is left out (the others go on) and counts as waiting.
void TestAssignmentPlanner::agentTargetWaitsWhileOffline()
{
    TestRecord qos = makeTest(9, u"to-branch"_s, 0, 0, true);
    qos.type = u"qos"_s;
    qos.target = u"agent:branch-7"_s;
    const QList<TestRecord> tests{makeTest(1, u"ping"_s, 0, 0, true), qos};
    const Protocol::Assign assign = AssignmentPlanner::plan(tests, makeAgent(AGENT_ID), NOW, {});
    QCOMPARE(names(assign), QStringList{u"ping"_s});
    const QMap<qint64, QString> waiting = AssignmentPlanner::waitingForTarget(tests, {}, NOW);
    QCOMPARE(waiting.size(), 1);
    QCOMPARE(waiting.value(9), u"branch-7"_s);
    const QHash<QString, QHostAddress> online{{u"branch-7"_s, QHostAddress(u"198.51.100.7"_s)}};
    QVERIFY(AssignmentPlanner::waitingForTarget(tests, online, NOW).isEmpty());
}

// The target agent's reflector listens where its --stamp-port says (its hello announces it), not
// on 862; a port the test names itself still wins.
void TestAssignmentPlanner::agentTargetUsesTheAnnouncedStampPort()
{
    TestRecord qos = makeTest(9, u"to-branch"_s, 0, 0, true);
    qos.type = u"qos"_s;
    qos.target = u"agent:branch-7"_s;
    AgentAddresses addresses;
    addresses.online.insert(u"branch-7"_s, QHostAddress(u"198.51.100.7"_s));
    const auto planned = [&](const TestRecord &test) {
        return AssignmentPlanner::plan({test}, makeAgent(AGENT_ID), NOW, addresses).tests.constFirst();
    };
    QVERIFY(!planned(qos).params.contains(u"port"_s)); // announced nothing: the standard port

    addresses.stampPorts.insert(u"branch-7"_s, 8620);
    QCOMPARE(planned(qos).params.value(u"port"_s), u"8620"_s);

    TestRecord pinned = qos;
    pinned.params.insert(u"port"_s, u"4000"_s);
    QCOMPARE(planned(pinned).params.value(u"port"_s), u"4000"_s);
}

// A bandwidth test between agents keeps agent:NAME: its agent asks the console for a turn each
// round, so it stays assigned while the named agent is away (each round says so) and never waits.
void TestAssignmentPlanner::agentTargetOfTurnsStaysAsWritten()
{
    TestRecord bandwidth = makeTest(9, u"to-branch"_s, 0, 0, true);
    bandwidth.type = u"bandwidth"_s;
    bandwidth.target = u"agent:branch-7"_s;
    bandwidth.intervalMs = 60'000;
    bandwidth.params = {{u"method"_s, u"agent"_s}};
    const QList<TestRecord> tests{bandwidth};
    QCOMPARE(AssignmentPlanner::plan(tests, makeAgent(AGENT_ID), NOW, {}).tests.size(), 1); // branch-7 away
    AgentAddresses addresses;
    addresses.online.insert(u"branch-7"_s, QHostAddress(u"198.51.100.7"_s));
    const Protocol::Assign assign = AssignmentPlanner::plan(tests, makeAgent(AGENT_ID), NOW, addresses);
    QCOMPARE(assign.tests.constFirst().target, u"agent:branch-7"_s);
    QVERIFY(AssignmentPlanner::waitingForTarget(tests, {}, NOW).isEmpty());
}

void TestAssignmentPlanner::testsForATagGoToAgentsThatCarryIt()
{
    TestRecord byTag = makeTest(1, u"by-tag"_s, 0, 0, false);
    byTag.agentTags = {u"core"_s, u"edge"_s};
    TestRecord byNameAndTag = makeTest(2, u"by-name-and-tag"_s, 0, 0, false, {OTHER_AGENT_ID});
    byNameAndTag.agentTags = {u"lab"_s};
    AgentRecord agent = makeAgent(AGENT_ID);
    QCOMPARE(names(AssignmentPlanner::plan({byTag, byNameAndTag}, agent, NOW)), QStringList());
    agent.tags = {u"edge"_s};
    QCOMPARE(names(AssignmentPlanner::plan({byTag, byNameAndTag}, agent, NOW)), QStringList{u"by-tag"_s});
    agent.tags = {u"edge"_s, u"lab"_s};
    QCOMPARE(names(AssignmentPlanner::plan({byTag, byNameAndTag}, agent, NOW)),
        (QStringList{u"by-tag"_s, u"by-name-and-tag"_s}));
    // Named, without the tag: still its test.
    QCOMPARE(names(AssignmentPlanner::plan({byTag, byNameAndTag}, makeAgent(OTHER_AGENT_ID), NOW)),
        QStringList{u"by-name-and-tag"_s});
    // A tag is a whole word: "cor" is not "core".
    agent.tags = {u"cor"_s};
    QCOMPARE(names(AssignmentPlanner::plan({byTag}, agent, NOW)), QStringList());
}

void TestAssignmentPlanner::scheduledAndPausedTestsWait()
{
    TestRecord later = makeTest(1, u"later"_s, 0, 10'000, true);
    later.startsAtMs = NOW + 5'000;
    TestRecord paused = makeTest(2, u"paused"_s, 0, 0, true);
    paused.pausedAtMs = NOW - 1;
    const AgentRecord agent = makeAgent(AGENT_ID);
    QCOMPARE(later.stateAt(NOW), TestState::Scheduled);
    QCOMPARE(paused.stateAt(NOW), TestState::Paused);
    QCOMPARE(names(AssignmentPlanner::plan({later, paused}, agent, NOW)), QStringList());
    // Re-planned when it starts; then it runs for its duration, counted from its start.
    QCOMPARE(AssignmentPlanner::nextChangeMs({later, paused}, NOW), NOW + 5'000);
    const Protocol::Assign started = AssignmentPlanner::plan({later, paused}, agent, NOW + 5'000);
    QCOMPARE(names(started), QStringList{u"later"_s});
    QCOMPARE(started.tests.first().remainingMs, qint64(10'000));
    QCOMPARE(AssignmentPlanner::nextChangeMs({later}, NOW + 5'000), NOW + 15'000);
    QCOMPARE(later.stateAt(NOW + 15'000), TestState::Finished);
    // A paused test whose time is up has finished: there is nothing left to resume.
    paused.durationMs = 1'000;
    QCOMPARE(paused.stateAt(NOW), TestState::Finished);
}

QTEST_APPLESS_MAIN(TestAssignmentPlanner)

#include "tst_assignmentplanner.moc"
