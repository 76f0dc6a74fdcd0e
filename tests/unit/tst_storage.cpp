// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include <cmath>
#include <memory>

#include <sys/stat.h>

#include <QCborArray>
#include <QCborMap>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <fcntl.h>
#include <unistd.h>

#include "console/storage/agentrepository.h"
#include "console/storage/database.h"
#include "console/storage/eventrepository.h"
#include "console/storage/samplerepository.h"
#include "console/storage/schema.h"
#include "console/storage/storageservice.h"
#include "console/storage/testrepository.h"
#include "console/storage/tokenrepository.h"
#include "shared/auth/secret.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm;
using namespace StreamSwarm::Console;

namespace {

constexpr uid_t NOBODY = 65534;

const QString NOT_VALID_CREDENTIAL = u"The agent credential is not valid; enroll the agent again with a new token."_s;

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(bytes) == bytes.size();
}

// All values of the first column of a query, as text.
QStringList column(Database &db, const QString &sql)
{
    QStringList values;
    QSqlQuery query(db.connection());
    if (!query.exec(sql))
        return {u"ERROR: "_s + sql};
    while (query.next()) {
        QStringList fields;
        for (int i = 0; i < query.record().count(); ++i)
            fields.append(query.value(i).toString());
        values.append(fields.join(u'|'));
    }
    return values;
}

// As the effective user (access() would ask for the real one, still root under Unprivileged).
bool writableByMe(const QString &path)
{
    return ::faccessat(AT_FDCWD, QFile::encodeName(path).constData(), W_OK, AT_EACCESS) == 0;
}

// Empty when text is one plain line fit for a user; otherwise what is wrong with it.
QString plainMessageProblem(const QString &text)
{
    if (text.contains(u'\n'))
        return u"has a line break"_s;
    if (!text.endsWith(u'.'))
        return u"does not end with a full stop"_s;
    // QSqlError::text() glues Qt's driver text onto SQLite's message: "... database file Error opening database".
    for (const QString &fragment : {u"Unable to execute statement"_s, u"Unable to fetch row"_s,
             u"Error opening database"_s, u"Unable to begin transaction"_s, u"Unable to commit transaction"_s}) {
        if (text.contains(fragment))
            return u"carries Qt Sql's driver text \""_s + fragment + u'"';
    }
    return QString();
}

Protocol::AgentInfo agentInfo(const QString &name, const QString &host = u"host-1"_s)
{
    return Protocol::AgentInfo{name, host, u"Debian GNU/Linux 12"_s, u"0.1.0"_s, {u"ping"_s, u"dns"_s}};
}

Protocol::Round round(
    qint64 testId, qint64 timeMs, const QList<Protocol::MetricValue> &values, const QString &error = QString())
{
    Protocol::Round r;
    r.testId = testId;
    r.timeMs = timeMs;
    r.values = values;
    r.error = error;
    return r;
}

// The event log, oldest first, one line per event.
QStringList eventLines(Database &db)
{
    QString error;
    const auto events = EventRepository(db).recent(1000, &error);
    if (!events)
        return {u"ERROR: "_s + error};
    QStringList lines;
    for (const EventRecord &event : *events) {
        lines.prepend(u"%1 %2 %3 %4 %5 %6"_s.arg(event.timeMs)
                          .arg(event.level, event.kind, event.agentName, event.testName, event.message));
    }
    return lines;
}

// Acts as an unprivileged user for the lifetime of the object (root ignores permission bits).
class Unprivileged
{
public:
    Unprivileged()
        : m_active(::seteuid(NOBODY) == 0)
    { }
    ~Unprivileged()
    {
        if (m_active && ::seteuid(0) != 0)
            qFatal("cannot become root again");
    }
    Q_DISABLE_COPY_MOVE(Unprivileged)
    bool active() const { return m_active; }

private:
    bool m_active;
};

} // namespace

class TestStorage : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void databaseUrl_data();
    void databaseUrl();
    void openMigratesAndReopenIsNoop();
    void walAndFullSync();

    void tokensCreateListRevoke();
    void duplicateTokenName();
    void consumeToken_data();
    void consumeToken();
    void tokenUsedUp();

    void enrollAndAuthenticate();
    void reenrollRekeys();
    void rotationKeepsBothUntilConfirmed();
    void revokedAgentRefused();
    void noPlaintextSecretsOnDisk();

    void testsAddListStop();

    void storeResults();
    void duplicateBatches();
    void storeForUnknownAgentSaysWhy();
    void eventsInBatchShareItsTransaction();
    void batchesRow();
    void outOfOrderStoredOnce();
    void floorPrunesReplayProtection();
    void migrationFromVersion2KeepsReplayProtection();
    void recordClock();
    void metricsTableUsesCatalogUnits();
    void details();
    void failureEventsStoredWithTheBatch();
    void failedStoreKeepsNoFailureEvent();
    void forEachSample_data();
    void forEachSample();
    void forEachSampleStopsEarly();
    void series();
    void summarize();

    void readOnlyDatabase();
    void readOnlyFileInWritableFolder();
    void unwritablePlaces_data();
    void unwritablePlaces();
    void newerSchemaRefused();
    void garbageFileRefused();

    void serviceRunsJobsInOrderOnItsThread();
    void serviceDropsAnswersForDestroyedContext();
    void serviceOpenFailure();
    void changedElsewhereForOtherConnections();
    void changedElsewhereQuietForOwnWrites();

private:
    QString dbPath() const { return m_dir->filePath(u"console.db"_s); }
    DatabaseUrl url() const { return DatabaseUrl::sqliteFile(dbPath()); }
    std::optional<QString> enroll(
        Database &db, const QString &name, qint64 *agentId, QString *error, const QString &host = u"host-1"_s);
    std::optional<qint64> addTest(Database &db, const QString &name, const QStringList &agents, QString *error);
    std::optional<StoreOutcome> store(
        SampleRepository &samples, qint64 agentId, qint64 seq, const QList<Protocol::Round> &rounds, QString *error);
    // alpha and beta enrolled; tests "wan" (alpha, beta) and "lan" (alpha); ids out.
    bool seed(Database &db, qint64 *alpha, qint64 *beta, qint64 *wan, qint64 *lan, QString *error);

    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestStorage::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

void TestStorage::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestStorage::cleanup()
{
    m_dir.reset();
}

std::optional<QString> TestStorage::enroll(
    Database &db, const QString &name, qint64 *agentId, QString *error, const QString &host)
{
    if (!db.beginWrite(error))
        return std::nullopt;
    AgentRepository agents(db);
    const auto credential = agents.enroll(agentInfo(name, host), 0, 1000, agentId, error);
    if (!credential) {
        db.rollback();
        return std::nullopt;
    }
    if (!db.commit(error))
        return std::nullopt;
    return credential;
}

std::optional<qint64> TestStorage::addTest(Database &db, const QString &name, const QStringList &agents, QString *error)
{
    TestRecord test;
    test.name = name;
    test.type = u"ping"_s;
    test.target = u"192.0.2.1"_s;
    test.intervalMs = 1000;
    test.agentNames = agents;
    test.createdAtMs = 500;
    return TestRepository(db).add(test, error);
}

std::optional<StoreOutcome> TestStorage::store(
    SampleRepository &samples, qint64 agentId, qint64 seq, const QList<Protocol::Round> &rounds, QString *error)
{
    return samples.storeResults(agentId, Protocol::Results{seq, rounds, {}, 0}, {}, 7777, error);
}

bool TestStorage::seed(Database &db, qint64 *alpha, qint64 *beta, qint64 *wan, qint64 *lan, QString *error)
{
    if (!enroll(db, u"alpha"_s, alpha, error) || !enroll(db, u"beta"_s, beta, error))
        return false;
    const auto wanId = addTest(db, u"wan"_s, {u"alpha"_s, u"beta"_s}, error);
    const auto lanId = addTest(db, u"lan"_s, {u"alpha"_s}, error);
    if (!wanId || !lanId)
        return false;
    *wan = *wanId;
    *lan = *lanId;
    return true;
}

void TestStorage::databaseUrl_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<bool>("sqlite");
    QTest::addColumn<QString>("pathOrHost");
    QTest::addColumn<int>("port");
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("password");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("displayName");

    QTest::newRow("sqlite absolute") << u"sqlite:/var/lib/ss/console.db"_s << true << true
                                     << u"/var/lib/ss/console.db"_s << 0 << QString() << QString() << QString()
                                     << u"/var/lib/ss/console.db"_s;
    QTest::newRow("sqlite triple slash") << u"sqlite:///var/lib/ss/console.db"_s << true << true
                                         << u"/var/lib/ss/console.db"_s << 0 << QString() << QString() << QString()
                                         << u"/var/lib/ss/console.db"_s;
    QTest::newRow("sqlite cleaned") << u"sqlite:/var/lib/./ss//console.db"_s << true << true
                                    << u"/var/lib/ss/console.db"_s << 0 << QString() << QString() << QString()
                                    << u"/var/lib/ss/console.db"_s;
    QTest::newRow("postgresql") << u"postgresql://ss:p%40ss@db.example:5433/streamswarm"_s << true << false
                                << u"db.example"_s << 5433 << u"ss"_s << u"p@ss"_s << u"streamswarm"_s
                                << u"postgresql://ss@db.example:5433/streamswarm"_s;
    QTest::newRow("postgres default port")
        << u"postgres://ss@db.example/metrics"_s << true << false << u"db.example"_s << 5432 << u"ss"_s << QString()
        << u"metrics"_s << u"postgresql://ss@db.example:5432/metrics"_s;
    QTest::newRow("sqlite without file") << u"sqlite:"_s << false << false << QString() << 0 << QString() << QString()
                                         << QString() << u"names no file"_s;
    QTest::newRow("postgresql without database")
        << u"postgresql://ss@db.example"_s << false << false << QString() << 0 << QString() << QString() << QString()
        << u"not a valid PostgreSQL URL"_s;
    QTest::newRow("mysql") << u"mysql://db.example/x"_s << false << false << QString() << 0 << QString() << QString()
                           << QString() << u"must start with sqlite: or postgresql://"_s;
    QTest::newRow("bare path") << u"/var/lib/ss/console.db"_s << false << false << QString() << 0 << QString()
                               << QString() << QString() << u"must start with sqlite: or postgresql://"_s;
}

void TestStorage::databaseUrl()
{
    QFETCH(QString, text);
    QFETCH(bool, valid);
    QFETCH(bool, sqlite);
    QFETCH(QString, pathOrHost);
    QFETCH(int, port);
    QFETCH(QString, user);
    QFETCH(QString, password);
    QFETCH(QString, name);
    QFETCH(QString, displayName);

    QString error;
    const auto parsed = DatabaseUrl::parse(text, &error);
    QCOMPARE(parsed.has_value(), valid);
    if (!valid) {
        QVERIFY2(error.contains(displayName), qPrintable(error));
        return;
    }
    QCOMPARE(parsed->kind == DatabaseUrl::Kind::Sqlite, sqlite);
    QCOMPARE(sqlite ? parsed->path : parsed->host, pathOrHost);
    if (!sqlite) {
        QCOMPARE(parsed->port, port);
        QCOMPARE(parsed->user, user);
        QCOMPARE(parsed->password, password);
        QCOMPARE(parsed->name, name);
    }
    QCOMPARE(parsed->displayName(), displayName);
    if (!password.isEmpty())
        QVERIFY(!parsed->displayName().contains(password));
}

void TestStorage::openMigratesAndReopenIsNoop()
{
    QVERIFY(Schema::currentVersion() >= 1);
    QString error;
    QStringList schemaBefore;
    {
        Database db;
        QVERIFY2(db.open(url(), u"first"_s, &error), qPrintable(error));
        QCOMPARE(column(db, u"SELECT version FROM schema_version"_s),
            QStringList{QString::number(Schema::currentVersion())});
        const QStringList tables = column(db, u"SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"_s);
        for (const QString &table : {u"agents"_s, u"batches"_s, u"details"_s, u"events"_s, u"metrics"_s, u"samples"_s,
                 u"schema_version"_s, u"test_assignments"_s, u"tests"_s, u"tokens"_s}) {
            QVERIFY2(tables.contains(table), qPrintable(tables.join(u", ")));
        }
        schemaBefore = column(db, u"SELECT type, name, sql FROM sqlite_master ORDER BY name"_s);
        QVERIFY(TokenRepository(db).create(u"kept"_s, 1, 0, &error));
    }
    QVERIFY(QFile::exists(dbPath()));

    Database db;
    QVERIFY2(db.open(url(), u"second"_s, &error), qPrintable(error));
    QCOMPARE(
        column(db, u"SELECT version FROM schema_version"_s), QStringList{QString::number(Schema::currentVersion())});
    QCOMPARE(column(db, u"SELECT type, name, sql FROM sqlite_master ORDER BY name"_s), schemaBefore);
    QCOMPARE(column(db, u"SELECT name FROM tokens"_s), QStringList{u"kept"_s});
}

void TestStorage::walAndFullSync()
{
    Database db;
    QString error;
    QVERIFY2(db.open(url(), u"main"_s, &error), qPrintable(error));
    QCOMPARE(column(db, u"PRAGMA journal_mode"_s), QStringList{u"wal"_s});
    QCOMPARE(column(db, u"PRAGMA synchronous"_s), QStringList{u"2"_s}); // 2 = FULL
    QCOMPARE(column(db, u"PRAGMA foreign_keys"_s), QStringList{u"1"_s});
    QVERIFY(db.isSqlite());
}

void TestStorage::tokensCreateListRevoke()
{
    Database db;
    QString error;
    QVERIFY2(db.open(url(), u"main"_s, &error), qPrintable(error));
    TokenRepository tokens(db);

    const qint64 before = QDateTime::currentMSecsSinceEpoch();
    const auto lab = tokens.create(u"lab"_s, 3, 0, &error);
    const auto ops = tokens.create(u"ops"_s, 1, 1'900'000'000'000, &error);
    const qint64 after = QDateTime::currentMSecsSinceEpoch();
    QVERIFY2(lab && ops, qPrintable(error));
    QVERIFY(lab->startsWith(u"sse_"));
    QVERIFY(Auth::Secret::parse(*lab));
    QVERIFY(*lab != *ops);

    auto list = tokens.list(&error);
    QVERIFY2(list, qPrintable(error));
    QCOMPARE(list->size(), 2);
    QCOMPARE(list->at(0).name, u"lab"_s);
    QCOMPARE(list->at(0).usesLeft, 3);
    QCOMPARE(list->at(0).expiresAtMs, qint64(0));
    QVERIFY(!list->at(0).revoked);
    QVERIFY(list->at(0).createdAtMs >= before && list->at(0).createdAtMs <= after);
    QCOMPARE(list->at(1).name, u"ops"_s);
    QCOMPARE(list->at(1).usesLeft, 1);
    QCOMPARE(list->at(1).expiresAtMs, qint64(1'900'000'000'000));

    QVERIFY2(tokens.revoke(u"lab"_s, &error), qPrintable(error));
    list = tokens.list(&error);
    QVERIFY(list->at(0).revoked);
    QVERIFY(!list->at(1).revoked);

    QVERIFY(!tokens.revoke(u"lab"_s, &error));
    QCOMPARE(error, u"There is no active token named \"lab\"; see 'token list'."_s);
    QVERIFY(!tokens.revoke(u"nope"_s, &error));
    QVERIFY2(error.contains(u"\"nope\""), qPrintable(error));
}

void TestStorage::duplicateTokenName()
{
    Database db;
    QString error;
    QVERIFY2(db.open(url(), u"main"_s, &error), qPrintable(error));
    TokenRepository tokens(db);
    QVERIFY(tokens.create(u"lab"_s, 1, 0, &error));
    QVERIFY(!tokens.create(u"lab"_s, 5, 0, &error));
    QCOMPARE(error,
        u"A token named \"lab\" exists already (names stay taken after a token is revoked); pick another name."_s);
    // Revoked names stay taken: the name identifies the token in the audit trail.
    QVERIFY(tokens.revoke(u"lab"_s, &error));
    QVERIFY(!tokens.create(u"lab"_s, 5, 0, &error));
    QCOMPARE(tokens.list(&error)->size(), 1);
}

void TestStorage::consumeToken_data()
{
    QTest::addColumn<QString>("tamper"); // what to do to the good token
    QTest::addColumn<QString>("expiry"); // never, later, now or past
    QTest::addColumn<bool>("revoke");
    QTest::addColumn<QString>("refusal"); // empty = accepted

    QTest::newRow("good") << QString() << u"never"_s << false << QString();
    QTest::newRow("good, expires later") << QString() << u"later"_s << false << QString();
    QTest::newRow("wrong secret") << u"secret"_s << u"never"_s << false << u"The enrollment token is not valid."_s;
    QTest::newRow("unknown lookup id") << u"lookup"_s << u"never"_s << false << u"The enrollment token is not valid."_s;
    QTest::newRow("revoked") << QString() << u"never"_s << true << u"The enrollment token was revoked."_s;
    QTest::newRow("expired") << QString() << u"past"_s << false << u"The enrollment token has expired."_s;
    QTest::newRow("expires this very ms") << QString() << u"now"_s << false << u"The enrollment token has expired."_s;
    // A wrong secret learns nothing about the token's state.
    QTest::newRow("wrong secret, revoked")
        << u"secret"_s << u"never"_s << true << u"The enrollment token is not valid."_s;
    QTest::newRow("wrong secret, expired")
        << u"secret"_s << u"past"_s << false << u"The enrollment token is not valid."_s;
}

void TestStorage::consumeToken()
{
    QFETCH(QString, tamper);
    QFETCH(QString, expiry);
    QFETCH(bool, revoke);
    QFETCH(QString, refusal);

    Database db;
    QString error;
    QVERIFY2(db.open(url(), u"main"_s, &error), qPrintable(error));
    TokenRepository tokens(db);
    constexpr qint64 NOW = 1'795'680'000'000;
    const qint64 expiresAt = expiry == u"later" ? NOW + 60'000
        : expiry == u"now"                      ? NOW
        : expiry == u"past"                     ? NOW - 1000
                                                : 0;
    const auto text = tokens.create(u"lab"_s, 2, expiresAt, &error);
    QVERIFY2(text, qPrintable(error));
    if (revoke)
        QVERIFY(tokens.revoke(u"lab"_s, &error));
    auto presented = Auth::Secret::parse(*text);
    QVERIFY(presented);
    if (tamper == u"secret")
        presented->secret[0] = presented->secret.at(0) == 'A' ? 'B' : 'A';
    else if (tamper == u"lookup")
        presented->lookupId = u"ffffffffffffffff"_s;

    QVERIFY2(db.beginWrite(&error), qPrintable(error));
    QString why;
    const auto tokenId = tokens.consume(*presented, NOW, &why, &error);
    QVERIFY2(db.commit(&error), qPrintable(error));
    QVERIFY2(error.isEmpty(), qPrintable(error));
    const auto list = tokens.list(&error);
    if (refusal.isEmpty()) {
        QVERIFY2(tokenId, qPrintable(why));
        QCOMPARE(*tokenId, list->first().id);
        QCOMPARE(list->first().usesLeft, 1);
    } else {
        QVERIFY(!tokenId);
        QCOMPARE(why, refusal);
        QCOMPARE(list->first().usesLeft, 2);
    }
    QVERIFY(!why.contains(QString::fromLatin1(presented->secret)));
}

void TestStorage::tokenUsedUp()
{
    Database db;
    QString error;
    QVERIFY2(db.open(url(), u"main"_s, &error), qPrintable(error));
    TokenRepository tokens(db);
    const auto text = tokens.create(u"once"_s, 1, 0, &error);
    QVERIFY(text);
    const auto presented = Auth::Secret::parse(*text);
    QString why;
    QVERIFY(db.beginWrite(&error));
    QVERIFY2(tokens.consume(*presented, 1000, &why, &error), qPrintable(why));
    QVERIFY(db.commit(&error));
    QVERIFY(db.beginWrite(&error));
    QVERIFY(!tokens.consume(*presented, 2000, &why, &error));
    QVERIFY(db.commit(&error));
    QCOMPARE(why, u"The enrollment token has been used up."_s);
    QCOMPARE(tokens.list(&error)->first().usesLeft, 0);
}

void TestStorage::enrollAndAuthenticate()
{
    Database db;
    QString error;
    QVERIFY2(db.open(url(), u"main"_s, &error), qPrintable(error));
    qint64 agentId = 0;
    const auto credential = enroll(db, u"edge-01"_s, &agentId, &error);
    QVERIFY2(credential, qPrintable(error));
    QVERIFY(credential->startsWith(u"ssa_"));
    QVERIFY(agentId > 0);

    AgentRepository agents(db);
    QString refusal;
    const auto presented = Auth::Secret::parse(*credential);
    QVERIFY(presented);
    QCOMPARE(presented->kind, Auth::SecretKind::AgentCredential);
    const auto agent = agents.authenticate(*presented, &refusal, &error);
    QVERIFY2(agent, qPrintable(refusal + error));
    QCOMPARE(agent->id, agentId);
    QCOMPARE(agent->name, u"edge-01"_s);
    QCOMPARE(agent->host, u"host-1"_s);
    QCOMPARE(agent->os, u"Debian GNU/Linux 12"_s);
    QCOMPARE(agent->version, u"0.1.0"_s);
    QCOMPARE(agent->capabilities, (QStringList{u"ping"_s, u"dns"_s}));
    QCOMPARE(agent->enrolledAtMs, qint64(1000));
    QCOMPARE(agent->lastSeenMs, qint64(1000));
    QVERIFY(agent->online);
    QVERIFY(!agent->revoked);
    QCOMPARE(agent->lastSeq, qint64(0));

    auto wrongSecret = *presented;
    wrongSecret.secret[5] = wrongSecret.secret.at(5) == 'x' ? 'y' : 'x';
    QVERIFY(!agents.authenticate(wrongSecret, &refusal, &error));
    QCOMPARE(refusal, NOT_VALID_CREDENTIAL);

    auto unknownLookup = *presented;
    unknownLookup.lookupId = u"0000000000000000"_s;
    refusal.clear();
    QVERIFY(!agents.authenticate(unknownLookup, &refusal, &error));
    QCOMPARE(refusal, NOT_VALID_CREDENTIAL);
    QVERIFY2(error.isEmpty(), qPrintable(error));
}

void TestStorage::reenrollRekeys()
{
    Database db;
    QString error;
    QVERIFY2(db.open(url(), u"main"_s, &error), qPrintable(error));
    qint64 firstId = 0;
    qint64 secondId = 0;
    const auto oldCredential = enroll(db, u"edge-01"_s, &firstId, &error);
    QVERIFY2(oldCredential, qPrintable(error));
    AgentRepository agents(db);

    // Any token holder asking for the name of an enrolled agent is refused: no takeover.
    QVERIFY(db.beginWrite(&error));
    QString refusal;
    QVERIFY(!agents.enroll(agentInfo(u"edge-01"_s, u"intruder"_s), 0, 2000, &secondId, &error, &refusal));
    db.rollback();
    QVERIFY2(refusal.contains(u"already enrolled"_s) && refusal.contains(u"--replace edge-01"_s), qPrintable(refusal));
    QVERIFY(agents.authenticate(*Auth::Secret::parse(*oldCredential), &refusal, &error));

    // A rotation was pending when the agent was revoked; enrolled again, it is a new identity and
    // neither the old credential nor the pending one opens the door.
    QVERIFY(agents.prepareRekey(firstId, &error));
    QVERIFY(agents.revoke(u"edge-01"_s, nullptr, &error));
    QSqlQuery pending(db.connection());
    QVERIFY(pending.exec(u"SELECT next_credential_id FROM agents"_s) && pending.next());
    QVERIFY(!pending.value(0).isNull());
    pending.finish();
    const auto newCredential = enroll(db, u"edge-01"_s, &secondId, &error, u"reinstalled"_s);
    QVERIFY2(newCredential, qPrintable(error));
    QCOMPARE(secondId, firstId);
    QVERIFY(*oldCredential != *newCredential);
    QVERIFY(!agents.authenticate(*Auth::Secret::parse(*oldCredential), &refusal, &error));
    QCOMPARE(refusal, NOT_VALID_CREDENTIAL);
    QVERIFY(pending.exec(u"SELECT next_credential_id FROM agents"_s) && pending.next());
    QVERIFY(pending.value(0).isNull());
    pending.finish();
    const auto agent = agents.authenticate(*Auth::Secret::parse(*newCredential), &refusal, &error);
    QVERIFY2(agent, qPrintable(refusal));
    QCOMPARE(agent->id, firstId);
    QCOMPARE(agent->host, u"reinstalled"_s);

    // A token made to replace the agent moves it to a new host on purpose, whatever name it asks for.
    qint64 movedId = 0;
    QVERIFY(db.beginWrite(&error));
    const auto movedCredential
        = agents.enroll(agentInfo(u"new-host"_s, u"new-host"_s), 0, 3000, &movedId, &error, &refusal, firstId);
    QVERIFY2(movedCredential, qPrintable(error + refusal));
    QVERIFY(db.commit(&error));
    QCOMPARE(movedId, firstId);
    QVERIFY(!agents.authenticate(*Auth::Secret::parse(*newCredential), &refusal, &error));
    const auto moved = agents.authenticate(*Auth::Secret::parse(*movedCredential), &refusal, &error);
    QVERIFY2(moved, qPrintable(refusal));
    QCOMPARE(moved->name, u"edge-01"_s);
    QCOMPARE(moved->host, u"new-host"_s);
    QCOMPARE(agents.list(&error)->size(), 1);
}

void TestStorage::rotationKeepsBothUntilConfirmed()
{
    Database db;
    QString error;
    QVERIFY2(db.open(url(), u"main"_s, &error), qPrintable(error));
    qint64 agentId = 0;
    const auto current = enroll(db, u"edge-01"_s, &agentId, &error);
    QVERIFY2(current, qPrintable(error));
    AgentRepository agents(db);
    QString refusal;

    qint64 requestedId = 0;
    QVERIFY2(agents.requestRekey(u"edge-01"_s, &requestedId, &error), qPrintable(error));
    QCOMPARE(requestedId, agentId);
    QVERIFY(agents.findById(agentId, &error)->rekeyRequested);
    QVERIFY(!agents.requestRekey(u"ghost"_s, nullptr, &error));

    // Issued but not confirmed: both work, so a lost message never locks the agent out.
    const auto next = agents.prepareRekey(agentId, &error);
    QVERIFY2(next && next->startsWith(u"ssa_"_s), qPrintable(error));
    QVERIFY(agents.authenticate(*Auth::Secret::parse(*current), &refusal, &error));

    // Confirmed: only the new one works, and the request is done.
    QVERIFY2(agents.completeRekey(agentId, &error), qPrintable(error));
    QVERIFY(!agents.authenticate(*Auth::Secret::parse(*current), &refusal, &error));
    QCOMPARE(refusal, NOT_VALID_CREDENTIAL);
    QVERIFY(agents.authenticate(*Auth::Secret::parse(*next), &refusal, &error));
    QVERIFY(!agents.findById(agentId, &error)->rekeyRequested);

    // A confirmation that never arrived: signing in with the next credential completes the swap.
    const auto third = agents.prepareRekey(agentId, &error);
    QVERIFY(third);
    QVERIFY(agents.authenticate(*Auth::Secret::parse(*third), &refusal, &error));
    QVERIFY(!agents.authenticate(*Auth::Secret::parse(*next), &refusal, &error));
    QCOMPARE(refusal, NOT_VALID_CREDENTIAL);

    // A revoked agent gets no new credential.
    QVERIFY(agents.revoke(u"edge-01"_s, nullptr, &error));
    QVERIFY(!agents.prepareRekey(agentId, &error));
}

void TestStorage::revokedAgentRefused()
{
    Database db;
    QString error;
    QVERIFY2(db.open(url(), u"main"_s, &error), qPrintable(error));
    qint64 agentId = 0;
    const auto credential = enroll(db, u"edge-01"_s, &agentId, &error);
    QVERIFY2(credential, qPrintable(error));

    AgentRepository agents(db);
    qint64 revokedId = 0;
    QVERIFY2(agents.revoke(u"edge-01"_s, &revokedId, &error), qPrintable(error));
    QCOMPARE(revokedId, agentId);
    QVERIFY(agents.findByName(u"edge-01"_s, &error)->revoked);

    QString refusal;
    QVERIFY(!agents.authenticate(*Auth::Secret::parse(*credential), &refusal, &error));
    QCOMPARE(refusal, u"This agent was revoked in the console."_s);

    error.clear();
    QVERIFY(!agents.revoke(u"edge-01"_s, nullptr, &error));
    QCOMPARE(error, u"There is no active agent named \"edge-01\"; see 'agent list'."_s);
    error.clear();
    QVERIFY(!agents.revoke(u"ghost"_s, nullptr, &error));
    QVERIFY2(error.contains(u"\"ghost\""), qPrintable(error));
}

void TestStorage::noPlaintextSecretsOnDisk()
{
    Database db;
    QString error;
    QVERIFY2(db.open(url(), u"main"_s, &error), qPrintable(error));
    const auto token = TokenRepository(db).create(u"lab"_s, 5, 0, &error);
    qint64 agentId = 0;
    const auto credential = enroll(db, u"edge-01"_s, &agentId, &error);
    QVERIFY2(token && credential, qPrintable(error));
    const auto parsedToken = Auth::Secret::parse(*token);
    const auto parsedCredential = Auth::Secret::parse(*credential);

    const auto check = [&](const QByteArray &bytes, const char *when) {
        // The lookup ids are stored on purpose: finding them shows the search can see the rows.
        QVERIFY2(bytes.contains(parsedToken->lookupId.toUtf8()), when);
        QVERIFY2(bytes.contains(parsedCredential->lookupId.toUtf8()), when);
        QVERIFY2(!bytes.contains(parsedToken->secret), when);
        QVERIFY2(!bytes.contains(parsedCredential->secret), when);
        QVERIFY2(!bytes.contains(token->toUtf8()), when);
        QVERIFY2(!bytes.contains(credential->toUtf8()), when);
        // Nor as UTF-16, in case a driver ever stores text that way.
        const QByteArray utf16(reinterpret_cast<const char *>(QString::fromLatin1(parsedToken->secret).utf16()),
            parsedToken->secret.size() * 2);
        QVERIFY2(!bytes.contains(utf16), when);
    };
    // While open the rows sit in the write-ahead log; after closing they are checkpointed into the file.
    check(readFile(dbPath()) + readFile(dbPath() + u"-wal"_s), "while open");
    if (QTest::currentTestFailed())
        return;
    db.close();
    check(readFile(dbPath()) + readFile(dbPath() + u"-wal"_s), "after close");
}

void TestStorage::testsAddListStop()
{
    Database db;
    QString error;
    QVERIFY2(db.open(url(), u"main"_s, &error), qPrintable(error));
    qint64 alpha = 0;
    qint64 beta = 0;
    qint64 gamma = 0;
    QVERIFY(enroll(db, u"beta"_s, &beta, &error));
    QVERIFY(enroll(db, u"alpha"_s, &alpha, &error));
    QVERIFY(enroll(db, u"gamma"_s, &gamma, &error));
    QVERIFY(AgentRepository(db).revoke(u"gamma"_s, nullptr, &error));

    TestRepository tests(db);
    TestRecord wan;
    wan.name = u"wan"_s;
    wan.type = u"ping"_s;
    wan.target = u"192.0.2.1"_s;
    wan.intervalMs = 1000;
    wan.durationMs = 60'000;
    wan.params = {{u"count"_s, u"3"_s}, {u"spacing"_s, u"20ms"_s}};
    wan.agentNames = {u"beta"_s, u"alpha"_s};
    wan.createdAtMs = 5000;
    const auto wanId = tests.add(wan, &error);
    QVERIFY2(wanId, qPrintable(error));

    TestRecord ghost = wan;
    ghost.name = u"t2"_s;
    ghost.agentNames = {u"alpha"_s, u"ghost"_s};
    QVERIFY(!tests.add(ghost, &error));
    QCOMPARE(error, u"There is no agent named \"ghost\"; see 'agent list'."_s);

    TestRecord revoked = wan;
    revoked.name = u"t3"_s;
    revoked.agentNames = {u"gamma"_s};
    QVERIFY(!tests.add(revoked, &error));
    QCOMPARE(error, u"The agent \"gamma\" was revoked and cannot run tests."_s);

    QVERIFY(!tests.add(wan, &error));
    QCOMPARE(error, u"A test named \"wan\" exists already; pick another name."_s);

    // Refusals write nothing: another test can still be added, and nothing half-made is left.
    TestRecord everyone;
    everyone.name = u"everyone"_s;
    everyone.type = u"ping"_s;
    everyone.target = u"example.net"_s;
    everyone.intervalMs = 10'000;
    everyone.allAgents = true;
    everyone.createdAtMs = 6000;
    const auto everyoneId = tests.add(everyone, &error);
    QVERIFY2(everyoneId, qPrintable(error));
    QVERIFY(*everyoneId != *wanId);

    auto list = tests.list(&error);
    QVERIFY2(list, qPrintable(error));
    QCOMPARE(list->size(), 2);
    const TestRecord &first = list->at(0);
    QCOMPARE(first.id, *wanId);
    QCOMPARE(first.name, u"wan"_s);
    QCOMPARE(first.type, u"ping"_s);
    QCOMPARE(first.target, u"192.0.2.1"_s);
    QCOMPARE(first.intervalMs, qint64(1000));
    QCOMPARE(first.durationMs, qint64(60'000));
    QCOMPARE(first.params, wan.params);
    QVERIFY(!first.allAgents);
    QCOMPARE(first.agentNames, (QStringList{u"alpha"_s, u"beta"_s}));
    QCOMPARE(first.agentIds, (QList<qint64>{alpha, beta}));
    QCOMPARE(first.createdAtMs, qint64(5000));
    QCOMPARE(first.stoppedAtMs, qint64(0));
    QCOMPARE(first.stateAt(64'999), TestState::Running);
    QCOMPARE(first.stateAt(65'000), TestState::Finished);
    const TestRecord &second = list->at(1);
    QCOMPARE(second.name, u"everyone"_s);
    QVERIFY(second.allAgents);
    QVERIFY(second.agentNames.isEmpty());
    QCOMPARE(second.durationMs, qint64(0));
    QVERIFY(second.params.isEmpty());

    QVERIFY2(tests.stop(u"everyone"_s, 9000, &error), qPrintable(error));
    list = tests.list(&error);
    QCOMPARE(list->at(1).stoppedAtMs, qint64(9000));
    QCOMPARE(list->at(1).stateAt(9001), TestState::Stopped);
    QCOMPARE(list->at(0).stoppedAtMs, qint64(0));
    QVERIFY(!tests.stop(u"everyone"_s, 9500, &error));
    QCOMPARE(error, u"There is no running test named \"everyone\"; see 'test list'."_s);
    QVERIFY(!tests.stop(u"nope"_s, 9500, &error));
    QVERIFY2(error.contains(u"\"nope\""), qPrintable(error));
    QCOMPARE(tests.list(&error)->at(1).stoppedAtMs, qint64(9000));
}

void TestStorage::storeResults()
{
    Database db;
    QString error;
    QVERIFY2(db.open(url(), u"main"_s, &error), qPrintable(error));
    qint64 alpha = 0, beta = 0, wan = 0, lan = 0;
    QVERIFY2(seed(db, &alpha, &beta, &wan, &lan, &error), qPrintable(error));
    SampleRepository samples(db);

    const auto outcome = store(samples, alpha, 1,
        {round(wan, 1000, {{u"ping.rtt_avg_ms"_s, 1.5}, {u"ping.loss_pct"_s, 0}}),
            round(wan, 2000, {{u"ping.rtt_avg_ms"_s, 2.5}, {u"ping.loss_pct"_s, 50}})},
        &error);
    QVERIFY2(outcome, qPrintable(error));
    QCOMPARE(*outcome, StoreOutcome::Stored);
    QCOMPARE(samples.countSamples(&error).value_or(-1), qint64(4));
    QCOMPARE(column(db, u"SELECT t, value FROM samples ORDER BY t, value"_s),
        (QStringList{u"1000|0"_s, u"1000|1.5"_s, u"2000|2.5"_s, u"2000|50"_s}));
    const auto agent = AgentRepository(db).findById(alpha, &error);
    QCOMPARE(agent->lastSeq, qint64(1));
    QCOMPARE(agent->lastSeenMs, qint64(7777));
    QCOMPARE(AgentRepository(db).findById(beta, &error)->lastSeq, qint64(0));
}

void TestStorage::duplicateBatches()
{
    Database db;
    QString error;
    QVERIFY2(db.open(url(), u"main"_s, &error), qPrintable(error));
    qint64 alpha = 0, beta = 0, wan = 0, lan = 0;
    QVERIFY2(seed(db, &alpha, &beta, &wan, &lan, &error), qPrintable(error));
    SampleRepository samples(db);
    const QList<Protocol::Round> rounds{round(wan, 1000, {{u"ping.rtt_avg_ms"_s, 1.5}})};

    QCOMPARE(store(samples, alpha, 5, rounds, &error), std::optional(StoreOutcome::Stored));
    QCOMPARE(store(samples, alpha, 5, rounds, &error), std::optional(StoreOutcome::Duplicate));
    QCOMPARE(samples.countSamples(&error).value_or(-1), qint64(1));
    // Out of order: 3 was never stored, so it is new; sent again it is a replay.
    QCOMPARE(store(samples, alpha, 3, rounds, &error), std::optional(StoreOutcome::Stored));
    QCOMPARE(store(samples, alpha, 3, rounds, &error), std::optional(StoreOutcome::Duplicate));
    QCOMPARE(samples.countSamples(&error).value_or(-1), qint64(2));
    QCOMPARE(AgentRepository(db).findById(alpha, &error)->lastSeq, qint64(5)); // the high-water mark stays
    // Each agent counts on its own: beta's seq 1 is new.
    QCOMPARE(store(samples, beta, 1, rounds, &error), std::optional(StoreOutcome::Stored));
    QCOMPARE(store(samples, alpha, 6, rounds, &error), std::optional(StoreOutcome::Stored));
    QCOMPARE(samples.countSamples(&error).value_or(-1), qint64(4));
    // A duplicate leaves no transaction open behind it.
    QVERIFY2(db.beginWrite(&error), qPrintable(error));
    db.rollback();
}

void TestStorage::storeForUnknownAgentSaysWhy()
{
    Database db;
    QString error;
    QVERIFY2(db.open(url(), u"main"_s, &error), qPrintable(error));
    SampleRepository samples(db);
    QVERIFY(!store(samples, 999, 1, {round(1, 1000, {{u"ping.sent"_s, 1}})}, &error));
    QVERIFY2(!error.isEmpty(), "storeResults() failed without saying why");
    QCOMPARE(samples.countSamples(&error).value_or(-1), qint64(0));
}

void TestStorage::eventsInBatchShareItsTransaction()
{
    Database db;
    QString error;
    QVERIFY2(db.open(url(), u"main"_s, &error), qPrintable(error));
    qint64 alpha = 0, beta = 0, wan = 0, lan = 0;
    QVERIFY2(seed(db, &alpha, &beta, &wan, &lan, &error), qPrintable(error));
    SampleRepository samples(db);

    Protocol::Results batch{1, {round(wan, 1000, {{u"ping.rtt_avg_ms"_s, 1.5}})},
        {Protocol::Event{900, u"error"_s, u"spool-overflow"_s, u"12 round(s) dropped"_s, 0},
            Protocol::Event{950, u"warning"_s, u"test-refused"_s, u"Zeitüberschreitung"_s, wan}},
        0};
    QCOMPARE(samples.storeResults(alpha, batch, {}, 5000, &error), std::optional(StoreOutcome::Stored));
    const QStringList stored{u"900 error spool-overflow alpha  12 round(s) dropped"_s,
        u"950 warning test-refused alpha wan Zeitüberschreitung"_s};
    QCOMPARE(eventLines(db), stored);

    // A replay stores none of its events again.
    QCOMPARE(samples.storeResults(alpha, batch, {}, 6000, &error), std::optional(StoreOutcome::Duplicate));
    QCOMPARE(eventLines(db), stored);

    // A batch that fails leaves none of its events behind: for an unknown agent...
    batch.seq = 2;
    error.clear();
    QVERIFY(!samples.storeResults(999, batch, {}, 7000, &error));
    QVERIFY2(!error.isEmpty(), "storeResults() failed without saying why");
    QCOMPARE(eventLines(db), stored);
    // ...or half-way (SQLite stores NaN as NULL, which samples.value refuses).
    Protocol::Results poisoned{2,
        {round(wan, 2000, {{u"ping.rtt_avg_ms"_s, 2}}), round(wan, 3000, {{u"ping.rtt_avg_ms"_s, std::nan("")}})},
        {Protocol::Event{2500, u"info"_s, u"note"_s, u"half-way"_s, 0}}, 0};
    error.clear();
    QVERIFY(!samples.storeResults(alpha, poisoned, {}, 7000, &error));
    QCOMPARE(eventLines(db), stored);
    QCOMPARE(samples.countSamples(&error).value_or(-1), qint64(1));
    QCOMPARE(column(db, u"SELECT seq FROM batches ORDER BY seq"_s), QStringList{u"1"_s});

    // Sent again whole, everything in it is stored, once.
    poisoned.rounds.removeLast();
    QCOMPARE(samples.storeResults(alpha, poisoned, {}, 8000, &error), std::optional(StoreOutcome::Stored));
    QCOMPARE(eventLines(db), stored + QStringList{u"2500 info note alpha  half-way"_s});
    QCOMPARE(samples.countSamples(&error).value_or(-1), qint64(2));
}

void TestStorage::batchesRow()
{
    Database db;
    QString error;
    QVERIFY2(db.open(url(), u"main"_s, &error), qPrintable(error));
    qint64 alpha = 0, beta = 0, wan = 0, lan = 0;
    QVERIFY2(seed(db, &alpha, &beta, &wan, &lan, &error), qPrintable(error));
    SampleRepository samples(db);

    // The agent's measurement times and the console's receive time, side by side.
    const Protocol::Results batch{3,
        {round(wan, 1000, {{u"ping.rtt_avg_ms"_s, 1}}), round(lan, 1500, {{u"ping.rtt_avg_ms"_s, 2}}),
            round(wan, 3000, {{u"ping.rtt_avg_ms"_s, 3}})},
        {}, 0};
    QCOMPARE(samples.storeResults(alpha, batch, {}, 123'456, &error), std::optional(StoreOutcome::Stored));
    const Protocol::Results eventsOnly{4, {}, {Protocol::Event{4000, u"info"_s, u"note"_s, u"hi"_s, 0}}, 0};
    QCOMPARE(samples.storeResults(alpha, eventsOnly, {}, 123'999, &error), std::optional(StoreOutcome::Stored));
    QCOMPARE(samples.storeResults(beta, batch, {}, 130'000, &error), std::optional(StoreOutcome::Stored));

    const QString sql = u"SELECT seq, received_at, rounds, COALESCE(first_t, 'null'), COALESCE(last_t, 'null') "
                        "FROM batches WHERE agent_id = %1 ORDER BY seq"_s;
    QCOMPARE(column(db, sql.arg(alpha)), (QStringList{u"3|123456|3|1000|3000"_s, u"4|123999|0|null|null"_s}));
    QCOMPARE(column(db, sql.arg(beta)), QStringList{u"3|130000|3|1000|3000"_s});
    // A replay changes nothing, not even the receive time.
    QCOMPARE(samples.storeResults(alpha, batch, {}, 200'000, &error), std::optional(StoreOutcome::Duplicate));
    QCOMPARE(column(db, sql.arg(alpha)), (QStringList{u"3|123456|3|1000|3000"_s, u"4|123999|0|null|null"_s}));
}

void TestStorage::outOfOrderStoredOnce()
{
    Database db;
    QString error;
    QVERIFY2(db.open(url(), u"main"_s, &error), qPrintable(error));
    qint64 alpha = 0, beta = 0, wan = 0, lan = 0;
    QVERIFY2(seed(db, &alpha, &beta, &wan, &lan, &error), qPrintable(error));
    SampleRepository samples(db);

    const QList<std::pair<qint64, StoreOutcome>> sends{{5, StoreOutcome::Stored}, {3, StoreOutcome::Stored},
        {4, StoreOutcome::Stored}, {3, StoreOutcome::Duplicate}, {5, StoreOutcome::Duplicate},
        {1, StoreOutcome::Stored}, {4, StoreOutcome::Duplicate}, {1, StoreOutcome::Duplicate}};
    for (const auto &[seq, outcome] : sends) {
        QCOMPARE(store(samples, alpha, seq, {round(wan, seq * 1000, {{u"ping.sent"_s, double(seq)}})}, &error),
            std::optional(outcome));
    }
    QCOMPARE(column(db, u"SELECT seq FROM batches ORDER BY seq"_s), (QStringList{u"1"_s, u"3"_s, u"4"_s, u"5"_s}));
    QCOMPARE(column(db, u"SELECT t, value FROM samples ORDER BY t"_s),
        (QStringList{u"1000|1"_s, u"3000|3"_s, u"4000|4"_s, u"5000|5"_s}));
    QCOMPARE(AgentRepository(db).findById(alpha, &error)->lastSeq, qint64(5));
}

void TestStorage::floorPrunesReplayProtection()
{
    Database db;
    QString error;
    QVERIFY2(db.open(url(), u"main"_s, &error), qPrintable(error));
    qint64 alpha = 0, beta = 0, wan = 0, lan = 0;
    QVERIFY2(seed(db, &alpha, &beta, &wan, &lan, &error), qPrintable(error));
    SampleRepository samples(db);
    const auto batch = [&](qint64 seq, qint64 floor) {
        return Protocol::Results{seq, {round(wan, seq * 1000, {{u"ping.sent"_s, double(seq)}})}, {}, floor};
    };
    const QString seqsOf = u"SELECT seq FROM batches WHERE agent_id = %1 ORDER BY seq"_s;

    for (qint64 seq = 1; seq <= 5; ++seq)
        QCOMPARE(samples.storeResults(alpha, batch(seq, 0), {}, 1000, &error), std::optional(StoreOutcome::Stored));
    QCOMPARE(samples.storeResults(beta, batch(1, 0), {}, 1000, &error), std::optional(StoreOutcome::Stored));
    QCOMPARE(samples.storeResults(beta, batch(2, 0), {}, 1000, &error), std::optional(StoreOutcome::Stored));
    QCOMPARE(column(db, seqsOf.arg(alpha)), (QStringList{u"1"_s, u"2"_s, u"3"_s, u"4"_s, u"5"_s}));

    // The agent will never send below 4 again: the rows below go, only this agent's.
    QCOMPARE(samples.storeResults(alpha, batch(6, 4), {}, 1000, &error), std::optional(StoreOutcome::Stored));
    QCOMPARE(column(db, seqsOf.arg(alpha)), (QStringList{u"4"_s, u"5"_s, u"6"_s}));
    QCOMPARE(column(db, seqsOf.arg(beta)), (QStringList{u"1"_s, u"2"_s}));
    // Replays at or above the floor are still recognised.
    QCOMPARE(samples.storeResults(alpha, batch(4, 4), {}, 1000, &error), std::optional(StoreOutcome::Duplicate));
    QCOMPARE(samples.storeResults(alpha, batch(5, 4), {}, 1000, &error), std::optional(StoreOutcome::Duplicate));

    // A floor at the batch's own seq: every older row goes, its own (the high-water mark) stays.
    QCOMPARE(samples.storeResults(alpha, batch(7, 7), {}, 1000, &error), std::optional(StoreOutcome::Stored));
    QCOMPARE(column(db, seqsOf.arg(alpha)), QStringList{u"7"_s});
    QCOMPARE(samples.storeResults(alpha, batch(7, 7), {}, 1000, &error), std::optional(StoreOutcome::Duplicate));
    QCOMPARE(AgentRepository(db).findById(alpha, &error)->lastSeq, qint64(7));

    // Below the floor nothing is recognised any more: a replay of 2 would be stored twice. This is
    // why the agent never sends a batch below the floor it reported (its durable ack watermark).
    const qint64 before = samples.countSamples(&error).value_or(-1);
    QCOMPARE(samples.storeResults(alpha, batch(2, 0), {}, 1000, &error), std::optional(StoreOutcome::Stored));
    QCOMPARE(samples.countSamples(&error).value_or(-1), before + 1);
    QCOMPARE(
        column(db, u"SELECT COUNT(*) FROM samples WHERE agent_id = %1 AND t = 2000"_s.arg(alpha)), QStringList{u"2"_s});
    QCOMPARE(AgentRepository(db).findById(alpha, &error)->lastSeq, qint64(7));
}

void TestStorage::migrationFromVersion2KeepsReplayProtection()
{
    // Schema versions 1 and 2 as they shipped (SQLite dialect); the agent "old-agent" had its
    // batches up to seq 7 stored, when replays were recognised by agents.last_seq alone.
    const QStringList version2{
        u"CREATE TABLE tokens (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, lookup_id TEXT NOT NULL UNIQUE, "
        "salt BLOB NOT NULL, hash BLOB NOT NULL, uses_left BIGINT NOT NULL, expires_at BIGINT, "
        "created_at BIGINT NOT NULL, revoked_at BIGINT)"_s,
        u"CREATE TABLE agents (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, host TEXT NOT NULL DEFAULT '', "
        "os TEXT NOT NULL DEFAULT '', version TEXT NOT NULL DEFAULT '', capabilities TEXT NOT NULL DEFAULT '', "
        "credential_id TEXT UNIQUE, credential_salt BLOB, credential_hash BLOB, "
        "enrolled_at BIGINT NOT NULL, token_id BIGINT, last_seen BIGINT, online INTEGER NOT NULL DEFAULT 0, "
        "revoked_at BIGINT, last_seq BIGINT NOT NULL DEFAULT 0)"_s,
        u"CREATE TABLE tests (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, type TEXT NOT NULL, "
        "target TEXT NOT NULL, interval_ms BIGINT NOT NULL, duration_ms BIGINT NOT NULL, "
        "params TEXT NOT NULL DEFAULT '{}', all_agents INTEGER NOT NULL DEFAULT 0, created_at BIGINT NOT NULL, "
        "stopped_at BIGINT)"_s,
        u"CREATE TABLE test_assignments (test_id BIGINT NOT NULL REFERENCES tests(id) ON DELETE CASCADE, "
        "agent_id BIGINT NOT NULL REFERENCES agents(id) ON DELETE CASCADE, PRIMARY KEY (test_id, agent_id))"_s,
        u"CREATE TABLE metrics (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, unit TEXT NOT NULL)"_s,
        u"CREATE TABLE samples (agent_id BIGINT NOT NULL, test_id BIGINT NOT NULL, metric_id BIGINT NOT NULL, "
        "t BIGINT NOT NULL, value REAL NOT NULL)"_s,
        u"CREATE INDEX samples_series ON samples (test_id, agent_id, metric_id, t)"_s,
        u"CREATE INDEX samples_time ON samples (t)"_s,
        u"CREATE TABLE details (id INTEGER PRIMARY KEY, agent_id BIGINT NOT NULL, test_id BIGINT NOT NULL, "
        "t BIGINT NOT NULL, kind TEXT NOT NULL, body TEXT NOT NULL)"_s,
        u"CREATE INDEX details_series ON details (test_id, agent_id, t)"_s,
        u"CREATE TABLE events (id INTEGER PRIMARY KEY, t BIGINT NOT NULL, level TEXT NOT NULL, kind TEXT NOT NULL, "
        "agent_id BIGINT, test_id BIGINT, message TEXT NOT NULL)"_s,
        u"CREATE INDEX events_time ON events (t)"_s,
        u"ALTER TABLE agents ADD COLUMN next_credential_id TEXT"_s,
        u"ALTER TABLE agents ADD COLUMN next_credential_salt BLOB"_s,
        u"ALTER TABLE agents ADD COLUMN next_credential_hash BLOB"_s,
        u"ALTER TABLE agents ADD COLUMN rekey_requested_at BIGINT"_s,
        u"CREATE UNIQUE INDEX agents_next_credential ON agents (next_credential_id)"_s,
        u"CREATE TABLE schema_version (version INTEGER NOT NULL)"_s,
        u"INSERT INTO schema_version (version) VALUES (2)"_s,
        u"INSERT INTO agents (id, name, enrolled_at, last_seen, last_seq) VALUES (3, 'old-agent', 1000, 5000, 7)"_s,
        u"INSERT INTO agents (id, name, enrolled_at, last_seq) VALUES (4, 'quiet-agent', 1000, 0)"_s,
        u"INSERT INTO tests (id, name, type, target, interval_ms, duration_ms, created_at) "
        "VALUES (1, 'wan', 'ping', '192.0.2.1', 1000, 0, 500)"_s,
    };
    {
        QSqlDatabase old = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"version2"_s);
        old.setDatabaseName(dbPath());
        QVERIFY(old.open());
        for (const QString &statement : version2) {
            QSqlQuery query(old);
            QVERIFY2(query.exec(statement), qPrintable(statement));
        }
        old.close();
    }
    QSqlDatabase::removeDatabase(u"version2"_s);

    Database db;
    QString error;
    QVERIFY2(db.open(url(), u"main"_s, &error), qPrintable(error));
    QCOMPARE(
        column(db, u"SELECT version FROM schema_version"_s), QStringList{QString::number(Schema::currentVersion())});
    QCOMPARE(column(db, u"SELECT agent_id, seq, received_at, rounds FROM batches"_s), QStringList{u"3|7|5000|0"_s});
    const auto agent = AgentRepository(db).findById(3, &error);
    QVERIFY2(agent, qPrintable(error));
    QCOMPARE(agent->lastSeq, qint64(7));
    QVERIFY(!agent->clockOffsetMs);
    QVERIFY(!agent->clockSkewed());

    // The batch stored last before the upgrade, sent again (its ack was lost): still a replay.
    SampleRepository samples(db);
    const QList<Protocol::Round> rounds{round(1, 7000, {{u"ping.sent"_s, 1}})};
    QCOMPARE(store(samples, 3, 7, rounds, &error), std::optional(StoreOutcome::Duplicate));
    QCOMPARE(samples.countSamples(&error).value_or(-1), qint64(0));
    QCOMPARE(store(samples, 3, 8, rounds, &error), std::optional(StoreOutcome::Stored));
    QCOMPARE(store(samples, 3, 8, rounds, &error), std::optional(StoreOutcome::Duplicate));
    QCOMPARE(AgentRepository(db).findById(3, &error)->lastSeq, qint64(8));
    // An agent that had sent nothing starts from scratch.
    QCOMPARE(store(samples, 4, 1, rounds, &error), std::optional(StoreOutcome::Stored));
    QCOMPARE(samples.countSamples(&error).value_or(-1), qint64(2));
}

void TestStorage::recordClock()
{
    Database db;
    QString error;
    QVERIFY2(db.open(url(), u"main"_s, &error), qPrintable(error));
    qint64 alpha = 0, beta = 0, wan = 0, lan = 0;
    QVERIFY2(seed(db, &alpha, &beta, &wan, &lan, &error), qPrintable(error));
    AgentRepository agents(db);

    auto agent = agents.findById(alpha, &error);
    QVERIFY2(agent, qPrintable(error));
    QVERIFY(!agent->clockOffsetMs); // unknown until the first pong
    QCOMPARE(agent->clockErrorMs, qint64(0));
    QVERIFY(!agent->clockSkewed());

    QVERIFY2(agents.recordClock(alpha, -1234, 15, 9000, &error), qPrintable(error));
    agent = agents.findById(alpha, &error);
    QCOMPARE(agent->clockOffsetMs, std::optional<qint64>(-1234));
    QCOMPARE(agent->clockErrorMs, qint64(15));
    QVERIFY(agent->clockSkewed());
    QCOMPARE(column(db, u"SELECT clock_checked_at FROM agents WHERE id = %1"_s.arg(alpha)), QStringList{u"9000"_s});
    // The other reads carry it too; other agents are untouched.
    QCOMPARE(agents.findByName(u"alpha"_s, &error)->clockOffsetMs, std::optional<qint64>(-1234));
    const auto list = agents.list(&error);
    QVERIFY2(list, qPrintable(error));
    for (const AgentRecord &listed : *list)
        QCOMPARE(listed.clockOffsetMs, listed.id == alpha ? std::optional<qint64>(-1234) : std::nullopt);
    QVERIFY(!agents.findById(beta, &error)->clockOffsetMs);

    // In step is a measurement too (0, not unknown), and replaces the last one.
    QVERIFY2(agents.recordClock(alpha, 0, 3, 9500, &error), qPrintable(error));
    agent = agents.findById(alpha, &error);
    QCOMPARE(agent->clockOffsetMs, std::optional<qint64>(0));
    QCOMPARE(agent->clockErrorMs, qint64(3));
    QVERIFY(!agent->clockSkewed());
    QCOMPARE(column(db, u"SELECT clock_checked_at FROM agents WHERE id = %1"_s.arg(alpha)), QStringList{u"9500"_s});

    // Large offsets survive the round trip whole.
    QVERIFY2(agents.recordClock(beta, 86'400'000'123, 1, 9600, &error), qPrintable(error));
    QCOMPARE(agents.findById(beta, &error)->clockOffsetMs, std::optional<qint64>(86'400'000'123));
}

void TestStorage::metricsTableUsesCatalogUnits()
{
    Database db;
    QString error;
    QVERIFY2(db.open(url(), u"main"_s, &error), qPrintable(error));
    qint64 alpha = 0, beta = 0, wan = 0, lan = 0;
    QVERIFY2(seed(db, &alpha, &beta, &wan, &lan, &error), qPrintable(error));
    SampleRepository samples(db);
    QVERIFY2(store(samples, alpha, 1,
                 {round(wan, 1000, {{u"ping.rtt_avg_ms"_s, 1}, {u"ping.loss_pct"_s, 0}, {u"ping.sent"_s, 1}})}, &error),
        qPrintable(error));
    QVERIFY2(store(samples, beta, 1, {round(wan, 1000, {{u"ping.rtt_avg_ms"_s, 1}})}, &error), qPrintable(error));
    QCOMPARE(column(db, u"SELECT name, unit FROM metrics ORDER BY name"_s),
        (QStringList{u"ping.loss_pct|%"_s, u"ping.rtt_avg_ms|ms"_s, u"ping.sent|count"_s}));

    // A newer agent may report a metric this console's catalog does not know yet.
    error.clear();
    const auto outcome = store(samples, alpha, 2, {round(wan, 2000, {{u"vendor.custom"_s, 7}})}, &error);
    QVERIFY2(outcome, qPrintable(error));
    QCOMPARE(
        column(db, u"SELECT name, unit FROM metrics WHERE name = 'vendor.custom'"_s), QStringList{u"vendor.custom|"_s});
}

void TestStorage::details()
{
    Database db;
    QString error;
    QVERIFY2(db.open(url(), u"main"_s, &error), qPrintable(error));
    qint64 alpha = 0, beta = 0, wan = 0, lan = 0;
    QVERIFY2(seed(db, &alpha, &beta, &wan, &lan, &error), qPrintable(error));
    SampleRepository samples(db);
    Protocol::Round withKind = round(wan, 1000, {});
    Protocol::TracerouteDetail path;
    path.target = u"10.0.0.1"_s;
    path.protocol = u"icmp"_s;
    path.hops = {Protocol::TracerouteHop{1, u"10.0.0.1"_s, {}, 2, 2, 0, false, 0, 0, 0, 0, 0, {}}};
    withKind.detail = path;
    Protocol::Round withoutKind = round(wan, 2000, {});
    withoutKind.detail = Protocol::OtherDetail{QString(), QCborMap{{u"note"_s, u"ü"_s}}};
    QVERIFY2(store(samples, alpha, 1, {withoutKind, withKind}, &error), qPrintable(error));

    // Rows as consoles before typed details stored them (tests/data/storage/details-v1.json).
    QFile fixture(QFINDTESTDATA("../data/storage/details-v1.json"));
    QVERIFY(fixture.open(QIODevice::ReadOnly));
    const QJsonArray stored = QJsonDocument::fromJson(fixture.readAll()).array();
    QSqlQuery insert(db.connection());
    insert.prepare(u"INSERT INTO details (agent_id, test_id, t, kind, body) VALUES (?, ?, ?, ?, ?)"_s);
    for (const QJsonValue &row : stored) {
        insert.addBindValue(beta);
        insert.addBindValue(lan);
        insert.addBindValue(row[u"t"_s].toInteger());
        insert.addBindValue(row[u"kind"_s].toString());
        insert.addBindValue(row[u"body"_s].toString());
        QVERIFY2(insert.exec(), qPrintable(insert.lastError().text()));
    }

    QStringList rows;
    QList<Protocol::RoundDetail> read;
    QVERIFY(samples.forEachDetail(
        SampleFilter{},
        [&](const DetailRow &row) {
            rows.append(u"%1 %2 %3 %4 %5"_s.arg(row.timeMs)
                            .arg(row.agent, row.test, row.record.kind(),
                                QString::fromUtf8(QJsonDocument(row.record.body()).toJson(QJsonDocument::Compact))));
            read.append(row.record.detail);
            return true;
        },
        &error));
    QCOMPARE(rows.size(), 2 + stored.size());
    QCOMPARE(rows.first(),
        u"1000 alpha wan traceroute {\"hops\":[{\"address\":\"10.0.0.1\",\"loss_pct\":0,\"received\":2,\"sent\":2,"
        "\"ttl\":1}],\"kind\":\"traceroute\",\"protocol\":\"icmp\",\"reached\":false,\"route_changed\":false,"
        "\"target\":\"10.0.0.1\"}"_s);
    QCOMPARE(rows.at(1), u"2000 alpha wan detail {\"note\":\"ü\"}"_s);
    // The old rows read as typed details and export exactly as they were stored.
    for (qsizetype i = 0; i < stored.size(); ++i) {
        const QJsonValue row = stored.at(i);
        QCOMPARE(rows.at(2 + i),
            u"%1 beta lan %2 %3"_s.arg(row[u"t"_s].toInteger())
                .arg(row[u"kind"_s].toString(), row[u"body"_s].toString()));
    }
    QVERIFY(read.at(2).get<Protocol::PingDetail>());
    QCOMPARE(read.at(3).get<Protocol::TracerouteDetail>()->hops.size(), 4);
    QCOMPARE(read.at(5).get<Protocol::QosDetail>()->classes.size(), 2);
    QVERIFY(read.at(6).isEmpty());

    const auto latest = samples.latestDetail(alpha, wan, &error);
    QVERIFY2(latest, qPrintable(error));
    QCOMPARE(latest->detail.get<Protocol::OtherDetail>()->fields.value(u"note"_s).toString(), u"ü"_s);
    const auto latestOld = samples.latestDetail(beta, lan, &error);
    QVERIFY2(latestOld, qPrintable(error));
    QVERIFY(latestOld->detail.isEmpty());
    QCOMPARE(latestOld->error, u"Cannot resolve wan.example: host not found"_s);
}

void TestStorage::failureEventsStoredWithTheBatch()
{
    Database db;
    QString error;
    QVERIFY2(db.open(url(), u"main"_s, &error), qPrintable(error));
    qint64 alpha = 0, beta = 0, wan = 0, lan = 0;
    QVERIFY2(seed(db, &alpha, &beta, &wan, &lan, &error), qPrintable(error));
    SampleRepository samples(db);
    const QList<Protocol::MetricValue> lost{{u"ping.loss_pct"_s, 100}};

    // Which rounds deserve an event is the application layer's rule (FailureEvents); storage writes
    // the events it is given with the batch, under the agent that sent it.
    const QList<Protocol::Event> failures{{1000, u"warning"_s, u"probe-error"_s, u"timeout"_s, wan},
        {1000, u"warning"_s, u"probe-error"_s, u"timeout"_s, lan}};
    QCOMPARE(
        samples.storeResults(alpha,
            Protocol::Results{1, {round(wan, 1000, lost, u"timeout"_s), round(lan, 1000, lost, u"timeout"_s)}, {}, 0},
            failures, 7777, &error),
        std::optional(StoreOutcome::Stored));
    // A replay stores nothing, not even the events it is given again.
    QCOMPARE(samples.storeResults(
                 alpha, Protocol::Results{1, {round(wan, 1000, lost, u"timeout"_s)}, {}, 0}, failures, 7777, &error),
        std::optional(StoreOutcome::Duplicate));
    QCOMPARE(eventLines(db),
        (QStringList{
            u"1000 warning probe-error alpha wan timeout"_s, u"1000 warning probe-error alpha lan timeout"_s}));
}

void TestStorage::failedStoreKeepsNoFailureEvent()
{
    Database db;
    QString error;
    QVERIFY2(db.open(url(), u"main"_s, &error), qPrintable(error));
    qint64 alpha = 0, beta = 0, wan = 0, lan = 0;
    QVERIFY2(seed(db, &alpha, &beta, &wan, &lan, &error), qPrintable(error));
    SampleRepository samples(db);
    const Protocol::Round failing = round(wan, 1000, {{u"ping.loss_pct"_s, 100}}, u"timeout"_s);
    const QList<Protocol::Event> failure{{1000, u"warning"_s, u"probe-error"_s, u"timeout"_s, wan}};

    // SQLite stores NaN as NULL, which samples.value refuses: the batch fails half-way and rolls back.
    const Protocol::Round poisoned = round(wan, 2000, {{u"ping.rtt_avg_ms"_s, std::nan("")}});
    QVERIFY(!samples.storeResults(alpha, Protocol::Results{1, {failing, poisoned}, {}, 0}, failure, 7777, &error));
    QVERIFY2(error.contains(dbPath()), qPrintable(error));
    QCOMPARE(samples.countSamples(&error).value_or(-1), qint64(0));
    QCOMPARE(EventRepository(db).recent(10, &error)->size(), 0);
    QCOMPARE(AgentRepository(db).findById(alpha, &error)->lastSeq, qint64(0));

    // The agent sends the batch again (without the bad value): everything in it must now be stored.
    error.clear();
    QCOMPARE(samples.storeResults(alpha, Protocol::Results{1, {failing}, {}, 0}, failure, 7777, &error),
        std::optional(StoreOutcome::Stored));
    QCOMPARE(samples.countSamples(&error).value_or(-1), qint64(1));
    QCOMPARE(eventLines(db), QStringList{u"1000 warning probe-error alpha wan timeout"_s});
}

void TestStorage::forEachSample_data()
{
    QTest::addColumn<QString>("testName");
    QTest::addColumn<QString>("agentName");
    QTest::addColumn<qint64>("fromMs");
    QTest::addColumn<qint64>("toMs");
    QTest::addColumn<QStringList>("expected");

    const QString s1 = u"1000 alpha wan ping.rtt_avg_ms 2 ms"_s;
    const QString s2 = u"1000 beta wan ping.rtt_avg_ms 3 ms"_s;
    const QString s3 = u"2000 alpha lan ping.loss_pct 0 %"_s;
    const QString s4 = u"2000 alpha lan ping.rtt_avg_ms 1 ms"_s;
    const QString s5 = u"3000 beta wan ping.rtt_avg_ms 4 ms"_s;

    QTest::newRow("all, by time, agent, test, metric")
        << QString() << QString() << qint64(0) << qint64(0) << QStringList{s1, s2, s3, s4, s5};
    QTest::newRow("test wan") << u"wan"_s << QString() << qint64(0) << qint64(0) << QStringList{s1, s2, s5};
    QTest::newRow("agent alpha") << QString() << u"alpha"_s << qint64(0) << qint64(0) << QStringList{s1, s3, s4};
    QTest::newRow("from is inclusive") << QString() << QString() << qint64(2000) << qint64(0)
                                       << QStringList{s3, s4, s5};
    QTest::newRow("to is exclusive") << QString() << QString() << qint64(0) << qint64(2000) << QStringList{s1, s2};
    QTest::newRow("window, agent") << QString() << u"beta"_s << qint64(1000) << qint64(3000) << QStringList{s2};
    QTest::newRow("test and agent") << u"wan"_s << u"beta"_s << qint64(0) << qint64(0) << QStringList{s2, s5};
    QTest::newRow("no match") << u"lan"_s << u"beta"_s << qint64(0) << qint64(0) << QStringList{};
    QTest::newRow("unknown agent") << QString() << u"ghost"_s << qint64(0) << qint64(0) << QStringList{};
}

void TestStorage::forEachSample()
{
    QFETCH(QString, testName);
    QFETCH(QString, agentName);
    QFETCH(qint64, fromMs);
    QFETCH(qint64, toMs);
    QFETCH(QStringList, expected);

    Database db;
    QString error;
    QVERIFY2(db.open(url(), u"main"_s, &error), qPrintable(error));
    qint64 alpha = 0, beta = 0, wan = 0, lan = 0;
    QVERIFY2(seed(db, &alpha, &beta, &wan, &lan, &error), qPrintable(error));
    SampleRepository samples(db);
    // Stored out of order on purpose.
    QVERIFY2(
        store(samples, beta, 1,
            {round(wan, 3000, {{u"ping.rtt_avg_ms"_s, 4}}), round(wan, 1000, {{u"ping.rtt_avg_ms"_s, 3}})}, &error),
        qPrintable(error));
    QVERIFY2(store(samples, alpha, 1,
                 {round(lan, 2000, {{u"ping.rtt_avg_ms"_s, 1}, {u"ping.loss_pct"_s, 0}}),
                     round(wan, 1000, {{u"ping.rtt_avg_ms"_s, 2}})},
                 &error),
        qPrintable(error));

    QStringList rows;
    const bool ok = samples.forEachSample(
        SampleFilter{testName, agentName, fromMs, toMs},
        [&](const SampleRow &row) {
            rows.append(u"%1 %2 %3 %4 %5 %6"_s.arg(row.timeMs)
                            .arg(row.agent, row.test, row.metric)
                            .arg(row.value)
                            .arg(row.unit));
            return true;
        },
        &error);
    QVERIFY2(ok, qPrintable(error));
    QCOMPARE(rows, expected);
}

void TestStorage::forEachSampleStopsEarly()
{
    Database db;
    QString error;
    QVERIFY2(db.open(url(), u"main"_s, &error), qPrintable(error));
    qint64 alpha = 0, beta = 0, wan = 0, lan = 0;
    QVERIFY2(seed(db, &alpha, &beta, &wan, &lan, &error), qPrintable(error));
    SampleRepository samples(db);
    QList<Protocol::Round> rounds;
    for (int i = 0; i < 10; ++i)
        rounds.append(round(wan, 1000 * (i + 1), {{u"ping.sent"_s, double(i)}}));
    QVERIFY2(store(samples, alpha, 1, rounds, &error), qPrintable(error));
    QList<double> seen;
    QVERIFY(samples.forEachSample(
        SampleFilter{},
        [&](const SampleRow &row) {
            seen.append(row.value);
            return seen.size() < 3;
        },
        &error));
    QCOMPARE(seen, (QList<double>{0, 1, 2}));
}

void TestStorage::series()
{
    Database db;
    QString error;
    QVERIFY2(db.open(url(), u"main"_s, &error), qPrintable(error));
    qint64 alpha = 0, beta = 0, wan = 0, lan = 0;
    QVERIFY2(seed(db, &alpha, &beta, &wan, &lan, &error), qPrintable(error));
    SampleRepository samples(db);
    QVERIFY2(store(samples, alpha, 1,
                 {round(wan, 3500, {{u"ping.rtt_avg_ms"_s, 4}, {u"ping.loss_pct"_s, 10}}),
                     round(wan, 1000, {{u"ping.rtt_avg_ms"_s, 2}}), round(lan, 2000, {{u"ping.rtt_avg_ms"_s, 9}})},
                 &error),
        qPrintable(error));
    QVERIFY2(store(samples, beta, 1, {round(wan, 2000, {{u"ping.rtt_avg_ms"_s, 7}})}, &error), qPrintable(error));

    auto result = samples.series(alpha, wan, u"ping.rtt_avg_ms"_s, 0, &error);
    QVERIFY2(result, qPrintable(error));
    QCOMPARE(result->times, (QList<double>{1.0, 3.5})); // seconds since the epoch
    QCOMPARE(result->values, (QList<double>{2, 4}));

    result = samples.series(alpha, wan, u"ping.rtt_avg_ms"_s, 1001, &error);
    QCOMPARE(result->times, (QList<double>{3.5}));
    QCOMPARE(result->values, (QList<double>{4}));

    result = samples.series(alpha, wan, u"ping.loss_pct"_s, 0, &error);
    QCOMPARE(result->values, (QList<double>{10}));
    result = samples.series(alpha, wan, u"ping.jitter_ms"_s, 0, &error);
    QVERIFY(result && result->times.isEmpty() && result->values.isEmpty());
}

void TestStorage::summarize()
{
    Database db;
    QString error;
    QVERIFY2(db.open(url(), u"main"_s, &error), qPrintable(error));
    qint64 alpha = 0, beta = 0, wan = 0, lan = 0;
    QVERIFY2(seed(db, &alpha, &beta, &wan, &lan, &error), qPrintable(error));
    SampleRepository samples(db);
    QVERIFY2(store(samples, alpha, 1,
                 {round(wan, 1000,
                      {{u"ping.rtt_min_ms"_s, 1}, {u"ping.rtt_avg_ms"_s, 2}, {u"ping.rtt_max_ms"_s, 3},
                          {u"ping.loss_pct"_s, 0}}),
                     round(wan, 2000,
                         {{u"ping.rtt_min_ms"_s, 0.5}, {u"ping.rtt_avg_ms"_s, 4}, {u"ping.rtt_max_ms"_s, 10},
                             {u"ping.loss_pct"_s, 50}})},
                 &error),
        qPrintable(error));
    QVERIFY2(store(samples, beta, 1, {round(wan, 1000, {{u"ping.loss_pct"_s, 100}})}, &error), qPrintable(error));

    auto summary = samples.summarize(SampleFilter{}, &error);
    QVERIFY2(summary, qPrintable(error));
    QCOMPARE(summary->size(), 2);
    const SeriesSummary &a = summary->at(0);
    QCOMPARE(a.agent, u"alpha"_s);
    QCOMPARE(a.test, u"wan"_s);
    QCOMPARE(a.type, u"ping"_s);
    QCOMPARE(a.samples, qint64(8));
    QCOMPARE(a.rounds, qint64(2));
    QCOMPARE(a.rttMin, std::optional(0.5)); // min of 1 and 0.5
    QCOMPARE(a.rttAvg, std::optional(3.0)); // mean of 2 and 4
    QCOMPARE(a.rttMax, std::optional(10.0));
    QCOMPARE(a.lossAvg, std::optional(25.0)); // mean of 0 and 50
    const SeriesSummary &b = summary->at(1);
    QCOMPARE(b.agent, u"beta"_s);
    QCOMPARE(b.samples, qint64(1));
    QCOMPARE(b.rounds, qint64(1));
    QVERIFY(!b.rttMin && !b.rttAvg && !b.rttMax);
    QCOMPARE(b.lossAvg, std::optional(100.0));

    summary = samples.summarize(SampleFilter{QString(), QString(), 2000, 0}, &error);
    QCOMPARE(summary->size(), 1);
    QCOMPARE(summary->first().rttAvg, std::optional(4.0));
    QCOMPARE(summary->first().rounds, qint64(1));
    summary = samples.summarize(SampleFilter{u"wan"_s, u"beta"_s, 0, 0}, &error);
    QCOMPARE(summary->size(), 1);
    QCOMPARE(summary->first().agent, u"beta"_s);
}

void TestStorage::readOnlyDatabase()
{
    const QString folder = m_dir->filePath(u"ro"_s);
    const QString path = folder + u"/console.db"_s;
    QVERIFY(QDir().mkpath(folder));
    QString error;
    {
        Database db;
        QVERIFY2(db.open(DatabaseUrl::sqliteFile(path), u"setup"_s, &error), qPrintable(error));
    }
    const QByteArray before = readFile(path);
    QVERIFY(!before.isEmpty());
    QCOMPARE(::chmod(QFile::encodeName(path).constData(), 0444), 0);
    QCOMPARE(::chmod(QFile::encodeName(folder).constData(), 0555), 0);
    const auto restore = qScopeGuard([&] {
        ::chmod(QFile::encodeName(folder).constData(), 0755);
        ::chmod(QFile::encodeName(path).constData(), 0644);
    });
    // Root ignores permission bits; open as "nobody", as a console service account would.
    std::optional<Unprivileged> unprivileged;
    if (::geteuid() == 0) {
        QCOMPARE(::chmod(QFile::encodeName(m_dir->path()).constData(), 0755), 0); // let nobody in
        unprivileged.emplace();
        if (!unprivileged->active())
            QSKIP("Running as root without the right to act as another user, so permissions cannot bite.");
    }
    QVERIFY(!writableByMe(path));

    Database db;
    const bool opened = db.open(DatabaseUrl::sqliteFile(path), u"main"_s, &error);
    db.close();
    unprivileged.reset();

    QVERIFY2(!opened, "a read-only database was opened for writing");
    QVERIFY2(error.contains(path), qPrintable(error));
    QVERIFY2(error.contains(u"writable"), qPrintable(error));
    QVERIFY2(plainMessageProblem(error).isEmpty(), qPrintable(plainMessageProblem(error) + u": "_s + error));
    QCOMPARE(readFile(path), before);
}

void TestStorage::readOnlyFileInWritableFolder()
{
    const QString folder = m_dir->filePath(u"rw"_s);
    const QString path = folder + u"/console.db"_s;
    QVERIFY(QDir().mkpath(folder));
    QString error;
    {
        Database db;
        QVERIFY2(db.open(DatabaseUrl::sqliteFile(path), u"setup"_s, &error), qPrintable(error));
    }
    QCOMPARE(::chmod(QFile::encodeName(path).constData(), 0444), 0);
    QCOMPARE(::chmod(QFile::encodeName(folder).constData(), 0777), 0);
    const auto restore = qScopeGuard([&] { ::chmod(QFile::encodeName(path).constData(), 0644); });
    std::optional<Unprivileged> unprivileged;
    if (::geteuid() == 0) {
        QCOMPARE(::chmod(QFile::encodeName(m_dir->path()).constData(), 0755), 0);
        unprivileged.emplace();
        if (!unprivileged->active())
            QSKIP("Running as root without the right to act as another user, so permissions cannot bite.");
    }
    QVERIFY(!writableByMe(path));

    Database db;
    const bool opened = db.open(DatabaseUrl::sqliteFile(path), u"main"_s, &error);
    QString writeError;
    const bool wrote = opened && TokenRepository(db).create(u"probe"_s, 1, 0, &writeError).has_value();
    db.close();
    unprivileged.reset();

    QVERIFY2(!wrote, "wrote to a read-only file");
    QVERIFY2(!opened, qPrintable(u"opened; the first write then said: "_s + writeError));
    QVERIFY2(error.contains(path), qPrintable(error));
}

void TestStorage::unwritablePlaces_data()
{
    QTest::addColumn<QString>("kind");

    QTest::newRow("parent is a file") << u"parent-file"_s;
    QTest::newRow("path is a folder") << u"folder"_s;
    QTest::newRow("inside /proc") << u"proc"_s;
}

void TestStorage::unwritablePlaces()
{
    QFETCH(QString, kind);

    QString path;
    QString named; // what the message must name
    if (kind == u"parent-file") {
        const QString file = m_dir->filePath(u"plain-file"_s);
        QVERIFY(writeFile(file, "not a folder\n"));
        path = file + u"/console.db"_s;
        named = file;
    } else if (kind == u"folder") {
        path = m_dir->filePath(u"a-folder"_s);
        QVERIFY(QDir().mkpath(path));
        named = path;
    } else {
        path = u"/proc/streamswarm-test-%1.db"_s.arg(QCoreApplication::applicationPid());
        named = path;
    }
    Database db;
    QString error;
    QVERIFY(!db.open(DatabaseUrl::sqliteFile(path), u"main"_s, &error));
    QVERIFY2(error.contains(named), qPrintable(error));
    QVERIFY2(plainMessageProblem(error).isEmpty(), qPrintable(plainMessageProblem(error) + u": "_s + error));
    QVERIFY(!QFile::exists(path) || QFileInfo(path).isDir());
}

void TestStorage::newerSchemaRefused()
{
    QString error;
    {
        Database db;
        QVERIFY2(db.open(url(), u"setup"_s, &error), qPrintable(error));
        QVERIFY2(db.exec(u"UPDATE schema_version SET version = 99"_s, &error), qPrintable(error));
    }
    QVERIFY(!QFile::exists(dbPath() + u"-wal"_s)); // checkpointed on close: the file holds everything
    const QByteArray before = readFile(dbPath());

    {
        Database db;
        QVERIFY(!db.open(url(), u"main"_s, &error));
    }
    QCOMPARE(error,
        u"The database %1 was made by a newer StreamSwarm (schema 99; this version knows up to %2). "
        "Update StreamSwarm to open it."_s.arg(dbPath())
            .arg(Schema::currentVersion()));
    QVERIFY(readFile(dbPath()) == before);
    QVERIFY(!QFile::exists(dbPath() + u"-wal"_s) || readFile(dbPath() + u"-wal"_s).isEmpty());
}

void TestStorage::garbageFileRefused()
{
    QByteArray garbage;
    while (garbage.size() < 8192)
        garbage += "This is a shopping list, not a database.\n";
    QVERIFY(writeFile(dbPath(), garbage));

    Database db;
    QString error;
    QVERIFY(!db.open(url(), u"main"_s, &error));
    db.close();
    QVERIFY2(error.contains(dbPath()), qPrintable(error));
    QVERIFY2(error.contains(u"not a database"), qPrintable(error));
    QVERIFY2(plainMessageProblem(error).isEmpty(), qPrintable(plainMessageProblem(error) + u": "_s + error));
    QVERIFY(readFile(dbPath()) == garbage);
}

void TestStorage::serviceRunsJobsInOrderOnItsThread()
{
    StorageService service;
    QString error;
    QVERIFY2(service.open(url(), &error), qPrintable(error));
    QCOMPARE(service.url().path, dbPath());

    struct Answer
    {
        int index = -1;
        bool created = false;
        QThread *jobThread = nullptr;
    };
    constexpr int JOBS = 50;
    QList<int> order;
    QSet<QThread *> jobThreads;
    QSet<QThread *> doneThreads;
    for (int i = 0; i < JOBS; ++i) {
        service.run(
            this,
            [i](Repositories &repositories) {
                QString why;
                const bool created = repositories.tokens.create(u"t%1"_s.arg(i), 1, 0, &why).has_value();
                return Answer{i, created, QThread::currentThread()};
            },
            [&](const Answer &answer) {
                QVERIFY(answer.created);
                order.append(answer.index);
                jobThreads.insert(answer.jobThread);
                doneThreads.insert(QThread::currentThread());
            });
    }
    QVERIFY(order.isEmpty()); // answers arrive through the event loop, never inline

    service.drain(); // every job has run now; their answers are queued to this thread
    QTRY_COMPARE_WITH_TIMEOUT(order.size(), JOBS, 5000);
    QList<int> expected;
    for (int i = 0; i < JOBS; ++i)
        expected.append(i);
    QCOMPARE(order, expected);
    QCOMPARE(doneThreads, QSet<QThread *>{QThread::currentThread()});
    QCOMPARE(jobThreads.size(), 1);
    QVERIFY(!jobThreads.contains(QThread::currentThread()));

    // The jobs really wrote: another connection sees all the tokens.
    Database other;
    QVERIFY2(other.open(url(), u"check"_s, &error), qPrintable(error));
    QCOMPARE(TokenRepository(other).list(&error)->size(), JOBS);
}

void TestStorage::serviceDropsAnswersForDestroyedContext()
{
    StorageService service;
    QString error;
    QVERIFY2(service.open(url(), &error), qPrintable(error));
    bool goneCalled = false;
    bool laterCalled = false;
    auto context = std::make_unique<QObject>();
    service.run(
        context.get(), [](Repositories &) { return 1; }, [&](int) { goneCalled = true; });
    context.reset();
    service.run(
        this, [](Repositories &) { return 2; }, [&](int) { laterCalled = true; });
    // Answers arrive in order, so once the second has arrived the first would have, too.
    QTRY_VERIFY_WITH_TIMEOUT(laterCalled, 5000);
    QVERIFY(!goneCalled);
}

void TestStorage::serviceOpenFailure()
{
    QVERIFY(writeFile(dbPath(), QByteArray(8192, 'x')));
    StorageService service;
    QString error;
    QVERIFY(!service.open(url(), &error));
    QVERIFY2(error.contains(dbPath()), qPrintable(error));
}

void TestStorage::changedElsewhereForOtherConnections()
{
    StorageService service;
    QString error;
    QVERIFY2(service.open(url(), &error), qPrintable(error));
    QSignalSpy spy(&service, &StorageService::changedElsewhere);

    Database cli; // what `streamswarm-console token create` does, from another connection
    QVERIFY2(cli.open(url(), u"cli"_s, &error), qPrintable(error));
    QVERIFY(TokenRepository(cli).create(u"from-cli"_s, 1, 0, &error));
    QVERIFY2(spy.wait(1000), "no changedElsewhere() within 1 s of another connection's commit");

    // Each later change is noticed again.
    spy.clear();
    QVERIFY(TokenRepository(cli).revoke(u"from-cli"_s, &error));
    QVERIFY2(spy.wait(1000), "no changedElsewhere() for the second change");
}

void TestStorage::changedElsewhereQuietForOwnWrites()
{
    StorageService service;
    QString error;
    QVERIFY2(service.open(url(), &error), qPrintable(error));
    QSignalSpy spy(&service, &StorageService::changedElsewhere);

    bool written = false;
    service.run(
        this,
        [](Repositories &repositories) {
            QString why;
            return repositories.tokens.create(u"own"_s, 1, 0, &why).has_value();
        },
        [&](bool created) { written = created; });
    QTRY_VERIFY_WITH_TIMEOUT(written, 5000);
    // The worker polls every 200 ms: four polls pass without a signal.
    QVERIFY2(!spy.wait(800), "changedElsewhere() fired for the service's own write");

    // The same service does notice a foreign write (so the silence above means something).
    Database cli;
    QVERIFY2(cli.open(url(), u"cli"_s, &error), qPrintable(error));
    QVERIFY(TokenRepository(cli).create(u"foreign"_s, 1, 0, &error));
    QVERIFY(spy.wait(1000));
}

QTEST_GUILESS_MAIN(TestStorage)

#include "tst_storage.moc"
