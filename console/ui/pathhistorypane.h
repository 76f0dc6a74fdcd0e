// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QWidget>

#include "console/models/pathhistory.h"
#include "console/storage/records.h"
#include "shared/protocol/messages.h"

class QCustomPlot;
class QLabel;
class QTreeWidget;

namespace StreamSwarm::Console {

class ConsoleService;

// A traceroute test's last day: each hop's RTT over time (one line per hop, the last hop bold, as
// PingPlotter draws a path) and when the path changed, from what to what. Follows new rounds.
// GUI thread.
class PathHistoryPane final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PathHistoryPane)
public:
    static constexpr qint64 SPAN_MS = 24 * 3600 * 1000;

    explicit PathHistoryPane(ConsoleService *service, QWidget *parent = nullptr);
    ~PathHistoryPane() override;

    // Loads this agent's traceroute test (either may be null: the pane empties).
    void showTest(const AgentRecord *agent, const TestRecord *test);
    void addRounds(qint64 agentId, const QList<Protocol::Round> &rounds);

    const PathHistory &history() const { return m_history; }
    QTreeWidget *changesView() const { return m_changes; }
    QCustomPlot *plot() const { return m_plot; }

protected:
    void changeEvent(QEvent *event) override;

private:
    void redraw();

    ConsoleService *m_service;
    QLabel *m_summary;
    QCustomPlot *m_plot;
    QTreeWidget *m_changes;
    PathHistory m_history;
    qint64 m_agentId = 0;
    qint64 m_testId = 0;
    quint64 m_generation = 0;
    bool m_loading = false;
};

} // namespace StreamSwarm::Console
