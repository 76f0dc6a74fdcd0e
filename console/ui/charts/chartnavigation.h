// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QObject>

namespace StreamSwarm::Console {

class LiveChart;

// The chart by keyboard, as the mouse moves it: Left and Right pan a quarter of what is shown,
// Page Up and Page Down a whole width, + and - zoom in and out around the middle, Home goes back to
// following the newest rounds. The plot takes focus on a click or by Tab.
class ChartNavigation final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ChartNavigation)
public:
    explicit ChartNavigation(LiveChart *chart);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    LiveChart *m_chart;
};

} // namespace StreamSwarm::Console
