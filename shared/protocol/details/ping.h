// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QCborMap>

#include "shared/protocol/details/timing.h"

namespace StreamSwarm::Protocol {

class FieldReader;

// A ping round's detail: how its RTTs were timed (the figures themselves are its metrics).
struct PingDetail
{
    static constexpr char16_t KIND[] = u"ping"; // the wire's "kind"

    TimestampTally timestamps;
    ClockReading clock;

    // The wire form's fields after "kind", and back (README.md beside details.h).
    void writeTo(QCborMap &map) const;
    static PingDetail readFrom(const QCborMap &map, FieldReader &reader);
};

} // namespace StreamSwarm::Protocol
