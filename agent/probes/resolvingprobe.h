// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <memory>

#include <QHostAddress>

#include "agent/probes/probe.h"
#include "agent/probes/targetresolver.h"
#include "agent/scheduler/deadline.h"

namespace StreamSwarm::Agent {

// What the probes that measure toward a named target share: a round's life around the target's
// lookup. startRound() finishes a round still running, lets the type clear its own state and, as
// soon as the address is known (at once when it is cached, or when the first lookup ends within a
// round's length), calls beginMeasuring(). A name that does not resolve, or not in time, fails the
// round with a plain reason; the first error of a round is the one it reports. Main thread.
class ResolvingProbe : public Probe
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ResolvingProbe)
public:
    ~ResolvingProbe() override;

    // A round still running is finished (and emitted) first, so each call gives exactly one
    // roundFinished(); the new round's own result always comes later, from the event loop.
    void startRound(qint64 roundTimeMs) final;

    const Protocol::TestSpec &spec() const { return m_spec; }
    bool isRoundRunning() const { return m_roundRunning; }
    QHostAddress address() const { return m_resolver.address(); } // null until resolved

protected:
    // logName: "ping 7", naming the test in log lines.
    ResolvingProbe(const Protocol::TestSpec &spec, const QString &logName, QObject *parent);
    // The host to look up is not the whole target (the "host" of "host:port").
    ResolvingProbe(const Protocol::TestSpec &spec, const QString &host, const QString &logName, QObject *parent);

    // The type's own state, cleared for a new round.
    virtual void clearRound() = 0;
    // The target's address (address()) is known: the round's measuring starts.
    virtual void beginMeasuring() = 0;
    // Builds and emits the round, last; begins with endRound().
    virtual void finishRound() = 0;
    // The longest one round may take, which also bounds the wait for a first lookup.
    virtual qint64 longestRoundMs() const = 0;
    // The round's error in the type's words when the name does not resolve (reason: the
    // resolver's), or when looking it up took longer than `took`.
    virtual QString unresolvedError(const QString &reason) const = 0;
    virtual QString slowLookupError(const QString &took) const = 0;

    void endRound();
    // Finishes the round from the event loop, never from inside startRound().
    void finishSoon() { m_lookupWait.start(std::chrono::nanoseconds(0)); }
    TargetResolver &resolver() { return m_resolver; }
    const TargetResolver &resolver() const { return m_resolver; }
    qint64 roundTimeMs() const { return m_roundTimeMs; }
    bool isRoundUnresolved() const { return m_roundUnresolved; }
    // The round runs and its target's address is known: answers may count.
    bool isMeasuring() const { return m_roundRunning && !m_waitingForAddress; }
    const QString &logName() const { return m_logName; }

    // Keeps the round's first error (also logged at debug level); takeRoundError() hands it over.
    void setRoundError(const QString &error);
    bool hasRoundError() const { return !m_roundError.isEmpty(); }
    QString takeRoundError();
    // Opens the probe's socket; one that cannot be opened is reset and logged once, not at every round.
    template <typename Socket>
    bool openSocket(std::unique_ptr<Socket> &socket, QString *error)
    {
        if (!socket->open(error)) {
            socket.reset();
            noteSocketError(*error);
            return false;
        }
        noteSocketError(QString());
        return true;
    }

private:
    void noteSocketError(const QString &error);
    void handleLookupFinished();
    void handleLookupWait();
    void failUnresolved();

    Protocol::TestSpec m_spec;
    QString m_logName;
    TargetResolver m_resolver;
    Deadline m_lookupWait; // the bound on a first lookup; at 0, a round finishing soon
    bool m_roundRunning = false;
    bool m_waitingForAddress = false;
    bool m_roundUnresolved = false; // the target's name did not resolve: nothing could be sent
    qint64 m_roundTimeMs = 0;
    QString m_roundError;
    QString m_socketError; // the last one logged
};

} // namespace StreamSwarm::Agent
