// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace StreamSwarm::Console {

// Rows in PostgreSQL's binary COPY format, for COPY ... FROM STDIN (FORMAT binary): the signature
// and header, each row's field count and fields (a length, then the value in network byte order:
// bigint as 8 bytes, integer as 4, double precision as an IEEE double, text as UTF-8), and the trailer. The
// server reads it without parsing numbers from text.
class BinaryCopy
{
public:
    explicit BinaryCopy(int columns, qsizetype expectedRows = 0);

    void startRow();
    void addInteger(qint64 value); // bigint
    void addInt32(qint32 value); // integer
    void addReal(double value);
    void addText(QByteArrayView utf8);
    qsizetype rows() const { return m_rows; }
    // The whole stream, trailer included; the builder is empty after.
    QByteArray finish();

private:
    void appendBigEndian(quint64 value, int bytes);

    QByteArray m_data;
    int m_columns = 0;
    qsizetype m_rows = 0;
};

} // namespace StreamSwarm::Console
