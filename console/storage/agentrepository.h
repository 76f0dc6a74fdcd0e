// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <optional>

#include <QCoreApplication>
#include <QList>

#include "console/storage/records.h"
#include "shared/auth/secret.h"
#include "shared/protocol/messages.h"

namespace StreamSwarm::Console {

class Database;

// Agents: registration, credentials (hashes only), presence and the last committed batch seq.
class AgentRepository
{
    Q_DECLARE_TR_FUNCTIONS(StreamSwarm::Console::AgentRepository)
public:
    explicit AgentRepository(Database &db)
        : m_db(db)
    { }

    std::optional<QList<AgentRecord>> list(QString *error);
    std::optional<AgentRecord> findByName(const QString &name, QString *error);
    std::optional<AgentRecord> findById(qint64 id, QString *error);
    // A named agent that is not revoked; otherwise nullopt and a sentence in error.
    std::optional<AgentRecord> findActive(const QString &name, QString *error);

    // Registers a new agent under info.name, or gives a revoked agent of that name a new identity
    // (a fresh credential; a pending one from before is dropped). The name of an agent that is not
    // revoked is refused (refusal says why, for the agent and the event log; error when refusal is null) unless
    // replacesAgentId is that agent: a token made to move it to a new host, whose name it then takes.
    // Returns the credential text to send once. Must run inside a write transaction.
    std::optional<QString> enroll(const Protocol::AgentInfo &info, qint64 tokenId, qint64 nowMs, qint64 *agentId,
        QString *error, Protocol::EventText *refusal = nullptr, qint64 replacesAgentId = 0);

    // The agent a credential belongs to; refusal says why not, in words fit for the agent.
    std::optional<AgentRecord> authenticate(
        const Auth::ParsedSecret &credential, Protocol::EventText *refusal, QString *error);

    bool updateOnConnect(qint64 agentId, const Protocol::AgentInfo &info, qint64 nowMs, QString *error);
    bool setOnline(qint64 agentId, bool online, qint64 nowMs, QString *error);
    bool recordAddress(qint64 agentId, const QString &address, QString *error);
    bool recordClock(qint64 agentId, qint64 offsetMs, qint64 errorMs, qint64 nowMs, QString *error);
    // At a console's start and stop: agents no console serves now are offline.
    bool markUnservedOffline(qint64 nowMs, QString *error);

    // Credential rotation: the CLI asks (requestRekey); the console issues the next credential to the
    // online agent (prepareRekey, returns the text to send) and retires the old one once the agent
    // confirms (completeRekey). Until then both credentials work.
    bool requestRekey(const QString &name, qint64 *agentId, QString *error);
    std::optional<QString> prepareRekey(qint64 agentId, QString *error);
    bool completeRekey(qint64 agentId, QString *error);
    bool revoke(const QString &name, qint64 *agentId, QString *error);
    // The console's name for an agent, which it learns when it next connects; tests that measure to
    // it by name (agent:NAME) follow. Runs inside the caller's write transaction.
    bool rename(const QString &name, const QString &newName, QString *error);
    // Adds and removes tags of an agent that is not revoked (a tag it has or lacks already is no error).
    bool changeTags(const QString &name, const QStringList &add, const QStringList &remove, QString *error);

private:
    std::optional<QList<AgentRecord>> select(const QString &where, const QVariant &bind, QString *error);

    Database &m_db;
};

} // namespace StreamSwarm::Console
