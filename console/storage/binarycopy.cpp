// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "binarycopy.h"

#include <cstring>

namespace StreamSwarm::Console {

namespace {

// "PGCOPY\n\377\r\n\0", then 32-bit flags (none) and header extension length (none).
constexpr char SIGNATURE[] = "PGCOPY\n\377\r\n";
constexpr qsizetype SIGNATURE_BYTES = 11; // with its terminating zero byte
constexpr qsizetype BYTES_PER_NUMBER = 4 + 8; // length, value

} // namespace

BinaryCopy::BinaryCopy(int columns, qsizetype expectedRows)
    : m_columns(columns)
{
    m_data.reserve(SIGNATURE_BYTES + 8 + expectedRows * (2 + columns * BYTES_PER_NUMBER) + 2);
    m_data.append(SIGNATURE, SIGNATURE_BYTES);
    appendBigEndian(0, 4);
    appendBigEndian(0, 4);
}

void BinaryCopy::appendBigEndian(quint64 value, int bytes)
{
    char out[8] = {};
    for (int i = bytes - 1; i >= 0; --i) {
        out[i] = char(value & 0xff);
        value >>= 8;
    }
    m_data.append(out, bytes);
}

void BinaryCopy::startRow()
{
    appendBigEndian(quint64(m_columns), 2);
    ++m_rows;
}

void BinaryCopy::addInteger(qint64 value)
{
    appendBigEndian(8, 4);
    appendBigEndian(quint64(value), 8);
}

void BinaryCopy::addInt32(qint32 value)
{
    appendBigEndian(4, 4);
    appendBigEndian(quint32(value), 4);
}

void BinaryCopy::addReal(double value)
{
    quint64 bits = 0;
    std::memcpy(&bits, &value, sizeof bits);
    appendBigEndian(8, 4);
    appendBigEndian(bits, 8);
}

void BinaryCopy::addText(QByteArrayView utf8)
{
    appendBigEndian(quint64(utf8.size()), 4);
    m_data.append(utf8.data(), utf8.size());
}

QByteArray BinaryCopy::finish()
{
    appendBigEndian(0xffff, 2); // a field count of -1 ends the stream
    m_rows = 0;
    return std::exchange(m_data, {});
}

} // namespace StreamSwarm::Console
