// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "agentservice.h"

#include "agent/connection/consoleclient.h"
#include "agent/probes/probefactory.h"
#include "agent/scheduler/scheduler.h"

namespace StreamSwarm::Agent {

AgentService::AgentService(const AgentOptions &options, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_credentials(options.stateDir)
    , m_scheduler(new Scheduler(this))
    , m_client(new ConsoleClient(options, &m_credentials, &m_buffer, probeCapabilities(), this))
{
    connect(m_client, &ConsoleClient::assignmentReceived, m_scheduler, &Scheduler::apply);
    connect(m_client, &ConsoleClient::fatalError, this, &AgentService::fatalError);
    connect(m_scheduler, &Scheduler::roundFinished, this,
        [this](const Protocol::Round &round) { m_buffer.addRound(round); });
    connect(m_scheduler, &Scheduler::problem, m_client, &ConsoleClient::sendEvent);
}

AgentService::~AgentService() = default;

bool AgentService::start(QString *error)
{
    if (!m_credentials.prepare(error))
        return false;
    m_client->start();
    return true;
}

void AgentService::stop()
{
    m_scheduler->stopAll();
    m_client->stop();
}

} // namespace StreamSwarm::Agent
