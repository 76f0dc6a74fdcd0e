// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QString>

#include "shared/protocol/messages.h"
#include "shared/testtypes/testtype.h"

namespace StreamSwarm::Validation {

// bandwidth: throughput measured with libiperf against an iperf3 server (method=iperf3, TCP or UDP),
// or a speed test against a LibreSpeed server's URL (method=http: download and upload).
struct BandwidthParams
{
    QString method = QStringLiteral("iperf3");
    QString host; // iperf3: the target's host, and its port (host:port, or the parameter port; 5201 by default)
    quint16 port = 5201;
    QString url; // http: the speed-test server's URL (its backend folder)
    QString peerAgent; // agent: the agent that serves the measurement (agent:NAME); host and port come per turn
    bool download = true; // http: the directions measured, one after the other
    bool upload = true;
    bool udp = false;
    int streams = 1;
    int seconds = 10; // measured, after the warm-up
    int omitSeconds = 0; // warm-up sent but not counted (TCP's slow start); http: 2 by default
    bool reverse = false; // the server sends and this agent receives
    qint64 bitsPerSecond = 0; // per stream; 0: as fast as possible (TCP); UDP's default is 1 Mbit/s
    int dscp = 0;
    qint64 connectTimeoutMs = 3000;

    bool isHttp() const { return method == QStringLiteral("http"); }
    bool isAgent() const { return method == QStringLiteral("agent"); }

    // The longest a round may take: connecting, the warm-up, the measurement and the results'
    // exchange; the agent stops a measurement that runs longer.
    qint64 roundLimitMs() const;
};
bool parseBandwidthParams(const Protocol::TestSpec &spec, BandwidthParams *params, QString *error);

} // namespace StreamSwarm::Validation

namespace StreamSwarm::TestTypes {

const TestType &bandwidthType();

} // namespace StreamSwarm::TestTypes

namespace StreamSwarm::Metric {
inline constexpr char16_t BandwidthThroughput[] = u"bandwidth.throughput_mbps"; // what arrived
inline constexpr char16_t BandwidthSent[] = u"bandwidth.sent_mbps";
inline constexpr char16_t BandwidthRetransmits[] = u"bandwidth.retransmits"; // TCP
inline constexpr char16_t BandwidthJitter[] = u"bandwidth.jitter_ms"; // UDP
inline constexpr char16_t BandwidthLoss[] = u"bandwidth.loss_pct"; // UDP
inline constexpr char16_t BandwidthDownload[] = u"bandwidth.download_mbps"; // http
inline constexpr char16_t BandwidthUpload[] = u"bandwidth.upload_mbps"; // http
} // namespace StreamSwarm::Metric
