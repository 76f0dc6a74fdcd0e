// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <optional>

#include <QCoreApplication>
#include <QList>
#include <QPair>
#include <QString>

class QPainter;
class QRectF;

namespace StreamSwarm::Console {

// A span of time, ms since the epoch.
using TimeSpan = QPair<qint64, qint64>;

// One chart of a report: a line over time (a bucket's mean), the band of each bucket's lowest and
// highest value, and below it the packet loss as bars. Times are bucket starts, ms.
struct ReportChartData
{
    QString unit; // of the line, for the axis ("ms")
    qint64 fromMs = 0;
    qint64 toMs = 0;
    qint64 bucketMs = 0;
    QList<qint64> times;
    QList<double> line;
    QList<double> low; // empty: no band
    QList<double> high;
    QList<qint64> lossTimes;
    QList<double> loss; // percent; empty: no loss strip
    QList<TimeSpan> outages; // hatched: nothing got through
    QList<TimeSpan> gaps; // hatched lightly: no data
    std::optional<TimeSpan> highlight; // the incident (evidence)
    std::optional<double> target; // a dashed line: the latency target
    QString lineName;
    QString bandName;
    QString lossName;
};

// Draws charts as vectors with QPainter, so they stay sharp on paper and in the PDF, and keep apart
// in black and white: a solid line, a grey band, hatched outages, a dashed target. No widgets.
class ReportChart
{
    Q_DECLARE_TR_FUNCTIONS(StreamSwarm::Console::ReportChart)
public:
    // unitsPerMm: the device's units in one millimetre (strokes and gaps are sized in mm).
    static void paint(QPainter *painter, const QRectF &rect, const ReportChartData &data, double unitsPerMm);
    // Ticks for an axis from low to high: round numbers, about count of them.
    static QList<double> valueTicks(double low, double high, int count);
    // Time ticks (ms) between fromMs and toMs at a step people read (15 min, 6 h, 1 day, ...), and
    // the step chosen.
    static QList<qint64> timeTicks(qint64 fromMs, qint64 toMs, int count, qint64 *stepMs);
};

} // namespace StreamSwarm::Console
