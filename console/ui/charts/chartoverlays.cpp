// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "chartoverlays.h"

#include "console/ui/charts/chartdata.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

ChartOverlays::ChartOverlays(QCustomPlot *plot)
    : m_plot(plot)
{ }

QCPGraph *ChartOverlays::add(const QString &name, const QColor &color, bool onLossAxis)
{
    auto *graph = m_plot->addGraph(m_plot->xAxis, onLossAxis ? m_plot->yAxis2 : m_plot->yAxis);
    graph->setName(name);
    // Thin and not antialiased: a thick smooth pen costs the chart's replot many times over.
    graph->setPen(QPen(color, 1.4, onLossAxis ? Qt::DashLine : Qt::SolidLine));
    graph->setAntialiased(false);
    graph->setAdaptiveSampling(true);
    m_graphs.append(graph);
    return graph;
}

void ChartOverlays::remove(QCPGraph *graph)
{
    if (m_graphs.removeOne(graph))
        m_plot->removeGraph(graph);
}

void ChartOverlays::removeAll()
{
    for (QCPGraph *graph : std::as_const(m_graphs))
        m_plot->removeGraph(graph);
    m_graphs.clear();
}

void ChartOverlays::clearData()
{
    for (QCPGraph *graph : std::as_const(m_graphs))
        graph->data()->clear();
}

void ChartOverlays::removeBefore(double key)
{
    for (QCPGraph *graph : std::as_const(m_graphs))
        graph->data()->removeBefore(key);
}

double ChartOverlays::top(const QCPRange &keys) const
{
    double top = 0;
    for (const QCPGraph *graph : m_graphs) {
        if (!graph->visible() || graph->valueAxis() != m_plot->yAxis)
            continue;
        bool found = false;
        const QCPRange values = graph->getValueRange(found, QCP::sdBoth, keys);
        if (found)
            top = std::max(top, values.upper);
    }
    return top;
}

QStringList ChartOverlays::describe(
    double key, double within, const std::function<QString(double)> &number, const QString &valueUnit) const
{
    QStringList lines;
    for (const QCPGraph *graph : m_graphs) {
        const double value = valueNear(*graph->data(), key, within);
        if (!graph->visible() || std::isnan(value))
            continue;
        const QString unit = graph->valueAxis() == m_plot->yAxis ? valueUnit : u"%"_s;
        lines.append(u"%1: %2 %3"_s.arg(graph->name(), number(value), unit).trimmed());
    }
    return lines;
}

} // namespace StreamSwarm::Console
