// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <functional>

#include <QList>

#include "console/ui/charts/plotinclude.h"

namespace StreamSwarm::Console {

// Extra lines over a chart: another agent's rounds of the same test, or another metric of it. The
// chart owns this and fits its axes to them, reads them in its crosshair and trims them as it
// trims its own; whoever adds one fills its data.
class ChartOverlays
{
public:
    explicit ChartOverlays(QCustomPlot *plot);

    // On the loss axis (%), dashed, when onLossAxis; else on the value axis.
    QCPGraph *add(const QString &name, const QColor &color, bool onLossAxis);
    void remove(QCPGraph *graph);
    void removeAll();
    const QList<QCPGraph *> &graphs() const { return m_graphs; }

    void clearData();
    void removeBefore(double key);
    // The highest value of the lines shown on the value axis over keys; 0 when none.
    double top(const QCPRange &keys) const;
    // "name: value unit" of each line shown, for the crosshair: the round nearest key within that
    // far (their rounds come at their own times).
    QStringList describe(
        double key, double within, const std::function<QString(double)> &number, const QString &valueUnit) const;

private:
    QCustomPlot *m_plot;
    QList<QCPGraph *> m_graphs;
};

} // namespace StreamSwarm::Console
