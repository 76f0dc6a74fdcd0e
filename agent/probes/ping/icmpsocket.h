// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <memory>
#include <vector>

#include <QAbstractSocket>
#include <QHostAddress>
#include <QObject>
#include <QString>

#include "agent/probes/timestamping.h"

namespace StreamSwarm::Agent {

class IcmpChannel;

// One ping probe's ICMP echoes (IPv4 or IPv6): sends echo requests and reports each matching reply
// with its round-trip time. The socket beneath is an IcmpChannel shared with every probe that sends
// with the same options; it prefers an unprivileged datagram ICMP socket and falls back to a raw
// one. ICMP errors about our echoes (unreachable, TTL exceeded ...) are read from the socket's error
// queue (IP_RECVERR), as mtr does. Non-blocking; lives on the agent's main thread.
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

    // Joins (or opens) the shared socket if not done yet. On failure returns false and a sentence
    // saying what to do.
    bool open(QString *error);
    void close();
    bool isOpen() const { return m_channel != nullptr; }
    Kind kind() const;
    QAbstractSocket::NetworkLayerProtocol protocol() const { return m_protocol; }

    // Sends one echo request with payloadSize bytes after the ICMP header (0 - MAX_PAYLOAD_SIZE).
    // The reply is reported through replyReceived() until forgetPending() is called. On failure
    // (no route, refused broadcast ...) returns false and a sentence; nothing is pending then.
    bool sendEcho(const QHostAddress &target, quint16 sequence, int payloadSize, QString *error);
    // Drops the send records: replies to the echoes sent so far are no longer reported.
    void forgetPending();
    int pendingCount() const { return int(m_wireSequences.size()); } // sent since the last forgetPending()

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
    friend class IcmpChannel;
    // From the channel: a reply or an ICMP error for one of our echoes.
    void deliverReply(quint16 sequence, qint64 rttNs, int ttl, TimestampSource source);
    void deliverError(quint16 sequence, const QString &description, const QHostAddress &reporter);

    QAbstractSocket::NetworkLayerProtocol m_protocol;
    Options m_options;
    std::shared_ptr<IcmpChannel> m_channel;
    std::vector<quint16> m_wireSequences; // what our echoes carried, until forgetPending()
};

} // namespace StreamSwarm::Agent
