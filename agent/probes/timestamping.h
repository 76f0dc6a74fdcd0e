// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <array>

#include <sys/socket.h>

#include <QCborMap>
#include <QString>

#include "agent/platform/linux/clockstate.h"

// Where a probe's timestamps come from, and how far they can be trusted. No peer records this per
// sample; we do, so that a reader can tell a NIC-stamped microsecond from a user-space guess.
namespace StreamSwarm::Agent {

// Best first: a NIC's own clock, then the kernel's stamp as the packet passes the stack, then our
// own clock read around the system call (which adds scheduling and syscall latency).
enum class TimestampSource { Hardware, Kernel, User };

// "hardware", "kernel" or "user".
QString timestampSourceName(TimestampSource source);

// The weaker of two sources: an RTT is only as good as the worse of its two ends.
TimestampSource weakerSource(TimestampSource a, TimestampSource b);

// The stamps taken from a packet's control messages.
struct PacketStamp
{
    qint64 ns = 0; // the best stamp the packet carried; 0 when it carried none
    TimestampSource source = TimestampSource::User;
    qint64 softwareNs = 0; // the kernel's stamp (CLOCK_REALTIME); 0 when none
    qint64 hardwareNs = 0; // the NIC's stamp (its own clock, not CLOCK_REALTIME); 0 when none
};

// Socket options for the best stamps a socket can give: software receive and (with transmit = true)
// transmit stamps numbered per send (OPT_ID, TSONLY), plus hardware stamps wherever the NIC already
// produces them. The agent does not switch a NIC's stamping on itself (SIOCSHWTSTAMP is host-wide and
// belongs to ptp4l or the operator), it only takes what is there. Returns true when SO_TIMESTAMPING
// was accepted; otherwise SO_TIMESTAMPNS was tried for receive stamps alone.
bool enableTimestamping(int fd, bool transmit);

// Reads one control message: SCM_TIMESTAMPING (software and hardware stamps; the hardware one is
// the best when present) or SCM_TIMESTAMPNS (kernel). Returns false, leaving *stamp alone, for
// anything else or a message without a stamp.
bool readPacketStamp(const cmsghdr *message, PacketStamp *stamp);

// How one round's RTT samples were timed: a count per source, and the clock's state when the round
// ended. Becomes the "timestamps" and "clock" members of the round's detail record.
class TimestampTally
{
public:
    void add(TimestampSource source) { ++m_counts[size_t(source)]; }
    int count(TimestampSource source) const { return m_counts[size_t(source)]; }
    int total() const;
    // The weakest source any sample used; Kernel when there were no samples.
    TimestampSource weakest() const;
    void clear() { m_counts = {}; }

    // {"source": weakest, "hardware": n, "kernel": n, "user": n}, leaving out the sources no sample used
    QCborMap toCbor() const;

private:
    std::array<int, 3> m_counts{};
};

// {"synchronised": bool, "offsetUs": x, "errorUs": x, "maxErrorUs": x}: the clock state a round's
// timestamps were taken under.
QCborMap clockStateToCbor(const ClockState &clock);

} // namespace StreamSwarm::Agent
