// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "resultsmodel.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QSet>

#include "shared/metrics/catalog.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

namespace {

// Where the catalog lists a sample's metric; unknown ones after all known, by name.
int catalogRank(const QString &sample)
{
    const MetricInfo *info = MetricCatalog::findSample(sample);
    const QList<MetricInfo> &all = MetricCatalog::all();
    for (qsizetype i = 0; info && i < all.size(); ++i) {
        if (all.at(i).name == info->name)
            return int(i);
    }
    return int(all.size());
}

QString isoTime(qint64 timeMs)
{
    return QDateTime::fromMSecsSinceEpoch(timeMs).toOffsetFromUtc(0).toString(Qt::ISODateWithMs);
}

QString csvField(const QString &text)
{
    if (!text.contains(u',') && !text.contains(u'"') && !text.contains(u'\n') && !text.contains(u'\r'))
        return text;
    QString quoted = text;
    quoted.replace(u"\""_s, u"\"\""_s);
    return u'"' + quoted + u'"';
}

// Plain text for machines: no grouping, a point, as many digits as the value needs.
QString plainNumber(double value)
{
    return QString::number(value, 'g', 15);
}

} // namespace

ResultsModel::ResultsModel(QObject *parent)
    : QAbstractTableModel(parent)
{ }

void ResultsModel::setRounds(const QString &agent, const QString &test, QList<ResultRound> rounds)
{
    beginResetModel();
    m_agent = agent;
    m_test = test;
    if (rounds.size() > MAX_ROWS)
        rounds.remove(0, rounds.size() - MAX_ROWS);
    m_rounds = std::move(rounds);
    m_metrics = metricsOf(m_rounds);
    endResetModel();
}

void ResultsModel::clear()
{
    setRounds({}, {}, {});
}

void ResultsModel::addRound(const Protocol::Round &live)
{
    ResultRound round;
    round.timeMs = live.timeMs;
    round.error = live.error;
    for (const Protocol::MetricValue &value : live.values)
        round.values.insert(value.metric, value.value);
    addMetrics(metricsOf({round}));

    if (m_rounds.size() >= MAX_ROWS) {
        beginRemoveRows({}, 0, 0);
        m_rounds.removeFirst();
        endRemoveRows();
    }
    // Rounds mostly arrive in time order; one from a spool may be older.
    const auto at = std::upper_bound(m_rounds.cbegin(), m_rounds.cend(), round.timeMs,
        [](qint64 timeMs, const ResultRound &other) { return timeMs < other.timeMs; });
    const int row = int(at - m_rounds.cbegin());
    beginInsertRows({}, row, row);
    m_rounds.insert(row, std::move(round));
    endInsertRows();
}

QStringList ResultsModel::metricsOf(const QList<ResultRound> &rounds) const
{
    QSet<QString> seen;
    for (const ResultRound &round : rounds) {
        for (auto it = round.values.cbegin(); it != round.values.cend(); ++it)
            seen.insert(it.key());
    }
    QStringList metrics(seen.cbegin(), seen.cend());
    std::sort(metrics.begin(), metrics.end(), [](const QString &a, const QString &b) {
        const int rankA = catalogRank(a);
        const int rankB = catalogRank(b);
        return rankA != rankB ? rankA < rankB : a < b;
    });
    return metrics;
}

void ResultsModel::addMetrics(const QStringList &metrics)
{
    for (const QString &metric : metrics) {
        if (m_metrics.contains(metric))
            continue;
        // After the known columns: columns do not jump about under the user's eyes.
        const int column = int(m_metrics.size()) + 1;
        beginInsertColumns({}, column, column);
        m_metrics.append(metric);
        endInsertColumns();
    }
}

int ResultsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rounds.size());
}

int ResultsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_metrics.size()) + 2;
}

QString ResultsModel::displayText(const ResultRound &round, int column) const
{
    if (column == 0)
        return QLocale().toString(QDateTime::fromMSecsSinceEpoch(round.timeMs), u"yyyy-MM-dd HH:mm:ss.zzz"_s);
    if (column == errorColumn())
        return round.error;
    const auto it = round.values.constFind(m_metrics.at(column - 1));
    if (it == round.values.cend() || !std::isfinite(*it))
        return {};
    const double value = *it;
    const int decimals = value == std::floor(value) ? 0 : (std::abs(value) >= 100 ? 1 : 3);
    return QLocale().toString(value, 'f', decimals);
}

QVariant ResultsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const ResultRound &round = m_rounds.at(index.row());
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole:
        return displayText(round, column);
    case Qt::ToolTipRole:
        return column == errorColumn() ? round.error : QVariant();
    case Qt::TextAlignmentRole:
        return column > 0 && column < errorColumn() ? QVariant(Qt::AlignRight | Qt::AlignVCenter) : QVariant();
    case SortRole:
        if (column == 0)
            return round.timeMs;
        if (column == errorColumn())
            return round.error;
        return round.values.value(m_metrics.at(column - 1), std::nan(""));
    default:
        return {};
    }
}

QString ResultsModel::headerText(int column) const
{
    if (column == 0)
        return tr("Time");
    if (column == errorColumn())
        return tr("Failure");
    const QString &metric = m_metrics.at(column - 1);
    const MetricInfo *info = MetricCatalog::findSample(metric);
    return info && !info->unit.isEmpty() && info->unit != u"count"_s ? u"%1 (%2)"_s.arg(metric, info->unit) : metric;
}

QVariant ResultsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= columnCount())
        return {};
    if (role == Qt::DisplayRole)
        return headerText(section);
    if (role == Qt::ToolTipRole && section > 0 && section < errorColumn()) {
        const MetricInfo *info = MetricCatalog::findSample(m_metrics.at(section - 1));
        return info ? MetricCatalog::describe(*info) : QVariant();
    }
    return {};
}

QList<int> ResultsModel::allRowsIfNone(const QList<int> &rows) const
{
    if (!rows.isEmpty())
        return rows;
    QList<int> all(m_rounds.size());
    std::iota(all.begin(), all.end(), 0);
    return all;
}

QString ResultsModel::toText(const QList<int> &rows) const
{
    QStringList lines;
    QStringList header;
    for (int column = 0; column < columnCount(); ++column)
        header.append(headerText(column));
    lines.append(header.join(u'\t'));
    for (int row : allRowsIfNone(rows)) {
        QStringList cells;
        for (int column = 0; column < columnCount(); ++column)
            cells.append(displayText(m_rounds.at(row), column).replace(u'\t', u' ').replace(u'\n', u' '));
        lines.append(cells.join(u'\t'));
    }
    return lines.join(u'\n') + u'\n';
}

QByteArray ResultsModel::toCsv(const QList<int> &rows) const
{
    QStringList header{u"time"_s, u"time_ms"_s, u"agent"_s, u"test"_s};
    for (const QString &metric : m_metrics)
        header.append(csvField(metric));
    header.append(u"error"_s);
    QString text = header.join(u',') + u"\r\n"_s;
    for (int row : allRowsIfNone(rows)) {
        const ResultRound &round = m_rounds.at(row);
        QStringList cells{isoTime(round.timeMs), QString::number(round.timeMs), csvField(m_agent), csvField(m_test)};
        for (const QString &metric : m_metrics) {
            const auto it = round.values.constFind(metric);
            cells.append(it != round.values.cend() && std::isfinite(*it) ? plainNumber(*it) : QString());
        }
        cells.append(csvField(round.error));
        text += cells.join(u',') + u"\r\n"_s;
    }
    return text.toUtf8();
}

QByteArray ResultsModel::toJson(const QList<int> &rows) const
{
    QJsonArray array;
    for (int row : allRowsIfNone(rows)) {
        const ResultRound &round = m_rounds.at(row);
        QJsonObject values;
        for (auto it = round.values.cbegin(); it != round.values.cend(); ++it) {
            if (std::isfinite(it.value()))
                values.insert(it.key(), it.value());
        }
        QJsonObject object{{u"time"_s, isoTime(round.timeMs)}, {u"time_ms"_s, round.timeMs}, {u"agent"_s, m_agent},
            {u"test"_s, m_test}, {u"values"_s, values}};
        if (!round.error.isEmpty())
            object.insert(u"error"_s, round.error);
        array.append(object);
    }
    return QJsonDocument(array).toJson(QJsonDocument::Indented);
}

} // namespace StreamSwarm::Console
