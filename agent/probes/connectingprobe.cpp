// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "connectingprobe.h"

#include "shared/util/duration.h"

namespace StreamSwarm::Agent {

ConnectingProbe::ConnectingProbe(
    const Protocol::TestSpec &spec, const QString &host, quint16 port, const QString &logName, QObject *parent)
    : ResolvingProbe(spec, host, logName, parent)
    , m_host(host)
    , m_port(port)
{ }

ConnectingProbe::~ConnectingProbe() = default;

QString ConnectingProbe::unresolvedError(const QString &reason) const
{
    return tr("Cannot connect to %1: the name does not resolve to an address (%2).").arg(spec().target, reason);
}

QString ConnectingProbe::slowLookupError(const QString &took) const
{
    return tr("Cannot connect to %1: looking up the name took longer than %2.").arg(spec().target, took);
}

QString ConnectingProbe::whereText() const
{
    const QString address = m_roundAddress.isNull() ? m_host : m_roundAddress.toString();
    if (resolver().isLiteral() || m_roundAddress.isNull())
        return tr("%1 port %2").arg(address).arg(m_port);
    return tr("%1 (%2) port %3").arg(m_host, address).arg(m_port);
}

bool ConnectingProbe::startConnecting()
{
    m_roundAddress = address();
    QString error;
    if (!m_connector.start(m_roundAddress, m_port, &error)) {
        setRoundError(error);
        finishSoon();
        return false;
    }
    return true;
}

void ConnectingProbe::failConnecting()
{
    setRoundError(asSentence(describeConnectFailure(m_connector.failure(), whereText())));
    resolver().markSuspect();
}

bool ConnectingProbe::failSlowConnect(qint64 timeoutMs)
{
    if (!m_connector.isConnecting())
        return false;
    setRoundError(tr("No answer from %1 within %2: the connection attempt was given up.")
                      .arg(whereText(), formatDurationMs(timeoutMs)));
    resolver().markSuspect();
    return true;
}

} // namespace StreamSwarm::Agent
