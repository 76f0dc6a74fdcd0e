// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <functional>

#include <QObject>
#include <QString>
#include <QTimer>

namespace StreamSwarm::Console {

class Database;

// The console's housekeeping on its storage thread: rolls up the minutes and hours that came due and
// removes what retention no longer keeps. Each step does a bounded amount of work in short
// transactions and comes back soon while there is more, so batches from agents, queued on the same
// thread, are stored in between. Collectors sharing a PostgreSQL take turns (an advisory lock).
class StorageMaintenance final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StorageMaintenance)
public:
    using Clock = std::function<qint64()>;
    StorageMaintenance(Database &db, Clock now, QObject *parent = nullptr);

    void start();
    // One step now; whether work is left (tests and shutdown use it).
    bool step();

private:
    Database &m_db;
    Clock m_now;
    QTimer m_timer;
    qint64 m_nextRetentionMs = 0;
    QString m_lastProblem; // said once, not at every step
};

} // namespace StreamSwarm::Console
