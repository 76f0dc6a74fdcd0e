// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include "agent/platform/hardwaresensors.h"
#include "agent/probes/hardware/counterdeltas.h"
#include "agent/probes/hardware/smartctlreport.h"
#include "shared/protocol/messages.h"

namespace StreamSwarm::Agent {

// What one hardware round found: the sensors' readings, the figures worked out from their counters,
// and smartctl's drives.
struct HardwareFindings
{
    Platform::HardwareReadings readings;
    QList<CounterDeltas::Power> power;
    QList<CounterDeltas::NewErrors> newErrors;
    bool drivesAsked = false; // the test's smart parameter is on
    QList<DriveHealth> drives;
    QString drivesProblem; // smartctl could not be run or could not list the drives
};

// The round's metric values, each instance named as its label (hw.temp_c{sensor=coretemp Core 0}),
// and its detail. Pure functions.
namespace HardwareRound {

QList<Protocol::MetricValue> values(const HardwareFindings &findings);
Protocol::HardwareDetail detail(const HardwareFindings &findings);

} // namespace HardwareRound

} // namespace StreamSwarm::Agent
