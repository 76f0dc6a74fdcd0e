// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "timestamping.h"

#include <cstring>
#include <ctime>

#include <linux/errqueue.h>
#include <linux/net_tstamp.h>

using namespace Qt::StringLiterals;

namespace StreamSwarm::Agent {

namespace {

qint64 toNs(const timespec &ts)
{
    return qint64(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

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

bool enableTimestamping(int fd, bool transmit)
{
    // Software stamps always; hardware ones are delivered only where the NIC already stamps (RAW
    // hardware is the NIC's own clock, the same one on both ends of an RTT).
    int flags = SOF_TIMESTAMPING_RX_SOFTWARE | SOF_TIMESTAMPING_SOFTWARE | SOF_TIMESTAMPING_RX_HARDWARE
        | SOF_TIMESTAMPING_RAW_HARDWARE;
    if (transmit)
        flags |= SOF_TIMESTAMPING_TX_SOFTWARE | SOF_TIMESTAMPING_TX_HARDWARE | SOF_TIMESTAMPING_OPT_ID
            | SOF_TIMESTAMPING_OPT_TSONLY;
    if (setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPING, &flags, sizeof(flags)) == 0)
        return true;
    const int on = 1;
    setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof(on));
    return false;
}

bool readPacketStamp(const cmsghdr *message, PacketStamp *stamp)
{
    if (message->cmsg_level != SOL_SOCKET)
        return false;
    if (message->cmsg_type == SCM_TIMESTAMPING && message->cmsg_len >= CMSG_LEN(sizeof(scm_timestamping))) {
        scm_timestamping stamps{};
        std::memcpy(&stamps, CMSG_DATA(message), sizeof(stamps));
        // ts[0]: software, ts[1]: unused (legacy), ts[2]: raw hardware.
        const qint64 software = toNs(stamps.ts[0]);
        const qint64 hardware = toNs(stamps.ts[2]);
        if (software == 0 && hardware == 0)
            return false;
        stamp->softwareNs = software;
        stamp->hardwareNs = hardware;
        stamp->ns = hardware != 0 ? hardware : software;
        stamp->source = hardware != 0 ? TimestampSource::Hardware : TimestampSource::Kernel;
        return true;
    }
    if (message->cmsg_type == SCM_TIMESTAMPNS && message->cmsg_len >= CMSG_LEN(sizeof(timespec))) {
        timespec ts{};
        std::memcpy(&ts, CMSG_DATA(message), sizeof(ts));
        if (const qint64 ns = toNs(ts); ns != 0) {
            *stamp = PacketStamp{ns, TimestampSource::Kernel, ns, 0};
            return true;
        }
    }
    return false;
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
