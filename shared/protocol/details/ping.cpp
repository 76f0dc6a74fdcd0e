// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "ping.h"

#include "shared/protocol/fieldreader.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Protocol {

void PingDetail::writeTo(QCborMap &map) const
{
    map.insert(u"timestamps"_s, encodeTally(timestamps));
    map.insert(u"clock"_s, encodeClock(clock));
}

PingDetail PingDetail::readFrom(const QCborMap &map, FieldReader &reader)
{
    return PingDetail{readTally(map, reader), readClock(map, reader)};
}

} // namespace StreamSwarm::Protocol
