// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include "agent/platform/linux/wireless/nl80211socket.h"
#include "agent/platform/wirelessreader.h"

namespace StreamSwarm::Agent {

// The Linux WirelessReader: nl80211 through one generic-netlink socket, kept open between readings
// and opened again after a failure (a Wi-Fi dongle plugged in later is found). Each reading is a few
// dumps answered at once by the kernel; parsing is Nl80211's. Lives on the thread that made it.
class LinuxWirelessReader final : public WirelessReader
{
    Q_DISABLE_COPY_MOVE(LinuxWirelessReader)
public:
    explicit LinuxWirelessReader(const QString &captureFolder);
    ~LinuxWirelessReader() override;

    WirelessReading readLink(const QString &interfaceName) override;
    std::optional<WirelessSignal> readSignal(int ifindex) override;

private:
    Nl80211::Socket m_socket;
};

} // namespace StreamSwarm::Agent
