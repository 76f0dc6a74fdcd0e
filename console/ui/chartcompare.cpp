// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "chartcompare.h"

#include <array>

#include <QMenu>
#include <QToolButton>

#include "console/app/administration.h"
#include "console/models/chartchoice.h"
#include "console/server/consoleservice.h"
#include "console/ui/appearance.h"
#include "console/ui/charts/chartdata.h"
#include "console/ui/charts/chartoverlays.h"
#include "console/ui/charts/livechart.h"
#include "shared/metrics/catalog.h"
#include "shared/testtypes/testtype.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

namespace {

// Okabe and Ito's colours for colour-blind readers, less the chart's own blue and red.
const std::array<QColor, 6> LINE_COLORS = {QColor(230, 159, 0), QColor(0, 158, 115), QColor(204, 121, 167),
    QColor(86, 180, 233), QColor(213, 94, 0), QColor(110, 110, 110)};

QString unitOf(const QString &metric)
{
    const MetricInfo *info = MetricCatalog::find(metric);
    return info ? info->unit : QString();
}

} // namespace

ChartCompare::ChartCompare(ConsoleService *service, LiveChart *chart, QToolButton *button)
    : QObject(button)
    , m_service(service)
    , m_chart(chart)
    , m_button(button)
    , m_menu(new QMenu(button))
{
    // An icon beside the heading: the heading keeps its width for the agent, test and target.
    m_button->setText(tr("Compare"));
    m_button->setIcon(Appearance::icon(u"compare"_s));
    m_button->setToolButtonStyle(Qt::ToolButtonIconOnly);
    m_button->setAccessibleName(m_button->text());
    m_button->setToolTip(tr("Compare: draw other agents that run this test, or other figures of it, over the chart"));
    m_button->setPopupMode(QToolButton::InstantPopup);
    m_button->setMenu(m_menu);
    m_button->setEnabled(false);
    connect(m_menu, &QMenu::aboutToShow, this, &ChartCompare::fillMenu);
}

void ChartCompare::setChart(qint64 agentId, qint64 testId, const ChartMetrics &metrics, const Span &span)
{
    ++m_generation;
    const bool sameTest = testId == m_testId && agentId;
    m_agentId = agentId;
    m_testId = testId;
    m_metrics = metrics;
    m_span = span;
    m_button->setEnabled(agentId != 0 && !metrics.line.isEmpty());
    if (!sameTest) {
        removeAll();
        return;
    }
    // Another agent of the same test, a class or a span: keep the lines, read them again.
    const QList<Line> lines = m_lines;
    removeAll();
    for (const Line &line : lines) {
        if (line.agentId != m_agentId || line.metric != m_metrics.line)
            add(line.agentId, line.metric);
    }
}

void ChartCompare::addAgent(qint64 agentId)
{
    add(agentId, m_metrics.line);
}

void ChartCompare::addMetric(const QString &metric)
{
    add(m_agentId, metric);
}

void ChartCompare::add(qint64 agentId, const QString &metric)
{
    if (!m_agentId || metric.isEmpty() || has(agentId, metric))
        return;
    // Another agent's line is the charted figure: its name says enough. Another figure: its name.
    const QString name = agentId == m_agentId ? metric : agentName(agentId);
    const bool percent = unitOf(metric) == u"%"_s && unitOf(m_metrics.line) != u"%"_s;
    Line line{
        agentId, metric, m_chart->overlays()->add(name, LINE_COLORS.at(m_colorsUsed++ % LINE_COLORS.size()), percent)};
    m_lines.append(line);
    load(line);
}

void ChartCompare::remove(qint64 agentId, const QString &metric)
{
    for (auto line = m_lines.begin(); line != m_lines.end(); ++line) {
        if (line->agentId == agentId && line->metric == metric) {
            m_chart->overlays()->remove(line->graph);
            m_lines.erase(line);
            m_chart->overlaysChanged();
            return;
        }
    }
}

void ChartCompare::removeAll()
{
    m_lines.clear();
    m_colorsUsed = 0;
    m_chart->overlays()->removeAll();
    m_chart->overlaysChanged();
}

bool ChartCompare::has(qint64 agentId, const QString &metric) const
{
    return std::any_of(m_lines.cbegin(), m_lines.cend(),
        [&](const Line &line) { return line.agentId == agentId && line.metric == metric; });
}

void ChartCompare::load(const Line &line)
{
    ChartHistoryRequest request;
    request.agentId = line.agentId;
    request.testId = m_testId;
    request.metrics = {line.metric};
    request.fromMs = m_span.fromMs;
    request.toMs = m_span.toMs;
    request.bucketMs = m_span.bucketMs;
    const quint64 generation = m_generation;
    QCPGraph *graph = line.graph;
    m_service->administration()->chartHistory(
        request, this, [this, generation, graph](const Result<ChartHistory> &history) {
            const bool current = generation == m_generation
                && std::any_of(m_lines.cbegin(), m_lines.cend(), [graph](const Line &l) { return l.graph == graph; });
            if (!current || !history || history->series.isEmpty())
                return;
            // Live rounds may have come first: the stored ones go in beside them.
            const double gap = m_span.bucketMs > 0 ? 3.0 * double(m_span.bucketMs) / 1000 : 0;
            graph->data()->add(toGraphData(history->series.constFirst(), gap), false);
            m_chart->overlaysChanged();
        });
}

void ChartCompare::addRounds(qint64 agentId, const QList<Protocol::Round> &rounds)
{
    bool added = false;
    for (const Line &line : std::as_const(m_lines)) {
        if (line.agentId != agentId)
            continue;
        for (const Protocol::Round &round : rounds) {
            if (round.testId != m_testId)
                continue;
            for (const Protocol::MetricValue &value : round.values) {
                if (value.metric == line.metric) {
                    line.graph->addData(double(round.timeMs) / 1000, value.value);
                    added = true;
                }
            }
        }
    }
    if (added)
        m_chart->overlaysChanged();
}

QStringList ChartCompare::metricChoices() const
{
    // The charted series' own family (qos: the charted class), in the line's unit or in %.
    const TestRecord *test = ChartChoice::testById(m_service->tests(), m_testId);
    const TestTypes::TestType *type = test ? TestTypes::find(test->type) : nullptr;
    const QString family = m_metrics.line.left(m_metrics.line.lastIndexOf(u'.') + 1);
    const QString lineUnit = unitOf(m_metrics.line);
    const QStringList drawn{m_metrics.line, m_metrics.minimum, m_metrics.maximum, m_metrics.loss, m_metrics.spread};
    QStringList choices;
    for (const MetricInfo &metric : type ? type->metrics : QList<MetricInfo>()) {
        if (metric.name.startsWith(family) && metric.instanceLabel.isEmpty() && !drawn.contains(metric.name)
            && (metric.unit == lineUnit || metric.unit == u"%"_s)) {
            choices.append(metric.name);
        }
    }
    return choices;
}

void ChartCompare::fillMenu()
{
    m_menu->clear();
    m_menu->addSection(tr("Other agents running this test"));
    const TestRecord *test = ChartChoice::testById(m_service->tests(), m_testId);
    int agents = 0;
    for (const AgentRecord &agent : m_service->agents()) {
        if (agent.id == m_agentId || !test || !test->isFor(agent))
            continue;
        QAction *action = m_menu->addAction(agent.name);
        action->setCheckable(true);
        action->setChecked(has(agent.id, m_metrics.line));
        const qint64 id = agent.id;
        connect(action, &QAction::toggled, this,
            [this, id](bool on) { on ? add(id, m_metrics.line) : remove(id, m_metrics.line); });
        ++agents;
    }
    if (agents == 0)
        m_menu->addAction(tr("No other agent runs it"))->setEnabled(false);
    m_menu->addSection(tr("Other figures of this agent"));
    for (const QString &metric : metricChoices()) {
        QAction *action = m_menu->addAction(metric);
        action->setCheckable(true);
        action->setChecked(has(m_agentId, metric));
        if (const MetricInfo *info = MetricCatalog::find(metric))
            action->setToolTip(MetricCatalog::describe(*info));
        connect(action, &QAction::toggled, this,
            [this, metric](bool on) { on ? add(m_agentId, metric) : remove(m_agentId, metric); });
    }
    m_menu->setToolTipsVisible(true);
    m_menu->addSeparator();
    QAction *clear = m_menu->addAction(tr("Remove the compared lines"), this, &ChartCompare::removeAll);
    clear->setEnabled(!m_lines.isEmpty());
}

QString ChartCompare::agentName(qint64 agentId) const
{
    const AgentRecord *agent = ChartChoice::agentById(m_service->agents(), agentId);
    return agent ? agent->name : tr("agent %1").arg(agentId);
}

} // namespace StreamSwarm::Console
