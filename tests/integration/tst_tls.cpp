// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include "tests/support/processharness.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm::Test;

// wss:// between real processes: the agent pins the console's certificate (on first use or from
// --fingerprint) and refuses, loudly, a console whose certificate changed or that speaks plain text.
class TestTls final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void agentTrustsOnFirstUse();
    void changedCertificateIsRefused();
    void wrongFingerprintIsRefused();
    void rightFingerprintIsAccepted();
    void plainAgentToTlsConsoleIsTold();
    void tlsAgentToPlainConsoleIsTold();
    void usersOwnCertificate();

private:
    std::unique_ptr<ManagedProcess> startAgent(
        const ConsoleHarness &console, const QString &stateDir, const QStringList &extra = {});
    QString token(const ConsoleHarness &console, const QString &name);

    QTemporaryDir m_dir;
    std::unique_ptr<ConsoleHarness> m_console;
};

void TestTls::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_console = std::make_unique<ConsoleHarness>(m_dir.filePath(u"console"_s), true);
    QVERIFY2(m_console->start(), qPrintable(m_console->process().output()));
    QVERIFY2(m_console->serverUrl().startsWith(u"wss://"_s), qPrintable(m_console->serverUrl()));
}

QString TestTls::token(const ConsoleHarness &console, const QString &name)
{
    return console.cli({u"token"_s, u"create"_s, name}).out.trimmed();
}

std::unique_ptr<ManagedProcess> TestTls::startAgent(
    const ConsoleHarness &console, const QString &stateDir, const QStringList &extra)
{
    QStringList arguments{
        u"--server"_s, console.serverUrl(), u"--name"_s, QDir(stateDir).dirName(), u"--state-dir"_s, stateDir};
    auto agent = std::make_unique<ManagedProcess>(agentBinary(), arguments + extra);
    agent->start();
    return agent;
}

void TestTls::agentTrustsOnFirstUse()
{
    const QString stateDir = m_dir.filePath(u"tofu"_s);
    auto agent = startAgent(*m_console, stateDir, {u"--token"_s, token(*m_console, u"t1"_s)});
    QVERIFY2(agent->waitForOutput(u"online as tofu"_s, 10000), qPrintable(agent->output()));
    QVERIFY(agent->output().contains(u"trusting the console's certificate"_s));

    const QString fingerprint = m_console->cli({u"fingerprint"_s}).out.trimmed();
    QVERIFY(fingerprint.startsWith(u"sha256:"_s));
    QFile pin(stateDir + u"/console-fingerprint"_s);
    QVERIFY(pin.open(QIODevice::ReadOnly));
    QCOMPARE(QString::fromLatin1(pin.readAll()).trimmed(), fingerprint);
    QCOMPARE(pin.permissions() & 0x0077, QFile::Permissions());

    // Restarted, it checks the same certificate silently.
    agent->terminate();
    QVERIFY(agent->waitForExit(5000));
    agent = startAgent(*m_console, stateDir);
    QVERIFY2(agent->waitForOutput(u"online as tofu"_s, 10000), qPrintable(agent->output()));
    QVERIFY(!agent->output().contains(u"trusting"_s));
}

void TestTls::changedCertificateIsRefused()
{
    // A second console with its own new certificate, reached by an agent that pinned the first.
    const QString stateDir = m_dir.filePath(u"tofu"_s);
    ConsoleHarness impostor(m_dir.filePath(u"impostor"_s), true);
    QVERIFY(impostor.start());
    auto agent = std::make_unique<ManagedProcess>(agentBinary(),
        QStringList{u"--server"_s, impostor.serverUrl(), u"--name"_s, u"tofu"_s, u"--state-dir"_s, stateDir,
            u"--token"_s, token(impostor, u"t1"_s)});
    QVERIFY(agent->start());
    QVERIFY(agent->waitForExit(10000));
    QCOMPARE(agent->exitCode(), 1);
    QVERIFY2(agent->output().contains(u"THE CONSOLE'S CERTIFICATE HAS CHANGED"_s), qPrintable(agent->output()));
    QVERIFY(agent->output().contains(impostor.cli({u"fingerprint"_s}).out.trimmed()));
    // The impostor never saw the token or the credential: no agent enrolled there.
    QVERIFY2(impostor.cli({u"agent"_s, u"list"_s}).out.count(u'\n') == 1, "the impostor enrolled an agent");
}

void TestTls::wrongFingerprintIsRefused()
{
    const QString wrong = u"sha256:"_s + QString::fromLatin1(QByteArray(32, '\x5a').toHex(':'));
    auto agent = startAgent(*m_console, m_dir.filePath(u"wrongpin"_s),
        {u"--fingerprint"_s, wrong, u"--token"_s, token(*m_console, u"t2"_s)});
    QVERIFY(agent->waitForExit(10000));
    QCOMPARE(agent->exitCode(), 1);
    // First use: a fingerprint given by hand that does not match is a typo to fix, not an attack,
    // and it is not kept as the pin.
    QVERIFY2(agent->output().contains(u"does not match the fingerprint you gave"_s), qPrintable(agent->output()));
    QVERIFY(!QFile::exists(m_dir.filePath(u"wrongpin/console-fingerprint"_s)));
}

void TestTls::rightFingerprintIsAccepted()
{
    const QString fingerprint = m_console->cli({u"fingerprint"_s}).out.trimmed();
    auto agent = startAgent(*m_console, m_dir.filePath(u"pinned"_s),
        {u"--fingerprint"_s, fingerprint.toUpper(), u"--token"_s, token(*m_console, u"t3"_s)});
    QVERIFY2(agent->waitForOutput(u"online as pinned"_s, 10000), qPrintable(agent->output()));
    QVERIFY(!agent->output().contains(u"trusting"_s));
}

void TestTls::plainAgentToTlsConsoleIsTold()
{
    QString url = m_console->serverUrl();
    url.replace(u"wss://"_s, u"ws://"_s);
    auto agent = std::make_unique<ManagedProcess>(agentBinary(),
        QStringList{u"--server"_s, url, u"--insecure"_s, u"--name"_s, u"plain"_s, u"--state-dir"_s,
            m_dir.filePath(u"plain"_s), u"--token"_s, token(*m_console, u"t4"_s)});
    QVERIFY(agent->start());
    QVERIFY(agent->waitForExit(10000));
    QCOMPARE(agent->exitCode(), 1);
    QVERIFY2(agent->output().contains(u"The console speaks TLS only"_s), qPrintable(agent->output()));
}

void TestTls::tlsAgentToPlainConsoleIsTold()
{
    ConsoleHarness plain(m_dir.filePath(u"plainconsole"_s), false);
    QVERIFY(plain.start());
    QString url = plain.serverUrl();
    url.replace(u"ws://"_s, u"wss://"_s);
    auto agent = std::make_unique<ManagedProcess>(agentBinary(),
        QStringList{u"--server"_s, url, u"--name"_s, u"tlsagent"_s, u"--state-dir"_s, m_dir.filePath(u"tlsagent"_s),
            u"--token"_s, token(plain, u"t5"_s)});
    QVERIFY(agent->start());
    // The plain console drops the unreadable TLS hello when its handshake timeout (10 s) passes.
    QVERIFY2(agent->waitForOutput(u"did not complete a TLS handshake"_s, 20000), qPrintable(agent->output()));
    QVERIFY(agent->output().contains(u"use ws:// and --insecure"_s));
    QCOMPARE(plain.cli({u"agent"_s, u"list"_s}).out.count(u'\n'), 1); // nobody enrolled in plain text
}

void TestTls::usersOwnCertificate()
{
    // A pair made elsewhere (here by a console started once in another folder) handed in with --cert/--key.
    const QString pairDir = m_dir.filePath(u"pair"_s);
    const CommandResult once = runCommand(consoleBinary(),
        {u"--headless"_s, u"--data-dir"_s, pairDir, u"--listen"_s, u"127.0.0.1:0"_s, u"--stop-after"_s, u"100ms"_s});
    QVERIFY2(once.exitCode == 0, qPrintable(once.err));
    const CommandResult made = runCommand(consoleBinary(), {u"fingerprint"_s, u"--data-dir"_s, pairDir});
    QCOMPARE(made.exitCode, 0);
    const QStringList files{u"--cert"_s, pairDir + u"/console-cert.pem"_s, u"--key"_s, pairDir + u"/console-key.pem"_s};
    ConsoleHarness own(m_dir.filePath(u"ownconsole"_s), true, files);
    QVERIFY2(own.start(), qPrintable(own.process().output()));
    QCOMPARE(own.cli(QStringList{u"fingerprint"_s} + files).out.trimmed(), made.out.trimmed());
    auto agent = std::make_unique<ManagedProcess>(agentBinary(),
        QStringList{u"--server"_s, own.serverUrl(), u"--name"_s, u"own"_s, u"--state-dir"_s, m_dir.filePath(u"own"_s),
            u"--fingerprint"_s, made.out.trimmed(), u"--token"_s, token(own, u"t6"_s)});
    QVERIFY(agent->start());
    QVERIFY2(agent->waitForOutput(u"online as own"_s, 10000), qPrintable(agent->output()));
    QVERIFY(!QFile::exists(m_dir.filePath(u"ownconsole/console-key.pem"_s))); // none of its own was made
}

QTEST_GUILESS_MAIN(TestTls)
#include "tst_tls.moc"
