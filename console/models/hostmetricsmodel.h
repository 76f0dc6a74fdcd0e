// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <optional>

#include <QAbstractTableModel>
#include <QHash>
#include <QList>

#include "console/domain/hoststate.h"
#include "console/storage/records.h"
#include "shared/metrics/catalog.h"
#include "shared/protocol/messages.h"

namespace StreamSwarm::Console {

// One agent's host figures (the tests of its own host: system, wireless, hardware), one row per
// sample name: its family, what it is, the instance, the newest value with its unit, and the recent
// values for a sparkline. Fed by the stored history, then by the rounds as they arrive. No widgets;
// GUI thread.
class HostMetricsModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HostMetricsModel)
public:
    enum Column { Family, Measure, Instance, Value, Trend, ColumnCount };
    // Trend's data: the recent values, oldest first (QList<double>).
    static constexpr int TrendRole = Qt::UserRole + 1;
    // Value's state (HostState as int); the view colours it.
    static constexpr int StateRole = Qt::UserRole + 2;
    static constexpr int MAX_TREND_POINTS = 120;

    explicit HostMetricsModel(QObject *parent = nullptr);

    // Starts over for this agent.
    void setAgent(qint64 agentId, const QString &agentName);
    qint64 agentId() const { return m_agentId; }
    QString agentName() const { return m_agentName; }
    // Stored samples of the agent (any order; others are skipped).
    void addHistory(const QList<SampleRow> &rows);
    // Rounds one agent just delivered; only this model's agent counts.
    void addRounds(qint64 agentId, const QList<Protocol::Round> &rounds);

    // Whether a sample name is one of a host family's (what the view shows).
    static bool isHostMetric(QStringView sampleName);
    // "12.5 MB/s", "45.2 %", "up": a value in its unit, for people.
    static QString formatValue(const MetricInfo &info, double value);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Row
    {
        QString sampleName;
        const MetricInfo *info = nullptr;
        QString family; // "System", "Network", "Wireless", "Hardware"
        int familyOrder = 0;
        QString instance;
        qsizetype catalogIndex = 0;
        QList<double> values; // the newest last
        qint64 newestMs = 0;
    };

    static std::optional<Row> makeRow(const QString &sampleName);
    int insertionPoint(const Row &row) const;
    void addSample(const QString &sampleName, qint64 timeMs, double value, bool live);

    qint64 m_agentId = 0;
    QString m_agentName;
    QList<Row> m_rows; // sorted by family, then catalog order and instance
    QHash<QString, int> m_rowOf; // sample name -> row
};

} // namespace StreamSwarm::Console
