// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include "console/storage/records.h"
#include "console/ui/charts/plotinclude.h"

// What the live chart's graphs are made of: series as graph data, loss, phase segments, and the
// band drawn from its envelope.
namespace StreamSwarm::Console {

// A series as a graph's points; a silence longer than gapSeconds (0: never) gets a NaN between its
// neighbours, which breaks the line there.
QVector<QCPGraphData> toGraphData(const Series &series, double gapSeconds);
// Loss as impulses: only rounds that lost something (zero-height lines would only cost time).
QVector<QCPGraphData> lossData(const Series &series);
// The value of the point at key (a round's time), NaN when there is none.
double valueAtKey(const QCPGraphDataContainer &data, double key);
// The point whose key is nearest key; end() when data is empty.
QCPGraphDataContainer::const_iterator nearestPoint(const QCPGraphDataContainer &data, double key);
// The value of the point nearest key, if it is within that far (another series' rounds have other
// times); NaN when there is none.
double valueNear(const QCPGraphDataContainer &data, double key, double within);
// The smoke's lower and upper edges: each round's line value less and plus its spread, kept inside
// the round's lowest and highest.
std::pair<QVector<QCPGraphData>, QVector<QCPGraphData>> spreadAround(const QCPGraphDataContainer &line,
    const Series &spread, const QCPGraphDataContainer &lowest, const QCPGraphDataContainer &highest);
// What each phase added to a round: its cumulative time less the last phase the round had.
QList<double> segmentsOf(const QList<double> &cumulative, qsizetype phases);

// The part of data between keys.lower and keys.upper (and one point beyond each end, so lines run to
// the edges) as one point per pixel column: its lowest or highest value, at the column's middle.
// Where a column holds at most one point, the points are kept as they are; a NaN (a gap) in a
// column is kept after its extreme, so the band still breaks there. Filling between two graphs
// costs QCustomPlot per point, where drawing a line costs per pixel: a min-max band over a million
// rounds fills in a few milliseconds this way instead of a third of a second.
QVector<QCPGraphData> envelope(const QCPGraphDataContainer &data, const QCPRange &keys, int columns, bool highest);

// The upper edge of a band filled down to its channel fill graph (the lower edge). Where the edges
// are dense (an envelope: a point or two per pixel) the band is filled as one span per point down to
// the lower edge's point at the same key: Qt fills a polygon of a few thousand zig-zag edges in
// tens of milliseconds, the same spans as rectangles in well under one. Sparse edges are filled as
// QCPGraph fills them.
class BandGraph : public QCPGraph
{
public:
    BandGraph(QCPAxis *keyAxis, QCPAxis *valueAxis);

protected:
    void drawFill(QCPPainter *painter, QVector<QPointF> *lines) const override;
};

// SmokePing's median line: each stretch coloured by the loss its rounds had (the worst in each
// stretch), from the line's own colour at none to red at half or more; rounds without loss keep
// the pen. Off (a plain line) until given the loss's graph.
class LossColouredLine : public QCPGraph
{
public:
    LossColouredLine(QCPAxis *keyAxis, QCPAxis *valueAxis);
    void setLossGraph(const QCPGraph *loss) { m_loss = loss; }
    static QColor colourFor(double lossPct, const QColor &none);

protected:
    void drawLinePlot(QCPPainter *painter, const QVector<QPointF> &lines) const override;

private:
    const QCPGraph *m_loss = nullptr;
};

} // namespace StreamSwarm::Console
