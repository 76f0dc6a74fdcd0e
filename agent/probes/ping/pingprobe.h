// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <memory>

#include <QHostAddress>
#include <QTimer>

#include "agent/probes/ping/pingstatistics.h"
#include "agent/probes/probe.h"
#include "agent/probes/targetresolver.h"
#include "agent/scheduler/deadline.h"
#include "shared/protocol/validation.h"
#include "shared/testtypes/ping.h"

namespace StreamSwarm::Agent {

class IcmpSocket;

// The ping test: per round, count ICMP echoes spacing apart to the target, then up to timeout for
// the replies; one Round with RTT figures, running jitter, loss, duplicates, reordering, and the
// ICMP errors routers sent back (named in the round's error). Resolves the target name
// asynchronously and caches it. Lives on the agent's main thread; never blocks it.
class PingProbe final : public Probe
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PingProbe)
public:
    explicit PingProbe(const Protocol::TestSpec &spec, const Validation::PingParams &params, QObject *parent = nullptr);
    ~PingProbe() override;

    // A round still running is finished (and emitted) first, so each call gives exactly one
    // roundFinished(); the new round's own result always comes later, from the event loop.
    void startRound(qint64 roundTimeMs) override;

    const Protocol::TestSpec &spec() const { return m_spec; }
    const Validation::PingParams &params() const { return m_params; }
    bool isRoundRunning() const { return m_roundRunning; }
    QHostAddress address() const { return m_resolver.address(); } // null until resolved

private:
    void handleLookupFinished();
    void failUnresolved();
    void handleWaitTimeout();
    qint64 roundLengthMs() const;
    QString targetText() const;
    void beginSending();
    bool ensureSocket(QString *error);
    void sendNextEcho();
    void handleReply(quint16 sequence, qint64 rttNs, int ttl, TimestampSource source);
    void handleIcmpError(quint16 sequence, const QString &description, const QHostAddress &reporter);
    bool isRoundComplete() const;
    void finishRound();
    void setRoundError(const QString &error);

    Protocol::TestSpec m_spec;
    Validation::PingParams m_params;
    TargetResolver m_resolver;
    QHostAddress m_roundAddress; // what this round pings; a refresh applies from the next one
    QHostAddress m_previousRoundAddress; // the jitter restarts when it changes

    std::unique_ptr<IcmpSocket> m_socket;
    QString m_socketError; // last open failure, logged once

    QTimer m_sendTimer;
    Deadline m_wait; // reply timeout after the last echo, or the bound on the first lookup
    bool m_roundRunning = false;
    bool m_waitingForAddress = false;
    qint64 m_roundTimeMs = 0;
    int m_failedSends = 0;
    QString m_roundError;
    bool m_roundUnresolved = false; // the target's name did not resolve: nothing could be sent
    PingStatistics m_statistics;
    TimestampTally m_timestamps; // how this round's RTTs were timed
    JitterEstimator m_jitter;
    quint16 m_nextSequence = 0;
};

} // namespace StreamSwarm::Agent
