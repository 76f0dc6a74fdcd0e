// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <optional>

#include <QHostAddress>
#include <QProcess>
#include <QString>
#include <QStringList>

#include "tests/netlab/lab.h"

// What the bandwidth test's lab check and bench_bandwidth share: client -> router -> server, the
// router's way out on each side shaped by `tc tbf` to a known rate (so a sender on the client or the
// server is not held back by a queue of its own host, and what the router cannot pass is dropped, as
// on a real bottleneck), an iperf3 server (Debian's iperf3) on the server, and iperf3's own client on
// the client as the reference.
namespace StreamSwarm::NetLab {

inline constexpr quint16 IPERF3_PORT = 5201;

struct ShapedLink
{
    RouterChain chain; // client -> r1 -> server
    QProcess *server = nullptr; // iperf3 -s on the server

    QString clientNs() const { return chain.client; } // the lab's names, for Lab::run() and friends
    QString serverNs() const { return chain.server; }
    QHostAddress serverAddress() const { return chain.serverAddress(); }
};

// The chain (Lab::routerChain(1)) and an iperf3 server listening on its server. Shape it with
// shapeLink().
std::optional<ShapedLink> makeShapedLink(Lab &lab, QString *error);
// The router's way to the server shaped to mbit Mbit/s, and its way back to the client to backMbit
// (0: the same), by tbf root qdiscs (replacing the last ones).
bool shapeLink(Lab &lab, const ShapedLink &path, int mbit, QString *error, int backMbit = 0);

// What iperf3's own client measured (its -J report).
struct Iperf3Figures
{
    double receivedMbps = -1; // iperf3's "receiver" line
    double sentMbps = -1;
    double lossPct = -1; // UDP
    double jitterMs = -1; // UDP
    qint64 retransmits = -1; // TCP
};
// Runs `iperf3 -c SERVER -J` with arguments (-t, -u, -b ...) in the client namespace.
std::optional<Iperf3Figures> runIperf3Client(
    Lab &lab, const ShapedLink &path, const QStringList &arguments, QString *error);

// Plays the console and the serving agent for rounds with method=agent, run in this process (the
// agent's PeerTurns): each turn asked for gets a one-off server of the agent's own helper
// (streamswarm-agent-throughput server 0, what a serving agent starts) on the lab's server, and a
// grant with the server's address and the port once it listens. PeerTurns is online while one lives.
class PeerTurnsInLab
{
public:
    PeerTurnsInLab(Lab &lab, const ShapedLink &path, QString helperProgram);
    ~PeerTurnsInLab();
    Q_DISABLE_COPY_MOVE(PeerTurnsInLab)

    QString error() const { return m_error; } // why the last turn could not be served

private:
    void serve(qint64 lease);

    Lab &m_lab;
    const ShapedLink &m_path;
    QString m_helper;
    QProcess *m_server = nullptr;
    QString m_error;
    QMetaObject::Connection m_connection;
};

} // namespace StreamSwarm::NetLab
