// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <memory>
#include <optional>

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include "console/storage/database.h"
#include "console/storage/samplerepository.h"
#include "shared/protocol/messages.h"

namespace StreamSwarm::Test {

// What the storage tests share: a fresh database for each test function, and the rows most of them
// start from, written through the real repositories. The database is an SQLite file in a fresh folder,
// or, when STREAMSWARM_TEST_POSTGRES names the file holding the test server's URL (ctest's *_postgres
// entries), a new database on that PostgreSQL server, dropped afterwards. A test case derives from it
// and adds its own test functions; initTestCase(), init() and cleanup() are run for it. Test thread.
class StorageTestCase : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

protected:
    // The SQLite file (used only on SQLite; PostgreSQL tests skip what is about the file).
    QString dbPath() const { return m_dir->filePath(QStringLiteral("console.db")); }
    const Console::DatabaseUrl &url() const { return m_url; }
    bool onPostgres() const { return m_url.kind == Console::DatabaseUrl::Kind::Postgres; }
    // Enrolls an agent named name (at 1000 ms) in its own transaction; its credential.
    std::optional<QString> enroll(Console::Database &db, const QString &name, qint64 *agentId, QString *error,
        const QString &host = QStringLiteral("host-1"));
    // A ping test (created at 500 ms) run by these agents; its id.
    std::optional<qint64> addTest(
        Console::Database &db, const QString &name, const QStringList &agents, QString *error);
    // One batch of these rounds with this seq, received at 7777 ms.
    std::optional<Console::StoreOutcome> store(Console::SampleRepository &samples, qint64 agentId, qint64 seq,
        const QList<Protocol::Round> &rounds, QString *error);
    // alpha and beta enrolled; tests "wan" (alpha, beta) and "lan" (alpha); ids out.
    bool seed(Console::Database &db, qint64 *alpha, qint64 *beta, qint64 *wan, qint64 *lan, QString *error);

    std::unique_ptr<QTemporaryDir> m_dir;

private:
    Console::DatabaseUrl m_url;
    std::optional<Console::DatabaseUrl> m_postgresServer; // the test server, its maintenance database
    int m_databasesMade = 0;
};

// The test PostgreSQL server's URL when STREAMSWARM_TEST_POSTGRES names its file. nullopt when the
// variable is unset (SQLite), or with *error set when the file cannot be read.
std::optional<Console::DatabaseUrl> testPostgresServer(QString *error);
// Runs one statement on the test server's maintenance database (CREATE/DROP DATABASE).
bool onTestPostgresServer(const Console::DatabaseUrl &server, const QString &sql, QString *error);

// Takes back what schema 11 added (alerts, maintenance windows, the map), for tests that turn a fresh
// database into an older version to migrate it.
bool dropSchema11(Console::Database &db, QString *error);
QByteArray readFile(const QString &path);
bool writeFile(const QString &path, const QByteArray &bytes);
// All rows of a query, one line each, their fields joined by '|'.
QStringList column(Console::Database &db, const QString &sql);
// The hourly rollups as the console reads them (RollupRepository), oldest first, one line each:
// "t|n|lowest|highest|p50|p95|p99" (a percentile empty where there is none); of one metric, or of all.
QStringList hourRollups(Console::Database &db, const QString &metric = QString());
Protocol::AgentInfo agentInfo(const QString &name, const QString &host = QStringLiteral("host-1"));
Protocol::Round round(
    qint64 testId, qint64 timeMs, const QList<Protocol::MetricValue> &values, const QString &error = QString());

} // namespace StreamSwarm::Test
