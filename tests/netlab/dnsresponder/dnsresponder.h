// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QHostAddress>
#include <QObject>
#include <QTcpServer>
#include <QUdpSocket>

#include "tests/netlab/dnsresponder/dnszone.h"

namespace StreamSwarm::NetLab {

// The test DNS server's sockets: answers on one address and port over UDP and TCP from a DnsZone,
// each answer held back for a programmed delay, or never (silent). Prints one line per answer on
// stdout ("udp www.example.com A NOERROR 1"). Main thread.
class DnsResponder final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DnsResponder)
public:
    struct Options
    {
        int delayUs = 0;
        int forcedRcode = -1; // -1: answer from the zone
        bool truncateUdp = false;
        bool silent = false;
    };

    DnsResponder(const DnsZone &zone, const Options &options, QObject *parent = nullptr);

    // port 0: any free port, the same for UDP and TCP. Returns the port, or 0 with a reason.
    quint16 listen(const QHostAddress &address, quint16 port, QString *error);

private:
    void handleDatagrams();
    void handleConnection();
    void handleStream(QTcpSocket *socket);
    QByteArray answer(const QByteArray &query, bool tcp);
    void later(const std::function<void()> &send);

    DnsZone m_zone;
    Options m_options;
    QUdpSocket m_udp;
    QTcpServer m_tcp;
};

} // namespace StreamSwarm::NetLab
