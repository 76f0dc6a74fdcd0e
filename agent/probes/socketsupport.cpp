// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "socketsupport.h"

#include <cstring>

#include <net/if.h>
#include <netinet/in.h>

#include <QtEndian>

namespace StreamSwarm::Agent::Sockets {

qint64 nowNs(clockid_t clock)
{
    timespec ts{};
    clock_gettime(clock, &ts);
    return qint64(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

quint16 internetChecksum(const unsigned char *data, int length)
{
    quint32 sum = 0;
    for (int i = 0; i + 1 < length; i += 2)
        sum += quint32(data[i]) << 8 | data[i + 1];
    if (length % 2)
        sum += quint32(data[length - 1]) << 8;
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return quint16(~sum);
}

bool fillAddress(const QHostAddress &host, quint16 port, sockaddr_storage *address, socklen_t *length)
{
    *address = sockaddr_storage{};
    if (host.protocol() == QAbstractSocket::IPv6Protocol) {
        auto *sin6 = reinterpret_cast<sockaddr_in6 *>(address);
        sin6->sin6_family = AF_INET6;
        sin6->sin6_port = qToBigEndian(port);
        const Q_IPV6ADDR bytes = host.toIPv6Address();
        std::memcpy(&sin6->sin6_addr, bytes.c, sizeof(bytes.c));
        const QString scope = host.scopeId();
        if (!scope.isEmpty()) {
            bool numeric = false;
            sin6->sin6_scope_id = scope.toUInt(&numeric);
            if (!numeric)
                sin6->sin6_scope_id = if_nametoindex(scope.toLocal8Bit().constData());
        }
        *length = sizeof(sockaddr_in6);
        return true;
    }
    if (host.protocol() != QAbstractSocket::IPv4Protocol)
        return false;
    auto *sin = reinterpret_cast<sockaddr_in *>(address);
    sin->sin_family = AF_INET;
    sin->sin_port = qToBigEndian(port);
    sin->sin_addr.s_addr = qToBigEndian(host.toIPv4Address());
    *length = sizeof(sockaddr_in);
    return true;
}

quint16 portOf(const sockaddr_storage &address)
{
    if (address.ss_family == AF_INET6)
        return qFromBigEndian(reinterpret_cast<const sockaddr_in6 *>(&address)->sin6_port);
    if (address.ss_family == AF_INET)
        return qFromBigEndian(reinterpret_cast<const sockaddr_in *>(&address)->sin_port);
    return 0;
}

QHostAddress unmapped(const QHostAddress &address)
{
    if (address.protocol() == QAbstractSocket::IPv6Protocol) {
        bool mapped = false;
        const quint32 v4 = address.toIPv4Address(&mapped);
        if (mapped)
            return QHostAddress(v4);
    }
    return address;
}

} // namespace StreamSwarm::Agent::Sockets
