// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "chartseriesmodel.h"

#include <algorithm>
#include <cmath>

#include <QMap>

#include "shared/metrics/catalog.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

ChartSeriesModel::ChartSeriesModel(QObject *parent)
    : QAbstractTableModel(parent)
{ }

quint64 ChartSeriesModel::start(qint64 agentId, qint64 testId, const ChartMetrics &metrics)
{
    beginResetModel();
    m_agentId = agentId;
    m_testId = testId;
    m_metrics = metrics;
    m_loading = true;
    m_historyLast = 0;
    m_instance.clear();
    m_rows.clear();
    m_pending.clear();
    endResetModel();
    Q_EMIT headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1);
    setDetail({});
    return ++m_generation;
}

void ChartSeriesModel::clear()
{
    ++m_generation;
    beginResetModel();
    m_agentId = 0;
    m_testId = 0;
    m_metrics = {};
    m_loading = false;
    m_historyLast = 0;
    m_rows.clear();
    m_pending.clear();
    endResetModel();
    setDetail({});
}

QStringList ChartSeriesModel::historyMetrics() const
{
    return QStringList{m_metrics.line, m_metrics.minimum, m_metrics.maximum, m_metrics.loss, m_metrics.spread}
    + m_metrics.phases;
}

QList<SeriesAggregate> ChartSeriesModel::historyAggregates()
{
    return {SeriesAggregate::Mean, SeriesAggregate::Lowest, SeriesAggregate::Highest, SeriesAggregate::Mean,
        SeriesAggregate::Mean};
}

bool ChartSeriesModel::setHistory(
    quint64 generation, const QList<Series> &series, const Protocol::RoundDetail &latestDetail, const QString &instance)
{
    if (generation != m_generation || !m_loading)
        return false;
    if (!instance.isEmpty())
        m_instance = instance;
    // One row a round: the series of one round share its time exactly (the same milliseconds / 1000).
    QMap<double, Point> byTime;
    for (int column = Line; column < ColumnCount && column - Line < series.size(); ++column) {
        const Series &values = series.at(column - Line);
        for (qsizetype i = 0; i < values.times.size() && i < values.values.size(); ++i) {
            Point &point = byTime[values.times.at(i)];
            point.timeSec = values.times.at(i);
            (column == Line             ? point.line
                    : column == Minimum ? point.minimum
                    : column == Maximum ? point.maximum
                    : column == Loss    ? point.loss
                                        : point.spread)
                = values.values.at(i);
        }
    }
    for (qsizetype phase = 0; phase < m_metrics.phases.size() && ColumnCount - Line + phase < series.size(); ++phase) {
        const Series &values = series.at(ColumnCount - Line + phase);
        for (qsizetype i = 0; i < values.times.size() && i < values.values.size(); ++i) {
            Point &point = byTime[values.times.at(i)];
            point.timeSec = values.times.at(i);
            point.phases.resize(m_metrics.phases.size(), std::numeric_limits<double>::quiet_NaN());
            point.phases[phase] = values.values.at(i);
        }
    }
    beginResetModel();
    m_loading = false;
    m_rows = byTime.values();
    m_historyLast = m_rows.isEmpty() ? 0 : m_rows.constLast().timeSec;
    for (const Protocol::Round &round : std::exchange(m_pending, {})) {
        const Point point = pointOf(round);
        if (point.timeSec > m_historyLast)
            m_rows.insert(rowFor(point.timeSec), point);
        if (m_metrics.keepsDetail() && !round.detail.isEmpty())
            m_detail = round.detail;
    }
    m_rows.remove(0, expiredRows());
    endResetModel();
    if (!m_detail.isEmpty()) // a live round's path is newer than the stored one
        Q_EMIT detailChanged(m_detail);
    else if (m_metrics.keepsDetail() && !latestDetail.isEmpty())
        setDetail(latestDetail);
    return true;
}

void ChartSeriesModel::addRounds(qint64 agentId, const QList<Protocol::Round> &rounds)
{
    if (agentId != m_agentId || !isCharting())
        return;
    for (const Protocol::Round &round : rounds) {
        if (round.testId != m_testId)
            continue;
        if (m_loading) {
            m_pending.append(round);
            continue;
        }
        const Point point = pointOf(round);
        if (point.timeSec > m_historyLast) { // else the history that was just read holds it
            const int row = rowFor(point.timeSec);
            beginInsertRows({}, row, row);
            m_rows.insert(row, point);
            endInsertRows();
            if (const int expired = expiredRows(); expired > 0) {
                beginRemoveRows({}, 0, expired - 1);
                m_rows.remove(0, expired);
                endRemoveRows();
            }
        }
        if (m_metrics.keepsDetail() && !round.detail.isEmpty())
            setDetail(round.detail);
    }
}

ChartSeriesModel::Point ChartSeriesModel::pointOf(const Protocol::Round &round) const
{
    Point point;
    point.timeSec = double(round.timeMs) / 1000;
    if (!m_metrics.phases.isEmpty())
        point.phases.resize(m_metrics.phases.size(), std::numeric_limits<double>::quiet_NaN());
    for (const Protocol::MetricValue &value : round.values) {
        if (const qsizetype phase = m_metrics.phases.indexOf(value.metric); phase >= 0)
            point.phases[phase] = value.value;
        if (isCharted(value.metric, m_metrics.line))
            point.line = value.value;
        else if (isCharted(value.metric, m_metrics.minimum))
            point.minimum = value.value;
        else if (isCharted(value.metric, m_metrics.maximum))
            point.maximum = value.value;
        else if (isCharted(value.metric, m_metrics.loss))
            point.loss = value.value;
        else if (isCharted(value.metric, m_metrics.spread))
            point.spread = value.value;
    }
    return point;
}

// The sample is of the charted metric: the metric itself, or for a metric measured per instance
// (wifi.signal_dbm_avg{if=wlan0}) the one instance the chart follows, the first it saw.
bool ChartSeriesModel::isCharted(const QString &sample, const QString &metric) const
{
    if (metric.isEmpty())
        return false;
    if (sample == metric)
        return true;
    if (!sample.startsWith(metric) || sample.size() <= metric.size() || sample.at(metric.size()) != u'{')
        return false;
    const std::optional<SampleName> parts = parseSampleName(sample);
    if (!parts)
        return false;
    if (m_instance.isEmpty())
        m_instance = parts->instance;
    return parts->instance == m_instance;
}

// Rounds join in time order (they finish, and arrive, out of order now and then).
int ChartSeriesModel::rowFor(double timeSec) const
{
    const auto at = std::upper_bound(
        m_rows.cbegin(), m_rows.cend(), timeSec, [](double time, const Point &row) { return time < row.timeSec; });
    return int(at - m_rows.cbegin());
}

// Rows older than the chart keeps, counted back from the newest.
int ChartSeriesModel::expiredRows() const
{
    if (m_rows.isEmpty())
        return 0;
    const double oldest = m_rows.constLast().timeSec - MAX_AGE_SECONDS;
    const auto keep = std::lower_bound(
        m_rows.cbegin(), m_rows.cend(), oldest, [](const Point &row, double time) { return row.timeSec < time; });
    return int(keep - m_rows.cbegin());
}

void ChartSeriesModel::setDetail(const Protocol::RoundDetail &detail)
{
    if (detail == m_detail)
        return;
    m_detail = detail;
    Q_EMIT detailChanged(m_detail);
}

Series ChartSeriesModel::series(Column column) const
{
    Series result;
    for (const Point &point : m_rows) {
        const double y = value(point, column);
        if (!std::isnan(y)) {
            result.times.append(point.timeSec);
            result.values.append(y);
        }
    }
    return result;
}

QList<Series> ChartSeriesModel::phaseSeries() const
{
    QList<Series> result(m_metrics.phases.size());
    for (const Point &point : m_rows) {
        for (qsizetype phase = 0; phase < point.phases.size() && phase < result.size(); ++phase) {
            if (!std::isnan(point.phases.at(phase))) {
                result[phase].times.append(point.timeSec);
                result[phase].values.append(point.phases.at(phase));
            }
        }
    }
    return result;
}

double ChartSeriesModel::value(const Point &point, int column)
{
    switch (column) {
    case Time:
        return point.timeSec;
    case Line:
        return point.line;
    case Minimum:
        return point.minimum;
    case Maximum:
        return point.maximum;
    case Loss:
        return point.loss;
    case Spread:
        return point.spread;
    default:
        return std::numeric_limits<double>::quiet_NaN();
    }
}

int ChartSeriesModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ChartSeriesModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ChartSeriesModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size() || role != Qt::DisplayRole)
        return {};
    const double y = value(m_rows.at(index.row()), index.column());
    return std::isnan(y) ? QVariant() : QVariant(y);
}

QVariant ChartSeriesModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Time:
        return tr("Time");
    case Line:
        return m_metrics.lineName;
    case Minimum:
        return tr("Lowest");
    case Maximum:
        return tr("Highest");
    case Loss:
        return m_metrics.lossName;
    case Spread:
        return m_metrics.spreadName;
    default:
        return {};
    }
}

} // namespace StreamSwarm::Console
