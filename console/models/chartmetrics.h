// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <optional>

#include <QString>

#include "console/storage/records.h"

namespace StreamSwarm::Console {

// What the live chart draws for one test: which stored metrics make its RTT line, min-max band and
// loss bars, and what the legend and title call them, as its test type's descriptor says.
struct ChartMetrics
{
    QString line; // the RTT line: average, or median where that is what the test reports
    QString minimum; // empty: no band
    QString maximum;
    QString loss;
    QString spread; // empty: no smoke
    QString lineName;
    QString spreadName;
    QString bandName;
    QString lossName;
    QString title;
    bool pathTable = false; // each round's detail is a path, shown hop by hop under the chart
    bool detailTable = false; // each round's detail (certificates, answers) is shown under the chart
    QStringList phases; // cumulative phase times, drawn as a stacked bar per round
    QStringList phaseNames;
    QString axisLabel;
    QStringList reportExtras; // charted below the line in reports
    QStringList reportExtraNames;
    QStringList classes; // the series a test may chart one at a time (qos: its DSCP classes); empty: one
    QString chartedClass; // of those, the one these metrics draw

    // The chart shows the newest round's detail, so it must be read with the history.
    bool keepsDetail() const { return pathTable || detailTable; }
};

// nullopt for a test type the chart cannot draw (the caller says so in words). chosenClass: which of
// the test's classes to draw; the first when empty or not one of them.
std::optional<ChartMetrics> chartMetricsFor(const TestRecord &test, const QString &chosenClass = {});

} // namespace StreamSwarm::Console
