// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "tests/netlab/echocapture.h"

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <sys/socket.h>

#include <poll.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace StreamSwarm::NetLab {

namespace {

constexpr int POLL_MS = 50;
constexpr std::size_t MAX_ECHOES = 1'000'000; // bounds the record on a runaway test

std::uint16_t readBe16(const unsigned char *p)
{
    return std::uint16_t(p[0] << 8 | p[1]);
}

} // namespace

EchoCapture::~EchoCapture()
{
    stop();
}

bool EchoCapture::start(const QString &interface, QString *error)
{
    const unsigned index = if_nametoindex(interface.toLocal8Bit().constData());
    if (index == 0) {
        *error = u"no interface named %1 here"_s.arg(interface);
        return false;
    }
    m_fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC, htons(ETH_P_ALL));
    if (m_fd < 0) {
        *error = u"cannot open a packet socket: %1"_s.arg(QString::fromLocal8Bit(std::strerror(errno)));
        return false;
    }
    sockaddr_ll address{};
    address.sll_family = AF_PACKET;
    address.sll_protocol = htons(ETH_P_ALL);
    address.sll_ifindex = int(index);
    const int on = 1;
    if (bind(m_fd, reinterpret_cast<const sockaddr *>(&address), sizeof(address)) < 0
        || setsockopt(m_fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof(on)) < 0) {
        *error = u"cannot listen on %1: %2"_s.arg(interface, QString::fromLocal8Bit(std::strerror(errno)));
        close(m_fd);
        m_fd = -1;
        return false;
    }
    m_stopping = false;
    m_listener = std::thread([this] { listen(); });
    return true;
}

void EchoCapture::stop()
{
    m_stopping = true;
    if (m_listener.joinable())
        m_listener.join();
    if (m_fd >= 0)
        close(m_fd);
    m_fd = -1;
}

QList<WireEcho> EchoCapture::echoes() const
{
    QList<WireEcho> echoes;
    {
        const std::lock_guard lock(m_mutex);
        for (const auto &entry : m_echoes) {
            if (entry.second.requestNs > 0)
                echoes.append(entry.second);
        }
    }
    std::sort(
        echoes.begin(), echoes.end(), [](const WireEcho &a, const WireEcho &b) { return a.requestNs < b.requestNs; });
    return echoes;
}

void EchoCapture::listen()
{
    unsigned char packet[2048];
    alignas(cmsghdr) unsigned char control[CMSG_SPACE(sizeof(timespec))];
    while (!m_stopping) {
        pollfd ready{m_fd, POLLIN, 0};
        if (poll(&ready, 1, POLL_MS) <= 0)
            continue;
        sockaddr_ll from{};
        iovec iov{packet, sizeof(packet)};
        msghdr message{};
        message.msg_name = &from;
        message.msg_namelen = sizeof(from);
        message.msg_iov = &iov;
        message.msg_iovlen = 1;
        message.msg_control = control;
        message.msg_controllen = sizeof(control);
        const ssize_t received = recvmsg(m_fd, &message, MSG_DONTWAIT);
        if (received <= 0)
            continue;
        std::int64_t stampNs = 0;
        for (cmsghdr *c = CMSG_FIRSTHDR(&message); c; c = CMSG_NXTHDR(&message, c)) {
            if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SO_TIMESTAMPNS) {
                timespec stamp{};
                std::memcpy(&stamp, CMSG_DATA(c), sizeof(stamp));
                stampNs = std::int64_t(stamp.tv_sec) * 1'000'000'000 + stamp.tv_nsec;
            }
        }
        if (stampNs > 0)
            record(packet, std::size_t(received), from.sll_pkttype == PACKET_OUTGOING, stampNs);
    }
}

void EchoCapture::record(const unsigned char *packet, std::size_t length, bool outgoing, std::int64_t stampNs)
{
    // The ICMP message after the IP header: type, code, checksum, id, sequence.
    const unsigned char *icmp = nullptr;
    bool request = false;
    bool reply = false;
    if (length >= 20 && packet[0] >> 4 == 4 && packet[9] == IPPROTO_ICMP) {
        const std::size_t headerLength = std::size_t(packet[0] & 0x0f) * 4;
        if (headerLength < 20 || length < headerLength + 8)
            return;
        icmp = packet + headerLength;
        request = icmp[0] == 8;
        reply = icmp[0] == 0;
    } else if (length >= 48 && packet[0] >> 4 == 6 && packet[6] == IPPROTO_ICMPV6) {
        icmp = packet + 40;
        request = icmp[0] == 128;
        reply = icmp[0] == 129;
    }
    if (!icmp || (!request && !reply) || request != outgoing)
        return;
    const std::uint16_t id = readBe16(icmp + 4);
    const std::uint16_t sequence = readBe16(icmp + 6);
    const std::uint32_t key = std::uint32_t(id) << 16 | sequence;
    const std::lock_guard lock(m_mutex);
    if (request) {
        if (m_echoes.size() >= MAX_ECHOES)
            return;
        // A sequence number used again (after 65,536 echoes) starts a new echo.
        m_echoes[key] = WireEcho{id, sequence, stampNs, 0};
        return;
    }
    const auto it = m_echoes.find(key);
    if (it != m_echoes.end() && it->second.replyNs == 0)
        it->second.replyNs = stampNs;
}

} // namespace StreamSwarm::NetLab
