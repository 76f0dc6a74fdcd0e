// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "delayqueue.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>

#include <arpa/inet.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink_queue.h>
#include <netinet/in.h>
#include <sys/eventfd.h>
#include <sys/socket.h>

#include <endian.h>
#include <libmnl/libmnl.h>
#include <libnetfilter_queue/libnetfilter_queue.h>
#include <poll.h>
#include <unistd.h>

#include "tests/netlab/tools/realtime.h"

namespace StreamSwarm::NetLab {

namespace {

constexpr int MAX_READS_PER_WAKEUP = 64;
constexpr int COPY_RANGE = 128; // enough for the IP and transport headers the truth file names
constexpr int RECEIVE_BUFFER_BYTES = 8 << 20;
constexpr std::size_t BUFFER_BYTES = 64 * 1024;
// A kernel stamp further back than this is not this packet's arrival (the wall clock stepped).
constexpr std::int64_t MAX_STAMP_AGE_NS = 1'000'000'000;

std::string protocolName(int protocol, int family)
{
    switch (protocol) {
    case IPPROTO_ICMP:
        return "icmp";
    case IPPROTO_ICMPV6:
        return "icmp6";
    case IPPROTO_UDP:
        return "udp";
    case IPPROTO_TCP:
        return "tcp";
    default:
        return family ? std::to_string(protocol) : "-";
    }
}

// Family, protocol and addresses from the start of the packet (the IP header: FORWARD queues layer 3).
void describePacket(const unsigned char *data, std::size_t length, PacketRecord *record)
{
    char text[INET6_ADDRSTRLEN] = {};
    if (length >= 20 && data[0] >> 4 == 4) {
        record->family = 4;
        record->protocol = protocolName(data[9], 4);
        record->length = std::uint32_t(data[2]) << 8 | data[3];
        record->source = inet_ntop(AF_INET, data + 12, text, sizeof(text)) ? text : "-";
        record->destination = inet_ntop(AF_INET, data + 16, text, sizeof(text)) ? text : "-";
    } else if (length >= 40 && data[0] >> 4 == 6) {
        // The next header field names the first extension header, if any, not necessarily the transport.
        record->family = 6;
        record->protocol = protocolName(data[6], 6);
        record->length = 40 + (std::uint32_t(data[4]) << 8 | data[5]);
        record->source = inet_ntop(AF_INET6, data + 8, text, sizeof(text)) ? text : "-";
        record->destination = inet_ntop(AF_INET6, data + 24, text, sizeof(text)) ? text : "-";
    } else {
        record->protocol = "-";
        record->source = record->destination = "-";
    }
}

} // namespace

DelayQueue::DelayQueue(const DelayOptions &options)
    : m_options(options)
    , m_randomState(options.seed)
    , m_buffer(BUFFER_BYTES)
{ }

DelayQueue::~DelayQueue()
{
    stop();
    if (m_socket)
        mnl_socket_close(m_socket);
    if (m_wakeFd >= 0)
        close(m_wakeFd);
    if (m_stampFd >= 0)
        close(m_stampFd);
}

// Sends one configuration message and waits for the kernel's acknowledgement.
bool DelayQueue::configure(nlmsghdr *message, std::string *error)
{
    message->nlmsg_flags |= NLM_F_ACK;
    const unsigned sequence = ++m_configSequence;
    message->nlmsg_seq = sequence;
    if (mnl_socket_sendto(m_socket, message, message->nlmsg_len) < 0) {
        *error = std::string("cannot configure the queue: ") + std::strerror(errno);
        return false;
    }
    const unsigned portId = mnl_socket_get_portid(m_socket);
    for (int attempt = 0; attempt < 16; ++attempt) {
        const ssize_t received = mnl_socket_recvfrom(m_socket, m_buffer.data(), m_buffer.size());
        if (received < 0) {
            *error = std::string("no answer configuring the queue: ") + std::strerror(errno);
            return false;
        }
        const int result = mnl_cb_run(m_buffer.data(), std::size_t(received), sequence, portId, nullptr, nullptr);
        if (result == MNL_CB_ERROR) {
            *error = std::string("the kernel refused the queue configuration: ") + std::strerror(errno);
            if (errno == EBUSY)
                *error += " (another program holds queue " + std::to_string(m_options.queue) + ")";
            return false;
        }
        if (result == MNL_CB_STOP)
            return true;
    }
    *error = "the kernel did not acknowledge the queue configuration";
    return false;
}

bool DelayQueue::open(std::string *error)
{
    m_wakeFd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (m_wakeFd < 0) {
        *error = std::string("cannot create an eventfd: ") + std::strerror(errno);
        return false;
    }
    // While any socket asks for receive timestamps the kernel stamps every packet it receives, and the
    // queue hands that stamp over: a packet's delay then counts from its arrival, not from our read.
    m_stampFd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    const int on = 1;
    if (m_stampFd >= 0)
        setsockopt(m_stampFd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof(on));

    m_socket = mnl_socket_open2(NETLINK_NETFILTER, SOCK_CLOEXEC);
    if (!m_socket || mnl_socket_bind(m_socket, 0, MNL_SOCKET_AUTOPID) < 0) {
        *error = std::string("cannot open a netfilter netlink socket: ") + std::strerror(errno);
        return false;
    }
    const int bufferBytes = RECEIVE_BUFFER_BYTES;
    if (setsockopt(mnl_socket_get_fd(m_socket), SOL_SOCKET, SO_RCVBUFFORCE, &bufferBytes, sizeof(bufferBytes)) != 0)
        setsockopt(mnl_socket_get_fd(m_socket), SOL_SOCKET, SO_RCVBUF, &bufferBytes, sizeof(bufferBytes));

    std::vector<char> message(MNL_SOCKET_BUFFER_SIZE);
    const auto queue = std::uint32_t(m_options.queue);
    nlmsghdr *bind = nfq_nlmsg_put(message.data(), NFQNL_MSG_CONFIG, queue);
    nfq_nlmsg_cfg_put_cmd(bind, AF_UNSPEC, NFQNL_CFG_CMD_BIND);
    if (!configure(bind, error))
        return false;
    nlmsghdr *parameters = nfq_nlmsg_put(message.data(), NFQNL_MSG_CONFIG, queue);
    nfq_nlmsg_cfg_put_params(parameters, NFQNL_COPY_PACKET, COPY_RANGE);
    nfq_nlmsg_cfg_put_qmaxlen(parameters, m_options.queueMaxLength);
    // GSO: we never change a packet, so the kernel may queue a large segment whole instead of
    // splitting it first. FAIL_OPEN: what a full queue does, pass or (unset) drop.
    const std::uint32_t flags = NFQA_CFG_F_GSO | (m_options.failOpen ? NFQA_CFG_F_FAIL_OPEN : 0);
    mnl_attr_put_u32(parameters, NFQA_CFG_FLAGS, htonl(flags));
    mnl_attr_put_u32(parameters, NFQA_CFG_MASK, htonl(NFQA_CFG_F_GSO | NFQA_CFG_F_FAIL_OPEN));
    return configure(parameters, error);
}

void DelayQueue::start()
{
    m_receiver = std::thread([this] { receiveLoop(); });
    m_held.start([this](Held &held, std::int64_t dueMonoNs) { release(held, dueMonoNs); });
}

void DelayQueue::stop()
{
    if (!m_receiver.joinable())
        return;
    m_held.stop();
    const std::uint64_t one = 1;
    if (write(m_wakeFd, &one, sizeof(one)) < 0)
        std::perror("eventfd");
    m_receiver.join();
    // Unbinding would drop what the kernel still holds for us: pass it on instead.
    for (Held &held : m_held.takeHeld()) {
        held.record.fate = accept(held.packetId) ? PacketRecord::Fate::Flushed : PacketRecord::Fate::Failed;
        addRecord(std::move(held.record));
    }
}

std::vector<PacketRecord> DelayQueue::takeRecords()
{
    const std::lock_guard lock(m_recordsMutex);
    std::vector<PacketRecord> records;
    records.swap(m_records);
    return records;
}

void DelayQueue::addRecord(PacketRecord record)
{
    const std::lock_guard lock(m_recordsMutex);
    m_records.push_back(std::move(record));
}

// splitmix64: the n-th packet takes the n-th draw, so a seed fixes every packet's delay by its
// arrival number.
std::int64_t DelayQueue::nextDelayNs()
{
    std::uint64_t z = (m_randomState += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    const std::int64_t jitter = m_options.jitterNs;
    const std::int64_t offset = jitter > 0 ? std::int64_t(z % std::uint64_t(2 * jitter + 1)) - jitter : 0;
    return std::max<std::int64_t>(0, m_options.delayNs + offset);
}

void DelayQueue::receiveLoop()
{
    tryRealtime();
    const int fd = mnl_socket_get_fd(m_socket);
    pollfd fds[2] = {{fd, POLLIN, 0}, {m_wakeFd, POLLIN, 0}};
    for (;;) {
        if (poll(fds, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            std::perror("poll");
            return;
        }
        if (fds[1].revents)
            return;
        for (int read = 0; read < MAX_READS_PER_WAKEUP; ++read) {
            const ssize_t received = recv(fd, m_buffer.data(), m_buffer.size(), MSG_DONTWAIT);
            if (received < 0) {
                if (errno == ENOBUFS) {
                    // The kernel dropped (or with fail-open passed) packets it could not hand us.
                    m_overruns.fetch_add(1);
                    continue;
                }
                break;
            }
            const std::int64_t readRealNs = nowNs(CLOCK_REALTIME);
            const std::int64_t readMonoNs = nowNs(CLOCK_MONOTONIC);
            int remaining = int(received);
            for (auto *message = reinterpret_cast<const nlmsghdr *>(m_buffer.data()); mnl_nlmsg_ok(message, remaining);
                 message = mnl_nlmsg_next(message, &remaining)) {
                handleMessage(message, readRealNs, readMonoNs);
            }
        }
    }
}

void DelayQueue::handleMessage(const nlmsghdr *message, std::int64_t readRealNs, std::int64_t readMonoNs)
{
    if (message->nlmsg_type == NLMSG_ERROR) {
        // Verdicts ask for no acknowledgement: an error message is a verdict the kernel refused.
        const auto *failure = static_cast<const nlmsgerr *>(mnl_nlmsg_get_payload(message));
        if (failure->error != 0)
            m_refusedVerdicts.fetch_add(1);
        return;
    }
    if (message->nlmsg_type != ((NFNL_SUBSYS_QUEUE << 8) | NFQNL_MSG_PACKET))
        return;
    nlattr *attributes[NFQA_MAX + 1] = {};
    if (nfq_nlmsg_parse(message, attributes) < 0 || !attributes[NFQA_PACKET_HDR])
        return;
    const auto *header = static_cast<const nfqnl_msg_packet_hdr *>(mnl_attr_get_payload(attributes[NFQA_PACKET_HDR]));

    Held held;
    held.packetId = ntohl(header->packet_id);
    PacketRecord &record = held.record;
    if (attributes[NFQA_PAYLOAD]) {
        describePacket(static_cast<const unsigned char *>(mnl_attr_get_payload(attributes[NFQA_PAYLOAD])),
            mnl_attr_get_payload_len(attributes[NFQA_PAYLOAD]), &record);
    } else {
        describePacket(nullptr, 0, &record);
    }
    if (attributes[NFQA_IFINDEX_INDEV])
        record.inInterface = int(ntohl(mnl_attr_get_u32(attributes[NFQA_IFINDEX_INDEV])));
    if (attributes[NFQA_CAP_LEN])
        record.length = ntohl(mnl_attr_get_u32(attributes[NFQA_CAP_LEN]));

    // The delay counts from the kernel's receive stamp where there is one: our own wake-up latency
    // is then inside it rather than added to it.
    std::int64_t arrivalMonoNs = readMonoNs;
    record.arrivalRealNs = readRealNs;
    if (attributes[NFQA_TIMESTAMP]
        && mnl_attr_get_payload_len(attributes[NFQA_TIMESTAMP]) >= sizeof(nfqnl_msg_packet_timestamp)) {
        nfqnl_msg_packet_timestamp stamp{};
        std::memcpy(&stamp, mnl_attr_get_payload(attributes[NFQA_TIMESTAMP]), sizeof(stamp));
        const std::int64_t stampRealNs
            = std::int64_t(be64toh(stamp.sec)) * 1'000'000'000 + std::int64_t(be64toh(stamp.usec)) * 1000;
        const std::int64_t ageNs = readRealNs - stampRealNs;
        if (ageNs >= -1000 && ageNs < MAX_STAMP_AGE_NS) {
            arrivalMonoNs -= std::max<std::int64_t>(0, ageNs);
            record.arrivalRealNs = stampRealNs;
            record.kernelStamp = true;
        }
    }
    record.number = ++m_packetCount;
    record.delayNs = nextDelayNs();
    const std::int64_t dueMonoNs = arrivalMonoNs + record.delayNs;
    m_held.push(dueMonoNs, std::move(held));
}

void DelayQueue::release(Held &held, std::int64_t dueMonoNs)
{
    const std::int64_t verdictMonoNs = nowNs(CLOCK_MONOTONIC);
    if (accept(held.packetId)) {
        held.record.fate = PacketRecord::Fate::Released;
        held.record.lateNs = verdictMonoNs - dueMonoNs;
    } else {
        held.record.fate = PacketRecord::Fate::Failed;
    }
    addRecord(std::move(held.record));
}

// Verdicts may go out in any order: the kernel finds the packet by its id.
bool DelayQueue::accept(std::uint32_t packetId)
{
    alignas(nlmsghdr) char message[256];
    nlmsghdr *verdict = nfq_nlmsg_put(message, NFQNL_MSG_VERDICT, std::uint32_t(m_options.queue));
    nfq_nlmsg_verdict_put(verdict, int(packetId), NF_ACCEPT);
    return mnl_socket_sendto(m_socket, verdict, verdict->nlmsg_len) >= 0;
}

} // namespace StreamSwarm::NetLab
