// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QCborMap>
#include <QList>
#include <QString>

namespace StreamSwarm::Protocol {

class FieldReader;

// What a part of a host reading lacked, and why: "disk activity" / "cannot read /proc/diskstats".
struct UnavailableSource
{
    QString what;
    QString why;
};

inline constexpr int MAX_UNAVAILABLE_SOURCES = 32;
inline constexpr int MAX_UNAVAILABLE_TEXT = 200;

// A system round's detail: what the host is, and which parts of the reading were not available
// (their metrics are absent from the round; the round itself did not fail).
struct SystemDetail
{
    static constexpr char16_t KIND[] = u"system"; // the wire's "kind"

    QString kernel; // "Linux 6.1.0-18-amd64"; empty when unknown
    QList<UnavailableSource> unavailable; // at most MAX_UNAVAILABLE_SOURCES

    // The wire form's fields after "kind", and back (README.md beside details.h).
    void writeTo(QCborMap &map) const;
    static SystemDetail readFrom(const QCborMap &map, FieldReader &reader);
};

} // namespace StreamSwarm::Protocol
