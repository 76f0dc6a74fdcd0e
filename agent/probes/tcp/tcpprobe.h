// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include "agent/probes/connectingprobe.h"
#include "agent/scheduler/deadline.h"
#include "shared/testtypes/tcp.h"

namespace StreamSwarm::Agent {

// The tcp test: each round opens one connection to host:port, times the three-way handshake and
// closes it again. Refused, unreachable and silent ports are the round's error, in plain words.
class TcpProbe final : public ConnectingProbe
{
    Q_OBJECT
public:
    TcpProbe(const Protocol::TestSpec &spec, const Validation::TcpParams &params, QObject *parent = nullptr);
    ~TcpProbe() override;

private:
    void clearRound() override;
    void beginMeasuring() override;
    void finishRound() override;
    qint64 longestRoundMs() const override { return m_params.timeoutMs; }

    void handleConnected(bool connected);
    void handleTimeout();

    Validation::TcpParams m_params;
    Deadline m_timeout;
    double m_connectMs = -1; // the round's figure; -1 while there is none
};

} // namespace StreamSwarm::Agent
