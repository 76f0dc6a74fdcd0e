// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QStyledItemDelegate>
#include <QWidget>

#include "shared/protocol/messages.h"

class QLabel;
class QTableView;

namespace StreamSwarm::Console {

class ConsoleService;
class HostMetricsModel;

// Draws a row's recent values (HostMetricsModel::TrendRole) as a small line, scaled to its own range.
class SparklineDelegate final : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
};

// Colours a value by its state (HostMetricsModel::StateRole): amber for a warning, red for critical.
class StateColourDelegate final : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override;
};

// One agent's host: every figure of its system, wireless and hardware tests, grouped by family, with
// the value now, its unit and a sparkline of the last minutes; worrying values in amber or red.
// Loads the last ten minutes, then follows the rounds as they are stored.
class HostWindow final : public QWidget
{
    Q_OBJECT
public:
    static constexpr qint64 HISTORY_MS = 10 * 60 * 1000;

    HostWindow(ConsoleService *service, qint64 agentId, const QString &agentName, QWidget *parent = nullptr);

    HostMetricsModel *model() const { return m_model; }
    bool isLoading() const { return m_loading; }

Q_SIGNALS:
    void historyLoaded();

private:
    void handleRoundsStored(qint64 agentId, const QList<StreamSwarm::Protocol::Round> &rounds);
    void updateSummary();

    ConsoleService *m_service;
    HostMetricsModel *m_model;
    QTableView *m_view;
    QLabel *m_summary;
    bool m_loading = true;
    QList<Protocol::Round> m_pending; // arrived while the history loaded
};

} // namespace StreamSwarm::Console
