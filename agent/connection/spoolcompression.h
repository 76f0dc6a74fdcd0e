// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <optional>

#include <QByteArray>

// How a spooled batch is compressed. A batch is small (a quarter second of rounds) and most of its
// bytes are the same metric names and keys in every record, which a compressor working on one record
// at a time cannot learn. A preset dictionary of those strings lets zlib refer to them from the first
// byte on: a realistic ping round takes about a third less room than with plain zlib.
namespace StreamSwarm::Agent::SpoolCompression {

enum class Format {
    Zlib, // 'SSB1' records: qCompress (4-byte big-endian length, then a zlib stream)
    ZlibWithDictionary, // 'SSB2' records: 4-byte little-endian length, then a zlib stream using dictionary()
};

// The preset dictionary of 'SSB2' records. Frozen: records on disk depend on every byte of it, so
// new metric names are never added here (they still compress, only less well).
const QByteArray &dictionary();

QByteArray compress(const QByteArray &data, Format format = Format::ZlibWithDictionary);
// nullopt when the data is not a whole, valid stream of that format or larger than maxBytes.
std::optional<QByteArray> decompress(const QByteArray &data, Format format, qsizetype maxBytes);

} // namespace StreamSwarm::Agent::SpoolCompression
