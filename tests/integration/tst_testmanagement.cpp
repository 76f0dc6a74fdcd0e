// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include "tests/support/processharness.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm::Test;

// Managing tests and agents over their life, through the real console and two real agents: tests
// given to a tag follow the agents that carry it, pause and resume, edits that reach the agents at
// once, a start later on, deletion with or without the data, and renamed agents. Each step is checked
// on what the agents measured (the exported samples), not on what the console says.
class TestTestManagement : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void testsForATagFollowTheAgentsThatCarryIt();
    void pauseStopsRoundsAndResumeBringsThemBack();
    void editReachesTheAgentAtOnce();
    void scheduledTestWaitsForItsStart();
    void deleteKeepsOrDeletesTheData();
    void renamedAgentKeepsItsTestsAndTargets();
    void refusalsSayWhatToDo_data();
    void refusalsSayWhatToDo();
    void cleanupTestCase();

private:
    struct Sample
    {
        qint64 timeMs = 0;
        QString agent;
    };
    // Rounds of a test as exported: one connect-time sample per round.
    QList<Sample> rounds(const QString &test) const;
    QList<qint64> roundTimes(const QString &test, const QString &agent) const;
    QJsonObject testInfo(const QString &name) const;
    void startAgent(const QString &name, const QString &token);
    CommandResult cli(const QStringList &arguments) const { return m_console->cli(arguments); }

    QTemporaryDir m_dir;
    std::unique_ptr<ConsoleHarness> m_console;
    std::vector<std::unique_ptr<ManagedProcess>> m_agents;
    QTcpServer m_target; // what the tcp tests connect to
    QString m_targetAddress;
};

void TestTestManagement::initTestCase()
{
    QVERIFY(QFile::exists(consoleBinary()));
    QVERIFY(QFile::exists(agentBinary()));
    QVERIFY(m_dir.isValid());
    QVERIFY(m_target.listen(QHostAddress::LocalHost));
    connect(&m_target, &QTcpServer::newConnection, this, [this] {
        while (QTcpSocket *socket = m_target.nextPendingConnection()) {
            socket->close();
            socket->deleteLater();
        }
    });
    m_targetAddress = u"127.0.0.1:"_s + QString::number(m_target.serverPort());
    m_console = std::make_unique<ConsoleHarness>(m_dir.filePath(u"console"_s));
    QVERIFY2(m_console->start(), qPrintable(m_console->process().output()));
    const CommandResult token = cli({u"token"_s, u"create"_s, u"lab"_s, u"--uses"_s, u"2"_s});
    QCOMPARE(token.exitCode, 0);
    startAgent(u"edge-1"_s, token.out.trimmed());
    startAgent(u"edge-2"_s, token.out.trimmed());
    for (const QString &name : {u"edge-1"_s, u"edge-2"_s}) {
        QVERIFY2(m_console->process().waitForOutput(u"agent "_s + name + u" online"_s, 10000),
            qPrintable(m_console->process().output()));
    }
}

void TestTestManagement::startAgent(const QString &name, const QString &token)
{
    m_agents.push_back(std::make_unique<ManagedProcess>(agentBinary(),
        QStringList{u"--server"_s, m_console->serverUrl(), u"--name"_s, name, u"--state-dir"_s, m_dir.filePath(name),
            u"--token"_s, token, u"--insecure"_s}));
    m_agents.back()->start();
}

QList<TestTestManagement::Sample> TestTestManagement::rounds(const QString &test) const
{
    const CommandResult exported = cli({u"export"_s, u"--format"_s, u"csv"_s, u"--test"_s, test});
    QList<Sample> samples;
    for (const QString &line : exported.out.split(u'\n', Qt::SkipEmptyParts)) {
        const QStringList fields = line.split(u',');
        if (fields.size() >= 4 && fields.at(3) == u"tcp.connect_ms")
            samples.append({QDateTime::fromString(fields.at(0), Qt::ISODateWithMs).toMSecsSinceEpoch(), fields.at(1)});
    }
    return samples;
}

QList<qint64> TestTestManagement::roundTimes(const QString &test, const QString &agent) const
{
    QList<qint64> times;
    for (const Sample &sample : rounds(test)) {
        if (sample.agent == agent)
            times.append(sample.timeMs);
    }
    std::sort(times.begin(), times.end());
    return times;
}

QJsonObject TestTestManagement::testInfo(const QString &name) const
{
    const CommandResult listed = cli({u"test"_s, u"list"_s, u"--json"_s});
    for (const QJsonValue &test : QJsonDocument::fromJson(listed.out.toUtf8()).array()) {
        if (test[u"name"_s].toString() == name)
            return test.toObject();
    }
    return {};
}

void TestTestManagement::testsForATagFollowTheAgentsThatCarryIt()
{
    const CommandResult tagged = cli({u"agent"_s, u"tag"_s, u"edge-1"_s, u"core"_s, u"branch"_s});
    QVERIFY2(tagged.exitCode == 0, qPrintable(tagged.err));
    QCOMPARE(tagged.out.trimmed(), u"Agent \"edge-1\" now has the tags: branch, core."_s);
    const CommandResult added = cli({u"test"_s, u"add"_s, u"--name"_s, u"by-tag"_s, u"--type"_s, u"tcp"_s,
        u"--target"_s, m_targetAddress, u"--interval"_s, u"200ms"_s, u"--continuous"_s, u"--agents"_s, u"tag:core"_s});
    QVERIFY2(added.exitCode == 0, qPrintable(added.err));
    QVERIFY2(added.err.isEmpty(), qPrintable(added.err)); // an agent carries the tag: no warning
    QTRY_VERIFY_WITH_TIMEOUT(roundTimes(u"by-tag"_s, u"edge-1"_s).size() >= 3, 10000);
    QVERIFY(roundTimes(u"by-tag"_s, u"edge-2"_s).isEmpty());

    // Tagged later, edge-2 starts too; untagged, edge-1 stops.
    QCOMPARE(cli({u"agent"_s, u"tag"_s, u"edge-2"_s, u"core"_s}).exitCode, 0);
    QTRY_VERIFY_WITH_TIMEOUT(roundTimes(u"by-tag"_s, u"edge-2"_s).size() >= 3, 10000);
    const CommandResult untagged = cli({u"agent"_s, u"untag"_s, u"edge-1"_s, u"core"_s});
    QCOMPARE(untagged.out.trimmed(), u"Agent \"edge-1\" now has the tags: branch."_s);
    const qint64 untaggedAt = QDateTime::currentMSecsSinceEpoch();
    QVERIFY(m_agents.at(0)->waitForOutput(u"stopped test by-tag"_s, 5000));
    const qint64 edge2Count = roundTimes(u"by-tag"_s, u"edge-2"_s).size();
    QTRY_VERIFY_WITH_TIMEOUT(roundTimes(u"by-tag"_s, u"edge-2"_s).size() >= edge2Count + 5, 10000);
    // Rounds that had started when the change arrived may land just after it; none later than that.
    QVERIFY(roundTimes(u"by-tag"_s, u"edge-1"_s).last() < untaggedAt + 1000);

    const CommandResult agents = cli({u"agent"_s, u"list"_s, u"--json"_s});
    const QJsonArray list = QJsonDocument::fromJson(agents.out.toUtf8()).array();
    QCOMPARE(list.at(0)[u"tags"_s].toArray(), QJsonArray({u"branch"_s}));
    // Where each connection comes from, as the console saw it (the agents dial 127.0.0.1).
    QCOMPARE(list.at(0)[u"address"_s].toString(), u"127.0.0.1"_s);
    QCOMPARE(list.at(1)[u"address"_s].toString(), u"127.0.0.1"_s);
    QCOMPARE(list.at(1)[u"tags"_s].toArray(), QJsonArray({u"core"_s}));
    QCOMPARE(testInfo(u"by-tag"_s)[u"agents"_s].toString(), u"tag:core"_s);

    // A tag nobody has is most likely a typo: said, but the test is kept for agents tagged later.
    const CommandResult nobody = cli({u"test"_s, u"add"_s, u"--name"_s, u"nobody"_s, u"--type"_s, u"tcp"_s,
        u"--target"_s, m_targetAddress, u"--agents"_s, u"tag:cor"_s});
    QCOMPARE(nobody.exitCode, 0);
    QVERIFY2(nobody.err.contains(u"No agent has the tag \"cor\" yet"_s), qPrintable(nobody.err));
    QCOMPARE(cli({u"test"_s, u"delete"_s, u"nobody"_s, u"--delete-data"_s}).exitCode, 0);
    QCOMPARE(cli({u"test"_s, u"stop"_s, u"by-tag"_s}).exitCode, 0);
}

void TestTestManagement::pauseStopsRoundsAndResumeBringsThemBack()
{
    QCOMPARE(cli({u"test"_s, u"add"_s, u"--name"_s, u"pausing"_s, u"--type"_s, u"tcp"_s, u"--target"_s, m_targetAddress,
                     u"--interval"_s, u"200ms"_s, u"--continuous"_s, u"--agents"_s, u"edge-1"_s})
                 .exitCode,
        0);
    QTRY_VERIFY_WITH_TIMEOUT(roundTimes(u"pausing"_s, u"edge-1"_s).size() >= 3, 10000);
    const CommandResult paused = cli({u"test"_s, u"pause"_s, u"pausing"_s});
    QVERIFY2(paused.exitCode == 0, qPrintable(paused.err));
    const qint64 pausedAt = QDateTime::currentMSecsSinceEpoch();
    QCOMPARE(testInfo(u"pausing"_s)[u"state"_s].toString(), u"paused"_s);
    QVERIFY(m_agents.at(0)->waitForOutput(u"stopped test pausing"_s, 5000));
    // Paused twice is a mistake worth saying.
    const CommandResult again = cli({u"test"_s, u"pause"_s, u"pausing"_s});
    QCOMPARE(again.exitCode, 1);
    QVERIFY2(again.err.contains(u"no test named \"pausing\" that runs or waits to start"_s), qPrintable(again.err));

    // Two seconds without a round (ten would have run), then rounds again once resumed.
    QTest::qWait(2000);
    const QList<qint64> whilePaused = roundTimes(u"pausing"_s, u"edge-1"_s);
    QVERIFY2(whilePaused.last() < pausedAt + 1000, "a round ran while the test was paused");
    const CommandResult resumed = cli({u"test"_s, u"resume"_s, u"pausing"_s});
    QVERIFY2(resumed.exitCode == 0, qPrintable(resumed.err));
    const qint64 resumedAt = QDateTime::currentMSecsSinceEpoch();
    QTRY_VERIFY_WITH_TIMEOUT(roundTimes(u"pausing"_s, u"edge-1"_s).size() >= whilePaused.size() + 3, 10000);
    QVERIFY(roundTimes(u"pausing"_s, u"edge-1"_s).last() >= resumedAt - 100);
    QCOMPARE(testInfo(u"pausing"_s)[u"state"_s].toString(), u"running"_s);
    const CommandResult notPaused = cli({u"test"_s, u"resume"_s, u"pausing"_s});
    QCOMPARE(notPaused.exitCode, 1);
    QVERIFY2(notPaused.err.contains(u"There is no paused test named \"pausing\""_s), qPrintable(notPaused.err));
    QCOMPARE(cli({u"test"_s, u"stop"_s, u"pausing"_s}).exitCode, 0);
}

void TestTestManagement::editReachesTheAgentAtOnce()
{
    QCOMPARE(cli({u"test"_s, u"add"_s, u"--name"_s, u"editing"_s, u"--type"_s, u"tcp"_s, u"--target"_s, m_targetAddress,
                     u"--interval"_s, u"200ms"_s, u"--continuous"_s, u"--agents"_s, u"edge-1"_s})
                 .exitCode,
        0);
    QTRY_VERIFY_WITH_TIMEOUT(roundTimes(u"editing"_s, u"edge-1"_s).size() >= 5, 10000);
    const CommandResult edited = cli({u"test"_s, u"edit"_s, u"editing"_s, u"--interval"_s, u"1s"_s, u"--agents"_s,
        u"edge-2"_s, u"--rename"_s, u"edited"_s});
    QVERIFY2(edited.exitCode == 0, qPrintable(edited.err));
    const qint64 editedAt = QDateTime::currentMSecsSinceEpoch();
    // The data stays with the test under its new name; edge-2 now runs it, once a second.
    QVERIFY(testInfo(u"editing"_s).isEmpty());
    QCOMPARE(testInfo(u"edited"_s)[u"intervalMs"_s].toInteger(), 1000);
    QCOMPARE(testInfo(u"edited"_s)[u"agents"_s].toString(), u"edge-2"_s);
    QVERIFY(m_agents.at(0)->waitForOutput(u"stopped test editing"_s, 5000));
    QTRY_VERIFY_WITH_TIMEOUT(roundTimes(u"edited"_s, u"edge-2"_s).size() >= 4, 10000);
    const QList<qint64> times = roundTimes(u"edited"_s, u"edge-2"_s);
    QVERIFY2(times.first() - editedAt < 1500, qPrintable(QString::number(times.first() - editedAt)));
    for (qsizetype i = 1; i < times.size(); ++i)
        QVERIFY2(qAbs(times.at(i) - times.at(i - 1) - 1000) < 150,
            qPrintable(QString::number(times.at(i) - times.at(i - 1))));
    QVERIFY(roundTimes(u"edited"_s, u"edge-1"_s).size() >= 5);

    // The audit trail says what changed.
    const CommandResult events = cli({u"event"_s, u"list"_s, u"--limit"_s, u"5"_s});
    QVERIFY2(events.out.contains(u"Test \"editing\" changed: name editing → edited; interval 200ms → 1s; "
                                 "agents edge-1 → edge-2"_s),
        qPrintable(events.out));
    // Nothing to change is no change.
    QCOMPARE(cli({u"test"_s, u"edit"_s, u"edited"_s, u"--interval"_s, u"1s"_s}).exitCode, 0);
    QVERIFY(!cli({u"event"_s, u"list"_s, u"--limit"_s, u"1"_s}).out.contains(u"interval 1s → 1s"_s));
    QCOMPARE(cli({u"test"_s, u"stop"_s, u"edited"_s}).exitCode, 0);
}

void TestTestManagement::scheduledTestWaitsForItsStart()
{
    const CommandResult added
        = cli({u"test"_s, u"add"_s, u"--name"_s, u"later"_s, u"--type"_s, u"tcp"_s, u"--target"_s, m_targetAddress,
            u"--interval"_s, u"200ms"_s, u"--duration"_s, u"2s"_s, u"--start"_s, u"+3s"_s, u"--agents"_s, u"edge-1"_s});
    QVERIFY2(added.exitCode == 0, qPrintable(added.err));
    QVERIFY2(added.out.contains(u"It starts at "_s), qPrintable(added.out));
    const QJsonObject info = testInfo(u"later"_s);
    QCOMPARE(info[u"state"_s].toString(), u"scheduled"_s);
    const qint64 startsAt = QDateTime::fromString(info[u"starts"_s].toString(), Qt::ISODateWithMs).toMSecsSinceEpoch();
    QVERIFY(m_agents.at(0)->waitForOutput(u"started test later"_s, 8000));
    QVERIFY(m_agents.at(0)->waitForOutput(u"stopped test later"_s, 6000));
    QTRY_VERIFY_WITH_TIMEOUT(roundTimes(u"later"_s, u"edge-1"_s).size() >= 8, 5000);
    const QList<qint64> times = roundTimes(u"later"_s, u"edge-1"_s);
    QVERIFY2(times.first() >= startsAt - 100, qPrintable(QString::number(times.first() - startsAt)));
    QVERIFY2(times.first() < startsAt + 1000, qPrintable(QString::number(times.first() - startsAt)));
    QVERIFY2(times.last() < startsAt + 2000 + 300, qPrintable(QString::number(times.last() - startsAt)));
    QCOMPARE(testInfo(u"later"_s)[u"state"_s].toString(), u"finished"_s);
}

void TestTestManagement::deleteKeepsOrDeletesTheData()
{
    // "later" has rounds: kept under a name of its own, and the old name is free again.
    const qsizetype before = rounds(u"later"_s).size();
    QVERIFY(before >= 8);
    const CommandResult unsure = cli({u"test"_s, u"delete"_s, u"later"_s});
    QCOMPARE(unsure.exitCode, 2);
    QVERIFY2(unsure.err.contains(u"--keep-data"_s) && unsure.err.contains(u"--delete-data"_s), qPrintable(unsure.err));
    const CommandResult kept = cli({u"test"_s, u"delete"_s, u"later"_s, u"--keep-data"_s});
    QVERIFY2(kept.exitCode == 0, qPrintable(kept.err));
    const QString keptName = kept.out.section(u'"', 3, 3);
    QVERIFY2(keptName.startsWith(u"later.deleted-"_s), qPrintable(kept.out));
    QVERIFY(testInfo(u"later"_s).isEmpty());
    QVERIFY(testInfo(keptName).isEmpty()); // not among the tests any more, unless asked for
    const CommandResult all = cli({u"test"_s, u"list"_s, u"--all"_s});
    QVERIFY2(all.out.contains(keptName) && all.out.contains(u"deleted"_s), qPrintable(all.out));
    QCOMPARE(rounds(keptName).size(), before);
    QVERIFY(rounds(u"later"_s).isEmpty());
    QCOMPARE(cli({u"test"_s, u"add"_s, u"--name"_s, u"later"_s, u"--type"_s, u"tcp"_s, u"--target"_s, m_targetAddress,
                     u"--agents"_s, u"edge-1"_s, u"--duration"_s, u"1s"_s})
                 .exitCode,
        0);

    // "edited" with its data: no sample of it is left.
    QVERIFY(rounds(u"edited"_s).size() >= 4);
    const CommandResult gone = cli({u"test"_s, u"delete"_s, u"edited"_s, u"--delete-data"_s});
    QVERIFY2(gone.exitCode == 0, qPrintable(gone.err));
    QCOMPARE(gone.out.trimmed(), u"Deleted test \"edited\" and its measurements."_s);
    QVERIFY(rounds(u"edited"_s).isEmpty());
    const CommandResult everything = cli({u"export"_s, u"--format"_s, u"csv"_s});
    QVERIFY(!everything.out.contains(u",edited,"_s));
    const CommandResult missing = cli({u"test"_s, u"delete"_s, u"edited"_s, u"--delete-data"_s});
    QCOMPARE(missing.exitCode, 1);
    QVERIFY2(missing.err.contains(u"There is no test named \"edited\""_s), qPrintable(missing.err));
}

void TestTestManagement::renamedAgentKeepsItsTestsAndTargets()
{
    QCOMPARE(cli({u"test"_s, u"add"_s, u"--name"_s, u"renaming"_s, u"--type"_s, u"tcp"_s, u"--target"_s,
                     m_targetAddress, u"--interval"_s, u"200ms"_s, u"--continuous"_s, u"--agents"_s, u"edge-2"_s})
                 .exitCode,
        0);
    QTRY_VERIFY_WITH_TIMEOUT(!roundTimes(u"renaming"_s, u"edge-2"_s).isEmpty(), 10000);
    const CommandResult renamed = cli({u"agent"_s, u"rename"_s, u"edge-2"_s, u"edge-two"_s});
    QVERIFY2(renamed.exitCode == 0, qPrintable(renamed.err));
    QCOMPARE(testInfo(u"renaming"_s)[u"agents"_s].toString(), u"edge-two"_s);
    // Its rounds, old and new, are under the new name, and they keep coming.
    QVERIFY(roundTimes(u"renaming"_s, u"edge-2"_s).isEmpty());
    const qsizetype count = roundTimes(u"renaming"_s, u"edge-two"_s).size();
    QTRY_VERIFY_WITH_TIMEOUT(roundTimes(u"renaming"_s, u"edge-two"_s).size() >= count + 3, 10000);
    const CommandResult taken = cli({u"agent"_s, u"rename"_s, u"edge-1"_s, u"edge-two"_s});
    QCOMPARE(taken.exitCode, 1);
    QVERIFY2(taken.err.contains(u"An agent named \"edge-two\" exists already"_s), qPrintable(taken.err));
    QCOMPARE(cli({u"test"_s, u"stop"_s, u"renaming"_s}).exitCode, 0);
}

void TestTestManagement::refusalsSayWhatToDo_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("message");
    QTest::newRow("unknown parameter") << QStringList{u"test"_s, u"edit"_s, u"later"_s, u"--param"_s, u"x=1"_s} << 1
                                       << u"\"x\""_s;
    QTest::newRow("no such test") << QStringList{u"test"_s, u"edit"_s, u"nope"_s, u"--interval"_s, u"2s"_s} << 1
                                  << u"There is no test named \"nope\""_s;
    QTest::newRow("bad tag") << QStringList{u"agent"_s, u"tag"_s, u"edge-1"_s, u"core,x"_s} << 1
                             << u"The tag \"core,x\" may use only letters"_s;
    QTest::newRow("no tag given") << QStringList{u"agent"_s, u"tag"_s, u"edge-1"_s} << 2
                                  << u"Expected at least 2 arguments"_s;
    QTest::newRow("tag unknown agent") << QStringList{u"agent"_s, u"tag"_s, u"ghost"_s, u"core"_s} << 1
                                       << u"There is no active agent named \"ghost\""_s;
    QTest::newRow("all and more") << QStringList{u"test"_s, u"edit"_s, u"later"_s, u"--agents"_s, u"all,edge-1"_s} << 2
                                  << u"\"all\" already means every agent"_s;
    QTest::newRow("bad start") << QStringList{u"test"_s, u"edit"_s, u"later"_s, u"--start"_s, u"tomorrow"_s} << 2
                               << u"--start: "_s;
    QTest::newRow("bad rename") << QStringList{u"agent"_s, u"rename"_s, u"edge-1"_s, u"edge 1"_s} << 1
                                << u"may use only letters"_s;
    QTest::newRow("rename to a test's name") << QStringList{u"test"_s, u"edit"_s, u"later"_s, u"--rename"_s,
        u"renaming"_s} << 1 << u"A test named \"renaming\" exists already"_s;
}

void TestTestManagement::refusalsSayWhatToDo()
{
    QFETCH(QStringList, arguments);
    QFETCH(int, exitCode);
    QFETCH(QString, message);
    const CommandResult result = cli(arguments);
    QCOMPARE(result.exitCode, exitCode);
    QVERIFY2(result.err.contains(message), qPrintable(result.err));
    QVERIFY2(!result.err.trimmed().contains(u'\n'), qPrintable(result.err)); // one line
}

void TestTestManagement::cleanupTestCase()
{
    for (auto &agent : m_agents)
        agent->terminate();
    if (m_console)
        m_console->process().terminate();
}

QTEST_GUILESS_MAIN(TestTestManagement)
#include "tst_testmanagement.moc"
