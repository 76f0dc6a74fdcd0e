// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "agentlistmodel.h"

#include <QDateTime>

namespace StreamSwarm::Console {

AgentListModel::AgentListModel(QObject *parent)
    : RecordTableModel(ColumnCount, parent)
{ }

void AgentListModel::setAgents(const QList<AgentRecord> &agents)
{
    replaceRecords(agents);
}

QVariant AgentListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const AgentRecord &agent = records().at(index.row());
    if (role == AgentIdRole)
        return agent.id;
    if (role == OnlineRole)
        return agent.online;
    if (role == TagsRole)
        return agent.tags;
    if (role == RevokedRole)
        return agent.revoked;
    if (role == Qt::ToolTipRole && index.column() == Name)
        return tr("%1 %2, version %3").arg(agent.name, agent.os, agent.version);
    if (role == Qt::ToolTipRole && index.column() == Clock && agent.clockOffsetMs) {
        return tr("The agent's clock minus the console's, give or take %1 ms. Over %2 ms off, its measurement "
                  "times are wrong by as much: set up NTP or chrony on that host.")
            .arg(agent.clockErrorMs)
            .arg(AgentRecord::CLOCK_SKEW_LIMIT_MS);
    }
    if (role == ClockSkewedRole)
        return agent.clockSkewed();
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Name:
        return agent.name;
    case Status:
        return agent.revoked ? tr("revoked") : agent.online ? tr("online") : tr("offline");
    case Host:
        return agent.host;
    case Os:
        return agent.os;
    case LastSeen:
        return agent.lastSeenMs
            ? QLocale().toString(QDateTime::fromMSecsSinceEpoch(agent.lastSeenMs), QLocale::ShortFormat)
            : tr("never");
    case Clock:
        return describeClock(agent);
    case Address:
        return agent.address;
    case Tags:
        return agent.tags.join(u", ");
    }
    return {};
}

QVariant AgentListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name:
        return tr("Agent");
    case Status:
        return tr("Status");
    case Host:
        return tr("Host");
    case Os:
        return tr("System");
    case LastSeen:
        return tr("Last seen");
    case Clock:
        return tr("Clock");
    case Address:
        return tr("Address");
    case Tags:
        return tr("Tags");
    }
    return {};
}

} // namespace StreamSwarm::Console
