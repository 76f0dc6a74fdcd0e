// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "secret.h"

#include <QCryptographicHash>
#include <QMessageAuthenticationCode>
#include <QRandomGenerator>

using namespace Qt::StringLiterals;

namespace StreamSwarm::Auth {

namespace {

constexpr int SECRET_BYTES = 32;
constexpr int LOOKUP_BYTES = 8;
constexpr int SALT_BYTES = 16;
constexpr auto BASE64_OPTIONS = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;

QByteArray randomBytes(int count)
{
    QByteArray bytes(count, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(bytes.data()), count / 4);
    return bytes;
}

QString prefixFor(SecretKind kind)
{
    return kind == SecretKind::EnrollmentToken ? u"sse"_s : u"ssa"_s;
}

} // namespace

IssuedSecret Secret::issue(SecretKind kind)
{
    IssuedSecret issued;
    issued.lookupId = QString::fromLatin1(randomBytes(LOOKUP_BYTES).toHex());
    const QByteArray secret = randomBytes(SECRET_BYTES).toBase64(BASE64_OPTIONS);
    issued.text = prefixFor(kind) + u'_' + issued.lookupId + u'_' + QString::fromLatin1(secret);
    issued.salt = randomBytes(SALT_BYTES);
    issued.hash = hash(issued.salt, secret);
    return issued;
}

std::optional<ParsedSecret> Secret::parse(QStringView text)
{
    // prefix _ lookup id _ secret; the base64url secret may itself contain '_'.
    text = text.trimmed();
    const qsizetype first = text.indexOf(u'_');
    const qsizetype second = first < 0 ? -1 : text.indexOf(u'_', first + 1);
    if (second < 0)
        return std::nullopt;
    const QStringView prefix = text.left(first);
    const QStringView lookupId = text.mid(first + 1, second - first - 1);
    const QStringView secret = text.mid(second + 1);
    if (lookupId.size() != LOOKUP_BYTES * 2 || secret.size() < 40 || secret.size() > 64)
        return std::nullopt;
    ParsedSecret parsed;
    if (prefix == u"sse")
        parsed.kind = SecretKind::EnrollmentToken;
    else if (prefix == u"ssa")
        parsed.kind = SecretKind::AgentCredential;
    else
        return std::nullopt;
    const auto isHex = [](QChar c) {
        return (c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f');
    };
    const auto isBase64Url = [](QChar c) {
        return (c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || c == u'-'
            || c == u'_';
    };
    if (!std::all_of(lookupId.cbegin(), lookupId.cend(), isHex)
        || !std::all_of(secret.cbegin(), secret.cend(), isBase64Url)) {
        return std::nullopt;
    }
    parsed.lookupId = lookupId.toString();
    parsed.secret = secret.toLatin1();
    return parsed;
}

QByteArray Secret::hash(const QByteArray &salt, const QByteArray &secret)
{
    return QMessageAuthenticationCode::hash(secret, salt, QCryptographicHash::Sha256);
}

bool Secret::verify(const ParsedSecret &presented, const QByteArray &salt, const QByteArray &storedHash)
{
    return constantTimeEquals(hash(salt, presented.secret), storedHash);
}

bool Secret::constantTimeEquals(const QByteArray &a, const QByteArray &b)
{
    if (a.size() != b.size())
        return false;
    unsigned char diff = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    return diff == 0;
}

} // namespace StreamSwarm::Auth
