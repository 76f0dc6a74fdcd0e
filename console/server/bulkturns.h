// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QDeadlineTimer>
#include <QHash>
#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QRandomGenerator>
#include <QTimer>

#include "console/storage/records.h"
#include "shared/protocol/messages.h"

namespace StreamSwarm::Console {

// Turns for bandwidth measurements between agents (bandwidth method=agent). An agent whose round is
// due asks for a turn (bulk-request); the console gives one when neither agent takes part in
// another turn, in the order asked, after a random slip of up to MAX_SLIP_MS so that rounds due
// together do not start in lockstep. Then it tells the target agent to serve (serve), and once that
// agent listens (serving) tells the asking agent where (bulk-grant). The turn ends when the asking
// agent says so (bulk-release), when either agent disconnects, or at its deadline; the serving agent
// is then told to stop (serve-stop). So no turn outlives its round, and a serving agent listens only
// during one. A round that cannot get a turn within the wait it asked for gets a grant with a
// sentence saying why, which becomes its result. Pure bookkeeping on the main thread: the console
// service feeds it the agents' messages and sends what it emits.
class BulkTurns final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BulkTurns)
public:
    static constexpr int MAX_SLIP_MS = 1000;
    // How long a serving agent may take to start listening, on top of the wait it was given.
    static constexpr int SERVE_START_MS = 5000;
    // Slack after a measurement's own limit before its turn is taken back.
    static constexpr int RELEASE_SLACK_MS = 2000;
    // Requests one agent may have waiting; more are refused (a misbehaving agent cannot fill memory).
    static constexpr int MAX_WAITING_PER_AGENT = 64;

    explicit BulkTurns(QObject *parent = nullptr);

    // The tests, to check that an asking agent runs the test and to find the agent it measures to;
    // the agents, for the tests given to them by tag.
    void setTests(const QList<TestRecord> &tests, const QList<AgentRecord> &agents);
    // peerAddress: where the agent's connection comes from; consoleAddress: the console's own
    // address on that connection (an agent on the console's host is reached at the console's
    // address by agents elsewhere).
    void agentOnline(
        qint64 agentId, const QString &name, const QHostAddress &peerAddress, const QHostAddress &consoleAddress);
    void agentGone(qint64 agentId);
    // A bulk-request, bulk-release or serving from an online agent.
    void handle(qint64 agentId, const Protocol::Message &message);

    int turnsInProgress() const; // turns granted or being set up (tests)
    int requestsWaiting() const;
    void seedSlips(quint32 seed) { m_random.seed(seed); }

Q_SIGNALS:
    // Send this (bulk-grant, serve or serve-stop) to that agent.
    void send(qint64 agentId, const StreamSwarm::Protocol::Message &message);

private:
    enum class Phase { Waiting, Slipping, AwaitingServer, Running };
    struct Turn
    {
        qint64 id = 0; // the console's number, the lease in serve and serving
        qint64 clientId = 0;
        qint64 clientLease = 0;
        qint64 serverId = 0;
        qint64 testId = 0;
        qint64 limitMs = 0;
        QDeadlineTimer waitEnds; // the asking round's last moment to start
        QDeadlineTimer next; // Slipping: serve then; AwaitingServer, Running: taken back then
        Phase phase = Phase::Waiting;
    };
    struct OnlineAgent
    {
        QString name;
        QHostAddress peerAddress;
        QHostAddress consoleAddress;
    };

    void request(qint64 agentId, const Protocol::BulkRequest &request);
    void release(qint64 agentId, qint64 lease);
    void serving(qint64 agentId, const Protocol::Serving &serving);
    void refuse(qint64 clientId, qint64 lease, const QString &why);
    // Ends the turn at index: tells the serving agent to stop when it was asked to serve (and
    // stopServer: it did not say it serves nothing).
    void end(qsizetype index, bool stopServer = true);
    bool isBusy(qint64 agentId) const;
    void advance();
    void rearm();
    QHostAddress serverAddressFor(const Turn &turn) const;
    QString agentName(qint64 agentId) const;

    QList<Turn> m_turns; // in the order asked
    QHash<qint64, OnlineAgent> m_online;
    QHash<qint64, TestRecord> m_tests;
    QHash<qint64, AgentRecord> m_agents;
    qint64 m_lastTurnId = 0;
    QTimer m_timer;
    QRandomGenerator m_random{QRandomGenerator::securelySeeded()};
};

} // namespace StreamSwarm::Console
