// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include <cmath>
#include <memory>

#include <sys/stat.h>

#include <QDir>
#include <QFile>
#include <QScopeGuard>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include "agent/agentoptions.h"
#include "agent/connection/backoff.h"
#include "agent/connection/credentialstore.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm;
using namespace StreamSwarm::Agent;

namespace {

int permissions(const QString &path)
{
    struct stat info;
    if (::stat(QFile::encodeName(path).constData(), &info) != 0)
        return -1;
    return int(info.st_mode & 07777);
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(bytes) == bytes.size();
}

// Restores (or removes) an environment variable when the test ends, however it ends.
class EnvironmentVariable
{
public:
    explicit EnvironmentVariable(const char *name)
        : m_name(name)
        , m_wasSet(qEnvironmentVariableIsSet(name))
        , m_old(qgetenv(name))
    { }
    ~EnvironmentVariable()
    {
        if (m_wasSet)
            qputenv(m_name, m_old);
        else
            qunsetenv(m_name);
    }
    Q_DISABLE_COPY_MOVE(EnvironmentVariable)

private:
    const char *m_name;
    bool m_wasSet;
    QByteArray m_old;
};

} // namespace

class TestAgentConnection : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void backoffBounds_data();
    void backoffBounds();
    void backoffReset();
    void backoffDefaultRandomStaysInBounds();

    void credentialSaveLoad();
    void credentialPermissions();
    void credentialMissingFile();
    void credentialDamaged_data();
    void credentialDamaged();
    void credentialUnwritableFolder();

    void options_data();
    void options();
    void optionsTokenFromEnvironment();
    void optionsConfigFile();
    void optionsMissingConfigFile();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestAgentConnection::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

void TestAgentConnection::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestAgentConnection::cleanup()
{
    m_dir.reset();
}

void TestAgentConnection::backoffBounds_data()
{
    QTest::addColumn<double>("random");
    QTest::addColumn<QList<qint64>>("delays");

    // Step doubles from 1 s and stops at 30 s; each delay is step/2 + random * (step - step/2).
    QTest::newRow("random 0: lower bound") << 0.0 << QList<qint64>{500, 1000, 2000, 4000, 8000, 15000, 15000, 15000};
    // 0.999 * 500 = 499.5 -> 499; * 1000 = 999; * 2000 = 1998; * 4000 = 3996; * 8000 = 7992; * 15000 = 14985.
    QTest::newRow("random 0.999: upper bound")
        << 0.999 << QList<qint64>{999, 1999, 3998, 7996, 15992, 29985, 29985, 29985};
    QTest::newRow("random 0.5") << 0.5 << QList<qint64>{750, 1500, 3000, 6000, 12000, 22500, 22500, 22500};
    // The largest double below 1: one ms under each step.
    QTest::newRow("random just below 1") << std::nextafter(1.0, 0.0)
                                         << QList<qint64>{999, 1999, 3999, 7999, 15999, 29999, 29999, 29999};
}

void TestAgentConnection::backoffBounds()
{
    QFETCH(double, random);
    QFETCH(QList<qint64>, delays);

    Backoff backoff(1000, 30000, [random] { return random; });
    QList<qint64> actual;
    for (qsizetype i = 0; i < delays.size(); ++i) {
        actual.append(backoff.nextDelayMs());
        QCOMPARE(backoff.attempts(), int(i + 1));
    }
    QCOMPARE(actual, delays);
    // Far into an outage the step stays capped (the shift is limited; no overflow).
    for (int i = 0; i < 100; ++i)
        backoff.nextDelayMs();
    QCOMPARE(backoff.nextDelayMs(), delays.last());
}

void TestAgentConnection::backoffReset()
{
    Backoff backoff(1000, 30000, [] { return 0.0; });
    QCOMPARE(backoff.nextDelayMs(), qint64(500));
    QCOMPARE(backoff.nextDelayMs(), qint64(1000));
    QCOMPARE(backoff.nextDelayMs(), qint64(2000));
    backoff.reset();
    QCOMPARE(backoff.attempts(), 0);
    QCOMPARE(backoff.nextDelayMs(), qint64(500));
}

void TestAgentConnection::backoffDefaultRandomStaysInBounds()
{
    Backoff backoff;
    const QList<qint64> lower{500, 1000, 2000, 4000, 8000, 15000, 15000};
    const QList<qint64> upper{999, 1999, 3999, 7999, 15999, 29999, 29999};
    for (int round = 0; round < 50; ++round) {
        backoff.reset();
        for (qsizetype i = 0; i < lower.size(); ++i) {
            const qint64 delay = backoff.nextDelayMs();
            QVERIFY2(
                delay >= lower.at(i) && delay <= upper.at(i), qPrintable(u"attempt %1: %2 ms"_s.arg(i).arg(delay)));
        }
    }
}

void TestAgentConnection::credentialSaveLoad()
{
    CredentialStore store(m_dir->filePath(u"state"_s));
    QString error;
    QVERIFY2(store.prepare(&error), qPrintable(error));
    QCOMPARE(store.filePath(), m_dir->filePath(u"state/credential.json"_s));

    StoredCredential credential;
    credential.server = u"ws://console.example:8765"_s;
    credential.agentName = u"edge-01"_s;
    credential.agentId = 9'007'199'254'740'993; // above 2^53: must not pass through a double
    credential.credential = u"ssa_0123456789abcdef_AbCd_Ef-Gh"_s;
    QVERIFY2(store.save(credential, &error), qPrintable(error));

    const auto loaded = CredentialStore(m_dir->filePath(u"state"_s)).load(&error);
    QVERIFY2(loaded, qPrintable(error));
    QCOMPARE(loaded->server, credential.server);
    QCOMPARE(loaded->agentName, credential.agentName);
    QCOMPARE(loaded->agentId, credential.agentId);
    QCOMPARE(loaded->credential, credential.credential);

    // Saving again replaces the file whole.
    credential.credential = u"ssa_fedcba9876543210_new"_s;
    credential.agentId = 12;
    QVERIFY2(store.save(credential, &error), qPrintable(error));
    const auto replaced = store.load(&error);
    QVERIFY2(replaced, qPrintable(error));
    QCOMPARE(replaced->credential, u"ssa_fedcba9876543210_new"_s);
    QCOMPARE(replaced->agentId, qint64(12));
    QCOMPARE(
        QDir(m_dir->filePath(u"state"_s)).entryList(QDir::Files | QDir::Hidden), QStringList{u"credential.json"_s});
}

void TestAgentConnection::credentialPermissions()
{
    // A state folder that exists already with loose permissions is tightened.
    const QString stateDir = m_dir->filePath(u"state"_s);
    QVERIFY(QDir().mkpath(stateDir));
    QCOMPARE(::chmod(QFile::encodeName(stateDir).constData(), 0755), 0);
    const mode_t oldMask = ::umask(0); // the widest umask, so only the code's own choice counts
    const auto restoreMask = qScopeGuard([oldMask] { ::umask(oldMask); });

    CredentialStore store(stateDir);
    QString error;
    QVERIFY2(store.prepare(&error), qPrintable(error));
    QCOMPARE(permissions(stateDir), 0700);
    QVERIFY2(store.save(StoredCredential{u"ws://h:1"_s, u"a"_s, 1, u"secret"_s}, &error), qPrintable(error));
    QCOMPARE(permissions(store.filePath()), 0600);

    // A fresh, nested folder too.
    CredentialStore nested(m_dir->filePath(u"a/b/state"_s));
    QVERIFY2(nested.prepare(&error), qPrintable(error));
    QCOMPARE(permissions(m_dir->filePath(u"a/b/state"_s)), 0700);
}

void TestAgentConnection::credentialMissingFile()
{
    CredentialStore store(m_dir->filePath(u"state"_s));
    QString error;
    QVERIFY(store.prepare(&error));
    QVERIFY(!store.load(&error));
    QVERIFY2(error.isEmpty(), qPrintable(error)); // not enrolled yet is not an error
}

void TestAgentConnection::credentialDamaged_data()
{
    QTest::addColumn<QByteArray>("content");

    QTest::newRow("empty file") << QByteArray();
    QTest::newRow("not JSON") << QByteArray("credential=ssa_x\n");
    QTest::newRow("truncated JSON") << QByteArray(R"({"server": "ws://h:1", "credential": "ssa_)");
    QTest::newRow("no credential") << QByteArray(R"({"server": "ws://h:1", "agentName": "a", "agentId": 1})");
    QTest::newRow("credential not text") << QByteArray(R"({"credential": 42})");
    QTest::newRow("JSON list") << QByteArray(R"(["ssa_x"])");
    QTest::newRow("binary") << QByteArray("\x00\xff\xfe{", 4);
}

void TestAgentConnection::credentialDamaged()
{
    QFETCH(QByteArray, content);
    const QString stateDir = m_dir->filePath(u"state"_s);
    CredentialStore store(stateDir);
    QString error;
    QVERIFY(store.prepare(&error));
    QVERIFY(writeFile(store.filePath(), content));
    QVERIFY(!store.load(&error));
    QCOMPARE(error, u"%1 is damaged; delete it and enroll the agent again with a new token."_s.arg(store.filePath()));
}

void TestAgentConnection::credentialUnwritableFolder()
{
    // The state dir's parent is a plain file: no folder can be made there, whoever we are.
    const QString file = m_dir->filePath(u"plain"_s);
    QVERIFY(writeFile(file, "x"));
    CredentialStore store(file + u"/state"_s);
    QString error;
    QVERIFY(!store.prepare(&error));
    QVERIFY2(error.contains(file + u"/state"_s), qPrintable(error));
    QVERIFY2(error.contains(u"--state-dir"), qPrintable(error));
    QVERIFY(!store.save(StoredCredential{u"ws://h:1"_s, u"a"_s, 1, u"secret"_s}, &error));
    QVERIFY2(error.contains(store.filePath()), qPrintable(error));
}

void TestAgentConnection::options_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("error"); // a part of it; empty = accepted
    QTest::addColumn<QString>("server");
    QTest::addColumn<QString>("token");
    QTest::addColumn<QString>("name");

    const QString server = u"--server=wss://console.example:8765"_s;
    QTest::newRow("minimal") << QStringList{server, u"--token=sse_abc"_s, u"--name=edge-01"_s} << QString()
                             << u"wss://console.example:8765"_s << u"sse_abc"_s << u"edge-01"_s;
    QTest::newRow("IPv6 console") << QStringList{u"--server"_s, u"wss://[2001:db8::1]:9000"_s, u"--name"_s, u"a"_s}
                                  << QString() << u"wss://[2001:db8::1]:9000"_s << QString() << u"a"_s;
    QTest::newRow("plain ws with --insecure")
        << QStringList{u"--server=ws://console.example:8765"_s, u"--insecure"_s, u"--name=a"_s} << QString()
        << u"ws://console.example:8765"_s << QString() << u"a"_s;
    QTest::newRow("bad fingerprint") << QStringList{server, u"--fingerprint=ab:cd"_s}
                                     << u"--fingerprint \"ab:cd\" is not a SHA-256 fingerprint"_s << QString()
                                     << QString() << QString();
    QTest::newRow("missing --server") << QStringList{u"--token=sse_abc"_s} << u"--server is required"_s << QString()
                                      << QString() << QString();
    QTest::newRow("no scheme") << QStringList{u"--server=console.example:8765"_s}
                               << u"--server \"console.example:8765\" is not an address like ws://HOST:PORT."_s
                               << QString() << QString() << QString();
    QTest::newRow("http") << QStringList{u"--server=http://console.example:8765"_s}
                          << u"is not an address like ws://HOST:PORT"_s << QString() << QString() << QString();
    QTest::newRow("no port") << QStringList{u"--server=ws://console.example"_s}
                             << u"is not an address like ws://HOST:PORT"_s << QString() << QString() << QString();
    QTest::newRow("no host") << QStringList{u"--server=ws://:8765"_s} << u"is not an address like ws://HOST:PORT"_s
                             << QString() << QString() << QString();
    QTest::newRow("garbage URL") << QStringList{u"--server=ws://exa mple:80"_s}
                                 << u"is not an address like ws://HOST:PORT"_s << QString() << QString() << QString();
    QTest::newRow("plain ws refused")
        << QStringList{u"--server=ws://console.example:8765"_s}
        << u"--server ws://console.example:8765 is plain ws://, which sends the agent's credentials unencrypted; "
           "use wss:// or add --insecure (for labs only)."_s
        << QString() << QString() << QString();
    QTest::newRow("invalid name") << QStringList{server, u"--name=edge 01"_s} << u"The agent name \"edge 01\""_s
                                  << QString() << QString() << QString();
    QTest::newRow("name too long") << QStringList{server, u"--name="_s + QString(65, u'n')}
                                   << u"The agent name is longer than 64 characters."_s << QString() << QString()
                                   << QString();
    QTest::newRow("unknown option") << QStringList{server, u"--colour=blue"_s}
                                    << u"Unknown option 'colour'. See --help."_s << QString() << QString() << QString();
    QTest::newRow("positional argument") << QStringList{server, u"extra"_s}
                                         << u"Unknown command or argument \"extra\". See --help."_s << QString()
                                         << QString() << QString();
    QTest::newRow("missing token file") << QStringList{server, u"--token-file=/nonexistent/token"_s}
                                        << u"Cannot read the token file /nonexistent/token"_s << QString() << QString()
                                        << QString();
}

void TestAgentConnection::options()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, error);
    QFETCH(QString, server);
    QFETCH(QString, token);
    QFETCH(QString, name);

    EnvironmentVariable tokenVariable("STREAMSWARM_TOKEN");
    qunsetenv("STREAMSWARM_TOKEN");
    QString why;
    int exitCode = -1;
    const auto options = AgentOptions::parse(QStringList{u"streamswarm-agent"_s} + arguments, &why, &exitCode);
    QCOMPARE(exitCode, -1);
    if (!error.isEmpty()) {
        QVERIFY(!options);
        QVERIFY2(why.contains(error), qPrintable(why));
        QVERIFY2(!why.contains(u'\n'), qPrintable(why));
        return;
    }
    QVERIFY2(options, qPrintable(why));
    QCOMPARE(options->server.toString(), server);
    QCOMPARE(options->token, token);
    QCOMPARE(options->name, name);
    QCOMPARE(options->insecure, arguments.contains(u"--insecure"_s));
    QVERIFY(!options->stateDir.isEmpty()); // the per-user default (test mode: under ~/.qttest)
}

void TestAgentConnection::optionsTokenFromEnvironment()
{
    EnvironmentVariable tokenVariable("STREAMSWARM_TOKEN");
    const QStringList base{u"streamswarm-agent"_s, u"--server=wss://h:1"_s, u"--name=a"_s};
    QString why;
    int exitCode = -1;

    qputenv("STREAMSWARM_TOKEN", "sse_from_env");
    auto options = AgentOptions::parse(base, &why, &exitCode);
    QVERIFY2(options, qPrintable(why));
    QCOMPARE(options->token, u"sse_from_env"_s);

    // A token file (its surrounding whitespace trimmed) beats the environment...
    const QString tokenFile = m_dir->filePath(u"token"_s);
    QVERIFY(writeFile(tokenFile, "  sse_from_file\n"));
    options = AgentOptions::parse(base + QStringList{u"--token-file"_s, tokenFile}, &why, &exitCode);
    QVERIFY2(options, qPrintable(why));
    QCOMPARE(options->token, u"sse_from_file"_s);

    // ...and --token beats both.
    options = AgentOptions::parse(
        base + QStringList{u"--token-file"_s, tokenFile, u"--token=sse_from_arg"_s}, &why, &exitCode);
    QVERIFY2(options, qPrintable(why));
    QCOMPARE(options->token, u"sse_from_arg"_s);

    qunsetenv("STREAMSWARM_TOKEN");
    options = AgentOptions::parse(base, &why, &exitCode);
    QVERIFY2(options, qPrintable(why));
    QVERIFY(options->token.isEmpty()); // enrolled agents run on their stored credential
}

void TestAgentConnection::optionsConfigFile()
{
    EnvironmentVariable tokenVariable("STREAMSWARM_TOKEN");
    qunsetenv("STREAMSWARM_TOKEN");
    const QString config = m_dir->filePath(u"agent.ini"_s);
    const QString stateDir = m_dir->filePath(u"state"_s);
    QVERIFY(writeFile(config,
        QByteArray("server=ws://from-config:8765\n"
                   "token=sse_config\n"
                   "name=from-config\n"
                   "fingerprint=SHA256:"
                   "AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB\n"
                   "insecure=true\n"
                   "state-dir=")
            + QFile::encodeName(stateDir) + "\n"));
    QString why;
    int exitCode = -1;

    auto options = AgentOptions::parse({u"streamswarm-agent"_s, u"--config"_s, config}, &why, &exitCode);
    QVERIFY2(options, qPrintable(why));
    QCOMPARE(options->server.toString(), u"ws://from-config:8765"_s);
    QCOMPARE(options->token, u"sse_config"_s);
    QCOMPARE(options->name, u"from-config"_s);
    QCOMPARE(options->fingerprint, QByteArray(32, char(0xab)));
    QCOMPARE(options->stateDir, stateDir);
    QVERIFY(options->insecure);

    // The command line wins over the file.
    options = AgentOptions::parse(
        {u"streamswarm-agent"_s, u"--config"_s, config, u"--name=from-cli"_s, u"--server=ws://from-cli:1"_s}, &why,
        &exitCode);
    QVERIFY2(options, qPrintable(why));
    QCOMPARE(options->name, u"from-cli"_s);
    QCOMPARE(options->server.toString(), u"ws://from-cli:1"_s);
    QCOMPARE(options->token, u"sse_config"_s);

    // Values from the file are checked like the command line's. (A new file each time: QSettings
    // caches a file by name and may miss a rewrite of the same size within one millisecond.)
    const QString plain = m_dir->filePath(u"plain.ini"_s);
    QVERIFY(writeFile(plain, "server=ws://from-config:8765\n"));
    QVERIFY(!AgentOptions::parse({u"streamswarm-agent"_s, u"--config"_s, plain}, &why, &exitCode));
    QVERIFY2(why.contains(u"is plain ws://"), qPrintable(why));
    const QString badName = m_dir->filePath(u"bad-name.ini"_s);
    QVERIFY(writeFile(badName, "server=wss://h:1\nname=bad name\n"));
    QVERIFY(!AgentOptions::parse({u"streamswarm-agent"_s, u"--config"_s, badName}, &why, &exitCode));
    QVERIFY2(why.contains(u"\"bad name\""), qPrintable(why));
}

void TestAgentConnection::optionsMissingConfigFile()
{
    const QString config = m_dir->filePath(u"nope.ini"_s);
    QString why;
    int exitCode = -1;
    QVERIFY(!AgentOptions::parse({u"streamswarm-agent"_s, u"--config"_s, config}, &why, &exitCode));
    QCOMPARE(why, u"The config file %1 does not exist."_s.arg(config));
}

QTEST_GUILESS_MAIN(TestAgentConnection)

#include "tst_agentconnection.moc"
