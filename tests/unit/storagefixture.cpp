// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "storagefixture.h"

#include <QFile>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QStandardPaths>
#include <QTest>

#include "console/storage/agentrepository.h"
#include "console/storage/testrepository.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm::Console;

namespace StreamSwarm::Test {

void StorageTestCase::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

void StorageTestCase::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void StorageTestCase::cleanup()
{
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

} // namespace StreamSwarm::Test
