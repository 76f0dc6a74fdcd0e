// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QString>

#include "shared/protocol/messages.h"
#include "shared/testtypes/testtype.h"

namespace StreamSwarm::Validation {

// wireless parameters after defaults, for the probe and for checks.
struct WirelessParams
{
    QString interface; // the Wi-Fi interface to read; empty: the first connected one
    int samples = 5; // signal readings per round
    qint64 spacingMs = 200; // between two readings: the interval shared among them
};

bool parseWirelessParams(const Protocol::TestSpec &spec, WirelessParams *params, QString *error);

} // namespace StreamSwarm::Validation

namespace StreamSwarm::TestTypes {

const TestType &wirelessType();

} // namespace StreamSwarm::TestTypes

// Each is measured per interface: a sample's name carries it, sampleName(WifiSignalAvg, u"if", u"wlan0").
namespace StreamSwarm::Metric {
inline constexpr char16_t WifiSignalMin[] = u"wifi.signal_dbm_min";
inline constexpr char16_t WifiSignalAvg[] = u"wifi.signal_dbm_avg";
inline constexpr char16_t WifiSignalMax[] = u"wifi.signal_dbm_max";
inline constexpr char16_t WifiNoise[] = u"wifi.noise_dbm";
inline constexpr char16_t WifiSnr[] = u"wifi.snr_db";
inline constexpr char16_t WifiLinkQuality[] = u"wifi.link_quality_pct";
inline constexpr char16_t WifiTxBitrate[] = u"wifi.tx_bitrate_mbps";
inline constexpr char16_t WifiRxBitrate[] = u"wifi.rx_bitrate_mbps";
inline constexpr char16_t WifiFrequency[] = u"wifi.frequency_mhz";
inline constexpr char16_t WifiChannel[] = u"wifi.channel";
inline constexpr char16_t WifiTxPower[] = u"wifi.tx_power_dbm";
inline constexpr char16_t WifiConnected[] = u"wifi.connected";
} // namespace StreamSwarm::Metric
