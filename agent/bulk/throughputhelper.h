// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QString>

class QObject;
class QProcess;

namespace StreamSwarm::Agent {

// The program that makes bandwidth measurements in a process of its own (agent/throughput/main.cpp).
inline constexpr char THROUGHPUT_HELPER_NAME[] = "streamswarm-agent-throughput";

// $STREAMSWARM_THROUGHPUT_HELPER, else the helper beside the agent, else in ../libexec/streamswarm/
// from there; empty when none is found.
QString throughputHelperProgram();

// Stops a helper that owner started (nothing when helper is null): none of its signals reach owner
// any more, and it is killed and reaped now, not left a zombie until later, then deleted.
void stopThroughputHelper(QProcess *helper, const QObject *owner);

} // namespace StreamSwarm::Agent
