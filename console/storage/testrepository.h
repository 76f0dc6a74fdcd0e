// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <optional>

#include <QCoreApplication>
#include <QList>

#include "console/storage/records.h"

namespace StreamSwarm::Console {

class Database;

// Test definitions and which agents run them.
class TestRepository
{
    Q_DECLARE_TR_FUNCTIONS(StreamSwarm::Console::TestRepository)
public:
    explicit TestRepository(Database &db)
        : m_db(db)
    { }

    // Adds a test for the named agents (or all, now and later). Refuses unknown or revoked agents
    // and a name in use, with a sentence that says which. Returns the new test's id. Runs inside the
    // caller's write transaction (the application layer's, which also writes the audit line).
    std::optional<qint64> add(const TestRecord &test, QString *error);
    // Writes a test's new definition (its type stays), agents and tags included.
    bool update(qint64 testId, const TestRecord &test, QString *error);
    // Oldest first; those deleted with their data kept only when asked for.
    std::optional<QList<TestRecord>> list(QString *error, bool withDeleted = false);
    bool stop(const QString &name, qint64 nowMs, QString *error);
    bool setPaused(const QString &name, bool paused, qint64 nowMs, QString *error);
    // Deletes a test. With keepData its samples stay, under the name this returns (the old name is
    // free again); without, they go too (and an empty name is returned).
    std::optional<QString> remove(const QString &name, bool keepData, qint64 nowMs, QString *error);

private:
    std::optional<qint64> idOf(const QString &name, QString *error); // of a test that is not deleted
    // The test that has the name, deleted or not; nullopt when none (or the lookup failed: error says so).
    std::optional<qint64> holderOf(const QString &name, QString *error);
    std::optional<QList<qint64>> activeAgentIds(const QStringList &names, QString *error);
    bool checkTargetAgent(const TestRecord &test, QString *error);
    bool replaceAssignments(qint64 testId, const QList<qint64> &agentIds, const QStringList &tags, QString *error);

    Database &m_db;
};

} // namespace StreamSwarm::Console
