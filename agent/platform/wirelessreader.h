// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <memory>
#include <optional>

#include <QList>
#include <QString>

namespace StreamSwarm::Agent {

// The link between this host's Wi-Fi interface and its access point, as the platform reports it
// (nl80211 on Linux; WlanQueryInterface would fill the same on Windows). A figure the driver does not
// report, or reports absurdly, is nullopt: that metric is "not available", the others still count.
struct WirelessLink
{
    int ifindex = 0;
    QString interfaceName; // "wlan0"
    QString mac; // the interface's own address, "aa:bb:cc:dd:ee:ff"; empty when not said
    bool connected = false; // associated with an access point
    QString ssid; // the network's name; empty when hidden or not connected
    QString bssid; // the access point's address; empty when not connected
    std::optional<int> frequencyMhz;
    std::optional<int> channel; // from the frequency
    std::optional<int> channelWidthMhz;
    std::optional<double> txPowerDbm;
    std::optional<int> noiseDbm; // the channel's noise floor, where the driver measures it
};

// One reading of the signal from the access point, taken several times a round.
struct WirelessSignal
{
    QString bssid; // the access point it was heard from
    std::optional<int> signalDbm; // the last frame's signal
    std::optional<double> txBitrateMbps; // the rate of the last frame sent to the access point
    std::optional<double> rxBitrateMbps; // and of the last frame received from it
};

// What a reading found: the link, or why there is none to read.
struct WirelessReading
{
    // Empty when the link was read; else one plain sentence: "This host has no Wi-Fi interface."
    QString unavailable;
    WirelessLink link;
    WirelessSignal signal; // the first reading of the round, taken with the link
};

// Reads the Wi-Fi link of this host. Each call is a few quick, bounded kernel queries; callers on the
// agent's event loop may call it between other work. One reader per probe, on the thread that made it.
class WirelessReader
{
public:
    virtual ~WirelessReader() = default;

    // The link of the interface named (empty: the first connected Wi-Fi interface, else the first one).
    virtual WirelessReading readLink(const QString &interfaceName) = 0;
    // One more reading of the signal on the interface readLink() found; nullopt when it cannot be read.
    virtual std::optional<WirelessSignal> readSignal(int ifindex) = 0;
};

// The link quality of a signal as Linux's wireless-extensions view has always shown it ("Link
// Quality=40/70" in iwconfig: cfg80211 takes the signal above -110 dBm, at most 70), in per cent:
// -110 dBm or weaker is 0, -40 dBm or stronger 100.
inline int linkQualityPercent(int signalDbm)
{
    const int quality = qBound(0, signalDbm + 110, 70);
    return (quality * 100 + 35) / 70;
}

// This platform's reader. captureFolder: where to write the raw replies received, so that someone with
// Wi-Fi can add them to the tests' fixtures; empty: none written.
std::unique_ptr<WirelessReader> createWirelessReader(const QString &captureFolder = QString());

} // namespace StreamSwarm::Agent
