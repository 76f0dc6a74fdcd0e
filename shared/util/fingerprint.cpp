// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "fingerprint.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm {

QString formatFingerprint(const QByteArray &sha256)
{
    return u"sha256:"_s + QString::fromLatin1(sha256.toHex(':'));
}

std::optional<QByteArray> parseFingerprint(QStringView text)
{
    text = text.trimmed();
    if (text.startsWith(u"sha256:", Qt::CaseInsensitive))
        text = text.mid(7);
    QByteArray hex;
    for (QChar c : text) {
        if (c == u':' || c == u' ')
            continue;
        const bool isHex = (c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f') || (c >= u'A' && c <= u'F');
        if (!isHex || hex.size() >= 64)
            return std::nullopt;
        hex.append(char(c.toLower().unicode()));
    }
    if (hex.size() != 64)
        return std::nullopt;
    return QByteArray::fromHex(hex);
}

} // namespace StreamSwarm
