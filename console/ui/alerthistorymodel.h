// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QAbstractTableModel>
#include <QList>

#include "console/alerts/alertincident.h"

namespace StreamSwarm::Console {

// The times one alert fired, newest first, as 'alert history' shows them: when, how long, where,
// who acknowledged it after how long and with what comment, and which maintenance window kept it
// quiet. GUI thread.
class AlertHistoryModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AlertHistoryModel)
public:
    // Note: the acknowledgement's comment, and the maintenance window that kept it quiet.
    enum Column { Started, Lasted, Agents, Acknowledged, Note, ColumnCount };
    enum Role { IncidentIdRole = Qt::UserRole + 1 };

    explicit AlertHistoryModel(QObject *parent = nullptr);

    void setIncidents(const QList<AlertIncident> &incidents, qint64 nowMs);
    const QList<AlertIncident> &incidents() const { return m_incidents; }
    const AlertIncident *incidentById(qint64 id) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QString text(const AlertIncident &incident, int column) const;

    QList<AlertIncident> m_incidents;
    qint64 m_nowMs = 0;
};

} // namespace StreamSwarm::Console
