// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <optional>

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QString>

namespace StreamSwarm::Console {

class Database;

// How long each tier of data is kept; 0 keeps it for ever. A coarser tier keeps at least as long as
// a finer one, so a chart that zooms out always finds the rollups of what raw data it lost.
struct RetentionPolicy
{
    static constexpr qint64 DAY_MS = 86'400'000;
    qint64 rawMs = 30 * DAY_MS;
    qint64 minuteMs = 365 * DAY_MS;
    qint64 hourMs = 5 * 365 * DAY_MS;

    bool check(QString *error) const;
};

// Site-wide settings kept in the database, so every collector of a shared database follows them.
class SettingsRepository
{
public:
    explicit SettingsRepository(Database &db)
        : m_db(db)
    { }

    // nullopt with *error empty when the setting was never set.
    std::optional<QString> value(const QString &name, QString *error);
    bool setValue(const QString &name, const QString &value, QString *error);

private:
    Database &m_db;
};

// What retention removed in one run, and whether it stopped at its deadline with more to do.
struct RetentionRun
{
    qint64 rawRows = 0;
    qint64 rollupRows = 0;
    int partitions = 0;
    bool more = false;
};

// Removes data older than the policy keeps, oldest first, in short transactions, so agents' batches
// are stored in between. Raw samples not yet rolled up are kept until they are. On PostgreSQL, a
// day of samples goes as one partition once the whole day is past the limit.
class RetentionRepository
{
    Q_DECLARE_TR_FUNCTIONS(StreamSwarm::Console::RetentionRepository)
public:
    explicit RetentionRepository(Database &db)
        : m_db(db)
    { }

    std::optional<RetentionPolicy> policy(QString *error);
    bool setPolicy(const RetentionPolicy &policy, QString *error);
    std::optional<RetentionRun> enforce(
        const RetentionPolicy &policy, qint64 nowMs, const QDeadlineTimer &deadline, QString *error);

private:
    // Deletes rows of table whose time (timeColumn) is before cutoff, a slice of sliceMs at a time.
    bool deleteBefore(const QString &table, qint64 cutoff, qint64 sliceMs, const QDeadlineTimer &deadline, qint64 *rows,
        bool *more, QString *error, const QString &timeColumn = QStringLiteral("t"));
    bool dropDayPartitions(qint64 cutoff, int *dropped, QString *error);

    Database &m_db;
};

} // namespace StreamSwarm::Console
