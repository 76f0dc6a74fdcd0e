// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QString>

namespace StreamSwarm::Console {

class Database;

// The versioned schema. Migrations are append-only: each brings version N-1 to N, in one
// transaction, and the version is recorded in schema_version.
class Schema
{
public:
    static int currentVersion();
    static bool migrate(Database &db, QString *error);

private:
    static bool migrateLocked(Database &db, QString *error);
};

} // namespace StreamSwarm::Console
