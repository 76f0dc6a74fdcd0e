// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QCborArray>
#include <QCborMap>
#include <QString>

#include "shared/protocol/codec.h"

// Private to the codec (codec.cpp, detailcodec.cpp and the detail records in details/): reads fields from CBOR maps and
// remembers the first problem, so decoders read straight through. Any thread.
namespace StreamSwarm::Protocol {

// A reason may quote what the peer sent; it goes into logs and close frames, so no control,
// format or line-breaking characters and a bounded length (before authentication, too).
QString printable(const QString &text);

class FieldReader
{
public:
    explicit FieldReader(DecodeError *error)
        : m_error(error)
    { }

    bool ok() const { return m_ok; }
    bool fail(const QString &reason);
    // Said before every reason from now on: "traceroute detail, hop 3: ".
    void setContext(const QString &context) { m_context = context; }

    QString text(const QCborMap &map, const QString &key, int maxLength, bool required = true);
    qint64 integer(const QCborMap &map, const QString &key, qint64 min, qint64 max, bool required = true);
    QCborMap map(const QCborMap &parent, const QString &key, bool required = true);
    QCborArray array(const QCborMap &parent, const QString &key, qsizetype maxSize, bool required = true);

    // Detail fields are lenient about number encodings: a count may come as an integral double and a
    // figure as an integer (both happen once a detail has been through JSON in the database).
    qint64 count(const QCborMap &map, const QString &key, qint64 min, qint64 max, bool required = true);
    double number(const QCborMap &map, const QString &key, double min, double max, bool required = true);
    bool boolean(const QCborMap &map, const QString &key, bool required = true);
    // Absent, undefined or null: nullopt.
    std::optional<double> optionalNumber(const QCborMap &map, const QString &key, double min, double max);
    std::optional<bool> optionalBoolean(const QCborMap &map, const QString &key);

private:
    DecodeError *m_error;
    QString m_context;
    bool m_ok = true;
};

} // namespace StreamSwarm::Protocol
