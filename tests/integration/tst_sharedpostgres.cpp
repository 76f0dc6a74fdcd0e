// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
//
// Collectors on one PostgreSQL server of the test's own (tests/support/postgres-server): the server
// stops dead mid-ingest and comes back (acks stop, agents keep their rounds, nothing is lost or stored
// twice, ingest resumes by itself), and an agent moves from one collector to another and resumes.
#include <algorithm>

#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

#include "tests/support/processharness.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm::Test;

namespace {

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

// Where consecutive rounds are further apart than one and a half intervals: rounds lost.
QStringList gapsIn(const QList<qint64> &times, qint64 intervalMs)
{
    QStringList gaps;
    for (qsizetype i = 1; i < times.size(); ++i) {
        if (times.at(i) - times.at(i - 1) > intervalMs + intervalMs / 2)
            gaps.append(u"%1 ms after %2"_s.arg(times.at(i) - times.at(i - 1)).arg(times.at(i - 1)));
    }
    return gaps;
}

} // namespace

class TestSharedPostgres final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void cleanupTestCase();
    void serverOutageLosesNothing();
    void agentMovesToAnotherCollector();

private:
    bool server(const QString &action);
    // A connection to the test's server as an outsider (not yet open).
    QSqlDatabase addConnection(const QString &name) const;
    std::unique_ptr<ConsoleHarness> startCollector(const QString &name, quint16 port);
    ManagedProcess *startAgent(const QString &name, quint16 port);
    bool addPingTest(ConsoleHarness &console, const QString &name);
    // Round times of an agent's test in the database, read as an outsider would: measured, or not
    // measured with the reason stored (a round the agent could not start on time).
    QList<qint64> roundTimes(const QString &agent, const QString &test);
    qint64 duplicateSamples();
    bool waitForRoundsAfter(const QString &agent, const QString &test, qint64 sinceMs, int timeoutMs);

    QTemporaryDir m_dir;
    QString m_urlFile;
    QString m_url;
    QString m_token;
    std::vector<std::unique_ptr<ManagedProcess>> m_agents;
    std::vector<std::unique_ptr<ConsoleHarness>> m_collectors;
};

QSqlDatabase TestSharedPostgres::addConnection(const QString &name) const
{
    QSqlDatabase db = QSqlDatabase::addDatabase(u"QPSQL"_s, name);
    const QUrl url(m_url);
    db.setHostName(url.host());
    db.setPort(url.port());
    db.setUserName(url.userName());
    db.setPassword(url.password());
    db.setDatabaseName(url.path().mid(1));
    return db;
}

bool TestSharedPostgres::server(const QString &action)
{
    const CommandResult result
        = runCommand(qEnvironmentVariable("STREAMSWARM_SOURCE_DIR") + u"/tests/support/postgres-server"_s,
            {action, m_dir.filePath(u"server"_s)}, 60000);
    if (result.exitCode != 0)
        qWarning().noquote() << action << "failed:" << result.err;
    return result.exitCode == 0;
}

void TestSharedPostgres::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY2(server(u"start"_s), "the test's own PostgreSQL server did not start (scripts/deps test installs it)");
    QFile url(m_dir.filePath(u"server/url"_s));
    QVERIFY(url.open(QIODevice::ReadOnly));
    m_url = QString::fromUtf8(url.readAll()).trimmed();
    m_urlFile = url.fileName();
}

void TestSharedPostgres::cleanupTestCase()
{
    server(u"stop"_s);
}

void TestSharedPostgres::init()
{
    // Each test starts from an empty database: the schema dropped.
    QSqlDatabase db = addConnection(u"reset"_s);
    QVERIFY2(db.open(), qPrintable(db.lastError().text()));
    QSqlQuery query(db);
    QVERIFY2(query.exec(u"SET client_min_messages TO WARNING"_s) && query.exec(u"DROP SCHEMA public CASCADE"_s)
            && query.exec(u"CREATE SCHEMA public"_s),
        qPrintable(query.lastError().text()));
    query.finish();
    db.close();
}

void TestSharedPostgres::cleanup()
{
    if (QTest::currentTestFailed()) {
        for (const auto &agent : m_agents)
            qInfo().noquote() << "---- agent\n" << agent->output().right(2000);
        for (const auto &collector : m_collectors)
            qInfo().noquote() << "---- collector\n" << collector->process().output().right(3000);
    }
    m_agents.clear();
    m_collectors.clear();
    QSqlDatabase::removeDatabase(u"reset"_s);
    QSqlDatabase::removeDatabase(u"probe"_s);
}

std::unique_ptr<ConsoleHarness> TestSharedPostgres::startCollector(const QString &name, quint16 port)
{
    auto collector = std::make_unique<ConsoleHarness>(
        m_dir.filePath(u"collector-"_s + name), false, QStringList{u"--db-file"_s, m_urlFile}, port);
    if (!collector->start())
        qWarning().noquote() << collector->process().output();
    return collector;
}

ManagedProcess *TestSharedPostgres::startAgent(const QString &name, quint16 port)
{
    const QString stateDir = m_dir.filePath(u"agent-"_s + name);
    QStringList arguments{u"--server"_s, u"ws://127.0.0.1:%1"_s.arg(port), u"--insecure"_s, u"--name"_s, name,
        u"--state-dir"_s, stateDir};
    if (!QFile::exists(stateDir + u"/credential.json"_s))
        arguments << u"--token"_s << m_token;
    m_agents.push_back(std::make_unique<ManagedProcess>(agentBinary(), arguments));
    return m_agents.back()->start() ? m_agents.back().get() : nullptr;
}

bool TestSharedPostgres::addPingTest(ConsoleHarness &console, const QString &name)
{
    const CommandResult added
        = console.cli({u"test"_s, u"add"_s, u"--name"_s, name, u"--type"_s, u"ping"_s, u"--target"_s, u"127.0.0.1"_s,
            u"--interval"_s, u"500ms"_s, u"--continuous"_s, u"--agents"_s, u"all"_s, u"--db-file"_s, m_urlFile});
    if (added.exitCode != 0)
        qWarning().noquote() << added.err;
    return added.exitCode == 0;
}

QList<qint64> TestSharedPostgres::roundTimes(const QString &agent, const QString &test)
{
    QSqlDatabase db = QSqlDatabase::database(u"probe"_s, false);
    if (!db.isValid())
        db = addConnection(u"probe"_s);
    QList<qint64> times;
    if (!db.isOpen() && !db.open())
        return times;
    // Every round that left a trace: measured (ping.sent), or stored as not measured with its reason.
    QSqlQuery query(db);
    query.prepare(u"SELECT s.t FROM samples s JOIN agents a ON a.id = s.agent_id JOIN tests t ON t.id = s.test_id "
                  "JOIN metrics m ON m.id = s.metric_id WHERE a.name = ? AND t.name = ? AND m.name = 'ping.sent' "
                  "UNION SELECT d.t FROM details d JOIN agents a ON a.id = d.agent_id JOIN tests t ON t.id = d.test_id "
                  "WHERE a.name = ? AND t.name = ? AND d.kind = 'failed' ORDER BY 1"_s);
    query.addBindValue(agent);
    query.addBindValue(test);
    query.addBindValue(agent);
    query.addBindValue(test);
    if (!query.exec()) {
        db.close(); // the server went away: open again next time
        return times;
    }
    while (query.next())
        times.append(query.value(0).toLongLong());
    return times;
}

qint64 TestSharedPostgres::duplicateSamples()
{
    QSqlQuery query(QSqlDatabase::database(u"probe"_s));
    if (!query.exec(u"SELECT COUNT(*) FROM (SELECT agent_id, test_id, metric_id, t FROM samples GROUP BY agent_id, "
                    "test_id, metric_id, t HAVING COUNT(*) > 1) AS d"_s)
        || !query.next())
        return -1;
    return query.value(0).toLongLong();
}

bool TestSharedPostgres::waitForRoundsAfter(const QString &agent, const QString &test, qint64 sinceMs, int timeoutMs)
{
    QElapsedTimer waited;
    waited.start();
    while (waited.elapsed() < timeoutMs) {
        const QList<qint64> times = roundTimes(agent, test);
        if (!times.isEmpty() && times.last() > sinceMs)
            return true;
        QTest::qWait(200);
    }
    return false;
}

void TestSharedPostgres::serverOutageLosesNothing()
{
    m_collectors.push_back(startCollector(u"a"_s, freeLocalPort()));
    ConsoleHarness &collector = *m_collectors.back();
    QVERIFY(collector.process().isRunning());
    const CommandResult token
        = collector.cli({u"token"_s, u"create"_s, u"fleet"_s, u"--uses"_s, u"5"_s, u"--db-file"_s, m_urlFile});
    QCOMPARE(token.exitCode, 0);
    m_token = token.out.trimmed();
    QVERIFY(startAgent(u"north"_s, QUrl(collector.serverUrl()).port()));
    QVERIFY(addPingTest(collector, u"beat"_s));
    QVERIFY2(waitForRoundsAfter(u"north"_s, u"beat"_s, nowMs() + 1000, 20000), "the agent never got going");

    // The database stops as in a crash; the agent goes on measuring and keeps what is not acked.
    QVERIFY(server(u"halt"_s));
    const qint64 downAt = nowMs();
    QVERIFY2(collector.process().waitForOutput(u"Still no database"_s, 10000), "the collector did not notice");
    QTest::qWait(4000);
    QVERIFY(server(u"resume"_s));
    const qint64 backAt = nowMs();
    QVERIFY2(collector.process().waitForOutput(u"The database answers again"_s, 10000), "no reconnection");
    QVERIFY2(waitForRoundsAfter(u"north"_s, u"beat"_s, backAt + 1000, 30000), "ingest did not resume");

    const QList<qint64> times = roundTimes(u"north"_s, u"beat"_s);
    const qint64 duringOutage
        = std::count_if(times.cbegin(), times.cend(), [&](qint64 t) { return t >= downAt && t < backAt; });
    qInfo().noquote() << times.size() << "rounds," << duringOutage << "measured while the database was down"
                      << "(from" << downAt << "to" << backAt << ")";
    QVERIFY2(duringOutage >= 6, qPrintable(u"only %1 rounds from the outage"_s.arg(duringOutage)));
    const QStringList gaps = gapsIn(times, 500);
    QVERIFY2(gaps.isEmpty(), qPrintable(u"rounds missing: "_s + gaps.join(u"; "_s)));
    QCOMPARE(duplicateSamples(), qint64(0));
}

void TestSharedPostgres::agentMovesToAnotherCollector()
{
    // Two collectors at once on the same database, each with its own agent.
    m_collectors.push_back(startCollector(u"a"_s, freeLocalPort()));
    m_collectors.push_back(startCollector(u"b"_s, freeLocalPort()));
    ConsoleHarness &first = *m_collectors.at(0);
    ConsoleHarness &second = *m_collectors.at(1);
    QVERIFY(first.process().isRunning() && second.process().isRunning());
    const CommandResult token
        = first.cli({u"token"_s, u"create"_s, u"fleet"_s, u"--uses"_s, u"5"_s, u"--db-file"_s, m_urlFile});
    QCOMPARE(token.exitCode, 0);
    m_token = token.out.trimmed();
    const quint16 firstPort = QUrl(first.serverUrl()).port();
    const quint16 secondPort = QUrl(second.serverUrl()).port();
    ManagedProcess *mover = startAgent(u"mover"_s, firstPort);
    QVERIFY(mover && startAgent(u"stayer"_s, secondPort));
    // A test added through one collector reaches the agents of both.
    QVERIFY(addPingTest(second, u"beat"_s));
    QVERIFY2(waitForRoundsAfter(u"mover"_s, u"beat"_s, nowMs() + 1000, 20000), "mover never got going");
    QVERIFY2(waitForRoundsAfter(u"stayer"_s, u"beat"_s, nowMs() + 1000, 20000), "stayer never got going");

    // The first collector dies; the agent, told of the second (as a DNS name or a balancer would),
    // goes there and brings what it measured in between.
    first.process().kill();
    mover->kill();
    QTest::qWait(1500);
    const qint64 movedAt = nowMs();
    QVERIFY(startAgent(u"mover"_s, secondPort));
    QVERIFY2(second.process().waitForOutput(u"agent mover online"_s, 10000), "the second collector did not take it");
    QVERIFY2(waitForRoundsAfter(u"mover"_s, u"beat"_s, movedAt + 1500, 20000), "the mover did not resume");

    QCOMPARE(duplicateSamples(), qint64(0));
    const QStringList stayerGaps = gapsIn(roundTimes(u"stayer"_s, u"beat"_s), 500);
    QVERIFY2(stayerGaps.isEmpty(), qPrintable(u"stayer lost rounds: "_s + stayerGaps.join(u"; "_s)));
    // The mover was down for 1.5 s (no rounds then, as nothing ran); before and after, none is lost.
    const QList<qint64> times = roundTimes(u"mover"_s, u"beat"_s);
    QList<qint64> before, after;
    for (const qint64 t : times)
        (t < movedAt ? before : after).append(t);
    QVERIFY(before.size() > 2 && after.size() > 2);
    QVERIFY2(gapsIn(before, 500).isEmpty(), qPrintable(gapsIn(before, 500).join(u"; "_s)));
    QVERIFY2(gapsIn(after, 500).isEmpty(), qPrintable(gapsIn(after, 500).join(u"; "_s)));
    // Both collectors' agents show in the list, whichever collector's command line asks.
    const CommandResult list = second.cli({u"agent"_s, u"list"_s, u"--db-file"_s, m_urlFile});
    QVERIFY2(list.out.contains(u"mover"_s) && list.out.contains(u"stayer"_s), qPrintable(list.out));
}

QTEST_GUILESS_MAIN(TestSharedPostgres)
#include "tst_sharedpostgres.moc"
