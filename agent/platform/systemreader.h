// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <memory>
#include <optional>

#include <QHash>
#include <QList>
#include <QString>

#include "shared/metrics/systemparts.h"

// What the system test reads from the host: raw counters and levels, as the operating system keeps
// them. Rates come from two readings (SystemRates); a platform fills what it can and says what it
// could not in `unavailable`. Plain values, any thread.
namespace StreamSwarm::Agent {

// Time a CPU (or all of them) spent in each state since boot, in the kernel's ticks.
struct CpuTimes
{
    QString name; // "cpu" for all together, "cpu0" ...
    quint64 user = 0; // nice included
    quint64 system = 0; // irq and softirq included
    quint64 idle = 0;
    quint64 iowait = 0;
    quint64 steal = 0;
    quint64 total() const { return user + system + idle + iowait + steal; }
};

struct DiskCounters
{
    QString device; // "sda", "nvme0n1"
    quint64 reads = 0; // completed
    quint64 writes = 0;
    quint64 readBytes = 0;
    quint64 writtenBytes = 0;
    quint64 busyMs = 0; // time with I/O in progress
};

struct FilesystemUsage
{
    QString mountPoint;
    QString device;
    quint64 sizeBytes = 0;
    quint64 freeBytes = 0; // for ordinary users
    quint64 usedBytes = 0;
    quint64 inodes = 0; // 0: the filesystem has no fixed count (btrfs)
    quint64 inodesFree = 0;
};

struct InterfaceCounters
{
    QString name;
    quint64 rxBytes = 0;
    quint64 rxPackets = 0;
    quint64 rxErrors = 0;
    quint64 rxDrops = 0;
    quint64 txBytes = 0;
    quint64 txPackets = 0;
    quint64 txErrors = 0;
    quint64 txDrops = 0;
    std::optional<qint64> speedMbps; // absent when the driver does not say
    std::optional<int> mtu;
    std::optional<bool> up;
};

struct SystemSnapshot
{
    qint64 monotonicNs = 0; // when it was read
    std::optional<CpuTimes> cpuTotal;
    QList<CpuTimes> cores;
    std::optional<quint64> contextSwitches;
    std::optional<quint64> interrupts;
    std::optional<quint64> forks;
    std::optional<int> running;
    std::optional<int> blocked;
    std::optional<double> load1;
    std::optional<double> load5;
    std::optional<double> load15;
    std::optional<int> processes;
    std::optional<double> uptimeSeconds;
    // /proc/meminfo, bytes.
    std::optional<quint64> memTotal;
    std::optional<quint64> memAvailable;
    std::optional<quint64> memFree;
    std::optional<quint64> memCached; // page cache and buffers
    std::optional<quint64> swapTotal;
    std::optional<quint64> swapFree;
    QList<DiskCounters> disks;
    QList<FilesystemUsage> filesystems;
    QList<InterfaceCounters> interfaces;
    // The IP stack's counters by their kernel names ("Tcp.RetransSegs", "Udp.RcvbufErrors",
    // "TcpExt.TCPOFOQueue"), as /proc/net/snmp and /proc/net/netstat name them.
    QHash<QString, qint64> stack;
    std::optional<int> socketsUsed;
    QString kernel;
    // What could not be read: {what, why}, in plain words.
    QList<QPair<QString, QString>> unavailable;
};

// Reads the host. read() is quick (files in /proc and /sys, a statvfs per mount) and never blocks on
// the network; a platform without a source leaves it empty and lists it as unavailable.
class SystemReader
{
public:
    virtual ~SystemReader() = default;
    // Reads the parts asked for; the rest of the snapshot stays empty.
    virtual SystemSnapshot read(SystemParts parts = ALL_SYSTEM_PARTS) = 0;
};

// This platform's reader of the live host.
std::unique_ptr<SystemReader> createSystemReader();

} // namespace StreamSwarm::Agent
