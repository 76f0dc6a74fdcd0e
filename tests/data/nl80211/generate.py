#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# SPDX-FileCopyrightText: 2026 The StreamSwarm authors
"""Writes the generated nl80211 reply fixtures (*.hex beside this file; README.md says which are
generated and which captured). Each reply is built byte by byte to the layout of the kernel's
include/uapi/linux/nl80211.h (Debian 12's linux-libc-dev): netlink header, generic-netlink header,
attributes (nested ones flagged NLA_F_NESTED, as the kernel sends them), one dump ending in NLMSG_DONE.
Little-endian, as on the x86-64 and arm64 hosts the kernel answered. Run: python3 generate.py"""

import os
import struct

FAMILY = 28  # the nl80211 family id the kernel gave in the one real capture we have (see README.md)
NLM_F_MULTI = 0x2
NLMSG_DONE = 3
NLA_F_NESTED = 0x8000
GENL_VERSION = 1  # nl80211's genl family version

# enum nl80211_commands
CMD_NEW_INTERFACE, CMD_NEW_STATION, CMD_NEW_SCAN_RESULTS, CMD_NEW_SURVEY_RESULTS = 7, 19, 34, 51
# enum nl80211_attrs
A_WIPHY, A_IFINDEX, A_IFNAME, A_IFTYPE, A_MAC = 1, 3, 4, 5, 6
A_STA_INFO, A_WIPHY_FREQ, A_GENERATION, A_BSS, A_SSID = 21, 38, 46, 47, 52
A_4ADDR, A_SURVEY_INFO, A_WIPHY_TX_POWER_LEVEL, A_WDEV = 83, 84, 98, 153
A_CHANNEL_WIDTH, A_CENTER_FREQ1, A_WIPHY_FREQ_OFFSET = 159, 160, 290
# enum nl80211_sta_info
S_INACTIVE_TIME, S_RX_BYTES, S_TX_BYTES, S_SIGNAL, S_TX_BITRATE = 1, 2, 3, 7, 8
S_RX_PACKETS, S_TX_PACKETS, S_TX_RETRIES, S_TX_FAILED, S_SIGNAL_AVG = 9, 10, 11, 12, 13
S_RX_BITRATE, S_BSS_PARAM, S_CONNECTED_TIME, S_STA_FLAGS, S_BEACON_LOSS = 14, 15, 16, 17, 18
S_RX_BYTES64, S_TX_BYTES64, S_CHAIN_SIGNAL, S_BEACON_SIGNAL_AVG = 23, 24, 25, 30
# enum nl80211_rate_info
R_BITRATE, R_MCS, R_SHORT_GI, R_BITRATE32, R_VHT_MCS, R_VHT_NSS, R_80_MHZ_WIDTH = 1, 2, 4, 5, 6, 7, 8
# enum nl80211_sta_bss_param
P_SHORT_SLOT_TIME, P_DTIM_PERIOD, P_BEACON_INTERVAL = 3, 4, 5
# enum nl80211_bss
B_BSSID, B_FREQUENCY, B_TSF, B_BEACON_INTERVAL, B_CAPABILITY = 1, 2, 3, 4, 5
B_INFORMATION_ELEMENTS, B_SIGNAL_MBM, B_STATUS, B_SEEN_MS_AGO, B_LAST_SEEN_BOOTTIME = 6, 7, 9, 10, 15
# enum nl80211_survey_info
V_FREQUENCY, V_NOISE, V_IN_USE, V_TIME, V_TIME_BUSY, V_TIME_RX, V_TIME_TX = 1, 2, 3, 4, 5, 7, 8
IFTYPE_STATION, IFTYPE_P2P_DEVICE = 2, 10
CHAN_WIDTH_20, CHAN_WIDTH_80 = 1, 3


def pad(data):
    return data + b"\0" * (-len(data) % 4)


def attr(kind, payload):
    return pad(struct.pack("<HH", 4 + len(payload), kind) + payload)


def nest(kind, *attrs):
    return attr(kind | NLA_F_NESTED, b"".join(attrs))


def u8(kind, value):
    return attr(kind, struct.pack("<B", value & 0xFF))


def s8(kind, value):
    return attr(kind, struct.pack("<b", value))


def u16(kind, value):
    return attr(kind, struct.pack("<H", value))


def u32(kind, value):
    return attr(kind, struct.pack("<I", value & 0xFFFFFFFF))


def u64(kind, value):
    return attr(kind, struct.pack("<Q", value))


def flag(kind):
    return attr(kind, b"")


def text(kind, value):
    return attr(kind, value.encode() + b"\0")


def mac(kind, value):
    return attr(kind, bytes.fromhex(value.replace(":", "")))


def message(command, *attrs, seq=1700000000, port=4242):
    body = struct.pack("<BBH", command, GENL_VERSION, 0) + b"".join(attrs)
    return struct.pack("<IHHII", 16 + len(body), FAMILY, NLM_F_MULTI, seq, port) + body


def done(seq=1700000000, port=4242):
    return struct.pack("<IHHIIi", 20, NLMSG_DONE, NLM_F_MULTI, seq, port, 0)


def elements(*pairs):
    return b"".join(struct.pack("<BB", eid, len(data)) + data for eid, data in pairs)


def interface(ifindex, name, address, ssid=None, freq=None, width=None, center=None, power_mbm=None, wdev=1):
    attrs = [u32(A_IFINDEX, ifindex), text(A_IFNAME, name), u32(A_WIPHY, 0), u32(A_IFTYPE, IFTYPE_STATION),
             u64(A_WDEV, wdev), mac(A_MAC, address), u32(A_GENERATION, 5), u8(A_4ADDR, 0)]
    if ssid is not None:
        attrs.append(attr(A_SSID, ssid.encode()))
    if freq is not None:
        attrs += [u32(A_WIPHY_FREQ, freq), u32(A_WIPHY_FREQ_OFFSET, 0), u32(A_CHANNEL_WIDTH, width),
                  u32(A_CENTER_FREQ1, center)]
    if power_mbm is not None:
        attrs.append(u32(A_WIPHY_TX_POWER_LEVEL, power_mbm))
    return message(CMD_NEW_INTERFACE, *attrs)


def p2p_device():
    # wpa_supplicant's P2P device: a wdev without a network interface (no ifindex, no name).
    return message(CMD_NEW_INTERFACE, u32(A_WIPHY, 0), u32(A_IFTYPE, IFTYPE_P2P_DEVICE), u64(A_WDEV, 2),
                   mac(A_MAC, "02:00:5e:10:00:02"), u32(A_GENERATION, 5))


def rate(bitrate_units, mcs=None, nss=None, wide=False, short_gi=False, with32=True):
    attrs = [u16(R_BITRATE, min(bitrate_units, 0xFFFF))]
    if with32:
        attrs.append(u32(R_BITRATE32, bitrate_units))
    if mcs is not None:
        attrs += [u8(R_VHT_MCS, mcs), u8(R_VHT_NSS, nss)]
    if wide:
        attrs.append(flag(R_80_MHZ_WIDTH))
    if short_gi:
        attrs.append(flag(R_SHORT_GI))
    return attrs


def station(ifindex, ap, signal=None, signal_avg=None, tx=None, rx=None, extra=()):
    info = [u32(S_INACTIVE_TIME, 12), u32(S_RX_BYTES, 48213377), u64(S_RX_BYTES64, 48213377),
            u32(S_TX_BYTES, 9120456), u64(S_TX_BYTES64, 9120456), u32(S_RX_PACKETS, 61012),
            u32(S_TX_PACKETS, 30477), u32(S_TX_RETRIES, 1204), u32(S_TX_FAILED, 3), u32(S_BEACON_LOSS, 0)]
    if signal is not None:
        info += [s8(S_SIGNAL, signal), nest(S_CHAIN_SIGNAL, s8(0, signal - 2), s8(1, signal - 3))]
    if signal_avg is not None:
        info.append(s8(S_SIGNAL_AVG, signal_avg))
    if tx is not None:
        info.append(nest(S_TX_BITRATE, *tx))
    if rx is not None:
        info.append(nest(S_RX_BITRATE, *rx))
    info += [u32(S_CONNECTED_TIME, 3600), attr(S_STA_FLAGS, struct.pack("<II", 0x7E, 0x62)),
             nest(S_BSS_PARAM, flag(P_SHORT_SLOT_TIME), u8(P_DTIM_PERIOD, 1), u16(P_BEACON_INTERVAL, 100)),
             s8(S_BEACON_SIGNAL_AVG, -49)]
    info += list(extra)
    return message(CMD_NEW_STATION, u32(A_IFINDEX, ifindex), mac(A_MAC, ap), u32(A_GENERATION, 11),
                   nest(A_STA_INFO, *info))


def bss(ifindex, bssid, ssid, freq, signal_mbm, associated, ies=None):
    if ies is None:
        ies = elements((0, ssid.encode()), (1, bytes([0x8C, 0x12, 0x98, 0x24, 0xB0, 0x48, 0x60, 0x6C])),
                       (3, bytes([36 if freq > 5000 else 6])))
    inner = [mac(B_BSSID, bssid), u32(B_FREQUENCY, freq), u64(B_TSF, 81234567890), u16(B_BEACON_INTERVAL, 100),
             u16(B_CAPABILITY, 0x1511), attr(B_INFORMATION_ELEMENTS, ies), u32(B_SIGNAL_MBM, signal_mbm),
             u32(B_SEEN_MS_AGO, 40), u64(B_LAST_SEEN_BOOTTIME, 91234567890123)]
    if associated:
        inner.append(u32(B_STATUS, 1))
    return message(CMD_NEW_SCAN_RESULTS, u32(A_GENERATION, 77), u32(A_IFINDEX, ifindex), u64(A_WDEV, 1),
                   nest(A_BSS, *inner))


def survey(ifindex, freq, noise=None, in_use=False):
    inner = [u32(V_FREQUENCY, freq)]
    if noise is not None:
        inner.append(u8(V_NOISE, noise))
    if in_use:
        inner.append(flag(V_IN_USE))
    inner += [u64(V_TIME, 52110), u64(V_TIME_BUSY, 8410), u64(V_TIME_RX, 7002), u64(V_TIME_TX, 611)]
    return message(CMD_NEW_SURVEY_RESULTS, u32(A_IFINDEX, ifindex), nest(A_SURVEY_INFO, *inner))


WLAN_MAC = "02:00:5e:10:00:01"
AP_ONE = "02:11:22:33:44:55"
AP_TWO = "02:11:22:33:44:66"
NEIGHBOUR = "02:99:88:77:66:55"

FIXTURES = {
    # A laptop on a 5 GHz, 80 MHz channel (36), VHT rates, a driver that reports everything.
    "laptop-interface": [interface(3, "wlan0", WLAN_MAC, "Harbour Lab", 5180, CHAN_WIDTH_80, 5210, 2200),
                         p2p_device(), done()],
    "laptop-station": [station(3, AP_ONE, -52, -50, rate(8667, 9, 2, wide=True, short_gi=True),
                               rate(7800, 8, 2, wide=True)), done()],
    "laptop-scan": [bss(3, AP_ONE, "Harbour Lab", 5180, -5200, True),
                    bss(3, NEIGHBOUR, "Harbour Guest", 2437, -7100, False), done()],
    "laptop-survey": [survey(3, 2412, -95), survey(3, 2437, -94), survey(3, 5180, -92, in_use=True),
                      survey(3, 5200), done()],
    # The same laptop after roaming to another access point of the network, on 2.4 GHz channel 6.
    "roamed-interface": [interface(3, "wlan0", WLAN_MAC, "Harbour Lab", 2437, CHAN_WIDTH_20, 2437, 2000), done()],
    "roamed-station": [station(3, AP_TWO, -67, -66, rate(1444, with32=True), rate(1300)), done()],
    "roamed-scan": [bss(3, AP_ONE, "Harbour Lab", 5180, -8100, False),
                    bss(3, AP_TWO, "Harbour Lab", 2437, -6700, True), done()],
    "roamed-survey": [survey(3, 2437, -90, in_use=True), survey(3, 5180, -92), done()],
    # A Wi-Fi interface that is up but not connected: no SSID, no channel, no station.
    "disconnected-interface": [interface(4, "wlp2s0", WLAN_MAC, power_mbm=0), done()],
    "disconnected-station": [done()],
    "disconnected-scan": [bss(4, NEIGHBOUR, "Harbour Guest", 2437, -7100, False), done()],
    "disconnected-survey": [survey(4, 2412, -95), done()],
    # A sparse USB dongle driver: no SSID on the interface (it comes from the scan's element), no TX
    # power, no average signal, only the 16-bit TX rate, no RX rate, and a survey without noise.
    "sparse-interface": [interface(5, "wlx74da3826382c", WLAN_MAC, None, 2412, CHAN_WIDTH_20, 2412), done()],
    "sparse-station": [station(5, AP_ONE, -71, None, rate(720, with32=False), None), done()],
    "sparse-scan": [bss(5, AP_ONE, "Café \u2615", 2412, -7100, True), done()],
    "sparse-survey": [survey(5, 2412, None, in_use=True), done()],
    # Values no driver should send: a positive signal, a 0 dBm average, a 429 Gbit/s TX rate, a 0 RX
    # rate, 21 million dBm of TX power, a 123 GHz channel, a noise of 0 dBm, an SSID element longer
    # than the elements and a 100-character interface name.
    "absurd-interface": [interface(6, "w" * 100, WLAN_MAC, "x" * 40, 123456, CHAN_WIDTH_20, 123456, 0x7FFFFFFF),
                         done()],
    "absurd-station": [station(6, AP_ONE, 100, 0, rate(0xFFFFFFFF), rate(0)), done()],
    "absurd-scan": [bss(6, AP_ONE, "", 2412, 0x7FFFFFFF, True, ies=bytes([0, 200]) + b"Harbour"), done()],
    "absurd-survey": [survey(6, 2412, 0, in_use=True), done()],
    # Attributes of the wrong size: a 2-byte ifindex and frequency, an empty signal, a 5-byte MAC.
    "wrongsize-interface": [message(CMD_NEW_INTERFACE, attr(A_IFINDEX, b"\x07\x00"), text(A_IFNAME, "wlan9"),
                                    attr(A_MAC, bytes(5)), attr(A_WIPHY_FREQ, b"\x6c\x09"),
                                    u32(A_WIPHY_TX_POWER_LEVEL, 1500)), done()],
    "wrongsize-station": [message(CMD_NEW_STATION, u32(A_IFINDEX, 7), attr(A_MAC, bytes(5)),
                                  nest(A_STA_INFO, attr(S_SIGNAL, b""), s8(S_SIGNAL_AVG, -60),
                                       nest(S_TX_BITRATE, attr(R_BITRATE32, b"\x01")))), done()],
}


def write(name, messages):
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), name + ".hex")
    with open(path, "w", encoding="utf-8") as out:
        out.write("# SPDX-License-Identifier: GPL-3.0-or-later\n# SPDX-FileCopyrightText: 2026 The StreamSwarm authors\n")
        out.write("# GENERATED by generate.py to the layout of linux/nl80211.h, not captured from a kernel.\n")
        out.write("# One netlink message per line, as a dump's replies arrive.\n")
        for data in messages:
            out.write(data.hex() + "\n")


if __name__ == "__main__":
    for fixture, replies in FIXTURES.items():
        write(fixture, replies)
