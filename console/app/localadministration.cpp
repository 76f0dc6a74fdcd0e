// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "localadministration.h"

#include "console/storage/storageservice.h"

namespace StreamSwarm::Console {

LocalAdministration::LocalAdministration(Actor actor)
    : m_actor(std::move(actor))
{ }

LocalAdministration::~LocalAdministration() = default;

bool LocalAdministration::open(const DatabaseUrl &url, const QString &connectionName, QString *error)
{
    if (!m_db.open(url, connectionName, error))
        return false;
    m_repositories = std::make_unique<Repositories>(m_db);
    m_operations = std::make_unique<Operations>(*m_repositories, m_actor);
    return true;
}

} // namespace StreamSwarm::Console
