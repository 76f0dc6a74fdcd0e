// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <memory>
#include <vector>

#include <QHash>
#include <QObject>

#include "agent/probes/ping/icmpsocket.h"

class QSocketNotifier;

namespace StreamSwarm::Agent {

// One ICMP socket (datagram or raw) per address family, set of send options and network namespace,
// shared by every IcmpSocket that asks for the same, as fping does. A raw socket is handed a copy of
// every ICMP packet that reaches the host, so a socket per ping test made the kernel copy and filter
// each reply once per test: with 1,000 targets that was most of the agent's CPU. Echoes leave with
// the channel's own sequence numbers, which it maps back to the sending IcmpSocket and that
// socket's sequence. Main thread.
class IcmpChannel final
    : public QObject
    , public std::enable_shared_from_this<IcmpChannel>
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(IcmpChannel)
public:
    using Kind = IcmpSocket::Kind;
    using Options = IcmpSocket::Options;

    // The open channel for these, or a new one; nullptr and a sentence when none can be opened.
    static std::shared_ptr<IcmpChannel> acquire(
        QAbstractSocket::NetworkLayerProtocol protocol, const Options &options, QString *error);
    ~IcmpChannel() override;

    Kind kind() const { return m_kind; }
    // Sends an echo for owner; on success *wireSequence is the sequence it carries on the wire.
    bool send(IcmpSocket *owner, const QHostAddress &target, quint16 ownerSequence, int payloadSize,
        quint16 *wireSequence, QString *error);
    // Replies to these echoes of owner's are no longer reported.
    void forget(const IcmpSocket *owner, const std::vector<quint16> &wireSequences);

    // At most this many echoes wait for replies on one channel (the sequence space is 16 bits).
    static constexpr int MAX_PENDING = 60000;

private:
    struct PendingEcho
    {
        IcmpSocket *owner = nullptr;
        quint16 ownerSequence = 0;
        qint64 sendRealNs = 0;
        qint64 sendMonoNs = 0;
        qint64 kernelSendRealNs = 0;
        qint64 hardwareSendNs = 0;
        int payloadSize = 0;
    };

    IcmpChannel(QAbstractSocket::NetworkLayerProtocol protocol, const Options &options);
    bool open(QString *error);
    int openSocket(int type);
    bool applyOptions(QString *error);
    void configureSocket();
    bool allocateSequence(quint16 *sequence);
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
    QHash<quint16, PendingEcho> m_pending; // by wire sequence
    quint16 m_nextSequence = 0;
    bool m_transmitStamps = false; // SO_TIMESTAMPING with OPT_ID is on
    TransmitStampNumbers<quint16> m_stampNumbers; // the kernel's send number -> wire sequence
    std::vector<unsigned char> m_sendBuffer;
    std::vector<unsigned char> m_receiveBuffer;
};

} // namespace StreamSwarm::Agent
