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
#include "agent/connection/resultbuffer.h"
#include "agent/platform/linux/hardwarestamping.h"
#include "shared/protocol/codec.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm;
using namespace StreamSwarm::Agent;

namespace {

Protocol::Round roundNo(qint64 n, int values = 1)
{
    Protocol::Round round;
    round.testId = 1;
    round.timeMs = n; // the round's number, so tests can tell rounds apart
    for (int i = 0; i < values; ++i)
        round.values.append({u"ping.sent"_s, double(n)});
    return round;
}

Protocol::Event eventNo(qint64 n)
{
    return Protocol::Event{n, u"warning"_s, u"probe-error"_s, u"event %1"_s.arg(n), 1};
}

QList<qint64> times(const Protocol::Results &batch)
{
    QList<qint64> result;
    for (const Protocol::Round &round : batch.rounds)
        result.append(round.timeMs);
    return result;
}

QList<qint64> eventTimes(const Protocol::Results &batch)
{
    QList<qint64> result;
    for (const Protocol::Event &event : batch.events)
        result.append(event.timeMs);
    return result;
}

QList<qint64> numbers(qint64 from, qint64 to)
{
    QList<qint64> result;
    for (qint64 n = from; n <= to; ++n)
        result.append(n);
    return result;
}

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

    void takeBatchStopsAtTheRoundLimit();
    void takeBatchStopsAtTheValueLimit();
    void takeBatchEmpty();
    void eventsRideAlong();
    void putBackRestoresOrder();
    void limitDropsOldestRounds();

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
    void optionsSpoolAndReplay_data();
    void optionsSpoolAndReplay();
    void optionsHardwareTimestamps_data();
    void optionsHardwareTimestamps();
    void hardwareStampingRefusedClearly();

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

void TestAgentConnection::takeBatchStopsAtTheRoundLimit()
{
    ResultBuffer buffer;
    QVERIFY(buffer.isEmpty());
    for (int i = 1; i <= 5; ++i)
        buffer.addRound(roundNo(i));
    QVERIFY(!buffer.isEmpty());
    QCOMPARE(buffer.roundCount(), 5);

    const Protocol::Results first = buffer.takeBatch(3);
    QCOMPARE(first.seq, 0); // the spool numbers it
    QCOMPARE(first.floorSeq, 0);
    QCOMPARE(times(first), (QList<qint64>{1, 2, 3}));
    QCOMPARE(buffer.roundCount(), 2);
    QCOMPARE(times(buffer.takeBatch(3)), (QList<qint64>{4, 5}));
    QVERIFY(buffer.isEmpty());
    QCOMPARE(buffer.takeDroppedRounds(), 0);
}

void TestAgentConnection::takeBatchStopsAtTheValueLimit()
{
    ResultBuffer buffer;
    for (int i = 1; i <= 5; ++i)
        buffer.addRound(roundNo(i, 10));
    QCOMPARE(times(buffer.takeBatch(100, 25)), (QList<qint64>{1, 2})); // 20 values; a third makes 30
    QCOMPARE(times(buffer.takeBatch(100, 5)), (QList<qint64>{3})); // one round even when it alone is over
    QCOMPARE(times(buffer.takeBatch(100, 20)), (QList<qint64>{4, 5})); // exactly at the limit is fine
    QVERIFY(buffer.isEmpty());

    // Whichever limit comes first.
    for (int i = 6; i <= 9; ++i)
        buffer.addRound(roundNo(i, 10));
    QCOMPARE(times(buffer.takeBatch(1, 1000)), (QList<qint64>{6}));
    QCOMPARE(times(buffer.takeBatch(3, 15)), (QList<qint64>{7}));
    QCOMPARE(times(buffer.takeBatch(2, 1000)), (QList<qint64>{8, 9}));

    // Rounds without values (a failed probe) take no room under the value limit.
    buffer.addRound(roundNo(10, 0));
    buffer.addRound(roundNo(11, 0));
    buffer.addRound(roundNo(12, 3));
    QCOMPARE(times(buffer.takeBatch(100, 3)), (QList<qint64>{10, 11, 12}));
}

void TestAgentConnection::takeBatchEmpty()
{
    ResultBuffer buffer;
    const Protocol::Results batch = buffer.takeBatch(100);
    QCOMPARE(batch.seq, 0);
    QVERIFY(batch.rounds.isEmpty());
    QVERIFY(batch.events.isEmpty());
    QVERIFY(buffer.isEmpty());
}

void TestAgentConnection::eventsRideAlong()
{
    ResultBuffer buffer;
    buffer.addEvent(eventNo(1));
    QVERIFY(!buffer.isEmpty()); // an event alone is worth a batch
    QCOMPARE(buffer.roundCount(), 0);
    Protocol::Results batch = buffer.takeBatch(100);
    QVERIFY(batch.rounds.isEmpty());
    QCOMPARE(eventTimes(batch), QList<qint64>{1});
    QCOMPARE(batch.events.first().level, u"warning"_s);
    QCOMPARE(batch.events.first().message, u"event 1"_s);
    QVERIFY(buffer.isEmpty());

    // More events than a batch may carry: the first batch takes the most the console accepts,
    // the rest ride in the next one, in order, whatever the round limits.
    const int extra = 50;
    for (int i = 1; i <= Protocol::MAX_EVENTS_PER_BATCH + extra; ++i)
        buffer.addEvent(eventNo(i));
    for (int i = 1; i <= 3; ++i)
        buffer.addRound(roundNo(i));
    batch = buffer.takeBatch(2);
    QCOMPARE(times(batch), (QList<qint64>{1, 2}));
    QCOMPARE(eventTimes(batch), numbers(1, Protocol::MAX_EVENTS_PER_BATCH));
    batch = buffer.takeBatch(2);
    QCOMPARE(times(batch), QList<qint64>{3});
    QCOMPARE(eventTimes(batch), numbers(Protocol::MAX_EVENTS_PER_BATCH + 1, Protocol::MAX_EVENTS_PER_BATCH + extra));
    QVERIFY(buffer.isEmpty());

    // A batch the buffer makes is one the console's decoder takes.
    for (int i = 1; i <= 3 * Protocol::MAX_EVENTS_PER_BATCH; ++i)
        buffer.addEvent(eventNo(i));
    batch = buffer.takeBatch(100);
    batch.seq = 1;
    Protocol::DecodeError error;
    QVERIFY2(Protocol::decode(Protocol::encode({batch}), &error), qPrintable(error.reason));
}

void TestAgentConnection::putBackRestoresOrder()
{
    ResultBuffer buffer;
    for (int i = 1; i <= 5; ++i)
        buffer.addRound(roundNo(i));
    buffer.addEvent(eventNo(1));
    buffer.addEvent(eventNo(2));
    Protocol::Results batch = buffer.takeBatch(3);
    QCOMPARE(times(batch), (QList<qint64>{1, 2, 3}));
    QCOMPARE(eventTimes(batch), (QList<qint64>{1, 2}));

    // Measured while the spool refused the batch.
    buffer.addRound(roundNo(6));
    buffer.addEvent(eventNo(3));
    buffer.putBack(std::move(batch));
    QCOMPARE(buffer.roundCount(), 6);
    batch = buffer.takeBatch(100);
    QCOMPARE(times(batch), numbers(1, 6));
    QCOMPARE(eventTimes(batch), numbers(1, 3));
    QVERIFY(buffer.isEmpty());

    // Putting back into an empty buffer, and an events-only batch.
    buffer.addEvent(eventNo(4));
    batch = buffer.takeBatch(100);
    buffer.putBack(std::move(batch));
    QCOMPARE(eventTimes(buffer.takeBatch(100)), QList<qint64>{4});
    QCOMPARE(buffer.takeDroppedRounds(), 0);
}

void TestAgentConnection::limitDropsOldestRounds()
{
    ResultBuffer buffer(3);
    for (int i = 1; i <= 5; ++i)
        buffer.addRound(roundNo(i));
    QCOMPARE(buffer.roundCount(), 3);
    QCOMPARE(buffer.takeDroppedRounds(), 2);
    QCOMPARE(buffer.takeDroppedRounds(), 0); // counted once
    QCOMPARE(times(buffer.takeBatch(10)), (QList<qint64>{3, 4, 5}));

    // A batch put back goes in front: the next rounds over the limit push out the oldest of it.
    buffer.addRound(roundNo(6));
    buffer.addRound(roundNo(7));
    buffer.putBack(buffer.takeBatch(10));
    buffer.addRound(roundNo(8));
    buffer.addRound(roundNo(9));
    QCOMPARE(buffer.roundCount(), 3);
    QCOMPARE(buffer.takeDroppedRounds(), 1);
    QCOMPARE(times(buffer.takeBatch(10)), (QList<qint64>{7, 8, 9}));
    // It may even take the buffer over its limit for a moment; the next round brings it back
    // under, and every drop is counted.
    buffer.addRound(roundNo(10));
    buffer.addRound(roundNo(11));
    buffer.addRound(roundNo(12));
    Protocol::Results three = buffer.takeBatch(10);
    buffer.addRound(roundNo(13));
    buffer.addRound(roundNo(14));
    buffer.putBack(std::move(three)); // 10 11 12 13 14: two over
    QCOMPARE(buffer.roundCount(), 5);
    buffer.addRound(roundNo(15));
    QCOMPARE(buffer.roundCount(), 3);
    QCOMPARE(buffer.takeDroppedRounds(), 3);
    QCOMPARE(times(buffer.takeBatch(10)), (QList<qint64>{13, 14, 15}));
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
                               << u"--server \"console.example:8765\" is not an address like wss://HOST:PORT."_s
                               << QString() << QString() << QString();
    QTest::newRow("http") << QStringList{u"--server=http://console.example:8765"_s}
                          << u"is not an address like wss://HOST:PORT"_s << QString() << QString() << QString();
    QTest::newRow("no port") << QStringList{u"--server=ws://console.example"_s}
                             << u"is not an address like wss://HOST:PORT"_s << QString() << QString() << QString();
    QTest::newRow("no host") << QStringList{u"--server=ws://:8765"_s} << u"is not an address like wss://HOST:PORT"_s
                             << QString() << QString() << QString();
    QTest::newRow("garbage URL") << QStringList{u"--server=ws://exa mple:80"_s}
                                 << u"is not an address like wss://HOST:PORT"_s << QString() << QString() << QString();
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
                   "spool-size=1GiB\n"
                   "replay-rate=300\n"
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
    QCOMPARE(options->spoolMaxBytes, qint64(1024 * 1024 * 1024));
    QCOMPARE(options->replayRoundsPerSecond, qint64(300));

    // The command line wins over the file.
    options = AgentOptions::parse(
        {u"streamswarm-agent"_s, u"--config"_s, config, u"--name=from-cli"_s, u"--server=ws://from-cli:1"_s}, &why,
        &exitCode);
    QVERIFY2(options, qPrintable(why));
    QCOMPARE(options->name, u"from-cli"_s);
    QCOMPARE(options->server.toString(), u"ws://from-cli:1"_s);
    QCOMPARE(options->token, u"sse_config"_s);

    // Values from the file are checked like the command line's, and the error names the file and line.
    const QString plain = m_dir->filePath(u"plain.ini"_s);
    QVERIFY(writeFile(plain, "server=ws://from-config:8765\n"));
    QVERIFY(!AgentOptions::parse({u"streamswarm-agent"_s, u"--config"_s, plain}, &why, &exitCode));
    QVERIFY2(why.contains(u"is plain ws://"), qPrintable(why));
    QVERIFY2(why.startsWith(plain + u", line 1: server ws://from-config:8765 is plain"_s), qPrintable(why));
    const QString badName = m_dir->filePath(u"bad-name.ini"_s);
    QVERIFY(writeFile(badName, "server=wss://h:1\nname=bad name\n"));
    QVERIFY(!AgentOptions::parse({u"streamswarm-agent"_s, u"--config"_s, badName}, &why, &exitCode));
    QVERIFY2(why.contains(u"\"bad name\""), qPrintable(why));
    QVERIFY2(why.startsWith(badName + u", line 2: "_s), qPrintable(why));
    // A mistyped name is refused, not ignored, with the line and the setting meant.
    const QString typo = m_dir->filePath(u"typo.ini"_s);
    QVERIFY(writeFile(typo, "[agent]\n# the console\nserver = wss://h:1\nspool_size = 1GB\n"));
    QVERIFY(!AgentOptions::parse({u"streamswarm-agent"_s, u"--config"_s, typo}, &why, &exitCode));
    QCOMPARE(why, typo + u", line 4: \"spool_size\" is not a setting; did you mean \"spool-size\"?"_s);
}

void TestAgentConnection::optionsMissingConfigFile()
{
    const QString config = m_dir->filePath(u"nope.ini"_s);
    QString why;
    int exitCode = -1;
    QVERIFY(!AgentOptions::parse({u"streamswarm-agent"_s, u"--config"_s, config}, &why, &exitCode));
    QCOMPARE(why, u"The settings file %1 does not exist."_s.arg(config));
}

void TestAgentConnection::optionsSpoolAndReplay_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("error"); // all of it; empty = accepted
    QTest::addColumn<qint64>("spoolBytes");
    QTest::addColumn<qint64>("replayRate");

    constexpr qint64 DEFAULT_SPOOL = 256LL * 1024 * 1024;
    constexpr qint64 DEFAULT_RATE = 2000;
    const auto spoolError = [](const QString &value) {
        return u"--spool-size \"%1\" is not a size between 64KiB and 1TiB, e.g. 256MB or 2GB."_s.arg(value);
    };
    const auto rateError = [](const QString &value) {
        return u"--replay-rate \"%1\" must be a whole number of rounds a second, 1 to 1000000."_s.arg(value);
    };

    QTest::newRow("defaults") << QStringList() << QString() << DEFAULT_SPOOL << DEFAULT_RATE;
    // K, M, G, T (with or without B) are powers of 1000; KiB, MiB, GiB, TiB powers of 1024.
    QTest::newRow("256MB") << QStringList{u"--spool-size=256MB"_s} << QString() << qint64(256'000'000) << DEFAULT_RATE;
    QTest::newRow("64KiB, the least") << QStringList{u"--spool-size=64KiB"_s} << QString() << qint64(65'536)
                                      << DEFAULT_RATE;
    QTest::newRow("1GiB") << QStringList{u"--spool-size"_s, u"1GiB"_s} << QString() << qint64(1'073'741'824)
                          << DEFAULT_RATE;
    QTest::newRow("2G") << QStringList{u"--spool-size=2G"_s} << QString() << qint64(2'000'000'000) << DEFAULT_RATE;
    QTest::newRow("lower case, spaces") << QStringList{u"--spool-size= 512 mib "_s} << QString()
                                        << qint64(512LL * 1024 * 1024) << DEFAULT_RATE;
    QTest::newRow("bytes") << QStringList{u"--spool-size=1048576"_s} << QString() << qint64(1'048'576) << DEFAULT_RATE;
    QTest::newRow("bytes with B") << QStringList{u"--spool-size=65536B"_s} << QString() << qint64(65'536)
                                  << DEFAULT_RATE;
    QTest::newRow("65535 bytes") << QStringList{u"--spool-size=65535"_s} << spoolError(u"65535"_s) << qint64(0)
                                 << qint64(0);
    QTest::newRow("1TiB, the most") << QStringList{u"--spool-size=1TiB"_s} << QString()
                                    << qint64(1024LL * 1024 * 1024 * 1024) << DEFAULT_RATE;
    QTest::newRow("1KB") << QStringList{u"--spool-size=1KB"_s} << spoolError(u"1KB"_s) << qint64(0) << qint64(0);
    QTest::newRow("64KB is under 64KiB") << QStringList{u"--spool-size=64KB"_s} << spoolError(u"64KB"_s) << qint64(0)
                                         << qint64(0);
    QTest::newRow("0") << QStringList{u"--spool-size=0"_s} << spoolError(u"0"_s) << qint64(0) << qint64(0);
    QTest::newRow("-5") << QStringList{u"--spool-size=-5"_s} << spoolError(u"-5"_s) << qint64(0) << qint64(0);
    QTest::newRow("lots") << QStringList{u"--spool-size=lots"_s} << spoolError(u"lots"_s) << qint64(0) << qint64(0);
    QTest::newRow("2TB") << QStringList{u"--spool-size=2TB"_s} << spoolError(u"2TB"_s) << qint64(0) << qint64(0);
    QTest::newRow("1.5GB") << QStringList{u"--spool-size=1.5GB"_s} << QString() << qint64(1'500'000'000)
                           << DEFAULT_RATE; // as everywhere else sizes are read (shared/util/bytesize)
    QTest::newRow("1Ti") << QStringList{u"--spool-size=1Ti"_s} << QString() << qint64(1024LL * 1024 * 1024 * 1024)
                         << DEFAULT_RATE;
    QTest::newRow("part of a byte") << QStringList{u"--spool-size=65536.5"_s} << spoolError(u"65536.5"_s) << qint64(0)
                                    << qint64(0);
    QTest::newRow("overflowing") << QStringList{u"--spool-size=999999999999999TiB"_s}
                                 << spoolError(u"999999999999999TiB"_s) << qint64(0) << qint64(0);

    QTest::newRow("replay 1") << QStringList{u"--replay-rate=1"_s} << QString() << DEFAULT_SPOOL << qint64(1);
    QTest::newRow("replay 1000000") << QStringList{u"--replay-rate"_s, u"1000000"_s} << QString() << DEFAULT_SPOOL
                                    << qint64(1'000'000);
    QTest::newRow("replay 0") << QStringList{u"--replay-rate=0"_s} << rateError(u"0"_s) << qint64(0) << qint64(0);
    QTest::newRow("replay -1") << QStringList{u"--replay-rate=-1"_s} << rateError(u"-1"_s) << qint64(0) << qint64(0);
    QTest::newRow("replay abc") << QStringList{u"--replay-rate=abc"_s} << rateError(u"abc"_s) << qint64(0) << qint64(0);
    QTest::newRow("replay 1000001") << QStringList{u"--replay-rate=1000001"_s} << rateError(u"1000001"_s) << qint64(0)
                                    << qint64(0);
    QTest::newRow("both") << QStringList{u"--spool-size=1GB"_s, u"--replay-rate=500"_s} << QString()
                          << qint64(1'000'000'000) << qint64(500);
}

void TestAgentConnection::optionsSpoolAndReplay()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, error);
    QFETCH(qint64, spoolBytes);
    QFETCH(qint64, replayRate);

    QString why;
    int exitCode = -1;
    const auto options = AgentOptions::parse(
        QStringList{u"streamswarm-agent"_s, u"--server=wss://console.example:8765"_s, u"--name=a"_s} + arguments, &why,
        &exitCode);
    QCOMPARE(exitCode, -1);
    if (!error.isEmpty()) {
        QVERIFY2(!options, qPrintable(u"accepted as %1 bytes"_s.arg(options ? options->spoolMaxBytes : 0)));
        QCOMPARE(why, error);
        return;
    }
    QVERIFY2(options, qPrintable(why));
    QCOMPARE(options->spoolMaxBytes, spoolBytes);
    QCOMPARE(options->replayRoundsPerSecond, replayRate);
}

void TestAgentConnection::optionsHardwareTimestamps_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QStringList>("interfaces"); // empty with an error
    QTest::addColumn<QString>("error");
    QTest::newRow("none") << QStringList{} << QStringList{} << QString();
    QTest::newRow("one") << QStringList{u"--hardware-timestamps=eth0"_s} << QStringList{u"eth0"_s} << QString();
    QTest::newRow("two, blanks") << QStringList{u"--hardware-timestamps"_s, u"eth0, enp3s0f1 ,"_s}
                                 << QStringList{u"eth0"_s, u"enp3s0f1"_s} << QString();
    QTest::newRow("too long") << QStringList{u"--hardware-timestamps=abcdefghijklmnop"_s} << QStringList{}
                              << u"--hardware-timestamps: \"abcdefghijklmnop\" is not a network interface name."_s;
    QTest::newRow("slash") << QStringList{u"--hardware-timestamps=eth0,../x"_s} << QStringList{}
                           << u"--hardware-timestamps: \"../x\" is not a network interface name."_s;
    QTest::newRow("blank inside") << QStringList{u"--hardware-timestamps=et h0"_s} << QStringList{}
                                  << u"--hardware-timestamps: \"et h0\" is not a network interface name."_s;
}

void TestAgentConnection::optionsHardwareTimestamps()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, error);
    QString why;
    int exitCode = -1;
    const auto options = AgentOptions::parse(
        QStringList{u"streamswarm-agent"_s, u"--server=wss://console.example:8765"_s, u"--name=a"_s} + arguments, &why,
        &exitCode);
    if (!error.isEmpty()) {
        QVERIFY(!options);
        QCOMPARE(why, error);
        return;
    }
    QVERIFY2(options, qPrintable(why));
    QTEST(options->hardwareStampInterfaces, "interfaces");
}

// The kernel's own answer for real interfaces: loopback (and a veth, in the lab) stamp in software
// only, so the agent says so and what it uses instead; it never claims hardware stamps it lacks.
void TestAgentConnection::hardwareStampingRefusedClearly()
{
    QString message;
    QVERIFY(!enableHardwareStamping(u"lo"_s, &message));
    QCOMPARE(message,
        u"lo cannot stamp packets in hardware (its driver offers software stamps only). Ping and traceroute use "
        "the kernel's stamps there, which are good to a few microseconds."_s);
    QVERIFY(!enableHardwareStamping(u"nosuchnic0"_s, &message));
    QCOMPARE(message, u"There is no network interface called \"nosuchnic0\" on this host."_s);
    QVERIFY(!enableHardwareStamping(QString(), &message));
}

QTEST_GUILESS_MAIN(TestAgentConnection)

#include "tst_agentconnection.moc"
