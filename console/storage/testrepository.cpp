// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "testrepository.h"

#include <QCoreApplication>
#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlQuery>
#include <QVariant>

#include "console/storage/database.h"
#include "shared/protocol/validation.h"
#include "shared/testtypes/testtype.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

namespace {

QString paramsToJson(const QMap<QString, QString> &params)
{
    QJsonObject object;
    for (auto it = params.cbegin(); it != params.cend(); ++it)
        object.insert(it.key(), it.value());
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

QMap<QString, QString> paramsFromJson(const QString &json)
{
    QMap<QString, QString> params;
    const QJsonObject object = QJsonDocument::fromJson(json.toUtf8()).object();
    for (auto it = object.constBegin(); it != object.constEnd(); ++it)
        params.insert(it.key(), it.value().toString());
    return params;
}

} // namespace

std::optional<qint64> TestRepository::add(const TestRecord &test, QString *error)
{
    const auto fail = [&](const QString &why) -> std::optional<qint64> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    QSqlQuery query(m_db.connection());
    query.prepare(u"SELECT stopped_at FROM tests WHERE name = ?"_s);
    query.addBindValue(test.name);
    if (!m_db.exec(query, error))
        return fail(error ? *error : QString());
    if (query.next())
        return fail(tr("A test named \"%1\" exists already; pick another name.").arg(test.name));
    query.finish();

    QList<qint64> agentIds;
    for (const QString &agentName : test.agentNames) {
        QSqlQuery agent(m_db.connection());
        agent.prepare(u"SELECT id, revoked_at FROM agents WHERE name = ?"_s);
        agent.addBindValue(agentName);
        if (!m_db.exec(agent, error))
            return fail(error ? *error : QString());
        if (!agent.next())
            return fail(tr("There is no agent named \"%1\"; see 'agent list'.").arg(agentName));
        if (!agent.value(1).isNull())
            return fail(tr("The agent \"%1\" was revoked and cannot run tests.").arg(agentName));
        agentIds.append(agent.value(0).toLongLong());
    }

    // A qos, voice or bandwidth test may measure to another agent by name ("agent:NAME"): that agent must exist.
    // Whether it is online only matters when the console plans assignments (the test waits for it meanwhile).
    if (const QString targetAgent = Validation::agentTargetName(test.target); !targetAgent.isEmpty()) {
        QSqlQuery agent(m_db.connection());
        agent.prepare(u"SELECT revoked_at FROM agents WHERE name = ?"_s);
        agent.addBindValue(targetAgent);
        if (!m_db.exec(agent, error))
            return fail(error ? *error : QString());
        if (!agent.next()) {
            const TestTypes::TestType *type = TestTypes::find(test.type);
            return fail(type && type->agentTargetEachRound
                    ? tr("There is no agent named \"%1\" to measure to; see 'agent list' for the names.")
                          .arg(targetAgent)
                    : tr("There is no agent named \"%1\" to measure to; see 'agent list' for the names. The "
                         "target agent also needs to run with --stamp-port.")
                          .arg(targetAgent));
        }
        if (!agent.value(0).isNull())
            return fail(tr("The agent \"%1\" was revoked and cannot be measured to.").arg(targetAgent));
    }

    QSqlQuery insert(m_db.connection());
    insert.prepare(u"INSERT INTO tests (name, type, target, interval_ms, duration_ms, params, all_agents, created_at) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"_s);
    insert.addBindValue(test.name);
    insert.addBindValue(test.type);
    insert.addBindValue(test.target);
    insert.addBindValue(test.intervalMs);
    insert.addBindValue(test.durationMs);
    insert.addBindValue(paramsToJson(test.params));
    insert.addBindValue(test.allAgents ? 1 : 0);
    insert.addBindValue(test.createdAtMs);
    if (!m_db.exec(insert, error))
        return fail(error ? *error : QString());
    QSqlQuery idQuery(m_db.connection());
    idQuery.prepare(u"SELECT id FROM tests WHERE name = ?"_s);
    idQuery.addBindValue(test.name);
    if (!m_db.exec(idQuery, error) || !idQuery.next())
        return fail(error ? *error : QString());
    const qint64 testId = idQuery.value(0).toLongLong();
    for (qint64 agentId : agentIds) {
        QSqlQuery assign(m_db.connection());
        assign.prepare(u"INSERT INTO test_assignments (test_id, agent_id) VALUES (?, ?)"_s);
        assign.addBindValue(testId);
        assign.addBindValue(agentId);
        if (!m_db.exec(assign, error))
            return fail(error ? *error : QString());
    }
    return testId;
}

std::optional<QList<TestRecord>> TestRepository::list(QString *error)
{
    QSqlQuery query(m_db.connection());
    query.prepare(u"SELECT id, name, type, target, interval_ms, duration_ms, params, all_agents, created_at, "
                  "stopped_at FROM tests ORDER BY id"_s);
    if (!m_db.exec(query, error))
        return std::nullopt;
    QList<TestRecord> tests;
    QHash<qint64, qsizetype> indexById;
    while (query.next()) {
        TestRecord test;
        test.id = query.value(0).toLongLong();
        test.name = query.value(1).toString();
        test.type = query.value(2).toString();
        test.target = query.value(3).toString();
        test.intervalMs = query.value(4).toLongLong();
        test.durationMs = query.value(5).toLongLong();
        test.params = paramsFromJson(query.value(6).toString());
        test.allAgents = query.value(7).toInt() != 0;
        test.createdAtMs = query.value(8).toLongLong();
        test.stoppedAtMs = query.value(9).toLongLong();
        indexById.insert(test.id, tests.size());
        tests.append(test);
    }
    QSqlQuery assignments(m_db.connection());
    assignments.prepare(u"SELECT a.test_id, a.agent_id, g.name FROM test_assignments a "
                        "JOIN agents g ON g.id = a.agent_id ORDER BY g.name"_s);
    if (!m_db.exec(assignments, error))
        return std::nullopt;
    while (assignments.next()) {
        const auto index = indexById.value(assignments.value(0).toLongLong(), -1);
        if (index < 0)
            continue;
        tests[index].agentIds.append(assignments.value(1).toLongLong());
        tests[index].agentNames.append(assignments.value(2).toString());
    }
    return tests;
}

bool TestRepository::stop(const QString &name, qint64 nowMs, QString *error)
{
    QSqlQuery query(m_db.connection());
    query.prepare(u"UPDATE tests SET stopped_at = ? WHERE name = ? AND stopped_at IS NULL"_s);
    query.addBindValue(nowMs);
    query.addBindValue(name);
    if (!m_db.execChangingRow(query, tr("There is no running test named \"%1\"; see 'test list'.").arg(name), error))
        return false;
    return true;
}

} // namespace StreamSwarm::Console
