// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "timestamping.h"

namespace StreamSwarm::Agent {

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

Protocol::ClockReading clockReading(const ClockState &clock)
{
    return Protocol::ClockReading{clock.synchronised, double(clock.offsetNs) / 1000.0, double(clock.errorNs) / 1000.0,
        double(clock.maxErrorNs) / 1000.0};
}

} // namespace StreamSwarm::Agent
