// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <deque>
#include <memory>

#include <QHash>
#include <QTimer>

#include "agent/probes/traceroute/tracerouteprober.h"

class QSocketNotifier;

namespace StreamSwarm::Agent {

// TCP SYN traceroute without privilege: per probe one non-blocking TCP socket with the probe's TTL
// and IP_RECVERR / IPV6_RECVERR, then connect(). A router's time exceeded (or unreachable) for the SYN
// arrives on that socket's error queue with the router's address; a completed connect (SYN-ACK) or
// ECONNREFUSED (RST) means the destination answered. Each socket closes as soon as its probe is
// answered or timed out, with SO_LINGER 0 so that a completed handshake is reset at once and leaves
// nothing open on the target. At most MAX_OPEN_SOCKETS are open; further probes wait in a queue.
// The sockets are watched through one epoll descriptor. Lives on the agent's main thread.
class TracerouteTcpProber final : public TracerouteProber
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TracerouteTcpProber)
public:
    // protocol: QAbstractSocket::IPv4Protocol or IPv6Protocol; port: the destination port;
    // timeoutMs: how long one probe's socket waits for an answer.
    TracerouteTcpProber(
        QAbstractSocket::NetworkLayerProtocol protocol, quint16 port, qint64 timeoutMs, QObject *parent = nullptr);
    ~TracerouteTcpProber() override;

    bool open(QString *error) override;
    bool isOpen() const override { return m_epoll >= 0; }
    QAbstractSocket::NetworkLayerProtocol protocol() const override { return m_protocol; }
    bool sendProbe(const QHostAddress &target, int ttl, quint16 key, QString *error) override;
    void forgetPending() override;
    qint64 msUntilSettled() const override;

    int openSockets() const { return int(m_open.size()); }
    int queuedProbes() const { return int(m_queue.size()); }

    static constexpr int MAX_OPEN_SOCKETS = 64;

private:
    struct Request
    {
        QHostAddress target;
        int ttl = 0;
        quint16 key = 0;
    };
    struct Socket
    {
        int fd = -1;
        QHostAddress target;
        qint64 sendRealNs = 0;
        qint64 sendMonoNs = 0;
        qint64 deadlineMonoNs = 0;
        int early = -1; // connect()'s own result when it settled at once (0 or ECONNREFUSED), else -1
    };

    bool start(const Request &request, QString *error);
    int makeSocket(int ttl, QString *error) const;
    void handleEvents();
    void settle(quint16 key, quint32 events);
    bool readIcmpAnswer(quint16 key, const Socket &socket);
    void reportReached(quint16 key, const Socket &socket, int code, qint64 kernelRttNs = 0);
    void closeSocket(quint16 key);
    void handleExpiry();
    void startQueued();
    void armExpiry();

    QAbstractSocket::NetworkLayerProtocol m_protocol;
    quint16 m_port;
    qint64 m_timeoutMs;
    int m_epoll = -1;
    std::unique_ptr<QSocketNotifier> m_notifier;
    QHash<quint16, Socket> m_open; // by probe key
    std::deque<Request> m_queue;
    QTimer m_expiry;
};

} // namespace StreamSwarm::Agent
