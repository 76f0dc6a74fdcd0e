// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <optional>

#include <QHash>
#include <QString>

#include "agent/platform/linux/clockstate.h"
#include "shared/protocol/details.h"

// Where a probe's timestamps come from, and how far they can be trusted. No peer records this per
// sample; we do, so that a reader can tell a NIC-stamped microsecond from a user-space guess.
namespace StreamSwarm::Agent {

// Best first: a NIC's own clock, then the kernel's stamp as the packet passes the stack, then our
// own clock read around the system call (which adds scheduling and syscall latency). The round's
// detail reports them, so the protocol owns the names.
using Protocol::TimestampSource;
using Protocol::timestampSourceName;
using Protocol::weakerSource;
// How one round's RTT samples were timed: a count per source; the "timestamps" of its detail.
using Protocol::TimestampTally;

// The stamps taken from a packet's control messages.
struct PacketStamp
{
    qint64 ns = 0; // the best stamp the packet carried; 0 when it carried none
    TimestampSource source = TimestampSource::User;
    qint64 softwareNs = 0; // the kernel's stamp (CLOCK_REALTIME); 0 when none
    qint64 hardwareNs = 0; // the NIC's stamp (its own clock, not CLOCK_REALTIME); 0 when none

    // The software and the NIC's stamp of one send may come in one message or in two: keeps what
    // either carried, the best as the stamp.
    void merge(const PacketStamp &other);
};

// The kernel numbers each send it stamps on a socket (SOF_TIMESTAMPING_OPT_ID) from 0, and hands the
// number back with the transmit stamp; this maps those numbers to the caller's own keys (a sequence,
// a probe key). At most maxKeys are kept: a round forgets its keys anyway, this only bounds a misuse.
template <typename Key>
class TransmitStampNumbers
{
public:
    explicit TransmitStampNumbers(qsizetype maxKeys)
        : m_maxKeys(maxKeys)
    { }

    // A new socket numbers its sends from 0 again.
    void restart()
    {
        m_next = 0;
        m_keys.clear();
    }
    void forget() { m_keys.clear(); }
    // After each send the kernel accepted.
    void sent(const Key &key)
    {
        if (m_keys.size() >= m_maxKeys)
            m_keys.clear();
        m_keys.insert(m_next++, key);
    }
    // The key of the send the kernel numbered so. A number we never counted (a send that failed late)
    // moves our count on to it.
    std::optional<Key> find(quint32 number)
    {
        const auto key = m_keys.constFind(number);
        if (key != m_keys.constEnd())
            return *key;
        if (qint32(number - m_next) >= 0)
            m_next = number + 1;
        return std::nullopt;
    }

private:
    qsizetype m_maxKeys;
    quint32 m_next = 0;
    QHash<quint32, Key> m_keys;
};

// The clock readings around one echo, all in nanoseconds. Wall-clock values are CLOCK_REALTIME
// (the clock the kernel's SO_TIMESTAMPNS uses), monotonic values CLOCK_MONOTONIC.
struct EchoTimestamps
{
    qint64 sendRealNs = 0; // taken right before sendto()
    qint64 sendMonoNs = 0; // taken right before sendto()
    qint64 kernelSendRealNs = 0; // the kernel's transmit stamp (SO_TIMESTAMPING); 0 when none came
    qint64 kernelRealNs = 0; // the kernel's receive stamp; 0 when the reply carried none
    qint64 readRealNs = 0; // taken right after recvmsg()
    qint64 readMonoNs = 0; // taken right after recvmsg()
    // The NIC's own stamps (its clock, not CLOCK_REALTIME), where the NIC stamps; 0 when none came.
    qint64 hardwareSendNs = 0;
    qint64 hardwareReceiveNs = 0;
};

struct RttSample
{
    qint64 ns = 0;
    TimestampSource source = TimestampSource::User; // the weaker of the two ends the RTT used
};

// The round-trip time in ns. Kernel stamps keep our own syscall and wake-up latency out of it, so
// normally it is kernel receive minus kernel transmit (or minus our send stamp when the transmit stamp
// is missing or does not lie between the two). When the receive stamp is missing, the result negative
// or larger than the monotonic send-to-read time, or the wall clock moved against the monotonic one in
// between (a step, not NTP slew), the monotonic time is used instead. The result is never negative.
// When the NIC stamped both ends, their difference is used (it is the most exact), as long as it is
// not negative nor longer than the monotonic time. The source says which clocks the result came from.
RttSample selectRtt(const EchoTimestamps &stamps);
inline qint64 selectRttNs(const EchoTimestamps &stamps)
{
    return selectRtt(stamps).ns;
}

// The clock state a round's timestamps were taken under, as its detail's "clock" reports it.
Protocol::ClockReading clockReading(const ClockState &clock);

} // namespace StreamSwarm::Agent
