// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <functional>

#include <QByteArrayView>
#include <QHash>
#include <QList>
#include <QString>

#include "agent/platform/systemreader.h"

// Readers of the text files in /proc that the system test uses. Each takes the file's contents,
// whole or cut short, and fills what it can read; a line it does not understand is skipped, never
// guessed at. Each returns false when the file held nothing it could use. Any thread.
namespace StreamSwarm::Agent::ProcFiles {

// /proc/stat: CPU times (all and per core), context switches, interrupts, forks, running and
// blocked tasks. Per-core lines beyond maxCores are not read.
bool parseStat(QByteArrayView text, SystemSnapshot *snapshot, int maxCores);
// /proc/meminfo (kB in the file, bytes in the snapshot).
bool parseMeminfo(QByteArrayView text, SystemSnapshot *snapshot);
// /proc/loadavg: the three load averages and the count of tasks.
bool parseLoadavg(QByteArrayView text, SystemSnapshot *snapshot);
// /proc/uptime.
bool parseUptime(QByteArrayView text, SystemSnapshot *snapshot);
// /proc/diskstats; only the devices for which keep() is true.
QList<DiskCounters> parseDiskstats(QByteArrayView text, const std::function<bool(const QString &)> &keep);
// /proc/net/dev: each interface's counters (speed, MTU and state come from /sys).
QList<InterfaceCounters> parseNetDev(QByteArrayView text);
// /proc/net/snmp and /proc/net/netstat: "Tcp: A B" above "Tcp: 1 2" gives Tcp.A = 1, Tcp.B = 2.
bool parseCounterTable(QByteArrayView text, QHash<QString, qint64> *counters);
// /proc/net/sockstat: "sockets: used N".
bool parseSockstat(QByteArrayView text, SystemSnapshot *snapshot);

// One line of /proc/mounts (or /proc/self/mounts), its octal escapes (\040 for a blank) undone.
struct MountEntry
{
    QString device;
    QString mountPoint;
    QString type;
};
QList<MountEntry> parseMounts(QByteArrayView text);

} // namespace StreamSwarm::Agent::ProcFiles
