// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <memory>

#include "console/app/operations.h"
#include "console/storage/database.h"

namespace StreamSwarm::Console {

// The application layer on a database connection of the caller's own, for the command line: the
// same Operations the windows use, run at once on the calling thread.
class LocalAdministration
{
public:
    explicit LocalAdministration(Actor actor);
    ~LocalAdministration();
    Q_DISABLE_COPY_MOVE(LocalAdministration)

    bool open(const DatabaseUrl &url, const QString &connectionName, QString *error);
    Operations &operations() { return *m_operations; } // after a successful open()

private:
    Actor m_actor;
    Database m_db;
    std::unique_ptr<Repositories> m_repositories;
    std::unique_ptr<Operations> m_operations;
};

} // namespace StreamSwarm::Console
