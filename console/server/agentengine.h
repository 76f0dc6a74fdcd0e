// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <optional>

#include <QHash>
#include <QHostAddress>
#include <QMap>
#include <QObject>
#include <QSslConfiguration>

#include "console/storage/records.h"
#include "shared/protocol/messages.h"

class QTimer;

namespace StreamSwarm::Console {

class AgentServer;
class AgentSession;
class BulkTurns;
class StorageService;

// Everything the console does with its agents, on the network thread so a busy or hostile peer
// never holds up the window: the agent server (TLS, WebSocket decoding, admission), bandwidth turns,
// and keeping every online agent's assignment in step with the tests in the database. The GUI
// thread sees copies of the agents and tests through the signals.
class AgentEngine final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AgentEngine)
public:
    explicit AgentEngine(StorageService *storage);
    ~AgentEngine() override;

    // Both run on the engine's thread. start() returns the URL agents dial, or empty with error.
    QString start(
        const QHostAddress &address, quint16 port, const std::optional<QSslConfiguration> &tls, QString *error);
    void stop(); // closes the sessions; the caller then drains storage

    void reload(); // re-read agents and tests from the database

Q_SIGNALS:
    // Copies for the GUI thread, with each agent's online state.
    void agentsChanged(const QList<StreamSwarm::Console::AgentRecord> &agents);
    void testsChanged(const QList<StreamSwarm::Console::TestRecord> &tests);
    void roundsStored(qint64 agentId, const QList<StreamSwarm::Protocol::Round> &rounds);
    void eventsChanged();

private:
    void handleAgentOnline(AgentSession *session);
    void handleAgentOffline(qint64 agentId);
    void applySnapshot(const QList<AgentRecord> &agents, const QList<TestRecord> &tests);
    void replanAll();
    QHash<QString, QHostAddress> onlineAddresses() const; // by agent name
    QHash<QString, quint16> onlineStampPorts() const; // agents running a STAMP reflector, by name
    void sendPlan(AgentSession *session, const QHash<QString, QHostAddress> &online,
        const QHash<QString, quint16> &stampPorts, qint64 nowMs);
    void reportWaitingTests(const QHash<QString, QHostAddress> &online, qint64 nowMs);
    void scheduleNextChange();
    void publishAgents();

    StorageService *m_storage;
    // Made by start() on the engine's thread: their timers and sockets belong to it.
    AgentServer *m_server = nullptr;
    BulkTurns *m_turns = nullptr; // bandwidth turns between agents
    QTimer *m_testEndTimer = nullptr;
    QList<AgentRecord> m_agents;
    QList<TestRecord> m_tests;
    QMap<qint64, QString> m_waitingTests; // test id -> the target agent it waits for
    QHash<qint64, int> m_testsLeftOut; // agent id -> running tests its assignment could not hold
    bool m_reloadPending = false;
    bool m_reloadAgain = false;
};

} // namespace StreamSwarm::Console
