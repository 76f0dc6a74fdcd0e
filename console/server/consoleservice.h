// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QHash>
#include <QHostAddress>
#include <QMap>
#include <QObject>
#include <QTimer>

#include "console/server/serverlock.h"
#include "console/storage/database.h"
#include "console/storage/records.h"
#include "shared/protocol/messages.h"

namespace StreamSwarm::Console {

class Administration;
class AgentServer;
class AgentSession;
class BulkTurns;
class StorageService;

struct ConsoleOptions
{
    DatabaseUrl database;
    QHostAddress listenAddress = QHostAddress::Any;
    quint16 listenPort = 8765;
    bool tls = true; // wss://; false = plain ws:// (--insecure)
    // The console's own certificate lives in dataDir (default: the SQLite file's folder) unless
    // the user gives a certificate and key.
    QString dataDir;
    QString certificateFile;
    QString keyFile;
};

// The console's engine, shared by the GUI and the headless collector: storage, the agent server,
// and keeping every online agent's assignment in step with the tests in the database (also when
// the CLI changes them). Lives on the main thread.
class ConsoleService final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConsoleService)
public:
    explicit ConsoleService(QObject *parent = nullptr);
    ~ConsoleService() override;

    bool start(const ConsoleOptions &options, QString *error);
    void stop(); // closes agent sessions and finishes pending database writes

    // The windows' door to the database: administrative actions and the queries behind the views.
    Administration *administration() const { return m_administration; }
    // For the server and tests; windows use administration().
    StorageService *storage() const { return m_storage; }
    QString listenUrl() const;
    QString fingerprint() const { return m_fingerprint; } // empty when insecure
    QString databaseName() const;
    const QList<AgentRecord> &agents() const { return m_agents; }
    const QList<TestRecord> &tests() const { return m_tests; }
    int onlineCount() const;

    void reload(); // re-read agents and tests from the database

Q_SIGNALS:
    void agentsChanged();
    void testsChanged();
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
    void warnIfReadableByOthers(const QString &databasePath);

    StorageService *m_storage;
    Administration *m_administration;
    AgentServer *m_server;
    BulkTurns *m_turns; // bandwidth turns between agents
    QString m_fingerprint;
    QList<AgentRecord> m_agents;
    QList<TestRecord> m_tests;
    ServerLock m_lock;
    QTimer m_testEndTimer;
    QMap<qint64, QString> m_waitingTests; // test id -> the target agent it waits for
    QHash<qint64, int> m_testsLeftOut; // agent id -> running tests its assignment could not hold
    bool m_started = false;
    bool m_reloadPending = false;
    bool m_reloadAgain = false;
};

} // namespace StreamSwarm::Console
