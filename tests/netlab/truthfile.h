// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <vector>

#include <QHash>
#include <QHostAddress>
#include <QList>
#include <QString>

namespace StreamSwarm::NetLab {

// One line of a truth file that the responder or the delay element wrote (tests/netlab/README.md):
// its key=value fields.
using TruthRecord = QHash<QString, QString>;

// The records of a truth file in file order, at most maxRecords (blank lines skipped). On a file that
// cannot be read: none, and *error says why.
QList<TruthRecord> readTruthFile(const QString &path, QString *error = nullptr, qsizetype maxRecords = 1'000'000);

// One packet that the lab's delay element held, from its truth file.
struct Held
{
    qint64 number = 0; // 1, 2, ... in the order the router received the packets: for one flow, its send order
    qint64 delayNs = 0; // the delay applied
    qint64 lateNs = 0; // how long after arrival + delay its verdict went to the kernel
    qint64 dueNs = 0; // arrival + delay
    qint64 releaseNs = 0; // arrival + delay + lateness: when its verdict went to the kernel
};

// The packets of one UDP flow in a delay element's truth file, in the order the router let them go on.
// The file is written in batches, each sorted by arrival number, so that order is not the file's: it is
// the order of the verdict times. One releaser thread gives the verdicts one after another, and each
// carries its packet through the rest of the lab path within the same system call (README), so the
// packets reach the far end in this order. *others counts the file's packets of no such flow.
std::vector<Held> heldInReleaseOrder(
    const QString &path, const QHostAddress &source, const QHostAddress &destination, int *others, QString *error);

// RFC 3550's interarrival jitter J += (|D(i-1,i)| - J) / 16 from J = 0, over one-way delays in the
// order given, ms.
double rfc3550JitterMs(const std::vector<Held> &order, bool withLateness);

} // namespace StreamSwarm::NetLab
