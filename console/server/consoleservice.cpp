// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "consoleservice.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QFileInfo>
#include <QStandardPaths>

#include "console/alerts/alertengine.h"
#include "console/alerts/notifier.h"
#include "console/app/administration.h"
#include "console/prometheus/metricsexporter.h"
#include "console/reports/reportscheduler.h"
#include "console/server/agentengine.h"
#include "console/server/certificatestore.h"
#include "console/storage/privatefiles.h"
#include "console/storage/storageservice.h"
#include "shared/protocol/codec.h"
#include "shared/util/commandline.h"
#include "shared/util/logging.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

ConsoleService::ConsoleService(QObject *parent)
    : QObject(parent)
    , m_storage(new StorageService(this))
    , m_administration(new Administration(m_storage, {Actor::Origin::ConsoleWindow, currentUserName()}, this))
{
    m_networkThread.setObjectName(u"network"_s);
}

ConsoleService::~ConsoleService()
{
    stop();
}

bool ConsoleService::start(const ConsoleOptions &options, QString *error)
{
    // PostgreSQL is shared by design (several collectors); one SQLite file has one server.
    if (options.database.kind == DatabaseUrl::Kind::Sqlite
        && (!makePrivateFolder(QFileInfo(options.database.path).absolutePath(), error)
            || !m_lock.acquire(options.database.path, error))) {
        return false;
    }
    if (!m_storage->open(options.database, error))
        return false;
    m_started = true;
    m_storage->post(
        [](Repositories &repos) { repos.agents.markUnservedOffline(QDateTime::currentMSecsSinceEpoch(), nullptr); });
    m_storage->startMaintenance();
    if (options.database.kind == DatabaseUrl::Kind::Sqlite)
        warnIfReadableByOthers(options.database.path);
    std::optional<QSslConfiguration> tls;
    if (options.tls) {
        CertificateStore identity;
        const QString dataDir = !options.dataDir.isEmpty() ? options.dataDir
            : options.database.kind == DatabaseUrl::Kind::Sqlite
            ? QFileInfo(options.database.path).absolutePath()
            : QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
        const bool loaded = options.certificateFile.isEmpty()
            ? identity.loadOrCreate(dataDir, error)
            : identity.loadFiles(options.certificateFile, options.keyFile, error);
        if (!loaded)
            return false;
        m_fingerprint = identity.fingerprint();
        tls = identity.serverConfiguration();
    }
    if (options.metricsPort != 0) {
        m_metrics = new MetricsExporter(this, this);
        if (!m_metrics->start(options.metricsAddress, options.metricsPort, error))
            return false; // stop() deletes it
    }
    m_engine = new AgentEngine(m_storage);
    m_engine->moveToThread(&m_networkThread);
    connect(&m_networkThread, &QThread::finished, m_engine, &QObject::deleteLater);
    // The CLI's changes and the windows' own actions: agents get their new assignments at once.
    connect(m_administration, &Administration::changed, m_engine, &AgentEngine::reload);
    connect(m_engine, &AgentEngine::agentsChanged, this, [this](const QList<AgentRecord> &agents) {
        m_agents = agents;
        m_agentIndex.clear();
        for (qsizetype i = 0; i < m_agents.size(); ++i)
            m_agentIndex.insert(m_agents.at(i).id, i);
        if (m_alerts)
            m_alerts->setAgents(m_agents);
        Q_EMIT agentsChanged();
    });
    connect(m_engine, &AgentEngine::testsChanged, this, [this](const QList<TestRecord> &tests) {
        m_tests = tests;
        Q_EMIT testsChanged();
    });
    connect(m_engine, &AgentEngine::roundsStored, this, &ConsoleService::roundsStored);
    Notifier::Options notifying;
    notifying.delivery = options.delivery;
    m_notifier = new Notifier(notifying, this);
    m_alerts = new AlertEngine(m_administration, m_notifier, this);
    connect(m_engine, &AgentEngine::roundsStored, this, [this](qint64 agentId, const QList<Protocol::Round> &rounds) {
        if (const qsizetype index = m_agentIndex.value(agentId, -1); index >= 0) {
            const AgentRecord &agent = m_agents.at(index);
            m_alerts->handleRounds(agentId, agent.name, agent.tags, rounds);
        }
    });
    connect(m_engine, &AgentEngine::eventsChanged, this, &ConsoleService::eventsChanged);
    m_networkThread.start();
    QString why;
    QMetaObject::invokeMethod(
        m_engine, [&] { m_listenUrl = m_engine->start(options.listenAddress, options.listenPort, tls, &why); },
        Qt::BlockingQueuedConnection);
    if (m_listenUrl.isEmpty()) {
        stopNetworkThread();
        if (error)
            *error = why;
        return false;
    }
    m_lock.recordListenUrl(m_listenUrl);
    m_reports = new ReportScheduler(m_administration, options.database, this);
    m_reports->start();
    m_alerts->start();
    return true;
}

void ConsoleService::warnIfReadableByOthers(const QString &databasePath)
{
    // Once a start, in the log and the event log; made by an older version or changed by hand.
    for (const QString &path : {QFileInfo(databasePath).absolutePath(), databasePath}) {
        const Protocol::EventText warning = describeReadableByOthers(path);
        if (warning.isEmpty())
            continue;
        qCWarning(lcServer).noquote() << warning.text();
        m_storage->post([warning](Repositories &repos) {
            repos.events.add(
                QDateTime::currentMSecsSinceEpoch(), u"warning"_s, u"data-readable"_s, 0, 0, warning, nullptr);
        });
    }
}

void ConsoleService::stop()
{
    if (!std::exchange(m_started, false))
        return;
    delete std::exchange(m_reports, nullptr); // a report under way is stopped; its period is made next time
    delete std::exchange(m_metrics, nullptr);
    delete std::exchange(m_alerts, nullptr);
    delete std::exchange(m_notifier, nullptr); // a delivery under way ends within its timeout
    stopNetworkThread();
    m_storage->post(
        [](Repositories &repos) { repos.agents.markUnservedOffline(QDateTime::currentMSecsSinceEpoch(), nullptr); });
    m_storage->drain();
    m_lock.release();
}

void ConsoleService::stopNetworkThread()
{
    if (!m_engine)
        return;
    QMetaObject::invokeMethod(
        m_engine, [engine = m_engine] { engine->stop(); }, Qt::BlockingQueuedConnection);
    m_networkThread.quit();
    m_networkThread.wait();
    m_engine = nullptr; // deleted as the thread finished
}

QString ConsoleService::metricsUrl() const
{
    return m_metrics ? m_metrics->url() : QString();
}

QString ConsoleService::databaseName() const
{
    return m_storage->url().displayName();
}

int ConsoleService::onlineCount() const
{
    return int(
        std::count_if(m_agents.cbegin(), m_agents.cend(), [](const AgentRecord &agent) { return agent.online; }));
}

} // namespace StreamSwarm::Console
