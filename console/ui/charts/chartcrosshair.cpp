// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "chartcrosshair.h"

#include "console/ui/charts/plotinclude.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

ChartCrosshair::ChartCrosshair(QCustomPlot *plot, Describe describe)
    : QObject(plot)
    , m_plot(plot)
    , m_describe(std::move(describe))
{
    if (!m_plot->layer(u"crosshair"_s))
        m_plot->addLayer(u"crosshair"_s, m_plot->layer(u"overlay"_s), QCustomPlot::limBelow);
    m_layer = m_plot->layer(u"crosshair"_s);
    m_layer->setMode(QCPLayer::lmBuffered); // replotted alone while the mouse moves

    m_line = new QCPItemStraightLine(m_plot);
    m_line->setLayer(m_layer);
    m_line->setClipToAxisRect(true);
    m_line->setSelectable(false);
    m_line->point1->setType(QCPItemPosition::ptPlotCoords);
    m_line->point2->setType(QCPItemPosition::ptPlotCoords);

    m_label = new QCPItemText(m_plot);
    m_label->setLayer(m_layer);
    m_label->setSelectable(false);
    m_label->setClipToAxisRect(false);
    m_label->position->setTypeX(QCPItemPosition::ptPlotCoords);
    m_label->position->setTypeY(QCPItemPosition::ptAxisRectRatio);
    m_label->position->setCoords(0, 0);
    m_label->setPadding(QMargins(6, 3, 6, 3));
    m_label->setTextAlignment(Qt::AlignLeft);
    hide();

    m_plot->setMouseTracking(true);
    m_plot->installEventFilter(this);
    connect(m_plot, &QCustomPlot::mouseMove, this, &ChartCrosshair::handleMouseMove);
}

ChartCrosshair::~ChartCrosshair() = default;

bool ChartCrosshair::showAt(double key)
{
    const Reading reading = m_describe(key);
    if (reading.text.isEmpty()) {
        hide();
        return false;
    }
    const QPalette palette = m_plot->palette();
    QColor lineColor = palette.color(QPalette::Text);
    lineColor.setAlpha(110);
    m_line->setPen(QPen(lineColor, 1, Qt::DashLine));
    m_label->setColor(palette.color(QPalette::ToolTipText));
    m_label->setBrush(palette.color(QPalette::ToolTipBase));
    m_label->setPen(QPen(lineColor));

    m_line->point1->setCoords(reading.key, 0);
    m_line->point2->setCoords(reading.key, 1);
    m_label->setText(reading.text);
    // The label hangs from the top, on the side of the line with more room.
    const QCPRange keys = m_plot->xAxis->range();
    const bool leftHalf = reading.key < keys.center();
    m_label->setPositionAlignment((leftHalf ? Qt::AlignLeft : Qt::AlignRight) | Qt::AlignTop);
    m_label->position->setCoords(reading.key, 0.02);
    m_line->setVisible(true);
    m_label->setVisible(true);
    m_layer->replot();
    return true;
}

void ChartCrosshair::hide()
{
    if (!m_line->visible() && !m_label->visible())
        return;
    m_line->setVisible(false);
    m_label->setVisible(false);
    m_layer->replot();
}

bool ChartCrosshair::isVisible() const
{
    return m_line->visible();
}

QString ChartCrosshair::text() const
{
    return m_label->visible() ? m_label->text() : QString();
}

void ChartCrosshair::handleMouseMove(QMouseEvent *event)
{
    // Not while the user drags the chart along: the line would only trail the hand.
    if (event->buttons() != Qt::NoButton || !m_plot->axisRect()->rect().contains(event->pos())) {
        hide();
        return;
    }
    showAt(m_plot->xAxis->pixelToCoord(event->pos().x()));
}

bool ChartCrosshair::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_plot && event->type() == QEvent::Leave)
        hide();
    return QObject::eventFilter(watched, event);
}

} // namespace StreamSwarm::Console
