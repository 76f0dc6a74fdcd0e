// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QString>

namespace StreamSwarm::Agent {

// The program that makes bandwidth measurements in a process of its own (agent/throughput/main.cpp).
inline constexpr char THROUGHPUT_HELPER_NAME[] = "streamswarm-agent-throughput";

// $STREAMSWARM_THROUGHPUT_HELPER, else the helper beside the agent, else in ../libexec/streamswarm/
// from there; empty when none is found.
QString throughputHelperProgram();

} // namespace StreamSwarm::Agent
