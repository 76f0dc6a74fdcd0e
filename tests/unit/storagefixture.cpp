// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "storagefixture.h"

#include <QCoreApplication>
#include <QFile>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QStandardPaths>
#include <QTest>

#include "console/storage/agentrepository.h"
#include "console/storage/rollups.h"
#include "console/storage/testrepository.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm::Console;

namespace StreamSwarm::Test {

std::optional<DatabaseUrl> testPostgresServer(QString *error)
{
    const QString urlFile = qEnvironmentVariable("STREAMSWARM_TEST_POSTGRES");
    if (urlFile.isEmpty())
        return std::nullopt;
    const QString text = QString::fromUtf8(readFile(urlFile)).trimmed();
    if (text.isEmpty()) {
        *error = u"The test PostgreSQL server's URL file %1 is missing or empty; did the postgres_start "
                 "test run (ctest runs it first)?"_s.arg(urlFile);
        return std::nullopt;
    }
    return DatabaseUrl::parse(text, error);
}

bool onTestPostgresServer(const DatabaseUrl &server, const QString &sql, QString *error)
{
    const QString name = u"storage-test-admin"_s;
    bool done = false;
    {
        QSqlDatabase admin = QSqlDatabase::addDatabase(u"QPSQL"_s, name);
        admin.setHostName(server.host);
        admin.setPort(server.port);
        admin.setUserName(server.user);
        admin.setPassword(server.password);
        admin.setDatabaseName(server.name);
        if (!admin.open()) {
            *error = admin.lastError().text();
        } else {
            QSqlQuery query(admin);
            done = query.exec(sql);
            if (!done)
                *error = query.lastError().text();
            query.finish();
            admin.close();
        }
    }
    QSqlDatabase::removeDatabase(name);
    return done;
}

void StorageTestCase::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QString error;
    m_postgresServer = testPostgresServer(&error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
}

void StorageTestCase::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    if (!m_postgresServer) {
        m_url = DatabaseUrl::sqliteFile(dbPath());
        return;
    }
    // Lower case and unquoted: a name PostgreSQL keeps as written.
    m_url = *m_postgresServer;
    m_url.name = u"streamswarm_test_%1_%2"_s.arg(QCoreApplication::applicationPid()).arg(++m_databasesMade);
    QString error;
    QVERIFY2(
        onTestPostgresServer(*m_postgresServer, u"CREATE DATABASE %1"_s.arg(m_url.name), &error), qPrintable(error));
}

void StorageTestCase::cleanup()
{
    if (onPostgres()) {
        QString error;
        if (!onTestPostgresServer(
                *m_postgresServer, u"DROP DATABASE IF EXISTS %1 WITH (FORCE)"_s.arg(m_url.name), &error))
            qWarning("Could not drop the test database %s: %s", qPrintable(m_url.name), qPrintable(error));
    }
    m_dir.reset();
}

std::optional<QString> StorageTestCase::enroll(
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

std::optional<qint64> StorageTestCase::addTest(
    Database &db, const QString &name, const QStringList &agents, QString *error)
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

std::optional<StoreOutcome> StorageTestCase::store(
    SampleRepository &samples, qint64 agentId, qint64 seq, const QList<Protocol::Round> &rounds, QString *error)
{
    return samples.storeResults(agentId, Protocol::Results{seq, rounds, {}, 0}, {}, 7777, error);
}

bool StorageTestCase::seed(Database &db, qint64 *alpha, qint64 *beta, qint64 *wan, qint64 *lan, QString *error)
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

QStringList hourRollups(Database &db, const QString &metric)
{
    QStringList rows;
    QString error;
    const auto optional = [](const std::optional<double> &value) {
        return value ? QString::number(*value, 'g', 17) : QString();
    };
    const bool read = RollupRepository(db).forEachRollup(
        Resolution::Hour, SampleFilter(),
        [&](const RollupRow &row) {
            if (metric.isEmpty() || row.metric == metric) {
                rows.append(QStringList{QString::number(row.timeMs), QString::number(row.count),
                    QString::number(row.lowest, 'g', 17), QString::number(row.highest, 'g', 17), optional(row.p50),
                    optional(row.p95), optional(row.p99)}
                                .join(u'|'));
            }
            return true;
        },
        &error);
    return read ? rows : QStringList{u"ERROR: "_s + error};
}

Protocol::AgentInfo agentInfo(const QString &name, const QString &host)
{
    return Protocol::AgentInfo{name, host, u"Debian GNU/Linux 12"_s, u"0.1.0"_s, {u"ping"_s, u"dns"_s}};
}

Protocol::Round round(qint64 testId, qint64 timeMs, const QList<Protocol::MetricValue> &values, const QString &error)
{
    Protocol::Round r;
    r.testId = testId;
    r.timeMs = timeMs;
    r.values = values;
    r.error = error;
    return r;
}

bool dropSchema11(Console::Database &db, QString *error)
{
    for (const char *table : {"alert_rules", "alert_troubles", "alert_incidents", "alert_outbox", "maintenance_windows",
             "map_nodes", "map_background"}) {
        if (!db.exec(QStringLiteral("DROP TABLE %1").arg(QLatin1String(table)), error))
            return false;
    }
    return true;
}

} // namespace StreamSwarm::Test
