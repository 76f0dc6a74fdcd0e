// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "receivestamps.h"

#include <mutex>

#include <arpa/inet.h>
#include <linux/net_tstamp.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <QDeadlineTimer>
#include <QLoggingCategory>

#include <poll.h>
#include <unistd.h>

#include "agent/platform/packetio.h"

Q_LOGGING_CATEGORY(lcReceiveStamps, "streamswarm.agent.stamps")

namespace StreamSwarm::Agent {

namespace {

constexpr int PROBE_INTERVAL_MS = 1;

struct FileDescriptor
{
    int fd = -1;
    ~FileDescriptor()
    {
        if (fd >= 0)
            ::close(fd);
    }
};

enum class Trial { Stamped, Unstamped, CannotSend };

// Sends one datagram from `sender` to the keeper and reads it back.
Trial roundTrip(int keeper, int sender, const sockaddr_in &address, int waitMs)
{
    const char byte = 's';
    if (::sendto(sender, &byte, 1, 0, reinterpret_cast<const sockaddr *>(&address), sizeof(address)) != 1)
        return Trial::CannotSend; // loopback down in this network namespace
    pollfd readable{keeper, POLLIN, 0};
    if (::poll(&readable, 1, waitMs) <= 0)
        return Trial::Unstamped;
    unsigned char data[16];
    Platform::ReceivedPacket packet;
    if (Platform::receivePacket(keeper, data, sizeof(data), &packet) != Platform::ReadStatus::Read)
        return Trial::Unstamped;
    return packet.stamp.softwareNs != 0 ? Trial::Stamped : Trial::Unstamped;
}

bool startKeeping(std::chrono::milliseconds maxWait)
{
    // Deliberately never closed: closing it would let the kernel switch stamping off again.
    static const int keeper = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (keeper < 0)
        return false;
    const int flags = SOF_TIMESTAMPING_RX_SOFTWARE | SOF_TIMESTAMPING_SOFTWARE;
    if (::setsockopt(keeper, SOL_SOCKET, SO_TIMESTAMPING, &flags, sizeof(flags)) != 0)
        return false;
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof(address);
    if (::bind(keeper, reinterpret_cast<const sockaddr *>(&address), sizeof(address)) != 0
        || ::getsockname(keeper, reinterpret_cast<sockaddr *>(&address), &length) != 0) {
        // No loopback here: stamping is still asked for, it just cannot be confirmed.
        qCDebug(lcReceiveStamps) << "cannot confirm receive stamps: no loopback in this network namespace";
        return false;
    }
    FileDescriptor sender{::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)};
    if (sender.fd < 0)
        return false;
    const QDeadlineTimer deadline(maxWait);
    for (int attempt = 0;; ++attempt) {
        const Trial trial = roundTrip(keeper, sender.fd, address, PROBE_INTERVAL_MS);
        if (trial == Trial::Stamped) {
            qCDebug(lcReceiveStamps) << "receive stamps flow after" << attempt << "unstamped datagram(s)";
            return true;
        }
        if (trial == Trial::CannotSend) {
            qCDebug(lcReceiveStamps) << "cannot confirm receive stamps: loopback is down in this network namespace";
            return false;
        }
        if (deadline.hasExpired())
            break;
        ::usleep(PROBE_INTERVAL_MS * 1000);
    }
    qCDebug(lcReceiveStamps) << "receive stamps did not start within" << maxWait.count() << "ms";
    return false;
}

} // namespace

bool keepReceiveStampsOn(std::chrono::milliseconds maxWait)
{
    static std::once_flag once;
    static bool flowing = false;
    std::call_once(once, [&] { flowing = startKeeping(maxWait); });
    return flowing;
}

} // namespace StreamSwarm::Agent
