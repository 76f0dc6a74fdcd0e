// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <memory>

#include <QElapsedTimer>
#include <QHash>
#include <QHostAddress>
#include <QSet>
#include <QTimer>

#include "agent/probes/resolvingprobe.h"
#include "agent/probes/timestamping.h"
#include "agent/probes/traceroute/tracerouteprober.h"
#include "agent/probes/traceroute/traceroutestatistics.h"
#include "shared/protocol/validation.h"
#include "shared/testtypes/traceroute.h"

namespace StreamSwarm::Agent {

// The traceroute test, mtr-style: per round, `probes` ICMP echoes, UDP datagrams or TCP SYNs to each TTL
// from 1, in waves of Validation::TRACEROUTE_WAVE_TTLS TTLs (the first wave as long as the last path),
// up to max-hops or the destination. Keeps per-hop statistics across rounds, with every address a
// load-balanced (ECMP) hop answers from, reports the path as a detail record with the source of its
// timestamps, raises "route-changed" when the path changes (see routeChanged() for the rule), and names
// the hop where loss or a latency step begins. Reverse DNS is asynchronous and never delays a round.
// Lives on the agent's main thread; never blocks it.
class TracerouteProbe final : public ResolvingProbe
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TracerouteProbe)
public:
    explicit TracerouteProbe(
        const Protocol::TestSpec &spec, const Validation::TracerouteParams &params, QObject *parent = nullptr);
    ~TracerouteProbe() override;

    const Validation::TracerouteParams &params() const { return m_params; }
    // The path as known after the latest round: each hop's primary address (its most frequent), one
    // per TTL from 1, empty where no hop answered.
    QStringList lastPath() const;

private:
    struct RoundHop
    {
        QStringList addresses; // the answers' addresses, one per answer
        int sent = 0;
        QList<double> rttsMs;
        QList<TimestampSource> sources; // how each RTT was timed
        bool terminal = false; // the destination, or a hop that said it is unreachable
        bool reached = false; // the destination itself answered
    };

    void clearRound() override;
    void beginMeasuring() override;
    void finishRound() override;
    qint64 longestRoundMs() const override;
    QString unresolvedError(const QString &reason) const override;
    QString slowLookupError(const QString &took) const override;
    bool ensureSocket(QString *error);
    void sendWave();
    void handleAnswer(
        quint16 key, const QHostAddress &from, TracerouteProber::Answer answer, qint64 rttNs, TimestampSource source);
    void handleWaveTimeout();
    int roundLimit() const;
    QList<QStringList> roundPath(int limit) const;
    QList<QStringList> knownPath() const;
    bool updateHops(int limit, const QList<QStringList> &known, const QList<QStringList> &path, bool changed);
    bool forgetVanished(int limit, double missProbability, int minMisses = HopRecord::MIN_MISSES);
    TimestampTally tally(int limit) const;
    Protocol::TracerouteHop hopDetail(int ttl) const;
    void resolveName(const QString &address);

    Validation::TracerouteParams m_params;
    QObject *m_lookupContext; // reverse lookups' context; outlives this probe while they run (see the destructor)
    int m_lookupsRunning = 0; // reverse lookups

    std::unique_ptr<TracerouteProber> m_socket;

    QTimer m_waveTimer; // per wave: the wait for answers
    QHostAddress m_roundAddress;
    QList<RoundHop> m_round; // by TTL - 1
    QHash<quint16, int> m_outstanding; // probe key -> TTL, unanswered this round
    int m_nextTtl = 1;
    int m_destinationTtl = 0; // this round's, 0 = not yet
    int m_lastDestinationTtl = 0; // the previous round's, sizing the first wave
    int m_failedSends = 0;
    quint16 m_nextKey = 0;

    QList<HopRecord> m_hops; // running, by TTL - 1
    int m_previousLimit = 0; // the latest round's path length
    bool m_previousReached = false;
    bool m_havePreviousPath = false;

    QHash<QString, QString> m_names; // address -> reverse DNS name ("" = none)
    QSet<QString> m_resolving;
};

} // namespace StreamSwarm::Agent
