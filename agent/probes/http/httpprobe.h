// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <memory>

#include <QElapsedTimer>
#include <QList>

#include "agent/probes/http/httptransfer.h"
#include "agent/probes/probe.h"
#include "agent/scheduler/deadline.h"
#include "shared/testtypes/http.h"

namespace StreamSwarm::Agent {

class CurlMulti;

// The http test: per round, `requests` requests of the URL one after the other through libcurl on the
// thread's CurlMulti; the first on a new connection with a fresh name lookup, the others reusing it
// where the server allows, the last closing it. One Round with the first request's phase times (as
// curl -w), size, throughput, compression, status and redirects, the reused requests' times, and an
// HttpDetail; any failure is the round's error in plain words, with the figures it got that far.
// Main thread; never blocks it.
class HttpProbe final : public Probe
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HttpProbe)
public:
    HttpProbe(const Protocol::TestSpec &spec, const Validation::HttpParams &params, QObject *parent = nullptr);
    ~HttpProbe() override;

    // A round still running is finished (and emitted) first; the new round's result always comes later,
    // from the event loop.
    void startRound(qint64 roundTimeMs) override;
    const Validation::HttpParams &params() const { return m_params; }

private:
    void startRequest();
    void handleRequestFinished();
    void handleRoundOverdue();
    void setRoundError(const QString &reason);
    void finishRound();
    Protocol::Round buildRound() const;
    Protocol::HttpDetail buildDetail() const;

    Protocol::TestSpec m_spec;
    Validation::HttpParams m_params;
    QString m_urlError; // the target is no http URL (validation should have said so already)
    std::shared_ptr<CurlMulti> m_multi;
    std::unique_ptr<HttpTransfer> m_transfer;
    QList<HttpTransferResult> m_results; // this round's requests, in order
    QElapsedTimer m_roundClock;
    Deadline m_overdue; // curl bounds each request by the round's timeout; this bounds curl
    Deadline m_finishSoon;
    bool m_roundRunning = false;
    qint64 m_roundTimeMs = 0;
    qint64 m_requestTimeoutMs = 0; // what curl allowed the running request
    QString m_roundError;
};

} // namespace StreamSwarm::Agent
