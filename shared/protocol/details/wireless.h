// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <optional>

#include <QCborMap>
#include <QList>
#include <QString>

namespace StreamSwarm::Protocol {

class FieldReader;

// A wireless round's detail: which network and access point the host's Wi-Fi was on, on which channel,
// and each signal reading of the round; or, when there is no Wi-Fi to read, why. A figure the driver
// does not report is absent (nullopt), not zero. The round's metrics are the same figures, summed up.
struct WirelessDetail
{
    static constexpr char16_t KIND[] = u"wireless"; // the wire's "kind"
    static constexpr int MAX_SIGNAL_READINGS = 100;
    static constexpr int MAX_SSID_LENGTH = 32; // octets on the air; never more characters
    static constexpr int MAX_UNAVAILABLE_LENGTH = 512;

    // Why nothing could be read ("this host has no Wi-Fi interface"); empty when the rest was read.
    QString unavailable;
    QString interfaceName; // "wlan0"
    QString mac; // the interface's own address, "aa:bb:cc:dd:ee:ff"
    bool connected = false;
    QString ssid; // the network's name; empty when hidden or not connected
    QString bssid; // the access point's address
    QString previousBssid; // the access point of the round before, when it changed (roaming)
    std::optional<int> frequencyMhz;
    std::optional<int> channel;
    std::optional<int> channelWidthMhz;
    std::optional<double> txPowerDbm;
    std::optional<int> noiseDbm;
    QList<int> signalDbm; // each reading of the round, in order
    std::optional<double> txBitrateMbps;
    std::optional<double> rxBitrateMbps;
    std::optional<int> linkQualityPct;

    // The wire form's fields after "kind", and back (README.md beside details.h).
    void writeTo(QCborMap &map) const;
    static WirelessDetail readFrom(const QCborMap &map, FieldReader &reader);
};

} // namespace StreamSwarm::Protocol
