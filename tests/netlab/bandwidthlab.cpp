// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "bandwidthlab.h"

#include <QDeadlineTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>

#include "agent/bulk/peerturns.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::NetLab {

namespace {

constexpr int READY_TIMEOUT_MS = 10000;

bool failWith(QString *error, const QString &why)
{
    if (error)
        *error = why;
    return false;
}

} // namespace

std::optional<ShapedLink> makeShapedLink(Lab &lab, QString *error)
{
    const auto chain = lab.routerChain(1, error);
    if (!chain)
        return std::nullopt;
    ShapedLink path{*chain, nullptr};
    // --forceflush: its "listening" line comes at once, not when a pipe's buffer fills.
    path.server = lab.startProcess(path.serverNs(), u"iperf3"_s,
        {u"-s"_s, u"-p"_s, QString::number(IPERF3_PORT), u"-B"_s, path.serverAddress().toString(), u"--forceflush"_s},
        error);
    if (!path.server)
        return std::nullopt;
    QByteArray output;
    const QDeadlineTimer deadline(READY_TIMEOUT_MS);
    while (!output.contains("Server listening")) {
        if (deadline.hasExpired() || path.server->state() == QProcess::NotRunning) {
            failWith(error, u"iperf3 -s did not start listening: "_s + QString::fromUtf8(output));
            return std::nullopt;
        }
        path.server->waitForReadyRead(100);
        output += path.server->readAllStandardOutput() + path.server->readAllStandardError();
    }
    return path;
}

bool shapeLink(Lab &lab, const ShapedLink &path, int mbit, QString *error, int backMbit)
{
    const QString router = path.chain.routers.constFirst();
    // The router's end of each link: towards the server (end a of the second link) and back towards
    // the client (end b of the first).
    const QList<std::pair<QString, int>> ways{
        {path.chain.links.at(1).a.interface, mbit}, {path.chain.links.at(0).b.interface, backMbit ? backMbit : mbit}};
    // A burst of 128 kB passes a GSO segment whole, and a queue of 20 ms keeps TCP's RTT short.
    for (const auto &[interface, rate] : ways) {
        const CommandResult shaped = lab.run(router, u"tc"_s,
            {u"qdisc"_s, u"replace"_s, u"dev"_s, interface, u"root"_s, u"tbf"_s, u"rate"_s,
                QString::number(rate) + u"mbit"_s, u"burst"_s, u"128kb"_s, u"latency"_s, u"20ms"_s});
        if (!shaped.succeeded())
            return failWith(error, u"tc tbf failed: "_s + shaped.err);
    }
    return true;
}

std::optional<Iperf3Figures> runIperf3Client(
    Lab &lab, const ShapedLink &path, const QStringList &arguments, QString *error)
{
    const CommandResult run = lab.run(path.clientNs(), u"iperf3"_s,
        QStringList{u"-c"_s, path.serverAddress().toString(), u"-p"_s, QString::number(IPERF3_PORT), u"-J"_s}
            + arguments,
        120'000);
    const QJsonObject report = QJsonDocument::fromJson(run.out.toUtf8()).object();
    if (!run.succeeded() || report.contains(u"error"_s)) {
        failWith(error, u"iperf3 -c failed: "_s + report.value(u"error"_s).toString() + run.err);
        return std::nullopt;
    }
    const QJsonObject end = report.value(u"end"_s).toObject();
    const QJsonObject sent = end.value(u"sum_sent"_s).toObject();
    const QJsonObject received = end.value(u"sum_received"_s).toObject();
    Iperf3Figures figures;
    figures.receivedMbps = received.value(u"bits_per_second"_s).toDouble(-1e6) / 1e6;
    figures.sentMbps = sent.value(u"bits_per_second"_s).toDouble(-1e6) / 1e6;
    figures.retransmits = sent.value(u"retransmits"_s).toInteger(-1);
    if (received.contains(u"lost_percent"_s)) {
        figures.lossPct = received.value(u"lost_percent"_s).toDouble();
        figures.jitterMs = received.value(u"jitter_ms"_s).toDouble();
    }
    return figures;
}

PeerTurnsInLab::PeerTurnsInLab(Lab &lab, const ShapedLink &path, QString helperProgram)
    : m_lab(lab)
    , m_path(path)
    , m_helper(std::move(helperProgram))
{
    Agent::PeerTurns &turns = Agent::PeerTurns::instance();
    turns.setOnline(true);
    m_connection = QObject::connect(&turns, &Agent::PeerTurns::sendToConsole, [this](const Protocol::Message &message) {
        if (const auto *request = std::get_if<Protocol::BulkRequest>(&message.payload))
            serve(request->lease);
    });
}

PeerTurnsInLab::~PeerTurnsInLab()
{
    QObject::disconnect(m_connection);
    Agent::PeerTurns::instance().setOnline(false);
    if (m_server)
        m_lab.stopProcess(m_server, 1000);
}

void PeerTurnsInLab::serve(qint64 lease)
{
    if (m_server)
        m_lab.stopProcess(m_server, 1000); // one turn at a time, as the console gives them
    m_server = m_lab.startProcess(m_path.serverNs(), m_helper, {u"server"_s, u"0"_s}, &m_error);
    quint16 port = 0;
    QByteArray said;
    if (m_server)
        m_server->setReadChannel(QProcess::StandardError); // where it says "listening PORT"
    const QDeadlineTimer deadline(5000);
    while (m_server && !port && !deadline.hasExpired() && m_server->waitForReadyRead(int(deadline.remainingTime()))) {
        said += m_server->readAllStandardError();
        const qsizetype at = said.indexOf("listening ");
        if (at >= 0 && said.indexOf('\n', at) > at)
            port = quint16(said.mid(at + 10, said.indexOf('\n', at) - at - 10).toUInt());
    }
    if (!port && m_error.isEmpty())
        m_error = u"the helper's server did not listen: "_s + QString::fromUtf8(said);
    const Protocol::BulkGrant grant{
        lease, port ? m_path.serverAddress().toString() : QString(), port, port ? QString() : m_error};
    // As from the console: later, not inside the request.
    QTimer::singleShot(0, &Agent::PeerTurns::instance(), [grant] { Agent::PeerTurns::instance().handleGrant(grant); });
}

} // namespace StreamSwarm::NetLab
