// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QTimer>
#include <QWidget>

#include "console/models/healthsummary.h"
#include "console/storage/records.h"
#include "shared/protocol/messages.h"

class QBarCategoryAxis;
class QBarSet;
class QChart;
class QChartView;
class QHorizontalBarSeries;
class QValueAxis;

namespace StreamSwarm::Console {

class ConsoleService;
struct HealthSeries;

// What a test's rounds say about the network's health: which metric counts a round, its latency
// (when the line is one) and its loss; an empty line: the test gives the summary nothing.
HealthSeries healthSeriesOf(const TestRecord &test, qint64 agentId);

// The summary tab (Qt Charts): per agent, the rounds that worked and the packets lost over the last
// 15 minutes; and the worst paths now. Reads the window's span from storage once the tests are
// known, then follows the live rounds; redraws at most every two seconds.
class SummaryPane final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SummaryPane)
public:
    static constexpr int WORST_PATHS = 8;
    static constexpr int MOST_AGENTS = 10;

    explicit SummaryPane(ConsoleService *service, QWidget *parent = nullptr);

    void addRounds(qint64 agentId, const QList<Protocol::Round> &rounds);
    QChart *agentChart() const;
    QChart *pathChart() const;
    void redraw(); // now, not at the next tick

protected:
    void showEvent(QShowEvent *event) override;

private:
    struct Bars
    {
        QHorizontalBarSeries *series = nullptr;
        QList<QBarSet *> sets;
        QBarCategoryAxis *categories = nullptr;
        QValueAxis *percent = nullptr;
    };

    static Bars makeBars(QChart *chart, const QList<std::pair<QString, QColor>> &sets);
    void readStoredRounds();
    void drawAgents(qint64 nowMs);
    void drawPaths(qint64 nowMs);
    void styleChart(QChart *chart, const QString &title) const;
    QString agentName(qint64 agentId) const;
    const TestRecord *test(qint64 testId) const;

    ConsoleService *m_service;
    HealthSummary m_summary;
    QChartView *m_agentView;
    QChartView *m_pathView;
    Bars m_agentBars;
    Bars m_pathBars;
    QTimer m_redrawTimer;
    bool m_dirty = true;
    bool m_readStored = false; // the last 15 minutes have been asked of storage
};

} // namespace StreamSwarm::Console
