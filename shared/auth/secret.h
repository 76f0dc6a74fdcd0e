// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <optional>

#include <QByteArray>
#include <QString>

namespace StreamSwarm::Auth {

enum class SecretKind {
    EnrollmentToken, // "sse_<lookup id>_<secret>": lets a new agent join once or a few times
    AgentCredential, // "ssa_<lookup id>_<secret>": one agent's key for every later connection
};

// A freshly issued secret: the text is shown once; only lookupId, salt and hash are stored.
struct IssuedSecret
{
    QString text;
    QString lookupId;
    QByteArray salt;
    QByteArray hash;
};

struct ParsedSecret
{
    SecretKind kind;
    QString lookupId;
    QByteArray secret;
};

// 256-bit secrets from the system CSPRNG, stored as salted HMAC-SHA256 and compared in constant
// time. A slow password hash is not needed: the secrets are random, not chosen by people.
class Secret
{
public:
    static IssuedSecret issue(SecretKind kind);
    static std::optional<ParsedSecret> parse(QStringView text);
    static QByteArray hash(const QByteArray &salt, const QByteArray &secret);
    static bool verify(const ParsedSecret &presented, const QByteArray &salt, const QByteArray &storedHash);
    static bool constantTimeEquals(const QByteArray &a, const QByteArray &b);
};

} // namespace StreamSwarm::Auth
