// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
//
// The system test's reader of /proc and /sys, on fixture trees (tests/fixtures/system/README.md):
// a VM, a server, a laptop and a broken tree. Figures are checked against the files' own numbers,
// worked out here by hand.
#include <QTest>

#include "agent/platform/linux/system/linuxsystemreader.h"
#include "agent/platform/linux/system/procparsers.h"
#include "tests/support/testdata.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm;
using namespace StreamSwarm::Agent;

namespace {

QString fixture(const QString &tree)
{
    return StreamSwarm::Test::testsPath(u"fixtures/system/"_s + tree);
}

// statvfs of a fixture directory would give this machine's disk: sizes by mount point instead.
LinuxSystemReader::SpaceOf fakeSpace(const QString &root)
{
    return [root](const QString &path) -> std::optional<FilesystemSpace> {
        const QString mount = u"/"_s + QDir(root).relativeFilePath(path);
        FilesystemSpace space;
        if (mount == u"/." || mount == u"/") {
            space = {100'000'000'000, 40'000'000'000, 55'000'000'000, 6'000'000, 5'000'000};
        } else if (mount == u"/srv/backup disk") {
            space = {2'000'000'000'000, 1'500'000'000'000, 500'000'000'000, 0, 0}; // xfs-like: no inode count
        } else if (mount == u"/boot/efi") {
            space = {536'870'912, 530'000'000, 6'870'912, 0, 0};
        } else {
            return std::nullopt; // a path the test did not expect must not be asked for
        }
        return space;
    };
}

const InterfaceCounters *interfaceNamed(const SystemSnapshot &snapshot, const QString &name)
{
    for (const InterfaceCounters &counters : snapshot.interfaces) {
        if (counters.name == name)
            return &counters;
    }
    return nullptr;
}

QStringList unavailableWhat(const SystemSnapshot &snapshot)
{
    QStringList what;
    for (const auto &entry : snapshot.unavailable)
        what.append(entry.first);
    return what;
}

} // namespace

class TestSystemReader : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void server();
    void laptop();
    void vmReadsAsThisMachine();
    void brokenTreeGivesWhatItCan();
    void missingTreeSaysWhy();
    void counterTablePairsHeaderAndValues();
    void mountEscapesAreUndone();
    void readsOnlyThePartsAskedFor();
};

void TestSystemReader::server()
{
    const QString root = fixture(u"server"_s);
    LinuxSystemReader reader(root, fakeSpace(root));
    const SystemSnapshot s = reader.read();
    QVERIFY2(s.unavailable.isEmpty(), qPrintable(unavailableWhat(s).join(u", ")));
    QCOMPARE(s.kernel, u"Linux 6.1.0-26-amd64"_s);
    // cpu  4705 356 584 3699176 2339 0 198 120: user = user + nice, system = system + irq + softirq.
    QVERIFY(s.cpuTotal);
    QCOMPARE(s.cpuTotal->user, 4705u + 356u);
    QCOMPARE(s.cpuTotal->system, 584u + 0u + 198u);
    QCOMPARE(s.cpuTotal->idle, 3699176u);
    QCOMPARE(s.cpuTotal->iowait, 2339u);
    QCOMPARE(s.cpuTotal->steal, 120u);
    QCOMPARE(s.cores.size(), 4);
    QCOMPARE(s.cores.at(3).name, u"cpu3"_s);
    QCOMPARE(s.contextSwitches, 2961214u);
    QCOMPARE(s.interrupts, 1462898u);
    QCOMPARE(s.forks, 21384u);
    QCOMPARE(s.running, 3);
    QCOMPARE(s.blocked, 1);
    QCOMPARE(s.load1, 2.31);
    QCOMPARE(s.load15, 1.52);
    QCOMPARE(s.processes, 812);
    QCOMPARE(s.uptimeSeconds, 8812345.12);
    QCOMPARE(s.memTotal, 65767508ull * 1024);
    QCOMPARE(s.memAvailable, 41235720ull * 1024);
    QCOMPARE(s.memCached, (36120400ull + 912344ull) * 1024);
    QCOMPARE(s.swapTotal, 8388604ull * 1024);
    QCOMPARE(s.swapFree, 8178300ull * 1024);
    // Whole disks only (sys/block): sda and sdb, not their partitions or the loop device.
    QCOMPARE(s.disks.size(), 2);
    QCOMPARE(s.disks.at(0).device, u"sda"_s);
    QCOMPARE(s.disks.at(0).reads, 982312u);
    QCOMPARE(s.disks.at(0).readBytes, 83523112ull * 512);
    QCOMPARE(s.disks.at(0).writes, 2211334u);
    QCOMPARE(s.disks.at(0).writtenBytes, 192322344ull * 512);
    QCOMPARE(s.disks.at(0).busyMs, 1553221u);
    QCOMPARE(s.disks.at(1).device, u"sdb"_s);
    // / and the xfs disk once (its second mount point is the same device); no tmpfs, no NFS.
    QCOMPARE(s.filesystems.size(), 2);
    QCOMPARE(s.filesystems.at(0).mountPoint, u"/"_s);
    QCOMPARE(s.filesystems.at(1).mountPoint, u"/srv/backup disk"_s);
    QCOMPARE(s.filesystems.at(1).device, u"/dev/sdb1"_s);
    QCOMPARE(s.filesystems.at(1).usedBytes, 500'000'000'000ull);
    // Counters above 2^32 read whole.
    const InterfaceCounters *eth0 = interfaceNamed(s, u"eth0"_s);
    QVERIFY(eth0);
    QCOMPARE(eth0->rxBytes, 9123456789012ull);
    QCOMPARE(eth0->rxPackets, 7123456789ull);
    QCOMPARE(eth0->rxErrors, 12u);
    QCOMPARE(eth0->rxDrops, 301u);
    QCOMPARE(eth0->txBytes, 1234567890123ull);
    QCOMPARE(eth0->txDrops, 2u);
    QCOMPARE(eth0->speedMbps, 10000);
    QCOMPARE(eth0->mtu, 9000);
    QCOMPARE(eth0->up, true);
    const InterfaceCounters *eth1 = interfaceNamed(s, u"eth1"_s);
    QVERIFY(eth1);
    QVERIFY(!eth1->speedMbps); // -1: a link that is down has no speed
    QCOMPARE(eth1->up, false);
    QCOMPARE(interfaceNamed(s, u"lo"_s)->up, true); // "unknown", but the flags say up
    QCOMPARE(s.stack.value(u"Tcp.RetransSegs"_s), 1231231);
    QCOMPARE(s.stack.value(u"Tcp.OutSegs"_s), 801231231);
    QCOMPARE(s.stack.value(u"Tcp.MaxConn"_s), -1);
    QCOMPARE(s.stack.value(u"Udp.RcvbufErrors"_s), 10);
    QCOMPARE(s.stack.value(u"TcpExt.TCPOFOQueue"_s), 12331);
    QCOMPARE(s.socketsUsed, 1312);
}

void TestSystemReader::laptop()
{
    const QString root = fixture(u"laptop"_s);
    LinuxSystemReader reader(root, fakeSpace(root));
    const SystemSnapshot s = reader.read();
    // No netstat file in this tree: the IP stack's other table still reads.
    QCOMPARE(unavailableWhat(s), QStringList{u"IP stack counters"_s});
    QCOMPARE(s.cores.size(), 8);
    // The NVMe disk, not its partitions, and not the LVM volume on it (not in sys/block).
    QCOMPARE(s.disks.size(), 1);
    QCOMPARE(s.disks.first().device, u"nvme0n1"_s);
    // / and the EFI partition; not the user's tmpfs, the FUSE mount or the CD-ROM.
    QCOMPARE(s.filesystems.size(), 2);
    QCOMPARE(s.filesystems.at(1).mountPoint, u"/boot/efi"_s);
    const InterfaceCounters *wlan0 = interfaceNamed(s, u"wlan0"_s);
    QVERIFY(wlan0);
    QVERIFY(!wlan0->speedMbps); // no speed file
    QCOMPARE(wlan0->up, true);
    QCOMPARE(wlan0->rxDrops, 1231u);
    QCOMPARE(interfaceNamed(s, u"enp0s31f6"_s)->up, false);
    QCOMPARE(s.swapFree, 123120ull * 1024);
}

// The VM tree is this machine's own files: its numbers must be those of the files, read again here.
void TestSystemReader::vmReadsAsThisMachine()
{
    const QString root = fixture(u"vm"_s);
    LinuxSystemReader reader(root, fakeSpace(root));
    const SystemSnapshot s = reader.read();
    QVERIFY2(s.unavailable.isEmpty(), qPrintable(unavailableWhat(s).join(u", ")));
    QVERIFY(s.cpuTotal);
    QCOMPARE(s.cores.size(), 2);
    QVERIFY(s.memTotal && *s.memTotal > 0);
    QCOMPARE(s.disks.size(), 1); // vda; loop and zram are not disks
    QCOMPARE(s.disks.first().device, u"vda"_s);
    QCOMPARE(s.filesystems.size(), 1); // / on /dev/vda; /run/netns is the same device again
    QVERIFY(interfaceNamed(s, u"eth0"_s));
    QVERIFY(interfaceNamed(s, u"lo"_s));
    QVERIFY(s.stack.contains(u"Tcp.OutSegs"_s));
    QVERIFY(s.kernel.startsWith(u"Linux "_s));
}

void TestSystemReader::brokenTreeGivesWhatItCan()
{
    const QString root = fixture(u"broken"_s);
    LinuxSystemReader reader(root, fakeSpace(root));
    const SystemSnapshot s = reader.read();
    // The total line of the cut-short stat reads; the cut core line does not.
    QVERIFY(s.cpuTotal);
    QCOMPARE(s.cpuTotal->idle, 3699176u);
    QCOMPARE(s.cores.size(), 0);
    // A MemTotal no machine has is not taken; without it memory is not available.
    QVERIFY(!s.memTotal);
    // Swap free above swap total is cut to the total: never negative use.
    QCOMPARE(s.swapFree, s.swapTotal);
    QVERIFY(!s.load1);
    QVERIFY(!s.uptimeSeconds);
    // Short, nameless and non-numeric interface lines are skipped: none is left.
    QCOMPARE(s.interfaces.size(), 0);
    QCOMPARE(s.disks.size(), 0);
    QCOMPARE(s.filesystems.size(), 0);
    QCOMPARE(s.stack.value(u"Tcp.A"_s, -7), -7); // the header and value lines differ in length
    const QStringList what = unavailableWhat(s);
    QVERIFY2(what.contains(u"memory"_s), qPrintable(what.join(u", ")));
    QVERIFY2(what.contains(u"load average"_s), qPrintable(what.join(u", ")));
    QVERIFY2(what.contains(u"uptime"_s), qPrintable(what.join(u", ")));
    QVERIFY2(what.contains(u"sockets"_s), qPrintable(what.join(u", ")));
    for (const auto &entry : s.unavailable)
        QVERIFY2(!entry.second.isEmpty(), qPrintable(entry.first)); // each says why
}

void TestSystemReader::missingTreeSaysWhy()
{
    LinuxSystemReader reader(u"/nonexistent/streamswarm-root"_s);
    const SystemSnapshot s = reader.read();
    QVERIFY(!s.cpuTotal);
    QVERIFY(s.interfaces.isEmpty());
    QVERIFY(s.unavailable.size() >= 8);
    QVERIFY2(s.unavailable.first().second.contains(u"/proc/stat"_s), qPrintable(s.unavailable.first().second));
}

void TestSystemReader::counterTablePairsHeaderAndValues()
{
    QHash<QString, qint64> counters;
    QVERIFY(ProcFiles::parseCounterTable(
        "Ip: Forwarding DefaultTTL\nIp: 1 64\nIcmp: InMsgs\nIcmp: 5\nIcmpMsg: InType3\nIcmpMsg: 7\n", &counters));
    QCOMPARE(counters.value(u"Ip.DefaultTTL"_s), 64);
    QCOMPARE(counters.value(u"Icmp.InMsgs"_s), 5);
    QCOMPARE(counters.value(u"IcmpMsg.InType3"_s), 7);
    counters.clear();
    // Two header lines in a row (a value line lost): nothing is read against the wrong names.
    QVERIFY(!ProcFiles::parseCounterTable("Tcp: A B\nTcp: C D\n", &counters));
    QVERIFY(counters.isEmpty());
}

void TestSystemReader::mountEscapesAreUndone()
{
    const QList<ProcFiles::MountEntry> mounts
        = ProcFiles::parseMounts("/dev/sdc1 /media/My\\040Disk\\011x vfat rw 0 0\n/dev/sdd /a\\134b ext4 rw 0 0\n");
    QCOMPARE(mounts.size(), 2);
    QCOMPARE(mounts.at(0).mountPoint, u"/media/My Disk\tx"_s);
    QCOMPARE(mounts.at(1).mountPoint, u"/a\\b"_s);
}

void TestSystemReader::readsOnlyThePartsAskedFor()
{
    const QString root = fixture(u"server"_s);
    LinuxSystemReader reader(root, fakeSpace(root));
    const SystemSnapshot network = reader.read(SystemPart::Network);
    QCOMPARE(network.stack.value(u"TcpExt.TCPOFOQueue"_s), 12331);
    QVERIFY(!network.cpuTotal && network.cores.isEmpty());
    QVERIFY(network.interfaces.isEmpty());
    QVERIFY(network.disks.isEmpty());
    QVERIFY(network.filesystems.isEmpty());
    QVERIFY(!network.memTotal);
    QVERIFY(network.unavailable.isEmpty());
    const SystemSnapshot disks = reader.read(SystemPart::Disks | SystemPart::Filesystems);
    QVERIFY(disks.stack.isEmpty());
    QVERIFY(!disks.disks.isEmpty());
    QVERIFY(!disks.filesystems.isEmpty());
}

QTEST_APPLESS_MAIN(TestSystemReader)

#include "tst_systemreader.moc"
