// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "deploymentmodel.h"

#include "console/ui/statusicons.h"

namespace StreamSwarm::Console {

DeploymentModel::DeploymentModel(QObject *parent)
    : QAbstractTableModel(parent)
{ }

void DeploymentModel::setDeployment(Deployment *deployment)
{
    beginResetModel();
    if (m_deployment)
        disconnect(m_deployment, nullptr, this, nullptr);
    m_deployment = deployment;
    if (deployment) {
        connect(deployment, &Deployment::statusChanged, this,
            [this](int row) { Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1)); });
    }
    endResetModel();
}

int DeploymentModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() || !m_deployment ? 0 : int(m_deployment->count());
}

int DeploymentModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant DeploymentModel::data(const QModelIndex &index, int role) const
{
    if (!m_deployment || !index.isValid() || index.row() >= m_deployment->count())
        return {};
    const DeployTarget &target = m_deployment->target(index.row());
    const DeployStatus &status = m_deployment->status(index.row());
    using State = DeployStatus::State;
    if (role == StateRole)
        return int(status.state);
    if (role == Qt::DecorationRole && index.column() == Status) {
        switch (status.state) {
        case State::Done:
            return dotIcon(StatusColor::Good);
        case State::Failed:
            return dotIcon(StatusColor::Error);
        case State::Cancelled:
        case State::Queued:
            return dotIcon(StatusColor::Idle);
        case State::Working:
        case State::WaitingForAgent:
            return dotIcon(StatusColor::Info);
        }
    }
    if (role == Qt::ToolTipRole && index.column() == Status)
        return status.text;
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Host:
        return target.label();
    case Agent:
        return status.report.agentName.isEmpty() ? target.agentName : status.report.agentName;
    case Status:
        if (status.state == State::Working && status.percent >= 0)
            return tr("%1: %2 %").arg(status.text).arg(status.percent);
        return status.text;
    default:
        return {};
    }
}

QVariant DeploymentModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Host:
        return tr("Host");
    case Agent:
        return tr("Agent");
    case Status:
        return tr("Progress");
    default:
        return {};
    }
}

} // namespace StreamSwarm::Console
