// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QHash>
#include <QHostAddress>
#include <QObject>
#include <QThread>

#include "console/alerts/delivery.h"
#include "console/server/serverlock.h"
#include "console/storage/database.h"
#include "console/storage/records.h"
#include "shared/protocol/messages.h"

namespace StreamSwarm::Console {

class Administration;
class AlertEngine;
class Notifier;
class MetricsExporter;
class ReportScheduler;
class AgentEngine;
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
    // Prometheus's /metrics (--metrics-listen); off while metricsPort is 0.
    QHostAddress metricsAddress = QHostAddress::LocalHost;
    quint16 metricsPort = 0;
    // How alert notifications go out (mail server, authorities to trust).
    DeliverySettings delivery;
};

// The console as the windows and the headless collector see it: storage, the administrative door
// to it, and the agent engine on its own network thread, with copies of its agents and tests.
// Lives on the main thread.
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
    // Makes the scheduled reports (started by start()).
    ReportScheduler *reportScheduler() const { return m_reports; }
    // Runs the alert rules over the rounds stored here and sends their notifications.
    AlertEngine *alertEngine() const { return m_alerts; }
    // For the server and tests; windows use administration().
    StorageService *storage() const { return m_storage; }
    QString listenUrl() const { return m_listenUrl; }
    QString fingerprint() const { return m_fingerprint; } // empty when insecure
    QString metricsUrl() const; // where Prometheus scrapes; empty without --metrics-listen
    QString databaseName() const;
    // As the network thread last reported them.
    const QList<AgentRecord> &agents() const { return m_agents; }
    const QList<TestRecord> &tests() const { return m_tests; }
    int onlineCount() const;

Q_SIGNALS:
    void agentsChanged();
    void testsChanged();
    void roundsStored(qint64 agentId, const QList<StreamSwarm::Protocol::Round> &rounds);
    void eventsChanged();

private:
    void warnIfReadableByOthers(const QString &databasePath);
    void stopNetworkThread();

    StorageService *m_storage;
    Administration *m_administration;
    QThread m_networkThread;
    AgentEngine *m_engine = nullptr; // lives on m_networkThread, deleted when it finishes
    ReportScheduler *m_reports = nullptr;
    MetricsExporter *m_metrics = nullptr;
    Notifier *m_notifier = nullptr;
    AlertEngine *m_alerts = nullptr;
    QHash<qint64, qsizetype> m_agentIndex; // agent id -> index in m_agents
    QString m_listenUrl;
    QString m_fingerprint;
    QList<AgentRecord> m_agents;
    QList<TestRecord> m_tests;
    ServerLock m_lock;
    bool m_started = false;
};

} // namespace StreamSwarm::Console
