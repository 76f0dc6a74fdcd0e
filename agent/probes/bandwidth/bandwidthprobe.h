// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QByteArray>
#include <QElapsedTimer>
#include <QPointer>
#include <QProcess>
#include <QTimer>

#include "agent/probes/probe.h"
#include "shared/protocol/details/bandwidth.h"
#include "shared/testtypes/bandwidth.h"

namespace StreamSwarm::Agent {

// The bandwidth test: one measurement per round, an iperf3 one against the target's iperf3 server
// (method=iperf3, libiperf), against another agent in a turn the console gives the two (method=agent:
// PeerTurns; that agent's TurnServer serves it) or a speed test against a LibreSpeed server
// (method=http, libcurl: the download, then the upload), made in a process of its own (streamswarm-agent-throughput),
// which the probe stops when the round has run past its limit (connecting, warm-up, measuring and the results'
// exchange). So a server that stops answering holds nothing for longer than that, and the agent's own memory never
// holds libiperf. One bulk measurement runs at a time on an agent (BulkSlot): a round due while another runs waits its
// turn, as long as its interval leaves room, and is skipped (and says so) after that. Main thread, never blocks.
class BandwidthProbe final : public Probe
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BandwidthProbe)
public:
    using Params = Validation::BandwidthParams;

    // The most a report may be (iperf3's JSON for 32 streams over a minute is under 1 MB).
    static constexpr qint64 MAX_REPORT_BYTES = 16 * 1024 * 1024;

    BandwidthProbe(const Protocol::TestSpec &spec, Params params, QObject *parent = nullptr);
    ~BandwidthProbe() override;

    void startRound(qint64 roundTimeMs) override;

    // The helper's arguments for these parameters.
    static QStringList helperArguments(const Params &params);

private:
    // How long past its own wait a round waits for the console's answer to its request for a turn.
    static constexpr qint64 TURN_ANSWER_GRACE_MS = 2000;

    void takeBulkSlot();
    void launch();
    void finishRound(const QString &error);
    void onHelperFinished();
    Protocol::BandwidthDetail askedDetail() const;

    Protocol::TestSpec m_spec;
    Params m_params;
    QPointer<QProcess> m_helper;
    QByteArray m_report;
    QTimer m_limit;
    QTimer m_waitLimit; // how long a round may wait for the agent's bulk slot
    QElapsedTimer m_sinceDue; // from the round's start as scheduled
    bool m_waiting = false; // for the slot, or for a turn
    bool m_awaitingTurn = false; // method=agent: for the console's answer
    qint64 m_waitedMs = 0;
    qint64 m_roundTimeMs = 0;
};

} // namespace StreamSwarm::Agent
