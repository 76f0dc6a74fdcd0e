// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "timestamping.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Agent {

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

void PacketStamp::merge(const PacketStamp &other)
{
    if (other.softwareNs != 0)
        softwareNs = other.softwareNs;
    if (other.hardwareNs != 0)
        hardwareNs = other.hardwareNs;
    ns = hardwareNs != 0 ? hardwareNs : softwareNs;
    source = hardwareNs != 0 ? TimestampSource::Hardware
        : softwareNs != 0    ? TimestampSource::Kernel
                             : TimestampSource::User;
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

QCborMap TimestampTally::toCbor() const
{
    // Zero counts are left out: a ping round's detail rides in every batch and the spool is finite.
    QCborMap map{{u"source"_s, timestampSourceName(weakest())}};
    for (const TimestampSource source : {TimestampSource::Hardware, TimestampSource::Kernel, TimestampSource::User}) {
        if (count(source))
            map.insert(timestampSourceName(source), count(source));
    }
    return map;
}

QCborMap clockStateToCbor(const ClockState &clock)
{
    return QCborMap{{u"synchronised"_s, clock.synchronised}, {u"offsetUs"_s, double(clock.offsetNs) / 1000.0},
        {u"errorUs"_s, double(clock.errorNs) / 1000.0}, {u"maxErrorUs"_s, double(clock.maxErrorNs) / 1000.0}};
}

} // namespace StreamSwarm::Agent
