// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include "console/app/operations.h"
#include "console/deploy/deployjob.h"

class QThread;

namespace StreamSwarm::Console {

// What a deployment needs from the console's data: enrollment tokens and the agent list. The CLI
// answers straight from the database, the window through the storage thread.
class DeployRegistry
{
public:
    virtual ~DeployRegistry() = default;
    virtual void issueToken(const TokenRequest &request, Callback<IssuedToken> done) = 0;
    virtual void revokeToken(const QString &name) = 0;
    virtual void agents(Callback<QList<AgentRecord>> done) = 0;
};

// Where the deployed agents are to connect: the console's address as they reach it, and its
// certificate's fingerprint for them to pin.
struct ConsoleAddress
{
    QString serverUrl; // wss://host:port
    QString fingerprint; // sha256:...
};

// How one host's deployment stands, for a progress line or a table row.
struct DeployStatus
{
    enum class State { Queued, Working, WaitingForAgent, Done, Failed, Cancelled };
    State state = State::Queued;
    QString text; // what is happening now, or how it ended
    int percent = -1; // while copying
    DeployReport report;

    bool ended() const { return state == State::Done || state == State::Failed || state == State::Cancelled; }
};

// Deploys the agent to several hosts, a few at a time: a fresh single-use token for each, a DeployJob on
// a worker thread, then watches the console's agent list until the host's agent is online. A token that
// ends up unused (the host failed, or kept its own settings) is revoked. Lives on the main thread.
class Deployment final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Deployment)
public:
    static constexpr int PARALLEL_HOSTS = 4;
    static constexpr int ONLINE_TIMEOUT_MS = 60000;

    Deployment(QList<DeployTarget> targets, DeployParameters parameters, ConsoleAddress console,
        DeployRegistry *registry, QObject *parent = nullptr);
    ~Deployment() override; // stops what still runs and waits for its threads

    void setHostKeyQuestion(DeployJob::HostKeyQuestion question) { m_askHostKey = std::move(question); }
    void setOnlineTimeoutMs(int timeoutMs) { m_onlineTimeoutMs = timeoutMs; }
    void start();
    void cancel(int index);
    void cancelAll();

    qsizetype count() const { return m_hosts.size(); }
    const DeployTarget &target(qsizetype index) const { return m_hosts[index].target; }
    const DeployStatus &status(qsizetype index) const { return m_hosts[index].status; }
    bool allEnded() const;

    // The settings file a deployed agent gets.
    static QByteArray agentSettings(const ConsoleAddress &console, const QString &token, const QString &agentName);

Q_SIGNALS:
    void statusChanged(int index);
    void finished(); // every host has ended

private:
    struct Host
    {
        DeployTarget target;
        DeployStatus status;
        QString tokenName;
        QPointer<DeployJob> job;
        QThread *thread = nullptr;
        QElapsedTimer waitingSince;
        qint64 startedAtMs = 0;
        bool tokenPending = false; // counted as running, no job yet
    };
    void startNext();
    void begin(int index, const IssuedToken &token);
    void jobEnded(int index, const DeployReport &report);
    void pollAgents();
    void update(int index, DeployStatus::State state, const QString &text);
    void end(int index, DeployStatus::State state, const QString &text);

    QList<Host> m_hosts;
    DeployParameters m_parameters;
    ConsoleAddress m_console;
    DeployRegistry *m_registry;
    DeployJob::HostKeyQuestion m_askHostKey;
    QTimer m_poll;
    int m_onlineTimeoutMs = ONLINE_TIMEOUT_MS;
    int m_running = 0;
    bool m_polling = false;
};

} // namespace StreamSwarm::Console
