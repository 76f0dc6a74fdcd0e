// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <cstddef>

#include <sys/socket.h>

#include <QHostAddress>
#include <QString>

#include "agent/probes/timestamping.h"

// The probes' one way to read and send datagrams on their own sockets: what the kernel says about a
// packet (its stamps, hop limit, traffic class, who sent it) and about what we sent (ICMP errors and
// transmit stamps from the error queue), with errno turned into plain words. The probes parse
// packets; this layer owns the system calls. Implemented in platform/linux; a Windows version
// would read the same facts with WSARecvMsg and its own control messages.
namespace StreamSwarm::Agent::Platform {

using NativeSocket = int; // a SOCKET on Windows

// One datagram and what came with it.
struct ReceivedPacket
{
    size_t length = 0; // bytes placed in the buffer
    bool truncated = false; // it was larger than the buffer
    sockaddr_storage from{};
    socklen_t fromLength = 0;
    PacketStamp stamp; // the kernel's or the NIC's receive stamp, when there was one
    int hopLimit = -1; // IP_TTL or IPV6_HOPLIMIT, when the socket asked for it
    int trafficClass = -1; // the TOS or IPv6 traffic class byte, when the socket asked for it
    qint64 readRealNs = 0; // our clocks right after the read
    qint64 readMonoNs = 0;

    QHostAddress source() const;
};

// A message from the socket's error queue: an ICMP error about a packet we sent (quoting it), or the
// kernel's transmit stamp of one of our sends.
struct QueuedError
{
    enum class Origin { Icmp, Timestamping, Other };

    Origin origin = Origin::Other;
    size_t length = 0; // bytes of our packet quoted into the buffer
    sockaddr_storage original{}; // where that packet was addressed
    int icmpType = 0;
    int icmpCode = 0;
    quint32 sendNumber = 0; // Timestamping: the kernel's number of the send (SOF_TIMESTAMPING_OPT_ID)
    QHostAddress reporter; // Icmp: who sent the error (a router, the target); null when unknown
    PacketStamp stamp; // Icmp: when the error arrived; Timestamping: when our packet left
    qint64 readRealNs = 0;
    qint64 readMonoNs = 0;
};

enum class ReadStatus {
    Read, // the out-parameter holds a packet
    Drained, // nothing more is waiting
    Failed, // the read failed with *error (e.g. an ICMP error reported once on a connected socket)
};

// Reads the next waiting datagram into buffer without blocking. Interrupted reads are retried.
ReadStatus receivePacket(
    NativeSocket socket, unsigned char *buffer, size_t size, ReceivedPacket *packet, int *error = nullptr);
// Reads the next message from the error queue without blocking.
ReadStatus receiveQueuedError(NativeSocket socket, unsigned char *buffer, size_t size, QueuedError *queued);

// Sends one datagram (with the given TOS or traffic class byte when trafficClass >= 0). Retries a
// send that was interrupted, or that failed only to report an ICMP error an earlier packet drew
// (the kernel fails the next send once with it). Returns 0, or the errno of the last attempt.
int sendPacket(
    NativeSocket socket, const void *data, size_t size, const sockaddr *to, socklen_t toLength, int trafficClass = -1);

// Why a send failed, in plain words ("The host is unreachable.").
QString sendFailureText(int code);

// Socket options for the best stamps a socket can give: software receive and (with transmit = true)
// transmit stamps numbered per send (OPT_ID, TSONLY), plus hardware stamps wherever the NIC already
// produces them. The agent does not switch a NIC's stamping on itself (SIOCSHWTSTAMP is host-wide and
// belongs to ptp4l or the operator), it only takes what is there. Returns true when SO_TIMESTAMPING
// was accepted; otherwise SO_TIMESTAMPNS was tried for receive stamps alone.
bool enableTimestamping(NativeSocket socket, bool transmit);

} // namespace StreamSwarm::Agent::Platform
