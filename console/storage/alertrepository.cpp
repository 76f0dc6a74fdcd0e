// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "alertrepository.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlQuery>
#include <QVariant>

#include "console/storage/database.h"
#include "shared/protocol/detailcodec.h"
#include "shared/protocol/details.h"
#include "shared/testtypes/testtype.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

namespace {

const QString RULE_COLUMNS
    = u"r.id, r.name, r.test_id, COALESCE(t.name, ''), r.metric, r.comparison, r.raise_level, r.clear_level, "
      "r.for_rounds, r.of_rounds, r.agents, r.min_agents, r.severity, r.notify, r.created_at, r.depends_on, "
      "r.measure, r.window_rounds, r.percentile, r.event"_s;

const QString INCIDENT_COLUMNS = u"i.id, i.rule_id, i.rule_name, i.test_name, i.metric, i.severity, i.started_at, "
                                 "i.cleared_at, i.acked_at, i.acked_by, i.ack_comment, i.silenced_by, i.agents, "
                                 "i.value, i.rule_text, i.diagnosis, i.notify_at, i.held_by, h.rule_name, "
                                 "i.shared_hop, i.verdict"_s;

QString comparisonKey(AlertRule::Comparison comparison)
{
    return comparison == AlertRule::Comparison::Above ? u"above"_s : u"below"_s;
}

// An empty text as '' rather than NULL (a null QString binds NULL).
QString notNull(const QString &text)
{
    return text.isEmpty() ? u""_s : text;
}

QVariant optionalReal(const std::optional<double> &value)
{
    return value ? QVariant(*value) : QVariant(QMetaType::fromType<double>());
}

QString joinTargets(const QList<NotifyTarget> &targets)
{
    QStringList lines;
    for (const NotifyTarget &target : targets)
        lines.append(target.toString());
    return lines.join(u'\n');
}

} // namespace

std::optional<qint64> AlertRepository::addRule(const AlertRule &rule, QString *error)
{
    QSqlQuery taken(m_db.connection());
    taken.prepare(u"SELECT 1 FROM alert_rules WHERE name = ?"_s);
    taken.addBindValue(rule.name);
    if (!m_db.exec(taken, error))
        return std::nullopt;
    if (taken.next()) {
        *error = tr("There is already an alert named \"%1\"; see 'alert list'.").arg(rule.name);
        return std::nullopt;
    }
    QSqlQuery query(m_db.connection());
    query.prepare(
        u"INSERT INTO alert_rules (name, test_id, metric, comparison, raise_level, clear_level, for_rounds, "
        "of_rounds, agents, min_agents, severity, notify, created_at, depends_on, measure, window_rounds, percentile, "
        "event) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"_s);
    query.addBindValue(rule.name);
    query.addBindValue(rule.testId);
    query.addBindValue(notNull(rule.metric));
    query.addBindValue(comparisonKey(rule.comparison));
    query.addBindValue(rule.raiseLevel);
    query.addBindValue(optionalReal(rule.clearLevel));
    query.addBindValue(rule.forRounds);
    query.addBindValue(rule.ofRounds);
    query.addBindValue(rule.agents.toString());
    query.addBindValue(rule.minAgents);
    query.addBindValue(severityKey(rule.severity));
    query.addBindValue(notNull(joinTargets(rule.notify)));
    query.addBindValue(rule.createdAtMs);
    query.addBindValue(notNull(rule.dependsOn));
    query.addBindValue(measureKey(int(rule.measure)));
    query.addBindValue(rule.window);
    query.addBindValue(rule.percentile);
    query.addBindValue(notNull(rule.event));
    if (!m_db.exec(query, error))
        return std::nullopt;
    return query.lastInsertId().toLongLong();
}

std::optional<QList<AlertRule>> AlertRepository::readRules(const QString &where, const QVariant &value, QString *error)
{
    QSqlQuery query(m_db.connection());
    query.setForwardOnly(true);
    query.prepare(u"SELECT %1 FROM alert_rules r LEFT JOIN tests t ON t.id = r.test_id %2 ORDER BY r.name"_s.arg(
        RULE_COLUMNS, where));
    if (value.isValid())
        query.addBindValue(value);
    if (!m_db.exec(query, error))
        return std::nullopt;
    QList<AlertRule> rules;
    while (query.next()) {
        AlertRule rule;
        rule.id = query.value(0).toLongLong();
        rule.name = query.value(1).toString();
        rule.testId = query.value(2).toLongLong();
        rule.testName = query.value(3).toString();
        rule.metric = query.value(4).toString();
        rule.comparison
            = query.value(5).toString() == u"below" ? AlertRule::Comparison::Below : AlertRule::Comparison::Above;
        rule.raiseLevel = query.value(6).toDouble();
        if (!query.value(7).isNull())
            rule.clearLevel = query.value(7).toDouble();
        rule.forRounds = query.value(8).toInt();
        rule.ofRounds = query.value(9).toInt();
        QString ignored;
        const auto agents = AgentSelection::parse(query.value(10).toString(), &ignored);
        const auto severity = severityFromKey(query.value(12).toString());
        if (!agents || !severity)
            continue; // written by a newer console: left alone
        rule.agents = *agents;
        rule.minAgents = query.value(11).toInt();
        rule.severity = *severity;
        for (const QString &line : query.value(13).toString().split(u'\n', Qt::SkipEmptyParts)) {
            if (const auto target = NotifyTarget::parse(line, &ignored))
                rule.notify.append(*target);
        }
        rule.createdAtMs = query.value(14).toLongLong();
        rule.dependsOn = query.value(15).toString();
        bool known = false;
        for (int measure = 0; measure <= int(AlertRule::Measure::Baseline); ++measure) {
            if (measureKey(measure) == query.value(16).toString()) {
                rule.measure = AlertRule::Measure(measure);
                known = true;
            }
        }
        if (!known)
            continue; // a measure from a newer console
        rule.window = query.value(17).toInt();
        rule.percentile = query.value(18).toDouble();
        rule.event = query.value(19).toString();
        rules.append(rule);
    }
    return rules;
}

std::optional<QList<AlertRule>> AlertRepository::rules(QString *error)
{
    return readRules(QString(), QVariant(), error);
}

std::optional<std::optional<AlertRule>> AlertRepository::findRule(const QString &name, QString *error)
{
    const auto found = readRules(u"WHERE r.name = ?"_s, name, error);
    if (!found)
        return std::nullopt;
    return found->isEmpty() ? std::optional<AlertRule>() : std::optional<AlertRule>(found->constFirst());
}

std::optional<std::optional<AlertRule>> AlertRepository::ruleById(qint64 id, QString *error)
{
    const auto found = readRules(u"WHERE r.id = ?"_s, id, error);
    if (!found)
        return std::nullopt;
    return found->isEmpty() ? std::optional<AlertRule>() : std::optional<AlertRule>(found->constFirst());
}

bool AlertRepository::removeRule(qint64 id, QString *error)
{
    for (const QString &sql :
        {u"DELETE FROM alert_troubles WHERE rule_id = ?"_s,
            u"DELETE FROM alert_outbox WHERE sent_at IS NULL AND failure IS NULL AND incident_id IN "
            "(SELECT id FROM alert_incidents WHERE rule_id = ?)"_s,
            u"UPDATE alert_incidents SET cleared_at = started_at, notify_at = NULL WHERE rule_id = ? AND cleared_at IS NULL"_s,
            u"DELETE FROM alert_rules WHERE id = ?"_s}) {
        QSqlQuery query(m_db.connection());
        query.prepare(sql);
        query.addBindValue(id);
        if (!m_db.exec(query, error))
            return false;
    }
    return true;
}

bool AlertRepository::removeRulesOfTest(qint64 testId, QString *error)
{
    QSqlQuery query(m_db.connection());
    query.prepare(u"SELECT id FROM alert_rules WHERE test_id = ?"_s);
    query.addBindValue(testId);
    if (!m_db.exec(query, error))
        return false;
    QList<qint64> ids;
    while (query.next())
        ids.append(query.value(0).toLongLong());
    query.finish();
    for (qint64 id : std::as_const(ids)) {
        if (!removeRule(id, error))
            return false;
    }
    return true;
}

std::optional<QSet<QPair<qint64, qint64>>> AlertRepository::troubles(QString *error)
{
    QSqlQuery query(m_db.connection());
    if (!query.exec(u"SELECT rule_id, agent_id FROM alert_troubles"_s)) {
        m_db.exec(query, error);
        return std::nullopt;
    }
    QSet<QPair<qint64, qint64>> pairs;
    while (query.next())
        pairs.insert({query.value(0).toLongLong(), query.value(1).toLongLong()});
    return pairs;
}

std::optional<QList<AgentTrouble>> AlertRepository::troubledAgents(qint64 ruleId, QString *error)
{
    QSqlQuery query(m_db.connection());
    query.setForwardOnly(true);
    query.prepare(u"SELECT a.id, a.name, x.since, x.value FROM alert_troubles x JOIN agents a ON a.id = x.agent_id "
                  "WHERE x.rule_id = ? ORDER BY a.name"_s);
    query.addBindValue(ruleId);
    if (!m_db.exec(query, error))
        return std::nullopt;
    QList<AgentTrouble> agents;
    while (query.next()) {
        agents.append({query.value(0).toLongLong(), query.value(1).toString(), {}, query.value(2).toLongLong(),
            query.value(3).toDouble()});
    }
    query.finish();
    QSqlQuery tags(m_db.connection());
    tags.prepare(u"SELECT tag FROM agent_tags WHERE agent_id = ? ORDER BY tag"_s);
    for (AgentTrouble &agent : agents) {
        tags.bindValue(0, agent.agentId);
        if (!m_db.exec(tags, error))
            return std::nullopt;
        while (tags.next())
            agent.agentTags.append(tags.value(0).toString());
    }
    return agents;
}

bool AlertRepository::setTrouble(
    qint64 ruleId, qint64 agentId, bool inTrouble, qint64 timeMs, double value, QString *error)
{
    QSqlQuery remove(m_db.connection());
    remove.prepare(u"DELETE FROM alert_troubles WHERE rule_id = ? AND agent_id = ?"_s);
    remove.addBindValue(ruleId);
    remove.addBindValue(agentId);
    if (!m_db.exec(remove, error))
        return false;
    if (!inTrouble)
        return true;
    QSqlQuery insert(m_db.connection());
    insert.prepare(u"INSERT INTO alert_troubles (rule_id, agent_id, since, value) VALUES (?, ?, ?, ?)"_s);
    insert.addBindValue(ruleId);
    insert.addBindValue(agentId);
    insert.addBindValue(timeMs);
    insert.addBindValue(value);
    return m_db.exec(insert, error);
}

std::optional<QList<AlertIncident>> AlertRepository::readIncidents(
    const QString &where, const QVariantList &values, int limit, QString *error)
{
    QSqlQuery query(m_db.connection());
    query.setForwardOnly(true);
    query.prepare(u"SELECT %1 FROM alert_incidents i LEFT JOIN alert_incidents h ON h.id = i.held_by %2 "
                  "ORDER BY i.started_at DESC, i.id DESC LIMIT %3"_s.arg(INCIDENT_COLUMNS, where)
                      .arg(limit));
    for (const QVariant &value : values)
        query.addBindValue(value);
    if (!m_db.exec(query, error))
        return std::nullopt;
    QList<AlertIncident> incidents;
    while (query.next()) {
        AlertIncident incident;
        incident.id = query.value(0).toLongLong();
        incident.ruleId = query.value(1).toLongLong();
        incident.ruleName = query.value(2).toString();
        incident.testName = query.value(3).toString();
        incident.metric = query.value(4).toString();
        incident.severity = severityFromKey(query.value(5).toString()).value_or(AlertSeverity::Warning);
        incident.startedAtMs = query.value(6).toLongLong();
        incident.clearedAtMs = query.value(7).toLongLong();
        incident.ackedAtMs = query.value(8).toLongLong();
        incident.ackedBy = query.value(9).toString();
        incident.ackComment = query.value(10).toString();
        incident.silencedBy = query.value(11).toString();
        incident.agents = query.value(12).toString().split(u',', Qt::SkipEmptyParts);
        incident.value = query.value(13).toDouble();
        incident.condition = query.value(14).toString();
        incident.diagnosis = query.value(15).toString();
        incident.notifyAtMs = query.value(16).toLongLong();
        incident.heldBy = query.value(17).toLongLong();
        incident.heldByName = query.value(18).toString();
        incident.sharedHop = query.value(19).toString();
        incident.verdict = query.value(20).toString();
        incidents.append(incident);
    }
    return incidents;
}

std::optional<std::optional<AlertIncident>> AlertRepository::openIncident(qint64 ruleId, QString *error)
{
    const auto found = readIncidents(u"WHERE i.rule_id = ? AND i.cleared_at IS NULL"_s, {ruleId}, 1, error);
    if (!found)
        return std::nullopt;
    return found->isEmpty() ? std::optional<AlertIncident>() : std::optional<AlertIncident>(found->constFirst());
}

std::optional<qint64> AlertRepository::addIncident(const AlertIncident &incident, QString *error)
{
    QSqlQuery query(m_db.connection());
    query.prepare(u"INSERT INTO alert_incidents (rule_id, rule_name, test_name, metric, severity, started_at, "
                  "silenced_by, agents, value, rule_text, diagnosis, notify_at, shared_hop, verdict) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', '')"_s);
    query.addBindValue(incident.ruleId);
    query.addBindValue(incident.ruleName);
    query.addBindValue(incident.testName);
    query.addBindValue(incident.metric);
    query.addBindValue(severityKey(incident.severity));
    query.addBindValue(incident.startedAtMs);
    query.addBindValue(
        incident.silencedBy.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : QVariant(incident.silencedBy));
    query.addBindValue(notNull(incident.agents.join(u',')));
    query.addBindValue(incident.value);
    query.addBindValue(notNull(incident.condition));
    query.addBindValue(notNull(incident.diagnosis));
    query.addBindValue(incident.notifyAtMs ? QVariant(incident.notifyAtMs) : QVariant(QMetaType::fromType<qint64>()));
    if (!m_db.exec(query, error))
        return std::nullopt;
    return query.lastInsertId().toLongLong();
}

bool AlertRepository::closeIncident(qint64 incidentId, qint64 clearedAtMs, QString *error)
{
    QSqlQuery query(m_db.connection());
    query.prepare(u"UPDATE alert_incidents SET cleared_at = ?, notify_at = NULL WHERE id = ? AND cleared_at IS NULL"_s);
    query.addBindValue(clearedAtMs);
    query.addBindValue(incidentId);
    return m_db.exec(query, error);
}

bool AlertRepository::acknowledge(
    qint64 incidentId, qint64 atMs, const QString &by, const QString &comment, QString *error)
{
    QSqlQuery query(m_db.connection());
    query.prepare(u"UPDATE alert_incidents SET acked_at = ?, acked_by = ?, ack_comment = ? WHERE id = ?"_s);
    query.addBindValue(atMs);
    query.addBindValue(notNull(by));
    query.addBindValue(notNull(comment));
    query.addBindValue(incidentId);
    return m_db.exec(query, error);
}

std::optional<QList<AlertIncident>> AlertRepository::openIncidents(QString *error)
{
    return readIncidents(u"WHERE i.cleared_at IS NULL"_s, {}, 10000, error);
}

std::optional<QList<AlertIncident>> AlertRepository::dueIncidents(qint64 nowMs, QString *error)
{
    return readIncidents(u"WHERE i.cleared_at IS NULL AND i.notify_at <= ?"_s, {nowMs}, 10000, error);
}

std::optional<qint64> AlertRepository::nextRelease(QString *error)
{
    QSqlQuery query(m_db.connection());
    if (!query.exec(u"SELECT MIN(notify_at) FROM alert_incidents WHERE cleared_at IS NULL"_s)) {
        m_db.exec(query, error);
        return std::nullopt;
    }
    return query.next() ? query.value(0).toLongLong() : 0;
}

bool AlertRepository::released(
    qint64 incidentId, qint64 heldBy, const QStringList &agents, const QString &sharedHop, QString *error)
{
    QSqlQuery query(m_db.connection());
    query.prepare(u"UPDATE alert_incidents SET notify_at = NULL, held_by = ?, agents = ?, shared_hop = ? "
                  "WHERE id = ?"_s);
    query.addBindValue(heldBy ? QVariant(heldBy) : QVariant(QMetaType::fromType<qint64>()));
    query.addBindValue(notNull(agents.join(u',')));
    query.addBindValue(notNull(sharedHop));
    query.addBindValue(incidentId);
    return m_db.exec(query, error);
}

std::optional<QHash<QString, QStringList>> AlertRepository::latestPaths(
    const QStringList &agentNames, qint64 sinceMs, QString *error)
{
    // The newest traced path of each agent, from any traceroute test (regular or a diagnosis): the
    // series index answers each (test, agent) pair's newest rows.
    QSqlQuery tests(m_db.connection());
    tests.setForwardOnly(true);
    QList<qint64> testIds;
    // Tests whose rounds carry a traced path, by their types' descriptors.
    QStringList tracing;
    for (const TestTypes::TestType &type : TestTypes::all()) {
        if (type.detailKind == Protocol::DetailKind::Traceroute)
            tracing.append(type.name);
    }
    if (!tests.exec(u"SELECT id, type FROM tests"_s)) {
        m_db.exec(tests, error);
        return std::nullopt;
    }
    while (tests.next()) {
        if (tracing.contains(tests.value(1).toString()))
            testIds.append(tests.value(0).toLongLong());
    }
    tests.finish();
    QSqlQuery agents(m_db.connection());
    agents.setForwardOnly(true);
    if (!agents.exec(u"SELECT id, name FROM agents"_s)) {
        m_db.exec(agents, error);
        return std::nullopt;
    }
    QList<std::tuple<qint64, qint64, QString>> wanted;
    while (agents.next()) {
        const QString name = agents.value(1).toString();
        if (!agentNames.contains(name))
            continue;
        for (qint64 testId : std::as_const(testIds))
            wanted.append({testId, agents.value(0).toLongLong(), name});
    }
    agents.finish();
    QHash<QString, std::pair<qint64, QStringList>> newest; // agent -> (time, hops)
    QSqlQuery query(m_db.connection());
    query.setForwardOnly(true);
    query.prepare(u"SELECT t, body FROM details WHERE test_id = ? AND agent_id = ? AND kind = ? AND t >= ? "
                  "ORDER BY t DESC LIMIT 5"_s);
    for (const auto &[testId, agentId, name] : std::as_const(wanted)) {
        query.bindValue(0, testId);
        query.bindValue(1, agentId);
        query.bindValue(2, Protocol::detailKindName(Protocol::DetailKind::Traceroute));
        query.bindValue(3, sinceMs);
        if (!m_db.exec(query, error))
            return std::nullopt;
        while (query.next()) {
            const qint64 t = query.value(0).toLongLong();
            if (newest.contains(name) && newest.value(name).first >= t)
                break;
            const Protocol::RoundDetail detail
                = Protocol::detailFromJson(QJsonDocument::fromJson(query.value(1).toByteArray()).object());
            const auto *path = detail.get<Protocol::TracerouteDetail>();
            if (!path)
                continue;
            QStringList hops;
            for (const Protocol::TracerouteHop &hop : path->hops) {
                if (!hop.address.isEmpty())
                    hops.append(hop.address);
            }
            if (hops.isEmpty())
                continue;
            // The target itself is no shared hop: every path to it ends there.
            if (hops.constLast() == path->address)
                hops.removeLast();
            newest.insert(name, {t, hops});
            break;
        }
        query.finish();
    }
    QHash<QString, QStringList> paths;
    for (auto it = newest.cbegin(); it != newest.cend(); ++it)
        paths.insert(it.key(), it.value().second);
    return paths;
}

std::optional<QList<AlertIncident>> AlertRepository::awaitingVerdict(QString *error)
{
    return readIncidents(u"WHERE i.diagnosis <> '' AND i.verdict = ''"_s, {}, 100, error);
}

bool AlertRepository::setVerdict(qint64 incidentId, const QString &verdict, QString *error)
{
    QSqlQuery query(m_db.connection());
    query.prepare(u"UPDATE alert_incidents SET verdict = ? WHERE id = ?"_s);
    query.addBindValue(notNull(verdict));
    query.addBindValue(incidentId);
    return m_db.exec(query, error);
}

bool AlertRepository::setDiagnosis(qint64 incidentId, const QString &diagnosis, QString *error)
{
    QSqlQuery query(m_db.connection());
    query.prepare(u"UPDATE alert_incidents SET diagnosis = ? WHERE id = ?"_s);
    query.addBindValue(notNull(diagnosis));
    query.addBindValue(incidentId);
    return m_db.exec(query, error);
}

bool AlertRepository::setSilencedBy(qint64 incidentId, const QString &window, QString *error)
{
    QSqlQuery query(m_db.connection());
    query.prepare(u"UPDATE alert_incidents SET silenced_by = ? WHERE id = ?"_s);
    query.addBindValue(window.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : QVariant(window));
    query.addBindValue(incidentId);
    return m_db.exec(query, error);
}

std::optional<QList<AlertIncident>> AlertRepository::incidents(qint64 fromMs, qint64 toMs, int limit, QString *error)
{
    return readIncidents(u"WHERE i.started_at >= ? AND i.started_at <= ?"_s, {fromMs, toMs}, limit, error);
}

std::optional<QList<AlertIncident>> AlertRepository::silencedOpenIncidents(QString *error)
{
    return readIncidents(u"WHERE i.cleared_at IS NULL AND i.silenced_by IS NOT NULL"_s, {}, 10000, error);
}

std::optional<qint64> AlertRepository::enqueue(
    qint64 incidentId, const QString &target, const QString &message, qint64 nowMs, QString *error)
{
    QSqlQuery query(m_db.connection());
    query.prepare(u"INSERT INTO alert_outbox (incident_id, target, message, created_at, attempts) "
                  "VALUES (?, ?, ?, ?, 0)"_s);
    query.addBindValue(incidentId);
    query.addBindValue(target);
    query.addBindValue(message);
    query.addBindValue(nowMs);
    if (!m_db.exec(query, error))
        return std::nullopt;
    return query.lastInsertId().toLongLong();
}

bool AlertRepository::markSent(qint64 outboxId, qint64 atMs, QString *error)
{
    QSqlQuery query(m_db.connection());
    query.prepare(u"UPDATE alert_outbox SET sent_at = ?, attempts = attempts + 1 WHERE id = ?"_s);
    query.addBindValue(atMs);
    query.addBindValue(outboxId);
    return m_db.exec(query, error);
}

bool AlertRepository::markFailed(qint64 outboxId, const QString &why, QString *error)
{
    QSqlQuery query(m_db.connection());
    query.prepare(u"UPDATE alert_outbox SET failure = ?, attempts = attempts + 1 WHERE id = ?"_s);
    query.addBindValue(why.isEmpty() ? u"-"_s : why);
    query.addBindValue(outboxId);
    return m_db.exec(query, error);
}

bool AlertRepository::countAttempt(qint64 outboxId, QString *error)
{
    QSqlQuery query(m_db.connection());
    query.prepare(u"UPDATE alert_outbox SET attempts = attempts + 1 WHERE id = ?"_s);
    query.addBindValue(outboxId);
    return m_db.exec(query, error);
}

std::optional<QList<OutboxItem>> AlertRepository::unsent(int limit, QString *error)
{
    QSqlQuery query(m_db.connection());
    query.setForwardOnly(true);
    query.prepare(u"SELECT id, incident_id, target, message, attempts FROM alert_outbox WHERE sent_at IS NULL AND "
                  "failure IS NULL ORDER BY id LIMIT %1"_s.arg(limit));
    if (!m_db.exec(query, error))
        return std::nullopt;
    QList<OutboxItem> items;
    while (query.next()) {
        items.append({query.value(0).toLongLong(), query.value(1).toLongLong(), query.value(2).toString(),
            query.value(3).toString(), query.value(4).toInt()});
    }
    return items;
}

bool AlertRepository::addWindow(const MaintenanceWindow &window, QString *error)
{
    QSqlQuery taken(m_db.connection());
    taken.prepare(u"SELECT 1 FROM maintenance_windows WHERE name = ?"_s);
    taken.addBindValue(window.name);
    if (!m_db.exec(taken, error))
        return false;
    if (taken.next()) {
        *error = tr("There is already a maintenance window named \"%1\"; see 'maintenance list'.").arg(window.name);
        return false;
    }
    QSqlQuery query(m_db.connection());
    query.prepare(u"INSERT INTO maintenance_windows (name, from_ms, to_ms, every_ms, agents, tests, created_at) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?)"_s);
    query.addBindValue(window.name);
    query.addBindValue(window.fromMs);
    query.addBindValue(window.toMs);
    query.addBindValue(window.everyMs);
    query.addBindValue(window.agents.toString());
    query.addBindValue(notNull(window.tests.join(u',')));
    query.addBindValue(window.createdAtMs);
    return m_db.exec(query, error);
}

std::optional<QList<MaintenanceWindow>> AlertRepository::windows(QString *error)
{
    QSqlQuery query(m_db.connection());
    query.setForwardOnly(true);
    if (!query.exec(u"SELECT id, name, from_ms, to_ms, every_ms, agents, tests, created_at FROM maintenance_windows "
                    "ORDER BY from_ms, name"_s)) {
        m_db.exec(query, error);
        return std::nullopt;
    }
    QList<MaintenanceWindow> windows;
    while (query.next()) {
        MaintenanceWindow window;
        window.id = query.value(0).toLongLong();
        window.name = query.value(1).toString();
        window.fromMs = query.value(2).toLongLong();
        window.toMs = query.value(3).toLongLong();
        window.everyMs = query.value(4).toLongLong();
        QString ignored;
        const auto agents = AgentSelection::parse(query.value(5).toString(), &ignored);
        if (!agents)
            continue;
        window.agents = *agents;
        window.tests = query.value(6).toString().split(u',', Qt::SkipEmptyParts);
        window.createdAtMs = query.value(7).toLongLong();
        windows.append(window);
    }
    return windows;
}

bool AlertRepository::removeWindow(const QString &name, QString *error)
{
    QSqlQuery query(m_db.connection());
    query.prepare(u"DELETE FROM maintenance_windows WHERE name = ?"_s);
    query.addBindValue(name);
    return m_db.execChangingRow(
        query, tr("There is no maintenance window named \"%1\"; see 'maintenance list'.").arg(name), error);
}

std::optional<MapLayout> AlertRepository::mapLayout(QString *error)
{
    MapLayout layout;
    QSqlQuery query(m_db.connection());
    query.setForwardOnly(true);
    if (!query.exec(u"SELECT kind, name, x, y FROM map_nodes ORDER BY kind, name"_s)) {
        m_db.exec(query, error);
        return std::nullopt;
    }
    while (query.next()) {
        MapNode node;
        if (!MapNode::kindFromKey(query.value(0).toString(), &node.kind))
            continue; // a kind from a newer console
        node.name = query.value(1).toString();
        node.x = query.value(2).toDouble();
        node.y = query.value(3).toDouble();
        layout.nodes.append(node);
    }
    query.finish();
    if (!query.exec(u"SELECT picture FROM map_background WHERE id = 1"_s)) {
        m_db.exec(query, error);
        return std::nullopt;
    }
    if (query.next())
        layout.background = query.value(0).toByteArray();
    return layout;
}

bool AlertRepository::saveMapLayout(const MapLayout &layout, bool setBackground, QString *error)
{
    if (!m_db.exec(u"DELETE FROM map_nodes"_s, error))
        return false;
    QSqlQuery insert(m_db.connection());
    insert.prepare(u"INSERT INTO map_nodes (kind, name, x, y) VALUES (?, ?, ?, ?)"_s);
    for (const MapNode &node : layout.nodes) {
        insert.bindValue(0, MapNode::kindKey(node.kind));
        insert.bindValue(1, node.name);
        insert.bindValue(2, node.x);
        insert.bindValue(3, node.y);
        if (!m_db.exec(insert, error))
            return false;
    }
    if (!setBackground)
        return true;
    if (!m_db.exec(u"DELETE FROM map_background"_s, error))
        return false;
    if (layout.background.isEmpty())
        return true;
    QSqlQuery picture(m_db.connection());
    picture.prepare(u"INSERT INTO map_background (id, picture) VALUES (1, ?)"_s);
    picture.addBindValue(layout.background);
    return m_db.exec(picture, error);
}

} // namespace StreamSwarm::Console
