// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "maintenance.h"

#include <QDeadlineTimer>
#include <QSqlQuery>
#include <QVariant>

#include "console/storage/database.h"
#include "console/storage/retention.h"
#include "console/storage/rollups.h"
#include "shared/util/logging.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

namespace {

constexpr int IDLE_INTERVAL_MS = 5000;
constexpr int BUSY_INTERVAL_MS = 20; // work left: come back after the queued batches are stored
constexpr int STEP_BUDGET_MS = 100;
constexpr int PERIODS_PER_QUERY = 8;
constexpr qint64 RETENTION_INTERVAL_MS = 10 * 60 * 1000;
constexpr qint64 MAINTENANCE_LOCK = 0x5353'6d61'696e; // "SSmain"

} // namespace

StorageMaintenance::StorageMaintenance(Database &db, Clock now, QObject *parent)
    : QObject(parent)
    , m_db(db)
    , m_now(std::move(now))
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, [this] { m_timer.start(step() ? BUSY_INTERVAL_MS : IDLE_INTERVAL_MS); });
}

void StorageMaintenance::start()
{
    m_timer.start(0);
}

bool StorageMaintenance::step()
{
    QString error;
    if (!m_db.isSqlite()) {
        // Another collector is at it: nothing to do here this time.
        QSqlQuery lock(m_db.connection());
        if (!lock.exec(u"SELECT pg_try_advisory_lock(%1)"_s.arg(MAINTENANCE_LOCK)) || !lock.next()
            || !lock.value(0).toBool())
            return false;
    }
    const QDeadlineTimer deadline(STEP_BUDGET_MS);
    const qint64 now = m_now();
    bool more = false;
    RollupRepository rollups(m_db);
    bool failed = false;
    while (!deadline.hasExpired()) {
        const auto minutes = rollups.rollUpMinutes(now, PERIODS_PER_QUERY, &error);
        const auto hours = minutes ? rollups.rollUpHours(now, PERIODS_PER_QUERY, &error) : std::nullopt;
        if (!minutes || !hours) {
            failed = true;
            break;
        }
        if (*minutes == 0 && *hours == 0)
            break;
        more = deadline.hasExpired();
    }
    if (!failed && (now >= m_nextRetentionMs)) {
        RetentionRepository retention(m_db);
        const auto policy = retention.policy(&error);
        const auto run = policy ? retention.enforce(*policy, now, deadline, &error) : std::nullopt;
        if (run) {
            if (run->rawRows || run->rollupRows || run->partitions) {
                qCInfo(lcStorage).noquote() << "Retention removed" << run->rawRows << "raw rows," << run->rollupRows
                                            << "rollup rows and" << run->partitions << "day partitions.";
            }
            more = more || run->more;
            if (!run->more)
                m_nextRetentionMs = now + RETENTION_INTERVAL_MS;
        } else {
            failed = true;
        }
    }
    if (!m_db.isSqlite())
        m_db.exec(u"SELECT pg_advisory_unlock(%1)"_s.arg(MAINTENANCE_LOCK), nullptr);
    if (failed) {
        if (error != m_lastProblem)
            qCWarning(lcStorage).noquote() << "Rollups and retention paused:" << error;
        m_lastProblem = error;
        return false;
    }
    m_lastProblem.clear();
    return more;
}

} // namespace StreamSwarm::Console
