// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "icmpsocket.h"

#include "agent/probes/ping/icmpchannel.h"

namespace StreamSwarm::Agent {

IcmpSocket::IcmpSocket(QAbstractSocket::NetworkLayerProtocol protocol, QObject *parent)
    : IcmpSocket(protocol, Options(), parent)
{ }

IcmpSocket::IcmpSocket(QAbstractSocket::NetworkLayerProtocol protocol, const Options &options, QObject *parent)
    : QObject(parent)
    , m_protocol(
          protocol == QAbstractSocket::IPv6Protocol ? QAbstractSocket::IPv6Protocol : QAbstractSocket::IPv4Protocol)
    , m_options(options)
{ }

IcmpSocket::~IcmpSocket()
{
    close();
}

QString IcmpSocket::permissionError()
{
    return tr("Ping needs permission to open ICMP sockets: run the agent as root, give it CAP_NET_RAW "
              "(setcap cap_net_raw+ep streamswarm-agent), or allow unprivileged ping with sysctl "
              "net.ipv4.ping_group_range.");
}

bool IcmpSocket::open(QString *error)
{
    if (!m_channel)
        m_channel = IcmpChannel::acquire(m_protocol, m_options, error);
    return m_channel != nullptr;
}

void IcmpSocket::close()
{
    forgetPending();
    m_channel.reset(); // the last socket to leave closes the channel
}

IcmpSocket::Kind IcmpSocket::kind() const
{
    return m_channel ? m_channel->kind() : Kind::Closed;
}

bool IcmpSocket::sendEcho(const QHostAddress &target, quint16 sequence, int payloadSize, QString *error)
{
    const auto fail = [error](const QString &why) {
        if (error)
            *error = why;
        return false;
    };
    if (!m_channel)
        return fail(tr("The ICMP socket is not open."));
    if (target.protocol() != m_protocol)
        return fail(tr("The address %1 does not match the socket's IP version.").arg(target.toString()));
    if (payloadSize < 0 || payloadSize > MAX_PAYLOAD_SIZE)
        return fail(tr("The payload size must be from 0 to %1 bytes.").arg(MAX_PAYLOAD_SIZE));
    quint16 wireSequence = 0;
    if (!m_channel->send(this, target, sequence, payloadSize, &wireSequence, error))
        return false;
    m_wireSequences.push_back(wireSequence);
    return true;
}

void IcmpSocket::forgetPending()
{
    if (m_channel)
        m_channel->forget(this, m_wireSequences);
    m_wireSequences.clear();
}

void IcmpSocket::deliverReply(quint16 sequence, qint64 rttNs, int ttl, TimestampSource source)
{
    Q_EMIT replyReceived(sequence, rttNs, ttl, source);
}

void IcmpSocket::deliverError(quint16 sequence, const QString &description, const QHostAddress &reporter)
{
    Q_EMIT errorReceived(sequence, description, reporter);
}

} // namespace StreamSwarm::Agent
