// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "tracerouteprobe.h"

#include <algorithm>
#include <numeric>

#include <QDateTime>
#include <QHostInfo>
#include <QPointer>

#include "agent/platform/linux/clockstate.h"
#include "agent/probes/probefactory.h"
#include "agent/probes/socketsupport.h"
#include "agent/probes/traceroute/traceroutesocket.h"
#include "agent/probes/traceroute/traceroutetcpprober.h"
#include "shared/metrics/catalog.h"
#include "shared/testtypes/traceroute.h"
#include "shared/util/duration.h"
#include "shared/util/logging.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Agent {

namespace {

constexpr int MAX_NAMES = 1024; // reverse DNS cache bound
constexpr int MAX_HOPS = 64;
constexpr int MAX_PROBES = 10;
constexpr qint64 MAX_WAIT_MS = 60'000;

QString protocolName(Validation::TracerouteParams::Protocol protocol)
{
    switch (protocol) {
    case Validation::TracerouteParams::Protocol::Udp:
        return u"udp"_s;
    case Validation::TracerouteParams::Protocol::Tcp:
        return u"tcp"_s;
    case Validation::TracerouteParams::Protocol::Icmp:
        break;
    }
    return u"icmp"_s;
}

} // namespace

TracerouteProbe::TracerouteProbe(
    const Protocol::TestSpec &spec, const Validation::TracerouteParams &params, QObject *parent)
    : ResolvingProbe(spec, u"traceroute %1"_s.arg(spec.id), parent)
    , m_params(params)
    , m_lookupContext(new QObject(this))
    , m_waveTimer(this)
{
    m_params.maxHops = std::clamp(m_params.maxHops, 1, MAX_HOPS);
    m_params.probes = std::clamp(m_params.probes, 1, MAX_PROBES);
    m_params.timeoutMs = std::clamp<qint64>(m_params.timeoutMs, 1, MAX_WAIT_MS);
    const bool udp = m_params.protocol == Validation::TracerouteParams::Protocol::Udp;
    m_params.port = std::clamp(m_params.port, 1, udp ? 65535 - TracerouteProber::KEY_SPACE + 1 : 65535);
    m_waveTimer.setSingleShot(true);
    m_waveTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_waveTimer, &QTimer::timeout, this, &TracerouteProbe::handleWaveTimeout);
}

TracerouteProbe::~TracerouteProbe()
{
    // As in TargetResolver: Qt 6.4 leaks the functor of a lookup whose context died, so the context
    // outlives us and a late result deletes it.
    if (m_lookupsRunning > 0)
        m_lookupContext->setParent(nullptr);
}

qint64 TracerouteProbe::longestRoundMs() const
{
    const int waves = (m_params.maxHops + Validation::TRACEROUTE_WAVE_TTLS - 1) / Validation::TRACEROUTE_WAVE_TTLS;
    return waves * m_params.timeoutMs;
}

void TracerouteProbe::clearRound()
{
    m_failedSends = 0;
    m_round = QList<RoundHop>(m_params.maxHops);
    m_outstanding.clear();
    m_nextTtl = 1;
    m_destinationTtl = 0;
}

QString TracerouteProbe::unresolvedError(const QString &reason) const
{
    return tr("Cannot trace the route to %1: the name does not resolve to an address (%2).").arg(spec().target, reason);
}

QString TracerouteProbe::slowLookupError(const QString &took) const
{
    return tr("Cannot trace the route to %1: looking up the name took longer than %2.").arg(spec().target, took);
}

bool TracerouteProbe::ensureSocket(QString *error)
{
    const auto protocol = m_roundAddress.protocol();
    if (m_socket && m_socket->protocol() == protocol && m_socket->isOpen())
        return true;
    const auto port = quint16(m_params.port);
    switch (m_params.protocol) {
    case Validation::TracerouteParams::Protocol::Tcp:
        m_socket = std::make_unique<TracerouteTcpProber>(protocol, port, m_params.timeoutMs, this);
        break;
    case Validation::TracerouteParams::Protocol::Udp:
        m_socket = std::make_unique<TracerouteSocket>(TracerouteSocket::Mode::Udp, protocol, port, this);
        break;
    case Validation::TracerouteParams::Protocol::Icmp:
        m_socket = std::make_unique<TracerouteSocket>(TracerouteSocket::Mode::Icmp, protocol, port, this);
        break;
    }
    connect(m_socket.get(), &TracerouteProber::probeAnswered, this, &TracerouteProbe::handleAnswer);
    return openSocket(m_socket, error);
}

void TracerouteProbe::beginMeasuring()
{
    m_roundAddress = address();
    QString error;
    if (!ensureSocket(&error)) {
        setRoundError(tr("Cannot trace the route to %1. %2").arg(spec().target, error));
        finishSoon();
        return;
    }
    sendWave();
}

void TracerouteProbe::sendWave()
{
    // The first wave reaches as far as the last path did, so a stable path takes one wave and no
    // probes past the destination; otherwise waves of TRACEROUTE_WAVE_TTLS, as traceroute's -N 16.
    int lastTtl = m_nextTtl + Validation::TRACEROUTE_WAVE_TTLS - 1;
    if (m_nextTtl == 1 && m_lastDestinationTtl > 0)
        lastTtl = m_lastDestinationTtl;
    lastTtl = std::min(lastTtl, m_params.maxHops);
    // TTL by TTL, then again for the next probe of each (as mtr cycles): a burst limit or a queue on
    // the way then spreads over all hops instead of always hitting the last ones.
    for (int i = 0; i < m_params.probes; ++i) {
        for (int ttl = m_nextTtl; ttl <= lastTtl; ++ttl) {
            const quint16 key = m_nextKey;
            m_nextKey = quint16((m_nextKey + 1) % TracerouteProber::KEY_SPACE);
            ++m_round[ttl - 1].sent;
            QString error;
            if (m_socket->sendProbe(m_roundAddress, ttl, key, &error)) {
                m_outstanding.insert(key, ttl);
            } else {
                ++m_failedSends;
                setRoundError(tr("Cannot trace the route to %1. %2").arg(spec().target, error));
            }
        }
    }
    m_nextTtl = lastTtl + 1;
    m_waveTimer.start(m_outstanding.isEmpty() ? 0 : int(m_params.timeoutMs));
}

void TracerouteProbe::handleAnswer(
    quint16 key, const QHostAddress &from, TracerouteProber::Answer answer, qint64 rttNs, TimestampSource source)
{
    if (!isRoundRunning())
        return;
    const auto it = m_outstanding.find(key);
    if (it == m_outstanding.end())
        return;
    const int ttl = *it;
    m_outstanding.erase(it);
    RoundHop &hop = m_round[ttl - 1];
    const QString address = Sockets::unmapped(from).toString();
    hop.addresses.append(address);
    hop.rttsMs.append(double(rttNs) / 1e6);
    hop.sources.append(source);
    if (answer != TracerouteProber::Answer::TimeExceeded) {
        hop.terminal = true;
        hop.reached = hop.reached || answer == TracerouteProber::Answer::Reached;
        if (m_destinationTtl == 0 || ttl < m_destinationTtl)
            m_destinationTtl = ttl;
    }
    if (m_params.resolve)
        resolveName(address);

    if (m_destinationTtl > 0) {
        const bool waiting = std::any_of(m_outstanding.cbegin(), m_outstanding.cend(),
            [this](int pendingTtl) { return pendingTtl <= m_destinationTtl; });
        if (!waiting)
            finishRound();
        return;
    }
    if (m_outstanding.isEmpty()) {
        // Every hop of the wave answered and none is the destination: on to the next wave at once.
        m_waveTimer.stop();
        if (m_nextTtl <= m_params.maxHops)
            sendWave();
        else
            finishRound();
    }
}

void TracerouteProbe::handleWaveTimeout()
{
    if (!isMeasuring())
        return;
    if (const qint64 moreMs = m_socket ? m_socket->msUntilSettled() : 0; moreMs > 0) {
        m_waveTimer.start(int(moreMs)); // probes still wait for a free socket: give them their time
        return;
    }
    if (m_destinationTtl == 0 && m_nextTtl <= m_params.maxHops && m_socket && m_failedSends == 0) {
        sendWave();
        return;
    }
    finishRound();
}

void TracerouteProbe::resolveName(const QString &address)
{
    if (m_names.contains(address) || m_resolving.contains(address) || m_resolving.size() >= MAX_NAMES)
        return;
    if (m_names.size() >= MAX_NAMES)
        m_names.clear();
    m_resolving.insert(address);
    ++m_lookupsRunning;
    QObject *context = m_lookupContext;
    QHostInfo::lookupHost(
        address, context, [probe = QPointer<TracerouteProbe>(this), context, address](const QHostInfo &info) {
            if (!probe) {
                context->deleteLater();
                return;
            }
            --probe->m_lookupsRunning;
            probe->m_resolving.remove(address);
            const QString name = info.error() == QHostInfo::NoError ? info.hostName() : QString();
            probe->m_names.insert(address, name == address ? QString() : name);
        });
}

QStringList TracerouteProbe::lastPath() const
{
    QStringList path;
    for (int ttl = 1; ttl <= m_previousLimit && ttl <= m_hops.size(); ++ttl)
        path.append(m_hops.at(ttl - 1).primary());
    return path;
}

int TracerouteProbe::roundLimit() const
{
    if (m_destinationTtl > 0)
        return m_destinationTtl;
    for (int ttl = int(m_round.size()); ttl > 0; --ttl) {
        if (!m_round.at(ttl - 1).addresses.isEmpty())
            return ttl;
    }
    return 0;
}

QList<QStringList> TracerouteProbe::roundPath(int limit) const
{
    QList<QStringList> path;
    for (int ttl = 1; ttl <= limit; ++ttl) {
        const QStringList &answers = m_round.at(ttl - 1).addresses;
        QStringList distinct = answers;
        distinct.removeDuplicates();
        std::stable_sort(distinct.begin(), distinct.end(),
            [&answers](const QString &a, const QString &b) { return answers.count(a) > answers.count(b); });
        path.append(distinct);
    }
    return path;
}

QList<QStringList> TracerouteProbe::knownPath() const
{
    QList<QStringList> path;
    for (int ttl = 1; ttl <= m_previousLimit && ttl <= m_hops.size(); ++ttl)
        path.append(m_hops.at(ttl - 1).addresses());
    return path;
}

bool TracerouteProbe::updateHops(
    int limit, const QList<QStringList> &known, const QList<QStringList> &path, bool changed)
{
    if (m_hops.size() < limit)
        m_hops.resize(limit);
    for (int ttl = 1; ttl <= limit; ++ttl) {
        HopRecord &record = m_hops[ttl - 1];
        const RoundHop &hop = m_round.at(ttl - 1);
        // Other routers than any seen at this TTL: their figures start afresh, unless they may be
        // another branch of a balanced hop, which is learnt beside the known one.
        if (!path.at(ttl - 1).isEmpty() && !record.members().isEmpty() && !record.overlaps(path.at(ttl - 1))
            && (changed || !mayBeAnotherBranch(known, path, ttl - 1)))
            record.reset();
        record.addSent(hop.sent);
        for (qsizetype i = 0; i < hop.addresses.size(); ++i)
            record.addAnswer(hop.addresses.at(i), hop.rttsMs.at(i));
    }
    if (m_destinationTtl > 0)
        m_hops.resize(limit); // a shorter path: what lay beyond is gone
    bool lostAddress = forgetVanished(limit, HopRecord::DEFAULT_MISS_PROBABILITY);
    // One change often shows at several balanced hops at once (a lost path through r2 also hides the
    // address r3 answered on from r2): with a change proven, the weaker evidence is enough for the rest,
    // so that one change makes one event.
    if (lostAddress || changed)
        lostAddress
            = forgetVanished(limit, HopRecord::RELATED_MISS_PROBABILITY, HopRecord::RELATED_MIN_MISSES) || lostAddress;
    return lostAddress;
}

bool TracerouteProbe::forgetVanished(int limit, double missProbability, int minMisses)
{
    bool lostAddress = false;
    for (int ttl = 1; ttl <= limit && ttl <= m_hops.size(); ++ttl) {
        HopRecord &record = m_hops[ttl - 1];
        const QStringList gone = record.vanished(missProbability, minMisses);
        for (const QString &address : gone) {
            qCDebug(lcProbe) << "traceroute" << spec().id << "hop" << ttl << "no longer answers from" << address;
            record.forget(address);
            lostAddress = true;
        }
    }
    return lostAddress;
}

TimestampTally TracerouteProbe::tally(int limit) const
{
    // The samples the path is made of: answers from beyond the destination are left out, as they are
    // from the path's figures.
    TimestampTally result;
    for (int ttl = 1; ttl <= limit; ++ttl) {
        for (const TimestampSource source : m_round.at(ttl - 1).sources)
            result.add(source);
    }
    return result;
}

Protocol::TracerouteHop TracerouteProbe::hopDetail(int ttl) const
{
    const HopRecord &record = m_hops.at(ttl - 1);
    const HopStatistics &stats = record.statistics();
    // The hop's own fields describe its primary address; counts and RTTs cover all its answers.
    Protocol::TracerouteHop hop;
    hop.ttl = ttl;
    hop.address = record.primary();
    hop.name = m_names.value(hop.address);
    hop.sent = stats.sent();
    hop.received = stats.received();
    hop.lossPct = stats.lossPercent();
    hop.hasRtt = stats.hasRtt();
    if (hop.hasRtt) {
        hop.lastMs = stats.lastMs();
        hop.avgMs = stats.avgMs();
        hop.bestMs = stats.bestMs();
        hop.worstMs = stats.worstMs();
        hop.stddevMs = stats.stddevMs();
    }
    for (const HopRecord::Member &member : record.members()) {
        hop.addresses.append(Protocol::HopAddress{member.address, m_names.value(member.address),
            member.stats.received(), member.stats.avgMs(), member.stats.bestMs()});
    }
    return hop;
}

void TracerouteProbe::finishRound()
{
    m_waveTimer.stop();
    endRound();
    if (m_socket)
        m_socket->forgetPending();
    m_outstanding.clear();

    const int limit = roundLimit();
    const bool reached = m_destinationTtl > 0 && m_round.at(m_destinationTtl - 1).reached;
    const QList<QStringList> path = roundPath(limit);
    bool changed = false;
    QString changeMessage;
    if (limit > 0) {
        const QList<QStringList> known = knownPath();
        changed = m_havePreviousPath && routeChanged(known, m_previousReached, path, reached);
        const bool lostAddress = updateHops(limit, known, path, changed);
        changed = changed || (m_havePreviousPath && lostAddress);
        m_previousLimit = limit;
        m_previousReached = reached;
        m_havePreviousPath = true;
        if (changed) {
            changeMessage = tr("The route to %1 changed from [%2] to [%3].")
                                .arg(spec().target, pathText(known), pathText(knownPath()));
        }
    }
    if (m_destinationTtl > 0)
        m_lastDestinationTtl = m_destinationTtl;
    else if (!isRoundUnresolved())
        resolver().markSuspect(); // the name may point elsewhere now

    QList<HopFigures> figures;
    Protocol::TracerouteDetail detail;
    for (int ttl = 1; ttl <= limit; ++ttl) {
        const HopRecord &record = m_hops.at(ttl - 1);
        const HopStatistics &stats = record.statistics();
        if (stats.hasRtt())
            figures.append(HopFigures{ttl, record.primary(), stats.lossPercent(), true, stats.bestMs()});
        detail.hops.append(hopDetail(ttl));
    }
    detail.target = spec().target;
    if (!m_roundAddress.isNull())
        detail.address = m_roundAddress.toString();
    detail.protocol = protocolName(m_params.protocol);
    if (m_params.protocol != Validation::TracerouteParams::Protocol::Icmp)
        detail.port = m_params.port;
    detail.reached = reached;
    detail.routeChanged = changed;
    detail.timestamps = tally(limit);
    detail.clock = clockReading(ClockState::recent());
    const Attribution attribution = attributeLoss(figures);
    if (attribution.lossTtl > 0)
        detail.lossHop = Protocol::HopStep{attribution.lossTtl, attribution.lossAddress, attribution.lossStepPct};
    if (attribution.latencyTtl > 0)
        detail.latencyHop
            = Protocol::HopStep{attribution.latencyTtl, attribution.latencyAddress, attribution.latencyStepMs};
    detail.rateLimited = attribution.rateLimitedTtls;

    Protocol::Round round;
    round.testId = spec().id;
    round.timeMs = roundTimeMs();
    const auto add = [&round](const char16_t *metric, double value) {
        round.values.append(Protocol::MetricValue{QString::fromUtf16(metric), value});
    };
    // A round that found no route, or no address for the name, is a failure to show, not a gap; one
    // that could not even open its socket measured nothing about the path.
    const bool measured = limit > 0 || !hasRoundError() || m_failedSends > 0 || isRoundUnresolved();
    if (measured) {
        add(Metric::TracerouteHops, limit);
        add(Metric::TracerouteReached, reached ? 1 : 0);
        if (reached) {
            const RoundHop &destination = m_round.at(m_destinationTtl - 1);
            if (!destination.rttsMs.isEmpty()) {
                add(Metric::TracerouteDestRtt,
                    std::accumulate(destination.rttsMs.cbegin(), destination.rttsMs.cend(), 0.0)
                        / double(destination.rttsMs.size()));
            }
            add(Metric::TracerouteDestLoss,
                100.0 * std::max<qsizetype>(0, destination.sent - destination.rttsMs.size()) / destination.sent);
        } else {
            add(Metric::TracerouteDestLoss, 100.0);
        }
        add(Metric::TracerouteRouteChanged, changed ? 1 : 0);
        round.detail = std::move(detail);
    }
    round.error = takeRoundError();

    QPointer<TracerouteProbe> guard(this);
    if (changed) {
        qCInfo(lcProbe).noquote() << changeMessage;
        Q_EMIT event({QDateTime::currentMSecsSinceEpoch(), u"warning"_s, u"route-changed"_s, changeMessage, spec().id});
        if (!guard)
            return;
    }
    Q_EMIT roundFinished(round); // last: a receiver may start the next round or delete us
}

// This folder's entry in the probe factory (agent/CMakeLists.txt finds it).
ProbeType tracerouteProbeType()
{
    return probeType<TracerouteProbe>(TestTypes::tracerouteType(), Validation::parseTracerouteParams);
}

} // namespace StreamSwarm::Agent
