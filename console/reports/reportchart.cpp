// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "reportchart.h"

#include <algorithm>
#include <cmath>

#include <QDateTime>
#include <QFontMetricsF>
#include <QLocale>
#include <QPainter>
#include <QPainterPath>

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

namespace {

constexpr qint64 MINUTE_MS = 60 * 1000;
constexpr qint64 HOUR_MS = 60 * MINUTE_MS;
constexpr qint64 DAY_MS = 24 * HOUR_MS;

const QColor LINE_COLOUR(0x1f, 0x3a, 0x93); // dark blue: black on paper
const QColor BAND_COLOUR(0xc6, 0xcf, 0xe0); // pale: light grey on paper
const QColor LOSS_COLOUR(0xb2, 0x22, 0x22);
const QColor GRID_COLOUR(0xdd, 0xdd, 0xdd);
const QColor AXIS_COLOUR(0x55, 0x55, 0x55);

// Where the chart's pieces go inside its rectangle.
struct ChartGeometry
{
    QRectF legend;
    QRectF plot;
    QRectF loss; // empty: no loss strip
    QRectF timeLabels;
};

ChartGeometry layOut(const QRectF &rect, bool hasLoss, int legendRows, double mm)
{
    ChartGeometry geometry;
    const double labelWidth = 16 * mm;
    geometry.legend = QRectF(rect.left() + labelWidth, rect.top(), rect.width() - labelWidth, 5 * mm * legendRows);
    const double bottomLabels = 5 * mm;
    const double top = geometry.legend.bottom() + 1.5 * mm;
    const double height = rect.bottom() - bottomLabels - top;
    const double lossHeight = hasLoss ? height * 0.22 : 0;
    const double gap = hasLoss ? 2.5 * mm : 0;
    geometry.plot
        = QRectF(rect.left() + labelWidth, top, rect.width() - labelWidth - 2 * mm, height - lossHeight - gap);
    if (hasLoss)
        geometry.loss = QRectF(geometry.plot.left(), geometry.plot.bottom() + gap, geometry.plot.width(), lossHeight);
    geometry.timeLabels
        = QRectF(geometry.plot.left(), rect.bottom() - bottomLabels, geometry.plot.width(), bottomLabels);
    return geometry;
}

QString formatTick(double value, double step)
{
    const int decimals = step >= 1 ? 0 : std::min(6, int(std::ceil(-std::log10(step))));
    return QLocale().toString(value, 'f', decimals);
}

QString formatTimeTick(qint64 timeMs, qint64 stepMs, bool firstOrNewDay)
{
    const QDateTime time = QDateTime::fromMSecsSinceEpoch(timeMs);
    const QLocale locale;
    if (stepMs >= DAY_MS)
        return locale.toString(time.date(), u"d MMM"_s);
    const QString clock = locale.toString(time.time(), u"HH:mm"_s);
    return firstOrNewDay ? locale.toString(time.date(), u"d MMM"_s) + u' ' + clock : clock;
}

class Painter
{
public:
    Painter(QPainter *painter, const ReportChartData &data, const ChartGeometry &geometry, double mm)
        : p(painter)
        , d(data)
        , g(geometry)
        , mm(mm)
    { }

    void draw()
    {
        const auto [low, high] = valueRange();
        const QList<double> ticks = ReportChart::valueTicks(low, high, 5);
        m_low = ticks.constFirst();
        m_high = ticks.constLast();
        drawValueGrid(ticks);
        drawTimeAxis();
        drawSpans(d.gaps, QColor(0x99, 0x99, 0x99), Qt::Dense6Pattern);
        drawSpans(d.outages, LOSS_COLOUR, Qt::BDiagPattern);
        drawHighlight();
        drawBand();
        drawLine();
        drawTarget();
        drawLoss();
        p->setPen(QPen(AXIS_COLOUR, 0.25 * mm));
        p->setBrush(Qt::NoBrush);
        p->drawRect(g.plot);
        drawLegend();
    }

private:
    double x(qint64 timeMs) const
    {
        const double span = double(std::max<qint64>(1, d.toMs - d.fromMs));
        return g.plot.left() + g.plot.width() * double(timeMs - d.fromMs) / span;
    }
    double y(double value) const
    {
        const double range = m_high - m_low > 0 ? m_high - m_low : 1;
        return g.plot.bottom() - g.plot.height() * (value - m_low) / range;
    }
    // The middle of a bucket: where its figures are drawn.
    double bucketX(qint64 startMs) const { return x(startMs + d.bucketMs / 2); }

    QPair<double, double> valueRange() const
    {
        double low = 0; // latency and rates read best from zero
        double high = 0;
        for (const QList<double> *values : {&d.line, &d.high}) {
            for (double value : *values) {
                low = std::min(low, value);
                high = std::max(high, value);
            }
        }
        if (d.target)
            high = std::max(high, *d.target * 1.1);
        if (high <= low)
            high = low + 1;
        return {low, high};
    }

    void drawValueGrid(const QList<double> &ticks)
    {
        const double step = ticks.size() > 1 ? ticks.at(1) - ticks.at(0) : 1;
        QFont small = p->font();
        p->setFont(small);
        const QFontMetricsF metrics(small, p->device());
        for (double tick : ticks) {
            const double at = y(tick);
            p->setPen(QPen(GRID_COLOUR, 0.15 * mm));
            p->drawLine(QPointF(g.plot.left(), at), QPointF(g.plot.right(), at));
            p->setPen(AXIS_COLOUR);
            p->drawText(QRectF(g.plot.left() - 15 * mm, at - metrics.height() / 2, 14 * mm, metrics.height()),
                Qt::AlignRight | Qt::AlignVCenter, formatTick(tick, step));
        }
        if (!d.unit.isEmpty()) {
            p->setPen(AXIS_COLOUR);
            p->drawText(
                QRectF(g.plot.left() - 15 * mm, g.plot.top() - 1.5 * mm - metrics.height(), 14 * mm, metrics.height()),
                Qt::AlignRight | Qt::AlignVCenter, d.unit);
        }
    }

    void drawTimeAxis()
    {
        qint64 step = 0;
        const QList<qint64> ticks = ReportChart::timeTicks(d.fromMs, d.toMs, 6, &step);
        const QFontMetricsF metrics(p->font(), p->device());
        QDate lastDate;
        for (qint64 tick : ticks) {
            const double at = x(tick);
            p->setPen(QPen(GRID_COLOUR, 0.15 * mm));
            p->drawLine(QPointF(at, g.plot.top()), QPointF(at, g.plot.bottom()));
            if (!g.loss.isEmpty())
                p->drawLine(QPointF(at, g.loss.top()), QPointF(at, g.loss.bottom()));
            const QDate date = QDateTime::fromMSecsSinceEpoch(tick).date();
            const QString label = formatTimeTick(tick, step, date != lastDate);
            lastDate = date;
            const double width = metrics.horizontalAdvance(label) + 2 * mm;
            // Centred under its tick, but never past the chart's right edge.
            const double left = std::min(at - width / 2, g.plot.right() + 2 * mm - width);
            p->setPen(AXIS_COLOUR);
            p->drawText(QRectF(left, g.timeLabels.top() + 0.8 * mm, width, metrics.height()), Qt::AlignHCenter, label);
        }
    }

    void drawSpans(const QList<TimeSpan> &spans, const QColor &colour, Qt::BrushStyle pattern)
    {
        for (const TimeSpan &span : spans) {
            const double left = std::max(g.plot.left(), x(span.first));
            const double right = std::min(g.plot.right(), std::max(x(span.second), left + 0.4 * mm));
            if (right <= left)
                continue;
            QBrush brush(colour, pattern);
            // Patterns are drawn in device pixels; at printer resolutions they would be too fine to see.
            brush.setTransform(QTransform::fromScale(mm / 2.5, mm / 2.5));
            p->fillRect(QRectF(left, g.plot.top(), right - left, g.plot.height()), brush);
        }
    }

    void drawHighlight()
    {
        if (!d.highlight)
            return;
        const double left = std::max(g.plot.left(), x(d.highlight->first));
        const double right = std::min(g.plot.right(), x(d.highlight->second));
        p->fillRect(QRectF(left, g.plot.top(), right - left, g.plot.height()), QColor(0xff, 0xe8, 0xa0, 0x90));
        p->setPen(QPen(QColor(0x80, 0x60, 0x00), 0.3 * mm, Qt::DashLine));
        p->drawLine(QPointF(left, g.plot.top()), QPointF(left, g.plot.bottom()));
        p->drawLine(QPointF(right, g.plot.top()), QPointF(right, g.plot.bottom()));
    }

    // Runs of buckets with no missing bucket between them; a gap in the data breaks the line.
    QList<QPair<qsizetype, qsizetype>> runs() const
    {
        QList<QPair<qsizetype, qsizetype>> result;
        qsizetype first = 0;
        for (qsizetype i = 1; i <= d.times.size(); ++i) {
            if (i == d.times.size() || d.times.at(i) - d.times.at(i - 1) > d.bucketMs * 3 / 2) {
                result.append({first, i});
                first = i;
            }
        }
        return result;
    }

    void drawBand()
    {
        if (d.low.size() != d.times.size() || d.high.size() != d.times.size() || d.times.isEmpty())
            return;
        p->setPen(Qt::NoPen);
        p->setBrush(BAND_COLOUR);
        for (const auto &[first, end] : runs()) {
            QPolygonF polygon;
            for (qsizetype i = first; i < end; ++i)
                polygon.append(QPointF(bucketX(d.times.at(i)), y(d.high.at(i))));
            for (qsizetype i = end - 1; i >= first; --i)
                polygon.append(QPointF(bucketX(d.times.at(i)), y(d.low.at(i))));
            if (end - first == 1) // one bucket alone: a bar, as wide as a bucket
                polygon = QPolygonF(QRectF(QPointF(x(d.times.at(first)), y(d.high.at(first))),
                    QPointF(x(d.times.at(first) + d.bucketMs), y(d.low.at(first)))));
            p->drawPolygon(polygon);
        }
    }

    void drawLine()
    {
        p->setPen(QPen(LINE_COLOUR, 0.35 * mm, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
        p->setBrush(Qt::NoBrush);
        for (const auto &[first, end] : runs()) {
            QPolygonF line;
            for (qsizetype i = first; i < end; ++i)
                line.append(QPointF(bucketX(d.times.at(i)), y(d.line.value(i))));
            if (line.size() == 1)
                p->drawEllipse(line.constFirst(), 0.4 * mm, 0.4 * mm);
            else
                p->drawPolyline(line);
        }
    }

    void drawTarget()
    {
        if (!d.target)
            return;
        p->setPen(QPen(Qt::black, 0.25 * mm, Qt::DashLine));
        p->drawLine(QPointF(g.plot.left(), y(*d.target)), QPointF(g.plot.right(), y(*d.target)));
    }

    void drawLoss()
    {
        if (g.loss.isEmpty())
            return;
        p->setPen(QPen(GRID_COLOUR, 0.15 * mm));
        p->drawLine(QPointF(g.loss.left(), g.loss.center().y()), QPointF(g.loss.right(), g.loss.center().y()));
        const double width = std::max(0.3 * mm, g.loss.width() * double(d.bucketMs) / double(d.toMs - d.fromMs));
        for (qsizetype i = 0; i < d.loss.size() && i < d.lossTimes.size(); ++i) {
            const double value = std::clamp(d.loss.at(i), 0.0, 100.0);
            if (value <= 0)
                continue;
            const double height = std::max(0.3 * mm, g.loss.height() * value / 100);
            p->fillRect(QRectF(x(d.lossTimes.at(i)), g.loss.bottom() - height, width, height), LOSS_COLOUR);
        }
        p->setPen(QPen(AXIS_COLOUR, 0.25 * mm));
        p->setBrush(Qt::NoBrush);
        p->drawRect(g.loss);
        const QFontMetricsF metrics(p->font(), p->device());
        p->setPen(AXIS_COLOUR);
        p->drawText(QRectF(g.loss.left() - 15 * mm, g.loss.top() - metrics.height() / 2, 14 * mm, metrics.height()),
            Qt::AlignRight | Qt::AlignVCenter, QLocale().toString(100) + u" %"_s);
        p->drawText(QRectF(g.loss.left() - 15 * mm, g.loss.bottom() - metrics.height() / 2, 14 * mm, metrics.height()),
            Qt::AlignRight | Qt::AlignVCenter, QLocale().toString(0) + u" %"_s);
    }

    // The legend's entries flow left to right and onto a second row when the first is full.
    void drawLegend()
    {
        const QFontMetricsF metrics(p->font(), p->device());
        double at = g.legend.left();
        double middle = g.legend.top() + 2.5 * mm;
        const auto entry = [&](const QString &name, const std::function<void(const QRectF &)> &swatch) {
            if (name.isEmpty())
                return;
            const double width = metrics.horizontalAdvance(name);
            if (at > g.legend.left() && at + 7.2 * mm + width > g.legend.right()) {
                at = g.legend.left();
                middle += 5 * mm;
            }
            const QRectF box(at, middle - 1.5 * mm, 6 * mm, 3 * mm);
            swatch(box);
            p->setPen(Qt::black);
            p->drawText(QRectF(box.right() + 1.2 * mm, middle - 2.5 * mm, width + mm, 5 * mm),
                Qt::AlignLeft | Qt::AlignVCenter, name);
            at = box.right() + 1.2 * mm + width + 5 * mm;
        };
        entry(d.lineName, [&](const QRectF &box) {
            p->setPen(QPen(LINE_COLOUR, 0.35 * mm));
            p->drawLine(QPointF(box.left(), box.center().y()), QPointF(box.right(), box.center().y()));
        });
        if (!d.low.isEmpty())
            entry(d.bandName, [&](const QRectF &box) { p->fillRect(box, BAND_COLOUR); });
        if (!d.loss.isEmpty())
            entry(d.lossName, [&](const QRectF &box) { p->fillRect(box, LOSS_COLOUR); });
        if (!d.outages.isEmpty()) {
            entry(ReportChart::tr("Outage"), [&](const QRectF &box) {
                QBrush brush(LOSS_COLOUR, Qt::BDiagPattern);
                brush.setTransform(QTransform::fromScale(mm / 2.5, mm / 2.5));
                p->fillRect(box, brush);
            });
        }
        if (!d.gaps.isEmpty()) {
            entry(ReportChart::tr("No data"), [&](const QRectF &box) {
                QBrush brush(QColor(0x99, 0x99, 0x99), Qt::Dense6Pattern);
                brush.setTransform(QTransform::fromScale(mm / 2.5, mm / 2.5));
                p->fillRect(box, brush);
            });
        }
        if (d.target) {
            entry(ReportChart::tr("Target"), [&](const QRectF &box) {
                p->setPen(QPen(Qt::black, 0.25 * mm, Qt::DashLine));
                p->drawLine(QPointF(box.left(), box.center().y()), QPointF(box.right(), box.center().y()));
            });
        }
    }

    QPainter *p;
    const ReportChartData &d;
    const ChartGeometry &g;
    double mm;
    double m_low = 0;
    double m_high = 1;
};

QStringList legendNames(const ReportChartData &data)
{
    QStringList names{data.lineName};
    if (!data.low.isEmpty())
        names.append(data.bandName);
    if (!data.loss.isEmpty())
        names.append(data.lossName);
    if (!data.outages.isEmpty())
        names.append(ReportChart::tr("Outage"));
    if (!data.gaps.isEmpty())
        names.append(ReportChart::tr("No data"));
    if (data.target)
        names.append(ReportChart::tr("Target"));
    names.removeAll(QString());
    return names;
}

// One row when the entries fit beside each other (as drawLegend() places them), else two.
int legendRows(QPainter *painter, const QRectF &rect, const ReportChartData &data, double mm)
{
    const QFontMetricsF metrics(painter->font(), painter->device());
    double width = 0;
    for (const QString &name : legendNames(data))
        width += 7.2 * mm + metrics.horizontalAdvance(name) + 5 * mm;
    return width - 5 * mm > rect.width() - 16 * mm ? 2 : 1;
}

} // namespace

void ReportChart::paint(QPainter *painter, const QRectF &rect, const ReportChartData &data, double unitsPerMm)
{
    if (data.toMs <= data.fromMs)
        return;
    painter->setRenderHint(QPainter::Antialiasing);
    QFont small = painter->font();
    small.setPointSizeF(7);
    painter->setFont(small);
    const ChartGeometry geometry
        = layOut(rect, !data.loss.isEmpty(), legendRows(painter, rect, data, unitsPerMm), unitsPerMm);
    painter->setClipRect(rect);
    Painter(painter, data, geometry, unitsPerMm).draw();
    if (data.times.isEmpty()) {
        QFont font = painter->font();
        font.setPointSizeF(9);
        painter->setFont(font);
        painter->setPen(Qt::black);
        painter->drawText(geometry.plot, Qt::AlignCenter, tr("Nothing was measured in this period."));
    }
}

QList<double> ReportChart::valueTicks(double low, double high, int count)
{
    if (!(high > low) || !std::isfinite(low) || !std::isfinite(high))
        return {low, low + 1};
    const double rough = (high - low) / std::max(1, count);
    const double magnitude = std::pow(10.0, std::floor(std::log10(rough)));
    double step = magnitude;
    for (double factor : {1.0, 2.0, 2.5, 5.0, 10.0}) {
        step = factor * magnitude;
        if (step >= rough)
            break;
    }
    QList<double> ticks;
    const double first = std::floor(low / step) * step;
    for (double tick = first; ticks.size() < 50; tick += step) {
        ticks.append(std::abs(tick) < step * 1e-9 ? 0.0 : tick);
        if (tick >= high - step * 1e-9)
            break;
    }
    return ticks;
}

QList<qint64> ReportChart::timeTicks(qint64 fromMs, qint64 toMs, int count, qint64 *stepMs)
{
    static const qint64 steps[]
        = {MINUTE_MS, 5 * MINUTE_MS, 15 * MINUTE_MS, 30 * MINUTE_MS, HOUR_MS, 3 * HOUR_MS, 6 * HOUR_MS, 12 * HOUR_MS,
            DAY_MS, 2 * DAY_MS, 7 * DAY_MS, 14 * DAY_MS, 28 * DAY_MS, 91 * DAY_MS, 182 * DAY_MS, 365 * DAY_MS};
    const qint64 span = std::max<qint64>(1, toMs - fromMs);
    qint64 step = steps[std::size(steps) - 1];
    for (qint64 candidate : steps) {
        if (span / candidate <= count) {
            step = candidate;
            break;
        }
    }
    *stepMs = step;
    // Ticks fall on round local times: midnights for days, whole hours for hours.
    const qint64 offsetMs = qint64(QDateTime::fromMSecsSinceEpoch(fromMs).offsetFromUtc()) * 1000;
    const qint64 alignment = std::min(step, DAY_MS);
    qint64 tick = ((fromMs + offsetMs + alignment - 1) / alignment) * alignment - offsetMs;
    QList<qint64> ticks;
    for (; tick <= toMs && ticks.size() < 64; tick += step)
        ticks.append(tick);
    return ticks;
}

} // namespace StreamSwarm::Console
