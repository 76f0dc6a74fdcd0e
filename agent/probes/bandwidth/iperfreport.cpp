// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "iperfreport.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "shared/testtypes/bandwidth.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Agent {

namespace {

struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(StreamSwarm::Agent::BandwidthProbe)
};

constexpr double BITS_PER_MEGABIT = 1e6;

std::optional<double> numberIn(const QJsonObject &object, QLatin1StringView key)
{
    const QJsonValue value = object.value(key);
    return value.isDouble() ? std::optional<double>(value.toDouble()) : std::nullopt;
}

} // namespace

IperfReport readIperfReport(const QByteArray &report, Protocol::BandwidthDetail *detail)
{
    IperfReport result;
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(report, &parseError);
    if (!document.isObject()) {
        result.error = Tr::tr("The iperf3 library gave no readable report (%1).").arg(parseError.errorString());
        return result;
    }
    const QJsonObject top = document.object();
    const QJsonObject start = top.value("start"_L1).toObject();
    detail->engine = start.value("version"_L1).toString().left(32);
    const QJsonArray connected = start.value("connected"_L1).toArray();
    if (!connected.isEmpty())
        detail->address = connected.first().toObject().value("remote_host"_L1).toString().left(64);
    if (const QString error = top.value("error"_L1).toString(); !error.isEmpty()) {
        result.error = error.left(300);
        return result;
    }
    const QJsonObject end = top.value("end"_L1).toObject();
    const QJsonObject sent = end.value("sum_sent"_L1).toObject();
    const QJsonObject received = end.value("sum_received"_L1).toObject();
    const auto receivedRate = numberIn(received, "bits_per_second"_L1);
    if (!receivedRate) {
        result.error = Tr::tr("The iperf3 report has no result for the receiving end.");
        return result;
    }
    detail->measuredSeconds = received.value("seconds"_L1).toDouble();
    detail->sentBytes = qint64(sent.value("bytes"_L1).toDouble());
    detail->receivedBytes = qint64(received.value("bytes"_L1).toDouble());
    detail->sentMbps = sent.value("bits_per_second"_L1).toDouble() / BITS_PER_MEGABIT;
    detail->receivedMbps = *receivedRate / BITS_PER_MEGABIT;
    result.values.append({QString::fromUtf16(Metric::BandwidthThroughput), detail->receivedMbps});
    result.values.append({QString::fromUtf16(Metric::BandwidthSent), detail->sentMbps});

    const bool udp = start.value("test_start"_L1).toObject().value("protocol"_L1).toString() == u"UDP"_s;
    if (udp) {
        // The receiving end's counts; iperf3 before 3.12 has them only in "sum".
        const QJsonObject counts = received.contains("lost_packets"_L1) ? received : end.value("sum"_L1).toObject();
        detail->packets = qint64(
            sent.contains("packets"_L1) ? sent.value("packets"_L1).toDouble() : counts.value("packets"_L1).toDouble());
        detail->lostPackets = qint64(counts.value("lost_packets"_L1).toDouble());
        detail->lossPct = counts.value("lost_percent"_L1).toDouble();
        detail->jitterMs = counts.value("jitter_ms"_L1).toDouble();
        result.values.append({QString::fromUtf16(Metric::BandwidthJitter), *detail->jitterMs});
        result.values.append({QString::fromUtf16(Metric::BandwidthLoss), *detail->lossPct});
    } else {
        if (const auto retransmits = numberIn(sent, "retransmits"_L1)) {
            detail->retransmits = qint64(*retransmits);
            result.values.append({QString::fromUtf16(Metric::BandwidthRetransmits), *retransmits});
        }
        detail->congestionControl = end.value("sender_tcp_congestion"_L1).toString().left(32);
        // The smoothed RTT of the streams this end sent on (absent with reverse: the server sent).
        double rttSumUs = 0;
        int rtts = 0;
        for (const QJsonValue &stream : end.value("streams"_L1).toArray()) {
            if (const auto rttUs = numberIn(stream.toObject().value("sender"_L1).toObject(), "mean_rtt"_L1);
                rttUs && !detail->reverse) {
                rttSumUs += *rttUs;
                ++rtts;
            }
        }
        if (rtts)
            detail->meanRttMs = rttSumUs / rtts / 1000;
    }
    const QJsonObject cpu = end.value("cpu_utilization_percent"_L1).toObject();
    detail->localCpuPct = numberIn(cpu, "host_total"_L1);
    detail->remoteCpuPct = numberIn(cpu, "remote_total"_L1);
    for (const QJsonValue &interval : top.value("intervals"_L1).toArray()) {
        const QJsonObject sum = interval.toObject().value("sum"_L1).toObject();
        if (sum.value("omitted"_L1).toBool() || detail->intervalsMbps.size() >= Protocol::MAX_BANDWIDTH_INTERVALS)
            continue;
        detail->intervalsMbps.append(sum.value("bits_per_second"_L1).toDouble() / BITS_PER_MEGABIT);
    }
    return result;
}

} // namespace StreamSwarm::Agent
