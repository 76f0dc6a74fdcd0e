// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "qosprobe.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <ctime>

#include <arpa/inet.h>
#include <linux/errqueue.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <QSocketNotifier>

#include <unistd.h>

#include "agent/platform/linux/clockstate.h"
#include "agent/platform/packetio.h"
#include "agent/probes/probefactory.h"
#include "agent/probes/socketsupport.h"
#include "agent/stamp/stamppacket.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Agent {

namespace {

constexpr int MAX_READS_PER_WAKEUP = 256;
// Reflections kept per test packet sent at most: duplicates beyond that are a broken or hostile
// reflector, not a path, and must not grow our memory.
constexpr int MAX_ARRIVALS_PER_PACKET = 4;

double ms(qint64 ns)
{
    return double(ns) / 1e6;
}

double median(std::vector<double> values)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    const size_t middle = values.size() / 2;
    return values.size() % 2 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
}

} // namespace

QosProbe::QosProbe(const Protocol::TestSpec &spec, Params params, QObject *parent)
    : Probe(parent)
    , m_spec(spec)
    , m_params(std::move(params))
    , m_address(spec.target)
    , m_stampNumbers(qsizetype(m_params.classes.size()) * m_params.count) // one round's sends
    , m_statistics(size_t(m_params.classes.size()))
{
    m_sendTimer.setTimerType(Qt::PreciseTimer);
    m_sendTimer.setInterval(int(m_params.spacingMs));
    connect(&m_sendTimer, &QTimer::timeout, this, &QosProbe::sendNext);
    m_waitTimer.setSingleShot(true);
    m_waitTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_waitTimer, &QTimer::timeout, this, &QosProbe::finishRound);
}

QosProbe::~QosProbe()
{
    m_notifier.reset();
    if (m_fd >= 0)
        ::close(m_fd);
}

bool QosProbe::ensureSocket(QString *error)
{
    if (m_fd >= 0)
        return true;
    if (m_address.isNull()) {
        *error = tr("The qos target \"%1\" is not an IP address; it must be a STAMP reflector's address (the "
                    "console puts in the address of an agent named as agent:NAME).")
                     .arg(m_spec.target.left(80));
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
    Sockets::fillAddress(m_address, quint16(m_params.port), &to, &length);
    // Connected: only the reflector's answers reach us, and ICMP errors show as send errors.
    if (::connect(m_fd, reinterpret_cast<sockaddr *>(&to), length) != 0) {
        *error = tr("Cannot reach %1: %2.").arg(m_spec.target, qt_error_string(errno));
        ::close(m_fd);
        m_fd = -1;
        return false;
    }
    m_notifier = std::make_unique<QSocketNotifier>(m_fd, QSocketNotifier::Read);
    connect(m_notifier.get(), &QSocketNotifier::activated, this, &QosProbe::handleReadable);
    return true;
}

void QosProbe::startRound(qint64 roundTimeMs)
{
    if (m_roundRunning)
        finishRound();
    m_roundRunning = true;
    m_roundTimeMs = roundTimeMs;
    m_sentThisRound = 0;
    m_sent.clear();
    m_arrivals.clear();
    m_stampNumbers.forget();
    m_roundError.clear();
    m_clock = ClockState::read();
    m_clockEstimate = Stamp::encodeErrorEstimate(std::max<qint64>(m_clock.errorNs, 1000), m_clock.synchronised);
    if (!ensureSocket(&m_roundError)) {
        QTimer::singleShot(0, this, &QosProbe::finishRound);
        return;
    }
    sendNext();
    m_sendTimer.start();
}

void QosProbe::sendNext()
{
    const int total = int(m_params.classes.size()) * m_params.count;
    if (!m_roundRunning || m_sentThisRound >= total) {
        m_sendTimer.stop();
        return;
    }
    // Classes interleaved, so each sees the same conditions at the same moments.
    const int classIndex = m_sentThisRound % int(m_params.classes.size());
    const int dscp = m_params.classes.at(classIndex).second;
    Stamp::SenderPacket packet;
    packet.seq = m_nextSeq++;
    // One STAMP session per class: the reflector numbers each on its own, which tells back-path
    // losses from forward ones per class.
    packet.ssid = quint16(((m_spec.id << 5) + classIndex) & 0xffff);
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
    const QByteArray bytes = packet.encode();
    if (const int code = Platform::sendPacket(m_fd, bytes.constData(), size_t(bytes.size()), nullptr, 0)) {
        if (m_roundError.isEmpty())
            m_roundError = tr("Cannot send to %1: %2").arg(m_spec.target, Platform::sendFailureText(code));
    } else if (m_transmitStamps) {
        m_stampNumbers.sent(packet.seq);
    }
    m_sent[packet.seq] = {classIndex, t1, {}};
    ++m_sentThisRound;
    if (m_sentThisRound >= total) {
        m_sendTimer.stop();
        m_waitTimer.start(int(m_params.timeoutMs));
    }
}

void QosProbe::handleReadable()
{
    readTransmitStamps();
    readReplies();
}

void QosProbe::readTransmitStamps()
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

void QosProbe::readReplies()
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

void QosProbe::finishRound()
{
    if (!m_roundRunning)
        return;
    m_roundRunning = false;
    m_sendTimer.stop();
    m_waitTimer.stop();
    if (m_fd >= 0)
        handleReadable(); // whatever arrived at the last moment

    const int classCount = int(m_params.classes.size());
    for (QosStatistics &statistics : m_statistics)
        statistics.startRound();
    for (const auto &[seq, sent] : m_sent)
        m_statistics[size_t(sent.classIndex)].addSent(seq);

    // Per class, over the first reflection of each test packet: the marking both ways, and whether
    // the clocks allow one-way delays (and if not, why not).
    struct ClassFindings
    {
        bool keptThere = true;
        bool keptBack = true;
        bool synchronised = true;
        QString unsynchronisedBecause;
        std::vector<double> forward;
        std::vector<double> backward;
    };
    std::vector<ClassFindings> findings(size_t(m_params.classes.size()));
    TimestampTally tally;
    for (const Arrival &arrival : m_arrivals) {
        const Sent &sent = m_sent.at(arrival.senderSeq);
        // The best stamps on CLOCK_REALTIME, which the reflector's T2 and T3 are on too: the kernel's
        // transmit stamp (when it lies between our send and the reply) and receive stamp, else ours.
        QosStatistics::Reflection reflection;
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
        auto &statistics = m_statistics[size_t(sent.classIndex)];
        if (statistics.addReflection(reflection) != QosStatistics::Arrival::First)
            continue;
        tally.add(source);
        ClassFindings &f = findings[size_t(sent.classIndex)];
        const int dscp = m_params.classes.at(sent.classIndex).second;
        f.keptThere = f.keptThere && arrival.dscpAtReflector == dscp;
        f.keptBack = f.keptBack && arrival.dscpBack == dscp;
        // One-way figures only where both clocks vouch for an error below the figure itself.
        const qint64 fwd = reflection.t2Ns - reflection.t1Ns;
        const qint64 bwd = reflection.t4Ns - reflection.t3Ns;
        const qint64 errorNs = Stamp::errorNsFromEstimate(arrival.reflectorEstimate)
            + Stamp::errorNsFromEstimate(arrival.senderEstimate);
        if (!Stamp::isSynchronised(arrival.senderEstimate)) {
            f.unsynchronisedBecause = tr("this agent's clock is not synchronised (NTP or PTP)");
        } else if (!Stamp::isSynchronised(arrival.reflectorEstimate)) {
            f.unsynchronisedBecause = tr("the reflector's clock is not synchronised (NTP or PTP)");
        } else if (errorNs >= std::abs(fwd) || errorNs >= std::abs(bwd)) {
            f.unsynchronisedBecause = tr("the two clocks may be off by up to %1 ms together, more than the "
                                         "one-way delays")
                                          .arg(ms(errorNs), 0, 'f', 3);
        } else {
            f.forward.push_back(ms(fwd));
            f.backward.push_back(ms(bwd));
            continue;
        }
        f.synchronised = false;
    }

    Protocol::Round round;
    round.testId = m_spec.id;
    round.timeMs = m_roundTimeMs;
    round.error = m_roundError;
    Protocol::QosDetail detail;
    for (int c = 0; c < classCount; ++c) {
        QosStatistics &s = m_statistics[size_t(c)];
        s.finishRound();
        const ClassFindings &f = findings[size_t(c)];
        const QString name = m_params.classes.at(c).first;
        const int dscp = m_params.classes.at(c).second;
        const int sent = s.sent();
        const int received = s.received();
        const std::vector<double> &rtts = s.rttsMs();
        const QString prefix = u"qos."_s + name + u'.';
        const auto share = [sent](int count) {
            return sent ? 100.0 * count / sent : 0.0;
        };
        round.values.append({prefix + u"sent"_s, double(sent)});
        round.values.append({prefix + u"loss_pct"_s, share(s.lost())});
        round.values.append({prefix + u"fwd_loss_pct"_s, share(s.lostThere())});
        round.values.append({prefix + u"bwd_loss_pct"_s, share(s.lostBack())});
        round.values.append({prefix + u"fwd_reordered"_s, double(s.reorderedThere())});
        round.values.append({prefix + u"bwd_reordered"_s, double(s.reorderedBack())});
        round.values.append({prefix + u"fwd_duplicates"_s, double(s.duplicatesThere())});
        round.values.append({prefix + u"bwd_duplicates"_s, double(s.duplicatesBack())});
        detail.duplicates += s.duplicatesThere() + s.duplicatesBack();
        const bool oneWay = received && f.synchronised && !f.forward.empty();
        if (received) {
            round.values.append({prefix + u"rtt_min_ms"_s, *std::min_element(rtts.cbegin(), rtts.cend())});
            round.values.append({prefix + u"rtt_median_ms"_s, median(rtts)});
            round.values.append({prefix + u"rtt_max_ms"_s, *std::max_element(rtts.cbegin(), rtts.cend())});
            round.values.append({prefix + u"jitter_ms"_s, s.jitterMs()});
            round.values.append({prefix + u"fwd_jitter_ms"_s, s.jitterThereMs()});
            round.values.append({prefix + u"bwd_jitter_ms"_s, s.jitterBackMs()});
            round.values.append({prefix + u"dscp_kept"_s, f.keptThere && f.keptBack ? 1.0 : 0.0});
            if (oneWay) {
                round.values.append({prefix + u"fwd_owd_ms"_s, median(f.forward)});
                round.values.append({prefix + u"bwd_owd_ms"_s, median(f.backward)});
            }
        }
        Protocol::QosClassDetail out;
        out.className = name;
        out.dscp = dscp;
        out.sent = sent;
        out.received = received;
        out.lostThere = s.lostThere();
        out.lostBack = s.lostBack();
        out.reorderedThere = s.reorderedThere();
        out.reorderedBack = s.reorderedBack();
        out.duplicatesThere = s.duplicatesThere();
        out.duplicatesBack = s.duplicatesBack();
        if (received) { // else nothing came back to say them
            out.jitterThereMs = s.jitterThereMs();
            out.jitterBackMs = s.jitterBackMs();
            out.markingKeptThere = f.keptThere;
            out.markingKeptBack = f.keptBack;
            out.clocksSynchronised = f.synchronised;
        }
        // Said in words when one-way delays are left out, so a reader knows it is not a fault.
        if (received && !oneWay)
            out.oneWayDelaysLeftOut = f.unsynchronisedBecause;
        detail.classes.append(out);
    }
    // Timestamp quality: per two-way sample, the weaker of its send and receive stamps (the
    // reflector's T3 is always taken in user space just before its send: STAMP has no follow-up);
    // and our clock's state, which with the reflector's error estimate decides the one-way delays.
    detail.timestamps = tally;
    detail.clock = clockReading(ClockState::recent());
    round.detail = std::move(detail);
    if (round.error.isEmpty() && m_arrivals.empty() && !m_sent.empty())
        round.error
            = tr("No answer from a STAMP reflector at %1 port %2 in this round.").arg(m_spec.target).arg(m_params.port);
    Q_EMIT roundFinished(round);
}

// This folder's entry in the probe factory (agent/CMakeLists.txt finds it).
ProbeType qosProbeType()
{
    return probeType<QosProbe>(TestTypes::qosType(), Validation::parseQosParams);
}

} // namespace StreamSwarm::Agent
