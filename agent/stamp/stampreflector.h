// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <memory>

#include <QHash>
#include <QObject>

class QSocketNotifier;

namespace StreamSwarm::Agent {

// Answers STAMP test packets (RFC 8762, with RFC 8972's Class of Service TLV) on a UDP port, IPv4
// and IPv6, so another agent or any STAMP session-sender can measure the path to this host: two-way
// delay, loss and reordering per direction, one-way delay when both clocks are synchronised, and
// whether DSCP markings survived. Receive times come from the kernel; replies are exactly as long
// as the test packets and rate limited, so the reflector cannot amplify a flood. Main thread.
class StampReflector final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StampReflector)
public:
    static constexpr int MAX_REPLIES_PER_SECOND = 5000;
    static constexpr int MAX_SESSIONS = 4096; // beyond it the numbering starts afresh

    explicit StampReflector(QObject *parent = nullptr);
    ~StampReflector() override;

    // Listens on port (0: any free port, see port()). False with a plain sentence when it cannot.
    bool listen(quint16 port, QString *error);
    quint16 port() const { return m_port; }
    qint64 reflected() const { return m_reflected; }
    qint64 dropped() const { return m_dropped; } // over the rate limit, or not STAMP

private:
    struct Socket;

    bool openSocket(int family, quint16 port, QString *error);
    void handleReadable(int fd);
    bool takeReplyBudget();

    std::unique_ptr<Socket> m_sockets[2];
    quint16 m_port = 0;
    // Stateful reflector (RFC 8972 section 4): its own numbering per session, so a sender can tell
    // losses on the way back from losses on the way there. Keyed by address, port and SSID.
    QHash<QByteArray, quint32> m_sessionSeqs;
    qint64 m_reflected = 0;
    qint64 m_dropped = 0;
    double m_budget = MAX_REPLIES_PER_SECOND;
    qint64 m_budgetAtNs = 0;
};

} // namespace StreamSwarm::Agent
