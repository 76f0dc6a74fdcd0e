// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "nl80211capture.h"

#include <cctype>
#include <cstring>

#include <QList>
#include <QString>

namespace StreamSwarm::Agent::Nl80211 {

QByteArray toHexCapture(QByteArrayView replies, const QString &comment)
{
    QByteArray text;
    const QStringList lines = comment.split(u'\n');
    for (const QString &line : lines)
        text += "# " + line.toUtf8() + '\n';
    // One message a line, as nlmsg_len (the first four bytes, host order) says; the rest on one line.
    qsizetype at = 0;
    while (at < replies.size()) {
        quint32 length = 0;
        if (replies.size() - at >= qsizetype(sizeof length))
            std::memcpy(&length, replies.data() + at, sizeof length);
        const qsizetype aligned = (qsizetype(length) + 3) & ~qsizetype(3);
        const qsizetype take = length >= 16 && aligned <= replies.size() - at ? aligned : replies.size() - at;
        text += replies.sliced(at, take).toByteArray().toHex() + '\n';
        at += take;
    }
    return text;
}

QByteArray fromHexCapture(QByteArrayView text)
{
    QByteArray hex;
    const QList<QByteArray> lines = text.toByteArray().split('\n');
    for (QByteArrayView line : lines) {
        line = line.trimmed();
        if (line.startsWith('#'))
            continue;
        for (const char c : line) {
            if (std::isxdigit(static_cast<unsigned char>(c)))
                hex += c;
        }
    }
    return QByteArray::fromHex(hex);
}

} // namespace StreamSwarm::Agent::Nl80211
