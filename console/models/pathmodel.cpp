// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "pathmodel.h"

#include <QLocale>

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

namespace {

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

void PathModel::setDetail(const Protocol::RoundDetail &detail)
{
    beginResetModel();
    m_rows.clear();
    m_summary.clear();
    const auto *path = detail.get<Protocol::TracerouteDetail>();
    if (!path) {
        endResetModel();
        return;
    }
    for (const Protocol::TracerouteHop &hop : path->hops) {
        Row row;
        row.ttl = hop.ttl;
        row.address = hop.address;
        row.name = hop.name;
        row.sent = hop.sent;
        row.received = hop.received;
        row.lossPct = hop.lossPct;
        row.hasRtt = hop.hasRtt;
        row.last = hop.lastMs;
        row.avg = hop.avgMs;
        row.best = hop.bestMs;
        row.worst = hop.worstMs;
        row.stddev = hop.stddevMs;
        for (const Protocol::HopAddress &member : hop.addresses)
            row.members.append({member.address, member.name, member.received});
        row.lossStartsHere = path->lossHop && path->lossHop->ttl == row.ttl;
        row.lossStepPct = path->lossHop ? path->lossHop->step : 0;
        row.latencyStartsHere = path->latencyHop && path->latencyHop->ttl == row.ttl;
        row.latencyStepMs = path->latencyHop ? path->latencyHop->step : 0;
        row.rateLimited = path->rateLimited.contains(row.ttl);
        m_rows.append(row);
    }
    m_summary = describeSummary(*path);
    endResetModel();
}

QString PathModel::describeSummary(const Protocol::TracerouteDetail &path) const
{
    const QString &target = path.target;
    QStringList parts;
    if (path.reached)
        parts.append(m_rows.size() == 1 ? tr("Reached %1 in 1 hop.").arg(target)
                                        : tr("Reached %1 in %2 hops.").arg(target).arg(m_rows.size()));
    else
        parts.append(tr("%1 did not answer; the path is shown as far as it goes.").arg(target));
    if (path.lossHop)
        parts.append(tr("Loss starts at hop %1 (%2).").arg(path.lossHop->ttl).arg(path.lossHop->address));
    if (path.latencyHop) {
        parts.append(tr("Latency rises by %1 ms at hop %2 (%3).")
                         .arg(formatMs(path.latencyHop->step))
                         .arg(path.latencyHop->ttl)
                         .arg(path.latencyHop->address));
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
    if (row.address.isEmpty())
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
