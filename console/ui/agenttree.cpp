// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "agenttree.h"

#include <QAction>
#include <QHeaderView>
#include <QSettings>
#include <QStyledItemDelegate>

#include "console/models/agentlistmodel.h"
#include "console/models/agenttreemodel.h"
#include "console/ui/listwidgets.h"
#include "console/ui/tableproxies.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

namespace {

const QString GROUPED_KEY = u"layout/agentsGroupedByTag"_s;

// Group rows in bold, so they read as headings over their agents.
class GroupDelegate final : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override
    {
        QStyledItemDelegate::initStyleOption(option, index);
        if (index.data(AgentTreeModel::GroupRole).isValid())
            option->font.setBold(true);
    }
};

} // namespace

AgentTree::AgentTree(AgentListModel *agents, QWidget *parent)
    : QTreeView(parent)
    , m_tree(new AgentTreeModel(new AgentTableProxy(agents, this), this))
    , m_groupAction(new QAction(tr("&Group agents by tag"), this))
{
    setObjectName(u"agentsView"_s);
    setModel(m_tree);
    setItemDelegate(new GroupDelegate(this));
    setUpListView(this);
    setUniformRowHeights(true);
    setExpandsOnDoubleClick(true);
    offerColumnChoice(header(), u"agentsColumns"_s);
    header()->setStretchLastSection(false);
    header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    header()->setSectionResizeMode(AgentListModel::Host, QHeaderView::Stretch);
    header()->setSectionResizeMode(AgentListModel::Os, QHeaderView::Stretch);
    header()->setSectionResizeMode(AgentListModel::Address, QHeaderView::Stretch);

    m_groupAction->setObjectName(u"groupAgentsAction"_s);
    m_groupAction->setCheckable(true);
    m_groupAction->setStatusTip(tr("Shows the agents under their tags, such as a site or a role"));
    m_groupAction->setChecked(QSettings().value(GROUPED_KEY, true).toBool());
    connect(m_groupAction, &QAction::toggled, this, [this](bool grouped) {
        QSettings().setValue(GROUPED_KEY, grouped);
        setGrouped(grouped);
    });
    setGrouped(m_groupAction->isChecked());

    connect(m_tree, &QAbstractItemModel::layoutChanged, this, &AgentTree::openGroups);
    connect(this, &QTreeView::collapsed, this,
        [this](const QModelIndex &group) { m_closedGroups.insert(group.data(AgentTreeModel::GroupRole).toString()); });
    connect(this, &QTreeView::expanded, this,
        [this](const QModelIndex &group) { m_closedGroups.remove(group.data(AgentTreeModel::GroupRole).toString()); });
}

void AgentTree::setGrouped(bool grouped)
{
    m_tree->setGrouped(grouped);
    openGroups();
}

void AgentTree::openGroups()
{
    const bool groups = m_tree->showsGroups();
    setRootIsDecorated(groups);
    if (!groups)
        return;
    const QSignalBlocker quiet(this); // opening them is not the user closing or opening them
    for (int row = 0; row < m_tree->rowCount(); ++row) {
        const QModelIndex group = m_tree->index(row, 0);
        setExpanded(group, !m_closedGroups.contains(group.data(AgentTreeModel::GroupRole).toString()));
    }
}

void AgentTree::selectAgent(qint64 agentId)
{
    const QModelIndex current = currentIndex();
    if (agentId && current.isValid() && current.data(AgentListModel::AgentIdRole).toLongLong() == agentId)
        return;
    const auto rowOf = [this, agentId](const QModelIndex &parent) {
        for (int row = 0; row < m_tree->rowCount(parent); ++row) {
            const QModelIndex index = m_tree->index(row, 0, parent);
            if (index.data(AgentListModel::AgentIdRole).toLongLong() == agentId)
                return index;
        }
        return QModelIndex();
    };
    QModelIndex found = agentId ? rowOf({}) : QModelIndex();
    for (int group = 0; agentId && !found.isValid() && m_tree->showsGroups() && group < m_tree->rowCount(); ++group)
        found = rowOf(m_tree->index(group, 0));
    if (!found.isValid()) {
        selectionModel()->clearSelection();
        return;
    }
    selectionModel()->setCurrentIndex(found, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
}

} // namespace StreamSwarm::Console
