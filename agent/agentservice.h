// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QObject>
#include <QTimer>

#include "agent/agentoptions.h"
#include "agent/connection/batchsealer.h"
#include "agent/connection/credentialstore.h"
#include "agent/connection/resultbuffer.h"
#include "agent/connection/spool.h"

namespace StreamSwarm::Agent {

class ConsoleClient;
class Scheduler;
class StampReflector;
class TurnServer;

// The whole agent: the scheduler that runs assigned tests, the spool their results go to within a
// quarter second, and the connection that delivers the spool to the console. Remembers its
// assignment, so after a restart it measures on while the console is unreachable. Main thread.
class AgentService final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AgentService)
public:
    explicit AgentService(const AgentOptions &options, QObject *parent = nullptr);
    ~AgentService() override;

    bool start(QString *error);
    // Finishes the current batch, spools it and waits a moment for the console's ack; emits stopped().
    void stop();
    // Every deliberate exit leaves the marker clean, so the next start warns of no crash.
    void markStoppedCleanly();

Q_SIGNALS:
    void fatalError(const QString &message);
    void stopped();

private:
    void seal();
    void handleFatalError(const QString &message);
    void reportLoss(const Spool::Loss &loss);
    void rememberAssignment(const QList<Protocol::TestSpec> &tests);
    void resumeAssignment();
    void switchOnHardwareStamps();
    void wireBandwidthTurns();
    void noteStartAfterCrash(const Spool::OpenReport &report);
    QString runningMarkerPath() const;

    AgentOptions m_options;
    CredentialStore m_credentials;
    Spool m_spool;
    ResultBuffer m_buffer;
    BatchSealer m_sealer;
    QTimer m_sealTimer;
    Scheduler *m_scheduler;
    ConsoleClient *m_client;
    TurnServer *m_turnServer; // serves bandwidth tests of other agents during their turns
    StampReflector *m_stampReflector = nullptr;
};

} // namespace StreamSwarm::Agent
