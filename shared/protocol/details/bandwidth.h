// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <optional>

#include <QCborMap>
#include <QList>
#include <QString>

namespace StreamSwarm::Protocol {

class FieldReader;

// The most per-second figures a bandwidth detail carries (a measurement lasts at most an hour).
inline constexpr int MAX_BANDWIDTH_INTERVALS = 3600;

// One direction of a speed test (method=http): what moved after the warm-up.
struct SpeedDirection
{
    double seconds = 0; // measured, after the warm-up
    qint64 bytes = 0;
    double mbps = 0;
    qint64 requests = 0; // completed, warm-up included
    QList<double> intervalsMbps; // second by second
};

// A bandwidth round's detail: what was asked (the method and its parameters, so that a reader can
// repeat the measurement with iperf3 itself), where it went, and what each end counted.
struct BandwidthDetail
{
    static constexpr char16_t KIND[] = u"bandwidth"; // the wire's "kind"

    // Asked.
    QString method; // "iperf3", "http"
    QString server; // as the test names it: a host, or the speed-test server's URL
    int port = 0; // iperf3; 0 for http
    QString protocol; // "tcp", "udp"; "http" for a speed test
    int streams = 1;
    int seconds = 0; // measured, after omitSeconds of warm-up
    int omitSeconds = 0;
    bool reverse = false; // the server sent
    qint64 bitrate = 0; // bit/s per stream; 0: unlimited
    int dscp = 0;
    QString engine; // the measuring library: "iperf 3.12", "libcurl/7.88.1"
    qint64 waitedMs = 0; // how long the round waited for another bulk test on this agent to end

    // Measured. The sending end's and the receiving end's counts (with reverse, the server sent).
    QString address; // the server's address connected to
    double measuredSeconds = 0; // at the receiving end
    qint64 sentBytes = 0;
    qint64 receivedBytes = 0;
    double sentMbps = 0;
    double receivedMbps = 0;
    std::optional<qint64> retransmits; // TCP, when the sending end's kernel reports them
    std::optional<double> meanRttMs; // TCP: the sending streams' smoothed RTT, when this agent sent
    QString congestionControl; // TCP: the sending end's algorithm ("cubic")
    std::optional<qint64> packets; // UDP: datagrams sent
    std::optional<qint64> lostPackets; // UDP
    std::optional<double> lossPct; // UDP
    std::optional<double> jitterMs; // UDP, at the receiving end
    std::optional<double> localCpuPct; // this agent's host, all of the test's work
    std::optional<double> remoteCpuPct;
    QList<double> intervalsMbps; // this agent's end, second by second (sent, or received with reverse)
    std::optional<SpeedDirection> download; // http, when measured
    std::optional<SpeedDirection> upload;

    // The wire form's fields after "kind", and back (README.md beside details.h).
    void writeTo(QCborMap &map) const;
    static BandwidthDetail readFrom(const QCborMap &map, FieldReader &reader);
};

} // namespace StreamSwarm::Protocol
