// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <optional>

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

namespace StreamSwarm::Agent::Nl80211 {

// Reads nl80211's replies from the raw bytes the kernel sent (one or more netlink messages, as recv()
// gave them, one datagram after the other), apart from any socket, so that tests feed it recorded
// replies. Attributes are read with libnl's nla_parse() on those bytes. Truncated or damaged bytes end
// the reading where they start; an attribute of the wrong size or an absurd value is left out, so
// only that figure is not available. Plain functions, any thread.

// How a dump's replies ended.
struct DumpEnd
{
    bool done = false; // NLMSG_DONE, or an error message, was seen: nothing more will come
    int error = 0; // the kernel's answer from an error message, a negative errno (-EOPNOTSUPP); 0: none
    bool damaged = false; // a message was cut short or malformed; the reading stopped there
};

// NL80211_CMD_NEW_INTERFACE: one wireless device (wdev); those without a network interface (a P2P
// device) have no ifindex.
struct Interface
{
    int ifindex = 0;
    QString name;
    QString mac;
    quint32 type = 0; // enum nl80211_iftype (2: station)
    QString ssid; // newer kernels say it for a connected station
    std::optional<int> frequencyMhz;
    std::optional<int> channelWidthMhz;
    std::optional<double> txPowerDbm;
};

// NL80211_CMD_NEW_STATION: a peer of the interface; for a station interface, its access point.
struct Station
{
    int ifindex = 0;
    QString mac;
    std::optional<int> signalDbm;
    std::optional<int> signalAvgDbm;
    std::optional<double> txBitrateMbps;
    std::optional<double> rxBitrateMbps;
};

// NL80211_CMD_NEW_SCAN_RESULTS: a BSS the interface knows of.
struct Bss
{
    int ifindex = 0;
    QString bssid;
    QString ssid; // from the SSID information element; empty when hidden
    std::optional<int> frequencyMhz;
    std::optional<double> signalDbm;
    bool associated = false; // NL80211_BSS_STATUS says associated (or joined, for IBSS)
};

// NL80211_CMD_NEW_SURVEY_RESULTS: what the radio measured on one channel.
struct Survey
{
    int ifindex = 0;
    std::optional<int> frequencyMhz;
    std::optional<int> noiseDbm;
    bool inUse = false; // the channel the interface is on
};

template <typename T>
struct Dump
{
    QList<T> entries;
    DumpEnd end;
};

Dump<Interface> parseInterfaces(QByteArrayView replies);
Dump<Station> parseStations(QByteArrayView replies);
Dump<Bss> parseScan(QByteArrayView replies);
Dump<Survey> parseSurvey(QByteArrayView replies);
// Only how the replies end: whether a dump is complete (the socket reads until it is).
DumpEnd dumpEnd(QByteArrayView replies);

// The channel number of a centre frequency, as the kernel's ieee80211_freq_khz_to_channel() counts
// (2.4, 5, 6 and 60 GHz bands); nullopt for a frequency outside them.
std::optional<int> channelOfFrequency(int frequencyMhz);
// "aa:bb:cc:dd:ee:ff" of 6 bytes; empty for any other length.
QString macText(QByteArrayView bytes);
// An SSID's octets as text: UTF-8 where valid, control characters as '?'; empty for a hidden SSID (all zero).
QString ssidText(QByteArrayView octets);

} // namespace StreamSwarm::Agent::Nl80211
