// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include "console/models/recordtablemodel.h"
#include "console/storage/records.h"

namespace StreamSwarm::Console {

// The agents table of the main window: name, host, OS, online/offline, last seen, tags. Fed with
// snapshots (setAgents); lives on the GUI thread.
class AgentListModel final : public RecordTableModel<AgentRecord>
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AgentListModel)
public:
    enum Column { Name, Status, Host, Os, LastSeen, Clock, Address, Tags, ColumnCount };
    enum Role { AgentIdRole = Qt::UserRole + 1, OnlineRole, ClockSkewedRole, TagsRole, RevokedRole };

    explicit AgentListModel(QObject *parent = nullptr);

    void setAgents(const QList<AgentRecord> &agents);
    const QList<AgentRecord> &agents() const { return records(); }

    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
};

} // namespace StreamSwarm::Console
