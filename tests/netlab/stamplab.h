// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QString>

#include "tests/netlab/lab.h"

class QProcess;

// What the lab tests of the STAMP probes (qos, voice) share: a real agent's reflector, and the counts
// of the nftables rules that set a path's truth in a router.
namespace StreamSwarm::NetLab {

// Starts agentProgram with --stamp-port port inside ns and waits (bounded) until its reflector
// answers. It has no console to talk to, which does not stop it reflecting. The lab owns the process;
// nullptr and *error when it did not start.
QProcess *startStampReflector(
    Lab &lab, const QString &ns, const QString &agentProgram, quint16 port, const QString &stateDir, QString *error);

// The packets the counters of nftables table "ip <table>" in ns have seen; -1 when it cannot be read.
qint64 nftCounted(const Lab &lab, const QString &ns, const QString &table);

} // namespace StreamSwarm::NetLab
