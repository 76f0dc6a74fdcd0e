// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <optional>

#include "console/app/result.h"
#include "console/storage/records.h"
#include "console/ui/listactions.h"

class QAction;
class QMenu;
class QAbstractItemView;

namespace StreamSwarm::Console {

class ConsoleService;

// What can be done to the agent selected in the agents list: rename, tag, give a new credential and
// revoke. In the Agents menu and the list's context menu; each goes through the application layer,
// as `agent rename` and the others do.
class AgentActions final : public ListActions
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AgentActions)
public:
    AgentActions(ConsoleService *service, QAbstractItemView *view, QMenu *menu);

private:
    std::optional<AgentRecord> selectedAgent() const;
    void updateActions() override;
    void handleRename();
    void handleTags();
    void handleRekey();
    void handleRevoke();
    void report(const QString &error);

    ConsoleService *m_service;
    QList<QAction *> m_actions;
};

} // namespace StreamSwarm::Console
