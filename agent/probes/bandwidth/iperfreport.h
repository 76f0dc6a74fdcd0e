// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

#include "shared/protocol/details/bandwidth.h"
#include "shared/protocol/messages.h"

namespace StreamSwarm::Agent {

// What one iperf3 report (the JSON of `iperf3 -J`, as streamswarm-agent-throughput writes it) says: the
// figures a round stores and the detail's measured half. Pure; any thread.
struct IperfReport
{
    QList<Protocol::MetricValue> values;
    QString
        error; // iperf3's own words when it failed ("the server is busy running a test ..."); empty when it measured
};

// Reads report into the measured fields of *detail (the asked ones are the caller's). A report that
// is not iperf3's JSON, or names no result, gives an error that says so.
IperfReport readIperfReport(const QByteArray &report, Protocol::BandwidthDetail *detail);

} // namespace StreamSwarm::Agent
