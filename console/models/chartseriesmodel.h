// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <limits>

#include <QAbstractTableModel>
#include <QList>

#include "console/models/chartmetrics.h"
#include "console/storage/records.h"
#include "shared/protocol/messages.h"

namespace StreamSwarm::Console {

// What the live chart of one agent's test draws: the history read from the database, then the rounds
// that arrive live, merged into one table in time order (one row a round). Live rounds that arrive
// while the history loads wait for it; those the history already holds are not added twice; a history
// that arrives after the user moved on to another chart is dropped. Also keeps the newest path of a
// test that traces one. No widgets; GUI thread.
class ChartSeriesModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ChartSeriesModel)
public:
    // Time in seconds since the epoch (the chart's time axis); the others in the metric's unit, empty
    // where the round has no such value (no replies, no RTT).
    enum Column { Time, Line, Minimum, Maximum, Loss, Spread, ColumnCount };
    static constexpr double MAX_AGE_SECONDS = 366 * 24 * 3600; // as far back as the chart keeps points

    struct Point
    {
        double timeSec = 0;
        double line = std::numeric_limits<double>::quiet_NaN();
        double minimum = std::numeric_limits<double>::quiet_NaN();
        double maximum = std::numeric_limits<double>::quiet_NaN();
        double loss = std::numeric_limits<double>::quiet_NaN();
        double spread = std::numeric_limits<double>::quiet_NaN();
        QList<double> phases; // cumulative, one per ChartMetrics::phases; NaN where the round has none
    };

    explicit ChartSeriesModel(QObject *parent = nullptr);

    // Starts over for this agent's test, loading; returns the generation its history must carry.
    quint64 start(qint64 agentId, qint64 testId, const ChartMetrics &metrics);
    void clear(); // charts nothing; a history still on its way is dropped
    bool isCharting() const { return m_agentId != 0; }
    bool isLoading() const { return m_loading; }
    quint64 generation() const { return m_generation; }
    qint64 agentId() const { return m_agentId; }
    qint64 testId() const { return m_testId; }
    const ChartMetrics &metrics() const { return m_metrics; }
    // The metrics to load, in the order setHistory() takes their series (line, minimum, maximum, loss,
    // spread, then the phases).
    QStringList historyMetrics() const;
    // How each of them is reduced when the history comes in buckets: the band's edges keep their
    // extremes, the rest their mean.
    static QList<SeriesAggregate> historyAggregates();
    // The stored history and the newest stored detail for generation; false, and nothing changes, when
    // the chart has moved on since.
    // instance: for metrics measured per instance, the one the history holds (the chart follows it).
    bool setHistory(quint64 generation, const QList<Series> &series, const Protocol::RoundDetail &latestDetail,
        const QString &instance = {});
    QString instance() const { return m_instance; } // empty until a per-instance sample was charted
    // Rounds one agent just delivered; only this chart's agent and test count.
    void addRounds(qint64 agentId, const QList<Protocol::Round> &rounds);

    Point point(int row) const { return m_rows.at(row); }
    Point latest() const { return m_rows.isEmpty() ? Point{} : m_rows.constLast(); } // timeSec 0: none
    Series series(Column column) const; // the rows that have a value in column
    QList<Series> phaseSeries() const; // one per phase: the rows that have it
    // The newest round's detail, for charts that show it (ChartMetrics::keepsDetail()).
    const Protocol::RoundDetail &latestDetail() const { return m_detail; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    // A new newest detail (empty when the chart starts over or has none).
    void detailChanged(const Protocol::RoundDetail &detail);

private:
    static double value(const Point &point, int column);
    Point pointOf(const Protocol::Round &round) const;
    bool isCharted(const QString &sample, const QString &metric) const;
    int rowFor(double timeSec) const;
    int expiredRows() const;
    void setDetail(const Protocol::RoundDetail &detail);

    qint64 m_agentId = 0;
    qint64 m_testId = 0;
    ChartMetrics m_metrics;
    quint64 m_generation = 0;
    bool m_loading = false;
    double m_historyLast = 0; // the history's newest round: live rounds up to it are in it already
    QList<Point> m_rows;
    QList<Protocol::Round> m_pending; // arrived while the history loaded
    Protocol::RoundDetail m_detail;
    mutable QString m_instance; // of a per-instance metric, the one charted (set by the first seen)
};

} // namespace StreamSwarm::Console
