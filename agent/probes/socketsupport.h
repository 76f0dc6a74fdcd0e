// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <ctime>

#include <sys/socket.h>

#include <QHostAddress>

// Small pieces every raw-socket probe needs: clocks in nanoseconds, the Internet checksum, and
// socket addresses from QHostAddress. Any thread.
namespace StreamSwarm::Agent::Sockets {

qint64 nowNs(clockid_t clock);

// RFC 1071 Internet checksum; 0 over a packet that carries a correct one.
quint16 internetChecksum(const unsigned char *data, int length);

// The address (IPv4 or IPv6, with an IPv6 scope by number or interface name) and port as a
// sockaddr; false for anything else.
bool fillAddress(const QHostAddress &host, quint16 port, sockaddr_storage *address, socklen_t *length);

quint16 portOf(const sockaddr_storage &address);

// A v4-mapped IPv6 address (::ffff:a.b.c.d) as the IPv4 address it stands for: probed over IPv4.
QHostAddress unmapped(const QHostAddress &address);

} // namespace StreamSwarm::Agent::Sockets
