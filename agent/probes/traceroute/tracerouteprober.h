// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QAbstractSocket>
#include <QHostAddress>
#include <QObject>

#include "agent/probes/timestamping.h"

namespace StreamSwarm::Agent {

// Sends one traceroute's TTL-limited probes and reports who answered each, whatever carries them:
// one shared socket (ICMP echo, UDP: TracerouteSocket) or one socket per probe (TCP SYN:
// TracerouteTcpProber). Non-blocking; lives on the agent's main thread.
class TracerouteProber : public QObject
{
    Q_OBJECT
public:
    enum class Answer {
        TimeExceeded, // a router on the way
        Reached, // the destination: echo reply, port unreachable, a UDP answer, SYN-ACK or RST
        Unreachable, // a router or the destination said the destination is unreachable
    };
    Q_ENUM(Answer)

    using QObject::QObject;
    ~TracerouteProber() override = default;

    virtual bool open(QString *error) = 0;
    virtual bool isOpen() const = 0;
    virtual QAbstractSocket::NetworkLayerProtocol protocol() const = 0;
    // key tells the probes of one round apart; below KEY_SPACE.
    virtual bool sendProbe(const QHostAddress &target, int ttl, quint16 key, QString *error) = 0;
    // Drops every probe still waiting (a round ended); their answers, should they come, are ignored.
    virtual void forgetPending() = 0;
    // How much longer probes handed over may still be answered beyond the wave's timeout (TCP:
    // probes still queued for a free socket); 0 when none.
    virtual qint64 msUntilSettled() const { return 0; }

    static constexpr int KEY_SPACE = 1024; // distinct keys (UDP ports), more than one round ever sends

Q_SIGNALS:
    // source: the clocks the RTT came from (the weaker of its two ends).
    void probeAnswered(quint16 key, const QHostAddress &from, StreamSwarm::Agent::TracerouteProber::Answer answer,
        qint64 rttNs, StreamSwarm::Agent::TimestampSource source);
};

} // namespace StreamSwarm::Agent
