// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
//
// The system test's figures from two readings: shares of CPU time, rates, levels, and what a counter
// that goes backwards, a device that comes or goes, or a reading too close to the last gives.
#include <QTest>

#include "agent/probes/system/systemfigures.h"
#include "shared/metrics/catalog.h"
#include "shared/protocol/validation.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm;
using namespace StreamSwarm::Agent;

namespace {

constexpr qint64 SECOND_NS = 1'000'000'000;

QHash<QString, double> byName(const QList<Protocol::MetricValue> &values)
{
    QHash<QString, double> map;
    for (const Protocol::MetricValue &value : values) {
        Q_ASSERT(!map.contains(value.metric));
        map.insert(value.metric, value.value);
    }
    return map;
}

SystemSnapshot reading(qint64 atNs)
{
    SystemSnapshot s;
    s.monotonicNs = atNs;
    return s;
}

CpuTimes cpu(const QString &name, quint64 user, quint64 system, quint64 idle, quint64 iowait, quint64 steal)
{
    CpuTimes times;
    times.name = name;
    times.user = user;
    times.system = system;
    times.idle = idle;
    times.iowait = iowait;
    times.steal = steal;
    return times;
}

InterfaceCounters interface(const QString &name, quint64 rxBytes, quint64 txBytes)
{
    InterfaceCounters counters;
    counters.name = name;
    counters.rxBytes = rxBytes;
    counters.txBytes = txBytes;
    return counters;
}

} // namespace

class TestSystemFigures : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void cpuShares();
    void perCoreCanBeOff();
    void ratesOverTheSpan();
    void backwardsCountersGiveNoFigure();
    void devicesThatCameOrWent();
    void firstReadingGivesLevelsOnly();
    void memoryAndFilesystems();
    void retransmissionShare();
    void tcpHealthRates();
    void interfacesChosen();
    void onlyTheTcpHealthOnItsOwn();
    void onlyParameter_data();
    void onlyParameter();
    void everyNameIsInTheCatalog();
};

void TestSystemFigures::cpuShares()
{
    SystemSnapshot a = reading(0);
    SystemSnapshot b = reading(SECOND_NS);
    a.cpuTotal = cpu(u"cpu"_s, 1000, 500, 8000, 100, 0);
    b.cpuTotal = cpu(u"cpu"_s, 1060, 520, 8100, 110, 10); // +60 +20 +100 +10 +10 = 200 ticks
    a.cores = {cpu(u"cpu0"_s, 10, 10, 10, 0, 0), cpu(u"cpu1"_s, 10, 10, 10, 0, 0)};
    b.cores = {cpu(u"cpu0"_s, 110, 10, 10, 0, 0), cpu(u"cpu1"_s, 10, 10, 110, 0, 0)};
    const auto f = byName(systemFigures(&a, b, {}));
    QCOMPARE(f.value(u"cpu.user_pct"_s), 30.0);
    QCOMPARE(f.value(u"cpu.system_pct"_s), 10.0);
    QCOMPARE(f.value(u"cpu.idle_pct"_s), 50.0);
    QCOMPARE(f.value(u"cpu.iowait_pct"_s), 5.0);
    QCOMPARE(f.value(u"cpu.steal_pct"_s), 5.0);
    QCOMPARE(f.value(u"cpu.busy_pct"_s), 40.0);
    QCOMPARE(f.value(u"cpu.cores"_s), 2.0);
    QCOMPARE(f.value(u"cpu.core_busy_pct{cpu=0}"_s), 100.0);
    QCOMPARE(f.value(u"cpu.core_idle_pct{cpu=1}"_s), 100.0);
    QCOMPARE(f.value(u"cpu.core_busy_pct{cpu=1}"_s), 0.0);
}

void TestSystemFigures::perCoreCanBeOff()
{
    SystemSnapshot a = reading(0);
    SystemSnapshot b = reading(SECOND_NS);
    a.cores = {cpu(u"cpu0"_s, 10, 10, 10, 0, 0)};
    b.cores = {cpu(u"cpu0"_s, 20, 10, 10, 0, 0)};
    Validation::SystemParams params;
    params.perCore = false;
    const auto f = byName(systemFigures(&a, b, params));
    QVERIFY(!f.contains(u"cpu.core_busy_pct{cpu=0}"_s));
    QCOMPARE(f.value(u"cpu.cores"_s), 1.0);
}

void TestSystemFigures::ratesOverTheSpan()
{
    SystemSnapshot a = reading(10 * SECOND_NS);
    SystemSnapshot b = reading(12 * SECOND_NS); // two seconds
    a.contextSwitches = 1000;
    b.contextSwitches = 5000;
    a.forks = 10;
    b.forks = 12;
    a.interfaces = {interface(u"eth0"_s, 1'000'000, 0)};
    b.interfaces = {interface(u"eth0"_s, 3'000'000, 500)};
    DiskCounters disk;
    disk.device = u"sda"_s;
    a.disks = {disk};
    disk.reads = 200;
    disk.readBytes = 4'096'000;
    disk.writes = 50;
    disk.busyMs = 500;
    b.disks = {disk};
    const auto f = byName(systemFigures(&a, b, {}));
    QCOMPARE(f.value(u"cpu.context_switches_per_s"_s), 2000.0);
    QCOMPARE(f.value(u"proc.forks_per_s"_s), 1.0);
    QCOMPARE(f.value(u"if.rx_bytes_per_s{if=eth0}"_s), 1'000'000.0);
    QCOMPARE(f.value(u"if.tx_bytes_per_s{if=eth0}"_s), 250.0);
    QCOMPARE(f.value(u"disk.reads_per_s{disk=sda}"_s), 100.0);
    QCOMPARE(f.value(u"disk.read_bytes_per_s{disk=sda}"_s), 2'048'000.0);
    QCOMPARE(f.value(u"disk.writes_per_s{disk=sda}"_s), 25.0);
    QCOMPARE(f.value(u"disk.busy_pct{disk=sda}"_s), 25.0); // 500 ms of 2 s
}

void TestSystemFigures::backwardsCountersGiveNoFigure()
{
    // A reboot between the readings: every counter starts again from zero.
    SystemSnapshot a = reading(0);
    SystemSnapshot b = reading(SECOND_NS);
    a.contextSwitches = 900'000;
    b.contextSwitches = 1'000;
    a.cpuTotal = cpu(u"cpu"_s, 5000, 5000, 5000, 0, 0);
    b.cpuTotal = cpu(u"cpu"_s, 10, 10, 10, 0, 0);
    a.interfaces = {interface(u"eth0"_s, 5'000'000, 100)};
    b.interfaces = {interface(u"eth0"_s, 1'000, 200)}; // rx was reset, tx went on
    a.stack = {{u"Tcp.OutSegs"_s, 1000}, {u"Tcp.RetransSegs"_s, 10}, {u"Tcp.ActiveOpens"_s, 50}};
    b.stack = {{u"Tcp.OutSegs"_s, 10}, {u"Tcp.RetransSegs"_s, 0}, {u"Tcp.ActiveOpens"_s, 2}};
    const auto values = systemFigures(&a, b, {});
    for (const Protocol::MetricValue &value : values)
        QVERIFY2(value.value >= 0, qPrintable(value.metric));
    const auto f = byName(values);
    QVERIFY(!f.contains(u"cpu.context_switches_per_s"_s));
    QVERIFY(!f.contains(u"cpu.busy_pct"_s));
    QVERIFY(!f.contains(u"if.rx_bytes_per_s{if=eth0}"_s));
    QCOMPARE(f.value(u"if.tx_bytes_per_s{if=eth0}"_s), 100.0);
    QVERIFY(!f.contains(u"net.tcp_retrans_pct"_s));
    QVERIFY(!f.contains(u"net.tcp_active_opens_per_s"_s));
}

void TestSystemFigures::devicesThatCameOrWent()
{
    SystemSnapshot a = reading(0);
    SystemSnapshot b = reading(SECOND_NS);
    a.interfaces = {interface(u"usb0"_s, 100, 100)};
    b.interfaces = {interface(u"wlan0"_s, 100, 100)}; // usb0 unplugged, wlan0 new
    b.interfaces.first().mtu = 1500;
    a.cores = {cpu(u"cpu0"_s, 1, 1, 1, 0, 0), cpu(u"cpu1"_s, 1, 1, 1, 0, 0)};
    b.cores = {cpu(u"cpu0"_s, 2, 1, 1, 0, 0)}; // cpu1 taken offline
    const auto f = byName(systemFigures(&a, b, {}));
    QVERIFY(!f.contains(u"if.rx_bytes_per_s{if=wlan0}"_s)); // no rate before a second reading
    QCOMPARE(f.value(u"if.mtu_bytes{if=wlan0}"_s), 1500.0); // but its levels at once
    QVERIFY(!f.contains(u"if.rx_bytes_per_s{if=usb0}"_s));
    QVERIFY(f.contains(u"cpu.core_busy_pct{cpu=0}"_s));
    QVERIFY(!f.contains(u"cpu.core_busy_pct{cpu=1}"_s));
}

void TestSystemFigures::firstReadingGivesLevelsOnly()
{
    SystemSnapshot b = reading(SECOND_NS);
    b.contextSwitches = 100;
    b.load1 = 0.5;
    b.memTotal = 1000;
    b.memAvailable = 250;
    const SystemSnapshot *none = nullptr;
    for (const SystemSnapshot *before : {none, static_cast<const SystemSnapshot *>(&b)}) {
        // No reading before, or one taken at the same moment: no rate can be worked out.
        const auto f = byName(systemFigures(before, b, {}));
        QVERIFY(!f.contains(u"cpu.context_switches_per_s"_s));
        QCOMPARE(f.value(u"cpu.load1"_s), 0.5);
        QCOMPARE(f.value(u"mem.used_pct"_s), 75.0);
    }
}

void TestSystemFigures::memoryAndFilesystems()
{
    SystemSnapshot b = reading(0);
    b.memTotal = 16'000;
    b.memAvailable = 4'000;
    b.memCached = 3'000;
    b.swapTotal = 2'000;
    b.swapFree = 500;
    FilesystemUsage root;
    root.mountPoint = u"/"_s;
    root.sizeBytes = 100;
    root.usedBytes = 60;
    root.freeBytes = 35; // 5 kept for root
    root.inodes = 1000;
    root.inodesFree = 900;
    FilesystemUsage btrfs;
    btrfs.mountPoint = u"/home"_s;
    btrfs.sizeBytes = 100;
    btrfs.usedBytes = 10;
    btrfs.freeBytes = 90;
    b.filesystems = {root, btrfs};
    const auto f = byName(systemFigures(nullptr, b, {}));
    QCOMPARE(f.value(u"mem.used_bytes"_s), 12'000.0);
    QCOMPARE(f.value(u"mem.used_pct"_s), 75.0);
    QCOMPARE(f.value(u"mem.cached_bytes"_s), 3'000.0);
    QCOMPARE(f.value(u"swap.used_bytes"_s), 1'500.0);
    QCOMPARE(f.value(u"swap.used_pct"_s), 75.0);
    QCOMPARE(f.value(u"fs.used_pct{mount=/}"_s), 100.0 * 60 / 95); // as df: used / (used + available)
    QCOMPARE(f.value(u"fs.inodes_used_pct{mount=/}"_s), 10.0);
    QVERIFY(!f.contains(u"fs.inodes_used_pct{mount=/home}"_s)); // no fixed inode count
    QCOMPARE(f.value(u"fs.free_bytes{mount=/home}"_s), 90.0);
}

void TestSystemFigures::retransmissionShare()
{
    SystemSnapshot a = reading(0);
    SystemSnapshot b = reading(SECOND_NS);
    a.stack = {{u"Tcp.OutSegs"_s, 10'000}, {u"Tcp.RetransSegs"_s, 100}, {u"Tcp.CurrEstab"_s, 3}};
    b.stack = {{u"Tcp.OutSegs"_s, 12'000}, {u"Tcp.RetransSegs"_s, 150}, {u"Tcp.CurrEstab"_s, 5}};
    const auto f = byName(systemFigures(&a, b, {}));
    QCOMPARE(f.value(u"net.tcp_retrans_pct"_s), 2.5); // 50 of 2,000
    QCOMPARE(f.value(u"net.tcp_established"_s), 5.0);
    // Nothing sent: no share (not 0 %, which would claim a clean link).
    a.stack = b.stack;
    QVERIFY(!byName(systemFigures(&a, b, {})).contains(u"net.tcp_retrans_pct"_s));
}

void TestSystemFigures::tcpHealthRates()
{
    SystemSnapshot a = reading(0);
    SystemSnapshot b = reading(4 * SECOND_NS);
    a.stack = {{u"TcpExt.TCPOFOQueue"_s, 1'000}, {u"TcpExt.TCPFastRetrans"_s, 40}, {u"TcpExt.TCPTimeouts"_s, 7},
        {u"Tcp.EstabResets"_s, 2}, {u"TcpExt.TCPDSACKRecv"_s, 10}, {u"TcpExt.TCPDSACKOfoRecv"_s, 1}};
    b.stack = {{u"TcpExt.TCPOFOQueue"_s, 1'200}, {u"TcpExt.TCPFastRetrans"_s, 60}, {u"TcpExt.TCPTimeouts"_s, 9},
        {u"Tcp.EstabResets"_s, 6}, {u"TcpExt.TCPDSACKRecv"_s, 16}, {u"TcpExt.TCPDSACKOfoRecv"_s, 3}};
    auto f = byName(systemFigures(&a, b, {}));
    QCOMPARE(f.value(u"net.tcp_out_of_order_per_s"_s), 50.0); // 200 in 4 s
    QCOMPARE(f.value(u"net.tcp_fast_retransmits_per_s"_s), 5.0);
    QCOMPARE(f.value(u"net.tcp_timeouts_per_s"_s), 0.5);
    QCOMPARE(f.value(u"net.tcp_connections_reset_per_s"_s), 1.0);
    QCOMPARE(f.value(u"net.tcp_dsacks_per_s"_s), 2.0); // 6 in order and 2 out of order, in 4 s
    // A kernel without the out-of-order D-SACK count: no D-SACK figure rather than half of one.
    a.stack.remove(u"TcpExt.TCPDSACKOfoRecv"_s);
    f = byName(systemFigures(&a, b, {}));
    QVERIFY(!f.contains(u"net.tcp_dsacks_per_s"_s));
    QCOMPARE(f.value(u"net.tcp_out_of_order_per_s"_s), 50.0);
    // Counters that went back (a new network namespace, a reboot): no rate.
    a.stack[u"TcpExt.TCPTimeouts"_s] = 100;
    QVERIFY(!byName(systemFigures(&a, b, {})).contains(u"net.tcp_timeouts_per_s"_s));
}

void TestSystemFigures::interfacesChosen()
{
    SystemSnapshot b = reading(0);
    b.interfaces = {interface(u"lo"_s, 0, 0), interface(u"eth0"_s, 0, 0), interface(u"eth1"_s, 0, 0)};
    for (InterfaceCounters &counters : b.interfaces)
        counters.up = true;
    auto f = byName(systemFigures(nullptr, b, {}));
    QVERIFY(!f.contains(u"if.up{if=lo}"_s)); // loopback is left out by default
    QVERIFY(f.contains(u"if.up{if=eth0}"_s));
    Validation::SystemParams params;
    params.interfaces = {u"lo"_s, u"eth1"_s};
    f = byName(systemFigures(nullptr, b, params));
    QVERIFY(f.contains(u"if.up{if=lo}"_s));
    QVERIFY(!f.contains(u"if.up{if=eth0}"_s));
    QVERIFY(f.contains(u"if.up{if=eth1}"_s));
}

// only=network: the IP stack and TCP health and nothing else, though /proc/stat was read for others.
void TestSystemFigures::onlyTheTcpHealthOnItsOwn()
{
    SystemSnapshot a = reading(0);
    SystemSnapshot b = reading(SECOND_NS);
    a.cpuTotal = cpu(u"cpu"_s, 100, 100, 100, 0, 0);
    b.cpuTotal = cpu(u"cpu"_s, 200, 200, 200, 0, 0);
    a.processes = b.processes = 10;
    a.interfaces = {interface(u"eth0"_s, 0, 0)};
    b.interfaces = {interface(u"eth0"_s, 1000, 1000)};
    a.stack = {{u"Tcp.OutSegs"_s, 1000}, {u"Tcp.RetransSegs"_s, 0}, {u"TcpExt.TCPOFOQueue"_s, 0}};
    b.stack = {{u"Tcp.OutSegs"_s, 2000}, {u"Tcp.RetransSegs"_s, 10}, {u"TcpExt.TCPOFOQueue"_s, 4}};
    Validation::SystemParams params;
    params.parts = SystemPart::Network;
    const auto f = byName(systemFigures(&a, b, params));
    QVERIFY(!f.isEmpty());
    for (auto it = f.cbegin(); it != f.cend(); ++it)
        QVERIFY2(it.key().startsWith(u"net."), qPrintable(it.key()));
    QCOMPARE(f.value(u"net.tcp_retrans_pct"_s), 1.0);
    QCOMPARE(f.value(u"net.tcp_out_of_order_per_s"_s), 4.0);
    // All parts: the others come back.
    QVERIFY(byName(systemFigures(&a, b, {})).contains(u"cpu.busy_pct"_s));
}

void TestSystemFigures::onlyParameter_data()
{
    QTest::addColumn<QString>("only");
    QTest::addColumn<int>("parts"); // 0: refused
    QTest::addColumn<QString>("says");
    QTest::newRow("network") << u"network"_s << int(SystemPart::Network) << QString();
    QTest::newRow("two, spaced, upper case")
        << u"CPU, interfaces"_s << int(SystemPart::Cpu | SystemPart::Interfaces) << QString();
    QTest::newRow("all seven") << u"cpu,memory,processes,disks,filesystems,interfaces,network"_s
                               << int(ALL_SYSTEM_PARTS) << QString();
    QTest::newRow("unknown") << u"network,tcp"_s << 0
                             << u"\"tcp\" in only= is not a part of the host; use some of: cpu, memory"_s;
    QTest::newRow("only commas") << u",,"_s << 0 << u"only= names no part of the host"_s;
}

void TestSystemFigures::onlyParameter()
{
    QFETCH(QString, only);
    QFETCH(int, parts);
    QFETCH(QString, says);
    Protocol::TestSpec spec;
    spec.type = u"system"_s;
    spec.target = QString::fromUtf16(Validation::LOCAL_TARGET);
    spec.intervalMs = 10'000;
    spec.params.insert(u"only"_s, only);
    Validation::SystemParams params;
    QString error;
    const bool ok = Validation::parseSystemParams(spec, &params, &error);
    QCOMPARE(ok, parts != 0);
    if (ok)
        QCOMPARE(int(params.parts), parts);
    else
        QVERIFY2(error.contains(says), qPrintable(error));
}

void TestSystemFigures::everyNameIsInTheCatalog()
{
    SystemSnapshot a = reading(0);
    SystemSnapshot b = reading(SECOND_NS);
    a.cpuTotal = cpu(u"cpu"_s, 1, 1, 1, 1, 1);
    b.cpuTotal = cpu(u"cpu"_s, 2, 2, 2, 2, 2);
    a.cores = {cpu(u"cpu0"_s, 1, 1, 1, 1, 1)};
    b.cores = {cpu(u"cpu0"_s, 2, 2, 2, 2, 2)};
    for (SystemSnapshot *s : {&a, &b}) {
        s->contextSwitches = s->interrupts = s->forks = 1;
        s->running = s->blocked = s->processes = 1;
        s->load1 = s->load5 = s->load15 = s->uptimeSeconds = 1.0;
        s->memTotal = s->memAvailable = s->memCached = s->swapTotal = s->swapFree = 1;
        s->socketsUsed = 1;
        DiskCounters disk;
        disk.device = u"sda"_s;
        s->disks = {disk};
        FilesystemUsage fs;
        fs.mountPoint = u"/"_s;
        fs.sizeBytes = fs.inodes = 2;
        fs.usedBytes = fs.freeBytes = fs.inodesFree = 1;
        s->filesystems = {fs};
        InterfaceCounters eth = interface(u"eth0"_s, 1, 1);
        eth.speedMbps = 1000;
        eth.mtu = 1500;
        eth.up = true;
        s->interfaces = {eth};
        s->stack
            = {{u"Tcp.ActiveOpens"_s, 1}, {u"Tcp.PassiveOpens"_s, 1}, {u"Tcp.OutRsts"_s, 1}, {u"Tcp.CurrEstab"_s, 1},
                {u"Udp.InErrors"_s, 1}, {u"Udp.RcvbufErrors"_s, 1}, {u"Tcp.OutSegs"_s, 1}, {u"Tcp.RetransSegs"_s, 0},
                {u"Tcp.EstabResets"_s, 1}, {u"TcpExt.TCPOFOQueue"_s, 1}, {u"TcpExt.TCPFastRetrans"_s, 1},
                {u"TcpExt.TCPTimeouts"_s, 1}, {u"TcpExt.TCPDSACKRecv"_s, 1}, {u"TcpExt.TCPDSACKOfoRecv"_s, 1}};
    }
    b.stack[u"Tcp.OutSegs"_s] = 2;
    const QList<Protocol::MetricValue> values = systemFigures(&a, b, {});
    QSet<QString> bases;
    for (const Protocol::MetricValue &value : values) {
        const MetricInfo *info = MetricCatalog::findSample(value.metric);
        QVERIFY2(info, qPrintable(value.metric));
        bases.insert(info->name);
    }
    // Every metric of the family appears in a reading that has everything.
    for (const MetricInfo &info : MetricCatalog::forTestType(u"system"))
        QVERIFY2(bases.contains(info.name), qPrintable(info.name));
}

QTEST_APPLESS_MAIN(TestSystemFigures)

#include "tst_systemfigures.moc"
