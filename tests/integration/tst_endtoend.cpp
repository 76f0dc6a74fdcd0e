// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

#include "shared/metrics/catalog.h"
#include "tests/support/processharness.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm::Test;

// The walking skeleton from the command line, with the real programs on loopback: token create,
// an agent enrolls, test add, samples stored, CSV export; and every refusal along the way.
class TestEndToEnd : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void enrollMeasureAndExport();
    void agentReconnectsWithItsCredential();
    void rekeyGivesTheAgentANewCredential();
    void badTokensAreRefusedWithAReason();
    void revokedAgentIsCutOff();
    void badCommandLinesFailWithOneLine_data();
    void badCommandLinesFailWithOneLine();
    void unusableDatabaseFailsWithOneLine();
    void noSecretInTheDatabaseFile();

private:
    std::unique_ptr<ManagedProcess> startAgent(const QString &name, const QString &token, const QString &stateDir);
    QJsonObject summary();

    QTemporaryDir m_dir;
    std::unique_ptr<ConsoleHarness> m_console;
    QString m_firstToken;
    std::unique_ptr<ManagedProcess> m_agent;
};

void TestEndToEnd::initTestCase()
{
    QVERIFY(QFile::exists(consoleBinary()));
    QVERIFY(QFile::exists(agentBinary()));
    QVERIFY(m_dir.isValid());
    m_console = std::make_unique<ConsoleHarness>(m_dir.filePath(u"console"_s), true); // wss://, the default
    QVERIFY2(m_console->start(), qPrintable(m_console->process().output()));
}

std::unique_ptr<ManagedProcess> TestEndToEnd::startAgent(
    const QString &name, const QString &token, const QString &stateDir)
{
    QStringList arguments{u"--server"_s, m_console->serverUrl(), u"--name"_s, name, u"--state-dir"_s, stateDir};
    if (!token.isEmpty())
        arguments << u"--token"_s << token;
    auto agent = std::make_unique<ManagedProcess>(agentBinary(), arguments);
    agent->start();
    return agent;
}

QJsonObject TestEndToEnd::summary()
{
    const CommandResult result = m_console->cli({u"summary"_s, u"--json"_s});
    return QJsonDocument::fromJson(result.out.toUtf8()).object();
}

void TestEndToEnd::enrollMeasureAndExport()
{
    const CommandResult token = m_console->cli({u"token"_s, u"create"_s, u"lab"_s, u"--uses"_s, u"1"_s});
    QCOMPARE(token.exitCode, 0);
    m_firstToken = token.out.trimmed();
    QVERIFY2(m_firstToken.startsWith(u"sse_"_s), qPrintable(token.out));
    QVERIFY(!m_firstToken.contains(u'\n'));

    m_agent = startAgent(u"edge-1"_s, m_firstToken, m_dir.filePath(u"agent1"_s));
    QVERIFY2(
        m_console->process().waitForOutput(u"agent edge-1 online"_s, 10000), qPrintable(m_console->process().output()));
    QVERIFY(m_agent->waitForOutput(u"enrolled as edge-1"_s, 5000));
    const QFile::Permissions mode = QFile::permissions(m_dir.filePath(u"agent1/credential.json"_s));
    QCOMPARE(
        mode & (QFile::ReadGroup | QFile::WriteGroup | QFile::ReadOther | QFile::WriteOther), QFile::Permissions());

    const CommandResult agents = m_console->cli({u"agent"_s, u"list"_s, u"--json"_s});
    QCOMPARE(agents.exitCode, 0);
    const QJsonArray agentList = QJsonDocument::fromJson(agents.out.toUtf8()).array();
    QCOMPARE(agentList.size(), 1);
    QCOMPARE(agentList.first()[u"name"_s].toString(), u"edge-1"_s);
    QCOMPARE(agentList.first()[u"status"_s].toString(), u"online"_s);
    QVERIFY(agentList.first()[u"capabilities"_s].toArray().contains(u"ping"_s));

    const bool canPing = ::geteuid() == 0;
    if (!canPing)
        QSKIP("Measuring needs root or CAP_NET_RAW for ICMP sockets (CI runs as root).");

    const CommandResult add = m_console->cli({u"test"_s, u"add"_s, u"--name"_s, u"loopback"_s, u"--type"_s, u"ping"_s,
        u"--target"_s, u"127.0.0.1"_s, u"--interval"_s, u"500ms"_s, u"--duration"_s, u"4s"_s, u"--agents"_s,
        u"edge-1"_s, u"--param"_s, u"count=2"_s, u"--param"_s, u"spacing=50ms"_s});
    QVERIFY2(add.exitCode == 0, qPrintable(add.err));
    const CommandResult tests = m_console->cli({u"test"_s, u"list"_s, u"--json"_s});
    const qint64 createdAt = QDateTime::fromString(
        QJsonDocument::fromJson(tests.out.toUtf8()).array().first()[u"created"_s].toString(), Qt::ISODateWithMs)
                                 .toMSecsSinceEpoch();
    QVERIFY(createdAt > 0);
    const qint64 endsAt = createdAt + 4000;

    // Round times as stored (one ping.rtt_avg_ms row per round), and the CSV itself.
    const auto exportCsv = [&] {
        return m_console->cli({u"export"_s, u"--format"_s, u"csv"_s, u"--test"_s, u"loopback"_s}).out;
    };
    const auto roundTimes = [](const QString &csv) {
        QList<qint64> times;
        for (const QString &line : csv.split(u'\n', Qt::SkipEmptyParts)) {
            if (line.contains(u",ping.rtt_avg_ms,"_s))
                times.append(QDateTime::fromString(line.section(u',', 0, 0), Qt::ISODateWithMs).toMSecsSinceEpoch());
        }
        return times;
    };
    // The test ends by itself 4 s after it was added; wait for its last round to be stored.
    QVERIFY(m_agent->waitForOutput(u"stopped test loopback"_s, 10000));
    QTRY_VERIFY_WITH_TIMEOUT(!roundTimes(exportCsv()).isEmpty() && roundTimes(exportCsv()).last() > endsAt - 650, 5000);
    const QString csv = exportCsv();
    const QList<qint64> times = roundTimes(csv);

    // Picked up within a second (the first round runs at once on assignment), then a round every
    // 500 ms with none missing, until the end.
    const qint64 pickupMs = times.first() - createdAt;
    qInfo("%lld rounds stored; first round %lld ms after the test was added", qint64(times.size()), pickupMs);
    QVERIFY2(pickupMs >= 0 && pickupMs < 1000, qPrintable(u"picked up after %1 ms"_s.arg(pickupMs)));
    for (qsizetype i = 1; i < times.size(); ++i) {
        const qint64 gap = times[i] - times[i - 1];
        QVERIFY2(gap > 400 && gap < 600, qPrintable(u"round %1 came %2 ms after the one before"_s.arg(i).arg(gap)));
    }
    QVERIFY2(times.last() < endsAt, qPrintable(u"a round started %1 ms after the end"_s.arg(times.last() - endsAt)));

    const QStringList lines = csv.split(u'\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.first(), u"time,agent,test,metric,value,unit"_s);
    // Every ping metric of the catalog, once per round (loopback answers every echo).
    QCOMPARE(lines.size(), 1 + times.size() * StreamSwarm::MetricCatalog::forTestType(u"ping").size());
    const QRegularExpression row(u"^(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z),edge-1,loopback,([a-z_.]+),"
                                 "([-0-9.e]+),(ms|%|count)$"_s);
    for (const QString &line : lines.mid(1)) {
        const auto match = row.match(line);
        QVERIFY2(match.hasMatch(), qPrintable(line));
        const double value = match.captured(3).toDouble();
        if (match.captured(2) == u"ping.rtt_avg_ms")
            QVERIFY2(value > 0 && value < 50, qPrintable(line));
        else if (match.captured(2) == u"ping.loss_pct")
            QCOMPARE(value, 0.0);
        else if (match.captured(2) == u"ping.sent")
            QCOMPARE(value, 2.0);
    }

    const CommandResult list = m_console->cli({u"test"_s, u"list"_s, u"--json"_s});
    QCOMPARE(QJsonDocument::fromJson(list.out.toUtf8()).array().first()[u"state"_s].toString(), u"finished"_s);

    const CommandResult file
        = m_console->cli({u"export"_s, u"--format"_s, u"csv"_s, u"--out"_s, m_dir.filePath(u"out.csv"_s)});
    QCOMPARE(file.exitCode, 0);
    QFile exported(m_dir.filePath(u"out.csv"_s));
    QVERIFY(exported.open(QIODevice::ReadOnly));
    QCOMPARE(exported.readLine().trimmed(), QByteArray("time,agent,test,metric,value,unit"));
}

void TestEndToEnd::agentReconnectsWithItsCredential()
{
    QVERIFY(m_agent);
    m_agent->terminate();
    QVERIFY(m_agent->waitForExit(5000));
    QCOMPARE(m_agent->exitCode(), 0);
    QVERIFY2(m_console->process().waitForOutput(u"agent edge-1 went offline: 1001 agent stopping"_s, 5000),
        qPrintable(m_console->process().output()));

    // No token this time: the credential kept in the state dir speaks for the agent.
    m_agent = startAgent(u"edge-1"_s, QString(), m_dir.filePath(u"agent1"_s));
    QVERIFY(m_agent->waitForOutput(u"online as edge-1"_s, 10000));
    QVERIFY(!m_agent->output().contains(u"enroll"_s));

    // The one-use token is used up now.
    auto second = startAgent(u"edge-2"_s, m_firstToken, m_dir.filePath(u"agent2"_s));
    QVERIFY(second->waitForExit(10000));
    QCOMPARE(second->exitCode(), 1);
    QVERIFY2(second->output().contains(u"The console refused this agent: The enrollment token has been used up."_s),
        qPrintable(second->output()));
}

void TestEndToEnd::rekeyGivesTheAgentANewCredential()
{
    QVERIFY(m_agent && m_agent->isRunning());
    const auto credentialIn = [](const QString &stateDir) {
        QFile file(stateDir + u"/credential.json"_s);
        return file.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(file.readAll())[u"credential"_s].toString()
                                              : QString();
    };
    const QString stateDir = m_dir.filePath(u"agent1"_s);
    const QString old = credentialIn(stateDir);
    QVERIFY(old.startsWith(u"ssa_"_s));

    QCOMPARE(m_console->cli({u"agent"_s, u"rekey"_s, u"edge-1"_s}).exitCode, 0);
    QTRY_VERIFY_WITH_TIMEOUT(credentialIn(stateDir) != old && !credentialIn(stateDir).isEmpty(), 5000);
    QTRY_VERIFY_WITH_TIMEOUT(m_console->cli({u"event"_s, u"list"_s}).out.contains(u"agent-rekeyed"_s), 5000);
    QVERIFY(m_agent->waitForOutput(u"the console gave this agent a new credential"_s, 5000));

    // The new credential opens the door after a restart.
    m_agent->terminate();
    QVERIFY(m_agent->waitForExit(5000));
    m_agent = startAgent(u"edge-1"_s, QString(), stateDir);
    QVERIFY2(m_agent->waitForOutput(u"online as edge-1"_s, 10000), qPrintable(m_agent->output()));

    // That the old one no longer works is checked in tst_agentrepository; one more failed sign-in here
    // would reach the per-address lockout before revokedAgentIsCutOff.
}

void TestEndToEnd::badTokensAreRefusedWithAReason()
{
    auto malformed = startAgent(u"edge-3"_s, u"not-a-token"_s, m_dir.filePath(u"agent3"_s));
    QVERIFY(malformed->waitForExit(10000));
    QCOMPARE(malformed->exitCode(), 1);
    QVERIFY2(malformed->output().contains(u"is not an enrollment token"_s), qPrintable(malformed->output()));

    // Well formed, right lookup id, wrong secret.
    QString forged = m_firstToken;
    forged[forged.size() - 1] = forged.back() == u'A' ? u'B' : u'A';
    auto wrong = startAgent(u"edge-3"_s, forged, m_dir.filePath(u"agent3"_s));
    QVERIFY(wrong->waitForExit(10000));
    QCOMPARE(wrong->exitCode(), 1);
    QVERIFY2(wrong->output().contains(u"The enrollment token is not valid."_s), qPrintable(wrong->output()));

    // Expired: valid for a millisecond, long gone when the agent presents it.
    const QString expired
        = m_console->cli({u"token"_s, u"create"_s, u"brief"_s, u"--expires"_s, u"1ms"_s}).out.trimmed();
    auto late = startAgent(u"edge-4"_s, expired, m_dir.filePath(u"agent4"_s));
    QVERIFY(late->waitForExit(10000));
    QCOMPARE(late->exitCode(), 1);
    QVERIFY2(late->output().contains(u"The enrollment token has expired."_s), qPrintable(late->output()));

    // (A revoked token is refused the same way; tst_tokenrepository checks that reason. One more failed
    // sign-in here would reach the per-address lockout, which tst_hostileinput covers.)

    const CommandResult agents = m_console->cli({u"agent"_s, u"list"_s, u"--json"_s});
    QCOMPARE(QJsonDocument::fromJson(agents.out.toUtf8()).array().size(), 1);
}

void TestEndToEnd::revokedAgentIsCutOff()
{
    QVERIFY(m_agent && m_agent->isRunning());
    const CommandResult revoke = m_console->cli({u"agent"_s, u"revoke"_s, u"edge-1"_s});
    QCOMPARE(revoke.exitCode, 0);
    // Cut off within a second of the command's commit (it returned after committing).
    QElapsedTimer sinceRevoke;
    sinceRevoke.start();
    QVERIFY(m_agent->waitForExit(3000));
    qInfo("the revoked agent was cut off %lld ms after the command returned", sinceRevoke.elapsed());
    QVERIFY2(sinceRevoke.elapsed() < 1000, qPrintable(QString::number(sinceRevoke.elapsed())));
    QCOMPARE(m_agent->exitCode(), 1);
    QVERIFY2(m_agent->output().contains(u"This agent was revoked in the console."_s), qPrintable(m_agent->output()));

    // And it cannot come back with its old credential.
    m_agent = startAgent(u"edge-1"_s, QString(), m_dir.filePath(u"agent1"_s));
    QVERIFY(m_agent->waitForExit(10000));
    QCOMPARE(m_agent->exitCode(), 1);
    QVERIFY2(m_agent->output().contains(u"refused"_s), qPrintable(m_agent->output()));
}

void TestEndToEnd::badCommandLinesFailWithOneLine_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("message");
    const QStringList addPing{
        u"test"_s, u"add"_s, u"--name"_s, u"t2"_s, u"--type"_s, u"ping"_s, u"--target"_s, u"127.0.0.1"_s};
    QTest::newRow("unknown option") << QStringList{u"agent"_s, u"list"_s, u"--colour"_s}
                                    << u"Unknown option 'colour'"_s;
    QTest::newRow("malformed duration") << addPing + QStringList{u"--agents"_s, u"all"_s, u"--interval"_s, u"5x"_s}
                                        << u"\"5x\" is not a duration"_s;
    QTest::newRow("unknown agent") << addPing + QStringList{u"--agents"_s, u"ghost"_s}
                                   << u"There is no agent named \"ghost\""_s;
    QTest::newRow("unknown type") << QStringList{u"test"_s, u"add"_s, u"--name"_s, u"t3"_s, u"--type"_s, u"smoke"_s,
        u"--target"_s, u"x"_s, u"--agents"_s, u"all"_s}
                                  << u"Unknown test type \"smoke\""_s;
    QTest::newRow("bad target") << QStringList{u"test"_s, u"add"_s, u"--name"_s, u"t4"_s, u"--type"_s, u"ping"_s,
        u"--target"_s, u"a b"_s, u"--agents"_s, u"all"_s}
                                << u"neither a host name nor an IP address"_s;
    QTest::newRow("unknown command") << QStringList{u"test"_s, u"frobnicate"_s, u"x"_s} << u"is not a command"_s;
    QTest::newRow("stop unknown test") << QStringList{u"test"_s, u"stop"_s, u"nope"_s}
                                       << u"There is no running test named \"nope\""_s;
    QTest::newRow("duplicate token") << QStringList{u"token"_s, u"create"_s, u"lab"_s} << u"exists already"_s;
    QTest::newRow("bad export format") << QStringList{u"export"_s, u"--format"_s, u"xml"_s}
                                       << u"--format must be csv or json"_s;
}

void TestEndToEnd::badCommandLinesFailWithOneLine()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, message);
    const int samplesBefore = summary()[u"samples"_s].toInt();
    const CommandResult result = m_console->cli(arguments);
    QVERIFY(result.finished);
    QVERIFY(result.exitCode != 0);
    QVERIFY2(result.err.contains(message), qPrintable(result.err));
    QCOMPARE(result.err.count(u'\n'), 1);
    QVERIFY(result.out.isEmpty());
    QCOMPARE(summary()[u"samples"_s].toInt(), samplesBefore); // nothing stored was lost
}

void TestEndToEnd::unusableDatabaseFailsWithOneLine()
{
    if (m_console->isPostgres()) {
        // Each mistake in a PostgreSQL address is named in one plain line.
        const quint16 nobody = freeLocalPort();
        const QList<QPair<QString, QString>> cases{
            {TestDatabase::serverUrl(u"wrong-password"_s, QString()), u"refused the password for user"_s},
            {TestDatabase::serverUrl(QString(), u"no_such_database"_s),
                u"has no database named \"no_such_database\""_s},
            {TestDatabase::serverUrl(QString(), QString(), nobody),
                u"Nothing answers as PostgreSQL at 127.0.0.1:%1"_s.arg(nobody)}};
        for (const auto &[url, words] : cases) {
            const CommandResult result = runCommand(consoleBinary(), {u"agent"_s, u"list"_s, u"--db"_s, url}, 15000);
            QVERIFY(result.exitCode != 0);
            QCOMPARE(result.err.count(u'\n'), 1);
            QVERIFY2(result.err.contains(words), qPrintable(result.err));
            QVERIFY2(!result.err.contains(u"wrong-password"_s), qPrintable(result.err)); // no password in messages
        }
        return;
    }
    QFile blocker(m_dir.filePath(u"not-a-folder"_s));
    QVERIFY(blocker.open(QIODevice::WriteOnly));
    blocker.close();
    const QString below = u"sqlite:"_s + m_dir.filePath(u"not-a-folder/streamswarm.db"_s);
    for (const QStringList &arguments :
        {QStringList{u"agent"_s, u"list"_s, u"--db"_s, below}, QStringList{u"--headless"_s, u"--db"_s, below},
            QStringList{u"agent"_s, u"list"_s, u"--db"_s, u"mysql://x"_s}}) {
        const CommandResult result = runCommand(consoleBinary(), arguments, 15000);
        QVERIFY(result.exitCode != 0);
        QCOMPARE(result.err.count(u'\n'), 1);
        QVERIFY2(result.err.startsWith(u"streamswarm-console: "_s), qPrintable(result.err));
    }

    // A file that is not a database is refused and left as it was.
    QFile garbage(m_dir.filePath(u"garbage.db"_s));
    QVERIFY(garbage.open(QIODevice::WriteOnly));
    garbage.write(QByteArray(4096, 'x'));
    garbage.close();
    const CommandResult result
        = runCommand(consoleBinary(), {u"agent"_s, u"list"_s, u"--db"_s, u"sqlite:"_s + garbage.fileName()});
    QVERIFY(result.exitCode != 0);
    QVERIFY2(result.err.contains(u"garbage.db"_s), qPrintable(result.err));
    QVERIFY(garbage.open(QIODevice::ReadOnly));
    QCOMPARE(garbage.readAll(), QByteArray(4096, 'x'));
}

void TestEndToEnd::noSecretInTheDatabaseFile()
{
    QVERIFY(!m_firstToken.isEmpty());
    const QString secretPart = m_firstToken.section(u'_', 2);
    QFile credential(m_dir.filePath(u"agent1/credential.json"_s));
    QVERIFY(credential.open(QIODevice::ReadOnly));
    const QString agentSecret
        = QJsonDocument::fromJson(credential.readAll())[u"credential"_s].toString().section(u'_', 2);
    QVERIFY(!agentSecret.isEmpty());
    if (m_console->isPostgres()) {
        const QByteArray everything = m_console->database().dump();
        QVERIFY(everything.contains("edge-1")); // the dump does hold the data
        QVERIFY(!everything.contains(secretPart.toLatin1()));
        QVERIFY(!everything.contains(agentSecret.toLatin1()));
        return;
    }
    for (const QString &name : {u"streamswarm.db"_s, u"streamswarm.db-wal"_s}) {
        QFile file(m_dir.filePath(u"console/"_s + name));
        if (!file.open(QIODevice::ReadOnly))
            continue;
        const QByteArray bytes = file.readAll();
        QVERIFY(!bytes.contains(secretPart.toLatin1()));
        QVERIFY(!bytes.contains(agentSecret.toLatin1()));
    }
}

QTEST_GUILESS_MAIN(TestEndToEnd)
#include "tst_endtoend.moc"
