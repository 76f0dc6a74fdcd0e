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
    : ConnectingProbe(spec, params.host, params.port, u"tcp %1"_s.arg(spec.id), parent)
    , m_params(params)
    , m_timeout([this] { handleTimeout(); })
{
    connect(&connector(), &TcpConnector::finished, this, &TcpProbe::handleConnected);
}

TcpProbe::~TcpProbe() = default;

void TcpProbe::clearRound()
{
    connector().abort();
    m_connectMs = -1;
    forgetRoundAddress();
}

void TcpProbe::beginMeasuring()
{
    if (startConnecting())
        m_timeout.start(std::chrono::milliseconds(m_params.timeoutMs));
}

void TcpProbe::handleConnected(bool connected)
{
    if (!isRoundRunning())
        return;
    if (connected) {
        m_connectMs = connector().connectMs();
        ::close(connector().takeSocket());
    } else {
        failConnecting();
    }
    finishRound();
}

void TcpProbe::handleTimeout()
{
    if (!isRoundRunning())
        return;
    failSlowConnect(m_params.timeoutMs);
    finishRound();
}

void TcpProbe::finishRound()
{
    m_timeout.stop();
    connector().abort();
    endRound();
    Protocol::Round round;
    round.testId = spec().id;
    round.timeMs = roundTimeMs();
    if (m_connectMs >= 0)
        round.values.append(Protocol::MetricValue{QString::fromUtf16(Metric::TcpConnect), m_connectMs});
    if (!roundAddress().isNull())
        round.detail = Protocol::TcpDetail{roundAddress().toString(), port()};
    round.error = takeRoundError();
    Q_EMIT roundFinished(round);
}

// This folder's entry in the probe factory (agent/CMakeLists.txt finds it).
ProbeType tcpProbeType()
{
    return probeType<TcpProbe>(TestTypes::tcpType(), Validation::parseTcpParams);
}

} // namespace StreamSwarm::Agent
