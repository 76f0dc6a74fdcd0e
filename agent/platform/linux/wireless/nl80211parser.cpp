// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "nl80211parser.h"

#include <climits>
#include <cstring>
#include <vector>

#include <linux/nl80211.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

namespace StreamSwarm::Agent::Nl80211 {

namespace {

// What a figure may be before it is believed; outside, the driver's value is taken as not available.
constexpr int LOWEST_SIGNAL_DBM = -120;
constexpr int LOWEST_NOISE_DBM = -128;
constexpr int HIGHEST_NOISE_DBM = -21; // drivers without a noise measurement often say 0
constexpr int LOWEST_FREQUENCY_MHZ = 800; // 802.11ah's sub-GHz band
constexpr int HIGHEST_FREQUENCY_MHZ = 72000; // 802.11ad/ay's 60 GHz band
constexpr double HIGHEST_BITRATE_MBPS = 100000; // Wi-Fi 7 peaks near 46 Gbit/s
constexpr int LOWEST_TX_POWER_DBM = -20;
constexpr int HIGHEST_TX_POWER_DBM = 40;
constexpr int MAX_NAME_LENGTH = 64; // interface names are at most 15 bytes
constexpr int SSID_IE = 0; // the information element that carries the SSID
constexpr int MAX_SSID_LENGTH = 32;

std::optional<quint32> readU32(const nlattr *attr)
{
    if (!attr || nla_len(attr) < int(sizeof(quint32)))
        return std::nullopt;
    quint32 value = 0;
    std::memcpy(&value, nla_data(attr), sizeof value);
    return value;
}

std::optional<quint16> readU16(const nlattr *attr)
{
    if (!attr || nla_len(attr) < int(sizeof(quint16)))
        return std::nullopt;
    quint16 value = 0;
    std::memcpy(&value, nla_data(attr), sizeof value);
    return value;
}

// nl80211 sends dBm figures as a u8 that holds an s8.
std::optional<int> readS8(const nlattr *attr)
{
    if (!attr || nla_len(attr) < 1)
        return std::nullopt;
    return int(*static_cast<const qint8 *>(nla_data(attr)));
}

QByteArrayView readBytes(const nlattr *attr)
{
    if (!attr)
        return {};
    return QByteArrayView(static_cast<const char *>(nla_data(attr)), nla_len(attr));
}

QString readText(const nlattr *attr)
{
    QByteArrayView bytes = readBytes(attr);
    const auto end = bytes.indexOf('\0');
    if (end >= 0)
        bytes = bytes.first(end);
    return QString::fromUtf8(bytes.first(qMin<qsizetype>(bytes.size(), MAX_NAME_LENGTH)));
}

std::optional<int> plausibleSignal(std::optional<int> dbm)
{
    if (dbm && *dbm >= LOWEST_SIGNAL_DBM && *dbm < 0)
        return dbm;
    return std::nullopt;
}

std::optional<int> plausibleFrequency(std::optional<quint32> mhz)
{
    if (mhz && *mhz >= quint32(LOWEST_FREQUENCY_MHZ) && *mhz <= quint32(HIGHEST_FREQUENCY_MHZ))
        return int(*mhz);
    return std::nullopt;
}

std::optional<int> channelWidthMhz(std::optional<quint32> width)
{
    if (!width)
        return std::nullopt;
    switch (*width) {
    case NL80211_CHAN_WIDTH_20_NOHT:
    case NL80211_CHAN_WIDTH_20:
        return 20;
    case NL80211_CHAN_WIDTH_40:
        return 40;
    case NL80211_CHAN_WIDTH_80:
    case NL80211_CHAN_WIDTH_80P80: // two 80 MHz segments; 80 MHz each
        return 80;
    case NL80211_CHAN_WIDTH_160:
        return 160;
    case NL80211_CHAN_WIDTH_5:
        return 5;
    case NL80211_CHAN_WIDTH_10:
        return 10;
    case NL80211_CHAN_WIDTH_320:
        return 320;
    default:
        return std::nullopt; // the 1 to 16 MHz widths of 802.11ah, and values newer than this build
    }
}

// A rate_info nest (NL80211_STA_INFO_TX_BITRATE, _RX_BITRATE): in units of 100 kbit/s, the 32-bit
// figure when the kernel sent one (rates above 6.5 Gbit/s do not fit the 16-bit one).
std::optional<double> readBitrate(nlattr *nest)
{
    if (!nest)
        return std::nullopt;
    nlattr *rate[NL80211_RATE_INFO_MAX + 1];
    if (nla_parse_nested(rate, NL80211_RATE_INFO_MAX, nest, nullptr) < 0)
        return std::nullopt;
    quint32 units = readU32(rate[NL80211_RATE_INFO_BITRATE32]).value_or(0);
    if (units == 0)
        units = readU16(rate[NL80211_RATE_INFO_BITRATE]).value_or(0);
    const double mbps = units / 10.0;
    if (units == 0 || mbps > HIGHEST_BITRATE_MBPS)
        return std::nullopt;
    return mbps;
}

// The SSID element among a BSS's information elements (id, length, octets; repeated).
QString ssidOfElements(QByteArrayView elements)
{
    qsizetype at = 0;
    while (at + 2 <= elements.size()) {
        const int id = quint8(elements.at(at));
        const int length = quint8(elements.at(at + 1));
        if (at + 2 + length > elements.size())
            break; // cut short: no SSID rather than part of one
        if (id == SSID_IE)
            return length <= MAX_SSID_LENGTH ? ssidText(elements.sliced(at + 2, length)) : QString();
        at += 2 + length;
    }
    return {};
}

// Walks the netlink messages in replies and hands each generic-netlink message of `command` to
// onMessage with its top-level attributes (index: NL80211_ATTR_*).
template <typename OnMessage>
DumpEnd walk(QByteArrayView replies, int command, OnMessage &&onMessage)
{
    DumpEnd end;
    // libnl reads through non-const pointers and netlink's headers want 4-byte alignment: our own copy.
    const int size = int(qMin<qsizetype>(replies.size(), INT_MAX - 8));
    std::vector<quint64> storage((size_t(size) + 7) / 8);
    if (size > 0)
        std::memcpy(storage.data(), replies.data(), size_t(size));
    auto *message = reinterpret_cast<nlmsghdr *>(storage.data());
    int remaining = size;
    std::vector<nlattr *> attrs(NL80211_ATTR_MAX + 1);
    while (remaining > 0) {
        if (!nlmsg_ok(message, remaining)) {
            end.damaged = true;
            break;
        }
        if (message->nlmsg_type == NLMSG_DONE) {
            end.done = true;
            break;
        }
        if (message->nlmsg_type == NLMSG_ERROR) {
            // Ends the dump: an error, or (0) the acknowledgement of a request that asked for one.
            end.done = true;
            if (nlmsg_datalen(message) >= int(sizeof(nlmsgerr)))
                end.error = static_cast<const nlmsgerr *>(nlmsg_data(message))->error;
            else
                end.damaged = true;
            break;
        }
        if (message->nlmsg_type >= NLMSG_MIN_TYPE) {
            if (!genlmsg_valid_hdr(message, 0)) {
                end.damaged = true;
                break;
            }
            const auto *header = static_cast<const genlmsghdr *>(nlmsg_data(message));
            if (header->cmd == command
                && nla_parse(
                       attrs.data(), NL80211_ATTR_MAX, genlmsg_attrdata(header, 0), genlmsg_attrlen(header, 0), nullptr)
                    >= 0) {
                onMessage(attrs.data());
            }
        }
        message = nlmsg_next(message, &remaining);
    }
    return end;
}

} // namespace

Dump<Interface> parseInterfaces(QByteArrayView replies)
{
    Dump<Interface> dump;
    dump.end = walk(replies, NL80211_CMD_NEW_INTERFACE, [&](nlattr **attrs) {
        Interface entry;
        entry.ifindex = int(readU32(attrs[NL80211_ATTR_IFINDEX]).value_or(0));
        if (entry.ifindex < 0)
            entry.ifindex = 0;
        entry.name = readText(attrs[NL80211_ATTR_IFNAME]);
        entry.mac = macText(readBytes(attrs[NL80211_ATTR_MAC]));
        entry.type = readU32(attrs[NL80211_ATTR_IFTYPE]).value_or(NL80211_IFTYPE_UNSPECIFIED);
        const QByteArrayView ssid = readBytes(attrs[NL80211_ATTR_SSID]);
        if (ssid.size() <= MAX_SSID_LENGTH)
            entry.ssid = ssidText(ssid);
        entry.frequencyMhz = plausibleFrequency(readU32(attrs[NL80211_ATTR_WIPHY_FREQ]));
        if (entry.frequencyMhz)
            entry.channelWidthMhz = channelWidthMhz(readU32(attrs[NL80211_ATTR_CHANNEL_WIDTH]));
        // In mBm (1/100 dBm), signed although sent as a u32.
        if (const auto mbm = readU32(attrs[NL80211_ATTR_WIPHY_TX_POWER_LEVEL])) {
            const double dbm = qint32(*mbm) / 100.0;
            if (dbm >= LOWEST_TX_POWER_DBM && dbm <= HIGHEST_TX_POWER_DBM)
                entry.txPowerDbm = dbm;
        }
        dump.entries.append(entry);
    });
    return dump;
}

Dump<Station> parseStations(QByteArrayView replies)
{
    Dump<Station> dump;
    dump.end = walk(replies, NL80211_CMD_NEW_STATION, [&](nlattr **attrs) {
        Station entry;
        entry.ifindex = int(readU32(attrs[NL80211_ATTR_IFINDEX]).value_or(0));
        entry.mac = macText(readBytes(attrs[NL80211_ATTR_MAC]));
        nlattr *info[NL80211_STA_INFO_MAX + 1];
        if (attrs[NL80211_ATTR_STA_INFO]
            && nla_parse_nested(info, NL80211_STA_INFO_MAX, attrs[NL80211_ATTR_STA_INFO], nullptr) >= 0) {
            entry.signalDbm = plausibleSignal(readS8(info[NL80211_STA_INFO_SIGNAL]));
            entry.signalAvgDbm = plausibleSignal(readS8(info[NL80211_STA_INFO_SIGNAL_AVG]));
            entry.txBitrateMbps = readBitrate(info[NL80211_STA_INFO_TX_BITRATE]);
            entry.rxBitrateMbps = readBitrate(info[NL80211_STA_INFO_RX_BITRATE]);
        }
        dump.entries.append(entry);
    });
    return dump;
}

Dump<Bss> parseScan(QByteArrayView replies)
{
    Dump<Bss> dump;
    dump.end = walk(replies, NL80211_CMD_NEW_SCAN_RESULTS, [&](nlattr **attrs) {
        nlattr *bss[NL80211_BSS_MAX + 1];
        if (!attrs[NL80211_ATTR_BSS] || nla_parse_nested(bss, NL80211_BSS_MAX, attrs[NL80211_ATTR_BSS], nullptr) < 0)
            return;
        Bss entry;
        entry.ifindex = int(readU32(attrs[NL80211_ATTR_IFINDEX]).value_or(0));
        entry.bssid = macText(readBytes(bss[NL80211_BSS_BSSID]));
        entry.ssid = ssidOfElements(readBytes(bss[NL80211_BSS_INFORMATION_ELEMENTS]));
        entry.frequencyMhz = plausibleFrequency(readU32(bss[NL80211_BSS_FREQUENCY]));
        if (const auto mbm = readU32(bss[NL80211_BSS_SIGNAL_MBM])) {
            const double dbm = qint32(*mbm) / 100.0;
            if (dbm >= LOWEST_SIGNAL_DBM && dbm < 0)
                entry.signalDbm = dbm;
        }
        const auto status = readU32(bss[NL80211_BSS_STATUS]);
        entry.associated
            = status == quint32(NL80211_BSS_STATUS_ASSOCIATED) || status == quint32(NL80211_BSS_STATUS_IBSS_JOINED);
        dump.entries.append(entry);
    });
    return dump;
}

Dump<Survey> parseSurvey(QByteArrayView replies)
{
    Dump<Survey> dump;
    dump.end = walk(replies, NL80211_CMD_NEW_SURVEY_RESULTS, [&](nlattr **attrs) {
        nlattr *survey[NL80211_SURVEY_INFO_MAX + 1];
        if (!attrs[NL80211_ATTR_SURVEY_INFO]
            || nla_parse_nested(survey, NL80211_SURVEY_INFO_MAX, attrs[NL80211_ATTR_SURVEY_INFO], nullptr) < 0) {
            return;
        }
        Survey entry;
        entry.ifindex = int(readU32(attrs[NL80211_ATTR_IFINDEX]).value_or(0));
        entry.frequencyMhz = plausibleFrequency(readU32(survey[NL80211_SURVEY_INFO_FREQUENCY]));
        const auto noise = readS8(survey[NL80211_SURVEY_INFO_NOISE]);
        if (noise && *noise >= LOWEST_NOISE_DBM && *noise <= HIGHEST_NOISE_DBM)
            entry.noiseDbm = noise;
        entry.inUse = survey[NL80211_SURVEY_INFO_IN_USE] != nullptr;
        dump.entries.append(entry);
    });
    return dump;
}

DumpEnd dumpEnd(QByteArrayView replies)
{
    return walk(replies, -1, [](nlattr **) {});
}

std::optional<int> channelOfFrequency(int mhz)
{
    if (mhz == 2484)
        return 14;
    if (mhz >= 2412 && mhz < 2484)
        return (mhz - 2407) / 5;
    if (mhz >= 4910 && mhz <= 4980)
        return (mhz - 4000) / 5;
    if (mhz >= 5000 && mhz < 5925)
        return (mhz - 5000) / 5;
    if (mhz == 5935)
        return 2; // the 6 GHz band's one channel off the 20 MHz grid
    if (mhz >= 5950 && mhz <= 7125)
        return (mhz - 5950) / 5;
    if (mhz >= 58320 && mhz <= 70200)
        return (mhz - 56160) / 2160;
    return std::nullopt;
}

QString macText(QByteArrayView bytes)
{
    if (bytes.size() != 6)
        return {};
    return QString::fromLatin1(bytes.toByteArray().toHex(':'));
}

QString ssidText(QByteArrayView octets)
{
    if (octets.isEmpty() || octets.count('\0') == octets.size())
        return {};
    QString text = QString::fromUtf8(octets);
    for (QChar &c : text) {
        if (c.category() == QChar::Other_Control)
            c = u'?';
    }
    return text;
}

} // namespace StreamSwarm::Agent::Nl80211
