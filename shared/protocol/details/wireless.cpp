// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "wireless.h"

#include <cmath>
#include <limits>

#include <QCborArray>

#include "shared/protocol/detailcodec.h"
#include "shared/protocol/fieldreader.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Protocol {

namespace {

constexpr int MAX_INTERFACE_LENGTH = 64;
constexpr int MAX_MAC_LENGTH = 32; // "aa:bb:cc:dd:ee:ff", with room for longer hardware addresses
constexpr double LOWEST_DBM = -200;
constexpr double HIGHEST_DBM = 100;
constexpr double HIGHEST_FREQUENCY_MHZ = 100'000;
constexpr double HIGHEST_BITRATE_MBPS = 1'000'000;

void insertText(QCborMap &map, const QString &key, const QString &text)
{
    if (!text.isEmpty())
        map.insert(key, text);
}

template <typename T>
void insertFigure(QCborMap &map, const QString &key, const std::optional<T> &value)
{
    if (value)
        map.insert(key, *value);
}

std::optional<int> optionalWhole(FieldReader &reader, const QCborMap &map, const QString &key, qint64 min, qint64 max)
{
    if (!map.contains(key))
        return std::nullopt;
    return int(reader.count(map, key, min, max));
}

QString optionalText(FieldReader &reader, const QCborMap &map, const QString &key, int maxLength)
{
    return map.contains(key) ? reader.text(map, key, maxLength) : QString();
}

} // namespace

void WirelessDetail::writeTo(QCborMap &map) const
{
    insertText(map, u"unavailable"_s, unavailable);
    insertText(map, u"interface"_s, interfaceName);
    insertText(map, u"mac"_s, mac);
    map.insert(u"connected"_s, connected);
    insertText(map, u"ssid"_s, ssid);
    insertText(map, u"bssid"_s, bssid);
    insertText(map, u"previousBssid"_s, previousBssid);
    insertFigure(map, u"frequencyMhz"_s, frequencyMhz);
    insertFigure(map, u"channel"_s, channel);
    insertFigure(map, u"channelWidthMhz"_s, channelWidthMhz);
    insertFigure(map, u"txPowerDbm"_s, txPowerDbm);
    insertFigure(map, u"noiseDbm"_s, noiseDbm);
    if (!signalDbm.isEmpty()) {
        QCborArray readings;
        for (const int reading : signalDbm)
            readings.append(reading);
        map.insert(u"signalDbm"_s, readings);
    }
    insertFigure(map, u"txBitrateMbps"_s, txBitrateMbps);
    insertFigure(map, u"rxBitrateMbps"_s, rxBitrateMbps);
    insertFigure(map, u"linkQualityPct"_s, linkQualityPct);
}

WirelessDetail WirelessDetail::readFrom(const QCborMap &map, FieldReader &reader)
{
    WirelessDetail detail;
    detail.unavailable = optionalText(reader, map, u"unavailable"_s, MAX_UNAVAILABLE_LENGTH);
    detail.interfaceName = optionalText(reader, map, u"interface"_s, MAX_INTERFACE_LENGTH);
    detail.mac = optionalText(reader, map, u"mac"_s, MAX_MAC_LENGTH);
    detail.connected = reader.boolean(map, u"connected"_s);
    detail.ssid = optionalText(reader, map, u"ssid"_s, MAX_SSID_LENGTH);
    detail.bssid = optionalText(reader, map, u"bssid"_s, MAX_MAC_LENGTH);
    detail.previousBssid = optionalText(reader, map, u"previousBssid"_s, MAX_MAC_LENGTH);
    detail.frequencyMhz = optionalWhole(reader, map, u"frequencyMhz"_s, 1, qint64(HIGHEST_FREQUENCY_MHZ));
    detail.channel = optionalWhole(reader, map, u"channel"_s, 0, 255);
    detail.channelWidthMhz = optionalWhole(reader, map, u"channelWidthMhz"_s, 1, 640);
    detail.txPowerDbm = reader.optionalNumber(map, u"txPowerDbm"_s, LOWEST_DBM, HIGHEST_DBM);
    detail.noiseDbm = optionalWhole(reader, map, u"noiseDbm"_s, qint64(LOWEST_DBM), qint64(HIGHEST_DBM));
    if (map.contains(u"signalDbm"_s)) {
        const QCborArray readings = reader.array(map, u"signalDbm"_s, MAX_SIGNAL_READINGS);
        for (const QCborValue &reading : readings) {
            // An integer reads as itself; anything but a number as NaN, which no range holds.
            const double value = reading.toDouble(std::numeric_limits<double>::quiet_NaN());
            if (!(value >= LOWEST_DBM && value <= HIGHEST_DBM) || value != std::trunc(value)) {
                reader.fail(u"signalDbm must hold whole dBm figures from -200 to 100"_s);
                break;
            }
            detail.signalDbm.append(int(value));
        }
    }
    detail.txBitrateMbps = reader.optionalNumber(map, u"txBitrateMbps"_s, 0, HIGHEST_BITRATE_MBPS);
    detail.rxBitrateMbps = reader.optionalNumber(map, u"rxBitrateMbps"_s, 0, HIGHEST_BITRATE_MBPS);
    detail.linkQualityPct = optionalWhole(reader, map, u"linkQualityPct"_s, 0, 100);
    return detail;
}

} // namespace StreamSwarm::Protocol
