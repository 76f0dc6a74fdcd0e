// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QList>
#include <QObject>

#include "console/models/chartmetrics.h"
#include "shared/protocol/messages.h"

class QCPGraph;
class QMenu;
class QToolButton;

namespace StreamSwarm::Console {

class ConsoleService;
class LiveChart;

// The chart's Compare menu: other agents that run the charted test, or other metrics of it that
// share its axes (same unit, or %), laid over the chart as lines of their own. Each is read from
// storage for the chart's span, then follows the live rounds.
class ChartCompare final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ChartCompare)
public:
    ChartCompare(ConsoleService *service, LiveChart *chart, QToolButton *button);

    struct Span
    {
        qint64 fromMs = 0;
        qint64 toMs = 0; // 0: up to now
        qint64 bucketMs = 0; // 0: every round
    };

    // The chart now shows this agent's test over span. Lines of the same test are read again for
    // it; another test drops them. agentId 0: no chart.
    void setChart(qint64 agentId, qint64 testId, const ChartMetrics &metrics, const Span &span);
    void addRounds(qint64 agentId, const QList<Protocol::Round> &rounds);
    // As the menu's entries do.
    void addAgent(qint64 agentId); // its line metric
    void addMetric(const QString &metric); // of the charted agent
    void removeAll();
    int lineCount() const { return int(m_lines.size()); }

private:
    struct Line
    {
        qint64 agentId = 0;
        QString metric;
        QCPGraph *graph = nullptr;
    };

    void add(qint64 agentId, const QString &metric);
    void remove(qint64 agentId, const QString &metric);
    bool has(qint64 agentId, const QString &metric) const;
    void load(const Line &line);
    void fillMenu();
    QStringList metricChoices() const;
    QString agentName(qint64 agentId) const;

    ConsoleService *m_service;
    LiveChart *m_chart;
    QToolButton *m_button;
    QMenu *m_menu;
    qint64 m_agentId = 0;
    qint64 m_testId = 0;
    ChartMetrics m_metrics;
    Span m_span;
    QList<Line> m_lines;
    quint64 m_generation = 0; // answers for an older chart are dropped
    int m_colorsUsed = 0;
};

} // namespace StreamSwarm::Console
