// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QFlags>
#include <QStringView>

namespace StreamSwarm {

// The parts of a host the system test reads (its only= parameter), as the agent's reader reads them:
// each is the metrics whose names begin with its prefix: cpu, mem and swap, proc and host, disk, fs,
// if, net.
enum class SystemPart : quint8 {
    Cpu = 0x01, // cpu.*: use, load averages, context switches, interrupts
    Memory = 0x02, // mem.*, swap.*
    Processes = 0x04, // proc.*, host.uptime_s
    Disks = 0x08, // disk.*
    Filesystems = 0x10, // fs.*
    Interfaces = 0x20, // if.*
    Network = 0x40, // net.*: the IP stack and TCP health
};
Q_DECLARE_FLAGS(SystemParts, SystemPart)
Q_DECLARE_OPERATORS_FOR_FLAGS(SystemParts)
inline constexpr SystemParts ALL_SYSTEM_PARTS = SystemParts::fromInt(0x7f);
// The part a system metric belongs to, from its name ("if.rx_bytes_per_s{if=eth0}": Interfaces);
// none for a name of another family.
SystemParts systemPartOf(QStringView sampleName);

} // namespace StreamSwarm
