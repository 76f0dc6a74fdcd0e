// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QSet>
#include <QTreeView>

class QAction;

namespace StreamSwarm::Console {

class AgentListModel;
class AgentTreeModel;

// The agents pane: every agent with its state, grouped by tag when the user wants it (View > Group
// agents by tag, kept in QSettings). Groups open as they appear and stay as the user left them.
class AgentTree final : public QTreeView
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AgentTree)
public:
    AgentTree(AgentListModel *agents, QWidget *parent);

    QAction *groupAction() const { return m_groupAction; } // for the View menu
    AgentTreeModel *treeModel() const { return m_tree; }
    // Makes the agent's row current (the one already current if the agent is in several groups);
    // with id 0 or an unknown id, clears the selection.
    void selectAgent(qint64 agentId);

private:
    void setGrouped(bool grouped);
    void openGroups();

    AgentTreeModel *m_tree;
    QAction *m_groupAction;
    QSet<QString> m_closedGroups; // by tag, as the user left them
};

} // namespace StreamSwarm::Console
