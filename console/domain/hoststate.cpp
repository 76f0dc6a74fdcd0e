// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "hoststate.h"

#include <array>

namespace StreamSwarm::Console {

namespace {

// Above (or, with lowerIsWorse, below) warning it is a Warning, beyond critical Critical. Thresholds
// from common practice: df-style full disks, a CPU held busy, swapping, a link losing packets.
struct Threshold
{
    const char16_t *metric;
    double warning;
    double critical;
    bool lowerIsWorse = false;
};

constexpr std::array THRESHOLDS{
    Threshold{u"cpu.busy_pct", 80, 95},
    Threshold{u"cpu.core_busy_pct", 90, 99},
    Threshold{u"cpu.iowait_pct", 10, 30},
    Threshold{u"cpu.steal_pct", 5, 20},
    Threshold{u"mem.used_pct", 85, 95},
    Threshold{u"swap.used_pct", 50, 90},
    Threshold{u"fs.used_pct", 80, 95},
    Threshold{u"fs.inodes_used_pct", 80, 95},
    Threshold{u"disk.busy_pct", 80, 95},
    Threshold{u"if.up", 0.5, -1, true}, // down is a warning: it may be unplugged on purpose
    Threshold{u"if.rx_errors_per_s", 0, 10},
    Threshold{u"if.tx_errors_per_s", 0, 10},
    Threshold{u"if.rx_drops_per_s", 10, 1000},
    Threshold{u"if.tx_drops_per_s", 0, 100},
    Threshold{u"net.tcp_retrans_pct", 1, 5},
    Threshold{u"net.udp_buffer_errors_per_s", 0, 100},
    Threshold{u"hw.temp_c", 80, 95},
    Threshold{u"smart.healthy", 0.5, 0.5, true},
    Threshold{u"smart.temp_c", 55, 65},
    Threshold{u"smart.reallocated_sectors", 0, 100},
    Threshold{u"smart.pending_sectors", 0, 10},
    Threshold{u"smart.nvme_used_pct", 80, 100},
    Threshold{u"hw.ecc_uncorrected", 0, 0},
    Threshold{u"hw.battery_pct", 20, 5, true},
    Threshold{u"wifi.signal_dbm_avg", -70, -80, true},
};

} // namespace

HostState hostState(QStringView metric, double value)
{
    for (const Threshold &threshold : THRESHOLDS) {
        if (metric != QStringView(threshold.metric))
            continue;
        if (threshold.lowerIsWorse) {
            if (value < threshold.critical)
                return HostState::Critical;
            return value < threshold.warning ? HostState::Warning : HostState::Normal;
        }
        if (value > threshold.critical)
            return HostState::Critical;
        return value > threshold.warning ? HostState::Warning : HostState::Normal;
    }
    return HostState::Normal;
}

} // namespace StreamSwarm::Console
