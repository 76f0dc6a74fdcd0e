// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QString>
#include <QUrl>

namespace StreamSwarm::Soak {

// What streamswarm-swarm --lean is told: bench_ingest starts several such processes.
struct LeanOptions
{
    QUrl server;
    QString token;
    QString namePrefix; // agents are named <prefix>-<n>
    int agents = 250;
    int roundsPerBatch = 10; // ping rounds of 13 metrics each
    int batchIntervalMs = 250; // an agent's sealing cadence
    int window = 32; // unacked batches at most, as the real agent
    int connectParallel = 2; // handshakes at a time (the console admits 8 pending per address)
    int drainSeconds = 30;
    QString latencyFile; // ack latencies of the measured window, in microseconds (qint32 each)
};

// The lean load generator: many agents in one process, each a plain WebSocket speaking the real
// protocol (enrollment, hello, assign, results with seq and floor, acks, pongs), sending one
// pre-encoded batch per interval with only its seq, floor and times patched, and no spool. It
// reads commands on stdin: "go" starts the measured window (until "stop", then it waits for the
// acks in flight, prints its figures and exits); "quit" exits at once. Runs on the main thread.
int runLean(const LeanOptions &options);

} // namespace StreamSwarm::Soak
