// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "hostmetricsmodel.h"

#include <algorithm>
#include <cmath>

#include <QLocale>

#include "shared/testtypes/testtype.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

namespace {

struct FamilyOf
{
    const char16_t *prefix; // the metric's first part: "cpu" for "cpu.busy_pct"
    const char *family;
    int order;
};

// The host view's groups, in the order it shows them.
constexpr FamilyOf FAMILIES[] = {
    {u"cpu", QT_TRANSLATE_NOOP("StreamSwarm::Console::HostMetricsModel", "System"), 0},
    {u"mem", QT_TRANSLATE_NOOP("StreamSwarm::Console::HostMetricsModel", "System"), 0},
    {u"swap", QT_TRANSLATE_NOOP("StreamSwarm::Console::HostMetricsModel", "System"), 0},
    {u"proc", QT_TRANSLATE_NOOP("StreamSwarm::Console::HostMetricsModel", "System"), 0},
    {u"host", QT_TRANSLATE_NOOP("StreamSwarm::Console::HostMetricsModel", "System"), 0},
    {u"fs", QT_TRANSLATE_NOOP("StreamSwarm::Console::HostMetricsModel", "System"), 0},
    {u"disk", QT_TRANSLATE_NOOP("StreamSwarm::Console::HostMetricsModel", "System"), 0},
    {u"if", QT_TRANSLATE_NOOP("StreamSwarm::Console::HostMetricsModel", "Network"), 1},
    {u"net", QT_TRANSLATE_NOOP("StreamSwarm::Console::HostMetricsModel", "Network"), 1},
    {u"wifi", QT_TRANSLATE_NOOP("StreamSwarm::Console::HostMetricsModel", "Wireless"), 2},
    {u"hw", QT_TRANSLATE_NOOP("StreamSwarm::Console::HostMetricsModel", "Hardware"), 3},
    {u"smart", QT_TRANSLATE_NOOP("StreamSwarm::Console::HostMetricsModel", "Hardware"), 3},
};

const FamilyOf *familyOf(QStringView base)
{
    const QStringView prefix = base.left(base.indexOf(u'.'));
    for (const FamilyOf &family : FAMILIES) {
        if (prefix == QStringView(family.prefix))
            return &family;
    }
    return nullptr;
}

QString scaled(double value, const QStringList &units, double step)
{
    int unit = 0;
    while (std::abs(value) >= step && unit + 1 < units.size()) {
        value /= step;
        ++unit;
    }
    const int decimals = unit == 0 || std::abs(value) >= 100 ? 0 : std::abs(value) >= 10 ? 1 : 2;
    return QLocale().toString(value, 'f', decimals) + u' ' + units.at(unit);
}

QString duration(double seconds)
{
    const qint64 s = qint64(seconds);
    if (s >= 86400)
        return HostMetricsModel::tr("%1 d %2 h").arg(s / 86400).arg(s % 86400 / 3600);
    if (s >= 3600)
        return HostMetricsModel::tr("%1 h %2 min").arg(s / 3600).arg(s % 3600 / 60);
    return HostMetricsModel::tr("%1 min %2 s").arg(s / 60).arg(s % 60);
}

} // namespace

HostMetricsModel::HostMetricsModel(QObject *parent)
    : QAbstractTableModel(parent)
{ }

bool HostMetricsModel::isHostMetric(QStringView sampleName)
{
    const MetricInfo *info = MetricCatalog::findSample(sampleName);
    return info && familyOf(info->name);
}

QString HostMetricsModel::formatValue(const MetricInfo &info, double value)
{
    const QString &unit = info.unit;
    if (unit == u"B")
        return scaled(value, {tr("B"), tr("KiB"), tr("MiB"), tr("GiB"), tr("TiB")}, 1024);
    if (unit == u"B/s")
        return scaled(value, {tr("B/s"), tr("kB/s"), tr("MB/s"), tr("GB/s")}, 1000);
    if (unit == u"%")
        return QLocale().toString(value, 'f', 1) + u" %"_s;
    if (unit == u"s")
        return duration(value);
    if (unit == u"state")
        return value >= 0.5 ? tr("up") : tr("down");
    if (unit == u"Mbit/s")
        return value >= 1000 ? QLocale().toString(value / 1000, 'f', value >= 10000 ? 0 : 1) + u" Gbit/s"_s
                             : QLocale().toString(value, 'f', 0) + u" Mbit/s"_s;
    const int decimals = value == std::floor(value) ? 0 : std::abs(value) >= 100 ? 0 : 2;
    const QString number = QLocale().toString(value, 'f', decimals);
    if (unit == u"count" || unit == u"code")
        return number;
    if (unit == u"1/s")
        return number + tr(" /s");
    return number + u' ' + unit;
}

void HostMetricsModel::setAgent(qint64 agentId, const QString &agentName)
{
    beginResetModel();
    m_agentId = agentId;
    m_agentName = agentName;
    m_rows.clear();
    m_rowOf.clear();
    endResetModel();
}

void HostMetricsModel::addHistory(const QList<SampleRow> &rows)
{
    // The history comes sorted by time from the database; new rows are made as the names first appear.
    beginResetModel();
    for (const SampleRow &row : rows)
        addSample(row.metric, row.timeMs, row.value, false);
    endResetModel();
}

void HostMetricsModel::addRounds(qint64 agentId, const QList<Protocol::Round> &rounds)
{
    if (agentId != m_agentId)
        return;
    for (const Protocol::Round &round : rounds) {
        for (const Protocol::MetricValue &value : round.values)
            addSample(value.metric, round.timeMs, value.value, true);
    }
}

std::optional<HostMetricsModel::Row> HostMetricsModel::makeRow(const QString &sampleName)
{
    const MetricInfo *info = MetricCatalog::findSample(sampleName);
    const FamilyOf *family = info ? familyOf(info->name) : nullptr;
    if (!family)
        return std::nullopt;
    Row row;
    row.sampleName = sampleName;
    row.info = info;
    row.family = tr(family->family);
    row.familyOrder = family->order;
    row.catalogIndex = info - MetricCatalog::all().constData();
    if (const auto parts = parseSampleName(sampleName))
        row.instance = parts->instance;
    return row;
}

int HostMetricsModel::insertionPoint(const Row &row) const
{
    // By family, then catalog order (which keeps a metric's figures together), then instance.
    const auto before = [&](const Row &a) {
        if (a.familyOrder != row.familyOrder)
            return a.familyOrder < row.familyOrder;
        if (a.catalogIndex != row.catalogIndex)
            return a.catalogIndex < row.catalogIndex;
        return a.instance < row.instance;
    };
    return int(std::partition_point(m_rows.cbegin(), m_rows.cend(), before) - m_rows.cbegin());
}

void HostMetricsModel::addSample(const QString &sampleName, qint64 timeMs, double value, bool live)
{
    int at = m_rowOf.value(sampleName, -1);
    if (at < 0) {
        const std::optional<Row> row = makeRow(sampleName);
        if (!row)
            return;
        at = insertionPoint(*row);
        if (live)
            beginInsertRows({}, at, at);
        m_rows.insert(at, *row);
        m_rowOf.clear();
        for (int i = 0; i < m_rows.size(); ++i)
            m_rowOf.insert(m_rows.at(i).sampleName, i);
        if (live)
            endInsertRows();
    }
    Row &row = m_rows[at];
    if (timeMs < row.newestMs)
        return; // older than what is shown: a late batch of a reconnecting agent
    row.newestMs = timeMs;
    row.values.append(value);
    if (row.values.size() > MAX_TREND_POINTS)
        row.values.remove(0, row.values.size() - MAX_TREND_POINTS);
    if (live)
        Q_EMIT dataChanged(index(at, Value), index(at, Trend));
}

int HostMetricsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int HostMetricsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant HostMetricsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const Row &row = m_rows.at(index.row());
    const double newest = row.values.isEmpty() ? 0 : row.values.constLast();
    const HostState state = row.values.isEmpty() ? HostState::Normal : hostState(row.info->name, newest);
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Family:
            return row.family;
        case Measure:
            return row.info->name;
        case Instance:
            return row.instance;
        case Value:
            return row.values.isEmpty() ? QString() : formatValue(*row.info, newest);
        default:
            return {};
        }
    case Qt::ToolTipRole:
        return MetricCatalog::describe(*row.info);
    case Qt::TextAlignmentRole:
        if (index.column() == Value)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case TrendRole:
        return QVariant::fromValue(row.values);
    case StateRole:
        return int(state);
    default:
        return {};
    }
}

QVariant HostMetricsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Family:
        return tr("Family");
    case Measure:
        return tr("Metric");
    case Instance:
        return tr("Of");
    case Value:
        return tr("Now");
    case Trend:
        return tr("Recent");
    default:
        return {};
    }
}

} // namespace StreamSwarm::Console
