// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "bandwidthprobe.h"

#include <algorithm>
#include <climits>
#include <utility>

#include "agent/bulk/bulkslot.h"
#include "agent/bulk/peerturns.h"
#include "agent/bulk/throughputhelper.h"
#include "agent/probes/bandwidth/iperfreport.h"
#include "agent/probes/bandwidth/speedreport.h"
#include "agent/probes/probefactory.h"
#include "shared/protocol/validation.h"
#include "shared/util/duration.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Agent {

BandwidthProbe::BandwidthProbe(const Protocol::TestSpec &spec, Params params, QObject *parent)
    : Probe(parent)
    , m_spec(spec)
    , m_params(std::move(params))
{
    m_limit.setSingleShot(true);
    m_limit.setTimerType(Qt::PreciseTimer); // a coarse timer may fire 5 % early
    connect(&m_limit, &QTimer::timeout, this, [this] {
        finishRound(tr("The measurement did not finish within %1 (connecting, %2 of warm-up, %3 measuring and the "
                       "results' exchange), so it was stopped: the server stopped answering, or the link is too "
                       "slow for it. Try a shorter duration or look at the path.")
                        .arg(formatDurationMs(m_params.roundLimitMs()), formatDurationMs(1000LL * m_params.omitSeconds),
                            formatDurationMs(1000LL * m_params.seconds)));
    });
    m_waitLimit.setSingleShot(true);
    m_waitLimit.setTimerType(Qt::PreciseTimer);
    connect(&m_waitLimit, &QTimer::timeout, this, [this] {
        m_waitedMs = m_sinceDue.elapsed();
        const QString waited = formatDurationMs((m_waitedMs + 50) / 100 * 100);
        finishRound(m_awaitingTurn
                ? tr("The console did not answer this round's request for a turn within %1, so the round was "
                     "skipped.")
                      .arg(waited)
                : tr("Another bandwidth test on this agent was still running after the %1 this round could wait, "
                     "so the round was skipped: two at once would each measure half the link. Give the tests "
                     "longer intervals, or put fewer on one agent.")
                      .arg(waited));
    });
}

BandwidthProbe::~BandwidthProbe()
{
    BulkSlot::instance().release(this);
    PeerTurns::instance().release(this);
    stopThroughputHelper(std::exchange(m_helper, nullptr), this);
}

QStringList BandwidthProbe::helperArguments(const Params &params)
{
    if (params.isHttp()) {
        return {u"speedtest"_s, params.url, u"--streams"_s, QString::number(params.streams), u"--seconds"_s,
            QString::number(params.seconds), u"--warmup"_s, QString::number(params.omitSeconds), u"--direction"_s,
            params.download && params.upload ? u"both"_s
                : params.download            ? u"download"_s
                                             : u"upload"_s,
            u"--connect-timeout"_s, QString::number(params.connectTimeoutMs)};
    }
    QStringList arguments{u"client"_s, params.host, QString::number(params.port), u"--streams"_s,
        QString::number(params.streams), u"--seconds"_s, QString::number(params.seconds), u"--connect-timeout"_s,
        QString::number(params.connectTimeoutMs)};
    if (params.omitSeconds)
        arguments << u"--omit"_s << QString::number(params.omitSeconds);
    if (params.udp)
        arguments << u"--udp"_s;
    if (params.reverse)
        arguments << u"--reverse"_s;
    if (params.bitsPerSecond)
        arguments << u"--bitrate"_s << QString::number(params.bitsPerSecond);
    if (params.dscp)
        arguments << u"--tos"_s << QString::number(params.dscp << 2);
    return arguments;
}

void BandwidthProbe::startRound(qint64 roundTimeMs)
{
    if (m_helper || m_waiting) // the last round ran into this one: it is reported first, with its own time
        finishRound(tr("The measurement was still running when the next round began, so it was stopped."));
    m_roundTimeMs = roundTimeMs;
    m_report.clear();
    m_sinceDue.start();
    m_waitedMs = 0;
    m_waiting = true;
    // Validation keeps the round's limit within the interval; what is left over is the most it may wait.
    const qint64 waitMs = std::clamp<qint64>(m_spec.intervalMs - m_params.roundLimitMs(), 0, INT_MAX);
    if (!m_params.isAgent()) {
        m_waitLimit.start(int(waitMs));
        takeBulkSlot();
        return;
    }
    // The console answers by the end of the wait (a refusal at the latest); the grace covers the trip.
    m_awaitingTurn = true;
    m_waitLimit.start(int(std::min<qint64>(waitMs + TURN_ANSWER_GRACE_MS, INT_MAX)));
    PeerTurns::instance().ask(
        this, m_spec.id, m_params.roundLimitMs(), waitMs, [this](const PeerTurns::Answer &answer) {
            m_awaitingTurn = false;
            if (!answer.error.isEmpty()) {
                m_waitedMs = m_sinceDue.elapsed();
                finishRound(answer.error);
                return;
            }
            m_params.host = answer.address;
            m_params.port = answer.port;
            takeBulkSlot();
        });
}

void BandwidthProbe::takeBulkSlot()
{
    BulkSlot::instance().request(this, [this] {
        m_waiting = false;
        m_waitLimit.stop();
        m_waitedMs = m_sinceDue.elapsed();
        launch();
    });
}

void BandwidthProbe::launch()
{
    const QString program = throughputHelperProgram();
    if (program.isEmpty()) {
        finishRound(tr("The bandwidth helper %1 is not installed beside the agent; reinstall the agent package.")
                        .arg(QLatin1StringView(THROUGHPUT_HELPER_NAME)));
        return;
    }
    auto *helper = new QProcess(this);
    m_helper = helper;
    helper->setProgram(program);
    helper->setArguments(helperArguments(m_params));
    helper->setProcessChannelMode(QProcess::SeparateChannels);
    helper->setStandardInputFile(QProcess::nullDevice());
    connect(helper, &QProcess::readyReadStandardOutput, this, [this, helper] {
        m_report += helper->readAllStandardOutput();
        if (m_report.size() > MAX_REPORT_BYTES)
            finishRound(tr("The iperf3 report grew past %1 MB, so the measurement was stopped.")
                            .arg(MAX_REPORT_BYTES / (1024 * 1024)));
    });
    connect(helper, &QProcess::finished, this, &BandwidthProbe::onHelperFinished);
    connect(helper, &QProcess::errorOccurred, this, [this, helper](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart)
            finishRound(
                tr("The bandwidth helper %1 could not start: %2.").arg(helper->program(), helper->errorString()));
    });
    m_limit.start(int(std::min<qint64>(m_params.roundLimitMs(), std::numeric_limits<int>::max())));
    helper->start();
}

void BandwidthProbe::onHelperFinished()
{
    if (!m_helper)
        return;
    m_report += m_helper->readAllStandardOutput();
    if (m_report.trimmed().isEmpty()) {
        const QString said = QString::fromUtf8(m_helper->readAllStandardError()).trimmed().left(300);
        finishRound(tr("The bandwidth helper ended without a report (%1).")
                        .arg(said.isEmpty() ? tr("exit status %1").arg(m_helper->exitCode()) : said));
        return;
    }
    finishRound(QString());
}

void BandwidthProbe::finishRound(const QString &error)
{
    m_limit.stop();
    m_waitLimit.stop();
    m_waiting = false;
    m_awaitingTurn = false;
    BulkSlot::instance().release(this); // the next round in line, of this test or another, may start
    PeerTurns::instance().release(this); // and the console may give the peer agent's turn to another
    stopThroughputHelper(std::exchange(m_helper, nullptr), this);
    Protocol::Round round;
    round.testId = m_spec.id;
    round.timeMs = m_roundTimeMs;
    Protocol::BandwidthDetail detail = askedDetail();
    if (error.isEmpty()) {
        IperfReport report
            = m_params.isHttp() ? readSpeedReport(m_report, &detail) : readIperfReport(m_report, &detail);
        round.values = std::move(report.values);
        if (!report.error.isEmpty() && m_params.isHttp())
            round.error = tr("Speed test at %1: %2").arg(m_params.url, report.error);
        else if (!report.error.isEmpty() && m_params.isAgent())
            round.error = tr("iperf3 to agent %1 (%2 port %3): %4")
                              .arg(m_params.peerAgent, m_params.host)
                              .arg(m_params.port)
                              .arg(report.error);
        else if (!report.error.isEmpty())
            round.error = tr("iperf3 to %1 port %2: %3").arg(m_params.host).arg(m_params.port).arg(report.error);
    } else {
        round.error = error;
    }
    m_report.clear();
    round.detail = std::move(detail);
    Q_EMIT roundFinished(round);
}

Protocol::BandwidthDetail BandwidthProbe::askedDetail() const
{
    Protocol::BandwidthDetail detail;
    detail.method = m_params.method;
    detail.server = m_params.isHttp() ? m_params.url
        : m_params.isAgent()          ? QString::fromUtf16(Validation::AGENT_TARGET_PREFIX) + m_params.peerAgent
                                      : m_params.host;
    detail.port = m_params.isHttp() ? 0 : m_params.port;
    detail.protocol = m_params.isHttp() ? u"http"_s : m_params.udp ? u"udp"_s : u"tcp"_s;
    detail.streams = m_params.streams;
    detail.seconds = m_params.seconds;
    detail.omitSeconds = m_params.omitSeconds;
    detail.reverse = m_params.reverse;
    detail.bitrate = m_params.bitsPerSecond;
    detail.dscp = m_params.dscp;
    detail.waitedMs = m_waitedMs;
    return detail;
}

// This folder's entry in the probe factory (agent/CMakeLists.txt finds it).
ProbeType bandwidthProbeType()
{
    return probeType<BandwidthProbe>(TestTypes::bandwidthType(), Validation::parseBandwidthParams);
}

} // namespace StreamSwarm::Agent
