// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QAbstractTableModel>
#include <QList>
#include <QStringList>

#include "console/storage/records.h"
#include "shared/protocol/messages.h"

namespace StreamSwarm::Console {

// One agent's rounds of one test as a table: the time, a column per metric the rounds carry (in the
// catalog's order) and why a round failed. Sorts on the values themselves (SortRole), shows them in
// the user's locale, and writes chosen rows as tab-separated text, CSV or JSON. Stored rounds come
// first; live ones are added as they arrive. No widgets; GUI thread.
class ResultsModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ResultsModel)
public:
    static constexpr int SortRole = Qt::UserRole + 1; // the time in ms, a value as a double
    static constexpr int MAX_ROWS = 100000; // the oldest go when live rounds pass it

    explicit ResultsModel(QObject *parent = nullptr);

    void setRounds(const QString &agent, const QString &test, QList<ResultRound> rounds);
    void clear();
    void addRound(const Protocol::Round &round);
    const QString &agent() const { return m_agent; }
    const QString &test() const { return m_test; }
    const ResultRound &round(int row) const { return m_rounds.at(row); }

    // The rows given (all when empty), in that order, with the visible columns' header.
    QString toText(const QList<int> &rows) const; // tab-separated, as shown: for pasting
    QByteArray toCsv(const QList<int> &rows) const; // RFC 4180, metric names and plain numbers
    QByteArray toJson(const QList<int> &rows) const; // an array of {time, time_ms, agent, test, values, error}

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QStringList metricsOf(const QList<ResultRound> &rounds) const;
    void addMetrics(const QStringList &metrics);
    QString headerText(int column) const;
    QString displayText(const ResultRound &round, int column) const;
    int errorColumn() const { return int(m_metrics.size()) + 1; }
    QList<int> allRowsIfNone(const QList<int> &rows) const;

    QString m_agent;
    QString m_test;
    QStringList m_metrics; // one column each, after the time
    QList<ResultRound> m_rounds; // oldest first
};

} // namespace StreamSwarm::Console
