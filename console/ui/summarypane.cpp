// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "summarypane.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QDateTime>
#include <QHorizontalBarSeries>
#include <QSplitter>
#include <QVBoxLayout>
#include <QValueAxis>

#include "console/app/administration.h"
#include "console/models/chartchoice.h"
#include "console/server/consoleservice.h"
#include "console/ui/statusicons.h"
#include "shared/testtypes/testtype.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

namespace {

constexpr int REDRAW_MS = 2000;

QChartView *makeChartView(QWidget *parent, const QString &name)
{
    auto *view = new QChartView(new QChart, parent);
    view->setObjectName(name);
    view->setRenderHint(QPainter::Antialiasing);
    view->setMinimumSize(360, 200);
    return view;
}

// The top of a percent axis: whole tens, at least 10, so small losses still show.
double percentAxisTop(double highest)
{
    return std::clamp(std::ceil(highest / 10.0) * 10.0, 10.0, 100.0);
}

void replaceValues(QBarSet *set, const QList<double> &values)
{
    set->remove(0, set->count());
    set->append(values);
}

} // namespace

// Made once and then only given new values: Qt Charts keeps drawing an axis that was removed.
SummaryPane::Bars SummaryPane::makeBars(QChart *chart, const QList<std::pair<QString, QColor>> &sets)
{
    Bars bars;
    bars.series = new QHorizontalBarSeries;
    for (const auto &[name, color] : sets) {
        auto *set = new QBarSet(name);
        set->setColor(color);
        bars.series->append(set);
        bars.sets.append(set);
    }
    chart->addSeries(bars.series);
    bars.categories = new QBarCategoryAxis;
    chart->addAxis(bars.categories, Qt::AlignLeft);
    bars.series->attachAxis(bars.categories);
    bars.percent = new QValueAxis;
    bars.percent->setRange(0, 100);
    bars.percent->setTickCount(6);
    bars.percent->setLabelFormat(u"%d %%"_s);
    chart->addAxis(bars.percent, Qt::AlignBottom);
    bars.series->attachAxis(bars.percent);
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->setMargins(QMargins(4, 4, 4, 4));
    chart->setAnimationOptions(QChart::NoAnimation);
    return bars;
}

HealthSeries healthSeriesOf(const TestRecord &test, qint64 agentId)
{
    HealthSeries series;
    series.agentId = agentId;
    series.testId = test.id;
    const TestTypes::TestType *type = TestTypes::find(test.type);
    // qos names its metrics per class ({class}); the summary counts only its failures.
    if (!type || type->chart.line.contains(u'{'))
        return series;
    series.lineMetric = type->chart.line;
    series.lineIsLatency = type->chart.axisLabel == nullptr; // the default axis is RTT in ms
    if (!type->chart.loss.contains(u'{'))
        series.lossMetric = type->chart.loss;
    return series;
}

SummaryPane::SummaryPane(ConsoleService *service, QWidget *parent)
    : QWidget(parent)
    , m_service(service)
    , m_agentView(makeChartView(this, u"agentHealthChart"_s))
    , m_pathView(makeChartView(this, u"worstPathsChart"_s))
{
    setObjectName(u"summaryPane"_s);
    // One over the other: the charts are as wide as the tab, so the names beside the bars fit.
    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_agentView);
    splitter->addWidget(m_pathView);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(splitter);
    m_agentBars = makeBars(agentChart(),
        {{tr("Rounds that worked (%)"), StatusColor::Good}, {tr("Packets lost (%)"), StatusColor::Error}});
    m_pathBars = makeBars(pathChart(), {{tr("Lost or failed (%)"), StatusColor::Error}});
    m_pathBars.series->setLabelsVisible(true);
    m_pathBars.series->setLabelsFormat(u"@value"_s);
    m_pathBars.series->setLabelsPrecision(3);
    m_redrawTimer.setInterval(REDRAW_MS);
    connect(&m_redrawTimer, &QTimer::timeout, this, [this] {
        if (m_dirty && isVisible())
            redraw();
    });
    m_redrawTimer.start();
    connect(m_service, &ConsoleService::testsChanged, this, &SummaryPane::readStoredRounds);
    connect(m_service, &ConsoleService::agentsChanged, this, [this] { m_dirty = true; });
    readStoredRounds();
    redraw();
}

QChart *SummaryPane::agentChart() const
{
    return m_agentView->chart();
}

QChart *SummaryPane::pathChart() const
{
    return m_pathView->chart();
}

void SummaryPane::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_dirty)
        redraw();
}

void SummaryPane::readStoredRounds()
{
    // Once, when agents and tests are first known; live rounds keep it current after that.
    if (m_readStored || m_service->tests().isEmpty() || m_service->agents().isEmpty())
        return;
    m_readStored = true;
    QList<HealthSeries> series;
    for (const TestRecord &test : m_service->tests()) {
        for (const AgentRecord &agent : m_service->agents()) {
            if (test.isFor(agent))
                series.append(healthSeriesOf(test, agent.id));
        }
    }
    const qint64 from = QDateTime::currentMSecsSinceEpoch() - HealthSummary::WINDOW_MS;
    m_service->administration()->recentHealth(
        series, from, this, [this](const Result<QList<HealthSummary::Round>> &rounds) {
            if (!rounds)
                return;
            for (const HealthSummary::Round &round : *rounds)
                m_summary.add(round);
            m_dirty = true;
            if (isVisible())
                redraw();
        });
}

void SummaryPane::addRounds(qint64 agentId, const QList<Protocol::Round> &rounds)
{
    for (const Protocol::Round &round : rounds) {
        const TestRecord *record = test(round.testId);
        if (!record)
            continue;
        const HealthSeries series = healthSeriesOf(*record, agentId);
        HealthSummary::Round health{agentId, round.testId, round.timeMs, !round.error.isEmpty(), {}, {}};
        bool counts = health.failed;
        for (const Protocol::MetricValue &value : round.values) {
            if (value.metric == series.lossMetric) {
                counts = true; // all lost: a loss and no RTT
                health.lossPct = value.value;
            }
            if (value.metric == series.lineMetric) {
                counts = true;
                if (series.lineIsLatency)
                    health.latencyMs = value.value;
            }
        }
        if (counts)
            m_summary.add(health);
    }
    m_dirty = true;
}

void SummaryPane::redraw()
{
    m_dirty = false;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    drawAgents(now);
    drawPaths(now);
}

void SummaryPane::styleChart(QChart *chart, const QString &title) const
{
    chart->setTitle(title);
    chart->setBackgroundBrush(palette().base());
    chart->setTitleBrush(palette().text());
    chart->legend()->setLabelColor(palette().text().color());
    for (QAbstractAxis *axis : chart->axes()) {
        axis->setLabelsBrush(palette().text());
        axis->setGridLineColor(palette().mid().color());
        axis->setLinePenColor(palette().mid().color());
    }
}

void SummaryPane::drawAgents(qint64 nowMs)
{
    QList<HealthSummary::AgentHealth> agents = m_summary.agents(nowMs);
    if (agents.size() > MOST_AGENTS)
        agents.resize(MOST_AGENTS); // the least healthy
    QStringList names;
    QList<double> worked;
    QList<double> lost;
    // A horizontal bar chart draws its first category at the bottom: the least healthy goes last.
    for (auto agent = agents.crbegin(); agent != agents.crend(); ++agent) {
        names.append(agentName(agent->agentId));
        worked.append(agent->workedPct);
        lost.append(agent->lossPct.value_or(0));
    }
    m_agentBars.categories->setCategories(names);
    replaceValues(m_agentBars.sets.at(0), worked);
    replaceValues(m_agentBars.sets.at(1), lost);
    styleChart(agentChart(),
        agents.isEmpty() ? tr("No agent sent a round in the last 15 minutes")
                         : tr("Agents in the last 15 minutes, least healthy on top"));
}

void SummaryPane::drawPaths(qint64 nowMs)
{
    const QList<HealthSummary::PathHealth> paths = m_summary.worstPaths(nowMs, WORST_PATHS);
    QStringList names;
    QList<double> lost;
    double highest = 0;
    for (auto path = paths.crbegin(); path != paths.crend(); ++path) {
        const TestRecord *record = test(path->testId);
        QString name = tr("%1: %2").arg(agentName(path->agentId), record ? record->name : tr("deleted test"));
        if (path->latencyMs)
            name += u"  "_s + tr("%1 ms").arg(*path->latencyMs, 0, 'f', 1);
        names.append(name);
        lost.append(path->lostPct);
        highest = std::max(highest, path->lostPct);
    }
    m_pathBars.categories->setCategories(names);
    replaceValues(m_pathBars.sets.at(0), lost);
    m_pathBars.percent->setRange(0, percentAxisTop(highest));
    styleChart(pathChart(),
        paths.isEmpty()   ? tr("No path sent a round in the last 15 minutes")
            : highest > 0 ? tr("Worst paths now: most lost first, then slowest")
                          : tr("No path lost anything in the last 15 minutes; slowest first"));
}

QString SummaryPane::agentName(qint64 agentId) const
{
    const AgentRecord *agent = ChartChoice::agentById(m_service->agents(), agentId);
    return agent ? agent->name : tr("agent %1").arg(agentId);
}

const TestRecord *SummaryPane::test(qint64 testId) const
{
    return ChartChoice::testById(m_service->tests(), testId);
}

} // namespace StreamSwarm::Console
