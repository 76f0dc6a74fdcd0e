// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "chartmetrics.h"

#include <QDateTime>

#include "shared/testtypes/testtype.h"
#include "shared/util/duration.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

std::optional<ChartMetrics> chartMetricsFor(const TestRecord &test, const QString &chosenClass)
{
    const TestTypes::TestType *type = TestTypes::find(test.type);
    if (!type || type->chart.line.isEmpty())
        return std::nullopt;
    const Protocol::TestSpec spec = test.toSpec(QDateTime::currentMSecsSinceEpoch());
    const TestTypes::ChartInfo &info = type->chart;
    // The series a test of this type draws (the chosen DSCP class, else its first), when its names
    // have one.
    const QStringList classes = type->chartClasses ? type->chartClasses(spec) : QStringList();
    if (type->chartClasses && classes.isEmpty())
        return std::nullopt; // the test's parameters do not say which series to draw
    const QString series = classes.contains(chosenClass) ? chosenClass : classes.value(0);
    const auto metric = [&](const QString &pattern) {
        return TestTypes::chartMetric(pattern, series);
    };
    ChartMetrics chart;
    chart.classes = classes;
    chart.chartedClass = series;
    chart.line = metric(info.line);
    chart.minimum = metric(info.minimum);
    chart.maximum = metric(info.maximum);
    // A test whose parameters make no loss (a bandwidth test over TCP) charts none, and names none.
    const bool chartsLoss = !type->chartsLoss || type->chartsLoss(spec);
    chart.loss = chartsLoss ? metric(info.loss) : QString();
    chart.spread = metric(info.spread);
    // Names may say which series they draw (%1: its class, upper case, as engineers write it).
    const QString label = series.toUpper();
    const auto name = [&](const char *text) {
        if (!text)
            return QString();
        const QString translated = TestTypes::text(text);
        return translated.contains(u"%1"_s) ? translated.arg(label) : translated;
    };
    chart.lineName = name(info.lineName);
    chart.bandName = info.minimum.isEmpty() ? QString() : name(info.bandName);
    chart.lossName = chartsLoss ? name(info.lossName) : QString();
    chart.spreadName = info.spread.isEmpty() ? QString() : name(info.spreadName);
    const QString title = TestTypes::text(info.title);
    chart.title = title.contains(u"%2"_s) ? title.arg(formatDurationMs(test.intervalMs), label)
                                          : title.arg(formatDurationMs(test.intervalMs));
    chart.pathTable = info.pathTable;
    chart.detailTable = info.detailTable;
    chart.phases = info.phases;
    for (const char *phaseName : info.phaseNames)
        chart.phaseNames.append(TestTypes::text(phaseName));
    chart.axisLabel = info.axisLabel ? TestTypes::text(info.axisLabel) : QString();
    chart.reportExtras = info.reportExtras;
    for (const char *extraName : info.reportExtraNames)
        chart.reportExtraNames.append(TestTypes::text(extraName));
    return chart;
}

} // namespace StreamSwarm::Console
