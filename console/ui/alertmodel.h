// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QAbstractTableModel>
#include <QColor>
#include <QIcon>
#include <QList>

#include "console/alerts/alertincident.h"

namespace StreamSwarm::Console {

// The alert rules as 'alert list' shows them: state, severity, test, condition, since when and the
// agents in trouble; each state with the window's colour and dot for it. GUI thread.
class AlertModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AlertModel)
public:
    enum Column { Name, State, Severity, Test, Condition, Since, Agents, ColumnCount };
    enum Role { NameRole = Qt::UserRole + 1, StateRole };

    explicit AlertModel(QObject *parent = nullptr);

    // The same alerts in the same order keep the rows (and the view's selection); others reset.
    void setAlerts(const QList<AlertStatus> &alerts, qint64 nowMs);
    const QList<AlertStatus> &alerts() const { return m_alerts; }
    const AlertStatus *alertNamed(const QString &name) const;
    int count(AlertState state) const;

    static QString stateText(AlertState state);
    static QColor stateColor(AlertState state);
    static QString severityText(AlertSeverity severity);
    static QColor severityColor(AlertSeverity severity);
    // "14:05:10" today, "3 Mar 14:05" before.
    static QString timeText(qint64 ms);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QString sinceText(const AlertStatus &status) const;
    QString toolTip(const AlertStatus &status, int column) const;

    QList<AlertStatus> m_alerts;
    qint64 m_nowMs = 0;
    QIcon m_dots[4]; // by AlertState
};

} // namespace StreamSwarm::Console
