// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

#include "tests/support/debianroot.h"
#include "tests/support/processharness.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm::Test;

// The agent's .deb as a user gets it: made by cpack from this build, installed with apt-get into a
// fresh Debian root (debootstrap minbase, chroot), where apt resolves its dependencies; configured,
// started by its init script (no systemd in a chroot), enrolled with a console on this host and
// streaming; upgraded over itself keeping its credential and settings; purged.
class TestDebPackage : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void packageDeclaresWhatItNeeds();
    void installsIntoACleanDebianRoot();
    void configuredAgentEnrollsAndStreams();
    void upgradeKeepsCredentialAndSettings();
    void purgeRemovesStateAndSettings();
    void cleanupTestCase();

private:
    CommandResult inRoot(const QString &command, int timeoutMs = 120000) const
    {
        return m_root.run(command, timeoutMs);
    }
    QByteArray fileInRoot(const QString &path) const { return m_root.file(path); }
    int samples();

    QTemporaryDir m_dir;
    DebianRoot m_root;
    QString m_package;
    std::unique_ptr<ConsoleHarness> m_console;
};

int TestDebPackage::samples()
{
    const CommandResult summary = m_console->cli({u"summary"_s, u"--json"_s});
    return QJsonDocument::fromJson(summary.out.toUtf8()).object()[u"samples"_s].toInt();
}

void TestDebPackage::initTestCase()
{
    if (::geteuid() != 0)
        QSKIP("Installing into a chroot needs root (CI runs as root).");
    if (UNDER_ASAN)
        QSKIP("A sanitizer build's programs need the sanitizer runtime, which a clean Debian root lacks.");
    for (const QString &tool : {u"cpack"_s, u"debootstrap"_s, u"dpkg-deb"_s}) {
        QVERIFY2(!QStandardPaths::findExecutable(tool).isEmpty(),
            qPrintable(tool + u" is missing (scripts/deps test installs cmake, debootstrap and dpkg)"_s));
    }
    QVERIFY(m_dir.isValid());
    QString error;
    m_package = buildAgentPackage(m_dir.filePath(u"packages"_s), &error);
    QVERIFY2(!m_package.isEmpty(), qPrintable(error));
    QVERIFY2(m_root.create(m_dir.filePath(u"root"_s), &error), qPrintable(error));
}

void TestDebPackage::packageDeclaresWhatItNeeds()
{
    const CommandResult depends = runCommand(u"dpkg-deb"_s, {u"-f"_s, m_package, u"Depends"_s});
    QCOMPARE(depends.exitCode, 0);
    // Found by dpkg-shlibdeps in the programs themselves, and libcurl, which the agent opens later.
    for (const QString &library : {u"libqt6core6"_s, u"libqt6websockets6"_s, u"libssl3"_s, u"libc-ares2"_s,
             u"libnl-genl-3-200"_s, u"libiperf0"_s, u"libcurl4 (>= 7.85)"_s, u"adduser"_s}) {
        QVERIFY2(depends.out.contains(library), qPrintable(library + u" missing from: "_s + depends.out));
    }
    const CommandResult contents = runCommand(u"dpkg-deb"_s, {u"-c"_s, m_package});
    for (const QString &path :
        {u"./usr/bin/streamswarm-agent"_s, u"./usr/libexec/streamswarm/streamswarm-agent-throughput"_s,
            u"./usr/lib/systemd/system/streamswarm-agent.service"_s, u"./usr/lib/sysusers.d/streamswarm-agent.conf"_s,
            u"./etc/streamswarm/agent.conf"_s, u"./etc/init.d/streamswarm-agent"_s}) {
        QVERIFY2(contents.out.contains(path), qPrintable(path + u" missing from the package"_s));
    }
    const CommandResult conffiles = runCommand(u"dpkg-deb"_s, {u"-I"_s, m_package, u"conffiles"_s});
    QVERIFY(conffiles.out.contains(u"/etc/streamswarm/agent.conf"_s));
}

void TestDebPackage::installsIntoACleanDebianRoot()
{
    QVERIFY(QFile::copy(m_package, m_root.path() + u"/tmp/agent.deb"_s));
    const CommandResult install = inRoot(
        u"apt-get update -q && apt-get install -y -q --no-install-recommends /tmp/agent.deb libcap2-bin"_s, 300000);
    QVERIFY2(install.exitCode == 0, qPrintable(install.out.right(3000) + install.err.right(3000)));
    // Nothing to connect to yet: installed and enabled, not started, and the user is told what to do.
    QVERIFY2(
        install.out.contains(u"set server = and token = in /etc/streamswarm/agent.conf"_s), qPrintable(install.out));

    QVERIFY(QFile::exists(m_root.path() + u"/usr/bin/streamswarm-agent"_s));
    QVERIFY(QFile::exists(m_root.path() + u"/usr/lib/systemd/system/streamswarm-agent.service"_s));
    QVERIFY(QFile::exists(m_root.path() + u"/etc/rc2.d/S01streamswarm-agent"_s)); // update-rc.d defaults
    const CommandResult user = inRoot(u"getent passwd streamswarm"_s);
    QVERIFY2(user.out.contains(u":/var/lib/streamswarm-agent:/usr/sbin/nologin"_s), qPrintable(user.out));
    const CommandResult settings
        = inRoot(u"stat -c '%a %U:%G' /etc/streamswarm/agent.conf /var/lib/streamswarm-agent"_s);
    QCOMPARE(settings.out, u"640 root:streamswarm\n700 streamswarm:streamswarm\n"_s);
    const CommandResult version = inRoot(u"streamswarm-agent --version"_s);
    QCOMPARE(version.out.trimmed(), u"streamswarm-agent " STREAMSWARM_VERSION ""_s);
    const CommandResult capability = inRoot(u"getcap /usr/bin/streamswarm-agent"_s);
    QVERIFY2(capability.out.contains(u"cap_net_raw=ep"_s), qPrintable(capability.out + capability.err));
}

void TestDebPackage::configuredAgentEnrollsAndStreams()
{
    m_console = std::make_unique<ConsoleHarness>(m_dir.filePath(u"console"_s), true);
    QVERIFY2(m_console->start(), qPrintable(m_console->process().output()));
    const QString token = m_console->cli({u"token"_s, u"create"_s, u"packaged"_s}).out.trimmed();
    const QString fingerprint = m_console->cli({u"fingerprint"_s}).out.trimmed();
    QVERIFY(token.startsWith(u"sse_"_s));
    // As the package's note says: the settings, then the init script (the chroot shares this host's network).
    QFile settings(m_root.path() + u"/etc/streamswarm/agent.conf"_s);
    QVERIFY(settings.open(QIODevice::Append));
    settings.write(u"server = %1\ntoken = %2\nfingerprint = %3\nname = packaged\n"_s
                       .arg(m_console->serverUrl(), token, fingerprint)
                       .toUtf8());
    settings.close();
    const CommandResult start = inRoot(u"/etc/init.d/streamswarm-agent start"_s);
    QVERIFY2(start.exitCode == 0, qPrintable(start.out + start.err));
    QVERIFY2(m_console->process().waitForOutput(u"agent packaged online"_s, 15000),
        qPrintable(QString::fromUtf8(fileInRoot(u"/var/log/streamswarm-agent.log"_s))));
    QTRY_VERIFY2_WITH_TIMEOUT(
        QString::fromUtf8(fileInRoot(u"/var/log/streamswarm-agent.log"_s)).contains(u"enrolled as packaged"_s),
        fileInRoot(u"/var/log/streamswarm-agent.log"_s).constData(), 5000);
    const CommandResult add = m_console->cli({u"test"_s, u"add"_s, u"--name"_s, u"beat"_s, u"--type"_s, u"ping"_s,
        u"--target"_s, u"127.0.0.1"_s, u"--interval"_s, u"500ms"_s, u"--agents"_s, u"packaged"_s});
    QVERIFY2(add.exitCode == 0, qPrintable(add.err));
    QTRY_VERIFY_WITH_TIMEOUT(samples() > 0, 15000);
}

void TestDebPackage::upgradeKeepsCredentialAndSettings()
{
    const QByteArray credential = fileInRoot(u"/var/lib/streamswarm-agent/credential.json"_s);
    const QByteArray settings = fileInRoot(u"/etc/streamswarm/agent.conf"_s);
    QVERIFY2(!credential.isEmpty(), qPrintable(inRoot(u"ls -la /var/lib/streamswarm-agent"_s).out));
    // The same package with a higher version, as the next release would be.
    QVERIFY(repackWithVersion(
        m_package, u"" STREAMSWARM_VERSION "+next"_s, m_dir.path(), m_root.path() + u"/tmp/agent-next.deb"_s));

    const int before = samples();
    const CommandResult upgrade = inRoot(u"apt-get install -y -q /tmp/agent-next.deb"_s);
    QVERIFY2(upgrade.exitCode == 0, qPrintable(upgrade.out + upgrade.err));
    QVERIFY2(upgrade.out.contains(u"started with /etc/init.d/streamswarm-agent (systemd is not running here)"_s),
        qPrintable(upgrade.out));
    QCOMPARE(fileInRoot(u"/var/lib/streamswarm-agent/credential.json"_s), credential);
    QCOMPARE(fileInRoot(u"/etc/streamswarm/agent.conf"_s), settings);
    // Stopped with SIGTERM and started again on its credential: online again, never enrolled twice.
    const QString log = QString::fromUtf8(fileInRoot(u"/var/log/streamswarm-agent.log"_s));
    QTRY_VERIFY_WITH_TIMEOUT(
        QString::fromUtf8(fileInRoot(u"/var/log/streamswarm-agent.log"_s)).count(u"online as packaged"_s) == 2, 15000);
    QCOMPARE(QString::fromUtf8(fileInRoot(u"/var/log/streamswarm-agent.log"_s)).count(u"enrolled as"_s), 1);
    QTRY_VERIFY_WITH_TIMEOUT(samples() > before, 15000);
}

void TestDebPackage::purgeRemovesStateAndSettings()
{
    const CommandResult purge = inRoot(u"apt-get purge -y -q streamswarm-agent"_s);
    QVERIFY2(purge.exitCode == 0, qPrintable(purge.out + purge.err));
    QVERIFY(!QFile::exists(m_root.path() + u"/usr/bin/streamswarm-agent"_s));
    QVERIFY(!QFile::exists(m_root.path() + u"/var/lib/streamswarm-agent"_s));
    QVERIFY(!QFile::exists(m_root.path() + u"/etc/streamswarm/agent.conf"_s));
    QVERIFY(!QFile::exists(m_root.path() + u"/etc/rc2.d/S01streamswarm-agent"_s));
    QVERIFY2(m_console->process().waitForOutput(u"agent packaged went offline"_s, 10000),
        qPrintable(m_console->process().output()));
}

void TestDebPackage::cleanupTestCase()
{
    m_root.stopEverything();
}

QTEST_GUILESS_MAIN(TestDebPackage)
#include "tst_debpackage.moc"
