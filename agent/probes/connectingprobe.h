// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QHostAddress>

#include "agent/probes/resolvingprobe.h"
#include "agent/probes/tcpconnector.h"

namespace StreamSwarm::Agent {

// What the probes that open a TCP connection to host:port each round share (tcp, tls): the lookup of
// the host, the connection attempt and its plain-worded failures ("localhost (127.0.0.1) port 9
// refused the connection ..."). The type goes on from connector()'s finished(true). Main thread.
class ConnectingProbe : public ResolvingProbe
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConnectingProbe)
public:
    ~ConnectingProbe() override;

protected:
    // logName: "tls 7", naming the test in log lines.
    ConnectingProbe(
        const Protocol::TestSpec &spec, const QString &host, quint16 port, const QString &logName, QObject *parent);

    QString unresolvedError(const QString &reason) const final;
    QString slowLookupError(const QString &took) const final;

    TcpConnector &connector() { return m_connector; }
    quint16 port() const { return m_port; }
    // The address this round connects to; null before beginMeasuring() or after forgetRoundAddress().
    QHostAddress roundAddress() const { return m_roundAddress; }
    void forgetRoundAddress() { m_roundAddress = QHostAddress(); }
    // "www.example.com (192.0.2.1) port 443", or "192.0.2.1 port 443" for an address target.
    QString whereText() const;

    // Starts connecting to the round's address; false when no attempt could even start (the round's
    // error is set and the round finishes soon).
    bool startConnecting();
    // After connector()'s finished(false): the round's error says why, and the address may be stale.
    void failConnecting();
    // The connection was not open within timeoutMs: the same, in those words. False when it was open.
    bool failSlowConnect(qint64 timeoutMs);

private:
    QString m_host;
    quint16 m_port = 0;
    TcpConnector m_connector;
    QHostAddress m_roundAddress;
};

} // namespace StreamSwarm::Agent
