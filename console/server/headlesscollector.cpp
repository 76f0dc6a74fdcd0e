// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "headlesscollector.h"

#include <QCoreApplication>
#include <QTextStream>

#include "console/server/consoleservice.h"
#include "console/storage/storageservice.h"
#include "shared/util/duration.h"
#include "shared/util/signalwatcher.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

namespace {

constexpr int PROGRESS_INTERVAL_MS = 10000;

void say(const QString &line)
{
    QTextStream(stderr) << line << Qt::endl;
}

} // namespace

HeadlessCollector::HeadlessCollector(QObject *parent)
    : QObject(parent)
    , m_service(new ConsoleService(this))
    , m_signals(new SignalWatcher(this))
{
    connect(m_signals, &SignalWatcher::terminationRequested, this, &HeadlessCollector::shutDown);
    m_stopTimer.setSingleShot(true);
    connect(&m_stopTimer, &QTimer::timeout, this, &HeadlessCollector::shutDown);
    m_progressTimer.setInterval(PROGRESS_INTERVAL_MS);
    connect(&m_progressTimer, &QTimer::timeout, this, &HeadlessCollector::printProgress);
    connect(m_service, &ConsoleService::roundsStored, this, [this](qint64, const QList<Protocol::Round> &rounds) {
        for (const Protocol::Round &round : rounds)
            m_samplesThisRun += round.values.size();
    });
}

HeadlessCollector::~HeadlessCollector() = default;

bool HeadlessCollector::start(const ServerOptions &options, QString *error)
{
    if (!m_service->start(options.console, error))
        return false;
    say(tr("StreamSwarm console listening on %1 (agents dial --server %1)").arg(m_service->listenUrl()));
    say(tr("Database: %1").arg(m_service->databaseName()));
    if (m_service->fingerprint().isEmpty())
        say(tr("Plain ws:// (--insecure): agents' credentials cross the network unencrypted."));
    else
        say(tr("Certificate fingerprint (agents pin it with --fingerprint): %1").arg(m_service->fingerprint()));
    if (!m_service->metricsUrl().isEmpty())
        say(tr("Prometheus metrics at %1").arg(m_service->metricsUrl()));
    if (options.stopAfterMs) {
        m_stopTimer.start(int(std::min<qint64>(options.stopAfterMs, std::numeric_limits<int>::max())));
        say(tr("Stopping by itself after %1; press Ctrl+C to stop sooner.").arg(formatDurationMs(options.stopAfterMs)));
    }
    m_progressTimer.start();
    return true;
}

void HeadlessCollector::printProgress()
{
    say(tr("%1 of %2 agents online, %3 samples stored since start.")
            .arg(m_service->onlineCount())
            .arg(m_service->agents().size())
            .arg(m_samplesThisRun));
}

void HeadlessCollector::shutDown()
{
    if (std::exchange(m_shuttingDown, true))
        return;
    m_progressTimer.stop();
    m_service->stop();
    say(tr("Stopped: %1 samples stored in this run, from %2 agent(s).")
            .arg(m_samplesThisRun)
            .arg(m_service->agents().size()));
    Q_EMIT finished(0);
}

} // namespace StreamSwarm::Console
