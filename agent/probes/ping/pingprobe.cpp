// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "pingprobe.h"

#include <algorithm>

#include <QPointer>

#include "agent/probes/ping/icmpsocket.h"
#include "agent/probes/probefactory.h"
#include "shared/metrics/catalog.h"
#include "shared/testtypes/ping.h"
#include "shared/util/duration.h"
#include "shared/util/logging.h"

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace StreamSwarm::Agent {

namespace {

// Defensive bounds; Validation::parsePingParams already keeps parameters well inside them.
constexpr int MAX_COUNT = 1000;
constexpr qint64 MAX_WAIT_MS = 60'000;

} // namespace

PingProbe::PingProbe(const Protocol::TestSpec &spec, const Validation::PingParams &params, QObject *parent)
    : ResolvingProbe(spec, u"ping %1"_s.arg(spec.id), parent)
    , m_params(params)
    , m_sendTimer(this)
    , m_replyWait([this] { finishRound(); })
{
    m_params.count = std::clamp(m_params.count, 1, MAX_COUNT);
    m_params.spacingMs = std::clamp<qint64>(m_params.spacingMs, 1, MAX_WAIT_MS);
    m_params.timeoutMs = std::clamp<qint64>(m_params.timeoutMs, 1, MAX_WAIT_MS);
    m_params.payloadSize = std::clamp(m_params.payloadSize, 0, IcmpSocket::MAX_PAYLOAD_SIZE);

    m_sendTimer.setTimerType(Qt::PreciseTimer);
    m_sendTimer.setInterval(int(m_params.spacingMs));
    connect(&m_sendTimer, &QTimer::timeout, this, &PingProbe::sendNextEcho);
}

PingProbe::~PingProbe() = default;

void PingProbe::clearRound()
{
    m_failedSends = 0;
    m_statistics = PingStatistics(m_nextSequence);
    m_timestamps.clear();
}

qint64 PingProbe::longestRoundMs() const
{
    return (m_params.count - 1) * m_params.spacingMs + m_params.timeoutMs;
}

QString PingProbe::unresolvedError(const QString &reason) const
{
    return tr("Cannot ping %1: the name does not resolve to an address (%2).").arg(spec().target, reason);
}

QString PingProbe::slowLookupError(const QString &took) const
{
    return tr("Cannot ping %1: looking up the name took longer than %2.").arg(spec().target, took);
}

QString PingProbe::targetText() const
{
    if (resolver().isLiteral() || m_roundAddress.isNull())
        return spec().target;
    return u"%1 (%2)"_s.arg(spec().target, m_roundAddress.toString());
}

void PingProbe::beginMeasuring()
{
    m_roundAddress = address();
    if (m_roundAddress != m_previousRoundAddress) {
        m_jitter.reset(); // a new path: successive RTTs across the change are not comparable
        m_previousRoundAddress = m_roundAddress;
    }
    QString error;
    if (!ensureSocket(&error)) {
        setRoundError(tr("Cannot ping %1. %2").arg(targetText(), error));
        finishSoon();
        return;
    }
    QPointer<PingProbe> guard(this);
    sendNextEcho();
    if (guard && isRoundRunning() && m_statistics.sent() < m_params.count)
        m_sendTimer.start();
}

bool PingProbe::ensureSocket(QString *error)
{
    const auto protocol = m_roundAddress.protocol();
    if (m_socket && m_socket->protocol() == protocol && m_socket->isOpen())
        return true;
    // Parented as well, so a moveToThread() of the probe takes it along; the unique_ptr deletes it.
    IcmpSocket::Options options;
    options.ttl = m_params.ttl;
    options.tos = m_params.tos;
    options.source = QHostAddress(m_params.source);
    options.interface = m_params.interface;
    m_socket = std::make_unique<IcmpSocket>(protocol, options, this);
    connect(m_socket.get(), &IcmpSocket::replyReceived, this, &PingProbe::handleReply);
    connect(m_socket.get(), &IcmpSocket::errorReceived, this, &PingProbe::handleIcmpError);
    return openSocket(m_socket, error);
}

void PingProbe::sendNextEcho()
{
    if (!isRoundRunning() || !m_socket || m_statistics.sent() >= m_params.count) {
        m_sendTimer.stop();
        return;
    }
    const quint16 sequence = m_nextSequence++;
    m_statistics.addSent();
    QString error;
    if (!m_socket->sendEcho(m_roundAddress, sequence, m_params.payloadSize, &error)) {
        // Counted as sent and lost, as iputils does.
        ++m_failedSends;
        setRoundError(tr("Cannot ping %1. %2").arg(targetText(), error));
    }
    if (m_statistics.sent() >= m_params.count) {
        m_sendTimer.stop();
        // Nothing to wait for when every send failed; still finish from the event loop.
        m_replyWait.start(isRoundComplete() ? 0ms : std::chrono::milliseconds(m_params.timeoutMs));
    }
}

void PingProbe::handleReply(quint16 sequence, qint64 rttNs, int ttl, TimestampSource source)
{
    Q_UNUSED(ttl)
    if (!isMeasuring())
        return;
    const int duplicates = m_statistics.duplicates();
    if (!m_statistics.addReply(sequence, rttNs)) {
        qCDebug(lcProbe).noquote() << logName() << "ignored a reply from an earlier round, sequence" << sequence;
        return;
    }
    if (m_statistics.duplicates() == duplicates) // the RTT figures take first replies only
        m_timestamps.add(source);
    if (isRoundComplete())
        finishRound();
}

void PingProbe::handleIcmpError(quint16 sequence, const QString &description, const QHostAddress &reporter)
{
    if (!isMeasuring() || !m_statistics.addError(sequence))
        return;
    const QString where = reporter.isNull() ? QString() : tr(" (reported by %1)").arg(reporter.toString());
    setRoundError(tr("Ping %1: %2%3.").arg(targetText(), description, where));
    if (isRoundComplete())
        finishRound();
}

bool PingProbe::isRoundComplete() const
{
    // Like iputils -c: stop waiting once every echo that left is answered, by a reply or an ICMP error.
    return m_statistics.sent() >= m_params.count
        && m_statistics.received() + m_statistics.errors() + m_failedSends >= m_statistics.sent();
}

void PingProbe::finishRound()
{
    m_sendTimer.stop();
    m_replyWait.stop();
    endRound();
    if (m_socket)
        m_socket->forgetPending(); // late replies to this round must not count in the next

    Protocol::Round round;
    round.testId = spec().id;
    round.timeMs = roundTimeMs();
    round.values.reserve(13);
    // The names are the catalog's static literals: used in place, not copied a thousand times a second.
    const auto add = [&round](const char16_t *metric, double value) {
        const auto length = qsizetype(std::char_traits<char16_t>::length(metric));
        round.values.append(
            Protocol::MetricValue{QString::fromRawData(reinterpret_cast<const QChar *>(metric), length), value});
    };
    const PingStatistics &stats = m_statistics;
    if (stats.sent() > 0) {
        if (stats.hasRtt()) {
            add(Metric::PingRttMin, stats.minMs());
            add(Metric::PingRttAvg, stats.avgMs());
            add(Metric::PingRttMax, stats.maxMs());
            add(Metric::PingRttMdev, stats.mdevMs());
            add(Metric::PingRttMedian, stats.medianMs());
            add(Metric::PingRttStddev, stats.stddevMs());
            const QList<double> rtts = stats.rttsMsInSendOrder();
            for (const double rtt : rtts)
                m_jitter.addSample(rtt);
            if (m_jitter.hasValue())
                add(Metric::PingJitter, m_jitter.jitterMs());
        }
        add(Metric::PingLoss, stats.lossPercent());
        add(Metric::PingSent, stats.sent());
        add(Metric::PingReceived, stats.received());
        add(Metric::PingDuplicates, stats.duplicates());
        add(Metric::PingReordered, stats.reordered());
        add(Metric::PingIcmpErrors, stats.errors());
        if (stats.received() == 0)
            resolver().markSuspect();
        // Timestamp quality: how each RTT was timed, and how far this host's clock can be trusted.
        round.detail = Protocol::PingDetail{m_timestamps, clockReading(ClockState::recent())};
    } else if (isRoundUnresolved()) {
        // The target cannot be reached by its name: for whoever uses that name it is down, so the
        // chart shows a failure, not a gap. Nothing was sent, and the round's error says why.
        add(Metric::PingLoss, 100.0);
        add(Metric::PingSent, 0);
        add(Metric::PingReceived, 0);
    }
    round.error = takeRoundError();
    Q_EMIT roundFinished(round); // last: a receiver may start the next round or delete us
}

// This folder's entry in the probe factory (agent/CMakeLists.txt finds it).
ProbeType pingProbeType()
{
    return probeType<PingProbe>(TestTypes::pingType(), Validation::parsePingParams);
}

} // namespace StreamSwarm::Agent
