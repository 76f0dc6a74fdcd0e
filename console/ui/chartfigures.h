// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QString>

#include "console/models/chartmetrics.h"
#include "console/models/chartseriesmodel.h"

namespace StreamSwarm::Console::ChartFigures {

// The newest round's figures above the live chart, as rich text: a path test's round-trip time with
// its spread, or a service test's figure in its metric's unit (a handshake in ms, a MOS as it is);
// the loss, red when there was some; and the round's time.
QString text(const ChartMetrics &metrics, const ChartSeriesModel::Point &figures);
QString toolTip(const ChartMetrics &metrics);

} // namespace StreamSwarm::Console::ChartFigures
