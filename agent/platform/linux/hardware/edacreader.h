// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QString>

#include "agent/platform/hardwaresensors.h"

namespace StreamSwarm::Agent::Platform {

// Memory errors found and corrected (or not) by ECC, per memory controller, from the kernel's EDAC
// drivers (<root>/sys/devices/system/edac/mc/mcN/ce_count and ue_count). Any thread.
class EdacReader
{
public:
    explicit EdacReader(const QString &root);

    void readInto(HardwareReadings &readings) const;

private:
    QString m_directory; // <root>/sys/devices/system/edac/mc
};

} // namespace StreamSwarm::Agent::Platform
