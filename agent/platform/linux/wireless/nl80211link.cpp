// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "nl80211link.h"

namespace StreamSwarm::Agent::Nl80211 {

std::optional<WirelessSignal> signalOf(const Dump<Station> &stations)
{
    if (stations.entries.isEmpty())
        return std::nullopt;
    // A station interface has one peer, its access point.
    const Station &station = stations.entries.constFirst();
    WirelessSignal signal;
    signal.bssid = station.mac;
    signal.signalDbm = station.signalDbm ? station.signalDbm : station.signalAvgDbm;
    signal.txBitrateMbps = station.txBitrateMbps;
    signal.rxBitrateMbps = station.rxBitrateMbps;
    return signal;
}

QList<Interface> networkInterfaces(const Dump<Interface> &interfaces)
{
    QList<Interface> result;
    for (const Interface &entry : interfaces.entries) {
        if (entry.ifindex > 0 && !entry.name.isEmpty())
            result.append(entry);
    }
    return result;
}

WirelessLink assembleLink(
    const Interface &interface, const Dump<Station> &stations, const Dump<Bss> &scan, const Dump<Survey> &survey)
{
    WirelessLink link;
    link.ifindex = interface.ifindex;
    link.interfaceName = interface.name;
    link.mac = interface.mac;
    link.ssid = interface.ssid;
    link.frequencyMhz = interface.frequencyMhz;
    link.channelWidthMhz = interface.channelWidthMhz;
    link.txPowerDbm = interface.txPowerDbm;
    const std::optional<WirelessSignal> signal = signalOf(stations);
    const Bss *associated = nullptr;
    for (const Bss &bss : scan.entries) {
        if (bss.associated && (bss.ifindex == 0 || bss.ifindex == interface.ifindex)) {
            associated = &bss;
            break;
        }
    }
    link.connected = signal.has_value() || associated;
    if (associated) {
        link.bssid = associated->bssid;
        if (link.ssid.isEmpty())
            link.ssid = associated->ssid;
        if (!link.frequencyMhz)
            link.frequencyMhz = associated->frequencyMhz;
    }
    if (link.bssid.isEmpty() && signal)
        link.bssid = signal->bssid;
    if (link.frequencyMhz)
        link.channel = channelOfFrequency(*link.frequencyMhz);
    // The noise of the channel in use, or failing that flag, of the survey entry on the link's frequency.
    for (const Survey &entry : survey.entries) {
        const bool ours = entry.ifindex == 0 || entry.ifindex == interface.ifindex;
        if (ours && (entry.inUse || (link.frequencyMhz && entry.frequencyMhz == link.frequencyMhz)) && entry.noiseDbm) {
            link.noiseDbm = entry.noiseDbm;
            if (entry.inUse)
                break;
        }
    }
    return link;
}

} // namespace StreamSwarm::Agent::Nl80211
