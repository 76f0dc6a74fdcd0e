// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include <sys/stat.h>

#include <QDir>
#include <QFile>
#include <QFileInfo>
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

// The promises "agents are who they say they are" and "nothing measured is lost", checked with the
// real programs on loopback the way a new user met their faults: names taken over by another token,
// a re-enrolled agent giving up when the console went away, an agent that hung, false crash
// warnings, two consoles on one folder, a data folder open to everyone, and unclear failures.
class TestAgentTrust : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void takenNameIsRefused();
    void replaceTokenMovesAnAgentOnPurpose();
    void reenrolledAgentSurvivesAConsoleKill();
    void agentWithNothingToSignInWithExits();
    void deliberateExitsLeaveNoCrashWarning();
    void secondConsoleOnOneFolderIsRefused();
    void dataFolderIsPrivate();
    void existingOpenFolderIsWarnedAbout();
    void connectionFailuresNameTheirCause();
    void mistypedFingerprintIsNotPinned();
    void qosToAnAgentGoesToItsStampPort();

private:
    std::unique_ptr<ManagedProcess> startAgent(
        const QString &name, const QString &stateDir, const QString &token = {}, const QStringList &extra = {});
    QString createToken(const QString &name, const QStringList &extra = {});
    QJsonArray listJson(const QStringList &command);
    QString path(const QString &name) const { return m_dir->filePath(name); }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<ConsoleHarness> m_console;
};

void TestAgentTrust::init()
{
    // A console of its own for each case: refusals count towards the per-address lockout.
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_console = std::make_unique<ConsoleHarness>(path(u"console"_s));
    QVERIFY2(m_console->start(), qPrintable(m_console->process().output()));
}

void TestAgentTrust::cleanup()
{
    m_console.reset();
    m_dir.reset();
}

std::unique_ptr<ManagedProcess> TestAgentTrust::startAgent(
    const QString &name, const QString &stateDir, const QString &token, const QStringList &extra)
{
    QStringList arguments{u"--server"_s, m_console->serverUrl(), u"--state-dir"_s, stateDir};
    if (!name.isEmpty())
        arguments << u"--name"_s << name;
    if (m_console->serverUrl().startsWith(u"ws:"_s))
        arguments << u"--insecure"_s;
    if (!token.isEmpty())
        arguments << u"--token"_s << token;
    auto agent = std::make_unique<ManagedProcess>(agentBinary(), arguments + extra);
    agent->start();
    return agent;
}

QString TestAgentTrust::createToken(const QString &name, const QStringList &extra)
{
    const CommandResult result = m_console->cli(QStringList{u"token"_s, u"create"_s, name} + extra);
    if (result.exitCode != 0)
        qWarning("token create failed: %s", qPrintable(result.err));
    return result.out.trimmed();
}

QJsonArray TestAgentTrust::listJson(const QStringList &command)
{
    return QJsonDocument::fromJson(m_console->cli(command + QStringList{u"--json"_s}).out.toUtf8()).array();
}

void TestAgentTrust::takenNameIsRefused()
{
    const QString one = createToken(u"one"_s);
    const QString two = createToken(u"two"_s, {u"--uses"_s, u"2"_s});
    auto first = startAgent(u"edge-1"_s, path(u"a1"_s), one);
    QVERIFY2(first->waitForOutput(u"online as edge-1"_s, 10000), qPrintable(first->output()));

    // Another token holder (or a cloned host with the same host name) asks for the same name.
    auto second = startAgent(u"edge-1"_s, path(u"a2"_s), two);
    QVERIFY(second->waitForExit(10000));
    QCOMPARE(second->exitCode(), 1);
    QVERIFY2(
        second->output().contains(u"belongs to an agent that is already enrolled"_s), qPrintable(second->output()));
    QVERIFY2(second->output().contains(u"--replace edge-1"_s), qPrintable(second->output()));
    QVERIFY2(!second->output().contains(u"did not shut down cleanly"_s), qPrintable(second->output()));
    QVERIFY(!QFile::exists(path(u"a2/credential.json"_s)));

    // The first agent was not touched: still online, with its own credential, never cut off.
    QVERIFY(first->isRunning());
    QVERIFY2(!first->output().contains(u"connected again"_s), qPrintable(first->output()));
    const QJsonArray agents = listJson({u"agent"_s, u"list"_s});
    QCOMPARE(agents.size(), 1);
    QCOMPARE(agents.first()[u"status"_s].toString(), u"online"_s);

    // The refusal is in the audit trail, and it cost the token nothing.
    const QJsonArray events = listJson({u"event"_s, u"list"_s});
    const bool audited = std::any_of(events.cbegin(), events.cend(), [](const QJsonValue &event) {
        return event[u"kind"_s].toString() == u"enroll-refused"_s
            && event[u"message"_s].toString().contains(u"edge-1"_s);
    });
    QVERIFY2(audited, qPrintable(QString::fromUtf8(QJsonDocument(events).toJson())));
    const QJsonArray tokens = listJson({u"token"_s, u"list"_s});
    const auto twoRecord = std::find_if(
        tokens.cbegin(), tokens.cend(), [](const QJsonValue &token) { return token[u"name"_s] == u"two"_s; });
    QVERIFY(twoRecord != tokens.cend());
    QCOMPARE((*twoRecord)[u"usesLeft"_s].toInt(), 2);

    // The same token under a free name works.
    auto third = startAgent(u"edge-2"_s, path(u"a3"_s), two);
    QVERIFY2(third->waitForOutput(u"online as edge-2"_s, 10000), qPrintable(third->output()));
}

void TestAgentTrust::replaceTokenMovesAnAgentOnPurpose()
{
    auto old = startAgent(u"edge-1"_s, path(u"old"_s), createToken(u"first"_s));
    QVERIFY2(old->waitForOutput(u"online as edge-1"_s, 10000), qPrintable(old->output()));

    const CommandResult unknown = m_console->cli({u"token"_s, u"create"_s, u"x"_s, u"--replace"_s, u"nobody"_s});
    QCOMPARE(unknown.exitCode, 1);
    QVERIFY2(unknown.err.contains(u"nobody"_s), qPrintable(unknown.err));

    const QString mover = createToken(u"mover"_s, {u"--replace"_s, u"edge-1"_s});
    QVERIFY2(mover.startsWith(u"sse_"_s), qPrintable(mover));
    // The new host's own name does not matter: the token says which agent it becomes.
    auto moved = startAgent(u"new-host"_s, path(u"new"_s), mover);
    QVERIFY2(moved->waitForOutput(u"online as edge-1"_s, 10000), qPrintable(moved->output()));

    // The old host's credential no longer works: it is told so and stops.
    QVERIFY(old->waitForExit(15000));
    QCOMPARE(old->exitCode(), 1);
    QVERIFY2(old->output().contains(u"credential is not valid"_s), qPrintable(old->output()));
    const QJsonArray agents = listJson({u"agent"_s, u"list"_s});
    QCOMPARE(agents.size(), 1);
    const QJsonArray events = listJson({u"event"_s, u"list"_s});
    QVERIFY(std::any_of(events.cbegin(), events.cend(),
        [](const QJsonValue &event) { return event[u"kind"_s].toString() == u"agent-replaced"_s; }));
}

void TestAgentTrust::reenrolledAgentSurvivesAConsoleKill()
{
    const quint16 port = freeLocalPort();
    m_console = std::make_unique<ConsoleHarness>(path(u"console"_s), false, QStringList{}, port);
    QVERIFY2(m_console->start(), qPrintable(m_console->process().output()));
    const QString stateDir = path(u"agent"_s);
    auto agent = startAgent(u"edge-1"_s, stateDir, createToken(u"first"_s));
    QVERIFY2(agent->waitForOutput(u"online as edge-1"_s, 10000), qPrintable(agent->output()));
    QCOMPARE(m_console->cli({u"agent"_s, u"revoke"_s, u"edge-1"_s}).exitCode, 0);
    QVERIFY(agent->waitForExit(10000));

    // Enrolled again on its old state folder: the stored credential is refused first.
    agent = startAgent(u"edge-1"_s, stateDir, createToken(u"second"_s));
    QVERIFY2(agent->waitForOutput(u"enrolling again"_s, 10000), qPrintable(agent->output()));
    QVERIFY2(agent->waitForOutput(u"online as edge-1"_s, 10000), qPrintable(agent->output()));

    // The console dies without a word; the agent must wait for it, not give up.
    m_console->process().kill();
    QVERIFY2(agent->waitForOutput(u"Cannot reach the console"_s, 15000), qPrintable(agent->output()));
    QVERIFY2(agent->isRunning(), qPrintable(agent->output()));
    QVERIFY2(!agent->output().contains(u"refused this agent"_s), qPrintable(agent->output()));

    m_console = std::make_unique<ConsoleHarness>(path(u"console"_s), false, QStringList{}, port);
    QVERIFY2(m_console->start(), qPrintable(m_console->process().output()));
    const qsizetype before = agent->output().count(u"online as edge-1"_s);
    QTRY_VERIFY2_WITH_TIMEOUT(
        agent->output().count(u"online as edge-1"_s) > before, qPrintable(agent->output()), 20000);
    QVERIFY(agent->isRunning());
}

void TestAgentTrust::agentWithNothingToSignInWithExits()
{
    auto agent = startAgent(u"edge-1"_s, path(u"empty"_s));
    QVERIFY2(agent->waitForExit(5000), qPrintable(agent->output()));
    QCOMPARE(agent->exitCode(), 1);
    QVERIFY2(agent->output().contains(u"not enrolled yet"_s), qPrintable(agent->output()));
}

void TestAgentTrust::deliberateExitsLeaveNoCrashWarning()
{
    const QString stateDir = path(u"agent"_s);
    auto agent = startAgent(u"edge-1"_s, stateDir, createToken(u"first"_s));
    QVERIFY2(agent->waitForOutput(u"online as edge-1"_s, 10000), qPrintable(agent->output()));
    QCOMPARE(m_console->cli({u"agent"_s, u"revoke"_s, u"edge-1"_s}).exitCode, 0);
    QVERIFY(agent->waitForExit(10000));
    QCOMPARE(agent->exitCode(), 1);
    QVERIFY(!QFile::exists(stateDir + u"/running"_s));

    // Every later start after that deliberate exit: no crash warning, only the refusal again.
    agent = startAgent(u"edge-1"_s, stateDir);
    QVERIFY(agent->waitForExit(10000));
    QCOMPARE(agent->exitCode(), 1);
    QVERIFY2(!agent->output().contains(u"did not shut down cleanly"_s), qPrintable(agent->output()));
    QVERIFY2(agent->output().contains(u"revoked"_s), qPrintable(agent->output()));
    QVERIFY(!QFile::exists(stateDir + u"/running"_s));
}

void TestAgentTrust::secondConsoleOnOneFolderIsRefused()
{
    ConsoleHarness second(path(u"console"_s));
    QVERIFY(!second.start(5000));
    QVERIFY(second.process().waitForExit(5000));
    QCOMPARE(second.process().exitCode(), 1);
    const QString said = second.process().output();
    QVERIFY2(said.contains(u"Another console"_s), qPrintable(said));
    QVERIFY2(said.contains(QString::number(m_console->process().pid())), qPrintable(said));
    QVERIFY2(said.contains(m_console->serverUrl()), qPrintable(said));

    // The commands still work beside the running console, and its agents stay as they are.
    const CommandResult list = m_console->cli({u"agent"_s, u"list"_s});
    QCOMPARE(list.exitCode, 0);
    QVERIFY(m_console->process().isRunning());

    // Once the first has stopped, the folder is free again; also after a kill.
    m_console->process().kill();
    ConsoleHarness third(path(u"console"_s));
    QVERIFY2(third.start(), qPrintable(third.process().output()));
}

void TestAgentTrust::dataFolderIsPrivate()
{
    auto agent = startAgent(u"edge-1"_s, path(u"agent"_s), createToken(u"first"_s));
    QVERIFY2(agent->waitForOutput(u"online as edge-1"_s, 10000), qPrintable(agent->output()));
    const auto modeOf = [](const QString &file) {
        struct stat info = {};
        return ::stat(QFile::encodeName(file).constData(), &info) == 0 ? int(info.st_mode & 0777) : -1;
    };
    const QString folder = path(u"console"_s);
    QCOMPARE(modeOf(folder), 0700);
    QCOMPARE(modeOf(folder + u"/streamswarm.db"_s), 0600);
    QVERIFY(QFile::exists(folder + u"/streamswarm.db-wal"_s));
    QCOMPARE(modeOf(folder + u"/streamswarm.db-wal"_s), 0600);
    QCOMPARE(modeOf(folder + u"/streamswarm.db-shm"_s), 0600);
    QVERIFY2(!m_console->process().output().contains(u"can be read by other users"_s),
        qPrintable(m_console->process().output()));
}

void TestAgentTrust::existingOpenFolderIsWarnedAbout()
{
    m_console->process().terminate();
    QVERIFY(m_console->process().waitForExit(10000));
    const QString folder = path(u"console"_s);
    QVERIFY(QFile::setPermissions(folder,
        QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner | QFile::ReadGroup | QFile::ExeGroup | QFile::ReadOther
            | QFile::ExeOther));
    m_console = std::make_unique<ConsoleHarness>(folder);
    QVERIFY2(m_console->start(), qPrintable(m_console->process().output()));
    const QString said = m_console->process().output();
    QVERIFY2(said.contains(u"can be read by other users"_s) && said.contains(u"chmod 700"_s), qPrintable(said));
    QCOMPARE(said.count(u"can be read by other users"_s), 1);
    const auto warned = [this] {
        const QJsonArray events = listJson({u"event"_s, u"list"_s});
        return std::any_of(events.cbegin(), events.cend(),
            [](const QJsonValue &event) { return event[u"kind"_s].toString() == u"data-readable"_s; });
    };
    QTRY_VERIFY_WITH_TIMEOUT(warned(), 5000);
}

void TestAgentTrust::connectionFailuresNameTheirCause()
{
    // A closed port: refused, and nothing about TLS.
    const quint16 closed = freeLocalPort();
    auto refused = std::make_unique<ManagedProcess>(agentBinary(),
        QStringList{u"--server"_s, u"wss://127.0.0.1:%1"_s.arg(closed), u"--state-dir"_s, path(u"r"_s), u"--token"_s,
            createToken(u"t1"_s)});
    refused->start();
    QVERIFY2(refused->waitForOutput(u"reconnecting in"_s, 10000), qPrintable(refused->output()));
    QVERIFY2(refused->output().contains(u"the connection was refused"_s), qPrintable(refused->output()));
    QVERIFY2(!refused->output().contains(u"TLS"_s), qPrintable(refused->output()));
    QCOMPARE(refused->output().count(u"Cannot reach the console"_s), 1);

    // A plain web server where the console should be.
    QTcpServer web;
    QVERIFY(web.listen(QHostAddress::LocalHost));
    connect(&web, &QTcpServer::newConnection, &web, [&web] {
        QTcpSocket *client = web.nextPendingConnection();
        connect(client, &QTcpSocket::readyRead, client, [client] {
            client->readAll();
            client->write("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            client->disconnectFromHost();
        });
    });
    auto wrongServer = std::make_unique<ManagedProcess>(agentBinary(),
        QStringList{u"--server"_s, u"ws://127.0.0.1:%1"_s.arg(web.serverPort()), u"--insecure"_s, u"--state-dir"_s,
            path(u"w"_s), u"--token"_s, createToken(u"t2"_s)});
    wrongServer->start();
    QTRY_VERIFY2_WITH_TIMEOUT(
        wrongServer->output().contains(u"reconnecting in"_s), qPrintable(wrongServer->output()), 10000);
    QVERIFY2(wrongServer->output().contains(u"not as a StreamSwarm console"_s), qPrintable(wrongServer->output()));

    // A token that is not one: said plainly, before anything is sent.
    auto garbage = startAgent(u"edge-9"_s, path(u"g"_s), u"garbage"_s);
    QVERIFY(garbage->waitForExit(5000));
    QCOMPARE(garbage->exitCode(), 1);
    QVERIFY2(garbage->output().contains(u"is not an enrollment token"_s), qPrintable(garbage->output()));
    QVERIFY2(!garbage->output().contains(u"start the agent with --token"_s), qPrintable(garbage->output()));
}

void TestAgentTrust::mistypedFingerprintIsNotPinned()
{
    m_console = std::make_unique<ConsoleHarness>(path(u"console-tls"_s), true);
    QVERIFY2(m_console->start(), qPrintable(m_console->process().output()));
    const QString right = m_console->cli({u"fingerprint"_s}).out.trimmed();
    QVERIFY2(right.startsWith(u"sha256:"_s), qPrintable(right));
    QString typo = right;
    typo[typo.size() - 1] = typo.back() == u'0' ? u'1' : u'0';

    const QString stateDir = path(u"agent"_s);
    const QString token = createToken(u"first"_s);
    auto agent = startAgent(u"edge-1"_s, stateDir, token, {u"--fingerprint"_s, typo});
    QVERIFY(agent->waitForExit(10000));
    QCOMPARE(agent->exitCode(), 1);
    QVERIFY2(agent->output().contains(u"does not match the fingerprint you gave"_s), qPrintable(agent->output()));
    QVERIFY2(!agent->output().contains(u"HAS CHANGED"_s), qPrintable(agent->output()));
    QVERIFY(QDir(stateDir).entryList({u"*pin*"_s, u"*fingerprint*"_s}, QDir::Files).isEmpty());

    // Corrected, it enrolls and keeps the pin it checked; a later start needs no --fingerprint.
    agent = startAgent(u"edge-1"_s, stateDir, token, {u"--fingerprint"_s, right});
    QVERIFY2(agent->waitForOutput(u"online as edge-1"_s, 10000), qPrintable(agent->output()));
    agent->terminate();
    QVERIFY(agent->waitForExit(10000));
    agent = startAgent(u"edge-1"_s, stateDir);
    QVERIFY2(agent->waitForOutput(u"online as edge-1"_s, 10000), qPrintable(agent->output()));
}

void TestAgentTrust::qosToAnAgentGoesToItsStampPort()
{
    // Not the standard 862: only the port the reflector announced can answer.
    const quint16 stampPort = freeLocalPort();
    auto reflector = startAgent(
        u"branch-7"_s, path(u"reflector"_s), createToken(u"r"_s), {u"--stamp-port"_s, QString::number(stampPort)});
    QVERIFY2(reflector->waitForOutput(u"online as branch-7"_s, 10000), qPrintable(reflector->output()));
    auto sender = startAgent(u"edge-1"_s, path(u"sender"_s), createToken(u"s"_s));
    QVERIFY2(sender->waitForOutput(u"online as edge-1"_s, 10000), qPrintable(sender->output()));
    const CommandResult added = m_console->cli({u"test"_s, u"add"_s, u"--name"_s, u"q"_s, u"--type"_s, u"qos"_s,
        u"--target"_s, u"agent:branch-7"_s, u"--interval"_s, u"500ms"_s, u"--continuous"_s, u"--agents"_s, u"edge-1"_s,
        u"--param"_s, u"classes=ef"_s, u"--param"_s, u"count=3"_s, u"--param"_s, u"timeout=200ms"_s});
    QVERIFY2(added.exitCode == 0, qPrintable(added.err));
    QString csv;
    const auto answered = [&] {
        csv = m_console->cli({u"export"_s, u"--format"_s, u"csv"_s, u"--test"_s, u"q"_s}).out;
        return csv.contains(u",qos.ef.loss_pct,0,"_s);
    };
    QTRY_VERIFY2_WITH_TIMEOUT(answered(), qPrintable(csv.right(2000)), 15000);
    QVERIFY2(!csv.contains(u",qos.ef.loss_pct,100,"_s), qPrintable(csv));
}

QTEST_GUILESS_MAIN(TestAgentTrust)
#include "tst_agenttrust.moc"
