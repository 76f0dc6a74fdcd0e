// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QByteArray>

#include "agent/probes/bandwidth/iperfreport.h"

namespace StreamSwarm::Agent {

// What a speed test's report (the JSON streamswarm-agent-throughput http writes) says: the download
// and upload figures and the detail's measured half. An error in either direction is the round's.
IperfReport readSpeedReport(const QByteArray &report, Protocol::BandwidthDetail *detail);

} // namespace StreamSwarm::Agent
