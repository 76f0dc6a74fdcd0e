// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include <cerrno>
#include <ctime>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <QElapsedTimer>
#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <QUdpSocket>

#include <poll.h>
#include <unistd.h>

#include "agent/stamp/stamppacket.h"
#include "tests/support/processharness.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm::Agent::Stamp;
using namespace StreamSwarm::Test;

namespace {

qint64 realtimeNs()
{
    timespec ts{};
    clock_gettime(CLOCK_REALTIME, &ts);
    return qint64(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

quint16 freeUdpPort()
{
    QUdpSocket socket;
    return socket.bind(QHostAddress::LocalHost, 0) ? socket.localPort() : 0;
}

// A bare session-sender: our own socket, so what we check is only what the agent sent back.
class Sender
{
public:
    explicit Sender(int family)
        : m_family(family)
        , m_fd(::socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0))
    {
        const int on = 1;
        if (family == AF_INET)
            ::setsockopt(m_fd, IPPROTO_IP, IP_RECVTOS, &on, sizeof(on));
        else
            ::setsockopt(m_fd, IPPROTO_IPV6, IPV6_RECVTCLASS, &on, sizeof(on));
    }
    ~Sender() { ::close(m_fd); }
    Q_DISABLE_COPY_MOVE(Sender)

    bool setTos(int tos)
    {
        return family() == AF_INET ? ::setsockopt(m_fd, IPPROTO_IP, IP_TOS, &tos, sizeof(tos)) == 0
                                   : ::setsockopt(m_fd, IPPROTO_IPV6, IPV6_TCLASS, &tos, sizeof(tos)) == 0;
    }

    bool send(const QByteArray &packet, quint16 port)
    {
        sockaddr_storage to{};
        socklen_t length = 0;
        if (m_family == AF_INET) {
            auto *v4 = reinterpret_cast<sockaddr_in *>(&to);
            v4->sin_family = AF_INET;
            v4->sin_port = htons(port);
            v4->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
            length = sizeof(sockaddr_in);
        } else {
            auto *v6 = reinterpret_cast<sockaddr_in6 *>(&to);
            v6->sin6_family = AF_INET6;
            v6->sin6_port = htons(port);
            v6->sin6_addr = in6addr_loopback;
            length = sizeof(sockaddr_in6);
        }
        return ::sendto(m_fd, packet.constData(), size_t(packet.size()), 0, reinterpret_cast<sockaddr *>(&to), length)
            == packet.size();
    }

    // The next reply within timeoutMs, with the TOS byte it arrived with.
    std::optional<std::pair<QByteArray, int>> receive(int timeoutMs)
    {
        pollfd wait{m_fd, POLLIN, 0};
        if (::poll(&wait, 1, timeoutMs) <= 0)
            return std::nullopt;
        char buffer[2048];
        alignas(cmsghdr) char control[128];
        iovec iov{buffer, sizeof(buffer)};
        msghdr message{};
        message.msg_iov = &iov;
        message.msg_iovlen = 1;
        message.msg_control = control;
        message.msg_controllen = sizeof(control);
        const ssize_t length = ::recvmsg(m_fd, &message, 0);
        if (length < 0)
            return std::nullopt;
        int tos = -1;
        for (cmsghdr *c = CMSG_FIRSTHDR(&message); c; c = CMSG_NXTHDR(&message, c)) {
            if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_TOS)
                tos = *reinterpret_cast<const quint8 *>(CMSG_DATA(c));
            else if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_TCLASS)
                std::memcpy(&tos, CMSG_DATA(c), sizeof(tos));
        }
        return std::make_pair(QByteArray(buffer, int(length)), tos);
    }

    int family() const { return m_family; }

private:
    int m_family;
    int m_fd;
};

} // namespace

// The agent as a STAMP reflector (--stamp-port), probed from outside with hand-built packets.
class TestStampReflector final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void reflectsWithTimesTtlAndClass_data();
    void reflectsWithTimesTtlAndClass();
    void ignoresWhatIsNotStamp();
    void limitsTheReplyRate();
    void busyPortIsAClearError();
    void agentToAgentThroughTheConsole();
    void qosTargetsAnAgentByName();
    void cleanupTestCase();

private:
    QTemporaryDir m_dir;
    std::unique_ptr<ConsoleHarness> m_console;
    std::unique_ptr<ManagedProcess> m_agent;
    quint16 m_port = 0;
};

void TestStampReflector::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_console = std::make_unique<ConsoleHarness>(m_dir.filePath(u"console"_s));
    QVERIFY2(m_console->start(), qPrintable(m_console->process().output()));
    const CommandResult token = m_console->cli({u"token"_s, u"create"_s, u"stamp"_s});
    QCOMPARE(token.exitCode, 0);
    m_port = freeUdpPort();
    QVERIFY(m_port);
    m_agent = std::make_unique<ManagedProcess>(agentBinary(),
        QStringList{u"--server"_s, m_console->serverUrl(), u"--insecure"_s, u"--name"_s, u"reflector"_s,
            u"--state-dir"_s, m_dir.filePath(u"agent"_s), u"--token"_s, token.out.trimmed(), u"--stamp-port"_s,
            QString::number(m_port)});
    QVERIFY(m_agent->start());
    QVERIFY2(m_agent->waitForOutput(u"STAMP reflector answering on UDP port %1"_s.arg(m_port), 10000),
        qPrintable(m_agent->output()));
}

void TestStampReflector::reflectsWithTimesTtlAndClass_data()
{
    QTest::addColumn<int>("family");
    QTest::addColumn<int>("sentTos");
    QTest::addColumn<int>("askedDscp");
    QTest::newRow("IPv4, EF asked back") << int(AF_INET) << 0xb8 << 46;
    QTest::newRow("IPv4, AF41 sent, CS1 asked back") << int(AF_INET) << 0x88 << 8;
    QTest::newRow("IPv6, EF asked back") << int(AF_INET6) << 0xb8 << 46;
}

void TestStampReflector::reflectsWithTimesTtlAndClass()
{
    QFETCH(int, family);
    QFETCH(int, sentTos);
    QFETCH(int, askedDscp);
    Sender sender(family);
    QVERIFY(sender.setTos(sentTos));
    for (quint32 seq = 1; seq <= 20; ++seq) {
        SenderPacket test;
        test.seq = seq;
        test.errorEstimate = encodeErrorEstimate(1000, true);
        test.ssid = 0x5353;
        test.setClassOfService({quint8(askedDscp), 0, 0, 0, 0});
        test.tlvs.append({0, 222, "hello"});
        const qint64 t1 = realtimeNs();
        test.timestamp = ntpFromUnixNs(t1);
        QVERIFY(sender.send(test.encode(), m_port));
        const auto received = sender.receive(2000);
        const qint64 t4 = realtimeNs();
        QVERIFY2(received, "no reply within 2 s");
        QCOMPARE(received->first.size(), test.encode().size()); // as long as the test packet
        const auto reply = ReflectorPacket::decode(received->first);
        QVERIFY(reply);
        QCOMPARE(reply->senderSeq, seq);
        QCOMPARE(reply->senderTimestamp, test.timestamp);
        QCOMPARE(reply->senderErrorEstimate, test.errorEstimate);
        QCOMPARE(reply->ssid, quint16(0x5353));
        QCOMPARE(reply->senderTtl, quint8(64)); // Linux's default TTL and hop limit, not decremented on loopback
        // Same host, same clock: T1 <= T2 <= T3 <= T4 (to within the 0.23 ns of an NTP fraction).
        const qint64 t2 = unixNsFromNtp(reply->receiveTimestamp);
        const qint64 t3 = unixNsFromNtp(reply->timestamp);
        QVERIFY2(t1 <= t2 + 1 && t2 <= t3 + 1 && t3 <= t4 + 1,
            qPrintable(u"T1 %1, T2 +%2 ns, T3 +%3 ns, T4 +%4 ns"_s.arg(t1).arg(t2 - t1).arg(t3 - t1).arg(t4 - t1)));
        const auto cos = reply->classOfService();
        QVERIFY(cos);
        QCOMPARE(int(cos->dscp2), sentTos >> 2); // what the reflector received
        QCOMPARE(int(cos->dscp1), askedDscp);
        QCOMPARE(received->second, askedDscp << 2); // and the reply travelled with the class asked for
        QCOMPARE(reply->tlvs.at(1).flags, Tlv::FLAG_UNRECOGNIZED);
        QCOMPARE(reply->tlvs.at(1).value, QByteArray("hello"));
        if (seq > 1)
            QVERIFY(reply->seq > 0); // the reflector numbers its own replies
    }
}

void TestStampReflector::ignoresWhatIsNotStamp()
{
    Sender sender(AF_INET);
    QVERIFY(sender.send("not stamp", m_port));
    QVERIFY(sender.send(QByteArray(43, 'x'), m_port));
    QVERIFY(!sender.receive(300));
    // And it still answers a real one.
    SenderPacket test;
    test.seq = 77;
    QVERIFY(sender.send(test.encode(), m_port));
    const auto received = sender.receive(2000);
    QVERIFY(received);
    QCOMPARE(ReflectorPacket::decode(received->first)->senderSeq, quint32(77));
    QVERIFY(m_agent->isRunning());
}

void TestStampReflector::limitsTheReplyRate()
{
    // 20,000 packets a second for 2 s, in bursts of 100 every 5 ms (so the socket buffers never
    // overflow): the reflector answers at most 5,000 a second after its first 5,000, and lives on.
    Sender sender(AF_INET);
    SenderPacket test;
    QElapsedTimer sending;
    sending.start();
    int sent = 0;
    int replies = 0;
    while (sending.elapsed() < 2000) {
        for (int i = 0; i < 100; ++i) {
            test.seq = quint32(sent++);
            sender.send(test.encode(), m_port);
        }
        QElapsedTimer burst;
        burst.start();
        while (burst.elapsed() < 5) {
            if (sender.receive(1))
                ++replies;
        }
    }
    while (sender.receive(200))
        ++replies;
    const double seconds = double(sending.elapsed()) / 1000.0;
    const double allowed = 5000.0 * seconds + 5000 + 100;
    qInfo() << "sent" << sent << "in" << seconds << "s, got" << replies << "replies; the limit allows" << allowed;
    QVERIFY2(replies <= allowed, qPrintable(u"%1 replies, at most %2 allowed"_s.arg(replies).arg(allowed)));
    QVERIFY2(replies >= 0.8 * 5000.0 * seconds, "the reflector answered far fewer than its limit");
    QVERIFY(m_agent->isRunning());
}

void TestStampReflector::busyPortIsAClearError()
{
    QUdpSocket holder;
    QVERIFY(holder.bind(QHostAddress::Any, 0));
    const CommandResult result = runCommand(agentBinary(),
        {u"--server"_s, m_console->serverUrl(), u"--insecure"_s, u"--name"_s, u"second"_s, u"--state-dir"_s,
            m_dir.filePath(u"second"_s), u"--token"_s, u"sse_0000000000000000_x"_s, u"--stamp-port"_s,
            QString::number(holder.localPort())},
        10000);
    QCOMPARE(result.exitCode, 1);
    QVERIFY2(result.err.contains(u"Cannot listen for STAMP on UDP port %1"_s.arg(holder.localPort())),
        qPrintable(result.err));
    const CommandResult badPort = runCommand(
        agentBinary(), {u"--server"_s, m_console->serverUrl(), u"--insecure"_s, u"--stamp-port"_s, u"70000"_s}, 10000);
    QCOMPARE(badPort.exitCode, 2); // a usage error
    QVERIFY2(badPort.err.contains(u"is not a UDP port number"_s), qPrintable(badPort.err));
}

void TestStampReflector::agentToAgentThroughTheConsole()
{
    // A second agent measures the path to the first with a qos test made on the command line.
    const CommandResult token = m_console->cli({u"token"_s, u"create"_s, u"sender"_s});
    QCOMPARE(token.exitCode, 0);
    ManagedProcess sender(agentBinary(),
        {u"--server"_s, m_console->serverUrl(), u"--insecure"_s, u"--name"_s, u"sender"_s, u"--state-dir"_s,
            m_dir.filePath(u"sender"_s), u"--token"_s, token.out.trimmed()});
    QVERIFY(sender.start());
    QVERIFY(sender.waitForOutput(u"online as sender"_s, 10000));
    const CommandResult added = m_console->cli({u"test"_s, u"add"_s, u"--name"_s, u"to-reflector"_s, u"--type"_s,
        u"qos"_s, u"--target"_s, u"127.0.0.1"_s, u"--interval"_s, u"1s"_s, u"--duration"_s, u"30s"_s, u"--agents"_s,
        u"sender"_s, u"--param"_s, u"port=%1"_s.arg(m_port), u"--param"_s, u"classes=ef,be"_s});
    QVERIFY2(added.exitCode == 0, qPrintable(added.err));
    QString csv;
    QTRY_VERIFY_WITH_TIMEOUT(
        (csv = m_console->cli({u"export"_s, u"--format"_s, u"csv"_s, u"--test"_s, u"to-reflector"_s}).out)
                .contains(u"qos.ef.rtt_median_ms"_s)
            && csv.contains(u"qos.be.dscp_kept,1"_s),
        15000);
    QVERIFY2(csv.contains(u"qos.ef.dscp_kept,1"_s), qPrintable(csv.left(2000)));
    QVERIFY2(csv.contains(u"qos.ef.loss_pct,0"_s), qPrintable(csv.left(2000)));
}

void TestStampReflector::qosTargetsAnAgentByName()
{
    // A third agent measures to the reflector named as agent:reflector. The console puts in the
    // address the reflector's connection comes from (127.0.0.1 here: the truth is where we started
    // it), takes the test away while the reflector is offline and gives it back when it returns.
    const CommandResult token = m_console->cli({u"token"_s, u"create"_s, u"measurer"_s});
    QCOMPARE(token.exitCode, 0);
    ManagedProcess measurer(agentBinary(),
        {u"--server"_s, m_console->serverUrl(), u"--insecure"_s, u"--name"_s, u"measurer"_s, u"--state-dir"_s,
            m_dir.filePath(u"measurer"_s), u"--token"_s, token.out.trimmed()});
    QVERIFY(measurer.start());
    QVERIFY(measurer.waitForOutput(u"online as measurer"_s, 10000));
    const auto addTest = [&](const QString &name, const QString &target) {
        return m_console->cli({u"test"_s, u"add"_s, u"--name"_s, name, u"--type"_s, u"qos"_s, u"--target"_s, target,
            u"--interval"_s, u"1s"_s, u"--continuous"_s, u"--agents"_s, u"measurer"_s, u"--param"_s,
            u"port=%1"_s.arg(m_port), u"--param"_s, u"classes=ef,be"_s});
    };

    const CommandResult unknown = addTest(u"to-nobody"_s, u"agent:nobody"_s);
    QCOMPARE(unknown.exitCode, 1);
    QVERIFY2(unknown.err.contains(u"There is no agent named \"nobody\" to measure to"_s), qPrintable(unknown.err));

    const CommandResult added = addTest(u"by-name"_s, u"agent:reflector"_s);
    QVERIFY2(added.exitCode == 0, qPrintable(added.err));
    QVERIFY2(!added.err.contains(u"not connected"_s), qPrintable(added.err)); // the reflector is online
    QVERIFY2(measurer.waitForOutput(u"started test by-name ( qos 127.0.0.1 "_s, 10000), qPrintable(measurer.output()));
    const auto rows = [this](const QString &metric) {
        const QString csv = m_console->cli({u"export"_s, u"--format"_s, u"csv"_s, u"--test"_s, u"by-name"_s}).out;
        return int(csv.count(u",measurer,by-name,"_s + metric + u','));
    };
    // The samples are in the console's SQLite file (export reads it), per direction too.
    QTRY_VERIFY_WITH_TIMEOUT(rows(u"qos.ef.rtt_median_ms"_s) >= 2, 15000);
    QVERIFY(rows(u"qos.ef.fwd_jitter_ms"_s) >= 1);
    QVERIFY(rows(u"qos.be.bwd_duplicates"_s) >= 1);

    // The reflector goes away: the test waits, and the event log says why.
    m_agent->terminate();
    QVERIFY(m_agent->waitForExit(10000));
    QVERIFY2(measurer.waitForOutput(u"stopped test by-name"_s, 10000), qPrintable(measurer.output()));
    QString events;
    QTRY_VERIFY_WITH_TIMEOUT((events = m_console->cli({u"event"_s, u"list"_s}).out)
                                 .contains(u"Test \"by-name\" is waiting: its target agent \"reflector\" is not "
                                           "connected."_s),
        10000);
    const CommandResult whileAway = addTest(u"by-name-later"_s, u"agent:reflector"_s);
    QCOMPARE(whileAway.exitCode, 0);
    QVERIFY2(whileAway.err.contains(u"The agent \"reflector\" is not connected now; the test waits until it "
                                    "connects."_s),
        qPrintable(whileAway.err));
    const int before = rows(u"qos.ef.rtt_median_ms"_s);

    // It comes back (its credential is in its state dir): the test runs again with its address.
    m_agent = std::make_unique<ManagedProcess>(agentBinary(),
        QStringList{u"--server"_s, m_console->serverUrl(), u"--insecure"_s, u"--name"_s, u"reflector"_s,
            u"--state-dir"_s, m_dir.filePath(u"agent"_s), u"--stamp-port"_s, QString::number(m_port)});
    QVERIFY(m_agent->start());
    QTRY_VERIFY_WITH_TIMEOUT(measurer.output().count(u"started test by-name ( qos 127.0.0.1 "_s) == 2, 15000);
    QTRY_VERIFY_WITH_TIMEOUT((events = m_console->cli({u"event"_s, u"list"_s}).out)
                                 .contains(u"Test \"by-name\" runs again: its target agent \"reflector\" is "
                                           "connected from 127.0.0.1."_s),
        10000);
    // Its return names the host it says it is and the address its connection comes from.
    QVERIFY2(events.contains(QRegularExpression(u"Agent connected from \\S+ \\(127\\.0\\.0\\.1\\)\\."_s)),
        qPrintable(events));
    QTRY_VERIFY_WITH_TIMEOUT(rows(u"qos.ef.rtt_median_ms"_s) >= before + 2, 15000);
    QCOMPARE(m_console->cli({u"test"_s, u"stop"_s, u"by-name"_s}).exitCode, 0);
    QCOMPARE(m_console->cli({u"test"_s, u"stop"_s, u"by-name-later"_s}).exitCode, 0);
}

void TestStampReflector::cleanupTestCase()
{
    m_agent.reset();
    m_console.reset();
}

QTEST_GUILESS_MAIN(TestStampReflector)
#include "tst_stampreflector.moc"
