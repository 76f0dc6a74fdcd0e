// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "agenttreemodel.h"

#include <QMap>

#include "console/models/agentlistmodel.h"

namespace StreamSwarm::Console {

AgentTreeModel::AgentTreeModel(QAbstractItemModel *agents, QObject *parent)
    : QAbstractItemModel(parent)
    , m_agents(agents)
{
    connect(m_agents, &QAbstractItemModel::modelAboutToBeReset, this, &AgentTreeModel::beginChange);
    connect(m_agents, &QAbstractItemModel::modelReset, this, [this] { endChange(groupsOf()); });
    connect(m_agents, &QAbstractItemModel::dataChanged, this, &AgentTreeModel::update);
    connect(m_agents, &QAbstractItemModel::rowsInserted, this, &AgentTreeModel::update);
    connect(m_agents, &QAbstractItemModel::rowsRemoved, this, &AgentTreeModel::update);
    connect(m_agents, &QAbstractItemModel::layoutChanged, this, &AgentTreeModel::update);
    connect(m_agents, &QAbstractItemModel::headerDataChanged, this, &QAbstractItemModel::headerDataChanged);
    takeGroups(groupsOf());
}

void AgentTreeModel::takeGroups(const QList<Group> &groups)
{
    m_groups = groups;
    m_sourceRows.clear();
    for (int row = 0; row < m_agents->rowCount(); ++row)
        m_sourceRows.insert(m_agents->index(row, 0).data(AgentListModel::AgentIdRole).toLongLong(), row);
}

void AgentTreeModel::setGrouped(bool grouped)
{
    if (grouped == m_grouped)
        return;
    m_grouped = grouped;
    beginChange();
    endChange(groupsOf());
}

bool AgentTreeModel::showsGroups() const
{
    // Ungrouped, or with no tag at all, the one group is the untagged one, holding every agent.
    return m_groups.size() > 1 || (!m_groups.isEmpty() && !m_groups.constFirst().tag.isEmpty());
}

QList<AgentTreeModel::Group> AgentTreeModel::groupsOf() const
{
    QMap<QString, QList<qint64>> byTag;
    QList<qint64> untagged;
    QList<qint64> all;
    for (int row = 0; row < m_agents->rowCount(); ++row) {
        const QModelIndex agent = m_agents->index(row, 0);
        const qint64 id = agent.data(AgentListModel::AgentIdRole).toLongLong();
        const QStringList tags = agent.data(AgentListModel::TagsRole).toStringList();
        all.append(id);
        if (tags.isEmpty())
            untagged.append(id);
        for (const QString &tag : tags)
            byTag[tag].append(id);
    }
    if (!m_grouped || byTag.isEmpty())
        return {Group{QString(), all}};
    QList<Group> groups;
    for (auto it = byTag.cbegin(); it != byTag.cend(); ++it)
        groups.append({it.key(), it.value()});
    if (!untagged.isEmpty())
        groups.append({QString(), untagged});
    return groups;
}

void AgentTreeModel::update()
{
    const QList<Group> groups = groupsOf();
    if (groups != m_groups) {
        beginChange();
        endChange(groups);
        return;
    }
    // The same rows: their values changed (online, last seen), and with them the groups' counts.
    takeGroups(groups);
    const int lastColumn = columnCount() - 1;
    if (rowCount() > 0)
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, lastColumn));
    if (!showsGroups())
        return;
    for (int group = 0; group < m_groups.size(); ++group) {
        const QModelIndex parent = index(group, 0);
        if (const int rows = rowCount(parent))
            Q_EMIT dataChanged(index(0, 0, parent), index(rows - 1, lastColumn, parent));
    }
}

void AgentTreeModel::beginChange()
{
    Q_EMIT layoutAboutToBeChanged();
    m_changing = persistentIndexList();
    m_changingKeys.clear();
    for (const QModelIndex &index : std::as_const(m_changing))
        m_changingKeys.append(keyOf(index));
}

void AgentTreeModel::endChange(const QList<Group> &groups)
{
    takeGroups(groups);
    QModelIndexList moved;
    for (qsizetype i = 0; i < m_changing.size(); ++i)
        moved.append(indexOf(m_changingKeys.at(i), m_changing.at(i).column()));
    changePersistentIndexList(m_changing, moved);
    m_changing.clear();
    m_changingKeys.clear();
    Q_EMIT layoutChanged();
}

AgentTreeModel::Key AgentTreeModel::keyOf(const QModelIndex &index) const
{
    if (!index.isValid())
        return {};
    if (index.internalId() == 0) {
        if (showsGroups())
            return {m_groups.value(index.row()).tag, 0};
        return {QString(), m_groups.constFirst().agentIds.value(index.row())};
    }
    const Group group = m_groups.value(int(index.internalId()) - 1);
    return {group.tag, group.agentIds.value(index.row())};
}

QModelIndex AgentTreeModel::indexOf(const Key &key, int column) const
{
    if (!showsGroups()) {
        const qsizetype row = key.agentId ? m_groups.constFirst().agentIds.indexOf(key.agentId) : -1;
        return row < 0 ? QModelIndex() : index(int(row), column);
    }
    // The agent under the same tag, else under any (the tag was taken off it, or it was ungrouped).
    for (const bool sameTag : {true, false}) {
        for (int group = 0; group < m_groups.size(); ++group) {
            if (sameTag && m_groups.at(group).tag != key.tag)
                continue;
            if (!key.agentId)
                return index(group, column);
            if (const qsizetype row = m_groups.at(group).agentIds.indexOf(key.agentId); row >= 0)
                return index(int(row), column, index(group, 0));
        }
        if (!key.agentId)
            return {};
    }
    return {};
}

QModelIndex AgentTreeModel::sourceIndex(qint64 agentId, int column) const
{
    const auto row = m_sourceRows.constFind(agentId);
    return row == m_sourceRows.cend() ? QModelIndex() : m_agents->index(*row, column);
}

QModelIndex AgentTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    if (row < 0 || column < 0 || row >= rowCount(parent) || column >= columnCount(parent))
        return {};
    return createIndex(row, column, parent.isValid() ? quintptr(parent.row() + 1) : quintptr(0));
}

QModelIndex AgentTreeModel::parent(const QModelIndex &child) const
{
    if (!child.isValid() || child.internalId() == 0)
        return {};
    return createIndex(int(child.internalId()) - 1, 0, quintptr(0));
}

int AgentTreeModel::rowCount(const QModelIndex &parent) const
{
    if (m_groups.isEmpty())
        return 0;
    if (!parent.isValid())
        return int(showsGroups() ? m_groups.size() : m_groups.constFirst().agentIds.size());
    if (parent.internalId() != 0 || !showsGroups() || parent.column() != 0)
        return 0;
    return int(m_groups.value(parent.row()).agentIds.size());
}

int AgentTreeModel::columnCount(const QModelIndex &) const
{
    return m_agents->columnCount();
}

QVariant AgentTreeModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    if (index.internalId() == 0 && showsGroups())
        return groupData(m_groups.at(index.row()), index.column(), role);
    const Group &group = index.internalId() == 0 ? m_groups.constFirst() : m_groups.at(int(index.internalId()) - 1);
    return sourceIndex(group.agentIds.at(index.row()), index.column()).data(role);
}

QVariant AgentTreeModel::groupData(const Group &group, int column, int role) const
{
    if (role == GroupRole)
        return group.tag;
    if (role == Qt::ToolTipRole && column == AgentListModel::Name) {
        return group.tag.isEmpty()
            ? tr("Agents without a tag")
            : tr("Agents tagged %1; a test given to tag:%1 runs on each of them.").arg(group.tag);
    }
    if (role != Qt::DisplayRole)
        return {};
    if (column == AgentListModel::Name)
        return group.tag.isEmpty() ? tr("No tag") : group.tag;
    if (column == AgentListModel::Status) {
        const auto online = std::count_if(group.agentIds.cbegin(), group.agentIds.cend(),
            [this](qint64 id) { return sourceIndex(id, 0).data(AgentListModel::OnlineRole).toBool(); });
        return tr("%1 of %2 online").arg(online).arg(group.agentIds.size());
    }
    return {};
}

QVariant AgentTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    return m_agents->headerData(section, orientation, role);
}

Qt::ItemFlags AgentTreeModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable;
}

} // namespace StreamSwarm::Console
