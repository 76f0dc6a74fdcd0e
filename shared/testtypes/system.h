// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QString>
#include <QStringList>

#include "shared/metrics/systemparts.h"
#include "shared/protocol/messages.h"
#include "shared/testtypes/testtype.h"

namespace StreamSwarm::Validation {

// system parameters after defaults, for the probe and for checks.
struct SystemParams
{
    bool perCore = true; // per-core CPU figures beside the totals
    QStringList interfaces; // only these interfaces; empty: all but loopback
    SystemParts parts = ALL_SYSTEM_PARTS; // only=
};

bool parseSystemParams(const Protocol::TestSpec &spec, SystemParams *params, QString *error);

} // namespace StreamSwarm::Validation

namespace StreamSwarm::TestTypes {

const TestType &systemType();

} // namespace StreamSwarm::TestTypes

// The system family. Per-instance metrics name their instance with the label beside them
// (sampleName(): "if.rx_bytes_per_s{if=eth0}").
namespace StreamSwarm::Metric {
// CPU, all cores together, % of the time since the last round.
inline constexpr char16_t CpuBusy[] = u"cpu.busy_pct";
inline constexpr char16_t CpuUser[] = u"cpu.user_pct";
inline constexpr char16_t CpuSystem[] = u"cpu.system_pct";
inline constexpr char16_t CpuIowait[] = u"cpu.iowait_pct";
inline constexpr char16_t CpuSteal[] = u"cpu.steal_pct";
inline constexpr char16_t CpuIdle[] = u"cpu.idle_pct";
// Per core: label "cpu", the core's number.
inline constexpr char16_t CoreBusy[] = u"cpu.core_busy_pct";
inline constexpr char16_t CoreUser[] = u"cpu.core_user_pct";
inline constexpr char16_t CoreSystem[] = u"cpu.core_system_pct";
inline constexpr char16_t CoreIowait[] = u"cpu.core_iowait_pct";
inline constexpr char16_t CoreSteal[] = u"cpu.core_steal_pct";
inline constexpr char16_t CoreIdle[] = u"cpu.core_idle_pct";
inline constexpr char16_t CpuCores[] = u"cpu.cores";
inline constexpr char16_t Load1[] = u"cpu.load1";
inline constexpr char16_t Load5[] = u"cpu.load5";
inline constexpr char16_t Load15[] = u"cpu.load15";
inline constexpr char16_t ContextSwitches[] = u"cpu.context_switches_per_s";
inline constexpr char16_t Interrupts[] = u"cpu.interrupts_per_s";
// Memory and swap.
inline constexpr char16_t MemTotal[] = u"mem.total_bytes";
inline constexpr char16_t MemUsed[] = u"mem.used_bytes";
inline constexpr char16_t MemAvailable[] = u"mem.available_bytes";
inline constexpr char16_t MemCached[] = u"mem.cached_bytes";
inline constexpr char16_t MemUsedPct[] = u"mem.used_pct";
inline constexpr char16_t SwapTotal[] = u"swap.total_bytes";
inline constexpr char16_t SwapUsed[] = u"swap.used_bytes";
inline constexpr char16_t SwapUsedPct[] = u"swap.used_pct";
// Processes and the host.
inline constexpr char16_t Processes[] = u"proc.count";
inline constexpr char16_t ProcessesRunning[] = u"proc.running";
inline constexpr char16_t ProcessesBlocked[] = u"proc.blocked";
inline constexpr char16_t Forks[] = u"proc.forks_per_s";
inline constexpr char16_t Uptime[] = u"host.uptime_s";
// Filesystems: label "mount", the mount point.
inline constexpr char16_t FsSize[] = u"fs.size_bytes";
inline constexpr char16_t FsUsed[] = u"fs.used_bytes";
inline constexpr char16_t FsFree[] = u"fs.free_bytes";
inline constexpr char16_t FsUsedPct[] = u"fs.used_pct";
inline constexpr char16_t FsInodesUsedPct[] = u"fs.inodes_used_pct";
// Disks: label "disk", the block device.
inline constexpr char16_t DiskReadBytes[] = u"disk.read_bytes_per_s";
inline constexpr char16_t DiskWriteBytes[] = u"disk.write_bytes_per_s";
inline constexpr char16_t DiskReads[] = u"disk.reads_per_s";
inline constexpr char16_t DiskWrites[] = u"disk.writes_per_s";
inline constexpr char16_t DiskBusy[] = u"disk.busy_pct";
// Interfaces: label "if", the interface name.
inline constexpr char16_t IfRxBytes[] = u"if.rx_bytes_per_s";
inline constexpr char16_t IfTxBytes[] = u"if.tx_bytes_per_s";
inline constexpr char16_t IfRxPackets[] = u"if.rx_packets_per_s";
inline constexpr char16_t IfTxPackets[] = u"if.tx_packets_per_s";
inline constexpr char16_t IfRxErrors[] = u"if.rx_errors_per_s";
inline constexpr char16_t IfTxErrors[] = u"if.tx_errors_per_s";
inline constexpr char16_t IfRxDrops[] = u"if.rx_drops_per_s";
inline constexpr char16_t IfTxDrops[] = u"if.tx_drops_per_s";
inline constexpr char16_t IfSpeed[] = u"if.speed_mbps";
inline constexpr char16_t IfUp[] = u"if.up";
inline constexpr char16_t IfMtu[] = u"if.mtu_bytes";
// The IP stack, all interfaces together.
inline constexpr char16_t TcpActiveOpens[] = u"net.tcp_active_opens_per_s";
inline constexpr char16_t TcpPassiveOpens[] = u"net.tcp_passive_opens_per_s";
inline constexpr char16_t TcpResets[] = u"net.tcp_resets_sent_per_s";
inline constexpr char16_t TcpEstablished[] = u"net.tcp_established";
inline constexpr char16_t TcpRetransmits[] = u"net.tcp_retrans_pct";
// TCP health: how the host's connections recover from loss and reordering (TcpExt in /proc/net/netstat).
inline constexpr char16_t TcpOutOfOrder[] = u"net.tcp_out_of_order_per_s";
inline constexpr char16_t TcpDuplicateData[] = u"net.tcp_dsacks_per_s";
inline constexpr char16_t TcpFastRetransmits[] = u"net.tcp_fast_retransmits_per_s";
inline constexpr char16_t TcpTimeouts[] = u"net.tcp_timeouts_per_s";
inline constexpr char16_t TcpConnectionsReset[] = u"net.tcp_connections_reset_per_s";
inline constexpr char16_t UdpReceiveErrors[] = u"net.udp_receive_errors_per_s";
inline constexpr char16_t UdpBufferErrors[] = u"net.udp_buffer_errors_per_s";
inline constexpr char16_t SocketsUsed[] = u"net.sockets_used";
} // namespace StreamSwarm::Metric
