// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <memory>
#include <vector>

#include <QHash>

#include "agent/probes/traceroute/tracerouteprober.h"

class QSocketNotifier;

namespace StreamSwarm::Agent {

// One traceroute socket (ICMP echo or UDP, IPv4 or IPv6): sends TTL-limited probes and reports who
// answered each. ICMP errors (time exceeded, unreachable) come from the socket's error queue
// (IP_RECVERR / IPV6_RECVERR), as mtr reads them, so UDP and datagram ICMP need no privilege; ICMP
// falls back to a raw socket where net.ipv4.ping_group_range does not allow datagram ones. Kernel
// transmit and receive stamps time the probes. Non-blocking; lives on the agent's main thread.
class TracerouteSocket final : public TracerouteProber
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TracerouteSocket)
public:
    enum class Mode { Icmp, Udp };

    // protocol: QAbstractSocket::IPv4Protocol or IPv6Protocol; basePort: the first UDP destination port.
    TracerouteSocket(
        Mode mode, QAbstractSocket::NetworkLayerProtocol protocol, quint16 basePort, QObject *parent = nullptr);
    ~TracerouteSocket() override;

    bool open(QString *error) override;
    bool isOpen() const override { return m_fd >= 0; }
    bool isRaw() const { return m_raw; }
    QAbstractSocket::NetworkLayerProtocol protocol() const override { return m_protocol; }

    // UDP: destination port basePort + key % KEY_SPACE.
    bool sendProbe(const QHostAddress &target, int ttl, quint16 key, QString *error) override;
    void forgetPending() override;

private:
    struct Pending
    {
        qint64 sendRealNs = 0;
        qint64 sendMonoNs = 0;
        qint64 kernelSendRealNs = 0; // the kernel's transmit stamp; 0 until it comes
        qint64 hardwareSendNs = 0;
    };

    void handleReadable();
    void readErrorQueue();
    void readNormal();
    void noteTransmitStamp(quint32 stampKey, const PacketStamp &stamp);
    void report(quint16 key, const QHostAddress &from, Answer answer, const PacketStamp &stamp, qint64 readRealNs,
        qint64 readMonoNs);
    quint16 keyOfPort(quint16 port) const { return quint16((port - m_basePort) & 0xffff); }

    Mode m_mode;
    QAbstractSocket::NetworkLayerProtocol m_protocol;
    quint16 m_basePort;
    int m_fd = -1;
    bool m_raw = false;
    quint16 m_identifier = 0; // echo id in raw mode
    unsigned char m_cookie[8] = {};
    QHostAddress m_target; // the latest probe's destination
    std::unique_ptr<QSocketNotifier> m_notifier;
    QHash<quint16, Pending> m_pending;
    bool m_transmitStamps = false;
    TransmitStampNumbers<quint16> m_stampNumbers; // the kernel's send number -> probe key
    std::vector<unsigned char> m_buffer;
};

} // namespace StreamSwarm::Agent
