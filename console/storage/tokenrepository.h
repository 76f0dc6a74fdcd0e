// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <optional>

#include <QCoreApplication>
#include <QList>

#include "console/storage/records.h"
#include "shared/auth/secret.h"

namespace StreamSwarm::Console {

class Database;

// Enrollment tokens: stored as salted hashes only; the token text exists once, in create()'s result.
class TokenRepository
{
    Q_DECLARE_TR_FUNCTIONS(StreamSwarm::Console::TokenRepository)
public:
    explicit TokenRepository(Database &db)
        : m_db(db)
    { }

    // Returns the token text to show once, or nullopt with error (e.g. the name is taken).
    std::optional<QString> create(const QString &name, int uses, qint64 expiresAtMs, QString *error);
    // A single-use token that enrolls its agent as the enrolled agent replacesAgentId, on purpose
    // (moving that agent to a new host); the old host's credential stops working then.
    std::optional<QString> createReplacement(
        const QString &name, qint64 replacesAgentId, qint64 expiresAtMs, QString *error);
    std::optional<QList<TokenRecord>> list(QString *error);
    bool revoke(const QString &name, QString *error);

    // Checks a presented token and, when good, uses up one of its uses. Must run inside a write
    // transaction. refusal gets a reason fit for the agent (never the token itself).
    std::optional<qint64> consume(const Auth::ParsedSecret &token, qint64 nowMs, Protocol::EventText *refusal,
        QString *error, qint64 *replacesAgentId = nullptr, QString *tokenName = nullptr);

private:
    std::optional<QString> insert(
        const QString &name, int uses, qint64 expiresAtMs, qint64 replacesAgentId, QString *error);

    Database &m_db;
};

} // namespace StreamSwarm::Console
