// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QAbstractItemModel>
#include <QHash>
#include <QList>

namespace StreamSwarm::Console {

// The agents pane as a tree: grouped, one group per tag (a site, a role) with how many of its
// agents are online, then the agents without a tag; an agent with two tags is in both groups.
// Ungrouped, or when no agent has a tag, the agents themselves are the rows. Reads a flat agent
// model (AgentListModel's columns and roles, possibly through a proxy) and follows its changes
// with layout changes, so selections and open groups survive a refresh.
class AgentTreeModel final : public QAbstractItemModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AgentTreeModel)
public:
    // A group row's tag (empty for "no tag"); invalid on an agent's row.
    enum Role { GroupRole = Qt::UserRole + 100 };

    explicit AgentTreeModel(QAbstractItemModel *agents, QObject *parent = nullptr);

    void setGrouped(bool grouped);
    bool isGrouped() const { return m_grouped; }
    bool showsGroups() const; // grouped, and some agent has a tag

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;

private:
    struct Group
    {
        QString tag; // empty: the agents without a tag
        QList<qint64> agentIds;
        bool operator==(const Group &other) const { return tag == other.tag && agentIds == other.agentIds; }
    };
    struct Key // what a row shows, to find it again after a change
    {
        QString tag;
        qint64 agentId = 0; // 0: the group row
    };

    QList<Group> groupsOf() const; // from the agent model as it is now
    void takeGroups(const QList<Group> &groups); // and where each agent is in the agent model
    void update(); // after any change of the agent model
    void beginChange(); // before a change of the rows: remembers where persistent indexes point
    void endChange(const QList<Group> &groups);
    Key keyOf(const QModelIndex &index) const;
    QModelIndex indexOf(const Key &key, int column) const;
    QModelIndex sourceIndex(qint64 agentId, int column) const;
    QVariant groupData(const Group &group, int column, int role) const;

    QAbstractItemModel *m_agents;
    bool m_grouped = true;
    QList<Group> m_groups;
    QHash<qint64, int> m_sourceRows; // agent id -> row in m_agents
    QModelIndexList m_changing; // persistent indexes during a change
    QList<Key> m_changingKeys;
};

} // namespace StreamSwarm::Console
