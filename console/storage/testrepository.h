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
    std::optional<QList<TestRecord>> list(QString *error);
    bool stop(const QString &name, qint64 nowMs, QString *error);

private:
    Database &m_db;
};

} // namespace StreamSwarm::Console
