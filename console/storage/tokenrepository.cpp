// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "tokenrepository.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QSqlQuery>
#include <QVariant>

#include "console/storage/database.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

std::optional<QString> TokenRepository::create(const QString &name, int uses, qint64 expiresAtMs, QString *error)
{
    return insert(name, uses, expiresAtMs, 0, error);
}

std::optional<QString> TokenRepository::createReplacement(
    const QString &name, qint64 replacesAgentId, qint64 expiresAtMs, QString *error)
{
    return insert(name, 1, expiresAtMs, replacesAgentId, error);
}

std::optional<QString> TokenRepository::insert(
    const QString &name, int uses, qint64 expiresAtMs, qint64 replacesAgentId, QString *error)
{
    QSqlQuery exists(m_db.connection());
    exists.prepare(u"SELECT 1 FROM tokens WHERE name = ?"_s);
    exists.addBindValue(name);
    if (!m_db.exec(exists, error))
        return std::nullopt;
    if (exists.next()) {
        if (error)
            *error = tr(
                "A token named \"%1\" exists already (names stay taken after a token is revoked); pick another name.")
                         .arg(name);
        return std::nullopt;
    }
    const Auth::IssuedSecret issued = Auth::Secret::issue(Auth::SecretKind::EnrollmentToken);
    QSqlQuery insert(m_db.connection());
    insert.prepare(u"INSERT INTO tokens (name, lookup_id, salt, hash, uses_left, expires_at, created_at, "
                   "replaces_agent_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"_s);
    insert.addBindValue(name);
    insert.addBindValue(issued.lookupId);
    insert.addBindValue(issued.salt);
    insert.addBindValue(issued.hash);
    insert.addBindValue(uses);
    insert.addBindValue(nullIfZero(expiresAtMs));
    insert.addBindValue(QDateTime::currentMSecsSinceEpoch());
    insert.addBindValue(nullIfZero(replacesAgentId));
    if (!m_db.exec(insert, error))
        return std::nullopt;
    return issued.text;
}

std::optional<QList<TokenRecord>> TokenRepository::list(QString *error)
{
    QSqlQuery query(m_db.connection());
    query.prepare(u"SELECT id, name, uses_left, expires_at, created_at, revoked_at FROM tokens ORDER BY name"_s);
    if (!m_db.exec(query, error))
        return std::nullopt;
    QList<TokenRecord> tokens;
    while (query.next()) {
        TokenRecord token;
        token.id = query.value(0).toLongLong();
        token.name = query.value(1).toString();
        token.usesLeft = query.value(2).toInt();
        token.expiresAtMs = query.value(3).toLongLong();
        token.createdAtMs = query.value(4).toLongLong();
        token.revoked = !query.value(5).isNull();
        tokens.append(token);
    }
    return tokens;
}

bool TokenRepository::revoke(const QString &name, QString *error)
{
    QSqlQuery query(m_db.connection());
    query.prepare(u"UPDATE tokens SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL"_s);
    query.addBindValue(QDateTime::currentMSecsSinceEpoch());
    query.addBindValue(name);
    if (!m_db.execChangingRow(query, tr("There is no active token named \"%1\"; see 'token list'.").arg(name), error))
        return false;
    return true;
}

std::optional<qint64> TokenRepository::consume(const Auth::ParsedSecret &token, qint64 nowMs,
    Protocol::EventText *refusal, QString *error, qint64 *replacesAgentId, QString *tokenName)
{
    QSqlQuery query(m_db.connection());
    query.prepare(u"SELECT id, salt, hash, uses_left, expires_at, revoked_at, replaces_agent_id, name FROM tokens "
                  "WHERE lookup_id = ?"_s);
    query.addBindValue(token.lookupId);
    if (!m_db.exec(query, error))
        return std::nullopt;
    const auto refuse = [&](const QString &code) -> std::optional<qint64> {
        if (refusal)
            *refusal = Protocol::EventText(code);
        return std::nullopt;
    };
    // Verify the secret before saying anything specific, so a guessed lookup id learns nothing.
    if (!query.next() || !Auth::Secret::verify(token, query.value(1).toByteArray(), query.value(2).toByteArray()))
        return refuse(u"token-not-valid"_s);
    const qint64 id = query.value(0).toLongLong();
    if (!query.value(5).isNull())
        return refuse(u"token-was-revoked"_s);
    if (!query.value(4).isNull() && query.value(4).toLongLong() <= nowMs)
        return refuse(u"token-expired"_s);
    if (query.value(3).toInt() <= 0)
        return refuse(u"token-used-up"_s);
    if (replacesAgentId)
        *replacesAgentId = query.value(6).toLongLong();
    if (tokenName)
        *tokenName = query.value(7).toString();
    query.finish();
    QSqlQuery use(m_db.connection());
    use.prepare(u"UPDATE tokens SET uses_left = uses_left - 1 WHERE id = ?"_s);
    use.addBindValue(id);
    if (!m_db.exec(use, error))
        return std::nullopt;
    return id;
}

} // namespace StreamSwarm::Console
