// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QString>

#include "agent/platform/hardwaresensors.h"

namespace StreamSwarm::Agent::Platform {

// Temperatures and fan speeds from the kernel's hwmon drivers (<root>/sys/class/hwmon/hwmonN: name,
// tempN_input in millidegrees, fanN_input in rpm, tempN_label and fanN_label), read the way
// Documentation/hwmon/sysfs-interface.rst describes. We read sysfs directly rather than through
// libsensors: libsensors reads the same files but only from the real /sys (so it cannot be tested on
// fixture trees), and the kernel's labels already name modern chips' sensors. Any thread.
class HwmonReader
{
public:
    explicit HwmonReader(const QString &root);

    // Adds the temperatures and fans under root to readings, or says why there are none.
    void readInto(HardwareReadings &readings) const;

private:
    QString m_directory; // <root>/sys/class/hwmon
};

} // namespace StreamSwarm::Agent::Platform
