// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <memory>
#include <optional>

#include "agent/platform/systemreader.h"
#include "agent/probes/probe.h"
#include "agent/scheduler/deadline.h"
#include "shared/testtypes/system.h"

namespace StreamSwarm::Agent {

// The system test: each round reads the host (SystemReader) and reports levels, and rates since the
// round before. The first round has no round before: it reads twice, a moment apart, so the user
// sees rates at once. What the host does not offer is left out and named in the detail; the round
// itself succeeds.
class SystemProbe final : public Probe
{
    Q_OBJECT
public:
    SystemProbe(const Protocol::TestSpec &spec, const Validation::SystemParams &params,
        std::unique_ptr<SystemReader> reader = createSystemReader(), QObject *parent = nullptr);
    ~SystemProbe() override;

    void startRound(qint64 roundTimeMs) override;

private:
    void finishRound();

    Protocol::TestSpec m_spec;
    Validation::SystemParams m_params;
    std::unique_ptr<SystemReader> m_reader;
    std::optional<SystemSnapshot> m_previous;
    qint64 m_roundTimeMs = 0;
    Deadline m_secondReading;
};

} // namespace StreamSwarm::Agent
