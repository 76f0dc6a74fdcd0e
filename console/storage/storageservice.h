// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <functional>
#include <memory>
#include <optional>

#include <QAtomicInteger>
#include <QHash>
#include <QMetaObject>
#include <QMutex>
#include <QObject>
#include <QPointer>
#include <QThread>

#include "console/storage/agentrepository.h"
#include "console/storage/alertrepository.h"
#include "console/storage/database.h"
#include "console/storage/eventrepository.h"
#include "console/storage/retention.h"
#include "console/storage/rollups.h"
#include "console/storage/samplerepository.h"
#include "console/storage/schedulerepository.h"
#include "console/storage/testrepository.h"
#include "console/storage/tokenrepository.h"

namespace StreamSwarm::Console {

// Every repository over one open database; lives on the thread that opened it.
struct Repositories
{
    explicit Repositories(Database &database)
        : db(database)
        , agents(database)
        , tokens(database)
        , tests(database)
        , samples(database)
        , events(database)
        , schedules(database)
        , rollups(database)
        , retention(database)
        , settings(database)
        , alerts(database)
    { }

    Database &db;
    AgentRepository agents;
    TokenRepository tokens;
    TestRepository tests;
    SampleRepository samples;
    EventRepository events;
    ScheduleRepository schedules;
    RollupRepository rollups;
    RetentionRepository retention;
    SettingsRepository settings;
    AlertRepository alerts;
};

class StorageMaintenance;

// Lives on the storage thread and owns its database connection.
class StorageWorker final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StorageWorker)
public:
    explicit StorageWorker(QObject *parent = nullptr);
    ~StorageWorker() override;

    bool open(const DatabaseUrl &url, QString *error);
    bool isOpen() const { return m_repositories != nullptr; }
    Repositories &repositories() { return *m_repositories; }
    // Rollups and retention in the background (the console; not the CLI).
    void startMaintenance();

    // A write that shares one transaction with the others queued at the same time (group commit):
    // run() inside it; lost() when that transaction could not begin or commit; then finish(why), why
    // empty when it was committed.
    struct GroupedWrite
    {
        std::function<void(Repositories &)> run;
        std::function<void()> lost;
        std::function<void(const QString &why)> finish;
    };
    void addToGroup(GroupedWrite write);
    void commitGroup(); // now, with the writes that have joined it so far

Q_SIGNALS:
    void changedElsewhere();

private:
    void pollForChanges();
    // A full disk is said once in the event log (and the log), and again when space is back.
    void noteDiskFull(const QString &why);
    void noteSpaceBack();
    bool addDiskFullEvent(QString *error); // when it began, where and why

    Database m_db;
    QList<GroupedWrite> m_group; // waiting for the next group commit
    static constexpr int MAX_GROUP = 256; // batches in one commit, at most
    std::unique_ptr<Repositories> m_repositories;
    StorageMaintenance *m_maintenance = nullptr;
    qint64 m_lastReconnectMs = 0;
    qint64 m_diskFullSinceMs = 0; // 0: not full
    QString m_diskFullWhy;
    bool m_diskFullStored = false; // its event is in the database (it may fit only once space is back)
};

// The console's door to its database: one storage thread (Qt Sql connections belong to one
// thread), jobs queued to it in order, results delivered back on the caller's thread. The GUI
// thread never waits on SQL; only open() and the destructor block, at start and at exit.
class StorageService final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StorageService)
public:
    explicit StorageService(QObject *parent = nullptr);
    ~StorageService() override; // finishes queued jobs, then stops the thread

    bool open(const DatabaseUrl &url, QString *error);
    const DatabaseUrl &url() const { return m_url; }
    // Keeps the rollups up to date and enforces retention on the storage thread (after open()).
    void startMaintenance();

    // Runs job(Repositories &) on the storage thread, in submission order, then done(result) on
    // context's thread unless context was destroyed meanwhile. Call it on context's thread (the GUI
    // and the network thread both do). Before a successful open() jobs are dropped (and done is not
    // called).
    template <typename Job, typename Done>
    void run(QObject *context, Job job, Done done)
    {
        Q_ASSERT(context->thread() == QThread::currentThread());
        QPointer<QObject> guard(context);
        const quint64 route = replyRoute();
        m_queued.fetchAndAddRelaxed(1);
        QMetaObject::invokeMethod(
            m_worker,
            [this, route, guard, job = std::move(job), done = std::move(done)]() mutable {
                m_queued.fetchAndSubRelaxed(1);
                if (!m_worker->isOpen())
                    return;
                auto result = job(m_worker->repositories());
                // guard is read only on context's own thread, where context is deleted.
                deliver(route, [guard, done = std::move(done), result = std::move(result)]() mutable {
                    if (guard)
                        done(std::move(result));
                });
            },
            Qt::QueuedConnection);
    }

    // Like run(), for writes that may share one transaction with the others queued at the same time:
    // one durable commit for them all (group commit). Each job's own beginWrite()/commit() becomes a
    // savepoint, so a job that fails undoes only itself. When the shared transaction cannot begin or
    // commit, lost() runs on the storage thread before any later job (nothing the job wrote was kept,
    // or it never ran). done(result, why) runs on context's thread after the commit: why is empty when
    // it succeeded, else why it failed (and result is a default one when the job never ran).
    template <typename Job, typename Lost, typename Done>
    void runGrouped(QObject *context, Job job, Lost lost, Done done)
    {
        Q_ASSERT(context->thread() == QThread::currentThread());
        QPointer<QObject> guard(context);
        const quint64 route = replyRoute();
        using Result = decltype(job(std::declval<Repositories &>()));
        auto result = std::make_shared<std::optional<Result>>();
        m_queued.fetchAndAddRelaxed(1);
        QMetaObject::invokeMethod(
            m_worker,
            [this, route, guard, result, job = std::move(job), lost = std::move(lost),
                done = std::move(done)]() mutable {
                m_queued.fetchAndSubRelaxed(1);
                if (!m_worker->isOpen())
                    return;
                m_worker->addToGroup(
                    {[result, job = std::move(job)](Repositories &repos) mutable { *result = job(repos); },
                        std::move(lost),
                        [this, route, guard, result, done = std::move(done)](const QString &why) mutable {
                            deliver(route, [guard, result, why, done = std::move(done)]() mutable {
                                if (guard)
                                    done(*result ? std::move(**result) : Result(), why);
                            });
                        }});
            },
            Qt::QueuedConnection);
    }

    // Runs job on the storage thread with no answer (bookkeeping writes).
    template <typename Job>
    void post(Job job)
    {
        m_queued.fetchAndAddRelaxed(1);
        QMetaObject::invokeMethod(
            m_worker,
            [this, job = std::move(job)]() mutable {
                m_queued.fetchAndSubRelaxed(1);
                if (m_worker->isOpen())
                    job(m_worker->repositories());
            },
            Qt::QueuedConnection);
    }

    // Waits until every job queued so far has run (shutdown and tests only).
    void drain();
    // Jobs queued by run() and post() that the storage thread has not started yet; any thread.
    int queueDepth() const { return m_queued.loadRelaxed(); }

Q_SIGNALS:
    // Another program (the CLI) changed the database; reload what you show.
    void changedElsewhere();

private:
    // Answers go to a mailbox object on the asking thread, found by the thread's route under a
    // lock, so a thread that has finished (its mailbox gone) simply gets no answer.
    struct ReplyRoutes
    {
        QMutex mutex;
        QHash<quint64, QObject *> mailboxes;
    };

    quint64 replyRoute(); // the calling thread's route; makes its mailbox on first use
    template <typename Reply>
    void deliver(quint64 route, Reply reply)
    {
        const QMutexLocker lock(&m_routes->mutex);
        if (QObject *mailbox = m_routes->mailboxes.value(route))
            QMetaObject::invokeMethod(mailbox, std::move(reply), Qt::QueuedConnection);
    }

    std::shared_ptr<ReplyRoutes> m_routes = std::make_shared<ReplyRoutes>(); // shared with mailboxes
    quint64 m_ownRoute = 0; // this object's thread, answered through this object
    QThread m_thread;
    StorageWorker *m_worker = nullptr; // owned by m_thread's lifetime, deleted on finish
    DatabaseUrl m_url;
    QAtomicInteger<int> m_queued = 0;
};

} // namespace StreamSwarm::Console
