// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "bandwidth.h"

#include <QCborArray>

#include "shared/protocol/detailcodec.h"
#include "shared/protocol/fieldreader.h"
#include "shared/protocol/validation.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Protocol {

namespace {

constexpr int MAX_SHORT_LENGTH = 32;
constexpr int MAX_SERVER_LENGTH = 2048; // a host name, or a speed-test server's URL (Validation::MAX_URL_LENGTH)
constexpr double MAX_MBPS = 1e7; // 10 Tbit/s
constexpr qint64 MAX_BYTES = qint64(1) << 53; // what a double (JSON) still holds exactly
constexpr double MAX_SECONDS = 4000;

QCborArray encodeRates(const QList<double> &rates)
{
    QCborArray encoded;
    for (const double mbps : rates)
        encoded.append(mbps);
    return encoded;
}

QList<double> readRates(const QCborMap &map, const QString &key, FieldReader &reader)
{
    QList<double> rates;
    const QCborArray encoded = reader.array(map, key, MAX_BANDWIDTH_INTERVALS, false);
    for (const QCborValue &rate : encoded) {
        const double mbps = rate.toDouble(-1);
        if (!(rate.isDouble() || rate.isInteger()) || mbps < 0 || mbps > MAX_MBPS)
            return reader.fail(u"field '%1' must hold rates from 0 to %2 Mbit/s"_s.arg(key).arg(MAX_MBPS)), rates;
        rates.append(mbps);
    }
    return rates;
}

QCborMap encodeSpeed(const SpeedDirection &d)
{
    QCborMap map{{u"seconds"_s, d.seconds}, {u"bytes"_s, d.bytes}, {u"mbps"_s, d.mbps}, {u"requests"_s, d.requests}};
    if (!d.intervalsMbps.isEmpty())
        map.insert(u"intervalsMbps"_s, encodeRates(d.intervalsMbps));
    return map;
}

std::optional<SpeedDirection> readSpeed(const QCborMap &parent, const QString &key, FieldReader &reader)
{
    if (!parent.contains(key))
        return std::nullopt;
    const QCborMap map = reader.map(parent, key);
    SpeedDirection d;
    d.seconds = reader.number(map, u"seconds"_s, 0, MAX_SECONDS);
    d.bytes = reader.count(map, u"bytes"_s, 0, MAX_BYTES);
    d.mbps = reader.number(map, u"mbps"_s, 0, MAX_MBPS);
    d.requests = reader.count(map, u"requests"_s, 0, MAX_DETAIL_COUNT);
    d.intervalsMbps = readRates(map, u"intervalsMbps"_s, reader);
    return d;
}

} // namespace

void BandwidthDetail::writeTo(QCborMap &map) const
{
    map.insert(u"method"_s, method);
    map.insert(u"server"_s, server);
    map.insert(u"port"_s, port);
    map.insert(u"protocol"_s, protocol);
    map.insert(u"streams"_s, streams);
    map.insert(u"seconds"_s, seconds);
    map.insert(u"omitSeconds"_s, omitSeconds);
    map.insert(u"reverse"_s, reverse);
    map.insert(u"bitrate"_s, bitrate);
    map.insert(u"dscp"_s, dscp);
    if (!engine.isEmpty())
        map.insert(u"engine"_s, engine);
    if (waitedMs > 0)
        map.insert(u"waitedMs"_s, waitedMs);
    if (!address.isEmpty())
        map.insert(u"address"_s, address);
    map.insert(u"measuredSeconds"_s, measuredSeconds);
    map.insert(u"sentBytes"_s, sentBytes);
    map.insert(u"receivedBytes"_s, receivedBytes);
    map.insert(u"sentMbps"_s, sentMbps);
    map.insert(u"receivedMbps"_s, receivedMbps);
    if (retransmits)
        map.insert(u"retransmits"_s, *retransmits);
    if (meanRttMs)
        map.insert(u"meanRttMs"_s, *meanRttMs);
    if (!congestionControl.isEmpty())
        map.insert(u"congestionControl"_s, congestionControl);
    if (packets)
        map.insert(u"packets"_s, *packets);
    if (lostPackets)
        map.insert(u"lostPackets"_s, *lostPackets);
    if (lossPct)
        map.insert(u"lossPct"_s, *lossPct);
    if (jitterMs)
        map.insert(u"jitterMs"_s, *jitterMs);
    if (localCpuPct)
        map.insert(u"localCpuPct"_s, *localCpuPct);
    if (remoteCpuPct)
        map.insert(u"remoteCpuPct"_s, *remoteCpuPct);
    if (!intervalsMbps.isEmpty())
        map.insert(u"intervalsMbps"_s, encodeRates(intervalsMbps));
    if (download)
        map.insert(u"download"_s, encodeSpeed(*download));
    if (upload)
        map.insert(u"upload"_s, encodeSpeed(*upload));
}

BandwidthDetail BandwidthDetail::readFrom(const QCborMap &map, FieldReader &reader)
{
    BandwidthDetail detail;
    reader.setContext(u"bandwidth detail: "_s);
    detail.method = reader.text(map, u"method"_s, MAX_SHORT_LENGTH);
    detail.server = reader.text(map, u"server"_s, MAX_SERVER_LENGTH);
    detail.port = int(reader.count(map, u"port"_s, 0, 65535));
    detail.protocol = reader.text(map, u"protocol"_s, MAX_SHORT_LENGTH);
    detail.streams = int(reader.count(map, u"streams"_s, 1, 1024));
    detail.seconds = int(reader.count(map, u"seconds"_s, 0, qint64(MAX_SECONDS)));
    detail.omitSeconds = int(reader.count(map, u"omitSeconds"_s, 0, qint64(MAX_SECONDS)));
    detail.reverse = reader.boolean(map, u"reverse"_s);
    detail.bitrate = reader.count(map, u"bitrate"_s, 0, qint64(1e15));
    detail.dscp = int(reader.count(map, u"dscp"_s, 0, 63));
    detail.engine = reader.text(map, u"engine"_s, MAX_SHORT_LENGTH, false);
    detail.waitedMs = reader.count(map, u"waitedMs"_s, 0, qint64(MAX_DETAIL_MS), false);
    detail.address = reader.text(map, u"address"_s, MAX_ADDRESS_LENGTH, false);
    detail.measuredSeconds = reader.number(map, u"measuredSeconds"_s, 0, MAX_SECONDS);
    detail.sentBytes = reader.count(map, u"sentBytes"_s, 0, MAX_BYTES);
    detail.receivedBytes = reader.count(map, u"receivedBytes"_s, 0, MAX_BYTES);
    detail.sentMbps = reader.number(map, u"sentMbps"_s, 0, MAX_MBPS);
    detail.receivedMbps = reader.number(map, u"receivedMbps"_s, 0, MAX_MBPS);
    if (map.contains(u"retransmits"_s))
        detail.retransmits = reader.count(map, u"retransmits"_s, 0, MAX_DETAIL_COUNT);
    detail.meanRttMs = reader.optionalNumber(map, u"meanRttMs"_s, 0, MAX_DETAIL_MS);
    detail.congestionControl = reader.text(map, u"congestionControl"_s, MAX_SHORT_LENGTH, false);
    if (map.contains(u"packets"_s))
        detail.packets = reader.count(map, u"packets"_s, 0, MAX_BYTES);
    if (map.contains(u"lostPackets"_s))
        detail.lostPackets = reader.count(map, u"lostPackets"_s, 0, MAX_BYTES);
    detail.lossPct = reader.optionalNumber(map, u"lossPct"_s, 0, 100);
    detail.jitterMs = reader.optionalNumber(map, u"jitterMs"_s, 0, MAX_DETAIL_MS);
    // Several cores' work: above 100 % is possible.
    detail.localCpuPct = reader.optionalNumber(map, u"localCpuPct"_s, 0, 100'000);
    detail.remoteCpuPct = reader.optionalNumber(map, u"remoteCpuPct"_s, 0, 100'000);
    detail.intervalsMbps = readRates(map, u"intervalsMbps"_s, reader);
    reader.setContext(u"bandwidth detail, download: "_s);
    detail.download = readSpeed(map, u"download"_s, reader);
    reader.setContext(u"bandwidth detail, upload: "_s);
    detail.upload = readSpeed(map, u"upload"_s, reader);
    reader.setContext(u"bandwidth detail: "_s);
    return detail;
}

} // namespace StreamSwarm::Protocol
