// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <functional>

#include <QObject>
#include <QString>

class QCPItemStraightLine;
class QCPItemText;
class QCPLayer;
class QCustomPlot;
class QMouseEvent;

namespace StreamSwarm::Console {

// A vertical line under the mouse with a label that says what the chart holds there (time, values,
// agent). Drawn on a layer of its own, so following the mouse repaints the line and its label, not
// the million points under them. GUI thread.
class ChartCrosshair final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ChartCrosshair)
public:
    struct Reading
    {
        double key = 0; // where the line goes: the nearest point's time
        QString text; // empty: nothing there, the crosshair hides
    };
    using Describe = std::function<Reading(double key)>;

    ChartCrosshair(QCustomPlot *plot, Describe describe);
    ~ChartCrosshair() override;

    // Places it as if the mouse were at key; false when nothing is there.
    bool showAt(double key);
    void hide();
    bool isVisible() const;
    QString text() const;

private:
    void handleMouseMove(QMouseEvent *event);
    bool eventFilter(QObject *watched, QEvent *event) override;

    QCustomPlot *m_plot;
    Describe m_describe;
    QCPLayer *m_layer;
    QCPItemStraightLine *m_line;
    QCPItemText *m_label;
};

} // namespace StreamSwarm::Console
