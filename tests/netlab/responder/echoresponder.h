// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <netinet/in.h>
#include <sys/socket.h>

#include "tests/netlab/tools/duetimequeue.h"

namespace StreamSwarm::NetLab {

struct ResponderOptions
{
    std::int64_t delayNs = 0;
    std::int64_t jitterNs = 0; // the applied delay is uniform in [delay - jitter, delay + jitter], never below 0
    double lossPercent = 0;
    std::uint64_t seed = 1;
    int udpPort = 0; // 0: no UDP
    bool icmp = true;
    bool icmp6 = true; // only where the kernel's own IPv6 echo can be turned off
};

// What happened to one probe; one line of the truth file.
struct ProbeRecord
{
    enum class Fate { Sent, Lost, Overflow, Failed, Unsent };

    std::uint64_t number = 0; // 1, 2, ... in order of arrival
    const char *protocol = ""; // icmp4, icmp6, udp4, udp6
    std::string source;
    std::uint32_t id = 0; // ICMP echo id, or UDP source port
    std::uint32_t sequence = 0; // ICMP echo sequence, or the first 4 UDP payload bytes (big-endian)
    int tos = -1; // TOS or traffic class received, -1 when unknown
    std::int64_t arrivalRealNs = 0; // kernel receive stamp, CLOCK_REALTIME
    std::int64_t delayNs = 0; // applied delay, from arrival to reply
    Fate fate = Fate::Unsent;
    std::int64_t lateNs = 0; // Sent: how long after arrival + delay the reply was handed to the kernel
};

// Answers ICMP echo and UDP probes after a programmed delay, jitter and loss. A receiver thread
// stamps arrivals (kernel SO_TIMESTAMPNS) and decides each probe's fate from the seed; a DueTimeQueue's
// releasing thread sends each reply on time.
class EchoResponder
{
public:
    explicit EchoResponder(const ResponderOptions &options);
    ~EchoResponder();
    EchoResponder(const EchoResponder &) = delete;
    EchoResponder &operator=(const EchoResponder &) = delete;

    // Opens the sockets; on failure returns false and a sentence.
    bool open(std::string *error);
    // Starts the receiver and sender threads.
    void start();
    // Stops both threads; replies still queued are recorded as unsent.
    void stop();
    // The records completed since the last call.
    std::vector<ProbeRecord> takeRecords();
    std::vector<std::string> protocols() const;

    static constexpr int HEADER_SIZE = 16; // UDP reply header before the echoed payload, see README.md

private:
    enum class Kind { Icmp4, Icmp6, Udp4, Udp6 };

    struct Socket
    {
        int fd = -1;
        Kind kind = Kind::Icmp4;
    };

    struct Reply
    {
        int fd = -1;
        int family = AF_INET;
        sockaddr_storage to{};
        socklen_t toLength = 0;
        in_pktinfo pktinfo4{};
        in6_pktinfo pktinfo6{};
        int tos = -1; // reflected into the reply's own TOS / traffic class
        std::vector<unsigned char> bytes;
        ProbeRecord record;
    };

    struct Decision
    {
        bool drop = false;
        std::int64_t delayNs = 0;
    };

    bool openSocket(Kind kind, std::string *error);
    void receiveLoop();
    bool receiveOne(const Socket &socket);
    Decision decide();
    void enqueue(std::int64_t dueMonoNs, Reply reply);
    void send(Reply &reply, std::int64_t dueMonoNs);
    void addRecord(ProbeRecord record);

    ResponderOptions m_options;
    std::vector<Socket> m_sockets;
    int m_wakeFd = -1;
    std::uint64_t m_randomState = 0;
    std::uint64_t m_probeCount = 0;
    std::vector<unsigned char> m_buffer;

    std::mutex m_recordsMutex;
    std::vector<ProbeRecord> m_records;

    DueTimeQueue<Reply> m_replies;
    std::thread m_receiver;
};

} // namespace StreamSwarm::NetLab
