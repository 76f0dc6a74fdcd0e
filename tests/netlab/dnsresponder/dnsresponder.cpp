// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "dnsresponder.h"

#include <chrono>
#include <cstdio>

#include <QNetworkDatagram>
#include <QPointer>
#include <QTcpSocket>
#include <QTimer>
#include <QtEndian>

#include "tests/netlab/tools/realtime.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::NetLab {

namespace {

constexpr int PORT_ATTEMPTS = 50;
constexpr int SPIN_US = 2000; // the last part of a delay is waited out busily: a timer wakes up to a ms late

} // namespace

DnsResponder::DnsResponder(const DnsZone &zone, const Options &options, QObject *parent)
    : QObject(parent)
    , m_zone(zone)
    , m_options(options)
{
    connect(&m_udp, &QUdpSocket::readyRead, this, &DnsResponder::handleDatagrams);
    connect(&m_tcp, &QTcpServer::newConnection, this, &DnsResponder::handleConnection);
}

quint16 DnsResponder::listen(const QHostAddress &address, quint16 port, QString *error)
{
    for (int attempt = 0; attempt < PORT_ATTEMPTS; ++attempt) {
        if (!m_udp.bind(address, port)) {
            *error = m_udp.errorString();
            return 0;
        }
        const quint16 bound = m_udp.localPort();
        if (m_tcp.listen(address, bound))
            return bound;
        *error = m_tcp.errorString();
        m_udp.close();
        if (port != 0)
            return 0;
    }
    return 0;
}

QByteArray DnsResponder::answer(const QByteArray &query, bool tcp)
{
    QString summary;
    const auto mode = m_options.truncateUdp && !tcp ? DnsZone::Mode::Truncate : DnsZone::Mode::Answer;
    QByteArray reply = m_zone.answer(query, mode, m_options.forcedRcode, &summary);
    if (!reply.isEmpty()) {
        std::printf("%s %s\n", tcp ? "tcp" : "udp", summary.toUtf8().constData());
        std::fflush(stdout);
    }
    return reply;
}

void DnsResponder::later(const std::function<void()> &send)
{
    if (m_options.delayUs <= 0) {
        send();
        return;
    }
    // A precise timer to within SPIN_US, then a short busy wait for the rest: the programmed delay
    // holds to a few microseconds, so our lookup time and dig's are compared, not our timer's slack.
    const auto due = std::chrono::steady_clock::now() + std::chrono::microseconds(m_options.delayUs);
    const int timerMs = std::max(0, (m_options.delayUs - SPIN_US) / 1000);
    QTimer::singleShot(timerMs, Qt::PreciseTimer, this, [send, due] {
        while (std::chrono::steady_clock::now() < due)
            cpuRelax();
        send();
    });
}

void DnsResponder::handleDatagrams()
{
    while (m_udp.hasPendingDatagrams()) {
        const QNetworkDatagram datagram = m_udp.receiveDatagram();
        if (m_options.silent)
            continue;
        const QByteArray reply = answer(datagram.data(), false);
        if (reply.isEmpty())
            continue;
        const QHostAddress peer = datagram.senderAddress();
        const quint16 port = quint16(datagram.senderPort());
        later([this, reply, peer, port] { m_udp.writeDatagram(reply, peer, port); });
    }
}

void DnsResponder::handleConnection()
{
    while (QTcpSocket *socket = m_tcp.nextPendingConnection()) {
        socket->setParent(this);
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { handleStream(socket); });
    }
}

void DnsResponder::handleStream(QTcpSocket *socket)
{
    // Each message is preceded by its length in two bytes (RFC 1035 4.2.2).
    while (socket->bytesAvailable() >= 2) {
        char prefix[2];
        socket->peek(prefix, 2);
        const int length = qFromBigEndian<quint16>(prefix);
        if (socket->bytesAvailable() < 2 + length)
            return;
        socket->read(2);
        const QByteArray query = socket->read(length);
        if (m_options.silent)
            continue;
        const QByteArray reply = answer(query, true);
        if (reply.isEmpty())
            continue;
        QByteArray framed(2, '\0');
        qToBigEndian<quint16>(quint16(reply.size()), framed.data());
        framed.append(reply);
        QPointer<QTcpSocket> guard(socket);
        later([guard, framed] {
            if (guard)
                guard->write(framed);
        });
    }
}

} // namespace StreamSwarm::NetLab
