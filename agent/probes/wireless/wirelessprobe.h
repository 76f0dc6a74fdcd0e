// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <memory>

#include "agent/platform/wirelessreader.h"
#include "agent/probes/probe.h"
#include "agent/scheduler/deadline.h"
#include "shared/protocol/details/wireless.h"
#include "shared/testtypes/wireless.h"

namespace StreamSwarm::Agent {

// The wireless test: each round reads the host's Wi-Fi link once (network, access point, channel,
// noise) and its signal `samples` times, spread over the interval by a Deadline, so the event loop
// runs between readings; each reading is a bounded kernel query (WirelessReader). A change of
// access point since the round before raises one "wifi-roamed" event. A host without Wi-Fi, or
// without the right to read it, gives rounds that say so in their detail: no values and no error,
// since nothing failed. Main thread.
class WirelessProbe final : public Probe
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WirelessProbe)
public:
    // reader: the platform's when none is given (tests give their own).
    WirelessProbe(const Protocol::TestSpec &spec, const Validation::WirelessParams &params,
        std::unique_ptr<WirelessReader> reader = {}, QObject *parent = nullptr);
    ~WirelessProbe() override;

    void startRound(qint64 roundTimeMs) override;

private:
    void takeReading();
    void addReading(const WirelessSignal &signal);
    void finishRound();
    void noticeRoaming();
    std::optional<double> averageSignal() const;
    QList<Protocol::MetricValue> roundValues() const;

    Protocol::TestSpec m_spec;
    Validation::WirelessParams m_params;
    std::unique_ptr<WirelessReader> m_reader;
    Deadline m_nextReading;
    bool m_running = false;
    qint64 m_roundTimeMs = 0;
    int m_readingsLeft = 0;
    WirelessLink m_link;
    Protocol::WirelessDetail m_detail;
    QString m_lastBssid; // the access point of the last connected round; empty after a round without one
    QString m_loggedUnavailable; // logged once, not every round
};

} // namespace StreamSwarm::Agent
