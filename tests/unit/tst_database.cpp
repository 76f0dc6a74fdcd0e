// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
//
// The database itself: URLs, opening and migrating the schema, SQLite settings, and refusing what cannot be used
// (read-only, unwritable, newer or garbage files) with a plain message.
#include <sys/stat.h>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QScopeGuard>
#include <QSqlDriver>
#include <QSqlQuery>
#include <QTest>

#include <fcntl.h>
#include <unistd.h>

#include "console/storage/agentrepository.h"
#include "console/storage/binarycopy.h"
#include "console/storage/database.h"
#include "console/storage/eventrepository.h"
#include "console/storage/samplerepository.h"
#include "console/storage/schema.h"
#include "console/storage/tokenrepository.h"
#include "tests/unit/storagefixture.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm;
using namespace StreamSwarm::Console;
using namespace StreamSwarm::Test;

namespace {

constexpr uid_t NOBODY = 65534;

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

class TestDatabase final : public StorageTestCase
{
    Q_OBJECT
private Q_SLOTS:
    void databaseUrl_data();
    void databaseUrl();
    void openMigratesAndReopenIsNoop();
    void walAndFullSync();
    void migrationFromVersion2KeepsReplayProtection();
    void migrationFromVersion4KeepsTextOnlyEvents();
    void copyStoresEveryValueExactly();
    void readOnlyDatabase();
    void readOnlyFileInWritableFolder();
    void unwritablePlaces_data();
    void unwritablePlaces();
    void newerSchemaRefused();
    void garbageFileRefused();

private:
    QString schemaQuery() const;
};

void TestDatabase::databaseUrl_data()
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

void TestDatabase::databaseUrl()
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

QString TestDatabase::schemaQuery() const
{
    // Every table, column and index as the engine describes them.
    return onPostgres() ? u"SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns "
                          "WHERE table_schema = current_schema() UNION ALL SELECT tablename, indexname, indexdef, '' "
                          "FROM pg_indexes WHERE schemaname = current_schema() ORDER BY 1, 2"_s
                        : u"SELECT type, name, sql FROM sqlite_master ORDER BY name"_s;
}

void TestDatabase::openMigratesAndReopenIsNoop()
{
    QVERIFY(Schema::currentVersion() >= 1);
    QString error;
    QStringList schemaBefore;
    {
        Database db;
        QVERIFY2(db.open(url(), u"first"_s, &error), qPrintable(error));
        QCOMPARE(column(db, u"SELECT version FROM schema_version"_s),
            QStringList{QString::number(Schema::currentVersion())});
        const QStringList tables = column(db,
            onPostgres() ? u"SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
                           "ORDER BY 1"_s
                         : u"SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"_s);
        for (const QString &table : {u"agents"_s, u"batches"_s, u"details"_s, u"events"_s, u"metrics"_s, u"samples"_s,
                 u"schema_version"_s, u"test_assignments"_s, u"tests"_s, u"tokens"_s}) {
            QVERIFY2(tables.contains(table), qPrintable(tables.join(u", ")));
        }
        schemaBefore = column(db, schemaQuery());
        QVERIFY(TokenRepository(db).create(u"kept"_s, 1, 0, &error));
    }
    QVERIFY(onPostgres() || QFile::exists(dbPath()));

    Database db;
    QVERIFY2(db.open(url(), u"second"_s, &error), qPrintable(error));
    QCOMPARE(
        column(db, u"SELECT version FROM schema_version"_s), QStringList{QString::number(Schema::currentVersion())});
    QCOMPARE(column(db, schemaQuery()), schemaBefore);
    QCOMPARE(column(db, u"SELECT name FROM tokens"_s), QStringList{u"kept"_s});
}

void TestDatabase::walAndFullSync()
{
    if (onPostgres())
        QSKIP("SQLite's journal settings.");
    Database db;
    QString error;
    QVERIFY2(db.open(url(), u"main"_s, &error), qPrintable(error));
    QCOMPARE(column(db, u"PRAGMA journal_mode"_s), QStringList{u"wal"_s});
    QCOMPARE(column(db, u"PRAGMA synchronous"_s), QStringList{u"2"_s}); // 2 = FULL
    QCOMPARE(column(db, u"PRAGMA foreign_keys"_s), QStringList{u"1"_s});
    QVERIFY(db.isSqlite());
}

void TestDatabase::migrationFromVersion2KeepsReplayProtection()
{
    if (onPostgres())
        QSKIP("Version 2 shipped for SQLite only.");
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

void TestDatabase::migrationFromVersion4KeepsTextOnlyEvents()
{
    // Version 4 as it shipped: events with their message only, written in the console's language.
    QString error;
    {
        Database db;
        QVERIFY2(db.open(url(), u"main"_s, &error), qPrintable(error));
        // What versions 5 to 11 added goes first.
        QVERIFY2(dropSchema11(db, &error), qPrintable(error));
        for (const QString &statement : {u"DROP TABLE settings"_s, u"DROP TABLE rollups_minute"_s,
                 u"DROP TABLE rollups_hour_days"_s, u"DROP TABLE rollup_pending"_s, u"DROP INDEX details_failed"_s,
                 u"DROP INDEX details_route_changed"_s, u"ALTER TABLE details DROP COLUMN failed"_s,
                 u"ALTER TABLE details DROP COLUMN route_changed"_s, u"DROP TABLE report_schedules"_s,
                 u"ALTER TABLE agents DROP COLUMN address"_s, u"DROP TABLE agent_tags"_s, u"DROP TABLE test_tags"_s,
                 u"ALTER TABLE tests DROP COLUMN starts_at"_s, u"ALTER TABLE tests DROP COLUMN paused_at"_s,
                 u"ALTER TABLE tests DROP COLUMN deleted_at"_s, u"ALTER TABLE events DROP COLUMN code"_s,
                 u"ALTER TABLE events DROP COLUMN args"_s, u"UPDATE schema_version SET version = 4"_s,
                 u"INSERT INTO events (t, level, kind, message) VALUES (1000, 'info', 'test-added', "
                 "'Test \"wan\" added (by alice on the command line)')"_s}) {
            QVERIFY2(db.exec(statement, &error), qPrintable(statement + u": "_s + error));
        }
    }
    Database db;
    QVERIFY2(db.open(url(), u"main"_s, &error), qPrintable(error));
    QCOMPARE(
        column(db, u"SELECT version FROM schema_version"_s), QStringList{QString::number(Schema::currentVersion())});
    EventRepository events(db);
    QVERIFY2(events.audit(u"test-stopped"_s,
                 Protocol::EventText(
                     u"by-console-window"_s, {Protocol::EventText(u"test-stopped"_s, {u"wan"_s}).toJson(), u"bob"_s}),
                 0, 0, &error),
        qPrintable(error));
    const auto read = events.recent(10, &error);
    QVERIFY2(read && read->size() == 2, qPrintable(error));
    QCOMPARE(read->at(0).coded.code(), u"by-console-window"_s);
    QCOMPARE(read->at(0).text(), u"Test \"wan\" stopped (by bob in the console window)"_s);
    QVERIFY(read->at(1).coded.isEmpty());
    QCOMPARE(read->at(1).text(), u"Test \"wan\" added (by alice on the command line)"_s);
}

void TestDatabase::readOnlyDatabase()
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

void TestDatabase::readOnlyFileInWritableFolder()
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

void TestDatabase::unwritablePlaces_data()
{
    QTest::addColumn<QString>("kind");

    QTest::newRow("parent is a file") << u"parent-file"_s;
    QTest::newRow("path is a folder") << u"folder"_s;
    QTest::newRow("inside /proc") << u"proc"_s;
}

void TestDatabase::unwritablePlaces()
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

void TestDatabase::newerSchemaRefused()
{
    QString error;
    {
        Database db;
        QVERIFY2(db.open(url(), u"setup"_s, &error), qPrintable(error));
        QVERIFY2(db.exec(u"UPDATE schema_version SET version = 99"_s, &error), qPrintable(error));
    }
    if (onPostgres()) {
        Database db;
        QVERIFY(!db.open(url(), u"main"_s, &error));
        QCOMPARE(error,
            u"The database %1 was made by a newer StreamSwarm (schema 99; this version knows up to %2). "
            "Update StreamSwarm to open it."_s.arg(url().displayName())
                .arg(Schema::currentVersion()));
        return; // the file checks below are SQLite's
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

void TestDatabase::garbageFileRefused()
{
    if (onPostgres())
        QSKIP("About an SQLite file.");
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

void TestDatabase::copyStoresEveryValueExactly()
{
    QString error;
    Database db;
    QVERIFY2(db.open(url(), u"main"_s, &error), qPrintable(error));
    if (!onPostgres()) {
        QVERIFY(!db.canCopy());
        QSKIP("COPY is PostgreSQL's.");
    }
    QVERIFY(db.canCopy());
    QVERIFY2(db.exec(u"CREATE TABLE copied (big BIGINT, small INTEGER, real DOUBLE PRECISION, words TEXT)"_s, &error),
        qPrintable(error));
    // The awkward values: extremes, negatives, a double that text would round, text with quotes,
    // tabs, newlines and non-ASCII letters (what COPY's text format would have to escape).
    BinaryCopy copy(4);
    const QList<std::tuple<qint64, qint32, double, QString>> rows{
        {std::numeric_limits<qint64>::min(), std::numeric_limits<qint32>::min(), 0.1 + 0.2, u"plain"_s},
        {0, 7, 1.7976931348623157e308, u"Zürich, Łódź, 東京"_s},
        {std::numeric_limits<qint64>::max(), -1, -1e-300, u"tab\there \"quoted\"\nnext line"_s}}; // in big's order
    for (const auto &[big, small, real, words] : rows) {
        copy.startRow();
        copy.addInteger(big);
        copy.addInt32(small);
        copy.addReal(real);
        copy.addText(words.toUtf8());
    }
    QVERIFY2(db.beginWrite(&error), qPrintable(error));
    QVERIFY2(db.copyIn("COPY copied (big, small, real, words) FROM STDIN (FORMAT binary)", copy.finish(), &error),
        qPrintable(error));
    QVERIFY2(db.commit(&error), qPrintable(error));
    QSqlQuery read(db.connection());
    QVERIFY(read.exec(u"SELECT big, small, real, words FROM copied ORDER BY big"_s));
    for (const auto &[big, small, real, words] : rows) {
        QVERIFY(read.next());
        QCOMPARE(read.value(0).toLongLong(), big);
        QCOMPARE(read.value(1).toInt(), small);
        QCOMPARE(read.value(2).toDouble(), real);
        QCOMPARE(read.value(3).toString(), words);
    }
    QVERIFY(!read.next());
    read.finish();

    // A COPY the server refuses says why, and the connection stays usable.
    BinaryCopy wrong(2);
    wrong.startRow();
    wrong.addInteger(1);
    wrong.addInteger(2);
    QVERIFY2(db.beginWrite(&error), qPrintable(error));
    QVERIFY(!db.copyIn("COPY copied (big, small, real, words) FROM STDIN (FORMAT binary)", wrong.finish(), &error));
    QVERIFY2(error.contains(u"column"_s) || error.contains(u"field"_s), qPrintable(error));
    db.rollback();
    QVERIFY(!db.copyIn("COPY no_such_table FROM STDIN (FORMAT binary)", BinaryCopy(1).finish(), &error));
    QVERIFY2(error.contains(u"no_such_table"_s), qPrintable(error));
    QCOMPARE(column(db, u"SELECT COUNT(*) FROM copied"_s), QStringList{u"3"_s});
}

QTEST_GUILESS_MAIN(TestDatabase)
#include "tst_database.moc"
