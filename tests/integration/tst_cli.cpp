// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include "tests/support/processharness.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm::Test;

// The console's command line as users script it, run as the real program: refusals with a
// reason and the right exit code (1: could not do it, 2: the command line is wrong), help that
// names every command, and commands that only print leaving nothing behind.
class TestCli : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void tokenExpiryMustLieAheadAndBeSane();
    void fingerprintNeverMakesAKey();
    void fingerprintReadsGivenFiles();
    void filtersNameWhatExists_data();
    void filtersNameWhatExists();
    void knownFiltersStillExport();
    void exitCodes_data();
    void exitCodes();
    void strayWordsAreNotHelp();
    void helpListsEveryCommand();
    void groupHelpListsItsActions();
    void usageNamesTheProgramNotItsPath();
    void agentSpeaksOfWss();
    void hostTestsTakeNoTarget();

private:
    CommandResult cli(const QStringList &arguments) const;
    QString m_dataDir;
    QTemporaryDir m_dir;
};

CommandResult TestCli::cli(const QStringList &arguments) const
{
    return runCommand(consoleBinary(), arguments + QStringList{u"--data-dir"_s, m_dataDir});
}

void TestCli::initTestCase()
{
    QVERIFY(QFile::exists(consoleBinary()));
    QVERIFY(QFile::exists(agentBinary()));
    QVERIFY(m_dir.isValid());
    m_dataDir = m_dir.filePath(u"console"_s);
    // A test and a token to look for; subcommands make the database on first use.
    const CommandResult added = cli({u"test"_s, u"add"_s, u"--name"_s, u"reach"_s, u"--type"_s, u"ping"_s,
        u"--target"_s, u"127.0.0.1"_s, u"--agents"_s, u"all"_s});
    QVERIFY2(added.exitCode == 0, qPrintable(added.err));
}

void TestCli::tokenExpiryMustLieAheadAndBeSane()
{
    const CommandResult expired = cli({u"token"_s, u"create"_s, u"stillborn"_s, u"--expires"_s, u"0s"_s});
    QCOMPARE(expired.exitCode, 2);
    QVERIFY2(expired.err.contains(u"--expires must be longer than zero"_s), qPrintable(expired.err));
    QCOMPARE(expired.err.count(u'\n'), 1);
    QVERIFY(expired.out.isEmpty());

    const CommandResult absurd = cli({u"token"_s, u"create"_s, u"forever"_s, u"--expires"_s, u"100000000d"_s});
    QCOMPARE(absurd.exitCode, 2);
    QVERIFY2(absurd.err.contains(u"longer than a token may last"_s), qPrintable(absurd.err));
    QVERIFY2(absurd.err.contains(u"9999d"_s), qPrintable(absurd.err));

    const CommandResult month = cli({u"token"_s, u"create"_s, u"month"_s, u"--expires"_s, u"30d"_s});
    QVERIFY2(month.exitCode == 0, qPrintable(month.err));

    const CommandResult list = cli({u"token"_s, u"list"_s, u"--json"_s});
    QCOMPARE(list.exitCode, 0);
    QStringList names;
    for (const QJsonValue &token : QJsonDocument::fromJson(list.out.toUtf8()).array())
        names.append(token[u"name"_s].toString());
    QCOMPARE(names, QStringList{u"month"_s}); // the refused ones were never stored
}

void TestCli::fingerprintNeverMakesAKey()
{
    // No --data-dir: the user's data folder, here a home of our own.
    const QString home = m_dir.filePath(u"home"_s);
    QVERIFY(QDir().mkpath(home));
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(u"HOME"_s, home);
    environment.insert(u"XDG_DATA_HOME"_s, home + u"/.local/share"_s);
    environment.remove(u"STREAMSWARM_DB"_s);
    const CommandResult result = runCommand(consoleBinary(), {u"fingerprint"_s}, 30000, environment);
    QCOMPARE(result.exitCode, 1);
    QVERIFY(result.out.isEmpty());
    QVERIFY2(result.err.contains(u"No console has been started with the data folder %1"_s.arg(home)),
        qPrintable(result.err));
    QVERIFY2(result.err.contains(u"run this again"_s), qPrintable(result.err));
    QCOMPARE(result.err.count(u'\n'), 1);
    QDirIterator files(home, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    QVERIFY2(!files.hasNext(), qPrintable(u"left behind: "_s + (files.hasNext() ? files.next() : QString())));

    // The same with a --data-dir no console has used.
    const QString unused = m_dir.filePath(u"unused"_s);
    const CommandResult named = runCommand(consoleBinary(), {u"fingerprint"_s, u"--data-dir"_s, unused});
    QCOMPARE(named.exitCode, 1);
    QVERIFY2(named.err.contains(u"No console has been started with the data folder %1 yet"_s.arg(unused)),
        qPrintable(named.err));
    QVERIFY(!QFile::exists(unused + u"/console-key.pem"_s));
    QVERIFY(!QFile::exists(unused + u"/console-cert.pem"_s));
}

void TestCli::fingerprintReadsGivenFiles()
{
    // A console run once makes its certificate; fingerprint then shows it, by folder or by files.
    const QString dataDir = m_dir.filePath(u"started"_s);
    const CommandResult started = runCommand(consoleBinary(),
        {u"--headless"_s, u"--data-dir"_s, dataDir, u"--listen"_s, u"127.0.0.1:0"_s, u"--stop-after"_s, u"1s"_s});
    QVERIFY2(started.exitCode == 0, qPrintable(started.err));
    const CommandResult byFolder = runCommand(consoleBinary(), {u"fingerprint"_s, u"--data-dir"_s, dataDir});
    QVERIFY2(byFolder.exitCode == 0, qPrintable(byFolder.err));
    QVERIFY2(byFolder.out.startsWith(u"sha256:"_s), qPrintable(byFolder.out));
    const CommandResult byFiles = runCommand(consoleBinary(),
        {u"fingerprint"_s, u"--cert"_s, dataDir + u"/console-cert.pem"_s, u"--key"_s, dataDir + u"/console-key.pem"_s});
    QVERIFY2(byFiles.exitCode == 0, qPrintable(byFiles.err));
    QCOMPARE(byFiles.out, byFolder.out);
}

void TestCli::filtersNameWhatExists_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("message");
    for (const QStringList &command : {QStringList{u"export"_s, u"--format"_s, u"csv"_s},
             QStringList{u"export"_s, u"--format"_s, u"json"_s}, QStringList{u"summary"_s}}) {
        const QString name = command.join(u' ');
        QTest::addRow("%s: unknown test", qPrintable(name))
            << command + QStringList{u"--test"_s, u"nosuch"_s} << 1
            << u"There is no test named \"nosuch\"; see 'streamswarm-console test list'."_s;
        QTest::addRow("%s: unknown agent", qPrintable(name))
            << command + QStringList{u"--agent"_s, u"ghost"_s} << 1
            << u"There is no agent named \"ghost\"; see 'streamswarm-console agent list'."_s;
        QTest::addRow("%s: reversed range", qPrintable(name))
            << command + QStringList{u"--from"_s, u"2h"_s, u"--to"_s, u"3h"_s} << 2 << u"is not earlier than --to 3h"_s;
        QTest::addRow("%s: empty range", qPrintable(name))
            << command + QStringList{u"--from"_s, u"2026-01-01T00:00:00Z"_s, u"--to"_s, u"2026-01-01T00:00:00Z"_s} << 2
            << u"is not earlier than --to"_s;
    }
}

void TestCli::filtersNameWhatExists()
{
    QFETCH(QStringList, arguments);
    QFETCH(int, exitCode);
    QFETCH(QString, message);
    const QString out = m_dir.filePath(u"export.out"_s);
    QFile::remove(out);
    if (arguments.first() == u"export")
        arguments << u"--out"_s << out;
    const CommandResult result = cli(arguments);
    QCOMPARE(result.exitCode, exitCode);
    QVERIFY2(result.err.contains(message), qPrintable(result.err));
    QCOMPARE(result.err.count(u'\n'), 1);
    QVERIFY2(result.out.isEmpty(), qPrintable(result.out)); // not even a CSV header
    QVERIFY(!QFile::exists(out));
}

void TestCli::knownFiltersStillExport()
{
    const CommandResult csv = cli(
        {u"export"_s, u"--format"_s, u"csv"_s, u"--test"_s, u"reach"_s, u"--from"_s, u"3h"_s, u"--to"_s, u"2h"_s});
    QVERIFY2(csv.exitCode == 0, qPrintable(csv.err));
    QCOMPARE(csv.out, u"time,agent,test,metric,value,unit\n"_s);
    const CommandResult summary = cli({u"summary"_s, u"--test"_s, u"reach"_s, u"--json"_s});
    QVERIFY2(summary.exitCode == 0, qPrintable(summary.err));
}

void TestCli::exitCodes_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("message");
    QTest::newRow("unknown command") << QStringList{u"bogus"_s} << 2 << u"Unknown command \"bogus\""_s;
    QTest::newRow("console's own unknown option")
        << QStringList{u"--headless"_s, u"--colour"_s} << 2 << u"Unknown option 'colour'"_s;
    QTest::newRow("console's own bad value")
        << QStringList{u"--headless"_s, u"--listen"_s, u"nowhere"_s} << 2 << u"is not HOST:PORT"_s;
    QTest::newRow("unknown command with --help")
        << QStringList{u"bogus"_s, u"--help"_s} << 2 << u"Unknown command \"bogus\""_s;
    QTest::newRow("group without action") << QStringList{u"token"_s} << 2 << u"\"token\" needs an action"_s;
    QTest::newRow("unknown action") << QStringList{u"test"_s, u"frobnicate"_s, u"x"_s} << 2 << u"is not a command"_s;
    QTest::newRow("unknown option") << QStringList{u"agent"_s, u"list"_s, u"--colour"_s} << 2
                                    << u"Unknown option 'colour'"_s;
    QTest::newRow("missing argument") << QStringList{u"token"_s, u"revoke"_s} << 2 << u"Expected 1 argument"_s;
    QTest::newRow("bad --uses") << QStringList{u"token"_s, u"create"_s, u"t"_s, u"--uses"_s, u"0"_s} << 2
                                << u"--uses must be"_s;
    QTest::newRow("half a key pair") << QStringList{u"fingerprint"_s, u"--cert"_s, u"x.pem"_s} << 2
                                     << u"Give --cert and --key together"_s;
    QTest::newRow("bad --db") << QStringList{u"token"_s, u"list"_s, u"--db"_s, u"mysql://x"_s} << 2
                              << u"must start with sqlite:"_s;
    QTest::newRow("no such token") << QStringList{u"token"_s, u"revoke"_s, u"nosuch"_s} << 1 << u"nosuch"_s;
    QTest::newRow("no such agent") << QStringList{u"agent"_s, u"revoke"_s, u"nosuch"_s} << 1 << u"nosuch"_s;
    QTest::newRow("target for a host test") << QStringList{u"test"_s, u"add"_s, u"--name"_s, u"h"_s, u"--type"_s,
        u"system"_s, u"--target"_s, u"192.0.2.1"_s, u"--agents"_s, u"all"_s}
                                            << 2 << u"measures the agent's own host, so it takes no target"_s;
    QTest::newRow("bad interface list") << QStringList{u"test"_s, u"add"_s, u"--name"_s, u"h"_s, u"--type"_s,
        u"system"_s, u"--agents"_s, u"all"_s, u"--param"_s, u"interfaces=eth0,a/b"_s}
                                        << 2 << u"\"a/b\" in interfaces= is not a network interface name"_s;
    QTest::newRow("deploy to nobody") << QStringList{u"deploy"_s, u"--package"_s, u"x.deb"_s} << 2
                                      << u"Name the hosts: --host HOST"_s;
    QTest::newRow("deploy to a bad host") << QStringList{u"deploy"_s, u"--host"_s, u"ops@-oProxyCommand=x"_s} << 2
                                          << u"\"ops@-oProxyCommand=x\" is not a host name or IP address."_s;
    QTest::newRow("deploy --name for two") << QStringList{u"deploy"_s, u"--host"_s, u"ops@a"_s, u"--host"_s, u"ops@b"_s,
        u"--name"_s, u"x"_s} << 2 << u"--name is for one --host"_s;
    QTest::newRow("deploy without a package")
        << QStringList{u"deploy"_s, u"--host"_s, u"ops@a"_s} << 2 << u"Give the agent's package with --package FILE"_s;
    QTest::newRow("deploy a non-package") << QStringList{u"deploy"_s, u"--host"_s, u"ops@a"_s, u"--package"_s,
        u"/proc/self/status"_s} << 2 << u"/proc/self/status is not a Debian package (.deb)."_s;
    QTest::newRow("deploy with a bad fingerprint") << QStringList{u"deploy"_s, u"--host"_s, u"ops@a"_s,
        u"--fingerprint"_s, u"abc"_s} << 2 << u"--fingerprint \"abc\" is not a SHA-256 fingerprint"_s;
    QTest::newRow("unreadable --db-file") << QStringList{u"token"_s, u"list"_s, u"--db-file"_s, u"/nonexistent/db"_s}
                                          << 1 << u"Cannot read /nonexistent/db"_s;
}

void TestCli::exitCodes()
{
    QFETCH(QStringList, arguments);
    QFETCH(int, exitCode);
    QFETCH(QString, message);
    const CommandResult result = cli(arguments);
    QVERIFY(result.finished);
    QCOMPARE(result.exitCode, exitCode);
    QVERIFY2(result.err.contains(message), qPrintable(result.err));
    QCOMPARE(result.err.count(u'\n'), 1);
    QVERIFY2(result.out.isEmpty(), qPrintable(result.out));
}

void TestCli::strayWordsAreNotHelp()
{
    // The agent's own options: a stray word is an error even with --help (not help and exit 0).
    // Its exit code becomes 2 once agent/main.cpp returns the code the option parser gives.
    const CommandResult agent = runCommand(agentBinary(), {u"stray"_s, u"--help"_s});
    QVERIFY(agent.exitCode != 0);
    QVERIFY2(agent.err.contains(u"Unknown command or argument \"stray\""_s), qPrintable(agent.err));
    QVERIFY2(agent.out.isEmpty(), qPrintable(agent.out));
}

void TestCli::helpListsEveryCommand()
{
    const CommandResult help = runCommand(consoleBinary(), {u"--help"_s});
    QCOMPARE(help.exitCode, 0);
    const QStringList commands{u"token create"_s, u"token list"_s, u"token revoke"_s, u"agent list"_s,
        u"agent revoke"_s, u"agent rekey"_s, u"test add"_s, u"test list"_s, u"test stop"_s, u"export"_s, u"summary"_s,
        u"event list"_s, u"fingerprint"_s};
    for (const QString &command : commands) {
        // Each listed on a line of its own, and each one really a command with its own help.
        QVERIFY2(help.out.contains(QRegularExpression(u"\\n  "_s + QRegularExpression::escape(command) + u"  +\\S"_s)),
            qPrintable(command + u" is not listed in:\n"_s + help.out));
        const CommandResult own = runCommand(consoleBinary(), command.split(u' ') + QStringList{u"--help"_s});
        QVERIFY2(own.exitCode == 0, qPrintable(command + u": "_s + own.err));
        QVERIFY2(own.out.startsWith(u"Usage: streamswarm-console "_s + command), qPrintable(own.out));
    }
}

void TestCli::groupHelpListsItsActions()
{
    const CommandResult token = runCommand(consoleBinary(), {u"token"_s, u"--help"_s});
    QCOMPARE(token.exitCode, 0);
    QVERIFY(token.err.isEmpty());
    QVERIFY2(token.out.startsWith(u"Usage: streamswarm-console token ACTION"_s), qPrintable(token.out));
    for (const QString &action : {u"create"_s, u"list"_s, u"revoke"_s}) {
        QVERIFY2(token.out.contains(QRegularExpression(u"\\n  "_s + action + u"  +\\S"_s)),
            qPrintable(action + u" is not listed in:\n"_s + token.out));
    }
    const CommandResult agent = runCommand(consoleBinary(), {u"agent"_s, u"-h"_s});
    QCOMPARE(agent.exitCode, 0);
    QVERIFY2(agent.out.contains(u"\n  rekey "_s), qPrintable(agent.out));
}

void TestCli::usageNamesTheProgramNotItsPath()
{
    for (const QStringList &arguments : {QStringList{u"--help"_s}, QStringList{u"token"_s, u"create"_s, u"--help"_s},
             QStringList{u"export"_s, u"--help"_s}}) {
        const CommandResult help = runCommand(consoleBinary(), arguments);
        QCOMPARE(help.exitCode, 0);
        QVERIFY2(help.out.startsWith(u"Usage: streamswarm-console"_s), qPrintable(help.out));
        QVERIFY2(!help.out.contains(consoleBinary()), qPrintable(help.out));
    }
    for (const QString &option : {u"--help"_s, u"--help-all"_s}) {
        const CommandResult agent = runCommand(agentBinary(), {option});
        QCOMPARE(agent.exitCode, 0);
        QVERIFY2(agent.out.startsWith(u"Usage: streamswarm-agent [options]"_s), qPrintable(agent.out));
        QVERIFY2(!agent.out.contains(agentBinary()), qPrintable(agent.out));
    }
}

void TestCli::agentSpeaksOfWss()
{
    const CommandResult help = runCommand(agentBinary(), {u"--help"_s});
    QCOMPARE(help.exitCode, 0);
    QVERIFY2(help.out.contains(u"wss://HOST:PORT"_s), qPrintable(help.out));
    QVERIFY2(!help.out.contains(QRegularExpression(u"address, ws://"_s)), qPrintable(help.out));
    const CommandResult noServer = runCommand(agentBinary(), {});
    QVERIFY(noServer.exitCode != 0);
    QVERIFY2(noServer.err.contains(u"--server wss://"_s), qPrintable(noServer.err));
    const CommandResult badServer = runCommand(agentBinary(), {u"--server"_s, u"console:8765"_s});
    QVERIFY(badServer.exitCode != 0);
    QVERIFY2(badServer.err.contains(u"like wss://HOST:PORT"_s), qPrintable(badServer.err));
}

// A test of the agent's own host needs no --target; it is stored as "local".
void TestCli::hostTestsTakeNoTarget()
{
    const CommandResult added = cli({u"test"_s, u"add"_s, u"--name"_s, u"own-host"_s, u"--type"_s, u"system"_s,
        u"--interval"_s, u"10s"_s, u"--continuous"_s, u"--agents"_s, u"all"_s});
    QVERIFY2(added.exitCode == 0, qPrintable(added.err));
    const CommandResult listed = cli({u"test"_s, u"list"_s, u"--json"_s});
    QVERIFY2(listed.exitCode == 0, qPrintable(listed.err));
    QVERIFY2(listed.out.contains(u"\"target\":\"local\""_s) || listed.out.contains(u"\"target\": \"local\""_s),
        qPrintable(listed.out));
}

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
