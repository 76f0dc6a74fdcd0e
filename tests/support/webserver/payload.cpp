// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "payload.h"

#include <QStringBuilder>

#include <zlib.h>

namespace StreamSwarm::Test {

QByteArray knownPayload(qint64 size)
{
    QByteArray body;
    body.reserve(size);
    for (qint64 line = 0; body.size() < size; ++line) {
        body += QByteArray("StreamSwarm test payload, line ") + QByteArray::number(line) + ": "
            + QByteArray::number(line * 7919 % 100003) + " the quick brown fox jumps over the lazy dog\n";
    }
    body.truncate(size);
    return body;
}

QByteArray encodeContent(const QByteArray &data, ContentCoding coding)
{
    if (coding == ContentCoding::Identity)
        return data;
    z_stream stream = {};
    const int windowBits = coding == ContentCoding::Gzip ? 15 + 16 : 15;
    if (deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return QByteArray();
    QByteArray out(qsizetype(deflateBound(&stream, uLong(data.size()))), Qt::Uninitialized);
    stream.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.constData()));
    stream.avail_in = uInt(data.size());
    stream.next_out = reinterpret_cast<Bytef *>(out.data());
    stream.avail_out = uInt(out.size());
    const int result = deflate(&stream, Z_FINISH);
    out.truncate(qsizetype(stream.total_out));
    deflateEnd(&stream);
    return result == Z_STREAM_END ? out : QByteArray();
}

} // namespace StreamSwarm::Test
