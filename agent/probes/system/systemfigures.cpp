// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "systemfigures.h"

#include <cmath>

#include "shared/metrics/catalog.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Agent {

namespace {

// Rates above these are no real host's: a damaged counter.
constexpr double MAX_RATE_PER_S = 1e13; // bytes, packets or events per second
constexpr qint64 MIN_SPAN_NS = 1'000'000; // readings closer than 1 ms give no rates

class FigureList
{
public:
    explicit FigureList(QList<Protocol::MetricValue> *values)
        : m_values(values)
    { }

    void add(const char16_t *metric, double value, QStringView label = {}, QStringView instance = {})
    {
        if (!std::isfinite(value) || value < 0)
            return;
        m_values->append({label.isEmpty() ? QString::fromUtf16(metric) : sampleName(metric, label, instance), value});
    }
    template <typename T>
    void addIf(const char16_t *metric, const std::optional<T> &value)
    {
        if (value)
            add(metric, double(*value));
    }

private:
    QList<Protocol::MetricValue> *m_values;
};

// Per second between two counter readings; nullopt when the counter went backwards.
std::optional<double> ratePerSecond(quint64 before, quint64 now, double seconds)
{
    if (now < before || seconds <= 0)
        return std::nullopt;
    const double rate = double(now - before) / seconds;
    return rate <= MAX_RATE_PER_S ? std::optional(rate) : std::nullopt;
}

void addRate(FigureList &figures, const char16_t *metric, const std::optional<quint64> &before,
    const std::optional<quint64> &now, double seconds, QStringView label = {}, QStringView instance = {})
{
    if (before && now)
        if (const auto rate = ratePerSecond(*before, *now, seconds))
            figures.add(metric, *rate, label, instance);
}

struct CpuMetrics
{
    const char16_t *busy, *user, *system, *iowait, *steal, *idle;
};

void addCpuShares(FigureList &figures, const CpuTimes &before, const CpuTimes &now, const CpuMetrics &metrics,
    QStringView label = {}, QStringView instance = {})
{
    // Each state's ticks only grow; a core that went offline and back starts again from zero.
    if (now.user < before.user || now.system < before.system || now.idle < before.idle || now.iowait < before.iowait
        || now.steal < before.steal)
        return;
    const double total = double(now.total() - before.total());
    if (total <= 0)
        return;
    const auto share = [&](quint64 a, quint64 b) {
        return 100.0 * double(b - a) / total;
    };
    const double user = share(before.user, now.user);
    const double system = share(before.system, now.system);
    figures.add(metrics.busy, user + system, label, instance);
    figures.add(metrics.user, user, label, instance);
    figures.add(metrics.system, system, label, instance);
    figures.add(metrics.iowait, share(before.iowait, now.iowait), label, instance);
    figures.add(metrics.steal, share(before.steal, now.steal), label, instance);
    figures.add(metrics.idle, share(before.idle, now.idle), label, instance);
}

void addCpu(FigureList &figures, const SystemSnapshot *before, const SystemSnapshot &now,
    const Validation::SystemParams &params)
{
    if (!now.cores.isEmpty())
        figures.add(Metric::CpuCores, double(now.cores.size()));
    figures.addIf(Metric::Load1, now.load1);
    figures.addIf(Metric::Load5, now.load5);
    figures.addIf(Metric::Load15, now.load15);
    if (!before)
        return;
    if (before->cpuTotal && now.cpuTotal) {
        addCpuShares(figures, *before->cpuTotal, *now.cpuTotal,
            {Metric::CpuBusy, Metric::CpuUser, Metric::CpuSystem, Metric::CpuIowait, Metric::CpuSteal,
                Metric::CpuIdle});
    }
    if (!params.perCore)
        return;
    for (const CpuTimes &core : now.cores) {
        for (const CpuTimes &earlier : before->cores) {
            if (earlier.name != core.name)
                continue;
            addCpuShares(figures, earlier, core,
                {Metric::CoreBusy, Metric::CoreUser, Metric::CoreSystem, Metric::CoreIowait, Metric::CoreSteal,
                    Metric::CoreIdle},
                u"cpu", QStringView(core.name).mid(3));
            break;
        }
    }
}

void addMemory(FigureList &figures, const SystemSnapshot &now)
{
    figures.addIf(Metric::MemTotal, now.memTotal);
    figures.addIf(Metric::MemAvailable, now.memAvailable);
    figures.addIf(Metric::MemCached, now.memCached);
    if (now.memTotal && now.memAvailable && *now.memTotal > 0) {
        const quint64 used = *now.memTotal - std::min(*now.memAvailable, *now.memTotal);
        figures.add(Metric::MemUsed, double(used));
        figures.add(Metric::MemUsedPct, 100.0 * double(used) / double(*now.memTotal));
    }
    figures.addIf(Metric::SwapTotal, now.swapTotal);
    if (now.swapTotal && now.swapFree) {
        const quint64 used = *now.swapTotal - std::min(*now.swapFree, *now.swapTotal);
        figures.add(Metric::SwapUsed, double(used));
        if (*now.swapTotal > 0)
            figures.add(Metric::SwapUsedPct, 100.0 * double(used) / double(*now.swapTotal));
    }
}

void addFilesystems(FigureList &figures, const SystemSnapshot &now)
{
    for (const FilesystemUsage &fs : now.filesystems) {
        const QStringView mount = fs.mountPoint;
        figures.add(Metric::FsSize, double(fs.sizeBytes), u"mount", mount);
        figures.add(Metric::FsUsed, double(fs.usedBytes), u"mount", mount);
        figures.add(Metric::FsFree, double(fs.freeBytes), u"mount", mount);
        // As df: used / (used + what ordinary users may still have).
        const quint64 usable = fs.usedBytes + fs.freeBytes;
        if (usable > 0)
            figures.add(Metric::FsUsedPct, 100.0 * double(fs.usedBytes) / double(usable), u"mount", mount);
        if (fs.inodes > 0) {
            figures.add(Metric::FsInodesUsedPct, 100.0 * double(fs.inodes - fs.inodesFree) / double(fs.inodes),
                u"mount", mount);
        }
    }
}

void addDisks(FigureList &figures, const SystemSnapshot &before, const SystemSnapshot &now, double seconds)
{
    for (const DiskCounters &disk : now.disks) {
        for (const DiskCounters &earlier : before.disks) {
            if (earlier.device != disk.device)
                continue;
            const QStringView device = disk.device;
            addRate(figures, Metric::DiskReadBytes, earlier.readBytes, disk.readBytes, seconds, u"disk", device);
            addRate(figures, Metric::DiskWriteBytes, earlier.writtenBytes, disk.writtenBytes, seconds, u"disk", device);
            addRate(figures, Metric::DiskReads, earlier.reads, disk.reads, seconds, u"disk", device);
            addRate(figures, Metric::DiskWrites, earlier.writes, disk.writes, seconds, u"disk", device);
            if (disk.busyMs >= earlier.busyMs) {
                const double busy = 100.0 * double(disk.busyMs - earlier.busyMs) / (seconds * 1000.0);
                figures.add(Metric::DiskBusy, std::min(busy, 100.0), u"disk", device);
            }
            break;
        }
    }
}

bool wanted(const InterfaceCounters &counters, const Validation::SystemParams &params)
{
    return params.interfaces.isEmpty() ? counters.name != u"lo" : params.interfaces.contains(counters.name);
}

void addInterfaces(FigureList &figures, const SystemSnapshot *before, const SystemSnapshot &now, double seconds,
    const Validation::SystemParams &params)
{
    for (const InterfaceCounters &counters : now.interfaces) {
        if (!wanted(counters, params))
            continue;
        const QStringView name = counters.name;
        if (counters.speedMbps)
            figures.add(Metric::IfSpeed, double(*counters.speedMbps), u"if", name);
        if (counters.up)
            figures.add(Metric::IfUp, *counters.up ? 1 : 0, u"if", name);
        if (counters.mtu)
            figures.add(Metric::IfMtu, *counters.mtu, u"if", name);
        if (!before)
            continue;
        for (const InterfaceCounters &earlier : before->interfaces) {
            if (earlier.name != counters.name)
                continue;
            const auto rate = [&](const char16_t *metric, quint64 a, quint64 b) {
                addRate(figures, metric, a, b, seconds, u"if", name);
            };
            rate(Metric::IfRxBytes, earlier.rxBytes, counters.rxBytes);
            rate(Metric::IfTxBytes, earlier.txBytes, counters.txBytes);
            rate(Metric::IfRxPackets, earlier.rxPackets, counters.rxPackets);
            rate(Metric::IfTxPackets, earlier.txPackets, counters.txPackets);
            rate(Metric::IfRxErrors, earlier.rxErrors, counters.rxErrors);
            rate(Metric::IfTxErrors, earlier.txErrors, counters.txErrors);
            rate(Metric::IfRxDrops, earlier.rxDrops, counters.rxDrops);
            rate(Metric::IfTxDrops, earlier.txDrops, counters.txDrops);
            break;
        }
    }
}

std::optional<quint64> stackCounter(const SystemSnapshot &snapshot, const QString &name)
{
    const auto it = snapshot.stack.constFind(name);
    if (it == snapshot.stack.constEnd() || *it < 0)
        return std::nullopt;
    return quint64(*it);
}

void addStack(FigureList &figures, const SystemSnapshot *before, const SystemSnapshot &now, double seconds)
{
    if (const auto established = stackCounter(now, u"Tcp.CurrEstab"_s))
        figures.add(Metric::TcpEstablished, double(*established));
    figures.addIf(Metric::SocketsUsed, now.socketsUsed);
    if (!before)
        return;
    const auto rate = [&](const char16_t *metric, const QString &counter) {
        addRate(figures, metric, stackCounter(*before, counter), stackCounter(now, counter), seconds);
    };
    rate(Metric::TcpActiveOpens, u"Tcp.ActiveOpens"_s);
    rate(Metric::TcpPassiveOpens, u"Tcp.PassiveOpens"_s);
    rate(Metric::TcpResets, u"Tcp.OutRsts"_s);
    rate(Metric::TcpOutOfOrder, u"TcpExt.TCPOFOQueue"_s);
    rate(Metric::TcpFastRetransmits, u"TcpExt.TCPFastRetrans"_s);
    rate(Metric::TcpTimeouts, u"TcpExt.TCPTimeouts"_s);
    rate(Metric::TcpConnectionsReset, u"Tcp.EstabResets"_s);
    // D-SACKs for data received twice, in order and out of it: Linux counts no plain duplicate ACKs.
    const auto dsacks = [](const SystemSnapshot &snapshot) -> std::optional<quint64> {
        const auto inOrder = stackCounter(snapshot, u"TcpExt.TCPDSACKRecv"_s);
        const auto outOfOrder = stackCounter(snapshot, u"TcpExt.TCPDSACKOfoRecv"_s);
        if (!inOrder || !outOfOrder)
            return std::nullopt;
        return *inOrder + *outOfOrder;
    };
    addRate(figures, Metric::TcpDuplicateData, dsacks(*before), dsacks(now), seconds);
    rate(Metric::UdpReceiveErrors, u"Udp.InErrors"_s);
    rate(Metric::UdpBufferErrors, u"Udp.RcvbufErrors"_s);
    // Retransmitted / sent segments in the round; no segments sent, no share.
    const auto sentBefore = stackCounter(*before, u"Tcp.OutSegs"_s);
    const auto sentNow = stackCounter(now, u"Tcp.OutSegs"_s);
    const auto retransBefore = stackCounter(*before, u"Tcp.RetransSegs"_s);
    const auto retransNow = stackCounter(now, u"Tcp.RetransSegs"_s);
    if (sentBefore && sentNow && retransBefore && retransNow && *sentNow > *sentBefore
        && *retransNow >= *retransBefore) {
        const double share = 100.0 * double(*retransNow - *retransBefore) / double(*sentNow - *sentBefore);
        figures.add(Metric::TcpRetransmits, std::min(share, 100.0));
    }
}

} // namespace

QList<Protocol::MetricValue> systemFigures(
    const SystemSnapshot *before, const SystemSnapshot &now, const Validation::SystemParams &params)
{
    QList<Protocol::MetricValue> values;
    FigureList figures(&values);
    const qint64 spanNs = before ? now.monotonicNs - before->monotonicNs : 0;
    if (spanNs < MIN_SPAN_NS)
        before = nullptr; // too close (or the clock is off): levels only
    const double seconds = double(spanNs) / 1e9;

    addCpu(figures, before, now, params);
    addMemory(figures, now);
    figures.addIf(Metric::Processes, now.processes);
    figures.addIf(Metric::ProcessesRunning, now.running);
    figures.addIf(Metric::ProcessesBlocked, now.blocked);
    figures.addIf(Metric::Uptime, now.uptimeSeconds);
    if (before) {
        addRate(figures, Metric::ContextSwitches, before->contextSwitches, now.contextSwitches, seconds);
        addRate(figures, Metric::Interrupts, before->interrupts, now.interrupts, seconds);
        addRate(figures, Metric::Forks, before->forks, now.forks, seconds);
        addDisks(figures, *before, now, seconds);
    }
    addFilesystems(figures, now);
    addInterfaces(figures, before, now, seconds, params);
    addStack(figures, before, now, seconds);
    if (params.parts != ALL_SYSTEM_PARTS) {
        // /proc/stat gives the CPU and the processes together: keep only the parts asked for.
        values.removeIf(
            [&](const Protocol::MetricValue &value) { return !(systemPartOf(value.metric) & params.parts); });
    }
    return values;
}

} // namespace StreamSwarm::Agent
