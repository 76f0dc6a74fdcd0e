// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "retention.h"

#include <algorithm>

#include <QSqlQuery>
#include <QVariant>

#include "console/storage/database.h"
#include "console/storage/rollups.h"
#include "shared/util/duration.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

namespace {

const QString RAW_SETTING = u"retention.raw_ms"_s;
const QString MINUTE_SETTING = u"retention.minute_ms"_s;
const QString HOUR_SETTING = u"retention.hour_ms"_s;

// 0 (for ever) compares as the longest.
qint64 comparable(qint64 keepMs)
{
    return keepMs == 0 ? std::numeric_limits<qint64>::max() : keepMs;
}

QString spoken(qint64 keepMs)
{
    return keepMs == 0 ? RetentionRepository::tr("for ever") : formatDurationMs(keepMs);
}

} // namespace

bool RetentionPolicy::check(QString *error) const
{
    for (const qint64 keep : {rawMs, minuteMs, hourMs}) {
        if (keep < 0 || (keep > 0 && keep < DAY_MS)) {
            *error = RetentionRepository::tr("Data is kept for at least a day (1d), or for ever (0).");
            return false;
        }
    }
    if (comparable(minuteMs) < comparable(rawMs) || comparable(hourMs) < comparable(minuteMs)) {
        *error = RetentionRepository::tr("Rollups must be kept at least as long as the finer data they summarise: "
                                         "raw %1, per minute %2, per hour %3.")
                     .arg(spoken(rawMs), spoken(minuteMs), spoken(hourMs));
        return false;
    }
    return true;
}

std::optional<QString> SettingsRepository::value(const QString &name, QString *error)
{
    QSqlQuery query(m_db.connection());
    query.prepare(u"SELECT value FROM settings WHERE name = ?"_s);
    query.addBindValue(name);
    if (!m_db.exec(query, error))
        return std::nullopt;
    if (!query.next()) {
        error->clear();
        return std::nullopt;
    }
    return query.value(0).toString();
}

bool SettingsRepository::setValue(const QString &name, const QString &value, QString *error)
{
    QSqlQuery query(m_db.connection());
    query.prepare(
        u"INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value"_s);
    query.addBindValue(name);
    query.addBindValue(value);
    return m_db.exec(query, error);
}

std::optional<RetentionPolicy> RetentionRepository::policy(QString *error)
{
    SettingsRepository settings(m_db);
    RetentionPolicy policy;
    for (const auto &[name, keep] : {std::pair{RAW_SETTING, &policy.rawMs}, std::pair{MINUTE_SETTING, &policy.minuteMs},
             std::pair{HOUR_SETTING, &policy.hourMs}}) {
        const auto text = settings.value(name, error);
        if (!text && !error->isEmpty())
            return std::nullopt;
        bool ok = true;
        if (text)
            *keep = text->toLongLong(&ok);
        if (!ok) {
            *error = tr("The stored setting %1 is not a number (%2); set it again with 'streamswarm-console retention "
                        "--raw 30d' (or the value you want).")
                         .arg(name, *text);
            return std::nullopt;
        }
    }
    return policy;
}

bool RetentionRepository::setPolicy(const RetentionPolicy &policy, QString *error)
{
    if (!policy.check(error))
        return false;
    SettingsRepository settings(m_db);
    return settings.setValue(RAW_SETTING, QString::number(policy.rawMs), error)
        && settings.setValue(MINUTE_SETTING, QString::number(policy.minuteMs), error)
        && settings.setValue(HOUR_SETTING, QString::number(policy.hourMs), error);
}

bool RetentionRepository::deleteBefore(const QString &table, qint64 cutoff, qint64 sliceMs,
    const QDeadlineTimer &deadline, qint64 *rows, bool *more, QString *error, const QString &timeColumn)
{
    while (true) {
        QSqlQuery oldest(m_db.connection());
        if (!oldest.exec(u"SELECT MIN(%1) FROM %2"_s.arg(timeColumn, table)) || !oldest.next())
            return m_db.exec(oldest, error);
        if (oldest.value(0).isNull() || oldest.value(0).toLongLong() >= cutoff)
            return true;
        if (deadline.hasExpired()) {
            *more = true;
            return true;
        }
        const qint64 from = oldest.value(0).toLongLong();
        oldest.finish();
        if (!m_db.beginWrite(error))
            return false;
        QSqlQuery remove(m_db.connection());
        remove.prepare(u"DELETE FROM %1 WHERE %2 >= ? AND %2 < ?"_s.arg(table, timeColumn));
        remove.addBindValue(from);
        remove.addBindValue(std::min(cutoff, from + sliceMs));
        if (!m_db.exec(remove, error)) {
            m_db.rollback();
            return false;
        }
        *rows += remove.numRowsAffected();
        if (!m_db.commit(error)) {
            m_db.rollback();
            return false;
        }
    }
}

bool RetentionRepository::dropDayPartitions(qint64 cutoff, int *dropped, QString *error)
{
    QSqlQuery partitions(m_db.connection());
    if (!partitions.exec(u"SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                         "JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'samples' "
                         "AND p.relnamespace = to_regnamespace(current_schema())::oid"_s)) {
        return m_db.exec(partitions, error);
    }
    QStringList old;
    while (partitions.next()) {
        const QString name = partitions.value(0).toString();
        bool ok = false;
        const qint64 day = name.startsWith(u"samples_dm"_s) ? -name.mid(10).toLongLong(&ok)
            : name.startsWith(u"samples_d"_s)               ? name.mid(9).toLongLong(&ok)
                                                            : 0;
        if (ok && (day + 1) * RetentionPolicy::DAY_MS <= cutoff)
            old.append(name);
    }
    partitions.finish();
    for (const QString &name : std::as_const(old)) {
        if (!m_db.exec(u"DROP TABLE IF EXISTS %1"_s.arg(name), error))
            return false;
        ++*dropped;
    }
    return true;
}

std::optional<RetentionRun> RetentionRepository::enforce(
    const RetentionPolicy &policy, qint64 nowMs, const QDeadlineTimer &deadline, QString *error)
{
    RetentionRun run;
    if (policy.rawMs > 0) {
        qint64 cutoff = nowMs - policy.rawMs;
        RollupRepository rollups(m_db);
        const auto pending = rollups.oldestPending(error);
        if (!pending && !error->isEmpty())
            return std::nullopt;
        if (pending)
            cutoff = std::min(cutoff, *pending);
        if (m_db.isSqlite()) {
            if (!deleteBefore(
                    u"samples"_s, cutoff, RollupRepository::HOUR_MS, deadline, &run.rawRows, &run.more, error))
                return std::nullopt;
        } else if (!dropDayPartitions(cutoff, &run.partitions, error)) {
            return std::nullopt;
        }
        if (!deleteBefore(u"details"_s, cutoff, RollupRepository::HOUR_MS, deadline, &run.rawRows, &run.more, error))
            return std::nullopt;
    }
    if (policy.minuteMs > 0
        && !deleteBefore(u"rollups_minute"_s, nowMs - policy.minuteMs, RetentionPolicy::DAY_MS, deadline,
            &run.rollupRows, &run.more, error))
        return std::nullopt;
    // Hours are kept a day a row: a day goes once all of it is past the cutoff.
    if (policy.hourMs > 0
        && !deleteBefore(u"rollups_hour_days"_s, HourDay::dayOf(nowMs - policy.hourMs), RetentionPolicy::DAY_MS,
            deadline, &run.rollupRows, &run.more, error, u"day"_s))
        return std::nullopt;
    return run;
}

} // namespace StreamSwarm::Console
