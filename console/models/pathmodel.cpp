// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "pathmodel.h"

#include <QCborArray>
#include <QLocale>

#include "shared/testtypes/traceroute.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

namespace {

// Details come from the agent as CBOR or back from the database as JSON, where a count may have
// become a double: read both.
qint64 whole(const QCborValue &value)
{
    return value.isInteger() ? value.toInteger() : qint64(value.toDouble());
}

QString formatMs(double ms)
{
    return QLocale().toString(ms, 'f', ms < 10 ? 2 : 1);
}

} // namespace

PathModel::PathModel(QObject *parent)
    : QAbstractTableModel(parent)
{ }

void PathModel::clear()
{
    beginResetModel();
    m_rows.clear();
    m_summary.clear();
    endResetModel();
}

void PathModel::setDetail(const QCborMap &detail)
{
    beginResetModel();
    m_rows.clear();
    m_summary.clear();
    if (detail.value(u"kind"_s).toString() != TestTypes::tracerouteType().detailKind) {
        endResetModel();
        return;
    }
    const QCborMap lossHop = detail.value(u"loss_hop"_s).toMap();
    const QCborMap latencyHop = detail.value(u"latency_hop"_s).toMap();
    QList<qint64> limited;
    for (const QCborValue &ttl : detail.value(u"rate_limited"_s).toArray())
        limited.append(whole(ttl));
    for (const QCborValue &value : detail.value(u"hops"_s).toArray()) {
        const QCborMap hop = value.toMap();
        Row row;
        row.ttl = int(whole(hop.value(u"ttl"_s)));
        row.address = hop.value(u"address"_s).toString();
        row.name = hop.value(u"name"_s).toString();
        row.sent = whole(hop.value(u"sent"_s));
        row.received = whole(hop.value(u"received"_s));
        row.lossPct = hop.value(u"loss_pct"_s).toDouble();
        row.hasRtt = hop.contains(u"avg"_s);
        row.last = hop.value(u"last"_s).toDouble();
        row.avg = hop.value(u"avg"_s).toDouble();
        row.best = hop.value(u"best"_s).toDouble();
        row.worst = hop.value(u"worst"_s).toDouble();
        row.stddev = hop.value(u"stddev"_s).toDouble();
        for (const QCborValue &member : hop.value(u"addresses"_s).toArray()) {
            const QCborMap m = member.toMap();
            row.members.append(
                {m.value(u"address"_s).toString(), m.value(u"name"_s).toString(), whole(m.value(u"received"_s))});
        }
        row.lossStartsHere = whole(lossHop.value(u"ttl"_s)) == row.ttl;
        row.lossStepPct = lossHop.value(u"step_pct"_s).toDouble();
        row.latencyStartsHere = whole(latencyHop.value(u"ttl"_s)) == row.ttl;
        row.latencyStepMs = latencyHop.value(u"step_ms"_s).toDouble();
        row.rateLimited = limited.contains(row.ttl);
        m_rows.append(row);
    }
    m_summary = describeSummary(detail);
    endResetModel();
}

QString PathModel::describeSummary(const QCborMap &detail) const
{
    const QString target = detail.value(u"target"_s).toString();
    QStringList parts;
    if (detail.value(u"reached"_s).toBool())
        parts.append(m_rows.size() == 1 ? tr("Reached %1 in 1 hop.").arg(target)
                                        : tr("Reached %1 in %2 hops.").arg(target).arg(m_rows.size()));
    else
        parts.append(tr("%1 did not answer; the path is shown as far as it goes.").arg(target));
    const QCborMap lossHop = detail.value(u"loss_hop"_s).toMap();
    if (!lossHop.isEmpty()) {
        parts.append(tr("Loss starts at hop %1 (%2).")
                         .arg(whole(lossHop.value(u"ttl"_s)))
                         .arg(lossHop.value(u"address"_s).toString()));
    }
    const QCborMap latencyHop = detail.value(u"latency_hop"_s).toMap();
    if (!latencyHop.isEmpty()) {
        parts.append(tr("Latency rises by %1 ms at hop %2 (%3).")
                         .arg(formatMs(latencyHop.value(u"step_ms"_s).toDouble()))
                         .arg(whole(latencyHop.value(u"ttl"_s)))
                         .arg(latencyHop.value(u"address"_s).toString()));
    }
    return parts.join(u' ');
}

int PathModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int PathModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString PathModel::hostText(const Row &row) const
{
    if (row.address == u"*"_s || row.address.isEmpty())
        return tr("no answer");
    QString text = row.name.isEmpty() ? row.address : u"%1 (%2)"_s.arg(row.name, row.address);
    if (row.members.size() > 1)
        text += u"  "_s + tr("+%1 more").arg(row.members.size() - 1);
    return text;
}

QString PathModel::hostToolTip(const Row &row) const
{
    if (row.members.size() <= 1)
        return {};
    QStringList lines{tr("This hop answered from %1 addresses (load balancing):").arg(row.members.size())};
    for (const Member &member : row.members) {
        const QString host = member.name.isEmpty() ? member.address : u"%1 (%2)"_s.arg(member.name, member.address);
        lines.append(
            member.received == 1 ? tr("%1: 1 answer").arg(host) : tr("%1: %2 answers").arg(host).arg(member.received));
    }
    return lines.join(u'\n');
}

QVariant PathModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const Row &row = m_rows.at(index.row());
    const int column = index.column();
    if (role == Qt::DisplayRole) {
        switch (column) {
        case Hop:
            return row.ttl;
        case Host:
            return hostText(row);
        case Loss:
            return QLocale().toString(row.lossPct, 'f', 1);
        case Sent:
            return row.sent;
        case Last:
            return row.hasRtt ? formatMs(row.last) : QString();
        case Avg:
            return row.hasRtt ? formatMs(row.avg) : QString();
        case Best:
            return row.hasRtt ? formatMs(row.best) : QString();
        case Worst:
            return row.hasRtt ? formatMs(row.worst) : QString();
        case StdDev:
            return row.hasRtt ? formatMs(row.stddev) : QString();
        default:
            return {};
        }
    }
    if (role == Qt::TextAlignmentRole)
        return column == Host ? QVariant(Qt::AlignLeft | Qt::AlignVCenter)
                              : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role == MarkRole) {
        if (column == Loss && row.rateLimited)
            return QVariant::fromValue(Mark::Muted);
        if ((column == Loss && row.lossStartsHere) || (column == Avg && row.latencyStartsHere))
            return QVariant::fromValue(Mark::Alarm);
        return QVariant::fromValue(Mark::None);
    }
    if (role == Qt::ToolTipRole) {
        if (column == Host)
            return hostToolTip(row);
        if (column == Loss && row.rateLimited)
            return tr("This router answers only some of our probes itself (it limits its ICMP replies); the hops "
                      "after it show whether packets really get lost.");
        if (column == Loss && row.lossStartsHere)
            return tr("Loss starts here: %1 points more than the hop before.").arg(formatMs(row.lossStepPct));
        if (column == Avg && row.latencyStartsHere)
            return tr("Latency rises here: %1 ms more than the hop before.").arg(formatMs(row.latencyStepMs));
    }
    return {};
}

QVariant PathModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::TextAlignmentRole)
        return section == Host ? QVariant(Qt::AlignLeft | Qt::AlignVCenter)
                               : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Hop:
        return tr("Hop");
    case Host:
        return tr("Host");
    case Loss:
        return tr("Loss %");
    case Sent:
        return tr("Sent");
    case Last:
        return tr("Last ms");
    case Avg:
        return tr("Avg ms");
    case Best:
        return tr("Best ms");
    case Worst:
        return tr("Worst ms");
    case StdDev:
        return tr("StDev ms");
    default:
        return {};
    }
}

} // namespace StreamSwarm::Console
