// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "storageservice.h"

#include <QAtomicInteger>
#include <QDateTime>
#include <QTimer>

#include "console/storage/maintenance.h"
#include "shared/util/logging.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

namespace {

constexpr int CHANGE_POLL_MS = 200; // the CLI's changes show within a second
constexpr qint64 RECONNECT_INTERVAL_MS = 1000;
QAtomicInteger<int> s_connectionCounter;
QAtomicInteger<quint64> s_routeCounter;

// Every thread's own number, never reused (a QThread's address can be).
quint64 currentThreadRoute()
{
    thread_local const quint64 route = s_routeCounter.fetchAndAddRelaxed(1) + 1;
    return route;
}

} // namespace

StorageWorker::StorageWorker(QObject *parent)
    : QObject(parent)
{ }

StorageWorker::~StorageWorker() = default;

bool StorageWorker::open(const DatabaseUrl &url, QString *error)
{
    const QString name = u"streamswarm-storage-%1"_s.arg(s_connectionCounter.fetchAndAddRelaxed(1));
    if (!m_db.open(url, name, error))
        return false;
    if (!m_db.watchForChanges(error))
        return false;
    m_repositories = std::make_unique<Repositories>(m_db);
    m_db.changedElsewhere(); // take the current version as the baseline
    auto *timer = new QTimer(this);
    timer->setInterval(CHANGE_POLL_MS);
    connect(timer, &QTimer::timeout, this, &StorageWorker::pollForChanges);
    timer->start();
    return true;
}

void StorageWorker::pollForChanges()
{
    if (m_db.mayHaveLostConnection()) {
        // PostgreSQL went away: every job fails (agents get no acks and keep their data) until the
        // server is back; try once a second.
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        if (now - m_lastReconnectMs < RECONNECT_INTERVAL_MS)
            return;
        m_lastReconnectMs = now;
        QString error;
        if (!m_db.reconnect(&error)) {
            qCWarning(lcStorage).noquote() << "Still no database:" << error;
            return;
        }
        qCInfo(lcStorage).noquote() << "The database answers again:" << m_db.url().displayName();
    }
    if (m_db.changedElsewhere())
        Q_EMIT changedElsewhere();
}

void StorageWorker::addToGroup(GroupedWrite write)
{
    // The first write of a group asks for the commit; the writes already queued behind it join the
    // group before that runs. So the group grows by itself while a commit waits for the disk.
    if (m_group.isEmpty())
        QMetaObject::invokeMethod(this, &StorageWorker::commitGroup, Qt::QueuedConnection);
    m_group.append(std::move(write));
    if (m_group.size() >= MAX_GROUP)
        commitGroup();
}

void StorageWorker::commitGroup()
{
    const QList<GroupedWrite> group = std::exchange(m_group, {});
    if (group.isEmpty())
        return;
    QString error;
    bool committed = m_db.beginWrite(&error);
    qsizetype samplesStored = 0;
    if (committed) {
        m_repositories->samples.beginGroup();
        for (const GroupedWrite &write : group)
            write.run(*m_repositories);
        if (const auto flushed = m_repositories->samples.flushGroup(&error)) {
            samplesStored = *flushed;
            committed = m_db.commit(&error); // rolls back by itself when it fails
        } else {
            m_db.rollback();
            committed = false;
        }
    }
    // A batch's own statement or the shared commit may find the disk full; space is back once a group
    // that stored samples commits.
    if (const QString diskFull = m_db.takeDiskFull(); !diskFull.isEmpty())
        noteDiskFull(diskFull);
    else if (committed && m_diskFullSinceMs && samplesStored > 0)
        noteSpaceBack();
    if (!committed) {
        if (error.isEmpty())
            error = tr("The database did not take the results.");
        m_repositories->samples.forgetUncommitted();
        for (const GroupedWrite &write : group)
            write.lost();
    }
    for (const GroupedWrite &write : group)
        write.finish(committed ? QString() : error);
}

void StorageWorker::noteDiskFull(const QString &why)
{
    if (m_diskFullSinceMs)
        return;
    m_diskFullSinceMs = QDateTime::currentMSecsSinceEpoch();
    m_diskFullWhy = why;
    qCCritical(lcStorage).noquote() << "The disk that holds the database is full; results are refused until space "
                                       "is freed:"
                                    << why;
    // A small row may still fit where a group of batches did not; if not, it is written once space is back.
    QString error;
    m_diskFullStored = m_db.beginWrite(&error) && addDiskFullEvent(&error) && m_db.commit(&error);
    if (!m_diskFullStored && m_db.transactionDepth() > 0)
        m_db.rollback();
    m_db.takeDiskFull(); // this attempt's own failure is the same full disk
}

bool StorageWorker::addDiskFullEvent(QString *error)
{
    return m_repositories->events.add(m_diskFullSinceMs, u"error"_s, u"disk-full"_s, 0, 0,
        Protocol::EventText(u"disk-full"_s, {m_db.url().displayName(), m_diskFullWhy}), error);
}

void StorageWorker::noteSpaceBack()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QString error;
    const bool stored = m_db.beginWrite(&error) && (m_diskFullStored || addDiskFullEvent(&error))
        && m_repositories->events.add(now, u"info"_s, u"disk-space-back"_s, 0, 0,
            Protocol::EventText(
                u"disk-space-back"_s, {m_db.url().displayName(), (now - m_diskFullSinceMs + 500) / 1000}),
            &error)
        && m_db.commit(&error);
    if (!stored) {
        if (m_db.transactionDepth() > 0)
            m_db.rollback();
        return; // said at the next commit that succeeds
    }
    qCInfo(lcStorage).noquote() << "There is space on the database's disk again; results are stored again.";
    m_diskFullSinceMs = 0;
    m_diskFullStored = false;
    m_diskFullWhy.clear();
}

void StorageWorker::startMaintenance()
{
    if (m_maintenance || !isOpen())
        return;
    m_maintenance = new StorageMaintenance(
        m_db, [] { return QDateTime::currentMSecsSinceEpoch(); }, this);
    m_maintenance->start();
}

StorageService::StorageService(QObject *parent)
    : QObject(parent)
    , m_worker(new StorageWorker)
{
    m_thread.setObjectName(u"storage"_s);
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &StorageWorker::changedElsewhere, this, &StorageService::changedElsewhere);
    m_ownRoute = currentThreadRoute();
    m_routes->mailboxes.insert(m_ownRoute, this);
    m_thread.start();
}

StorageService::~StorageService()
{
    drain();
    m_thread.quit();
    m_thread.wait();
    const QMutexLocker lock(&m_routes->mutex);
    m_routes->mailboxes.remove(m_ownRoute);
}

quint64 StorageService::replyRoute()
{
    const quint64 route = currentThreadRoute();
    const QMutexLocker lock(&m_routes->mutex);
    if (m_routes->mailboxes.contains(route))
        return route;
    // Made on the asking thread, so answers posted to it run there. It goes when the thread ends.
    auto *mailbox = new QObject;
    m_routes->mailboxes.insert(route, mailbox);
    connect(
        QThread::currentThread(), &QThread::finished, mailbox,
        [routes = m_routes, route, mailbox] {
            const QMutexLocker routesLock(&routes->mutex);
            routes->mailboxes.remove(route);
            mailbox->deleteLater();
        },
        Qt::DirectConnection);
    return route;
}

bool StorageService::open(const DatabaseUrl &url, QString *error)
{
    m_url = url;
    bool ok = false;
    QString why;
    QMetaObject::invokeMethod(
        m_worker, [&] { ok = m_worker->open(url, &why); }, Qt::BlockingQueuedConnection);
    if (!ok && error)
        *error = why;
    return ok;
}

void StorageService::startMaintenance()
{
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker] { worker->startMaintenance(); }, Qt::QueuedConnection);
}

void StorageService::drain()
{
    // The group the queued writes joined is committed too.
    if (m_thread.isRunning())
        QMetaObject::invokeMethod(
            m_worker, [this] { m_worker->commitGroup(); }, Qt::BlockingQueuedConnection);
}

} // namespace StreamSwarm::Console
