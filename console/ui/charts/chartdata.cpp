// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "chartdata.h"

#include <algorithm>
#include <cmath>

namespace StreamSwarm::Console {

QVector<QCPGraphData> toGraphData(const Series &series, double gapSeconds)
{
    QVector<QCPGraphData> data;
    const qsizetype count = std::min(series.times.size(), series.values.size());
    data.reserve(count + 16);
    for (qsizetype i = 0; i < count; ++i) {
        const double time = series.times.at(i);
        if (gapSeconds > 0 && i > 0 && time - series.times.at(i - 1) > gapSeconds)
            data.append(QCPGraphData((time + series.times.at(i - 1)) / 2, qQNaN()));
        data.append(QCPGraphData(time, series.values.at(i)));
    }
    return data;
}

QVector<QCPGraphData> lossData(const Series &series)
{
    QVector<QCPGraphData> data;
    const qsizetype count = std::min(series.times.size(), series.values.size());
    for (qsizetype i = 0; i < count; ++i) {
        if (series.values.at(i) > 0)
            data.append(QCPGraphData(series.times.at(i), series.values.at(i)));
    }
    return data;
}

QList<double> segmentsOf(const QList<double> &cumulative, qsizetype phases)
{
    QList<double> segments;
    double reached = 0;
    for (qsizetype i = 0; i < phases; ++i) {
        const double at = cumulative.value(i, qQNaN());
        if (std::isnan(at)) {
            segments.append(0);
            continue;
        }
        segments.append(std::max(0.0, at - reached));
        reached = std::max(reached, at);
    }
    return segments;
}

QVector<QCPGraphData> envelope(const QCPGraphDataContainer &data, const QCPRange &keys, int columns, bool highest)
{
    QVector<QCPGraphData> result;
    if (data.isEmpty() || columns <= 0 || keys.size() <= 0)
        return result;
    const auto begin = data.findBegin(keys.lower, true);
    const auto end = data.findEnd(keys.upper, true);
    if (end - begin <= 2 * columns) { // no denser than the pixels: as it is
        result.reserve(int(end - begin));
        for (auto it = begin; it != end; ++it)
            result.append(*it);
        return result;
    }
    result.reserve(2 * columns + 4);
    const double width = keys.size() / columns;
    int column = -1;
    double extreme = std::nan("");
    bool gap = false;
    const auto flush = [&] {
        if (column < 0)
            return;
        const double middle = keys.lower + (column + 0.5) * width;
        if (!std::isnan(extreme))
            result.append(QCPGraphData(middle, extreme));
        if (gap)
            result.append(QCPGraphData(middle + width * 0.25, std::nan("")));
    };
    for (auto it = begin; it != end; ++it) {
        if (it->key < keys.lower || it->key > keys.upper) { // the neighbours beyond the ends stay points
            flush();
            column = -1;
            extreme = std::nan("");
            gap = false;
            result.append(*it);
            continue;
        }
        const int at = std::min(int((it->key - keys.lower) / width), columns - 1);
        if (at != column) {
            flush();
            column = at;
            extreme = std::nan("");
            gap = false;
        }
        if (std::isnan(it->value))
            gap = true;
        else if (std::isnan(extreme) || (highest ? it->value > extreme : it->value < extreme))
            extreme = it->value;
    }
    flush();
    return result;
}

double valueAtKey(const QCPGraphDataContainer &data, double key)
{
    const auto it = data.findBegin(key, false);
    return it != data.constEnd() && qFuzzyCompare(it->key, key) ? it->value : std::nan("");
}

QCPGraphDataContainer::const_iterator nearestPoint(const QCPGraphDataContainer &data, double key)
{
    if (data.isEmpty())
        return data.constEnd();
    auto it = data.findBegin(key, false);
    if (it == data.constEnd())
        --it;
    if (it != data.constBegin() && std::abs((it - 1)->key - key) < std::abs(it->key - key))
        --it;
    return it;
}

double valueNear(const QCPGraphDataContainer &data, double key, double within)
{
    const auto it = nearestPoint(data, key);
    return it != data.constEnd() && std::abs(it->key - key) <= within ? it->value : std::nan("");
}

std::pair<QVector<QCPGraphData>, QVector<QCPGraphData>> spreadAround(const QCPGraphDataContainer &line,
    const Series &spread, const QCPGraphDataContainer &lowest, const QCPGraphDataContainer &highest)
{
    QVector<QCPGraphData> low;
    QVector<QCPGraphData> high;
    const qsizetype count = std::min(spread.times.size(), spread.values.size());
    low.reserve(int(count));
    high.reserve(int(count));
    for (qsizetype i = 0; i < count; ++i) {
        const double key = spread.times.at(i);
        const double centre = valueAtKey(line, key);
        if (std::isnan(centre) || std::isnan(spread.values.at(i)))
            continue;
        const double floor = valueAtKey(lowest, key);
        const double ceiling = valueAtKey(highest, key);
        low.append(QCPGraphData(key, std::max(centre - spread.values.at(i), std::isnan(floor) ? 0.0 : floor)));
        high.append(QCPGraphData(
            key, std::min(centre + spread.values.at(i), std::isnan(ceiling) ? centre + spread.values.at(i) : ceiling)));
    }
    return {low, high};
}

LossColouredLine::LossColouredLine(QCPAxis *keyAxis, QCPAxis *valueAxis)
    : QCPGraph(keyAxis, valueAxis)
{ }

QColor LossColouredLine::colourFor(double lossPct, const QColor &none)
{
    if (!(lossPct > 0))
        return none;
    if (lossPct < 5)
        return {86, 180, 233}; // sky blue: a lost probe now and then
    if (lossPct < 20)
        return {230, 159, 0}; // orange
    if (lossPct < 50)
        return {213, 94, 0}; // vermillion
    return {192, 0, 0};
}

void LossColouredLine::drawLinePlot(QCPPainter *painter, const QVector<QPointF> &lines) const
{
    if (!m_loss || m_loss->data()->isEmpty() || lines.size() < 2) {
        QCPGraph::drawLinePlot(painter, lines);
        return;
    }
    const QCPGraphDataContainer &loss = *m_loss->data();
    const QColor none = pen().color();
    // The worst loss of the rounds a stretch of line covers (loss only holds rounds that lost).
    const auto colourBetween = [&](double fromX, double toX) {
        const double from = keyAxis()->pixelToCoord(std::min(fromX, toX));
        const double to = keyAxis()->pixelToCoord(std::max(fromX, toX));
        double worst = 0;
        for (auto it = loss.findBegin(from, false); it != loss.constEnd() && it->key <= to; ++it)
            worst = std::max(worst, it->value);
        return colourFor(worst, none);
    };
    QCPGraph::drawLinePlot(painter, lines); // the whole line first, then the lossy stretches over it
    painter->save();
    painter->setAntialiasing(false); // thick antialiased segments cost ~12 µs each; these are many
    QPen lossy = pen();
    for (int i = 1; i < lines.size(); ++i) {
        const QPointF &a = lines.at(i - 1);
        const QPointF &b = lines.at(i);
        if (qIsNaN(a.y()) || qIsNaN(b.y()))
            continue;
        const QColor colour = colourBetween(a.x(), b.x());
        if (colour == none)
            continue;
        lossy.setColor(colour);
        lossy.setWidthF(pen().widthF() + 0.8);
        painter->setPen(lossy);
        painter->drawLine(a, b);
    }
    painter->restore();
}

BandGraph::BandGraph(QCPAxis *keyAxis, QCPAxis *valueAxis)
    : QCPGraph(keyAxis, valueAxis)
{ }

void BandGraph::drawFill(QCPPainter *painter, QVector<QPointF> *lines) const
{
    const QCPGraph *lower = channelFillGraph();
    const QCPRange keys = keyAxis()->range();
    const int columns = std::max(1, keyAxis()->axisRect()->width());
    if (!lower || brush().style() == Qt::NoBrush || data()->isEmpty()) {
        QCPGraph::drawFill(painter, lines);
        return;
    }
    const auto begin = data()->findBegin(keys.lower, true);
    const auto end = data()->findEnd(keys.upper, true);
    if (end - begin < columns / 3) { // sparse: QCPGraph's polygon is cheap and joins the points
        QCPGraph::drawFill(painter, lines);
        return;
    }
    QVector<QRectF> spans;
    spans.reserve(int(end - begin));
    const QCPGraphDataContainer &floor = *lower->data();
    auto below = floor.findBegin(keys.lower, true);
    for (auto it = begin; it != end; ++it) {
        if (std::isnan(it->value))
            continue;
        while (below != floor.constEnd() && below->key < it->key)
            ++below;
        if (below == floor.constEnd())
            break;
        if (below->key != it->key || std::isnan(below->value))
            continue;
        const auto next = it + 1;
        const double left = keyAxis()->coordToPixel(it->key);
        const double right = next != end ? keyAxis()->coordToPixel(next->key) : left + 1;
        const double top = valueAxis()->coordToPixel(it->value);
        const double bottom = valueAxis()->coordToPixel(below->value);
        spans.append(QRectF(QPointF(left, top), QPointF(std::max(right, left + 1), bottom)).normalized());
    }
    painter->save();
    painter->setAntialiasing(false); // whole pixels: neighbouring spans must not overlap and darken
    painter->setPen(Qt::NoPen);
    painter->setBrush(brush());
    painter->drawRects(spans);
    painter->restore();
}

} // namespace StreamSwarm::Console
