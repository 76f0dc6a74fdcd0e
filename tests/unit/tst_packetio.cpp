// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include <cerrno>
#include <cstring>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <QSet>
#include <QTest>

#include <poll.h>
#include <unistd.h>

#include "agent/platform/linux/receivestamps.h"
#include "agent/platform/packetio.h"

using namespace StreamSwarm::Agent;

namespace {

// A UDP socket on 127.0.0.1, closed with the test.
struct UdpSocket
{
    int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    sockaddr_in address{};

    UdpSocket()
    {
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof(address);
        ::bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof(address));
        ::getsockname(fd, reinterpret_cast<sockaddr *>(&address), &length);
    }
    ~UdpSocket() { ::close(fd); }
    Q_DISABLE_COPY_MOVE(UdpSocket)

    const sockaddr *to() const { return reinterpret_cast<const sockaddr *>(&address); }
    bool set(int level, int option, int value) { return ::setsockopt(fd, level, option, &value, sizeof(value)) == 0; }
    bool waitReadable(short events = POLLIN) const
    {
        pollfd readable{fd, events, 0};
        return ::poll(&readable, 1, 2000) == 1;
    }
};

} // namespace

class TestPacketIo : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void packetCarriesWhatTheKernelSaid();
    void truncatedPacketIsFlagged();
    void drainedQueueSaysSo();
    void icmpErrorComesWithItsReporter();
    void transmitStampIsNumbered();
    void sendRetriesAnErrorAnEarlierPacketDrew();
    void sendFailuresSayWhatHappened();
};

void TestPacketIo::initTestCase()
{
    QVERIFY2(keepReceiveStampsOn(), "the kernel's receive stamps could not be confirmed over loopback");
}

void TestPacketIo::packetCarriesWhatTheKernelSaid()
{
    UdpSocket receiver;
    UdpSocket sender;
    QVERIFY(receiver.fd >= 0 && sender.fd >= 0);
    QVERIFY(Platform::enableTimestamping(receiver.fd, false));
    QVERIFY(receiver.set(IPPROTO_IP, IP_RECVTTL, 1));
    QVERIFY(receiver.set(IPPROTO_IP, IP_RECVTOS, 1));
    QVERIFY(sender.set(IPPROTO_IP, IP_TTL, 37));

    // The traffic class given to the send (DSCP 46, EF) arrives with the packet.
    const char payload[] = "streamswarm";
    const qint64 beforeNs = QDateTime::currentMSecsSinceEpoch() * 1'000'000;
    QCOMPARE(
        Platform::sendPacket(sender.fd, payload, sizeof(payload), receiver.to(), sizeof(receiver.address), 46 << 2), 0);
    QVERIFY(receiver.waitReadable());
    unsigned char buffer[64];
    Platform::ReceivedPacket packet;
    QCOMPARE(Platform::receivePacket(receiver.fd, buffer, sizeof(buffer), &packet), Platform::ReadStatus::Read);
    QCOMPARE(packet.length, sizeof(payload));
    QCOMPARE(
        QByteArray(reinterpret_cast<const char *>(buffer), int(packet.length)), QByteArray(payload, sizeof(payload)));
    QVERIFY(!packet.truncated);
    QCOMPARE(packet.hopLimit, 37);
    QCOMPARE(packet.trafficClass, 46 << 2);
    QCOMPARE(packet.source(), QHostAddress(QHostAddress::LocalHost));
    QCOMPARE(ntohs(reinterpret_cast<const sockaddr_in *>(&packet.from)->sin_port), ntohs(sender.address.sin_port));
    // The kernel stamped it on arrival, after we sent and before we read.
    QCOMPARE(packet.stamp.source, TimestampSource::Kernel);
    QVERIFY(packet.stamp.softwareNs >= beforeNs - 1'000'000);
    QVERIFY(packet.stamp.softwareNs <= packet.readRealNs);
    QVERIFY(packet.readMonoNs > 0);
}

void TestPacketIo::truncatedPacketIsFlagged()
{
    UdpSocket receiver;
    UdpSocket sender;
    const QByteArray big(100, 'x');
    QCOMPARE(
        Platform::sendPacket(sender.fd, big.constData(), size_t(big.size()), receiver.to(), sizeof(receiver.address)),
        0);
    QVERIFY(receiver.waitReadable());
    unsigned char buffer[10];
    Platform::ReceivedPacket packet;
    QCOMPARE(Platform::receivePacket(receiver.fd, buffer, sizeof(buffer), &packet), Platform::ReadStatus::Read);
    QVERIFY(packet.truncated);
    QCOMPARE(packet.length, sizeof(buffer));
}

void TestPacketIo::drainedQueueSaysSo()
{
    UdpSocket receiver;
    unsigned char buffer[16];
    Platform::ReceivedPacket packet;
    QCOMPARE(Platform::receivePacket(receiver.fd, buffer, sizeof(buffer), &packet), Platform::ReadStatus::Drained);
    Platform::QueuedError queued;
    QCOMPARE(Platform::receiveQueuedError(receiver.fd, buffer, sizeof(buffer), &queued), Platform::ReadStatus::Drained);
}

void TestPacketIo::icmpErrorComesWithItsReporter()
{
    // A datagram to a port nobody listens on draws an ICMP port unreachable from 127.0.0.1.
    quint16 closedPort = 0;
    {
        UdpSocket gone;
        closedPort = ntohs(gone.address.sin_port);
    }
    UdpSocket sender;
    QVERIFY(sender.set(IPPROTO_IP, IP_RECVERR, 1));
    sockaddr_in to = sender.address;
    to.sin_port = htons(closedPort);
    const char probe[] = "probe-42";
    QCOMPARE(
        Platform::sendPacket(sender.fd, probe, sizeof(probe), reinterpret_cast<const sockaddr *>(&to), sizeof(to)), 0);
    QVERIFY(sender.waitReadable(POLLERR));
    unsigned char quoted[64];
    Platform::QueuedError queued;
    QCOMPARE(Platform::receiveQueuedError(sender.fd, quoted, sizeof(quoted), &queued), Platform::ReadStatus::Read);
    QCOMPARE(queued.origin, Platform::QueuedError::Origin::Icmp);
    QCOMPARE(queued.icmpType, 3); // destination unreachable
    QCOMPARE(queued.icmpCode, 3); // port unreachable
    QCOMPARE(queued.reporter, QHostAddress(QHostAddress::LocalHost));
    QCOMPARE(ntohs(reinterpret_cast<const sockaddr_in *>(&queued.original)->sin_port), closedPort);
    // The error queue hands back what we sent (UDP: the payload).
    QCOMPARE(QByteArray(reinterpret_cast<const char *>(quoted), int(queued.length)), QByteArray(probe, sizeof(probe)));
}

void TestPacketIo::transmitStampIsNumbered()
{
    UdpSocket receiver;
    UdpSocket sender;
    QVERIFY(Platform::enableTimestamping(sender.fd, true));
    const char data[] = "t";
    for (int i = 0; i < 3; ++i)
        QCOMPARE(Platform::sendPacket(sender.fd, data, sizeof(data), receiver.to(), sizeof(receiver.address)), 0);
    QSet<quint32> numbers;
    unsigned char buffer[16];
    for (int reads = 0; reads < 100 && numbers.size() < 3; ++reads) {
        Platform::QueuedError queued;
        if (Platform::receiveQueuedError(sender.fd, buffer, sizeof(buffer), &queued) != Platform::ReadStatus::Read) {
            sender.waitReadable(POLLERR);
            continue;
        }
        QCOMPARE(queued.origin, Platform::QueuedError::Origin::Timestamping);
        QVERIFY(queued.stamp.softwareNs > 0);
        numbers.insert(queued.sendNumber);
    }
    // The kernel numbers a socket's stamped sends from 0 (SOF_TIMESTAMPING_OPT_ID).
    QCOMPARE(numbers, (QSet<quint32>{0, 1, 2}));
}

void TestPacketIo::sendRetriesAnErrorAnEarlierPacketDrew()
{
    // A connected socket learns of the ICMP error its first datagram drew at its next send, which
    // the kernel fails once with ECONNREFUSED. That is news about the past, not about this packet.
    quint16 closedPort = 0;
    {
        UdpSocket gone;
        closedPort = ntohs(gone.address.sin_port);
    }
    UdpSocket sender;
    sockaddr_in to = sender.address;
    to.sin_port = htons(closedPort);
    QCOMPARE(::connect(sender.fd, reinterpret_cast<const sockaddr *>(&to), sizeof(to)), 0);
    QCOMPARE(::send(sender.fd, "a", 1, 0), ssize_t(1));
    QVERIFY(sender.waitReadable(POLLERR));
    // Without the retry, this send fails (the plain call shows the kernel's behaviour).
    {
        UdpSocket witness;
        QCOMPARE(::connect(witness.fd, reinterpret_cast<const sockaddr *>(&to), sizeof(to)), 0);
        QCOMPARE(::send(witness.fd, "a", 1, 0), ssize_t(1));
        QVERIFY(witness.waitReadable(POLLERR));
        errno = 0;
        QCOMPARE(::send(witness.fd, "b", 1, 0), ssize_t(-1));
        QCOMPARE(errno, ECONNREFUSED);
    }
    QCOMPARE(Platform::sendPacket(sender.fd, "b", 1, nullptr, 0), 0);
}

void TestPacketIo::sendFailuresSayWhatHappened()
{
    QSet<QString> texts;
    for (const int code : {ENETUNREACH, EHOSTUNREACH, EACCES, EPERM, EMSGSIZE, EADDRNOTAVAIL, ENOBUFS, EMFILE}) {
        const QString text = Platform::sendFailureText(code);
        QVERIFY(!text.isEmpty());
        QVERIFY2(text.endsWith(u'.'), qPrintable(text));
        texts.insert(text);
    }
    QCOMPARE(texts.size(), 8); // each cause has its own words
    QVERIFY(Platform::sendFailureText(ENETUNREACH).contains(QLatin1String("no route")));
    // Anything else still names the system's reason.
    QVERIFY(Platform::sendFailureText(ENOTSOCK).contains(qt_error_string(ENOTSOCK)));
}

QTEST_GUILESS_MAIN(TestPacketIo)
#include "tst_packetio.moc"
