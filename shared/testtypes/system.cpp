// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "system.h"

#include <algorithm>

#include <QCoreApplication>

#include "shared/protocol/validation.h"
#include "shared/testtypes/paramreader.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Validation {

namespace {

// only='s words, each with its part.
struct PartName
{
    const char16_t *name;
    SystemPart part;
};
constexpr PartName PART_NAMES[] = {{u"cpu", SystemPart::Cpu}, {u"memory", SystemPart::Memory},
    {u"processes", SystemPart::Processes}, {u"disks", SystemPart::Disks}, {u"filesystems", SystemPart::Filesystems},
    {u"interfaces", SystemPart::Interfaces}, {u"network", SystemPart::Network}};

QString partNames()
{
    QStringList names;
    for (const PartName &part : PART_NAMES)
        names.append(QString::fromUtf16(part.name));
    return names.join(u", ");
}

} // namespace

bool parseSystemParams(const Protocol::TestSpec &spec, SystemParams *params, QString *error)
{
    const TestTypes::TestType &type = TestTypes::systemType();
    if (!TestTypes::checkKnownParams(type, spec, error) || !checkInterval(spec.intervalMs, error))
        return false;
    SystemParams result;
    QString interfaces;
    QString only;
    if (!TestTypes::readSwitch(type, spec, u"per-core", &result.perCore, error)
        || !TestTypes::readText(type, spec, u"interfaces", &interfaces, error)
        || !TestTypes::readText(type, spec, u"only", &only, error))
        return false;
    if (!only.trimmed().isEmpty()) {
        result.parts = {};
        for (const QString &word : only.split(u',', Qt::SkipEmptyParts)) {
            const QString trimmed = word.trimmed().toLower();
            const auto known = std::find_if(std::begin(PART_NAMES), std::end(PART_NAMES),
                [&](const PartName &part) { return trimmed == QStringView(part.name); });
            if (known == std::end(PART_NAMES)) {
                return TestTypes::fail(error,
                    Messages::tr("\"%1\" in only= is not a part of the host; use some of: %2.")
                        .arg(trimmed.left(40), partNames()));
            }
            result.parts |= known->part;
        }
        if (!result.parts)
            return TestTypes::fail(
                error, Messages::tr("only= names no part of the host; use some of: %1.").arg(partNames()));
    }
    for (const QString &name : interfaces.split(u',', Qt::SkipEmptyParts)) {
        const QString trimmed = name.trimmed();
        if (!isInterfaceName(trimmed)) {
            return TestTypes::fail(error,
                Messages::tr("\"%1\" in interfaces= is not a network interface name (1 to 15 characters, no "
                             "'/', ':' or blank).")
                    .arg(trimmed.left(40)));
        }
        if (!result.interfaces.contains(trimmed))
            result.interfaces.append(trimmed);
    }
    if (params)
        *params = result;
    return true;
}

} // namespace StreamSwarm::Validation

namespace StreamSwarm::TestTypes {

namespace {

constexpr int MAX_INTERFACES_TEXT = 512;
constexpr int MAX_ONLY_TEXT = 128;

TestType describeSystem()
{
    TestType type;
    type.name = u"system"_s;
    type.menuOrder = 90;
    type.summary = QT_TRANSLATE_NOOP(
        "StreamSwarm::TestTypes", "The agent's own host: CPU, memory, disks, network interfaces and the IP stack");
    type.target = TargetKind::ThisHost;
    type.exampleTarget = QString::fromUtf16(Validation::LOCAL_TARGET);
    type.params = {
        {u"per-core"_s, ParamKind::Switch,
            QT_TRANSLATE_NOOP("StreamSwarm::TestTypes", "also report each core's CPU figures, not only the totals"), 0,
            0, u"on"_s, {}},
        {u"interfaces"_s, ParamKind::Text,
            QT_TRANSLATE_NOOP("StreamSwarm::TestTypes",
                "only these network interfaces, separated by commas (eth0,wlan0); by default all but loopback"),
            0, MAX_INTERFACES_TEXT, {}, {}},
        {u"only"_s, ParamKind::Text,
            QT_TRANSLATE_NOOP("StreamSwarm::TestTypes",
                "only these parts of the host, separated by commas: cpu, memory, processes, disks, filesystems, "
                "interfaces, network (the IP stack and TCP health); by default all"),
            0, MAX_ONLY_TEXT, {}, {}},
    };
    type.metricFamily = u"system"_s;
    type.metrics = {
        {QString::fromUtf16(Metric::CpuBusy), u"%"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics",
                "Share of time all cores spent on work (everything but idle, iowait and steal) since the last round")},
        {QString::fromUtf16(Metric::CpuUser), u"%"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP(
                "StreamSwarm::Metrics", "Share of time all cores ran programs (user mode, nice included)")},
        {QString::fromUtf16(Metric::CpuSystem), u"%"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics", "Share of time all cores ran the kernel, interrupts included")},
        {QString::fromUtf16(Metric::CpuIowait), u"%"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP(
                "StreamSwarm::Metrics", "Share of time cores sat idle waiting for disk or network storage to answer")},
        {QString::fromUtf16(Metric::CpuSteal), u"%"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics",
                "Share of time a virtual machine's cores wanted to run but the hypervisor ran someone else")},
        {QString::fromUtf16(Metric::CpuIdle), u"%"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics", "Share of time all cores had nothing to do")},
        {QString::fromUtf16(Metric::CoreBusy), u"%"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics", "Share of time one core spent on work since the last round"),
            u"cpu"_s},
        {QString::fromUtf16(Metric::CoreUser), u"%"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics", "Share of time one core ran programs (user mode, nice included)"),
            u"cpu"_s},
        {QString::fromUtf16(Metric::CoreSystem), u"%"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics", "Share of time one core ran the kernel, interrupts included"),
            u"cpu"_s},
        {QString::fromUtf16(Metric::CoreIowait), u"%"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics", "Share of time one core sat idle waiting for storage"), u"cpu"_s},
        {QString::fromUtf16(Metric::CoreSteal), u"%"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics", "Share of time one virtual core was held back by the hypervisor"),
            u"cpu"_s},
        {QString::fromUtf16(Metric::CoreIdle), u"%"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics", "Share of time one core had nothing to do"), u"cpu"_s},
        {QString::fromUtf16(Metric::CpuCores), u"count"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics", "Cores (logical CPUs) the system counts")},
        {QString::fromUtf16(Metric::Load1), u"count"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics",
                "Load average over 1 minute: processes running or waiting to run (or for disk)")},
        {QString::fromUtf16(Metric::Load5), u"count"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics", "Load average over 5 minutes")},
        {QString::fromUtf16(Metric::Load15), u"count"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics", "Load average over 15 minutes")},
        {QString::fromUtf16(Metric::ContextSwitches), u"1/s"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics", "Times per second the cores switched from one task to another")},
        {QString::fromUtf16(Metric::Interrupts), u"1/s"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics", "Hardware and timer interrupts per second, all cores together")},
        {QString::fromUtf16(Metric::MemTotal), u"B"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics", "Memory the system can use")},
        {QString::fromUtf16(Metric::MemUsed), u"B"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics",
                "Memory in use by programs and the kernel, without what could be freed at once (total minus "
                "available)")},
        {QString::fromUtf16(Metric::MemAvailable), u"B"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics",
                "Memory that programs could get now without swapping, the page cache it can drop included")},
        {QString::fromUtf16(Metric::MemCached), u"B"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics",
                "Memory holding file contents (page cache and buffers), freed when programs need it")},
        {QString::fromUtf16(Metric::MemUsedPct), u"%"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics", "Memory in use as a share of the total")},
        {QString::fromUtf16(Metric::SwapTotal), u"B"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics", "Swap space configured")},
        {QString::fromUtf16(Metric::SwapUsed), u"B"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics", "Swap space in use: memory pushed out to disk")},
        {QString::fromUtf16(Metric::SwapUsedPct), u"%"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics", "Swap in use as a share of the swap space")},
        {QString::fromUtf16(Metric::Processes), u"count"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics", "Processes and threads the kernel knows")},
        {QString::fromUtf16(Metric::ProcessesRunning), u"count"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics", "Tasks running or ready to run at the moment of the round")},
        {QString::fromUtf16(Metric::ProcessesBlocked), u"count"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP(
                "StreamSwarm::Metrics", "Tasks waiting for disk or other I/O at the moment of the round")},
        {QString::fromUtf16(Metric::Forks), u"1/s"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics", "New processes and threads started per second")},
        {QString::fromUtf16(Metric::Uptime), u"s"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics", "Time since the host started")},
        {QString::fromUtf16(Metric::FsSize), u"B"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics", "Size of a mounted filesystem"), u"mount"_s},
        {QString::fromUtf16(Metric::FsUsed), u"B"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics", "Space used on a mounted filesystem"), u"mount"_s},
        {QString::fromUtf16(Metric::FsFree), u"B"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics",
                "Space still free for ordinary users on a mounted filesystem (the part kept for root not counted)"),
            u"mount"_s},
        {QString::fromUtf16(Metric::FsUsedPct), u"%"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP(
                "StreamSwarm::Metrics", "Space used as a share of what ordinary users can have, as df shows it"),
            u"mount"_s},
        {QString::fromUtf16(Metric::FsInodesUsedPct), u"%"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics",
                "File slots (inodes) used as a share of all: when full, no new file fits even with space left"),
            u"mount"_s},
        {QString::fromUtf16(Metric::DiskReadBytes), u"B/s"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics", "Bytes read per second from a disk"), u"disk"_s},
        {QString::fromUtf16(Metric::DiskWriteBytes), u"B/s"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics", "Bytes written per second to a disk"), u"disk"_s},
        {QString::fromUtf16(Metric::DiskReads), u"1/s"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics", "Read operations completed per second (read IOPS)"), u"disk"_s},
        {QString::fromUtf16(Metric::DiskWrites), u"1/s"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics", "Write operations completed per second (write IOPS)"), u"disk"_s},
        {QString::fromUtf16(Metric::DiskBusy), u"%"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics",
                "Share of time a disk had at least one request in progress; near 100 % it is saturated"),
            u"disk"_s},
        {QString::fromUtf16(Metric::IfRxBytes), u"B/s"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics", "Bytes received per second on a network interface"), u"if"_s},
        {QString::fromUtf16(Metric::IfTxBytes), u"B/s"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics", "Bytes sent per second on a network interface"), u"if"_s},
        {QString::fromUtf16(Metric::IfRxPackets), u"1/s"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics", "Packets received per second on a network interface"), u"if"_s},
        {QString::fromUtf16(Metric::IfTxPackets), u"1/s"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics", "Packets sent per second on a network interface"), u"if"_s},
        {QString::fromUtf16(Metric::IfRxErrors), u"1/s"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics",
                "Received packets per second that arrived damaged (bad checksum, frame or length): a cable, port or "
                "radio problem"),
            u"if"_s},
        {QString::fromUtf16(Metric::IfTxErrors), u"1/s"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics",
                "Packets per second the interface failed to send (carrier lost, collisions, aborted)"),
            u"if"_s},
        {QString::fromUtf16(Metric::IfRxDrops), u"1/s"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics",
                "Good packets per second thrown away on receipt because the host had no room or no use for them (full "
                "queues, unknown protocol), not damage"),
            u"if"_s},
        {QString::fromUtf16(Metric::IfTxDrops), u"1/s"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP(
                "StreamSwarm::Metrics", "Packets per second thrown away before sending because the queue was full"),
            u"if"_s},
        {QString::fromUtf16(Metric::IfSpeed), u"Mbit/s"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics",
                "Link speed the interface negotiated; absent when the driver does not say (virtual and wireless "
                "links)"),
            u"if"_s},
        {QString::fromUtf16(Metric::IfUp), u"state"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP(
                "StreamSwarm::Metrics", "1 when the interface is up and can carry traffic, 0 when it is down"),
            u"if"_s},
        {QString::fromUtf16(Metric::IfMtu), u"B"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics", "Largest packet the interface sends without splitting it (MTU)"),
            u"if"_s},
        {QString::fromUtf16(Metric::TcpActiveOpens), u"1/s"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics", "TCP connections this host started per second")},
        {QString::fromUtf16(Metric::TcpPassiveOpens), u"1/s"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics", "TCP connections this host accepted per second")},
        {QString::fromUtf16(Metric::TcpResets), u"1/s"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP(
                "StreamSwarm::Metrics", "TCP resets this host sent per second: connections refused or cut off")},
        {QString::fromUtf16(Metric::TcpEstablished), u"count"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics", "TCP connections open at the moment of the round")},
        {QString::fromUtf16(Metric::TcpRetransmits), u"%"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics",
                "Share of TCP segments sent that were sent again because they were lost or late")},
        {QString::fromUtf16(Metric::TcpOutOfOrder), u"1/s"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics",
                "TCP segments per second that arrived out of order and waited for the missing ones (loss or "
                "reordering on the way here)")},
        {QString::fromUtf16(Metric::TcpDuplicateData), u"1/s"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics",
                "Duplicate ACKs per second in which a peer reported data it got twice (D-SACK): resends that "
                "were not needed")},
        {QString::fromUtf16(Metric::TcpFastRetransmits), u"1/s"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics",
                "TCP segments per second sent again at once because duplicate ACKs showed them lost (fast "
                "retransmit)")},
        {QString::fromUtf16(Metric::TcpTimeouts), u"1/s"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics",
                "TCP retransmission timeouts per second: a sender heard nothing back and had to wait, the slow "
                "way to recover a loss")},
        {QString::fromUtf16(Metric::TcpConnectionsReset), u"1/s"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP(
                "StreamSwarm::Metrics", "Open TCP connections per second that ended with a reset, sent or received")},
        {QString::fromUtf16(Metric::UdpReceiveErrors), u"1/s"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics",
                "UDP datagrams per second that could not be delivered (bad checksum or no room)")},
        {QString::fromUtf16(Metric::UdpBufferErrors), u"1/s"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics",
                "UDP datagrams per second dropped because a program's receive buffer was full")},
        {QString::fromUtf16(Metric::SocketsUsed), u"count"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics", "Sockets in use on the host, all protocols")},
    };
    type.detailKind = Protocol::DetailKind::System;
    type.chart.line = QString::fromUtf16(Metric::CpuBusy);
    type.chart.reportExtras = {QString::fromUtf16(Metric::MemUsedPct), QString::fromUtf16(Metric::Load1)};
    type.chart.reportExtraNames = {QT_TRANSLATE_NOOP("StreamSwarm::TestTypes", "Memory used"),
        QT_TRANSLATE_NOOP("StreamSwarm::TestTypes", "Load (1 minute)")};
    type.chart.lineName = QT_TRANSLATE_NOOP("StreamSwarm::TestTypes", "CPU in use");
    type.chart.detailTable = true;
    type.chart.axisLabel = QT_TRANSLATE_NOOP("StreamSwarm::TestTypes", "CPU in use (%)");
    type.chart.title = QT_TRANSLATE_NOOP("StreamSwarm::TestTypes", "The agent's host, measured every %1");
    type.checkParams = [](const Protocol::TestSpec &spec, QString *error) {
        return Validation::parseSystemParams(spec, nullptr, error);
    };
    return type;
}

} // namespace

const TestType &systemType()
{
    static const TestType type = describeSystem();
    return type;
}

} // namespace StreamSwarm::TestTypes
