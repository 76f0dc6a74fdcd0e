// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "tcpprobe.h"

#include <unistd.h>

#include "agent/probes/probefactory.h"
#include "shared/protocol/details.h"
#include "shared/util/duration.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Agent {

TcpProbe::TcpProbe(const Protocol::TestSpec &spec, const Validation::TcpParams &params, QObject *parent)
    : ResolvingProbe(spec, params.host, u"tcp %1"_s.arg(spec.id), parent)
    , m_params(params)
    , m_timeout([this] { handleTimeout(); })
{
    connect(&m_connector, &TcpConnector::finished, this, &TcpProbe::handleConnected);
}

TcpProbe::~TcpProbe() = default;

void TcpProbe::clearRound()
{
    m_connector.abort();
    m_connectMs = -1;
    m_roundAddress = QHostAddress();
}

QString TcpProbe::unresolvedError(const QString &reason) const
{
    return tr("Cannot connect to %1: the name does not resolve to an address (%2).").arg(spec().target, reason);
}

QString TcpProbe::slowLookupError(const QString &took) const
{
    return tr("Cannot connect to %1: looking up the name took longer than %2.").arg(spec().target, took);
}

QString TcpProbe::whereText() const
{
    const QString address = m_roundAddress.isNull() ? m_params.host : m_roundAddress.toString();
    if (resolver().isLiteral() || m_roundAddress.isNull())
        return tr("%1 port %2").arg(address).arg(m_params.port);
    return tr("%1 (%2) port %3").arg(m_params.host, address).arg(m_params.port);
}

void TcpProbe::beginMeasuring()
{
    m_roundAddress = address();
    QString error;
    if (!m_connector.start(m_roundAddress, m_params.port, &error)) {
        setRoundError(error);
        finishSoon();
        return;
    }
    m_timeout.start(std::chrono::milliseconds(m_params.timeoutMs));
}

void TcpProbe::handleConnected(bool connected)
{
    if (!isRoundRunning())
        return;
    if (connected) {
        m_connectMs = m_connector.connectMs();
        ::close(m_connector.takeSocket());
    } else {
        const QString reason = describeConnectFailure(m_connector.failure(), whereText());
        setRoundError(reason.left(1).toUpper() + reason.mid(1) + u'.');
        resolver().markSuspect();
    }
    finishRound();
}

void TcpProbe::handleTimeout()
{
    if (!isRoundRunning())
        return;
    if (m_connector.isConnecting()) {
        setRoundError(tr("No answer from %1 within %2: the connection attempt was given up.")
                          .arg(whereText(), formatDurationMs(m_params.timeoutMs)));
        resolver().markSuspect();
    }
    finishRound();
}

void TcpProbe::finishRound()
{
    m_timeout.stop();
    m_connector.abort();
    endRound();
    Protocol::Round round;
    round.testId = spec().id;
    round.timeMs = roundTimeMs();
    if (m_connectMs >= 0)
        round.values.append(Protocol::MetricValue{QString::fromUtf16(Metric::TcpConnect), m_connectMs});
    if (!m_roundAddress.isNull())
        round.detail = Protocol::TcpDetail{m_roundAddress.toString(), m_params.port};
    round.error = takeRoundError();
    Q_EMIT roundFinished(round);
}

// This folder's entry in the probe factory (agent/CMakeLists.txt finds it).
ProbeType tcpProbeType()
{
    return probeType<TcpProbe>(TestTypes::tcpType(), Validation::parseTcpParams);
}

} // namespace StreamSwarm::Agent
