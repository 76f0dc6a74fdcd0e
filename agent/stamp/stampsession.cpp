// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "stampsession.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <ctime>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <QSocketNotifier>

#include <unistd.h>

#include "agent/platform/packetio.h"
#include "agent/probes/socketsupport.h"
#include "agent/stamp/stamppacket.h"

namespace StreamSwarm::Agent {

namespace {

constexpr int MAX_READS_PER_WAKEUP = 256;
// Reflections kept per test packet sent at most: duplicates beyond that are a broken or hostile
// reflector, not a path, and must not grow our memory.
constexpr int MAX_ARRIVALS_PER_PACKET = 4;
// An Extra Padding TLV's own header (RFC 8972 section 4.2).
constexpr int TLV_HEADER_BYTES = 4;

double ms(qint64 ns)
{
    return double(ns) / 1e6;
}

// A test packet without padding: STAMP's base and the Class of Service TLV, the same for every stream.
int unpaddedBytes()
{
    Stamp::SenderPacket packet;
    packet.setClassOfService({});
    return int(packet.encode().size());
}

} // namespace

StampSession::StampSession(Settings settings, QObject *parent)
    : QObject(parent)
    , m_settings(std::move(settings))
    , m_address(m_settings.target)
    , m_stampNumbers(qsizetype(m_settings.dscps.size()) * m_settings.count) // one round's sends
    , m_statistics(size_t(m_settings.dscps.size()))
{
    // As long as asked (a codec's packets; the reflector answers as long), when that is long enough
    // for an Extra Padding TLV; otherwise as short as STAMP allows.
    const int unpadded = unpaddedBytes();
    m_paddingBytes = m_settings.packetBytes - unpadded - TLV_HEADER_BYTES;
    m_packetBytes = m_paddingBytes >= 0 ? m_settings.packetBytes : unpadded;
    m_sendTimer.setTimerType(Qt::PreciseTimer);
    m_sendTimer.setInterval(int(m_settings.spacingMs));
    connect(&m_sendTimer, &QTimer::timeout, this, &StampSession::sendNext);
    m_waitTimer.setSingleShot(true);
    m_waitTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_waitTimer, &QTimer::timeout, this, &StampSession::finishRound);
}

StampSession::~StampSession()
{
    m_notifier.reset();
    if (m_fd >= 0)
        ::close(m_fd);
}

bool StampSession::ensureSocket(QString *error)
{
    if (m_fd >= 0)
        return true;
    if (m_address.isNull()) {
        *error = tr("The target \"%1\" is not an IP address; it must be a STAMP reflector's address (the "
                    "console puts in the address of an agent named as agent:NAME).")
                     .arg(m_settings.target.left(80));
        return false;
    }
    const bool v6 = m_address.protocol() == QAbstractSocket::IPv6Protocol;
    m_fd = ::socket(v6 ? AF_INET6 : AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (m_fd < 0) {
        *error = tr("Cannot open a UDP socket: %1.").arg(qt_error_string(errno));
        return false;
    }
    const int on = 1;
    // Kernel stamps on receive and, numbered per send, on transmit: neither our wake-up nor our send
    // system call then counts as delay. Falls back to receive stamps alone.
    m_transmitStamps = Platform::enableTimestamping(m_fd, true);
    m_stampNumbers.restart();
    if (v6)
        ::setsockopt(m_fd, IPPROTO_IPV6, IPV6_RECVTCLASS, &on, sizeof(on));
    else
        ::setsockopt(m_fd, IPPROTO_IP, IP_RECVTOS, &on, sizeof(on));
    sockaddr_storage to{};
    socklen_t length = 0;
    Sockets::fillAddress(m_address, quint16(m_settings.port), &to, &length);
    // Connected: only the reflector's answers reach us, and ICMP errors show as send errors.
    if (::connect(m_fd, reinterpret_cast<sockaddr *>(&to), length) != 0) {
        *error = tr("Cannot reach %1: %2.").arg(m_settings.target, qt_error_string(errno));
        ::close(m_fd);
        m_fd = -1;
        return false;
    }
    m_notifier = std::make_unique<QSocketNotifier>(m_fd, QSocketNotifier::Read);
    connect(m_notifier.get(), &QSocketNotifier::activated, this, &StampSession::handleReadable);
    return true;
}

void StampSession::startRound()
{
    if (m_roundRunning)
        finishRound();
    m_roundRunning = true;
    m_sentThisRound = 0;
    m_sent.clear();
    m_arrivals.clear();
    m_stampNumbers.forget();
    m_roundError.clear();
    m_clock = ClockState::read();
    m_clockEstimate = Stamp::encodeErrorEstimate(std::max<qint64>(m_clock.errorNs, 1000), m_clock.synchronised);
    if (!ensureSocket(&m_roundError)) {
        QTimer::singleShot(0, this, &StampSession::finishRound);
        return;
    }
    sendNext();
    m_sendTimer.start();
}

void StampSession::sendNext()
{
    const int streams = int(m_settings.dscps.size());
    const int total = streams * m_settings.count;
    if (!m_roundRunning || m_sentThisRound >= total) {
        m_sendTimer.stop();
        return;
    }
    // Streams interleaved, so each sees the same conditions at the same moments.
    const int stream = m_sentThisRound % streams;
    const int dscp = m_settings.dscps.at(stream);
    Stamp::SenderPacket packet;
    packet.seq = m_nextSeq++;
    // One STAMP session per stream: the reflector numbers each on its own, which tells back-path
    // losses from forward ones per stream.
    packet.ssid = quint16(((m_settings.sessionBase << 5) + stream) & 0xffff);
    packet.setClassOfService({quint8(dscp), 0, 0, 0, 0});
    const int tos = dscp << 2;
    const bool v6 = m_address.protocol() == QAbstractSocket::IPv6Protocol;
    if (v6)
        ::setsockopt(m_fd, IPPROTO_IPV6, IPV6_TCLASS, &tos, sizeof(tos));
    else
        ::setsockopt(m_fd, IPPROTO_IP, IP_TOS, &tos, sizeof(tos));
    const qint64 t1 = Sockets::nowNs(CLOCK_REALTIME);
    packet.timestamp = Stamp::ntpFromUnixNs(t1);
    packet.errorEstimate = m_clockEstimate;
    if (m_paddingBytes >= 0)
        packet.tlvs.append({0, Stamp::Tlv::TYPE_EXTRA_PADDING, QByteArray(m_paddingBytes, '\0')});
    const QByteArray bytes = packet.encode();
    if (const int code = Platform::sendPacket(m_fd, bytes.constData(), size_t(bytes.size()), nullptr, 0)) {
        if (m_roundError.isEmpty())
            m_roundError = tr("Cannot send to %1: %2").arg(m_settings.target, Platform::sendFailureText(code));
    } else if (m_transmitStamps) {
        m_stampNumbers.sent(packet.seq);
    }
    m_sent[packet.seq] = {stream, t1, {}};
    ++m_sentThisRound;
    if (m_sentThisRound >= total) {
        m_sendTimer.stop();
        m_waitTimer.start(int(m_settings.timeoutMs));
    }
}

void StampSession::handleReadable()
{
    readTransmitStamps();
    readReplies();
}

void StampSession::readTransmitStamps()
{
    if (!m_transmitStamps)
        return;
    unsigned char payload[64]; // OPT_TSONLY: normally nothing comes back but the stamp
    Platform::QueuedError queued;
    for (int i = 0; i < MAX_READS_PER_WAKEUP
         && Platform::receiveQueuedError(m_fd, payload, sizeof(payload), &queued) == Platform::ReadStatus::Read;
         ++i) {
        if (queued.origin != Platform::QueuedError::Origin::Timestamping || queued.stamp.ns == 0)
            continue;
        const std::optional<quint32> seq = m_stampNumbers.find(queued.sendNumber);
        if (!seq)
            continue;
        if (const auto sent = m_sent.find(*seq); sent != m_sent.end())
            sent->second.transmit.merge(queued.stamp);
    }
}

void StampSession::readReplies()
{
    const size_t maxArrivals = MAX_ARRIVALS_PER_PACKET * std::max<size_t>(m_sent.size(), 1);
    for (int i = 0; i < MAX_READS_PER_WAKEUP; ++i) {
        unsigned char buffer[Stamp::MAX_PACKET_BYTES + 1];
        Platform::ReceivedPacket packet;
        const Platform::ReadStatus status = Platform::receivePacket(m_fd, buffer, sizeof(buffer), &packet);
        if (status == Platform::ReadStatus::Drained)
            return;
        if (status == Platform::ReadStatus::Failed)
            continue; // the reflector's host refused a packet (ICMP, reported once): the next may pass
        Arrival arrival;
        arrival.readNs = packet.readRealNs;
        arrival.receive = packet.stamp;
        if (packet.trafficClass >= 0)
            arrival.dscpBack = packet.trafficClass >> 2;
        const int length = int(packet.length);
        const auto reply = Stamp::ReflectorPacket::decode(QByteArray(reinterpret_cast<const char *>(buffer), length));
        if (!reply || !m_sent.count(reply->senderSeq) || m_arrivals.size() >= maxArrivals)
            continue; // not STAMP, from an earlier round, or a flood
        arrival.senderSeq = reply->senderSeq;
        arrival.reflectorSeq = reply->seq;
        arrival.t2Ns = Stamp::unixNsFromNtp(reply->receiveTimestamp);
        arrival.t3Ns = Stamp::unixNsFromNtp(reply->timestamp);
        arrival.reflectorEstimate = reply->errorEstimate;
        arrival.senderEstimate = reply->senderErrorEstimate;
        if (const auto cos = reply->classOfService())
            arrival.dscpAtReflector = cos->dscp2;
        m_arrivals.push_back(arrival);
    }
}

void StampSession::finishRound()
{
    if (!m_roundRunning)
        return;
    m_roundRunning = false;
    m_sendTimer.stop();
    m_waitTimer.stop();
    if (m_fd >= 0)
        handleReadable(); // whatever arrived at the last moment
    workOutStreams();
    if (m_roundError.isEmpty() && m_arrivals.empty() && !m_sent.empty())
        m_roundError = tr("No answer from a STAMP reflector at %1 port %2 in this round.")
                           .arg(m_settings.target)
                           .arg(m_settings.port);
    Q_EMIT roundFinished();
}

void StampSession::workOutStreams()
{
    for (StampStatistics &statistics : m_statistics)
        statistics.startRound();
    for (const auto &[seq, sent] : m_sent)
        m_statistics[size_t(sent.stream)].addSent(seq);
    m_streams.assign(m_statistics.size(), Stream{});
    m_tally = {};
    for (const Arrival &arrival : m_arrivals) {
        const Sent &sent = m_sent.at(arrival.senderSeq);
        // The best stamps on CLOCK_REALTIME, which the reflector's T2 and T3 are on too: the kernel's
        // transmit stamp (when it lies between our send and the reply) and receive stamp, else ours.
        StampStatistics::Reflection reflection;
        reflection.senderSeq = arrival.senderSeq;
        reflection.reflectorSeq = arrival.reflectorSeq;
        reflection.t2Ns = arrival.t2Ns;
        reflection.t3Ns = arrival.t3Ns;
        const bool kernelReceive = arrival.receive.softwareNs != 0;
        reflection.t4Ns = kernelReceive ? arrival.receive.softwareNs : arrival.readNs;
        const qint64 kernelSend = sent.transmit.softwareNs;
        const bool useKernelSend = kernelSend >= sent.t1Ns && kernelSend <= reflection.t4Ns;
        reflection.t1Ns = useKernelSend ? kernelSend : sent.t1Ns;
        TimestampSource source = weakerSource(useKernelSend ? TimestampSource::Kernel : TimestampSource::User,
            kernelReceive ? TimestampSource::Kernel : TimestampSource::User);
        // Where the NIC stamped both ends, its own clock times our side of the exchange.
        const qint64 hardwareSpan = arrival.receive.hardwareNs - sent.transmit.hardwareNs;
        if (sent.transmit.hardwareNs && arrival.receive.hardwareNs && hardwareSpan >= 0
            && hardwareSpan <= arrival.readNs - sent.t1Ns) {
            reflection.localSpanNs = hardwareSpan;
            source = TimestampSource::Hardware;
        }
        auto &statistics = m_statistics[size_t(sent.stream)];
        if (statistics.addReflection(reflection) != StampStatistics::Arrival::First)
            continue;
        m_tally.add(source);
        Stream &f = m_streams[size_t(sent.stream)];
        const int dscp = m_settings.dscps.at(sent.stream);
        f.markingKeptThere = f.markingKeptThere && arrival.dscpAtReflector == dscp;
        f.markingKeptBack = f.markingKeptBack && arrival.dscpBack == dscp;
        // One-way figures only where both clocks vouch for an error below the figure itself.
        const qint64 fwd = reflection.t2Ns - reflection.t1Ns;
        const qint64 bwd = reflection.t4Ns - reflection.t3Ns;
        const qint64 errorNs = Stamp::errorNsFromEstimate(arrival.reflectorEstimate)
            + Stamp::errorNsFromEstimate(arrival.senderEstimate);
        if (!Stamp::isSynchronised(arrival.senderEstimate)) {
            f.oneWayLeftOutBecause = tr("this agent's clock is not synchronised (NTP or PTP)");
        } else if (!Stamp::isSynchronised(arrival.reflectorEstimate)) {
            f.oneWayLeftOutBecause = tr("the reflector's clock is not synchronised (NTP or PTP)");
        } else if (errorNs >= std::abs(fwd) || errorNs >= std::abs(bwd)) {
            f.oneWayLeftOutBecause = tr("the two clocks may be off by up to %1 ms together, more than the "
                                        "one-way delays")
                                         .arg(ms(errorNs), 0, 'f', 3);
        } else {
            f.forwardMs.push_back(ms(fwd));
            f.backwardMs.push_back(ms(bwd));
            continue;
        }
        f.clocksSynchronised = false;
    }
    for (size_t s = 0; s < m_statistics.size(); ++s) {
        m_statistics[s].finishRound();
        m_streams[s].statistics = &m_statistics[s];
    }
}

} // namespace StreamSwarm::Agent
