// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "tests/netlab/tools/duetimequeue.h"

struct mnl_socket;
struct nlmsghdr;

namespace StreamSwarm::NetLab {

struct DelayOptions
{
    int queue = 0; // the NFQUEUE number the lab's rules send to
    std::int64_t delayNs = 0;
    std::int64_t jitterNs = 0; // the applied delay is uniform in [delay - jitter, delay + jitter], never below 0
    std::uint64_t seed = 1;
    std::uint32_t queueMaxLength = 8192; // packets held in the kernel at once; beyond it the kernel drops
    bool failOpen = false; // beyond queueMaxLength the kernel passes packets undelayed instead of dropping them
};

// What happened to one packet; one line of the truth file.
struct PacketRecord
{
    enum class Fate { Released, Flushed, Failed };

    std::uint64_t number = 0; // 1, 2, ... in order of arrival
    std::string protocol; // icmp, icmp6, udp, tcp, or the IP protocol number
    int family = 0; // 4 or 6
    std::string source;
    std::string destination;
    int inInterface = 0; // ifindex the packet came in on
    std::uint32_t length = 0; // the IP packet's length
    bool kernelStamp = false; // arrival is the kernel's receive stamp, not our read time
    std::int64_t arrivalRealNs = 0; // CLOCK_REALTIME
    std::int64_t delayNs = 0; // programmed for this packet, from arrival to release
    Fate fate = Fate::Released;
    std::int64_t lateNs = 0; // Released: how long after arrival + delay the verdict was handed to the kernel
};

// Holds each packet of one NFQUEUE queue for its programmed delay, then accepts it. A receiver thread
// reads the queue, stamps each packet (the kernel's receive time where it gives one) and decides its
// delay from the seed; a DueTimeQueue's releasing thread issues each verdict on time. Verdicts go out
// in due order, which with jitter is not the order of arrival.
class DelayQueue
{
public:
    explicit DelayQueue(const DelayOptions &options);
    ~DelayQueue();
    DelayQueue(const DelayQueue &) = delete;
    DelayQueue &operator=(const DelayQueue &) = delete;

    // Binds the queue and configures it; on failure returns false and a sentence.
    bool open(std::string *error);
    void start();
    // Stops both threads and releases at once every packet still held (recorded as flushed).
    void stop();
    // The records completed since the last call.
    std::vector<PacketRecord> takeRecords();
    // Times the kernel could not hand us packets because our socket's buffer was full (ENOBUFS).
    std::uint64_t overruns() const { return m_overruns.load(); }
    // Verdicts the kernel refused (an error message came back).
    std::uint64_t refusedVerdicts() const { return m_refusedVerdicts.load(); }

private:
    struct Held
    {
        std::uint32_t packetId = 0;
        PacketRecord record;
    };

    bool configure(nlmsghdr *message, std::string *error);
    void receiveLoop();
    void handleMessage(const nlmsghdr *message, std::int64_t readRealNs, std::int64_t readMonoNs);
    std::int64_t nextDelayNs();
    void release(Held &held, std::int64_t dueMonoNs);
    bool accept(std::uint32_t packetId);
    void addRecord(PacketRecord record);

    DelayOptions m_options;
    mnl_socket *m_socket = nullptr;
    int m_wakeFd = -1;
    int m_stampFd = -1; // a socket asking for receive timestamps, so the kernel stamps every packet
    unsigned m_configSequence = 0;
    std::uint64_t m_randomState = 0;
    std::uint64_t m_packetCount = 0;
    std::vector<char> m_buffer;
    std::atomic<std::uint64_t> m_overruns{0};
    std::atomic<std::uint64_t> m_refusedVerdicts{0};

    std::mutex m_recordsMutex;
    std::vector<PacketRecord> m_records;

    // No bound of our own: the kernel holds at most queueMaxLength packets for us.
    DueTimeQueue<Held> m_held;

    std::thread m_receiver;
};

} // namespace StreamSwarm::NetLab
