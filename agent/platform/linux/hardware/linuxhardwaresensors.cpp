// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "agent/platform/hardwaresensors.h"
#include "agent/platform/linux/hardware/edacreader.h"
#include "agent/platform/linux/hardware/hwmonreader.h"
#include "agent/platform/linux/hardware/powersupplyreader.h"
#include "agent/platform/linux/hardware/raplreader.h"

namespace StreamSwarm::Agent::Platform {

namespace {

// Linux: every source is a few sysfs files under the root.
class LinuxHardwareSensors final : public HardwareSensors
{
public:
    explicit LinuxHardwareSensors(const QString &root)
        : m_hwmon(root)
        , m_rapl(root)
        , m_supplies(root)
        , m_edac(root)
    { }

    HardwareReadings read() const override
    {
        HardwareReadings readings;
        m_hwmon.readInto(readings);
        m_rapl.readInto(readings);
        m_supplies.readInto(readings);
        m_edac.readInto(readings);
        return readings;
    }

private:
    HwmonReader m_hwmon;
    RaplReader m_rapl;
    PowerSupplyReader m_supplies;
    EdacReader m_edac;
};

} // namespace

std::unique_ptr<HardwareSensors> createHardwareSensors(const QString &root)
{
    return std::make_unique<LinuxHardwareSensors>(root);
}

} // namespace StreamSwarm::Agent::Platform
