// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QString>

#include "agent/platform/hardwaresensors.h"

namespace StreamSwarm::Agent::Platform {

// Batteries and external supplies (<root>/sys/class/power_supply/NAME: type, capacity, status,
// power_now or voltage_now and current_now, online). Supplies of attached devices (a wireless
// mouse's battery, scope "Device") are not the host's and are left out. Any thread.
class PowerSupplyReader
{
public:
    explicit PowerSupplyReader(const QString &root);

    void readInto(HardwareReadings &readings) const;

private:
    QString m_directory; // <root>/sys/class/power_supply
};

} // namespace StreamSwarm::Agent::Platform
