// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QList>
#include <QString>

namespace StreamSwarm::Test {

struct LeftoverProcess
{
    qint64 pid = 0;
    QString commandLine;
};

// Agents and consoles of one build tree that a test started and that outlived it: the program (by
// /proc/<pid>/exe, or a wrapper's command line naming it) is binaryDir's streamswarm-agent or
// streamswarm-console, its environment carries STREAMSWARM_BINARY_DIR=binaryDir (ctest sets it for
// every test), and no process above it carries that any more (its test is gone). Others' consoles run
// by hand, and the processes of tests still running (another ctest in the same tree), are not listed.
// A process whose STREAMSWARM_TEST_OWNER names a live process is that process's, unless it is
// ownerTreatedAsGone (for the check's own test).
QList<LeftoverProcess> leftoverProcesses(const QString &binaryDir, qint64 ownerTreatedAsGone = 0);

// SIGKILL to each, then waits (bounded) until they are gone; returns those still there.
QList<LeftoverProcess> killLeftovers(const QList<LeftoverProcess> &processes, int timeoutMs = 5000);

} // namespace StreamSwarm::Test
