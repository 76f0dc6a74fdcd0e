// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include <cstring>

#include <arpa/inet.h>
#include <linux/errqueue.h>
#include <linux/net_tstamp.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <QElapsedTimer>
#include <QTest>

#include <poll.h>
#include <unistd.h>

#include "agent/platform/linux/receivestamps.h"

using namespace StreamSwarm;

namespace {

// A socket that asks for receive stamps, opened after the call, reading its very first datagram:
// true when the kernel stamped it.
bool firstDatagramIsStamped()
{
    const int receiver = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    const int sender = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof(address);
    const int flags = SOF_TIMESTAMPING_RX_SOFTWARE | SOF_TIMESTAMPING_SOFTWARE;
    bool stamped = false;
    if (receiver >= 0 && sender >= 0 && ::bind(receiver, reinterpret_cast<sockaddr *>(&address), sizeof(address)) == 0
        && ::getsockname(receiver, reinterpret_cast<sockaddr *>(&address), &length) == 0
        && ::setsockopt(receiver, SOL_SOCKET, SO_TIMESTAMPING, &flags, sizeof(flags)) == 0
        && ::sendto(sender, "x", 1, 0, reinterpret_cast<sockaddr *>(&address), sizeof(address)) == 1) {
        pollfd readable{receiver, POLLIN, 0};
        char data[8];
        iovec iov{data, sizeof(data)};
        alignas(cmsghdr) char control[CMSG_SPACE(sizeof(scm_timestamping)) + 64];
        msghdr message{};
        message.msg_iov = &iov;
        message.msg_iovlen = 1;
        message.msg_control = control;
        message.msg_controllen = sizeof(control);
        if (::poll(&readable, 1, 1000) == 1 && ::recvmsg(receiver, &message, 0) == 1) {
            for (cmsghdr *c = CMSG_FIRSTHDR(&message); c; c = CMSG_NXTHDR(&message, c)) {
                if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPING) {
                    scm_timestamping stamps{};
                    std::memcpy(&stamps, CMSG_DATA(c), sizeof(stamps));
                    stamped = stamps.ts[0].tv_sec != 0 || stamps.ts[0].tv_nsec != 0;
                }
            }
        }
    }
    ::close(receiver);
    ::close(sender);
    return stamped;
}

} // namespace

class TestReceiveStamps : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void everyNewSocketsFirstAnswerIsStamped();
    void laterCallsAnswerAtOnce();
};

// The kernel turns receive stamping on a moment after the first socket asks; without the keeper, a
// probe's first answers can arrive unstamped (a whole traceroute round, under load).
void TestReceiveStamps::everyNewSocketsFirstAnswerIsStamped()
{
    QVERIFY2(Agent::keepReceiveStampsOn(), "receive stamps did not start flowing over loopback");
    for (int i = 0; i < 50; ++i)
        QVERIFY2(
            firstDatagramIsStamped(), qPrintable(QStringLiteral("socket %1's first datagram had no stamp").arg(i)));
}

void TestReceiveStamps::laterCallsAnswerAtOnce()
{
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < 1000; ++i)
        QVERIFY(Agent::keepReceiveStampsOn());
    QVERIFY2(timer.elapsed() < 100, qPrintable(QStringLiteral("1000 later calls took %1 ms").arg(timer.elapsed())));
}

QTEST_GUILESS_MAIN(TestReceiveStamps)
#include "tst_receivestamps.moc"
