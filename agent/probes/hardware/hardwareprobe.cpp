// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "hardwareprobe.h"

#include <QCoreApplication>
#include <QElapsedTimer>

#include "agent/probes/probefactory.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Agent {

HardwareProbe::HardwareProbe(const Protocol::TestSpec &spec, const Validation::HardwareParams &params, QObject *parent)
    : HardwareProbe(spec, params, u"/"_s, u"smartctl"_s, parent)
{ }

HardwareProbe::HardwareProbe(const Protocol::TestSpec &spec, const Validation::HardwareParams &params,
    const QString &root, const QString &smartctlProgram, QObject *parent)
    : Probe(parent)
    , m_spec(spec)
    , m_params(params)
    , m_sensors(Platform::createHardwareSensors(root))
    , m_smartctl(smartctlProgram)
{
    connect(&m_smartctl, &SmartctlRunner::finished, this, &HardwareProbe::handleDrives);
}

HardwareProbe::~HardwareProbe() = default;

void HardwareProbe::startRound(qint64 roundTimeMs)
{
    if (m_roundRunning) {
        // smart-timeout is never longer than the interval, so this is a late timer; the round that
        // is still waiting ends now, so each round still finishes once.
        m_smartctl.abort();
        m_findings.drivesProblem = QCoreApplication::translate(
            "StreamSwarm::Agent::Hardware", "the next round began before smartctl answered");
        finishRound();
    }
    m_roundRunning = true;
    m_roundTimeMs = roundTimeMs;
    m_findings = HardwareFindings();
    m_findings.readings = m_sensors->read();
    QElapsedTimer monotonic;
    monotonic.start();
    m_findings.power = m_deltas.power(m_findings.readings.energy, monotonic.msecsSinceReference() * 1'000'000);
    m_findings.newErrors = m_deltas.newErrors(m_findings.readings.ecc);
    m_findings.drivesAsked = m_params.smart;
    if (m_params.smart)
        m_smartctl.start(m_params.smartTimeoutMs); // finished() may come at once, when smartctl is missing
    else
        finishRound();
}

void HardwareProbe::handleDrives(const QList<DriveHealth> &drives, const QString &problem)
{
    if (!m_roundRunning)
        return;
    m_findings.drives = drives;
    m_findings.drivesProblem = problem;
    finishRound();
}

void HardwareProbe::finishRound()
{
    m_roundRunning = false;
    Protocol::Round round;
    round.testId = m_spec.id;
    round.timeMs = m_roundTimeMs;
    round.values = HardwareRound::values(m_findings);
    round.detail = HardwareRound::detail(m_findings);
    Q_EMIT roundFinished(round);
}

// This folder's entry in the probe factory (agent/CMakeLists.txt finds it).
ProbeType hardwareProbeType()
{
    return probeType<HardwareProbe>(TestTypes::hardwareType(), Validation::parseHardwareParams);
}

} // namespace StreamSwarm::Agent
