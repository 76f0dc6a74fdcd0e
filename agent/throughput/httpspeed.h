// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

namespace StreamSwarm::Throughput {

// `speedtest URL [options]`: a speed test against a LibreSpeed-style server (libcurl): for each direction
// asked, STREAMS parallel connections request again and again for the warm-up and then the measured
// seconds, downloads from URL + download path (garbage.php?ckSize=MiB), uploads POSTed to URL +
// upload path (empty.php). Only what moves after the warm-up counts. JSON report on stdout.
int runHttpSpeed(int argc, char **argv);

} // namespace StreamSwarm::Throughput
