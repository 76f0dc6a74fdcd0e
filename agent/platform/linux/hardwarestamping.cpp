// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "hardwarestamping.h"

#include <cerrno>
#include <cstring>

#include <linux/ethtool.h>
#include <linux/net_tstamp.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <QCoreApplication>

#include <unistd.h>

namespace StreamSwarm::Agent {

namespace {

// The context this file's messages are translated in.
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(StreamSwarm::Agent::HardwareStamping)
};

class Fd
{
public:
    explicit Fd(int fd)
        : m_fd(fd)
    { }
    ~Fd()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    Q_DISABLE_COPY_MOVE(Fd)
    int get() const { return m_fd; }

private:
    int m_fd;
};

bool request(int fd, const QByteArray &name, unsigned long code, void *data)
{
    ifreq request{};
    std::memcpy(request.ifr_name, name.constData(), size_t(name.size()));
    request.ifr_data = static_cast<char *>(data);
    return ::ioctl(fd, code, &request) == 0;
}

} // namespace

bool enableHardwareStamping(const QString &interface, QString *message)
{
    const QByteArray name = interface.toLocal8Bit();
    if (name.isEmpty() || name.size() >= IFNAMSIZ || if_nametoindex(name.constData()) == 0) {
        *message = Tr::tr("There is no network interface called \"%1\" on this host.").arg(interface.left(40));
        return false;
    }
    const Fd fd(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    if (fd.get() < 0) {
        *message = Tr::tr("Cannot ask %1 about hardware stamps: %2.").arg(interface, qt_error_string(errno));
        return false;
    }
    const QString fallback = Tr::tr("Ping and traceroute use the kernel's stamps there, which are good to a few "
                                    "microseconds.");
    ethtool_ts_info info{};
    info.cmd = ETHTOOL_GET_TS_INFO;
    constexpr unsigned HARDWARE
        = SOF_TIMESTAMPING_RX_HARDWARE | SOF_TIMESTAMPING_TX_HARDWARE | SOF_TIMESTAMPING_RAW_HARDWARE;
    if (!request(fd.get(), name, SIOCETHTOOL, &info) || (info.so_timestamping & HARDWARE) != HARDWARE) {
        *message = Tr::tr("%1 cannot stamp packets in hardware (its driver offers software stamps only). %2")
                       .arg(interface, fallback);
        return false;
    }
    if (!(info.rx_filters & (1u << HWTSTAMP_FILTER_ALL)) || !(info.tx_types & (1u << HWTSTAMP_TX_ON))) {
        *message = Tr::tr("%1 stamps only PTP packets in hardware, not ping or traceroute probes. %2")
                       .arg(interface, fallback);
        return false;
    }
    hwtstamp_config config{};
    if (request(fd.get(), name, SIOCGHWTSTAMP, &config) && config.tx_type == HWTSTAMP_TX_ON
        && config.rx_filter == HWTSTAMP_FILTER_ALL) {
        *message = Tr::tr("%1 already stamps every packet in hardware; ping and traceroute use those stamps.")
                       .arg(interface);
        return true;
    }
    config = {};
    config.tx_type = HWTSTAMP_TX_ON;
    config.rx_filter = HWTSTAMP_FILTER_ALL;
    if (!request(fd.get(), name, SIOCSHWTSTAMP, &config)) {
        const int code = errno;
        *message = code == EPERM
            ? Tr::tr("Switching on hardware stamps on %1 needs root or CAP_NET_ADMIN. %2").arg(interface, fallback)
            : Tr::tr("%1 refused to switch on hardware stamps: %2. %3").arg(interface, qt_error_string(code), fallback);
        return false;
    }
    *message
        = Tr::tr("Hardware stamps are now on for every packet on %1; ping and traceroute use them.").arg(interface);
    return true;
}

} // namespace StreamSwarm::Agent
