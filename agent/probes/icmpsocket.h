// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <memory>
#include <vector>

#include <QAbstractSocket>
#include <QHash>
#include <QHostAddress>
#include <QObject>
#include <QString>

#include "agent/probes/timestamping.h"

class QSocketNotifier;

namespace StreamSwarm::Agent {

// One ICMP echo socket (IPv4 or IPv6) for one ping probe: sends echo requests and reports each
// matching reply with its round-trip time. Prefers an unprivileged datagram ICMP socket and falls
// back to a raw one. ICMP errors about our echoes (unreachable, TTL exceeded ...) are read from the
// socket's error queue (IP_RECVERR), as mtr does. Non-blocking; lives on the agent's main thread.
class IcmpSocket final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(IcmpSocket)
public:
    enum class Kind {
        Closed,
        Datagram, // SOCK_DGRAM: allowed by net.ipv4.ping_group_range; the kernel owns the echo id
        Raw, // SOCK_RAW: needs CAP_NET_RAW; we own the echo id and, for IPv4, the checksum
    };
    Q_ENUM(Kind)

    // How the echoes leave; applied by open().
    struct Options
    {
        int ttl = 0; // TTL / hop limit, 1-255; 0 = the system's default
        int tos = -1; // TOS / traffic class byte; -1 = the system's default
        QHostAddress source; // null = chosen by routing
        QString interface; // SO_BINDTODEVICE; empty = any
    };

    // protocol: QAbstractSocket::IPv4Protocol or IPv6Protocol.
    explicit IcmpSocket(QAbstractSocket::NetworkLayerProtocol protocol, QObject *parent = nullptr);
    IcmpSocket(QAbstractSocket::NetworkLayerProtocol protocol, const Options &options, QObject *parent = nullptr);
    ~IcmpSocket() override;
    const Options &options() const { return m_options; }

    // Opens the socket if it is not open. On failure returns false and a sentence saying what to do.
    bool open(QString *error);
    void close();
    bool isOpen() const { return m_fd >= 0; }
    Kind kind() const { return m_kind; }
    QAbstractSocket::NetworkLayerProtocol protocol() const { return m_protocol; }

    // Sends one echo request with payloadSize bytes after the ICMP header (0 - MAX_PAYLOAD_SIZE).
    // The reply is reported through replyReceived() until forgetPending() is called. On failure
    // (no route, refused broadcast ...) returns false and a sentence; nothing is pending then.
    bool sendEcho(const QHostAddress &target, quint16 sequence, int payloadSize, QString *error);
    // Drops the send records: replies to the echoes sent so far are no longer reported.
    void forgetPending();
    int pendingCount() const { return int(m_pending.size()); }

    static constexpr int MAX_PAYLOAD_SIZE = 65507 - 8; // what fits in one IPv4 datagram
    // The sentence open() gives when neither socket kind is permitted.
    static QString permissionError();

Q_SIGNALS:
    // rttNs is never negative; ttl is the reply's TTL or hop limit, -1 when unknown; source says
    // which clocks timed it. A duplicate reply is reported again with the same sequence.
    void replyReceived(quint16 sequence, qint64 rttNs, int ttl, StreamSwarm::Agent::TimestampSource source);
    // An ICMP error about a pending echo: what it says (see describeIcmpError()) and who sent it.
    // The echo is no longer pending afterwards.
    void errorReceived(quint16 sequence, const QString &description, const QHostAddress &reporter);

private:
    struct PendingEcho
    {
        qint64 sendRealNs = 0;
        qint64 sendMonoNs = 0;
        qint64 kernelSendRealNs = 0;
        qint64 hardwareSendNs = 0;
        int payloadSize = 0;
    };

    int openSocket(int type);
    bool applyOptions(QString *error);
    void configureSocket();
    void handleReadable();
    void readErrorQueue();
    void handleIcmpError(const unsigned char *quoted, int length, int type, int code, const QHostAddress &reporter);
    void handleDatagram(int length, const PacketStamp &stamp, int ttl, qint64 readRealNs, qint64 readMonoNs);

    QAbstractSocket::NetworkLayerProtocol m_protocol;
    Options m_options;
    Kind m_kind = Kind::Closed;
    int m_fd = -1;
    quint16 m_identifier = 0; // echo id in raw mode
    unsigned char m_cookie[8] = {}; // first payload bytes, to tell our replies from anyone else's
    std::unique_ptr<QSocketNotifier> m_notifier;
    QHash<quint16, PendingEcho> m_pending;
    bool m_transmitStamps = false; // SO_TIMESTAMPING with OPT_ID is on
    TransmitStampNumbers<quint16> m_stampNumbers; // the kernel's send number -> sequence of a pending echo
    std::vector<unsigned char> m_sendBuffer;
    std::vector<unsigned char> m_receiveBuffer;
};

} // namespace StreamSwarm::Agent
