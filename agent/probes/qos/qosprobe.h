// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include "agent/probes/probe.h"
#include "agent/stamp/stampsession.h"
#include "shared/protocol/validation.h"
#include "shared/testtypes/qos.h"

namespace StreamSwarm::Agent {

// The qos test: a STAMP session-sender (StampSession) with one stream per chosen DSCP class. Per
// class and round: two-way delay (reflector time taken out) and its jitter; per direction loss,
// reordering, duplicates and jitter (told apart by the reflector's own numbering, see
// StampStatistics); one-way delays when both clocks say they are synchronised and their error bound is
// below the delay; and whether the marking arrived unchanged both ways. Main thread, never blocks.
class QosProbe final : public Probe
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(QosProbe)
public:
    using Params = Validation::QosParams;

    QosProbe(const Protocol::TestSpec &spec, Params params, QObject *parent = nullptr);
    ~QosProbe() override;

    void startRound(qint64 roundTimeMs) override;

private:
    void finishRound();

    Protocol::TestSpec m_spec;
    Params m_params;
    StampSession m_session;
    qint64 m_roundTimeMs = 0;
};

} // namespace StreamSwarm::Agent
