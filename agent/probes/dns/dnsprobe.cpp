// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "dnsprobe.h"

#include <algorithm>

#include <QPointer>

#include <ares.h>

#include "agent/probes/dns/dnsanswer.h"
#include "agent/probes/probefactory.h"
#include "shared/util/duration.h"
#include "shared/util/logging.h"

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace StreamSwarm::Agent {

namespace {

constexpr int TRIES = 3; // per server, as dig
// c-ares doubles each try's wait (1 + 2 + 4): three tries to one server fill the timeout.
constexpr int TRY_WAITS_PER_TIMEOUT = 7;
constexpr qint64 MAX_TIMEOUT_MS = 60'000; // defensive; the parser keeps it within the interval
constexpr int RCODE_SERVFAIL = 2;
constexpr int RCODE_NXDOMAIN = 3;
constexpr int RCODE_REFUSED = 5;

} // namespace

DnsProbe::DnsProbe(const Protocol::TestSpec &spec, const Validation::DnsParams &params, QObject *parent)
    : Probe(parent)
    , m_spec(spec)
    , m_params(params)
    , m_typeCode(std::max(1, dnsTypeCode(params.queryType)))
    , m_giveUp([this] { handleTimeout(); })
    , m_finish([this] { finishRound(); })
{
    m_params.timeoutMs = std::clamp<qint64>(m_params.timeoutMs, 1, MAX_TIMEOUT_MS);
}

DnsProbe::~DnsProbe() = default;

void DnsProbe::startRound(qint64 roundTimeMs)
{
    if (m_roundRunning) {
        qCDebug(lcProbe).noquote() << "dns" << m_spec.id << "round still running at the next start; finishing it now";
        QPointer<DnsProbe> guard(this);
        finishRound();
        if (!guard)
            return;
    }
    m_roundRunning = true;
    m_roundTimeMs = roundTimeMs;
    m_outcome.reset();
    m_setupError.clear();
    // A fresh channel each round: the last one's sockets and state go, /etc/resolv.conf is read again.
    m_channel = std::make_unique<AresChannel>();
    AresChannel::Options options;
    options.server = m_params.server;
    options.port = m_params.serverPort;
    options.tcp = m_params.tcp;
    options.tries = TRIES;
    options.tryTimeoutMs = std::max<qint64>(1, m_params.timeoutMs / TRY_WAITS_PER_TIMEOUT);
    if (!m_channel->open(options, &m_setupError)) {
        m_finish.start(0ns);
        return;
    }
    connect(m_channel.get(), &AresChannel::queryFinished, this, &DnsProbe::handleQueryFinished);
    m_giveUp.start(std::chrono::milliseconds(m_params.timeoutMs));
    m_channel->sendQuery(m_params.queryName, m_typeCode, m_params.recurse);
}

void DnsProbe::handleQueryFinished(const AresOutcome &outcome)
{
    // Called from inside c-ares: the channel is deleted later, from the event loop.
    if (!m_roundRunning || m_outcome)
        return;
    m_outcome = outcome;
    m_giveUp.stop();
    m_finish.start(0ns);
}

void DnsProbe::handleTimeout()
{
    if (m_roundRunning && !m_outcome)
        finishRound();
}

QString DnsProbe::serverText(const AresOutcome &outcome) const
{
    if (!outcome.server.isEmpty())
        return outcome.server;
    if (!m_params.server.isNull()) {
        return m_params.server.protocol() == QAbstractSocket::IPv6Protocol
            ? u"[%1]:%2"_s.arg(m_params.server.toString()).arg(m_params.serverPort)
            : u"%1:%2"_s.arg(m_params.server.toString()).arg(m_params.serverPort);
    }
    const QStringList servers = m_channel ? m_channel->servers() : QStringList();
    return servers.isEmpty() ? tr("the system's resolver") : servers.join(u", "_s);
}

QString DnsProbe::unansweredError(const AresOutcome &outcome) const
{
    const QString server = outcome.serversAsked.size() > 1 ? outcome.serversAsked.join(u", "_s) : serverText(outcome);
    if (outcome.refused || outcome.status == ARES_ECONNREFUSED) {
        return tr("The DNS server %1 refused the query for %2: nothing answers DNS on that port.")
            .arg(server, m_params.queryName);
    }
    if (outcome.status < 0 || outcome.status == ARES_ETIMEOUT || outcome.status == ARES_ECANCELLED) {
        const auto sent = [](int count, const QString &once, const QString &times) {
            return count == 1 ? once : times.arg(count);
        };
        QStringList tries;
        if (outcome.udpSends > 0)
            tries.append(sent(outcome.udpSends, tr("sent once over UDP"), tr("sent %1 times over UDP")));
        if (outcome.tcpSends > 0)
            tries.append(sent(outcome.tcpSends, tr("sent once over TCP"), tr("sent %1 times over TCP")));
        const QString how = tries.isEmpty() ? tr("the query could not be sent") : tries.join(tr(", then "));
        return tr("No answer from %1 for %2 within %3 (%4).")
            .arg(server, m_params.queryName, formatDurationMs(m_params.timeoutMs), how);
    }
    return tr("The lookup of %1 through %2 failed: %3.").arg(m_params.queryName, server, outcome.statusText);
}

void DnsProbe::fillAnswered(Protocol::Round &round, Protocol::DnsDetail &detail, const AresOutcome &outcome)
{
    DnsAnswer answer;
    QString why;
    if (!DnsAnswer::parse(outcome.answer, &answer, &why)) {
        round.error
            = tr("The answer from %1 for %2 does not read as DNS: %3.").arg(detail.server, m_params.queryName, why);
        return;
    }
    const double lookupMs = outcome.firstSendNs > 0 && outcome.answerNs >= outcome.firstSendNs
        ? double(outcome.answerNs - outcome.firstSendNs) / 1e6
        : 0.0;
    detail.rcode = dnsRcodeName(answer.rcode);
    detail.authoritative = answer.authoritative;
    detail.answersCut = answer.cut;
    detail.answers = answer.records;
    const auto add = [&round](const char16_t *metric, double value) {
        round.values.append(Protocol::MetricValue{QString::fromUtf16(metric), value});
    };
    add(Metric::DnsLookup, lookupMs);
    add(Metric::DnsRcode, answer.rcode);
    add(Metric::DnsAnswers, double(answer.records.size()));
    if (!answer.records.isEmpty()) {
        const auto shortest = std::min_element(answer.records.cbegin(), answer.records.cend(),
            [](const Protocol::DnsRecord &a, const Protocol::DnsRecord &b) { return a.ttl < b.ttl; });
        add(Metric::DnsTtlMin, double(shortest->ttl));
    }
    // A name that does not exist, or a server that cannot or will not answer, is still a measured
    // answer: its values are kept, and the error says in plain words what it means. The sentence
    // leaves the lookup time out (it is a metric): the console logs an event whenever a test's
    // error text changes, so the same failure must read the same at every round.
    switch (answer.rcode) {
    case 0:
        break;
    case RCODE_NXDOMAIN:
        round.error
            = tr("The name %1 does not exist (NXDOMAIN), answered by %2.").arg(m_params.queryName, detail.server);
        break;
    case RCODE_SERVFAIL:
        round.error = tr("The DNS server %1 failed to resolve %2 (SERVFAIL).").arg(detail.server, m_params.queryName);
        break;
    case RCODE_REFUSED:
        round.error
            = tr("The DNS server %1 refused to answer for %2 (REFUSED).").arg(detail.server, m_params.queryName);
        break;
    default:
        round.error = tr("The DNS server %1 answered the query for %2 with %3.")
                          .arg(detail.server, m_params.queryName, detail.rcode);
        break;
    }
}

void DnsProbe::finishRound()
{
    m_giveUp.stop();
    m_finish.stop();
    m_roundRunning = false;

    Protocol::Round round;
    round.testId = m_spec.id;
    round.timeMs = m_roundTimeMs;
    if (!m_setupError.isEmpty()) {
        round.error = std::exchange(m_setupError, QString());
    } else {
        const bool answered = m_outcome && m_outcome->status == ARES_SUCCESS;
        const AresOutcome outcome = m_outcome ? *m_outcome : m_channel->progress();
        Protocol::DnsDetail detail;
        detail.query = m_params.queryName;
        detail.queryType = m_params.queryType;
        detail.server = serverText(outcome);
        detail.transport = outcome.tcp ? u"tcp"_s : u"udp"_s;
        detail.sends = outcome.udpSends + outcome.tcpSends;
        // c-ares turns to TCP unasked only after a truncated UDP answer.
        detail.truncatedUdp = outcome.tcp && !m_params.tcp && outcome.udpSends > 0;
        if (answered)
            fillAnswered(round, detail, outcome);
        else
            round.error = unansweredError(outcome);
        round.detail = detail;
    }
    if (!round.error.isEmpty())
        qCDebug(lcProbe).noquote() << "dns" << m_spec.id << round.error;
    m_outcome.reset();
    // Outside c-ares here (a Deadline or startRound()): the channel and its sockets may go.
    m_channel.reset();
    Q_EMIT roundFinished(round); // last: a receiver may start the next round or delete us
}

// This folder's entry in the probe factory (agent/CMakeLists.txt finds it).
ProbeType dnsProbeType()
{
    return probeType<DnsProbe>(TestTypes::dnsType(), Validation::parseDnsParams);
}

} // namespace StreamSwarm::Agent
