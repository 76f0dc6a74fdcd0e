// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QObject>

#include "agent/agentoptions.h"
#include "agent/connection/credentialstore.h"
#include "agent/connection/resultbuffer.h"

namespace StreamSwarm::Agent {

class ConsoleClient;
class Scheduler;

// The whole agent: connection to the console, the scheduler that runs assigned tests, and the
// buffer between them. Lives on the main thread.
class AgentService final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AgentService)
public:
    explicit AgentService(const AgentOptions &options, QObject *parent = nullptr);
    ~AgentService() override;

    bool start(QString *error);
    void stop();

Q_SIGNALS:
    void fatalError(const QString &message);

private:
    AgentOptions m_options;
    CredentialStore m_credentials;
    ResultBuffer m_buffer;
    Scheduler *m_scheduler;
    ConsoleClient *m_client;
};

} // namespace StreamSwarm::Agent
