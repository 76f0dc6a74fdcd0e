// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QString>

#include "agent/platform/hardwaresensors.h"

namespace StreamSwarm::Agent::Platform {

// The CPU's energy counters (RAPL, through powercap: <root>/sys/class/powercap/intel-rapl:N[:M] with
// name, energy_uj and max_energy_range_uj; AMD processors appear there too). A package is
// "package-0", its parts "package-0/core", "package-0/dram". The counters are cumulative; the probe
// turns two readings into watts. Any thread.
class RaplReader
{
public:
    explicit RaplReader(const QString &root);

    void readInto(HardwareReadings &readings) const;

private:
    QString m_directory; // <root>/sys/class/powercap
};

} // namespace StreamSwarm::Agent::Platform
