// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QByteArray>

// The suite's web server's known body and the encodings it serves it in, so that a test can compute
// the sizes a client should see without asking the server. Any thread.
namespace StreamSwarm::Test {

// size bytes of plain text that compresses well but not absurdly (numbered lines).
QByteArray knownPayload(qint64 size);

enum class ContentCoding { Identity, Gzip, Deflate };

// zlib at its default level: gzip (RFC 1952) or HTTP's "deflate" (the zlib format, RFC 1950).
QByteArray encodeContent(const QByteArray &data, ContentCoding coding);

} // namespace StreamSwarm::Test
