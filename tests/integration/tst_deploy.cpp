// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <unistd.h>

#include "tests/support/debianroot.h"
#include "tests/support/processharness.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm::Test;

namespace {

// Passes an SSH connection through, and drops it (both sides reset) once more than limit bytes have
// gone towards the server: a host that goes away halfway through the package. Lives on its own
// thread, since the test waits for the deploying program in a blocking call.
class CuttingProxy final : public QObject
{
public:
    CuttingProxy(quint16 target, qint64 limit)
        : m_target(target)
        , m_limit(limit)
    {
        connect(&m_server, &QTcpServer::newConnection, this, &CuttingProxy::accept);
    }
    quint16 listen()
    {
        m_server.listen(QHostAddress::LocalHost);
        return m_server.serverPort();
    }
    bool cut() const { return m_cut; }

private:
    void accept()
    {
        QTcpSocket *client = m_server.nextPendingConnection();
        auto *server = new QTcpSocket(client);
        connect(server, &QTcpSocket::connected, client, [this, client, server] {
            const auto forward = [this, client, server] {
                const QByteArray data = client->readAll();
                m_sent += data.size();
                if (m_sent > m_limit) {
                    m_cut = true;
                    server->abort();
                    client->abort();
                    return;
                }
                server->write(data);
            };
            connect(client, &QTcpSocket::readyRead, server, forward);
            forward();
        });
        connect(server, &QTcpSocket::readyRead, client, [client, server] { client->write(server->readAll()); });
        connect(server, &QTcpSocket::disconnected, client, &QTcpSocket::disconnectFromHost);
        connect(client, &QTcpSocket::disconnected, client, &QObject::deleteLater);
        server->connectToHost(QHostAddress::LocalHost, m_target);
    }

    QTcpServer m_server{this}; // a child, so it moves to the proxy's thread with it
    quint16 m_target;
    qint64 m_limit;
    qint64 m_sent = 0;
    std::atomic_bool m_cut{false};
};

constexpr char DEPLOYER_PASSWORD[] = "correct horse 42";
constexpr char GUEST_PASSWORD[] = "guest password 7";

} // namespace

// streamswarm-console deploy against a real sshd: a clean Debian root (chroot) with openssh-server and
// sudo, its sshd on 127.0.0.1. Host keys are checked against ssh-keygen's own reading of the root's key;
// every refusal leaves the host as it was; a full deploy ends with an enrolled agent that streams, and a
// second one upgrades it in place.
class TestDeploy : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void firstContactShowsTheFingerprintAndAsks();
    void changedHostKeyIsRefused();
    void wrongPasswordIsRefused();
    void userWithoutSudoIsRefused();
    void droppedConnectionLeavesNothing();
    void deployEnrollsAnAgentThatStreams();
    void deployingAgainUpgradesInPlace();
    void cleanupTestCase();

private:
    CommandResult deploy(const QStringList &arguments, const QString &password = {},
        const QProcessEnvironment &environment = QProcessEnvironment::systemEnvironment());
    void verifyNothingInstalled();
    int samples();
    QString tokenStates();

    QTemporaryDir m_dir;
    DebianRoot m_root;
    QString m_package;
    QString m_knownHosts;
    QString m_key;
    QString m_hostFingerprint; // as ssh-keygen reads the root's own key file
    quint16 m_sshPort = 0;
    std::unique_ptr<ManagedProcess> m_sshd;
    std::unique_ptr<ConsoleHarness> m_console;
};

void TestDeploy::initTestCase()
{
    if (::geteuid() != 0)
        QSKIP("A Debian root with its own sshd needs root (CI runs as root).");
    if (UNDER_ASAN)
        QSKIP("A sanitizer build's agent needs the sanitizer runtime, which a clean Debian root lacks.");
    for (const QString &tool : {u"cpack"_s, u"dpkg-deb"_s, u"ssh-keygen"_s, u"ssh-agent"_s, u"ssh-add"_s}) {
        QVERIFY2(!QStandardPaths::findExecutable(tool).isEmpty(),
            qPrintable(tool + u" is missing (scripts/deps test installs cmake, dpkg-dev and openssh-client)"_s));
    }
    QVERIFY(m_dir.isValid());
    QString error;
    m_package = buildAgentPackage(m_dir.filePath(u"packages"_s), &error);
    QVERIFY2(!m_package.isEmpty(), qPrintable(error));

    // The host: sshd and sudo, and three users. deployer logs in with a password and needs it for sudo,
    // automation has a key and password-less sudo, guest may log in but not use sudo.
    QVERIFY2(m_root.create(m_dir.filePath(u"root"_s), &error), qPrintable(error));
    const CommandResult tools = m_root.run(
        u"apt-get update -q && apt-get install -y -q --no-install-recommends openssh-server sudo"_s, 300000);
    QVERIFY2(tools.exitCode == 0, qPrintable(tools.out.right(3000) + tools.err.right(3000)));
    const CommandResult users = m_root.run(uR"(set -e
        useradd -m -s /bin/sh deployer && echo 'deployer:%1' | chpasswd
        useradd -m -s /bin/sh automation
        useradd -m -s /bin/sh guest && echo 'guest:%2' | chpasswd
        echo 'deployer ALL=(ALL:ALL) ALL' >/etc/sudoers.d/deployer
        echo 'automation ALL=(ALL:ALL) NOPASSWD: ALL' >/etc/sudoers.d/automation
        chmod 0440 /etc/sudoers.d/deployer /etc/sudoers.d/automation
        mkdir -p /run/sshd /home/automation/.ssh)"_s.arg(
        QLatin1StringView(DEPLOYER_PASSWORD), QLatin1StringView(GUEST_PASSWORD)));
    QVERIFY2(users.exitCode == 0, qPrintable(users.err));
    m_key = m_dir.filePath(u"id_automation"_s);
    QCOMPARE(runCommand(u"ssh-keygen"_s, {u"-q"_s, u"-t"_s, u"ed25519"_s, u"-N"_s, u""_s, u"-f"_s, m_key}).exitCode, 0);
    QFile publicKey(m_key + u".pub"_s);
    QVERIFY(publicKey.open(QIODevice::ReadOnly));
    QVERIFY(m_root.writeFile(u"/home/automation/.ssh/authorized_keys"_s, publicKey.readAll()));
    QCOMPARE(m_root.run(u"chown -R automation: /home/automation/.ssh"_s).exitCode, 0);

    const CommandResult fingerprint
        = runCommand(u"ssh-keygen"_s, {u"-l"_s, u"-f"_s, m_root.path() + u"/etc/ssh/ssh_host_ed25519_key.pub"_s});
    m_hostFingerprint = fingerprint.out.section(u' ', 1, 1);
    QVERIFY2(m_hostFingerprint.startsWith(u"SHA256:"_s), qPrintable(fingerprint.out + fingerprint.err));

    m_sshPort = freeLocalPort();
    m_sshd = std::make_unique<ManagedProcess>(u"chroot"_s,
        QStringList{m_root.path(), u"/usr/sbin/sshd"_s, u"-D"_s, u"-e"_s, u"-p"_s, QString::number(m_sshPort), u"-o"_s,
            u"ListenAddress=127.0.0.1"_s});
    QVERIFY(m_sshd->start());
    QTRY_VERIFY2_WITH_TIMEOUT(
        [this] {
            QTcpSocket probe;
            probe.connectToHost(QHostAddress::LocalHost, m_sshPort);
            return probe.waitForConnected(200);
        }(),
        qPrintable(m_sshd->output()), 10000);
    m_knownHosts = m_dir.filePath(u"known_hosts"_s);

    m_console = std::make_unique<ConsoleHarness>(m_dir.filePath(u"console"_s), true);
    QVERIFY2(m_console->start(), qPrintable(m_console->process().output()));
}

CommandResult TestDeploy::deploy(
    const QStringList &arguments, const QString &password, const QProcessEnvironment &environment)
{
    const QStringList common{u"deploy"_s, u"--data-dir"_s, m_dir.filePath(u"console"_s), u"--package"_s, m_package,
        u"--server"_s, m_console->serverUrl(), u"--known-hosts"_s, m_knownHosts, u"--wait"_s, u"30s"_s};
    if (password.isEmpty())
        return runCommand(consoleBinary(), common + arguments, 300000, environment);
    // As a script would: the password on the program's standard input, never on its command line.
    QProcessEnvironment withPassword = environment;
    withPassword.insert(u"DEPLOY_PASSWORD"_s, password);
    return runCommand(u"sh"_s,
        QStringList{u"-c"_s, u"printf '%s\\n' \"$DEPLOY_PASSWORD\" | exec \"$0\" \"$@\""_s, consoleBinary()} + common
            + arguments + QStringList{u"--password-stdin"_s},
        300000, withPassword);
}

// What a refused deployment must leave: no package, no settings, no agent, nothing copied.
void TestDeploy::verifyNothingInstalled()
{
    QVERIFY(m_root.run(u"dpkg-query -W streamswarm-agent"_s).exitCode != 0);
    QVERIFY(!QFile::exists(m_root.path() + u"/etc/streamswarm/agent.conf"_s));
    QVERIFY(!QFile::exists(m_root.path() + u"/usr/bin/streamswarm-agent"_s));
    QTRY_COMPARE_WITH_TIMEOUT(
        QDir(m_root.path() + u"/tmp"_s).entryList({u"streamswarm-deploy.*"_s}, QDir::AllEntries | QDir::Hidden),
        QStringList(), 10000);
}

int TestDeploy::samples()
{
    const CommandResult summary = m_console->cli({u"summary"_s, u"--json"_s});
    return QJsonDocument::fromJson(summary.out.toUtf8()).object()[u"samples"_s].toInt();
}

// "revoked revoked used up": the deployment tokens' states, oldest first.
QString TestDeploy::tokenStates()
{
    const CommandResult list = m_console->cli({u"token"_s, u"list"_s, u"--json"_s});
    QStringList states;
    for (const QJsonValue &token : QJsonDocument::fromJson(list.out.toUtf8()).array())
        states.append(token[u"state"_s].toString());
    return states.join(u", "_s);
}

void TestDeploy::firstContactShowsTheFingerprintAndAsks()
{
    // No terminal to ask on and no --accept-new-host-key: refused, with the key to compare.
    const CommandResult first = deploy({u"--host"_s, u"automation@127.0.0.1:%1"_s.arg(m_sshPort), u"--key"_s, m_key});
    QCOMPARE(first.exitCode, 1);
    QVERIFY2(
        first.out.contains(u"127.0.0.1 is new to this computer: its ssh-ed25519 key is %1. Nothing was done."_s.arg(
            m_hostFingerprint)),
        qPrintable(first.out + first.err));
    QVERIFY(!QFile::exists(m_knownHosts));
    QVERIFY(!first.out.contains(u"Copying"_s));
    verifyNothingInstalled();
    QVERIFY2(!tokenStates().contains(u"active"_s), qPrintable(tokenStates())); // its token is revoked
}

void TestDeploy::changedHostKeyIsRefused()
{
    const QString otherKey = m_dir.filePath(u"other_host_key"_s);
    QCOMPARE(
        runCommand(u"ssh-keygen"_s, {u"-q"_s, u"-t"_s, u"ed25519"_s, u"-N"_s, u""_s, u"-f"_s, otherKey}).exitCode, 0);
    QFile other(otherKey + u".pub"_s);
    QVERIFY(other.open(QIODevice::ReadOnly));
    const QByteArray record = "[127.0.0.1]:" + QByteArray::number(m_sshPort) + ' ' + other.readAll().trimmed() + '\n';
    QFile knownHosts(m_knownHosts);
    QVERIFY(knownHosts.open(QIODevice::WriteOnly));
    knownHosts.write(record);
    knownHosts.close();

    const CommandResult changed = deploy(
        {u"--host"_s, u"automation@127.0.0.1:%1"_s.arg(m_sshPort), u"--key"_s, m_key, u"--accept-new-host-key"_s});
    QCOMPARE(changed.exitCode, 1);
    QVERIFY2(
        changed.out.contains(u"WARNING: 127.0.0.1 shows another host key than the one on record (now ssh-ed25519 "_s
            + m_hostFingerprint + u")"_s),
        qPrintable(changed.out + changed.err));
    QVERIFY2(changed.out.contains(u"ssh-keygen -R '[127.0.0.1]:%1' -f '%2'"_s.arg(m_sshPort).arg(m_knownHosts)),
        qPrintable(changed.out));
    QVERIFY(knownHosts.open(QIODevice::ReadOnly));
    QCOMPARE(knownHosts.readAll(), record); // --accept-new-host-key never replaces a key
    knownHosts.close();
    verifyNothingInstalled();
    QVERIFY(QFile::remove(m_knownHosts));
}

void TestDeploy::wrongPasswordIsRefused()
{
    const CommandResult wrong = deploy(
        {u"--host"_s, u"deployer@127.0.0.1:%1"_s.arg(m_sshPort), u"--accept-new-host-key"_s}, u"not the password"_s);
    QCOMPARE(wrong.exitCode, 1);
    QVERIFY2(wrong.out.contains(u"127.0.0.1 refused the password for user deployer. Nothing was done."_s),
        qPrintable(wrong.out + wrong.err));
    // The key was new and accepted as asked: recorded, as ssh-keygen finds it.
    const CommandResult recorded
        = runCommand(u"ssh-keygen"_s, {u"-F"_s, u"[127.0.0.1]:%1"_s.arg(m_sshPort), u"-f"_s, m_knownHosts, u"-l"_s});
    QVERIFY2(recorded.out.contains(m_hostFingerprint), qPrintable(recorded.out + recorded.err));
    verifyNothingInstalled();
}

void TestDeploy::userWithoutSudoIsRefused()
{
    const CommandResult guest
        = deploy({u"--host"_s, u"guest@127.0.0.1:%1"_s.arg(m_sshPort)}, QString::fromLatin1(GUEST_PASSWORD));
    QCOMPARE(guest.exitCode, 1);
    QVERIFY2(guest.out.contains(u"guest may not use sudo on 127.0.0.1. Nothing was installed."_s),
        qPrintable(guest.out + guest.err));
    verifyNothingInstalled();
    // A key, and sudo would want a password that was not given: said so before anything is copied.
    const CommandResult noPassword = deploy({u"--host"_s, u"deployer@127.0.0.1:%1"_s.arg(m_sshPort)});
    QCOMPARE(noPassword.exitCode, 1);
    QVERIFY2(noPassword.out.contains(u"No way to log in to 127.0.0.1"_s), qPrintable(noPassword.out));
}

void TestDeploy::droppedConnectionLeavesNothing()
{
    // Cut once 300 kB have gone towards the host: the login is done, the package (over 700 kB) is not.
    QThread thread;
    auto *proxy = new CuttingProxy(m_sshPort, 300 * 1024);
    proxy->moveToThread(&thread);
    connect(&thread, &QThread::finished, proxy, &QObject::deleteLater);
    thread.start();
    quint16 port = 0;
    QMetaObject::invokeMethod(
        proxy, [&] { port = proxy->listen(); }, Qt::BlockingQueuedConnection);
    QVERIFY(port != 0);

    const CommandResult dropped
        = deploy({u"--host"_s, u"automation@127.0.0.1:%1"_s.arg(port), u"--key"_s, m_key, u"--accept-new-host-key"_s});
    const bool cut = proxy->cut();
    thread.quit();
    thread.wait();
    QVERIFY(cut);
    QCOMPARE(dropped.exitCode, 1);
    QVERIFY2(dropped.out.contains(u"The connection to 127.0.0.1 was lost while copying the package"_s),
        qPrintable(dropped.out + dropped.err));
    verifyNothingInstalled(); // the half-copied package is gone too
}

void TestDeploy::deployEnrollsAnAgentThatStreams()
{
    const CommandResult deployed
        = deploy({u"--host"_s, u"deployer@127.0.0.1:%1"_s.arg(m_sshPort), u"--name"_s, u"deployed"_s},
            QString::fromLatin1(DEPLOYER_PASSWORD));
    QVERIFY2(deployed.exitCode == 0, qPrintable(deployed.out + deployed.err));
    QVERIFY2(deployed.out.contains(u"Installed " STREAMSWARM_VERSION ", started by its init script"_s),
        qPrintable(deployed.out));
    QVERIFY2(deployed.out.contains(u"agent deployed enrolled and is online"_s), qPrintable(deployed.out));
    QVERIFY(deployed.out.endsWith(u"1 of 1 host(s) deployed.\n"_s));
    QVERIFY2(m_console->process().waitForOutput(u"agent deployed online"_s, 5000),
        qPrintable(m_console->process().output()));

    // Settings as the package wants them, pinned to this console, with a token that is now used up.
    const CommandResult mode = m_root.run(u"stat -c '%a %U:%G' /etc/streamswarm/agent.conf"_s);
    QCOMPARE(mode.out, u"640 root:streamswarm\n"_s);
    const QString settings = QString::fromUtf8(m_root.file(u"/etc/streamswarm/agent.conf"_s));
    const QString fingerprint = m_console->cli({u"fingerprint"_s}).out.trimmed();
    QVERIFY2(settings.contains(u"\nserver = "_s + m_console->serverUrl() + u'\n'), qPrintable(settings));
    QVERIFY2(settings.contains(u"\nfingerprint = "_s + fingerprint + u'\n'), qPrintable(settings));
    QVERIFY2(settings.contains(u"\nname = deployed\n"_s), qPrintable(settings));
    QVERIFY2(tokenStates().endsWith(u"used up"_s) && !tokenStates().contains(u"active"_s), qPrintable(tokenStates()));
    // Nothing of the deployment stays in /tmp: the token sat there only while it ran.
    QCOMPARE(QDir(m_root.path() + u"/tmp"_s).entryList({u"streamswarm-deploy.*"_s}), QStringList());

    const CommandResult add = m_console->cli({u"test"_s, u"add"_s, u"--name"_s, u"beat"_s, u"--type"_s, u"ping"_s,
        u"--target"_s, u"127.0.0.1"_s, u"--interval"_s, u"500ms"_s, u"--agents"_s, u"deployed"_s});
    QVERIFY2(add.exitCode == 0, qPrintable(add.err));
    QTRY_VERIFY_WITH_TIMEOUT(samples() > 0, 15000);
}

void TestDeploy::deployingAgainUpgradesInPlace()
{
    const QByteArray credential = m_root.file(u"/var/lib/streamswarm-agent/credential.json"_s);
    // The host's administrator quoted the name meanwhile, as the settings file allows.
    QByteArray settings = m_root.file(u"/etc/streamswarm/agent.conf"_s);
    settings.replace("\nname = deployed\n", "\nname = \"deployed\"\n");
    QVERIFY(m_root.writeFile(u"/etc/streamswarm/agent.conf"_s, settings));
    QVERIFY(!credential.isEmpty());
    const QString next = m_dir.filePath(u"streamswarm-agent_next.deb"_s);
    QVERIFY(repackWithVersion(m_package, u"" STREAMSWARM_VERSION "+next"_s, m_dir.path(), next));
    m_package = next;

    // This time the key comes from an SSH agent, and sudo needs no password.
    const QString socket = m_dir.filePath(u"ssh-agent.sock"_s);
    ManagedProcess sshAgent(u"ssh-agent"_s, {u"-D"_s, u"-a"_s, socket});
    QVERIFY(sshAgent.start());
    QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(socket), 5000);
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(u"SSH_AUTH_SOCK"_s, socket);
    const CommandResult added = runCommand(u"ssh-add"_s, {m_key}, 10000, environment);
    QVERIFY2(added.exitCode == 0, qPrintable(added.err));

    const int before = samples();
    const CommandResult again
        = deploy({u"--host"_s, u"automation@127.0.0.1:%1"_s.arg(m_sshPort)}, QString(), environment);
    QVERIFY2(again.exitCode == 0, qPrintable(again.out + again.err));
    QVERIFY2(again.out.contains(u"Upgraded " STREAMSWARM_VERSION " to " STREAMSWARM_VERSION
                                "+next; agent deployed is online, on its own settings and credential"_s),
        qPrintable(again.out));
    QCOMPARE(m_root.file(u"/var/lib/streamswarm-agent/credential.json"_s), credential);
    QCOMPARE(m_root.file(u"/etc/streamswarm/agent.conf"_s), settings);
    QCOMPARE(m_root.run(u"dpkg-query -W -f '${Version}' streamswarm-agent"_s).out, u"" STREAMSWARM_VERSION "+next"_s);
    const QString log = QString::fromUtf8(m_root.file(u"/var/log/streamswarm-agent.log"_s));
    QCOMPARE(log.count(u"enrolled as"_s), 1);
    QVERIFY(!tokenStates().contains(u"active"_s)); // the upgrade's token was never needed
    QTRY_VERIFY_WITH_TIMEOUT(samples() > before, 15000);
}

void TestDeploy::cleanupTestCase()
{
    m_root.stopEverything();
}

QTEST_GUILESS_MAIN(TestDeploy)
#include "tst_deploy.moc"
