// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

namespace StreamSwarm::Throughput {

// `client HOST PORT [options]`: one iperf3 measurement through libiperf; iperf3's JSON report on stdout.
int runIperfClient(int argc, char **argv);
// `server PORT [--bind ADDRESS]`: answers one iperf3 measurement, then returns. PORT 0: a free port.
// Writes "listening PORT" on stderr once it listens.
int runIperfServer(int argc, char **argv);

} // namespace StreamSwarm::Throughput
