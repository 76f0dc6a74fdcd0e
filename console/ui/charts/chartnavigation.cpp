// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "chartnavigation.h"

#include <QKeyEvent>

#include "console/ui/charts/livechart.h"

namespace StreamSwarm::Console {

namespace {

constexpr double MIN_WIDTH_SECONDS = 5;

} // namespace

ChartNavigation::ChartNavigation(LiveChart *chart)
    : QObject(chart)
    , m_chart(chart)
{
    m_chart->plot()->setFocusPolicy(Qt::StrongFocus);
    m_chart->plot()->installEventFilter(this);
}

bool ChartNavigation::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() != QEvent::KeyPress)
        return QObject::eventFilter(watched, event);
    const auto *key = static_cast<const QKeyEvent *>(event);
    QCPAxis *axis = m_chart->plot()->xAxis;
    const QCPRange shown = axis->range();
    const double width = shown.size();
    QCPRange next = shown;
    switch (key->key()) {
    case Qt::Key_Left:
        next = QCPRange(shown.lower - width / 4, shown.upper - width / 4);
        break;
    case Qt::Key_Right:
        next = QCPRange(shown.lower + width / 4, shown.upper + width / 4);
        break;
    case Qt::Key_PageUp:
        next = QCPRange(shown.lower - width, shown.upper - width);
        break;
    case Qt::Key_PageDown:
        next = QCPRange(shown.lower + width, shown.upper + width);
        break;
    case Qt::Key_Plus:
    case Qt::Key_Equal: { // + without Shift on many keyboards
        const double half = std::max(width / 4, MIN_WIDTH_SECONDS / 2);
        next = QCPRange(shown.center() - half, shown.center() + half);
        break;
    }
    case Qt::Key_Minus: {
        const double half = std::min(width, LiveChart::MAX_AGE_SECONDS / 2);
        next = QCPRange(shown.center() - half, shown.center() + half);
        break;
    }
    case Qt::Key_Home:
        m_chart->setFollowLive(true);
        return true;
    default:
        return QObject::eventFilter(watched, event);
    }
    axis->setRange(next); // as a drag or a wheel turn: the chart stops following
    m_chart->plot()->replot(QCustomPlot::rpQueuedReplot);
    return true;
}

} // namespace StreamSwarm::Console
