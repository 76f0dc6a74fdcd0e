// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <memory>

#include "agent/platform/hardwaresensors.h"
#include "agent/probes/hardware/counterdeltas.h"
#include "agent/probes/hardware/hardwareround.h"
#include "agent/probes/hardware/smartctlrunner.h"
#include "agent/probes/probe.h"
#include "shared/testtypes/hardware.h"

namespace StreamSwarm::Agent {

// The hardware test: each round reads the host's sensors (cheap sysfs reads, on the main thread),
// then, when the test asks for drives, waits for smartctl (a child process, bounded by smart-timeout).
// Whatever the host lacks is named in the detail as not available; the round itself never fails.
class HardwareProbe final : public Probe
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HardwareProbe)
public:
    HardwareProbe(const Protocol::TestSpec &spec, const Validation::HardwareParams &params, QObject *parent = nullptr);
    // Tests: the sensors of a fixture tree under root, and a fake smartctl.
    HardwareProbe(const Protocol::TestSpec &spec, const Validation::HardwareParams &params, const QString &root,
        const QString &smartctlProgram, QObject *parent = nullptr);
    ~HardwareProbe() override;

    void startRound(qint64 roundTimeMs) override;

private:
    void handleDrives(const QList<DriveHealth> &drives, const QString &problem);
    void finishRound();

    Protocol::TestSpec m_spec;
    Validation::HardwareParams m_params;
    std::unique_ptr<Platform::HardwareSensors> m_sensors;
    SmartctlRunner m_smartctl;
    CounterDeltas m_deltas;
    bool m_roundRunning = false;
    qint64 m_roundTimeMs = 0;
    HardwareFindings m_findings;
};

} // namespace StreamSwarm::Agent
