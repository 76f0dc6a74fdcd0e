// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "linuxsystemreader.h"

#include <algorithm>
#include <chrono>

#include <sys/statvfs.h>

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QSet>

#include "agent/platform/linux/system/procparsers.h"
#include "shared/util/monotonic.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Agent {

namespace {

// /proc files report size 0; read up to this much (a host with thousands of mounts or interfaces
// stays far below it).
constexpr qint64 MAX_FILE_BYTES = 4 * 1024 * 1024;

// Filesystems that hold no disk space of their own (kernel views, memory) or live on another host.
bool isMeasuredFilesystem(const QString &type)
{
    static const QSet<QString> skipped{u"proc"_s, u"sysfs"_s, u"tmpfs"_s, u"devtmpfs"_s, u"devpts"_s, u"cgroup"_s,
        u"cgroup2"_s, u"securityfs"_s, u"pstore"_s, u"bpf"_s, u"debugfs"_s, u"tracefs"_s, u"configfs"_s, u"fusectl"_s,
        u"mqueue"_s, u"hugetlbfs"_s, u"autofs"_s, u"rpc_pipefs"_s, u"binfmt_misc"_s, u"nsfs"_s, u"squashfs"_s,
        u"ramfs"_s, u"efivarfs"_s, u"selinuxfs"_s, u"iso9660"_s, u"nfs"_s, u"nfs4"_s, u"nfsd"_s, u"cifs"_s, u"smb3"_s,
        u"smbfs"_s, u"ceph"_s, u"glusterfs"_s, u"9p"_s, u"fuse.sshfs"_s, u"fuse.gvfsd-fuse"_s, u"fuse.portal"_s,
        u"fuse.lxcfs"_s, u"none"_s};
    return !skipped.contains(type);
}

// Reads in small steps: QIODevice::read(max) sets aside max bytes first, and 4 MB for each /proc file
// read (kept by glibc as heap once freed) is what the agent's whole heap should be.
QByteArray readAtMost(QIODevice &device, qint64 maxBytes)
{
    QByteArray bytes;
    char chunk[16 * 1024];
    while (bytes.size() < maxBytes) {
        const qint64 got = device.read(chunk, std::min<qint64>(sizeof chunk, maxBytes - bytes.size()));
        if (got <= 0)
            break;
        bytes.append(chunk, got);
    }
    return bytes;
}

std::optional<QByteArray> trimmedFile(const QString &path, qint64 maxBytes = 256)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return std::nullopt;
    return file.read(maxBytes).trimmed();
}

} // namespace

LinuxSystemReader::LinuxSystemReader(QString root, SpaceOf spaceOf)
    : m_root(std::move(root))
    , m_spaceOf(std::move(spaceOf))
{ }

std::optional<FilesystemSpace> LinuxSystemReader::statvfsSpace(const QString &path)
{
    struct statvfs info
    { };
    if (statvfs(QFile::encodeName(path).constData(), &info) != 0)
        return std::nullopt;
    const quint64 unit = info.f_frsize ? info.f_frsize : info.f_bsize;
    FilesystemSpace space;
    space.sizeBytes = quint64(info.f_blocks) * unit;
    space.freeBytes = quint64(info.f_bavail) * unit;
    space.usedBytes = (quint64(info.f_blocks) - quint64(info.f_bfree)) * unit;
    space.inodes = info.f_files;
    space.inodesFree = info.f_ffree;
    return space;
}

QString LinuxSystemReader::path(const QString &relative) const
{
    return QDir(m_root).filePath(relative);
}

std::optional<QByteArray> LinuxSystemReader::readFile(
    const QString &relative, SystemSnapshot *snapshot, const QString &what) const
{
    QFile file(path(relative));
    if (!file.open(QIODevice::ReadOnly)) {
        snapshot->unavailable.append({what, tr("cannot read /%1: %2").arg(relative, file.errorString())});
        return std::nullopt;
    }
    return readAtMost(file, MAX_FILE_BYTES);
}

SystemSnapshot LinuxSystemReader::read(SystemParts parts)
{
    SystemSnapshot snapshot;
    snapshot.monotonicNs = monotonicNs();
    const auto unreadable = [&](const QString &what, const QString &file) {
        snapshot.unavailable.append({what, tr("/%1 holds nothing readable").arg(file)});
    };
    // /proc/stat holds both the CPU's times and the process counts.
    if (parts & (SystemPart::Cpu | SystemPart::Processes)) {
        if (const auto text = readFile(u"proc/stat"_s, &snapshot, tr("CPU use"))) {
            if (!ProcFiles::parseStat(*text, &snapshot, MAX_CORES))
                unreadable(tr("CPU use"), u"proc/stat"_s);
        }
    }
    if (parts & SystemPart::Memory) {
        if (const auto text = readFile(u"proc/meminfo"_s, &snapshot, tr("memory"))) {
            if (!ProcFiles::parseMeminfo(*text, &snapshot))
                unreadable(tr("memory"), u"proc/meminfo"_s);
        }
    }
    if (parts & SystemPart::Cpu) {
        if (const auto text = readFile(u"proc/loadavg"_s, &snapshot, tr("load average"))) {
            if (!ProcFiles::parseLoadavg(*text, &snapshot))
                unreadable(tr("load average"), u"proc/loadavg"_s);
        }
    }
    if (parts & SystemPart::Processes) {
        if (const auto text = readFile(u"proc/uptime"_s, &snapshot, tr("uptime"))) {
            if (!ProcFiles::parseUptime(*text, &snapshot))
                unreadable(tr("uptime"), u"proc/uptime"_s);
        }
    }
    if (parts & SystemPart::Network) {
        for (const QString &table : {u"proc/net/snmp"_s, u"proc/net/netstat"_s}) {
            if (const auto text = readFile(table, &snapshot, tr("IP stack counters")))
                ProcFiles::parseCounterTable(*text, &snapshot.stack);
        }
        if (const auto text = readFile(u"proc/net/sockstat"_s, &snapshot, tr("sockets")))
            ProcFiles::parseSockstat(*text, &snapshot);
    }
    if (const auto release = trimmedFile(path(u"proc/sys/kernel/osrelease"_s)); release && !release->isEmpty())
        snapshot.kernel = u"Linux "_s + QString::fromUtf8(*release).left(100);
    if (parts & SystemPart::Interfaces)
        readInterfaces(&snapshot);
    if (parts & SystemPart::Disks)
        readDisks(&snapshot);
    if (parts & SystemPart::Filesystems)
        readFilesystems(&snapshot);
    return snapshot;
}

void LinuxSystemReader::readInterfaces(SystemSnapshot *snapshot) const
{
    const auto text = readFile(u"proc/net/dev"_s, snapshot, tr("network interfaces"));
    if (!text)
        return;
    QList<InterfaceCounters> interfaces = ProcFiles::parseNetDev(*text);
    if (interfaces.size() > MAX_INTERFACES) {
        snapshot->unavailable.append({tr("network interfaces"),
            tr("only the first %1 of %2 interfaces are read").arg(MAX_INTERFACES).arg(interfaces.size())});
        interfaces.resize(MAX_INTERFACES);
    }
    for (InterfaceCounters &counters : interfaces) {
        const QString folder = u"sys/class/net/"_s + counters.name + u'/';
        // A down or virtual link has no speed: the file says -1 or cannot be read (EINVAL).
        if (const auto speed = trimmedFile(path(folder + u"speed"_s))) {
            bool ok = false;
            const qint64 mbps = speed->toLongLong(&ok);
            if (ok && mbps > 0 && mbps <= 10'000'000)
                counters.speedMbps = mbps;
        }
        if (const auto mtu = trimmedFile(path(folder + u"mtu"_s))) {
            bool ok = false;
            const int bytes = mtu->toInt(&ok);
            if (ok && bytes > 0 && bytes <= 1 << 20)
                counters.mtu = bytes;
        }
        // "unknown" is what loopback and many virtual links say: then the interface flags decide.
        if (const auto state = trimmedFile(path(folder + u"operstate"_s))) {
            if (*state == "up") {
                counters.up = true;
            } else if (*state == "unknown") {
                bool ok = false;
                const auto flags = trimmedFile(path(folder + u"flags"_s));
                const uint bits = flags ? flags->toUInt(&ok, 16) : 0;
                if (ok)
                    counters.up = (bits & 0x1) != 0;
            } else if (!state->isEmpty()) {
                counters.up = false;
            }
        }
    }
    snapshot->interfaces = interfaces;
}

void LinuxSystemReader::readDisks(SystemSnapshot *snapshot) const
{
    const auto text = readFile(u"proc/diskstats"_s, snapshot, tr("disk activity"));
    if (!text)
        return;
    // Whole disks are those in /sys/block; partitions would count their disk's I/O twice. Memory and
    // loop devices are not disks.
    const QDir block(path(u"sys/block"_s));
    const QStringList wholeDisks
        = block.exists() ? block.entryList(QDir::Dirs | QDir::NoDotAndDotDot | QDir::System) : QStringList();
    const auto keep = [&](const QString &device) {
        if (device.startsWith(u"loop") || device.startsWith(u"ram") || device.startsWith(u"zram"))
            return false;
        return wholeDisks.isEmpty() || wholeDisks.contains(device);
    };
    QList<DiskCounters> disks = ProcFiles::parseDiskstats(*text, keep);
    if (disks.size() > MAX_DISKS) {
        snapshot->unavailable.append(
            {tr("disk activity"), tr("only the first %1 of %2 disks are read").arg(MAX_DISKS).arg(disks.size())});
        disks.resize(MAX_DISKS);
    }
    snapshot->disks = disks;
}

void LinuxSystemReader::readFilesystems(SystemSnapshot *snapshot) const
{
    const auto text = readFile(u"proc/mounts"_s, snapshot, tr("disk space"));
    if (!text)
        return;
    QSet<QString> devicesSeen;
    for (const ProcFiles::MountEntry &mount : ProcFiles::parseMounts(*text)) {
        if (!isMeasuredFilesystem(mount.type) || !mount.mountPoint.startsWith(u'/'))
            continue;
        // A bind mount shows the same filesystem again: the first mount point names it.
        if (mount.device.startsWith(u'/') && devicesSeen.contains(mount.device))
            continue;
        if (snapshot->filesystems.size() >= MAX_FILESYSTEMS) {
            snapshot->unavailable.append(
                {tr("disk space"), tr("only the first %1 filesystems are read").arg(MAX_FILESYSTEMS)});
            break;
        }
        const std::optional<FilesystemSpace> space = m_spaceOf(path(mount.mountPoint.mid(1)));
        if (!space || space->sizeBytes == 0)
            continue;
        devicesSeen.insert(mount.device);
        FilesystemUsage usage;
        usage.mountPoint = mount.mountPoint;
        usage.device = mount.device;
        usage.sizeBytes = space->sizeBytes;
        usage.freeBytes = std::min(space->freeBytes, space->sizeBytes);
        usage.usedBytes = std::min(space->usedBytes, space->sizeBytes);
        usage.inodes = space->inodes;
        usage.inodesFree = std::min(space->inodesFree, space->inodes);
        snapshot->filesystems.append(usage);
    }
}

std::unique_ptr<SystemReader> createSystemReader()
{
    return std::make_unique<LinuxSystemReader>();
}

} // namespace StreamSwarm::Agent
