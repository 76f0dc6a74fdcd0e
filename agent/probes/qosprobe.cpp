// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "qosprobe.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <ctime>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <QCborArray>
#include <QCborMap>
#include <QSocketNotifier>

#include <unistd.h>

#include "agent/platform/linux/clockstate.h"
#include "agent/probes/socketsupport.h"
#include "agent/stamp/stamppacket.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Agent {

namespace {

constexpr int MAX_READS_PER_WAKEUP = 256;

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
    , m_lastRtt(size_t(m_params.classes.size()), -1)
    , m_jitter(size_t(m_params.classes.size()), 0)
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
        *error = tr("The qos target must be the IP address of a STAMP reflector (an agent started with "
                    "--stamp-port).");
        return false;
    }
    const bool v6 = m_address.protocol() == QAbstractSocket::IPv6Protocol;
    m_fd = ::socket(v6 ? AF_INET6 : AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (m_fd < 0) {
        *error = tr("Cannot open a UDP socket: %1.").arg(qt_error_string(errno));
        return false;
    }
    const int on = 1;
    ::setsockopt(m_fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof(on));
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
    m_replies.clear();
    m_duplicates = 0;
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
    if (::send(m_fd, bytes.constData(), size_t(bytes.size()), 0) < 0 && m_roundError.isEmpty())
        m_roundError = tr("Cannot send to %1: %2.").arg(m_spec.target, qt_error_string(errno));
    m_sent[packet.seq] = {classIndex, t1};
    ++m_sentThisRound;
    if (m_sentThisRound >= total) {
        m_sendTimer.stop();
        m_waitTimer.start(int(m_params.timeoutMs));
    }
}

void QosProbe::handleReadable()
{
    for (int i = 0; i < MAX_READS_PER_WAKEUP; ++i) {
        char buffer[Stamp::MAX_PACKET_BYTES + 1];
        alignas(cmsghdr) char control[128];
        iovec iov{buffer, sizeof(buffer)};
        msghdr message{};
        message.msg_iov = &iov;
        message.msg_iovlen = 1;
        message.msg_control = control;
        message.msg_controllen = sizeof(control);
        const ssize_t length = ::recvmsg(m_fd, &message, MSG_DONTWAIT);
        if (length < 0)
            return;
        qint64 t4 = 0;
        int tosBack = -1;
        for (cmsghdr *c = CMSG_FIRSTHDR(&message); c; c = CMSG_NXTHDR(&message, c)) {
            if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
                timespec ts{};
                std::memcpy(&ts, CMSG_DATA(c), sizeof(ts));
                t4 = qint64(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
            } else if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_TOS) {
                tosBack = *reinterpret_cast<const quint8 *>(CMSG_DATA(c));
            } else if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_TCLASS) {
                std::memcpy(&tosBack, CMSG_DATA(c), sizeof(tosBack));
            }
        }
        if (!t4)
            t4 = Sockets::nowNs(CLOCK_REALTIME);
        const auto reply = Stamp::ReflectorPacket::decode(QByteArray(buffer, int(length)));
        if (!reply)
            continue;
        const auto sent = m_sent.find(reply->senderSeq);
        if (sent == m_sent.end())
            continue; // from an earlier round, or not ours
        if (m_replies.count(reply->senderSeq)) {
            ++m_duplicates;
            continue;
        }
        Reply r;
        r.classIndex = sent->second.classIndex;
        r.t1Ns = sent->second.t1Ns;
        r.t2Ns = Stamp::unixNsFromNtp(reply->receiveTimestamp);
        r.t3Ns = Stamp::unixNsFromNtp(reply->timestamp);
        r.t4Ns = t4;
        r.reflectorSeq = reply->seq;
        // Our clock's state is what we tell ourselves; the reflector's comes in its error estimate.
        r.synchronised
            = Stamp::isSynchronised(reply->errorEstimate) && Stamp::isSynchronised(reply->senderErrorEstimate);
        r.errorNs
            = Stamp::errorNsFromEstimate(reply->errorEstimate) + Stamp::errorNsFromEstimate(reply->senderErrorEstimate);
        if (const auto cos = reply->classOfService())
            r.dscpAtReflector = cos->dscp2;
        if (tosBack >= 0)
            r.dscpBack = tosBack >> 2;
        m_replies.emplace(reply->senderSeq, r);
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

    Protocol::Round round;
    round.testId = m_spec.id;
    round.timeMs = m_roundTimeMs;
    round.error = m_roundError;
    QCborArray classes;
    for (int c = 0; c < int(m_params.classes.size()); ++c) {
        const QString name = m_params.classes.at(c).first;
        const int dscp = m_params.classes.at(c).second;
        int sent = 0;
        for (const auto &[seq, s] : m_sent)
            sent += s.classIndex == c ? 1 : 0;
        std::vector<double> rtts;
        std::vector<double> forward, backward;
        std::vector<quint32> reflectorSeqs;
        bool keptThere = true, keptBack = true, synchronised = true;
        for (const auto &[seq, r] : m_replies) {
            if (r.classIndex != c)
                continue;
            // Two-way delay without the reflector's own time (RFC 8762 section 4.2).
            const double rtt = ms((r.t4Ns - r.t1Ns) - (r.t3Ns - r.t2Ns));
            rtts.push_back(rtt);
            if (m_lastRtt[size_t(c)] >= 0)
                m_jitter[size_t(c)] += (std::abs(rtt - m_lastRtt[size_t(c)]) - m_jitter[size_t(c)]) / 16.0;
            m_lastRtt[size_t(c)] = rtt;
            reflectorSeqs.push_back(r.reflectorSeq);
            keptThere = keptThere && r.dscpAtReflector == dscp;
            keptBack = keptBack && r.dscpBack == dscp;
            // One-way figures only where both clocks vouch for an error below the figure itself.
            const qint64 fwd = r.t2Ns - r.t1Ns;
            const qint64 bwd = r.t4Ns - r.t3Ns;
            if (r.synchronised && r.errorNs < std::abs(fwd) && r.errorNs < std::abs(bwd)) {
                forward.push_back(ms(fwd));
                backward.push_back(ms(bwd));
            } else {
                synchronised = false;
            }
        }
        const int received = int(rtts.size());
        const int lost = sent - received;
        // The reflector numbers what it sent back; its gaps are losses on the way back.
        int backLost = 0;
        if (reflectorSeqs.size() > 1) {
            const auto [low, high] = std::minmax_element(reflectorSeqs.cbegin(), reflectorSeqs.cend());
            backLost = std::max(0, int(*high - *low + 1) - received);
        }
        backLost = std::min(backLost, lost);
        const QString prefix = u"qos."_s + name + u'.';
        const double lossPct = sent ? 100.0 * lost / sent : 0;
        round.values.append({prefix + u"sent"_s, double(sent)});
        round.values.append({prefix + u"loss_pct"_s, lossPct});
        round.values.append({prefix + u"fwd_loss_pct"_s, sent ? 100.0 * (lost - backLost) / sent : 0});
        round.values.append({prefix + u"bwd_loss_pct"_s, sent ? 100.0 * backLost / sent : 0});
        if (received) {
            round.values.append({prefix + u"rtt_min_ms"_s, *std::min_element(rtts.cbegin(), rtts.cend())});
            round.values.append({prefix + u"rtt_median_ms"_s, median(rtts)});
            round.values.append({prefix + u"rtt_max_ms"_s, *std::max_element(rtts.cbegin(), rtts.cend())});
            round.values.append({prefix + u"jitter_ms"_s, m_jitter[size_t(c)]});
            round.values.append({prefix + u"dscp_kept"_s, keptThere && keptBack ? 1.0 : 0.0});
            if (synchronised && !forward.empty()) {
                round.values.append({prefix + u"fwd_owd_ms"_s, median(forward)});
                round.values.append({prefix + u"bwd_owd_ms"_s, median(backward)});
            }
        }
        classes.append(QCborMap{{u"class"_s, name}, {u"dscp"_s, dscp}, {u"sent"_s, sent}, {u"received"_s, received},
            {u"markingKeptThere"_s, received ? QCborValue(keptThere) : QCborValue()},
            {u"markingKeptBack"_s, received ? QCborValue(keptBack) : QCborValue()},
            {u"clocksSynchronised"_s, received ? QCborValue(synchronised) : QCborValue()}});
    }
    // Timestamp quality: send times from user space just before the send, receive times from the
    // kernel on both sides; and each clock's state as its error estimate describes it.
    round.detail = QCborMap{{u"kind"_s, u"qos"_s}, {u"classes"_s, classes}, {u"duplicates"_s, m_duplicates},
        {u"timestamps"_s, QCborMap{{u"send"_s, u"user"_s}, {u"receive"_s, u"kernel"_s}}},
        {u"clock"_s,
            QCborMap{{u"synchronised"_s, m_clock.synchronised}, {u"offsetUs"_s, double(m_clock.offsetNs) / 1000.0},
                {u"errorUs"_s, double(m_clock.errorNs) / 1000.0}}}};
    if (round.error.isEmpty() && m_replies.empty() && !m_sent.empty())
        round.error
            = tr("No answer from a STAMP reflector at %1 port %2 in this round.").arg(m_spec.target).arg(m_params.port);
    Q_EMIT roundFinished(round);
}

} // namespace StreamSwarm::Agent
