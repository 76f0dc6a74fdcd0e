// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include "agent/platform/linux/wireless/nl80211parser.h"
#include "agent/platform/wirelessreader.h"

namespace StreamSwarm::Agent::Nl80211 {

// Puts one interface's link together from its nl80211 dumps: the interface (name, address, channel,
// TX power), its station entry (the access point and the signal), the scan list's associated BSS
// (SSID and BSSID) and the survey of the channel in use (noise). A dump that failed or lacks a figure
// leaves only that figure out. Plain functions, any thread.

WirelessLink assembleLink(
    const Interface &interface, const Dump<Station> &stations, const Dump<Bss> &scan, const Dump<Survey> &survey);
// The first reading of the access point's signal among a station dump; nullopt when there is none.
std::optional<WirelessSignal> signalOf(const Dump<Station> &stations);
// The interfaces a reading may choose from: those with a network interface (a P2P device has none).
QList<Interface> networkInterfaces(const Dump<Interface> &interfaces);

} // namespace StreamSwarm::Agent::Nl80211
