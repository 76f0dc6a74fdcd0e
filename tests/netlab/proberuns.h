// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <memory>
#include <optional>

#include <QList>
#include <QString>

#include "shared/protocol/messages.h"

namespace StreamSwarm::Agent {
class PingProbe;
class Probe;
class TracerouteProbe;
} // namespace StreamSwarm::Agent

namespace StreamSwarm::NetLab {

// A round of a probe waits this long at most by default.
constexpr int ROUND_WAIT_MS = 10000;

// The lab's way to run the agent's probes in a test or a benchmark, on the calling thread.
//
// Runs `rounds` rounds back to back (each starts when the one before has ended), bounded by timeoutMs
// in all, and returns those that finished; when fewer did, or a round finished twice, error says so.
// elapsedNs: from the first startRound() to the last roundFinished(). With ns (a lab namespace's system
// name, Lab::namespaceName), the thread stays inside that namespace until the last round has ended, not
// only while it starts one: a probe may make sockets later in its round (TCP traceroute one per probe,
// a probe that reopens a socket after an error), and each of them must be made there.
QList<Protocol::Round> runRounds(Agent::Probe &probe, int rounds, int timeoutMs, QString *error = nullptr,
    const QString &ns = {}, qint64 *elapsedNs = nullptr);
// One round as runRounds() runs it; nullopt when it did not finish in time (or the namespace could not
// be entered).
std::optional<Protocol::Round> runRound(
    Agent::Probe &probe, const QString &ns = {}, qint64 *elapsedNs = nullptr, int timeoutMs = ROUND_WAIT_MS);

// The probes for a test definition, with the parameters checked as the agent checks them; nullptr and
// a sentence when they are refused.
std::unique_ptr<Agent::PingProbe> makePingProbe(const Protocol::TestSpec &spec, QString *error);
std::unique_ptr<Agent::TracerouteProbe> makeTracerouteProbe(const Protocol::TestSpec &spec, QString *error);

// A metric's value in a round; -1 when the round lacks it (no ping or traceroute metric can be negative).
double metricValue(const Protocol::Round &round, const char16_t *metric);

} // namespace StreamSwarm::NetLab
