// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "testrepository.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlQuery>
#include <QTimeZone>
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

template <typename T>
std::optional<T> fail(QString *error, const QString &why)
{
    if (error)
        *error = why;
    return std::nullopt;
}

bool refuse(QString *error, const QString &why)
{
    if (error)
        *error = why;
    return false;
}

} // namespace

std::optional<qint64> TestRepository::add(const TestRecord &test, QString *error)
{
    QString lookupError;
    if (holderOf(test.name, &lookupError))
        return fail<qint64>(error, tr("A test named \"%1\" exists already; pick another name.").arg(test.name));
    if (!lookupError.isEmpty())
        return fail<qint64>(error, lookupError);
    const auto agentIds = activeAgentIds(test.agentNames, error);
    if (!agentIds || !checkTargetAgent(test, error))
        return std::nullopt;

    QSqlQuery insert(m_db.connection());
    insert.prepare(u"INSERT INTO tests (name, type, target, interval_ms, duration_ms, params, all_agents, created_at, "
                   "starts_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"_s);
    insert.addBindValue(test.name);
    insert.addBindValue(test.type);
    insert.addBindValue(test.target);
    insert.addBindValue(test.intervalMs);
    insert.addBindValue(test.durationMs);
    insert.addBindValue(paramsToJson(test.params));
    insert.addBindValue(test.allAgents ? 1 : 0);
    insert.addBindValue(test.createdAtMs);
    insert.addBindValue(nullIfZero(test.startsAtMs));
    if (!m_db.exec(insert, error))
        return std::nullopt;
    const auto testId = idOf(test.name, error);
    if (!testId || !replaceAssignments(*testId, *agentIds, test.agentTags, error))
        return std::nullopt;
    return testId;
}

bool TestRepository::update(qint64 testId, const TestRecord &test, QString *error)
{
    // Also a name kept by a test deleted with its data: names are unique among all of them.
    if (const auto holder = holderOf(test.name, nullptr); holder && *holder != testId)
        return refuse(error, tr("A test named \"%1\" exists already; pick another name.").arg(test.name));
    const auto agentIds = activeAgentIds(test.agentNames, error);
    if (!agentIds || !checkTargetAgent(test, error))
        return false;
    QSqlQuery update(m_db.connection());
    update.prepare(u"UPDATE tests SET name = ?, target = ?, interval_ms = ?, duration_ms = ?, params = ?, "
                   "all_agents = ?, starts_at = ? WHERE id = ? AND deleted_at IS NULL"_s);
    update.addBindValue(test.name);
    update.addBindValue(test.target);
    update.addBindValue(test.intervalMs);
    update.addBindValue(test.durationMs);
    update.addBindValue(paramsToJson(test.params));
    update.addBindValue(test.allAgents ? 1 : 0);
    update.addBindValue(nullIfZero(test.startsAtMs));
    update.addBindValue(testId);
    return m_db.execChangingRow(update, tr("The test was deleted meanwhile."), error)
        && replaceAssignments(testId, *agentIds, test.agentTags, error);
}

std::optional<QList<TestRecord>> TestRepository::list(QString *error, bool withDeleted)
{
    QSqlQuery query(m_db.connection());
    query.prepare(u"SELECT id, name, type, target, interval_ms, duration_ms, params, all_agents, created_at, "
                  "stopped_at, starts_at, paused_at, deleted_at FROM tests"_s
        + (withDeleted ? QString() : u" WHERE deleted_at IS NULL"_s) + u" ORDER BY id"_s);
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
        test.startsAtMs = query.value(10).toLongLong();
        test.pausedAtMs = query.value(11).toLongLong();
        test.deletedAtMs = query.value(12).toLongLong();
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
    QSqlQuery tags(m_db.connection());
    tags.prepare(u"SELECT test_id, tag FROM test_tags ORDER BY tag"_s);
    if (!m_db.exec(tags, error))
        return std::nullopt;
    while (tags.next()) {
        if (const auto index = indexById.value(tags.value(0).toLongLong(), -1); index >= 0)
            tests[index].agentTags.append(tags.value(1).toString());
    }
    return tests;
}

bool TestRepository::stop(const QString &name, qint64 nowMs, QString *error)
{
    QSqlQuery query(m_db.connection());
    query.prepare(u"UPDATE tests SET stopped_at = ? WHERE name = ? AND stopped_at IS NULL AND deleted_at IS NULL"_s);
    query.addBindValue(nowMs);
    query.addBindValue(name);
    return m_db.execChangingRow(query, tr("There is no running test named \"%1\"; see 'test list'.").arg(name), error);
}

bool TestRepository::setPaused(const QString &name, bool paused, qint64 nowMs, QString *error)
{
    QSqlQuery query(m_db.connection());
    if (paused) {
        query.prepare(u"UPDATE tests SET paused_at = ? WHERE name = ? AND paused_at IS NULL AND stopped_at IS NULL "
                      "AND deleted_at IS NULL"_s);
        query.addBindValue(nowMs);
    } else {
        query.prepare(u"UPDATE tests SET paused_at = NULL WHERE name = ? AND paused_at IS NOT NULL "
                      "AND stopped_at IS NULL AND deleted_at IS NULL"_s);
    }
    query.addBindValue(name);
    const QString none = paused
        ? tr("There is no test named \"%1\" that runs or waits to start; see 'test list'.").arg(name)
        : tr("There is no paused test named \"%1\"; see 'test list'.").arg(name);
    return m_db.execChangingRow(query, none, error);
}

std::optional<QString> TestRepository::remove(const QString &name, bool keepData, qint64 nowMs, QString *error)
{
    const auto testId = idOf(name, error);
    if (!testId) {
        if (error && error->isEmpty())
            *error = tr("There is no test named \"%1\"; see 'test list'.").arg(name);
        return std::nullopt;
    }
    if (!keepData) {
        static const QStringList deletions{u"DELETE FROM samples WHERE test_id = ?"_s,
            u"DELETE FROM rollups_minute WHERE test_id = ?"_s, u"DELETE FROM rollups_hour_days WHERE test_id = ?"_s,
            u"DELETE FROM details WHERE test_id = ?"_s, u"DELETE FROM test_assignments WHERE test_id = ?"_s,
            u"DELETE FROM test_tags WHERE test_id = ?"_s, u"DELETE FROM tests WHERE id = ?"_s};
        for (const QString &deletion : deletions) {
            QSqlQuery query(m_db.connection());
            query.prepare(deletion);
            query.addBindValue(*testId);
            if (!m_db.exec(query, error))
                return std::nullopt;
        }
        return QString();
    }
    // The kept samples stay under a name of their own (still a valid test name), so the old one can
    // be used again: "wan.deleted-20261207-0455".
    const auto keptNameWith = [&](const QString &suffix) -> QString {
        return name.left(Validation::MAX_NAME_LENGTH - suffix.size()) + suffix;
    };
    const QString stamp = QDateTime::fromMSecsSinceEpoch(nowMs, QTimeZone::utc()).toString(u"yyyyMMdd-HHmm"_s);
    QString keptName = keptNameWith(u".deleted-"_s + stamp);
    if (holderOf(keptName, nullptr))
        keptName = keptNameWith(u".deleted-"_s + stamp + u'-' + QString::number(*testId));
    QSqlQuery query(m_db.connection());
    query.prepare(u"UPDATE tests SET name = ?, deleted_at = ?, stopped_at = COALESCE(stopped_at, ?) WHERE id = ?"_s);
    query.addBindValue(keptName);
    query.addBindValue(nowMs);
    query.addBindValue(nowMs);
    query.addBindValue(*testId);
    if (!m_db.exec(query, error))
        return std::nullopt;
    return keptName;
}

std::optional<qint64> TestRepository::holderOf(const QString &name, QString *error)
{
    QSqlQuery query(m_db.connection());
    query.prepare(u"SELECT id FROM tests WHERE name = ?"_s);
    query.addBindValue(name);
    if (!m_db.exec(query, error) || !query.next())
        return std::nullopt;
    return query.value(0).toLongLong();
}

std::optional<qint64> TestRepository::idOf(const QString &name, QString *error)
{
    QSqlQuery query(m_db.connection());
    query.prepare(u"SELECT id FROM tests WHERE name = ? AND deleted_at IS NULL"_s);
    query.addBindValue(name);
    if (!m_db.exec(query, error) || !query.next())
        return std::nullopt;
    return query.value(0).toLongLong();
}

std::optional<QList<qint64>> TestRepository::activeAgentIds(const QStringList &names, QString *error)
{
    QList<qint64> agentIds;
    for (const QString &agentName : names) {
        QSqlQuery agent(m_db.connection());
        agent.prepare(u"SELECT id, revoked_at FROM agents WHERE name = ?"_s);
        agent.addBindValue(agentName);
        if (!m_db.exec(agent, error))
            return std::nullopt;
        if (!agent.next())
            return fail<QList<qint64>>(error, tr("There is no agent named \"%1\"; see 'agent list'.").arg(agentName));
        if (!agent.value(1).isNull())
            return fail<QList<qint64>>(error, tr("The agent \"%1\" was revoked and cannot run tests.").arg(agentName));
        agentIds.append(agent.value(0).toLongLong());
    }
    return agentIds;
}

bool TestRepository::checkTargetAgent(const TestRecord &test, QString *error)
{
    // A qos, voice or bandwidth test may measure to another agent by name ("agent:NAME"): that agent must exist.
    // Whether it is online only matters when the console plans assignments (the test waits for it meanwhile).
    const QString targetAgent = Validation::agentTargetName(test.target);
    if (targetAgent.isEmpty())
        return true;
    QSqlQuery agent(m_db.connection());
    agent.prepare(u"SELECT revoked_at FROM agents WHERE name = ?"_s);
    agent.addBindValue(targetAgent);
    if (!m_db.exec(agent, error))
        return false;
    if (!agent.next()) {
        const TestTypes::TestType *type = TestTypes::find(test.type);
        return refuse(error,
            type && type->agentTargetEachRound
                ? tr("There is no agent named \"%1\" to measure to; see 'agent list' for the names.").arg(targetAgent)
                : tr("There is no agent named \"%1\" to measure to; see 'agent list' for the names. The "
                     "target agent also needs to run with --stamp-port.")
                      .arg(targetAgent));
    }
    if (!agent.value(0).isNull())
        return refuse(error, tr("The agent \"%1\" was revoked and cannot be measured to.").arg(targetAgent));
    return true;
}

bool TestRepository::replaceAssignments(
    qint64 testId, const QList<qint64> &agentIds, const QStringList &tags, QString *error)
{
    for (const QString &table : {u"test_assignments"_s, u"test_tags"_s}) {
        QSqlQuery clear(m_db.connection());
        clear.prepare(u"DELETE FROM "_s + table + u" WHERE test_id = ?"_s);
        clear.addBindValue(testId);
        if (!m_db.exec(clear, error))
            return false;
    }
    for (qint64 agentId : agentIds) {
        QSqlQuery assign(m_db.connection());
        assign.prepare(u"INSERT INTO test_assignments (test_id, agent_id) VALUES (?, ?)"_s);
        assign.addBindValue(testId);
        assign.addBindValue(agentId);
        if (!m_db.exec(assign, error))
            return false;
    }
    for (const QString &tag : tags) {
        QSqlQuery assign(m_db.connection());
        assign.prepare(u"INSERT INTO test_tags (test_id, tag) VALUES (?, ?)"_s);
        assign.addBindValue(testId);
        assign.addBindValue(tag);
        if (!m_db.exec(assign, error))
            return false;
    }
    return true;
}

} // namespace StreamSwarm::Console
