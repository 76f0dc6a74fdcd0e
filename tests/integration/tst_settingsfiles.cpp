// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

#include "tests/support/processharness.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm::Test;

// The console and the agent run from their settings files alone, as the services do: the console's
// collector, its command line (which finds the same database through the file), and an agent that
// enrolls and streams with nothing on its command line but --config. A mistake in a file stops the
// program with the file, the line and what is wrong.
class TestSettingsFiles : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void consoleAndAgentRunFromTheirFiles();
    void defaultFileIsRead();
    void mistakesNameTheFileAndLine_data();
    void mistakesNameTheFileAndLine();

private:
    QString write(const QString &name, const QByteArray &text);
    QTemporaryDir m_dir;
};

QString TestSettingsFiles::write(const QString &name, const QByteArray &text)
{
    const QString path = m_dir.filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(text) != text.size())
        return {};
    return path;
}

void TestSettingsFiles::consoleAndAgentRunFromTheirFiles()
{
    const QString consoleConf = write(u"console.conf"_s,
        "# the collector\n[console]\nheadless = yes\nlisten = 127.0.0.1:0\ndata-dir = "
            + QFile::encodeName(m_dir.filePath(u"console"_s)) + "\n");
    QVERIFY(!consoleConf.isEmpty());
    ManagedProcess console(consoleBinary(), {u"--config"_s, consoleConf});
    QVERIFY(console.start());
    QVERIFY2(console.waitForOutput(u"listening on wss://127.0.0.1:"_s, 15000), qPrintable(console.output()));
    const QString url = QRegularExpression(u"listening on (wss://[^ ]+:\\d+)"_s).match(console.output()).captured(1);
    QVERIFY(!url.isEmpty());
    const auto cli = [&](QStringList arguments) {
        return runCommand(consoleBinary(), arguments << u"--config"_s << consoleConf);
    };

    // The command line finds the collector's database and certificate through the same file.
    const CommandResult token = cli({u"token"_s, u"create"_s, u"field"_s, u"--uses"_s, u"1"_s});
    QVERIFY2(token.exitCode == 0, qPrintable(token.err));
    const CommandResult fingerprint = cli({u"fingerprint"_s});
    QVERIFY2(fingerprint.exitCode == 0, qPrintable(fingerprint.err));
    QVERIFY(console.waitForOutput(fingerprint.out.trimmed(), 5000)); // the one the collector said at start

    const QString agentConf = write(u"agent.conf"_s,
        "[agent]\nserver = " + url.toUtf8() + "\ntoken = " + token.out.trimmed().toUtf8()
            + "\nname = from-file\nstate-dir = " + QFile::encodeName(m_dir.filePath(u"agent"_s))
            + "\nfingerprint = " + fingerprint.out.trimmed().toUtf8() + "\n");
    ManagedProcess agent(agentBinary(), {u"--config"_s, agentConf});
    QVERIFY(agent.start());
    QVERIFY2(agent.waitForOutput(u"enrolled as from-file"_s, 10000), qPrintable(agent.output()));
    // The file was written with the usual umask: others can read the token in it, and are told so.
    QVERIFY(agent.output().contains(agentConf + u" holds an enrollment token and other users can read it"_s));
    QVERIFY2(console.waitForOutput(u"agent from-file online"_s, 10000), qPrintable(console.output()));

    if (::geteuid() != 0)
        QSKIP("Measuring needs root or CAP_NET_RAW for ICMP sockets (CI runs as root).");
    const CommandResult add = cli({u"test"_s, u"add"_s, u"--name"_s, u"beat"_s, u"--type"_s, u"ping"_s, u"--target"_s,
        u"127.0.0.1"_s, u"--interval"_s, u"500ms"_s, u"--agents"_s, u"from-file"_s});
    QVERIFY2(add.exitCode == 0, qPrintable(add.err));
    const auto samples = [&] {
        return QJsonDocument::fromJson(cli({u"summary"_s, u"--json"_s}).out.toUtf8()).object()[u"samples"_s].toInt();
    };
    QTRY_VERIFY_WITH_TIMEOUT(samples() > 0, 15000);
}

void TestSettingsFiles::defaultFileIsRead()
{
    // Without --config each program reads its file from the system folder (/etc/streamswarm, here a
    // folder of the test's through STREAMSWARM_CONFIG_DIR, which ctest points at an empty one).
    const QString folder = m_dir.filePath(u"etc"_s);
    QVERIFY(QDir().mkpath(folder));
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(u"STREAMSWARM_CONFIG_DIR"_s, folder);
    QVERIFY(!write(u"etc/agent.conf"_s, "server = wss://h:1\nname = two words\n").isEmpty());
    const CommandResult agent = runCommand(agentBinary(), {}, 15000, environment);
    QCOMPARE(agent.exitCode, 2);
    QVERIFY2(agent.err.contains(folder + u"/agent.conf, line 2: "_s), qPrintable(agent.err));
    QVERIFY(!write(u"etc/console.conf"_s, "listen = nowhere\n").isEmpty());
    const CommandResult console = runCommand(
        consoleBinary(), {u"agent"_s, u"list"_s, u"--data-dir"_s, m_dir.filePath(u"cli"_s)}, 15000, environment);
    QCOMPARE(console.exitCode, 0); // the commands read only where the data is
    const CommandResult collector = runCommand(consoleBinary(), {u"--headless"_s}, 15000, environment);
    QCOMPARE(collector.exitCode, 2);
    QVERIFY2(
        collector.err.contains(folder + u"/console.conf, line 1: listen \"nowhere\""_s), qPrintable(collector.err));
}

void TestSettingsFiles::mistakesNameTheFileAndLine_data()
{
    QTest::addColumn<QString>("program");
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("message"); // after "<file>, line N: "
    QTest::addColumn<int>("line");
    QTest::newRow("agent: a typo") << agentBinary() << QByteArray("[agent]\nserver = wss://h:1\nsever = x\n")
                                   << u"\"sever\" is not a setting; did you mean \"server\"?"_s << 3;
    QTest::newRow("agent: a bad value") << agentBinary() << QByteArray("server = wss://h:1\n\nspool-size = lots\n")
                                        << u"spool-size \"lots\" is not a size between 64KiB and 1TiB"_s << 3;
    QTest::newRow("agent: console's section")
        << agentBinary() << QByteArray("[console]\n") << u"\"[console]\" is not a section this file can have"_s << 1;
    QTest::newRow("console: a bad address") << consoleBinary() << QByteArray("headless = yes\nlisten = everywhere\n")
                                            << u"listen \"everywhere\" is not HOST:PORT"_s << 2;
    QTest::newRow("console: a switch") << consoleBinary() << QByteArray("insecure = perhaps\n")
                                       << u"insecure = perhaps: say yes or no."_s << 1;
}

void TestSettingsFiles::mistakesNameTheFileAndLine()
{
    QFETCH(QString, program);
    QFETCH(QByteArray, text);
    QFETCH(QString, message);
    QFETCH(int, line);
    const QString path = write(u"mistake.conf"_s, text);
    const CommandResult result = runCommand(program, {u"--config"_s, path}, 15000);
    QVERIFY(result.finished);
    QCOMPARE(result.exitCode, 2);
    QVERIFY2(result.err.contains(u"%1, line %2: %3"_s.arg(path).arg(line).arg(message)), qPrintable(result.err));
    QCOMPARE(result.err.count(path), 1); // one line says it all
}

QTEST_GUILESS_MAIN(TestSettingsFiles)
#include "tst_settingsfiles.moc"
