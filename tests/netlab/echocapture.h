// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <thread>

#include <QList>
#include <QString>

namespace StreamSwarm::NetLab {

// One ICMP echo as the wire saw it: when the request left and its reply came in, kernel-stamped on
// the interface (wall-clock ns); replyNs is 0 when no reply came.
struct WireEcho
{
    std::uint16_t id = 0;
    std::uint16_t sequence = 0;
    std::int64_t requestNs = 0;
    std::int64_t replyNs = 0;
    bool answered() const { return replyNs > 0; }
    double rttMs() const { return double(replyNs - requestNs) / 1e6; }
};

// The lab's witness on the wire: a packet socket on one interface of the calling thread's namespace
// records every ICMP / ICMPv6 echo that leaves and every reply that comes in, with the kernel's stamps.
// It sees what really happened between the two ends, whatever slowed either of them down, and it shares
// no code with the agent's probes: a truth for RTTs and jitter beside the responder's own.
class EchoCapture
{
public:
    EchoCapture() = default;
    ~EchoCapture();
    EchoCapture(const EchoCapture &) = delete;
    EchoCapture &operator=(const EchoCapture &) = delete;

    // Starts listening on interface (needs CAP_NET_RAW); false and *error when it cannot.
    bool start(const QString &interface, QString *error);
    // Stops listening; what was seen stays. Waits for the listener (at most its poll period).
    void stop();
    // Every echo request seen, in the order they left.
    QList<WireEcho> echoes() const;

private:
    void listen();
    void record(const unsigned char *packet, std::size_t length, bool outgoing, std::int64_t stampNs);

    int m_fd = -1;
    std::thread m_listener;
    std::atomic<bool> m_stopping{false};
    mutable std::mutex m_mutex;
    std::map<std::uint32_t, WireEcho> m_echoes; // by id << 16 | sequence
};

} // namespace StreamSwarm::NetLab
