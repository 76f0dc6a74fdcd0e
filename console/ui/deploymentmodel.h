// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QAbstractTableModel>
#include <QPointer>

#include "console/deploy/deployment.h"

namespace StreamSwarm::Console {

// One row per host of a running deployment: where, which agent, and how it stands (a coloured dot,
// the copy progress, and how it ended). Follows the deployment's statusChanged. GUI thread.
class DeploymentModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DeploymentModel)
public:
    enum Column { Host, Agent, Status, ColumnCount };
    enum Role { StateRole = Qt::UserRole + 1 };

    explicit DeploymentModel(QObject *parent = nullptr);

    void setDeployment(Deployment *deployment); // not owned; nullptr to clear
    Deployment *deployment() const { return m_deployment; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QPointer<Deployment> m_deployment;
};

} // namespace StreamSwarm::Console
