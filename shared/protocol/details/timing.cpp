// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "timing.h"

#include <algorithm>

#include "shared/protocol/detailcodec.h"
#include "shared/protocol/fieldreader.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Protocol {

namespace {

constexpr std::array<TimestampSource, 3> SOURCES{
    TimestampSource::Hardware, TimestampSource::Kernel, TimestampSource::User};
constexpr int MAX_SOURCE_LENGTH = 16;

} // namespace

QString timestampSourceName(TimestampSource source)
{
    switch (source) {
    case TimestampSource::Hardware:
        return u"hardware"_s;
    case TimestampSource::Kernel:
        return u"kernel"_s;
    case TimestampSource::User:
        break;
    }
    return u"user"_s;
}

TimestampSource weakerSource(TimestampSource a, TimestampSource b)
{
    return int(a) > int(b) ? a : b;
}

int TimestampTally::total() const
{
    return m_counts[0] + m_counts[1] + m_counts[2];
}

TimestampSource TimestampTally::weakest() const
{
    if (count(TimestampSource::User))
        return TimestampSource::User;
    if (count(TimestampSource::Kernel) || !count(TimestampSource::Hardware))
        return TimestampSource::Kernel;
    return TimestampSource::Hardware;
}

QCborMap encodeTally(const TimestampTally &tally)
{
    // Zero counts are left out: a ping round's detail rides in every batch and the spool is finite.
    QCborMap map{{u"source"_s, timestampSourceName(tally.weakest())}};
    for (const TimestampSource source : SOURCES) {
        if (tally.count(source))
            map.insert(timestampSourceName(source), tally.count(source));
    }
    return map;
}

QCborMap encodeClock(const ClockReading &clock)
{
    return QCborMap{{u"synchronised"_s, clock.synchronised}, {u"offsetUs"_s, clock.offsetUs},
        {u"errorUs"_s, clock.errorUs}, {u"maxErrorUs"_s, clock.maxErrorUs}};
}

TimestampTally readTally(const QCborMap &parent, FieldReader &reader)
{
    TimestampTally tally;
    const QCborMap map = reader.map(parent, u"timestamps"_s);
    const QString weakest = reader.text(map, u"source"_s, MAX_SOURCE_LENGTH);
    if (reader.ok() && std::none_of(SOURCES.cbegin(), SOURCES.cend(), [&](TimestampSource source) {
            return timestampSourceName(source) == weakest;
        })) {
        reader.fail(u"field 'source' must be hardware, kernel or user"_s);
    }
    for (const TimestampSource source : SOURCES)
        tally.add(source, int(reader.count(map, timestampSourceName(source), 0, MAX_DETAIL_COUNT, false)));
    return tally;
}

ClockReading readClock(const QCborMap &parent, FieldReader &reader)
{
    const QCborMap map = reader.map(parent, u"clock"_s);
    ClockReading clock;
    clock.synchronised = reader.boolean(map, u"synchronised"_s);
    clock.offsetUs = reader.number(map, u"offsetUs"_s, -MAX_CLOCK_US, MAX_CLOCK_US);
    clock.errorUs = reader.number(map, u"errorUs"_s, -MAX_CLOCK_US, MAX_CLOCK_US);
    clock.maxErrorUs = reader.number(map, u"maxErrorUs"_s, -MAX_CLOCK_US, MAX_CLOCK_US);
    return clock;
}

std::optional<TimestampTally> readOptionalTally(const QCborMap &parent, FieldReader &reader)
{
    return parent.contains(u"timestamps"_s) ? std::optional(readTally(parent, reader)) : std::nullopt;
}

std::optional<ClockReading> readOptionalClock(const QCborMap &parent, FieldReader &reader)
{
    return parent.contains(u"clock"_s) ? std::optional(readClock(parent, reader)) : std::nullopt;
}

} // namespace StreamSwarm::Protocol
