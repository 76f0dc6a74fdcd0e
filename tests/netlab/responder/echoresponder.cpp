// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "echoresponder.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>

#include <arpa/inet.h>
#include <linux/icmp.h>
#include <netinet/icmp6.h>
#include <sys/eventfd.h>

#include <poll.h>
#include <unistd.h>

#include "tests/netlab/tools/realtime.h"

namespace StreamSwarm::NetLab {

namespace {

constexpr int MAX_DATAGRAM = 65535;
constexpr int MAX_UDP4_PAYLOAD = 65507;
constexpr int MAX_READS_PER_WAKEUP = 64;
constexpr std::size_t MAX_PENDING = 65536; // beyond this a probe is dropped and recorded as overflow
constexpr unsigned char UDP_MAGIC[4] = {'S', 'S', 'N', 'L'};
constexpr unsigned char UDP_VERSION = 1;
constexpr unsigned char FLAG_TOS_KNOWN = 1;
constexpr unsigned char FLAG_TTL_KNOWN = 2;

std::uint16_t internetChecksum(const unsigned char *data, std::size_t length)
{
    std::uint32_t sum = 0;
    for (std::size_t i = 0; i + 1 < length; i += 2)
        sum += std::uint32_t(data[i]) << 8 | data[i + 1];
    if (length % 2)
        sum += std::uint32_t(data[length - 1]) << 8;
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return std::uint16_t(~sum);
}

std::uint16_t readBe16(const unsigned char *p)
{
    return std::uint16_t(p[0] << 8 | p[1]);
}

std::string addressText(const sockaddr_storage &address)
{
    char text[INET6_ADDRSTRLEN] = {};
    if (address.ss_family == AF_INET)
        inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in &>(address).sin_addr, text, sizeof(text));
    else
        inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6 &>(address).sin6_addr, text, sizeof(text));
    return text;
}

} // namespace

EchoResponder::EchoResponder(const ResponderOptions &options)
    : m_options(options)
    , m_randomState(options.seed)
    , m_buffer(MAX_DATAGRAM + 1)
{ }

EchoResponder::~EchoResponder()
{
    stop();
    for (const Socket &socket : m_sockets)
        close(socket.fd);
    if (m_wakeFd >= 0)
        close(m_wakeFd);
}

bool EchoResponder::open(std::string *error)
{
    m_wakeFd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (m_wakeFd < 0) {
        *error = std::string("cannot create an eventfd: ") + std::strerror(errno);
        return false;
    }
    if (m_options.icmp) {
        if (!openSocket(Kind::Icmp4, error))
            return false;
        std::string ignored;
        if (m_options.icmp6)
            openSocket(Kind::Icmp6, &ignored); // a namespace without IPv6 answers IPv4 only
    }
    if (m_options.udpPort > 0) {
        if (!openSocket(Kind::Udp4, error))
            return false;
        std::string ignored;
        openSocket(Kind::Udp6, &ignored);
    }
    return true;
}

bool EchoResponder::openSocket(Kind kind, std::string *error)
{
    const bool v6 = kind == Kind::Icmp6 || kind == Kind::Udp6;
    const bool udp = kind == Kind::Udp4 || kind == Kind::Udp6;
    const int protocol = udp ? 0 : (v6 ? int(IPPROTO_ICMPV6) : int(IPPROTO_ICMP));
    const int fd = socket(v6 ? AF_INET6 : AF_INET, (udp ? SOCK_DGRAM : SOCK_RAW) | SOCK_CLOEXEC, protocol);
    if (fd < 0) {
        *error = std::string("cannot open a socket: ") + std::strerror(errno);
        return false;
    }
    const int on = 1;
    setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof(on));
    const int bufferSize = 4 << 20;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bufferSize, sizeof(bufferSize));
    if (v6) {
        setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof(on));
        setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &on, sizeof(on));
        setsockopt(fd, IPPROTO_IPV6, IPV6_RECVTCLASS, &on, sizeof(on));
        setsockopt(fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, &on, sizeof(on));
    } else {
        setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &on, sizeof(on));
        setsockopt(fd, IPPROTO_IP, IP_RECVTOS, &on, sizeof(on));
        setsockopt(fd, IPPROTO_IP, IP_RECVTTL, &on, sizeof(on));
    }
    if (kind == Kind::Icmp4) {
        icmp_filter filter{};
        filter.data = ~(1U << ICMP_ECHO);
        setsockopt(fd, SOL_RAW, ICMP_FILTER, &filter, sizeof(filter));
    } else if (kind == Kind::Icmp6) {
        icmp6_filter filter{};
        ICMP6_FILTER_SETBLOCKALL(&filter);
        ICMP6_FILTER_SETPASS(ICMP6_ECHO_REQUEST, &filter);
        setsockopt(fd, IPPROTO_ICMPV6, ICMP6_FILTER, &filter, sizeof(filter));
    } else {
        sockaddr_storage address{};
        socklen_t length = 0;
        if (v6) {
            auto &in6 = reinterpret_cast<sockaddr_in6 &>(address);
            in6.sin6_family = AF_INET6;
            in6.sin6_addr = in6addr_any;
            in6.sin6_port = htons(std::uint16_t(m_options.udpPort));
            length = sizeof(in6);
        } else {
            auto &in4 = reinterpret_cast<sockaddr_in &>(address);
            in4.sin_family = AF_INET;
            in4.sin_addr.s_addr = htonl(INADDR_ANY);
            in4.sin_port = htons(std::uint16_t(m_options.udpPort));
            length = sizeof(in4);
        }
        if (bind(fd, reinterpret_cast<const sockaddr *>(&address), length) != 0) {
            *error = "cannot listen on UDP port " + std::to_string(m_options.udpPort) + ": " + std::strerror(errno);
            close(fd);
            return false;
        }
    }
    m_sockets.push_back({fd, kind});
    return true;
}

std::vector<std::string> EchoResponder::protocols() const
{
    static const char *const names[] = {"icmp4", "icmp6", "udp4", "udp6"};
    std::vector<std::string> result;
    for (const Socket &socket : m_sockets)
        result.emplace_back(names[int(socket.kind)]);
    return result;
}

void EchoResponder::start()
{
    m_receiver = std::thread([this] { receiveLoop(); });
    m_replies.start([this](Reply &reply, std::int64_t dueMonoNs) { send(reply, dueMonoNs); });
}

void EchoResponder::stop()
{
    if (!m_receiver.joinable())
        return;
    m_replies.stop();
    const std::uint64_t one = 1;
    if (write(m_wakeFd, &one, sizeof(one)) < 0)
        std::perror("eventfd");
    m_receiver.join();
    for (Reply &reply : m_replies.takeHeld()) {
        reply.record.fate = ProbeRecord::Fate::Unsent;
        addRecord(std::move(reply.record));
    }
}

std::vector<ProbeRecord> EchoResponder::takeRecords()
{
    const std::lock_guard lock(m_recordsMutex);
    std::vector<ProbeRecord> records;
    records.swap(m_records);
    return records;
}

void EchoResponder::addRecord(ProbeRecord record)
{
    const std::lock_guard lock(m_recordsMutex);
    m_records.push_back(std::move(record));
}

// splitmix64: the n-th probe takes the (2n-1)-th draw for loss and the 2n-th for jitter, whatever
// happens to it, so a seed fixes the fate of every probe by its arrival number.
EchoResponder::Decision EchoResponder::decide()
{
    const auto next = [this] {
        std::uint64_t z = (m_randomState += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    };
    const double lossDraw = double(next() >> 11) * 0x1.0p-53 * 100.0;
    const std::uint64_t jitterDraw = next();
    Decision decision;
    decision.drop = lossDraw < m_options.lossPercent;
    const std::int64_t jitter = m_options.jitterNs;
    const std::int64_t offset = jitter > 0 ? std::int64_t(jitterDraw % std::uint64_t(2 * jitter + 1)) - jitter : 0;
    decision.delayNs = std::max<std::int64_t>(0, m_options.delayNs + offset);
    return decision;
}

void EchoResponder::receiveLoop()
{
    tryRealtime();
    std::vector<pollfd> fds;
    for (const Socket &socket : m_sockets)
        fds.push_back({socket.fd, POLLIN, 0});
    fds.push_back({m_wakeFd, POLLIN, 0});
    for (;;) {
        if (poll(fds.data(), fds.size(), -1) < 0) {
            if (errno == EINTR)
                continue;
            std::perror("poll");
            return;
        }
        if (fds.back().revents)
            return;
        for (std::size_t i = 0; i < m_sockets.size(); ++i) {
            if (!fds[i].revents)
                continue;
            for (int read = 0; read < MAX_READS_PER_WAKEUP && receiveOne(m_sockets[i]); ++read) { }
        }
    }
}

// Reads one datagram; returns false when there is none left.
bool EchoResponder::receiveOne(const Socket &socket)
{
    sockaddr_storage from{};
    alignas(cmsghdr) unsigned char control[512];
    iovec iov{m_buffer.data(), m_buffer.size()};
    msghdr message{};
    message.msg_name = &from;
    message.msg_namelen = sizeof(from);
    message.msg_iov = &iov;
    message.msg_iovlen = 1;
    message.msg_control = control;
    message.msg_controllen = sizeof(control);
    const ssize_t received = recvmsg(socket.fd, &message, MSG_DONTWAIT);
    if (received < 0)
        return false;
    const std::int64_t readRealNs = nowNs(CLOCK_REALTIME);
    const std::int64_t readMonoNs = nowNs(CLOCK_MONOTONIC);

    const bool v6 = socket.kind == Kind::Icmp6 || socket.kind == Kind::Udp6;
    std::int64_t stampRealNs = -1;
    int tos = -1;
    int ttl = -1;
    in_pktinfo pktinfo4{};
    in6_pktinfo pktinfo6{};
    bool havePktinfo = false;
    for (cmsghdr *c = CMSG_FIRSTHDR(&message); c; c = CMSG_NXTHDR(&message, c)) {
        const unsigned char *data = CMSG_DATA(c);
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
            timespec ts{};
            std::memcpy(&ts, data, sizeof(ts));
            stampRealNs = std::int64_t(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
        } else if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
            std::memcpy(&pktinfo4, data, sizeof(pktinfo4));
            havePktinfo = true;
        } else if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_TOS) {
            tos = *data;
        } else if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_TTL) {
            std::memcpy(&ttl, data, sizeof(ttl));
        } else if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO) {
            std::memcpy(&pktinfo6, data, sizeof(pktinfo6));
            havePktinfo = true;
        } else if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_TCLASS) {
            std::memcpy(&tos, data, sizeof(tos));
        } else if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_HOPLIMIT) {
            std::memcpy(&ttl, data, sizeof(ttl));
        }
    }
    // Only unicast to one of our addresses is answered, like the kernel's own echo.
    if (!havePktinfo)
        return true;
    if (v6 ? IN6_IS_ADDR_MULTICAST(&pktinfo6.ipi6_addr) : pktinfo4.ipi_addr.s_addr != pktinfo4.ipi_spec_dst.s_addr)
        return true;

    Reply reply;
    reply.fd = socket.fd;
    reply.family = v6 ? AF_INET6 : AF_INET;
    reply.to = from;
    reply.toLength = message.msg_namelen;
    reply.pktinfo4.ipi_spec_dst = pktinfo4.ipi_spec_dst;
    reply.pktinfo6.ipi6_addr = pktinfo6.ipi6_addr;
    reply.pktinfo6.ipi6_ifindex = pktinfo6.ipi6_ifindex;
    ProbeRecord &record = reply.record;
    record.source = addressText(from);

    const unsigned char *data = m_buffer.data();
    std::size_t length = std::size_t(received);
    switch (socket.kind) {
    case Kind::Icmp4: {
        // A raw IPv4 socket hands over the IP header too.
        if (length < 20)
            return true;
        const std::size_t headerLength = std::size_t(data[0] & 0x0f) * 4;
        if (headerLength < 20 || length < headerLength + 8)
            return true;
        tos = data[1];
        const unsigned char *icmp = data + headerLength;
        const std::size_t icmpLength = length - headerLength;
        if (icmp[0] != ICMP_ECHO || icmp[1] != 0 || internetChecksum(icmp, icmpLength) != 0)
            return true;
        record.protocol = "icmp4";
        record.id = readBe16(icmp + 4);
        record.sequence = readBe16(icmp + 6);
        reply.bytes.assign(icmp, icmp + icmpLength);
        reply.bytes[0] = ICMP_ECHOREPLY;
        reply.bytes[2] = reply.bytes[3] = 0;
        const std::uint16_t sum = internetChecksum(reply.bytes.data(), reply.bytes.size());
        reply.bytes[2] = std::uint8_t(sum >> 8);
        reply.bytes[3] = std::uint8_t(sum);
        break;
    }
    case Kind::Icmp6:
        // The kernel checked the checksum and computes the reply's (ICMPv6 raw sockets always do).
        if (length < 8 || data[0] != ICMP6_ECHO_REQUEST || data[1] != 0)
            return true;
        record.protocol = "icmp6";
        record.id = readBe16(data + 4);
        record.sequence = readBe16(data + 6);
        reply.bytes.assign(data, data + length);
        reply.bytes[0] = ICMP6_ECHO_REPLY;
        reply.bytes[2] = reply.bytes[3] = 0;
        break;
    case Kind::Udp4:
    case Kind::Udp6: {
        const auto port = v6 ? reinterpret_cast<const sockaddr_in6 &>(from).sin6_port
                             : reinterpret_cast<const sockaddr_in &>(from).sin_port;
        // Never answer a port-0 sender or another responder's reply: two of them must not ping-pong.
        if (port == 0 || (length >= 4 && std::memcmp(data, UDP_MAGIC, 4) == 0))
            return true;
        record.protocol = v6 ? "udp6" : "udp4";
        record.id = ntohs(port);
        record.sequence = length >= 4
            ? std::uint32_t(data[0]) << 24 | std::uint32_t(data[1]) << 16 | std::uint32_t(data[2]) << 8 | data[3]
            : 0;
        length = std::min<std::size_t>(length, MAX_UDP4_PAYLOAD - HEADER_SIZE);
        reply.bytes.resize(HEADER_SIZE + length);
        std::memcpy(reply.bytes.data(), UDP_MAGIC, 4);
        reply.bytes[4] = UDP_VERSION;
        reply.bytes[5] = std::uint8_t(tos < 0 ? 0 : tos);
        reply.bytes[6] = std::uint8_t(ttl < 0 ? 0 : ttl);
        reply.bytes[7] = std::uint8_t((tos >= 0 ? FLAG_TOS_KNOWN : 0) | (ttl >= 0 ? FLAG_TTL_KNOWN : 0));
        std::memcpy(reply.bytes.data() + HEADER_SIZE, data, length);
        break;
    }
    }

    // The delay counts from the kernel's arrival stamp: our own wake-up latency is inside it.
    std::int64_t arrivalMonoNs = readMonoNs;
    if (stampRealNs > 0) {
        arrivalMonoNs -= std::max<std::int64_t>(0, readRealNs - stampRealNs);
        record.arrivalRealNs = stampRealNs;
    } else {
        record.arrivalRealNs = readRealNs;
    }
    record.number = ++m_probeCount;
    record.tos = tos;
    reply.tos = tos;
    const Decision decision = decide();
    record.delayNs = decision.delayNs;
    const std::int64_t dueMonoNs = arrivalMonoNs + decision.delayNs;
    if (socket.kind == Kind::Udp4 || socket.kind == Kind::Udp6) {
        for (int i = 0; i < 8; ++i)
            reply.bytes[8 + i] = std::uint8_t(std::uint64_t(decision.delayNs) >> (56 - 8 * i));
    }
    if (decision.drop) {
        record.fate = ProbeRecord::Fate::Lost;
        addRecord(std::move(record));
        return true;
    }
    enqueue(dueMonoNs, std::move(reply));
    return true;
}

void EchoResponder::enqueue(std::int64_t dueMonoNs, Reply reply)
{
    // Only the receiver thread queues, so the count cannot grow between the check and the push.
    if (m_replies.size() >= MAX_PENDING) {
        reply.record.fate = ProbeRecord::Fate::Overflow;
        addRecord(std::move(reply.record));
        return;
    }
    m_replies.push(dueMonoNs, std::move(reply));
}

void EchoResponder::send(Reply &reply, std::int64_t dueMonoNs)
{
    alignas(cmsghdr) unsigned char control[CMSG_SPACE(sizeof(in6_pktinfo)) + CMSG_SPACE(sizeof(int))] = {};
    iovec iov{reply.bytes.data(), reply.bytes.size()};
    msghdr message{};
    message.msg_name = &reply.to;
    message.msg_namelen = reply.toLength;
    message.msg_iov = &iov;
    message.msg_iovlen = 1;
    message.msg_control = control;
    message.msg_controllen = sizeof(control);
    cmsghdr *c = CMSG_FIRSTHDR(&message);
    std::size_t controlLength = 0;
    // Answer from the address that was asked, with the TOS / traffic class that came in (as the
    // kernel's echo does), so a QoS test also sees what the return path does to a marking.
    if (reply.family == AF_INET) {
        c->cmsg_level = IPPROTO_IP;
        c->cmsg_type = IP_PKTINFO;
        c->cmsg_len = CMSG_LEN(sizeof(in_pktinfo));
        std::memcpy(CMSG_DATA(c), &reply.pktinfo4, sizeof(in_pktinfo));
        controlLength += CMSG_SPACE(sizeof(in_pktinfo));
    } else {
        c->cmsg_level = IPPROTO_IPV6;
        c->cmsg_type = IPV6_PKTINFO;
        c->cmsg_len = CMSG_LEN(sizeof(in6_pktinfo));
        std::memcpy(CMSG_DATA(c), &reply.pktinfo6, sizeof(in6_pktinfo));
        controlLength += CMSG_SPACE(sizeof(in6_pktinfo));
    }
    if (reply.tos >= 0) {
        c = reinterpret_cast<cmsghdr *>(control + controlLength);
        c->cmsg_level = reply.family == AF_INET ? IPPROTO_IP : IPPROTO_IPV6;
        c->cmsg_type = reply.family == AF_INET ? IP_TOS : IPV6_TCLASS;
        c->cmsg_len = CMSG_LEN(sizeof(int));
        std::memcpy(CMSG_DATA(c), &reply.tos, sizeof(int));
        controlLength += CMSG_SPACE(sizeof(int));
    }
    message.msg_controllen = controlLength;

    const std::int64_t sendMonoNs = nowNs(CLOCK_MONOTONIC);
    if (sendmsg(reply.fd, &message, MSG_DONTWAIT) < 0) {
        reply.record.fate = ProbeRecord::Fate::Failed;
    } else {
        reply.record.fate = ProbeRecord::Fate::Sent;
        reply.record.lateNs = sendMonoNs - dueMonoNs;
    }
    addRecord(std::move(reply.record));
}

} // namespace StreamSwarm::NetLab
