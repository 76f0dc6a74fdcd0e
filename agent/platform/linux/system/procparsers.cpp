// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "procparsers.h"

#include <charconv>
#include <cmath>

using namespace Qt::StringLiterals;

namespace StreamSwarm::Agent::ProcFiles {

namespace {

// Whitespace-separated fields of one line.
QList<QByteArrayView> fieldsOf(QByteArrayView line)
{
    QList<QByteArrayView> fields;
    qsizetype i = 0;
    while (i < line.size()) {
        while (i < line.size() && (line[i] == ' ' || line[i] == '\t'))
            ++i;
        const qsizetype start = i;
        while (i < line.size() && line[i] != ' ' && line[i] != '\t')
            ++i;
        if (i > start)
            fields.append(line.sliced(start, i - start));
    }
    return fields;
}

QList<QByteArrayView> linesOf(QByteArrayView text)
{
    QList<QByteArrayView> lines;
    qsizetype start = 0;
    while (start < text.size()) {
        qsizetype end = text.indexOf('\n', start);
        if (end < 0)
            end = text.size();
        lines.append(text.sliced(start, end - start));
        start = end + 1;
    }
    return lines;
}

std::optional<quint64> unsignedOf(QByteArrayView field)
{
    quint64 value = 0;
    const auto [end, error] = std::from_chars(field.data(), field.data() + field.size(), value);
    if (error != std::errc() || end != field.data() + field.size())
        return std::nullopt;
    return value;
}

std::optional<qint64> signedOf(QByteArrayView field)
{
    qint64 value = 0;
    const auto [end, error] = std::from_chars(field.data(), field.data() + field.size(), value);
    if (error != std::errc() || end != field.data() + field.size())
        return std::nullopt;
    return value;
}

std::optional<double> decimalOf(QByteArrayView field)
{
    bool ok = false;
    const double value = QByteArray(field.data(), field.size()).toDouble(&ok);
    return ok && std::isfinite(value) && value >= 0 ? std::optional(value) : std::nullopt;
}

std::optional<CpuTimes> cpuLine(const QList<QByteArrayView> &fields)
{
    // cpu user nice system idle iowait irq softirq steal [guest guest_nice]: guest time is already in user.
    // Kernels since 2.6.11 write at least these eight; fewer is a line cut short.
    if (fields.size() < 9)
        return std::nullopt;
    quint64 values[8] = {};
    for (int i = 0; i < 8; ++i) {
        const auto value = unsignedOf(fields.at(i + 1));
        if (!value)
            return std::nullopt;
        values[i] = *value;
    }
    CpuTimes times;
    times.name = QString::fromLatin1(fields.first());
    times.user = values[0] + values[1];
    times.system = values[2] + values[5] + values[6];
    times.idle = values[3];
    times.iowait = values[4];
    times.steal = values[7];
    return times;
}

// "\040" in /proc/mounts is a blank, "\011" a tab, "\012" a newline, "\134" a backslash.
QString unescapeMountField(QByteArrayView field)
{
    QByteArray out;
    out.reserve(field.size());
    for (qsizetype i = 0; i < field.size(); ++i) {
        if (field[i] == '\\' && i + 3 < field.size() && field[i + 1] >= '0' && field[i + 1] <= '3'
            && field[i + 2] >= '0' && field[i + 2] <= '7' && field[i + 3] >= '0' && field[i + 3] <= '7') {
            out.append(char((field[i + 1] - '0') * 64 + (field[i + 2] - '0') * 8 + (field[i + 3] - '0')));
            i += 3;
        } else {
            out.append(field[i]);
        }
    }
    return QString::fromUtf8(out);
}

} // namespace

bool parseStat(QByteArrayView text, SystemSnapshot *snapshot, int maxCores)
{
    bool any = false;
    for (const QByteArrayView line : linesOf(text)) {
        const QList<QByteArrayView> fields = fieldsOf(line);
        if (fields.size() < 2)
            continue;
        const QByteArrayView key = fields.first();
        if (key == "cpu") {
            if (auto times = cpuLine(fields)) {
                snapshot->cpuTotal = *times;
                any = true;
            }
        } else if (key.startsWith("cpu") && snapshot->cores.size() < maxCores) {
            if (unsignedOf(key.sliced(3)))
                if (auto times = cpuLine(fields))
                    snapshot->cores.append(*times);
        } else if (key == "ctxt") {
            snapshot->contextSwitches = unsignedOf(fields.at(1));
        } else if (key == "intr") {
            snapshot->interrupts = unsignedOf(fields.at(1));
        } else if (key == "processes") {
            snapshot->forks = unsignedOf(fields.at(1));
        } else if (key == "procs_running") {
            if (const auto value = unsignedOf(fields.at(1)); value && *value < (1u << 30))
                snapshot->running = int(*value);
        } else if (key == "procs_blocked") {
            if (const auto value = unsignedOf(fields.at(1)); value && *value < (1u << 30))
                snapshot->blocked = int(*value);
        }
    }
    return any;
}

bool parseMeminfo(QByteArrayView text, SystemSnapshot *snapshot)
{
    std::optional<quint64> buffers;
    std::optional<quint64> cached;
    std::optional<quint64> reclaimable;
    bool any = false;
    for (const QByteArrayView line : linesOf(text)) {
        const QList<QByteArrayView> fields = fieldsOf(line);
        if (fields.size() < 2)
            continue;
        const auto kilobytes = unsignedOf(fields.at(1));
        // Beyond 2^54 kB is no memory any machine has: a damaged file.
        if (!kilobytes || *kilobytes > (quint64(1) << 54))
            continue;
        const quint64 bytes = *kilobytes * 1024;
        const QByteArrayView key = fields.first();
        any = true;
        if (key == "MemTotal:")
            snapshot->memTotal = bytes;
        else if (key == "MemAvailable:")
            snapshot->memAvailable = bytes;
        else if (key == "MemFree:")
            snapshot->memFree = bytes;
        else if (key == "Buffers:")
            buffers = bytes;
        else if (key == "Cached:")
            cached = bytes;
        else if (key == "SReclaimable:")
            reclaimable = bytes;
        else if (key == "SwapTotal:")
            snapshot->swapTotal = bytes;
        else if (key == "SwapFree:")
            snapshot->swapFree = bytes;
    }
    if (cached || buffers)
        snapshot->memCached = cached.value_or(0) + buffers.value_or(0);
    // Kernels before 3.14 have no MemAvailable: free + what the cache could give back is close.
    if (!snapshot->memAvailable && snapshot->memFree)
        snapshot->memAvailable
            = *snapshot->memFree + cached.value_or(0) + buffers.value_or(0) + reclaimable.value_or(0);
    if (snapshot->memTotal && snapshot->memAvailable && *snapshot->memAvailable > *snapshot->memTotal)
        snapshot->memAvailable = snapshot->memTotal;
    if (snapshot->swapTotal && snapshot->swapFree && *snapshot->swapFree > *snapshot->swapTotal)
        snapshot->swapFree = snapshot->swapTotal;
    return any && snapshot->memTotal;
}

bool parseLoadavg(QByteArrayView text, SystemSnapshot *snapshot)
{
    const QList<QByteArrayView> fields = fieldsOf(linesOf(text).value(0));
    if (fields.size() < 3)
        return false;
    snapshot->load1 = decimalOf(fields.at(0));
    snapshot->load5 = decimalOf(fields.at(1));
    snapshot->load15 = decimalOf(fields.at(2));
    if (fields.size() >= 4) {
        const qsizetype slash = fields.at(3).indexOf('/');
        if (slash > 0) {
            const auto total = unsignedOf(fields.at(3).sliced(slash + 1));
            if (total && *total < (1u << 30))
                snapshot->processes = int(*total);
        }
    }
    return snapshot->load1.has_value();
}

bool parseUptime(QByteArrayView text, SystemSnapshot *snapshot)
{
    const QList<QByteArrayView> fields = fieldsOf(linesOf(text).value(0));
    if (fields.isEmpty())
        return false;
    snapshot->uptimeSeconds = decimalOf(fields.first());
    return snapshot->uptimeSeconds.has_value();
}

QList<DiskCounters> parseDiskstats(QByteArrayView text, const std::function<bool(const QString &)> &keep)
{
    // major minor name reads merged sectors ms writes merged sectors ms in-flight io-ms weighted-ms ...
    constexpr quint64 SECTOR_BYTES = 512; // the kernel counts 512-byte sectors whatever the disk's own size
    QList<DiskCounters> disks;
    for (const QByteArrayView line : linesOf(text)) {
        const QList<QByteArrayView> fields = fieldsOf(line);
        if (fields.size() < 14)
            continue;
        DiskCounters disk;
        disk.device = QString::fromUtf8(fields.at(2));
        if (!keep(disk.device))
            continue;
        const auto reads = unsignedOf(fields.at(3));
        const auto sectorsRead = unsignedOf(fields.at(5));
        const auto writes = unsignedOf(fields.at(7));
        const auto sectorsWritten = unsignedOf(fields.at(9));
        const auto busyMs = unsignedOf(fields.at(12));
        if (!reads || !sectorsRead || !writes || !sectorsWritten || !busyMs)
            continue;
        disk.reads = *reads;
        disk.writes = *writes;
        disk.readBytes = *sectorsRead * SECTOR_BYTES;
        disk.writtenBytes = *sectorsWritten * SECTOR_BYTES;
        disk.busyMs = *busyMs;
        disks.append(disk);
    }
    return disks;
}

QList<InterfaceCounters> parseNetDev(QByteArrayView text)
{
    QList<InterfaceCounters> interfaces;
    for (const QByteArrayView line : linesOf(text)) {
        const qsizetype colon = line.indexOf(':');
        if (colon < 0)
            continue;
        const QString name = QString::fromUtf8(line.first(colon).trimmed());
        const QList<QByteArrayView> fields = fieldsOf(line.sliced(colon + 1));
        if (name.isEmpty() || fields.size() < 16)
            continue;
        quint64 values[16] = {};
        bool ok = true;
        for (int i = 0; i < 16 && ok; ++i) {
            const auto value = unsignedOf(fields.at(i));
            ok = value.has_value();
            values[i] = value.value_or(0);
        }
        if (!ok)
            continue;
        InterfaceCounters counters;
        counters.name = name;
        counters.rxBytes = values[0];
        counters.rxPackets = values[1];
        counters.rxErrors = values[2];
        counters.rxDrops = values[3];
        counters.txBytes = values[8];
        counters.txPackets = values[9];
        counters.txErrors = values[10];
        counters.txDrops = values[11];
        interfaces.append(counters);
    }
    return interfaces;
}

bool parseCounterTable(QByteArrayView text, QHash<QString, qint64> *counters)
{
    const QList<QByteArrayView> lines = linesOf(text);
    bool any = false;
    for (qsizetype i = 0; i + 1 < lines.size(); ++i) {
        const QList<QByteArrayView> names = fieldsOf(lines.at(i));
        const QList<QByteArrayView> values = fieldsOf(lines.at(i + 1));
        if (names.size() < 2 || values.size() != names.size() || names.first() != values.first()
            || !names.first().endsWith(':'))
            continue;
        // A header's values are numbers; a header line's are names: only the pair reads.
        if (!signedOf(values.at(1)))
            continue;
        const QString prefix = QString::fromUtf8(names.first().chopped(1)) + u'.';
        for (qsizetype k = 1; k < names.size(); ++k) {
            if (const auto value = signedOf(values.at(k))) {
                counters->insert(prefix + QString::fromUtf8(names.at(k)), *value);
                any = true;
            }
        }
        ++i;
    }
    return any;
}

bool parseSockstat(QByteArrayView text, SystemSnapshot *snapshot)
{
    for (const QByteArrayView line : linesOf(text)) {
        const QList<QByteArrayView> fields = fieldsOf(line);
        if (fields.size() >= 3 && fields.at(0) == "sockets:" && fields.at(1) == "used") {
            if (const auto used = unsignedOf(fields.at(2)); used && *used < (1u << 30)) {
                snapshot->socketsUsed = int(*used);
                return true;
            }
        }
    }
    return false;
}

QList<MountEntry> parseMounts(QByteArrayView text)
{
    QList<MountEntry> mounts;
    for (const QByteArrayView line : linesOf(text)) {
        const QList<QByteArrayView> fields = fieldsOf(line);
        if (fields.size() < 3)
            continue;
        mounts.append(
            {unescapeMountField(fields.at(0)), unescapeMountField(fields.at(1)), QString::fromUtf8(fields.at(2))});
    }
    return mounts;
}

} // namespace StreamSwarm::Agent::ProcFiles
