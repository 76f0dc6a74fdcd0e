// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "agentrepository.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QHash>
#include <QSqlQuery>
#include <QVariant>

#include "console/storage/database.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

namespace {

const QString SELECT_AGENTS
    = u"SELECT id, name, host, os, version, capabilities, enrolled_at, last_seen, online, "
      "revoked_at, last_seq, rekey_requested_at, clock_offset_ms, clock_error_ms, address FROM agents"_s;

AgentRecord readAgent(const QSqlQuery &query)
{
    AgentRecord agent;
    agent.id = query.value(0).toLongLong();
    agent.name = query.value(1).toString();
    agent.host = query.value(2).toString();
    agent.os = query.value(3).toString();
    agent.version = query.value(4).toString();
    agent.capabilities = query.value(5).toString().split(u',', Qt::SkipEmptyParts);
    agent.enrolledAtMs = query.value(6).toLongLong();
    agent.lastSeenMs = query.value(7).toLongLong();
    agent.online = query.value(8).toInt() != 0;
    agent.revoked = !query.value(9).isNull();
    agent.lastSeq = query.value(10).toLongLong();
    agent.rekeyRequested = !query.value(11).isNull();
    if (!query.value(12).isNull())
        agent.clockOffsetMs = query.value(12).toLongLong();
    agent.clockErrorMs = query.value(13).toLongLong();
    agent.address = query.value(14).toString();
    return agent;
}

} // namespace

std::optional<QList<AgentRecord>> AgentRepository::select(const QString &where, const QVariant &bind, QString *error)
{
    QSqlQuery query(m_db.connection());
    query.prepare(SELECT_AGENTS + where);
    if (bind.isValid())
        query.addBindValue(bind);
    if (!m_db.exec(query, error))
        return std::nullopt;
    QList<AgentRecord> agents;
    QHash<qint64, qsizetype> indexById;
    while (query.next()) {
        agents.append(readAgent(query));
        indexById.insert(agents.last().id, agents.size() - 1);
    }
    query.finish();
    if (agents.isEmpty())
        return agents;
    QSqlQuery tags(m_db.connection());
    tags.prepare(u"SELECT agent_id, tag FROM agent_tags ORDER BY tag"_s);
    if (!m_db.exec(tags, error))
        return std::nullopt;
    while (tags.next()) {
        if (const qsizetype index = indexById.value(tags.value(0).toLongLong(), -1); index >= 0)
            agents[index].tags.append(tags.value(1).toString());
    }
    return agents;
}

bool AgentRepository::rename(const QString &name, const QString &newName, QString *error)
{
    QString lookupError;
    const auto agent = findByName(name, &lookupError);
    if (!agent) {
        if (error)
            *error = lookupError.isEmpty() ? tr("There is no agent named \"%1\"; see 'agent list'.").arg(name)
                                           : lookupError;
        return false;
    }
    if (const auto taken = findByName(newName, &lookupError); taken || !lookupError.isEmpty()) {
        if (error)
            *error = lookupError.isEmpty() ? tr("An agent named \"%1\" exists already; pick another name.").arg(newName)
                                           : lookupError;
        return false;
    }
    QSqlQuery query(m_db.connection());
    query.prepare(u"UPDATE agents SET name = ? WHERE id = ?"_s);
    query.addBindValue(newName);
    query.addBindValue(agent->id);
    if (!m_db.exec(query, error))
        return false;
    // Tests that measure to the agent name it in their target.
    QSqlQuery targets(m_db.connection());
    targets.prepare(u"UPDATE tests SET target = ? WHERE target = ?"_s);
    targets.addBindValue(QString(u"agent:"_s + newName));
    targets.addBindValue(QString(u"agent:"_s + name));
    return m_db.exec(targets, error);
}

bool AgentRepository::changeTags(const QString &name, const QStringList &add, const QStringList &remove, QString *error)
{
    const auto agent = findActive(name, error);
    if (!agent)
        return false;
    for (const QString &tag : remove) {
        QSqlQuery query(m_db.connection());
        query.prepare(u"DELETE FROM agent_tags WHERE agent_id = ? AND tag = ?"_s);
        query.addBindValue(agent->id);
        query.addBindValue(tag);
        if (!m_db.exec(query, error))
            return false;
    }
    for (const QString &tag : add) {
        if (agent->tags.contains(tag))
            continue;
        QSqlQuery query(m_db.connection());
        query.prepare(u"INSERT INTO agent_tags (agent_id, tag) VALUES (?, ?)"_s);
        query.addBindValue(agent->id);
        query.addBindValue(tag);
        if (!m_db.exec(query, error))
            return false;
    }
    return true;
}

std::optional<QList<AgentRecord>> AgentRepository::list(QString *error)
{
    return select(u" ORDER BY name"_s, QVariant(), error);
}

std::optional<AgentRecord> AgentRepository::findByName(const QString &name, QString *error)
{
    const auto agents = select(u" WHERE name = ?"_s, name, error);
    if (!agents || agents->isEmpty())
        return std::nullopt;
    return agents->first();
}

std::optional<AgentRecord> AgentRepository::findActive(const QString &name, QString *error)
{
    auto agent = findByName(name, error);
    if (agent && !agent->revoked)
        return agent;
    if (error && error->isEmpty())
        *error = tr("There is no active agent named \"%1\"; see 'agent list'.").arg(name);
    return std::nullopt;
}

std::optional<AgentRecord> AgentRepository::findById(qint64 id, QString *error)
{
    const auto agents = select(u" WHERE id = ?"_s, id, error);
    if (!agents || agents->isEmpty())
        return std::nullopt;
    return agents->first();
}

std::optional<QString> AgentRepository::enroll(const Protocol::AgentInfo &info, qint64 tokenId, qint64 nowMs,
    qint64 *agentId, QString *error, Protocol::EventText *refusal, qint64 replacesAgentId)
{
    const auto refuse = [&](const Protocol::EventText &why) -> std::optional<QString> {
        if (refusal)
            *refusal = why;
        else if (error)
            *error = why.text();
        return std::nullopt;
    };
    QString lookupError;
    std::optional<AgentRecord> existing;
    if (replacesAgentId) {
        existing = findById(replacesAgentId, &lookupError);
        if (!existing && lookupError.isEmpty())
            return refuse(Protocol::EventText(u"replaced-agent-gone"_s));
    } else {
        existing = findByName(info.name, &lookupError);
        // Anyone holding any token could otherwise take over an agent's identity, tests and history,
        // and two cloned hosts with the same host name would knock each other off.
        if (existing && !existing->revoked) {
            const QJsonValue host = existing->host.isEmpty()
                ? QJsonValue(Protocol::EventText(u"unknown-host"_s).toJson())
                : QJsonValue(existing->host);
            return refuse(Protocol::EventText(u"name-taken"_s, {info.name, host}));
        }
    }
    if (!lookupError.isEmpty()) {
        if (error)
            *error = lookupError;
        return std::nullopt;
    }
    const Auth::IssuedSecret credential = Auth::Secret::issue(Auth::SecretKind::AgentCredential);
    QSqlQuery query(m_db.connection());
    if (existing) {
        // A new identity: every earlier credential, current or pending, stops working.
        query.prepare(u"UPDATE agents SET credential_id = ?, credential_salt = ?, credential_hash = ?, token_id = ?, "
                      "revoked_at = NULL, enrolled_at = ?, next_credential_id = NULL, next_credential_salt = NULL, "
                      "next_credential_hash = NULL, rekey_requested_at = NULL WHERE id = ?"_s);
    } else {
        query.prepare(u"INSERT INTO agents (credential_id, credential_salt, credential_hash, token_id, enrolled_at, "
                      "name) VALUES (?, ?, ?, ?, ?, ?)"_s);
    }
    query.addBindValue(credential.lookupId);
    query.addBindValue(credential.salt);
    query.addBindValue(credential.hash);
    query.addBindValue(tokenId);
    query.addBindValue(nowMs);
    query.addBindValue(existing ? QVariant(existing->id) : QVariant(info.name));
    if (!m_db.exec(query, error))
        return std::nullopt;
    const auto agent = existing ? findById(existing->id, error) : findByName(info.name, error);
    if (!agent)
        return std::nullopt;
    *agentId = agent->id;
    if (!updateOnConnect(agent->id, info, nowMs, error))
        return std::nullopt;
    return credential.text;
}

std::optional<AgentRecord> AgentRepository::authenticate(
    const Auth::ParsedSecret &credential, Protocol::EventText *refusal, QString *error)
{
    QSqlQuery query(m_db.connection());
    query.prepare(u"SELECT id, credential_salt, credential_hash, revoked_at, 0 FROM agents WHERE credential_id = ? "
                  "UNION ALL SELECT id, next_credential_salt, next_credential_hash, revoked_at, 1 FROM agents "
                  "WHERE next_credential_id = ?"_s);
    query.addBindValue(credential.lookupId);
    query.addBindValue(credential.lookupId);
    if (!m_db.exec(query, error))
        return std::nullopt;
    if (!query.next()
        || !Auth::Secret::verify(credential, query.value(1).toByteArray(), query.value(2).toByteArray())) {
        if (refusal)
            *refusal = Protocol::EventText(u"credential-not-valid"_s);
        return std::nullopt;
    }
    // The agent kept its new credential but its confirmation was lost: the new one is current now.
    if (query.value(4).toInt() == 1 && !completeRekey(query.value(0).toLongLong(), error))
        return std::nullopt;
    if (!query.value(3).isNull()) {
        if (refusal)
            *refusal = Protocol::EventText(u"agent-was-revoked"_s);
        return std::nullopt;
    }
    return findById(query.value(0).toLongLong(), error);
}

bool AgentRepository::requestRekey(const QString &name, qint64 *agentId, QString *error)
{
    const auto agent = findActive(name, error);
    if (!agent)
        return false;
    QSqlQuery query(m_db.connection());
    query.prepare(u"UPDATE agents SET rekey_requested_at = ? WHERE id = ?"_s);
    query.addBindValue(QDateTime::currentMSecsSinceEpoch());
    query.addBindValue(agent->id);
    if (agentId)
        *agentId = agent->id;
    return m_db.exec(query, error);
}

std::optional<QString> AgentRepository::prepareRekey(qint64 agentId, QString *error)
{
    const Auth::IssuedSecret next = Auth::Secret::issue(Auth::SecretKind::AgentCredential);
    QSqlQuery query(m_db.connection());
    query.prepare(u"UPDATE agents SET next_credential_id = ?, next_credential_salt = ?, next_credential_hash = ? "
                  "WHERE id = ? AND revoked_at IS NULL"_s);
    query.addBindValue(next.lookupId);
    query.addBindValue(next.salt);
    query.addBindValue(next.hash);
    query.addBindValue(agentId);
    if (!m_db.execChangingRow(query, tr("The agent was revoked; it gets no new credential."), error))
        return std::nullopt;
    return next.text;
}

bool AgentRepository::completeRekey(qint64 agentId, QString *error)
{
    QSqlQuery query(m_db.connection());
    query.prepare(u"UPDATE agents SET credential_id = next_credential_id, credential_salt = next_credential_salt, "
                  "credential_hash = next_credential_hash, next_credential_id = NULL, next_credential_salt = NULL, "
                  "next_credential_hash = NULL, rekey_requested_at = NULL "
                  "WHERE id = ? AND next_credential_id IS NOT NULL"_s);
    query.addBindValue(agentId);
    return m_db.exec(query, error);
}

bool AgentRepository::recordClock(qint64 agentId, qint64 offsetMs, qint64 errorMs, qint64 nowMs, QString *error)
{
    QSqlQuery query(m_db.connection());
    query.prepare(u"UPDATE agents SET clock_offset_ms = ?, clock_error_ms = ?, clock_checked_at = ? WHERE id = ?"_s);
    query.addBindValue(offsetMs);
    query.addBindValue(errorMs);
    query.addBindValue(nowMs);
    query.addBindValue(agentId);
    return m_db.exec(query, error);
}

bool AgentRepository::updateOnConnect(qint64 agentId, const Protocol::AgentInfo &info, qint64 nowMs, QString *error)
{
    QSqlQuery query(m_db.connection());
    query.prepare(u"UPDATE agents SET host = ?, os = ?, version = ?, capabilities = ?, last_seen = ?, online = 1 "
                  "WHERE id = ?"_s);
    // An empty text from the wire may be a null QString, which would bind as NULL.
    const auto text = [](const QString &value) {
        return value.isNull() ? u""_s : value;
    };
    query.addBindValue(text(info.host));
    query.addBindValue(text(info.os));
    query.addBindValue(text(info.version));
    query.addBindValue(info.capabilities.isEmpty() ? u""_s : info.capabilities.join(u','));
    query.addBindValue(nowMs);
    query.addBindValue(agentId);
    return m_db.exec(query, error);
}

bool AgentRepository::recordAddress(qint64 agentId, const QString &address, QString *error)
{
    QSqlQuery query(m_db.connection());
    query.prepare(u"UPDATE agents SET address = ? WHERE id = ?"_s);
    query.addBindValue(address.isNull() ? u""_s : address);
    query.addBindValue(agentId);
    return m_db.exec(query, error);
}

bool AgentRepository::setOnline(qint64 agentId, bool online, qint64 nowMs, QString *error)
{
    QSqlQuery query(m_db.connection());
    query.prepare(u"UPDATE agents SET online = ?, last_seen = ? WHERE id = ?"_s);
    query.addBindValue(online ? 1 : 0);
    query.addBindValue(nowMs);
    query.addBindValue(agentId);
    return m_db.exec(query, error);
}

bool AgentRepository::markUnservedOffline(qint64 nowMs, QString *error)
{
    // One SQLite file has one console, and none of its agents is connected while it starts or stops.
    // A shared PostgreSQL has other collectors whose agents stay online: only agents unseen for a
    // while (their collector crashed) are marked offline.
    if (m_db.isSqlite())
        return m_db.exec(u"UPDATE agents SET online = 0 WHERE online <> 0"_s, error);
    constexpr qint64 UNSEEN_MS = 120'000;
    QSqlQuery query(m_db.connection());
    query.prepare(u"UPDATE agents SET online = 0 WHERE online <> 0 AND (last_seen IS NULL OR last_seen < ?)"_s);
    query.addBindValue(nowMs - UNSEEN_MS);
    return m_db.exec(query, error);
}

bool AgentRepository::revoke(const QString &name, qint64 *agentId, QString *error)
{
    const auto agent = findActive(name, error);
    if (!agent)
        return false;
    QSqlQuery query(m_db.connection());
    query.prepare(u"UPDATE agents SET revoked_at = ? WHERE id = ?"_s);
    query.addBindValue(QDateTime::currentMSecsSinceEpoch());
    query.addBindValue(agent->id);
    if (agentId)
        *agentId = agent->id;
    return m_db.exec(query, error);
}

} // namespace StreamSwarm::Console
