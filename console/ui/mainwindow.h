// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QHash>
#include <QList>
#include <QMainWindow>
#include <QPointer>
#include <QTimer>

#include "console/domain/bulkwindows.h"
#include "console/models/chartseriesmodel.h"
#include "console/storage/records.h"
#include "shared/protocol/messages.h"

class QDockWidget;
class QHeaderView;
class QLabel;
class QModelIndex;
class QTabWidget;
class QTableView;

namespace StreamSwarm::Console {

class AgentListModel;
class AgentTree;
class ChartCompare;
class SummaryPane;
class ConsoleService;
class DetailModel;
class EventPane;
class HostWindow;
class LiveChart;
class PathModel;
class PathHistoryPane;
class ResultsPane;
class StatusFigures;
class TestListModel;
class TokensDialog;

// The console's window: agents, tests and events in docks the user may move, close or stack; in the
// middle the chart of one agent's test and its results as a table. Remembers its layout. Reads and
// acts on the database only through the application layer (Administration), so the GUI thread never
// waits on SQL. GUI thread.
class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)
public:
    explicit MainWindow(ConsoleService *service, QWidget *parent = nullptr);
    ~MainWindow() override;

    qint64 chartAgentId() const { return m_agentId; }
    // Opens (or brings up) the window of an agent's host; nullptr for an unknown agent.
    HostWindow *showHost(qint64 agentId);
    qint64 chartTestId() const { return m_testId; }
    // Charts this agent and test, as if the user had picked them.
    void showChart(qint64 agentId, qint64 testId);
    // Back to the docks and size of a first start; the saved layout is forgotten.
    void resetLayout();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void handleListsChanged();
    void handleRoundsStored(qint64 agentId, const QList<StreamSwarm::Protocol::Round> &rounds);
    void handleClockTick();
    void handleAgentRowChanged(const QModelIndex &current);
    void handleTestRowChanged(const QModelIndex &current);
    void handleViewMoved();
    void handleSpanChanged(double seconds);
    void handleAbout();
    void handleShowCertificate();
    void handleAddTest();
    void handleEnrollmentTokens();
    void handleShowHost();
    void handleChartReset();
    void handleChartRowsInserted(const QModelIndex &parent, int first, int last);

    void createMenus();
    void createViewMenu();
    void createToolBar();
    void createDocks();
    QDockWidget *addDock(const QString &title, const QString &name, QWidget *content, Qt::DockWidgetArea area);
    QWidget *createChartPane();
    QList<QHeaderView *> savedHeaders() const;

    const AgentRecord *agentById(qint64 id) const;
    const TestRecord *testById(qint64 id) const;
    qint64 firstTestOf(const AgentRecord &agent) const;
    void pickDefaultChart();
    void setChart(qint64 agentId, qint64 testId);
    void selectRows();
    void loadHistory();
    void showDetail(const Protocol::RoundDetail &detail);
    void updateHeading();
    void updateFigures(const ChartSeriesModel::Point &figures);

    ConsoleService *m_service;
    AgentListModel *m_agentModel;
    TestListModel *m_testModel;
    ChartSeriesModel *m_chartModel; // the chosen agent's test: history and live rounds
    BulkWindows m_loads; // when bandwidth tests loaded links, from the chart's history and live rounds
    QString m_loadsOf; // the charted agent, when its chart shades them
    PathModel *m_pathModel;
    DetailModel *m_detailModel;
    AgentTree *m_agentView = nullptr;
    QTableView *m_testView = nullptr;
    QLabel *m_heading = nullptr;
    QLabel *m_figures = nullptr;
    LiveChart *m_chart = nullptr;
    QWidget *m_pathBox = nullptr;
    QLabel *m_pathSummary = nullptr;
    QTableView *m_pathView = nullptr;
    QWidget *m_detailBox = nullptr;
    QLabel *m_detailSummary = nullptr;
    QTableView *m_detailView = nullptr;
    EventPane *m_eventPane = nullptr;
    QTabWidget *m_tabs = nullptr;
    ResultsPane *m_results = nullptr;
    ChartCompare *m_compare = nullptr;
    SummaryPane *m_summary = nullptr;
    PathHistoryPane *m_pathHistory = nullptr;
    StatusFigures *m_status = nullptr;
    QByteArray m_firstLayout; // the docks as made, for resetLayout()
    QTimer m_clock;
    TokensDialog *m_tokensDialog = nullptr; // made on first use

    qint64 m_agentId = 0;
    qint64 m_testId = 0;
    bool m_userChoseChart = false;
    bool m_selectingRows = false;
    bool m_historyRequested = false; // a chart has been chosen at least once
    double m_loadedSpan = 0; // seconds of history the chart has read
    qint64 m_loadedBucketMs = 0; // and in what buckets (0: every round)
    qint64 m_loadedFromMs = 0;
    qint64 m_loadedToMs = 0; // 0: up to now
    qint64 m_viewFromMs = 0; // zoomed or panned into the past: the span read (0: following)
    qint64 m_viewToMs = 0;
    QTimer m_viewTimer; // waits for a zoom or pan to settle
    QString m_chartClass; // of a test that charts one class at a time (qos), the one chosen
    QHash<qint64, QPointer<HostWindow>> m_hostWindows; // by agent id; each closes and deletes itself
};

} // namespace StreamSwarm::Console
