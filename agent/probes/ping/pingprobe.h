// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <memory>

#include <QHostAddress>
#include <QTimer>

#include "agent/probes/ping/pingstatistics.h"
#include "agent/probes/resolvingprobe.h"
#include "agent/scheduler/deadline.h"
#include "shared/protocol/validation.h"
#include "shared/testtypes/ping.h"

namespace StreamSwarm::Agent {

class IcmpSocket;

// The ping test: per round, count ICMP echoes spacing apart to the target, then up to timeout for
// the replies; one Round with RTT figures, running jitter, loss, duplicates, reordering, and the
// ICMP errors routers sent back (named in the round's error). Resolves the target name
// asynchronously and caches it. Lives on the agent's main thread; never blocks it.
class PingProbe final : public ResolvingProbe
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PingProbe)
public:
    explicit PingProbe(const Protocol::TestSpec &spec, const Validation::PingParams &params, QObject *parent = nullptr);
    ~PingProbe() override;

    const Validation::PingParams &params() const { return m_params; }

private:
    void clearRound() override;
    void beginMeasuring() override;
    void finishRound() override;
    qint64 longestRoundMs() const override;
    QString unresolvedError(const QString &reason) const override;
    QString slowLookupError(const QString &took) const override;

    QString targetText() const;
    bool ensureSocket(QString *error);
    void sendNextEcho();
    void handleReply(quint16 sequence, qint64 rttNs, int ttl, TimestampSource source);
    void handleIcmpError(quint16 sequence, const QString &description, const QHostAddress &reporter);
    bool isRoundComplete() const;

    Validation::PingParams m_params;
    QHostAddress m_roundAddress; // what this round pings; a refresh applies from the next one
    QHostAddress m_previousRoundAddress; // the jitter restarts when it changes

    std::unique_ptr<IcmpSocket> m_socket;

    QTimer m_sendTimer;
    Deadline m_replyWait; // after the last echo
    int m_failedSends = 0;
    PingStatistics m_statistics;
    TimestampTally m_timestamps; // how this round's RTTs were timed
    JitterEstimator m_jitter;
    quint16 m_nextSequence = 0;
};

} // namespace StreamSwarm::Agent
