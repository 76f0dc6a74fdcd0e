// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace StreamSwarm::Console {

// The head of one HTTP/1.x request (request line and header fields), read strictly enough for a
// server that answers one path: anything malformed is Invalid, a head longer than MAX_BYTES is
// TooLarge. The fields are not kept; the metrics server needs none. Pure; any thread.
struct HttpRequestHead
{
    enum class Status {
        Incomplete, // no blank line yet: read more
        Complete,
        Invalid,
        TooLarge,
    };

    static constexpr qsizetype MAX_BYTES = 8192; // request line and fields, with the blank line

    Status status = Status::Incomplete;
    QByteArray method; // "GET"
    QByteArray path; // "/metrics": the target without its query
    int minorVersion = 1; // HTTP/1.minorVersion; Invalid for any other major version

    static HttpRequestHead parse(QByteArrayView received);
};

} // namespace StreamSwarm::Console
