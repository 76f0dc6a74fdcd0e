// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "alerthistorymodel.h"

#include <algorithm>

#include <QDateTime>
#include <QFont>
#include <QLocale>

#include "console/reports/reportwording.h"
#include "console/ui/alertmodel.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

AlertHistoryModel::AlertHistoryModel(QObject *parent)
    : QAbstractTableModel(parent)
{ }

void AlertHistoryModel::setIncidents(const QList<AlertIncident> &incidents, qint64 nowMs)
{
    beginResetModel();
    m_incidents = incidents;
    m_nowMs = nowMs;
    endResetModel();
}

const AlertIncident *AlertHistoryModel::incidentById(qint64 id) const
{
    const auto found = std::find_if(
        m_incidents.cbegin(), m_incidents.cend(), [id](const AlertIncident &incident) { return incident.id == id; });
    return found == m_incidents.cend() ? nullptr : &*found;
}

int AlertHistoryModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_incidents.size());
}

int AlertHistoryModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString AlertHistoryModel::text(const AlertIncident &incident, int column) const
{
    switch (column) {
    case Started:
        return AlertModel::timeText(incident.startedAtMs);
    case Lasted: {
        const qint64 end = incident.clearedAtMs ? incident.clearedAtMs : m_nowMs;
        const QString lasted = ReportWording::duration(std::max<qint64>(0, end - incident.startedAtMs));
        return incident.clearedAtMs ? lasted : tr("%1, still firing").arg(lasted);
    }
    case Agents:
        return incident.agents.join(u", "_s);
    case Acknowledged:
        if (!incident.ackedAtMs)
            return incident.clearedAtMs ? tr("no") : tr("not yet");
        return tr("by %1 after %2")
            .arg(incident.ackedBy, ReportWording::duration(incident.ackedAtMs - incident.startedAtMs));
    case Note: {
        QStringList notes;
        if (!incident.silencedBy.isEmpty())
            notes.append(tr("silenced by the maintenance window \"%1\"").arg(incident.silencedBy));
        if (!incident.heldByName.isEmpty())
            notes.append(tr("held while \"%1\" fired").arg(incident.heldByName));
        if (!incident.ackComment.isEmpty())
            notes.append(incident.ackComment);
        return notes.join(u"; "_s);
    }
    default:
        return QString();
    }
}

QVariant AlertHistoryModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const AlertIncident &incident = m_incidents.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return text(incident, index.column());
    case Qt::ToolTipRole:
        if (index.column() == Started)
            return QLocale().toString(QDateTime::fromMSecsSinceEpoch(incident.startedAtMs), QLocale::LongFormat);
        if (index.column() == Lasted && incident.clearedAtMs)
            return tr("Cleared %1").arg(AlertModel::timeText(incident.clearedAtMs));
        if (index.column() == Agents)
            return tr("When it fired: %1 (value %2)").arg(incident.condition).arg(incident.value);
        return text(incident, index.column()).isEmpty() ? QVariant() : QVariant(text(incident, index.column()));
    case Qt::ForegroundRole:
        if (index.column() == Lasted && !incident.clearedAtMs)
            return AlertModel::stateColor(incident.ackedAtMs ? AlertState::Acknowledged : AlertState::Firing);
        return {};
    case Qt::FontRole:
        if (index.column() == Lasted && !incident.clearedAtMs && !incident.ackedAtMs) {
            QFont bold;
            bold.setBold(true);
            return bold;
        }
        return {};
    case IncidentIdRole:
        return incident.id;
    default:
        return {};
    }
}

QVariant AlertHistoryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Started:
        return tr("Started");
    case Lasted:
        return tr("Lasted");
    case Agents:
        return tr("Agents");
    case Acknowledged:
        return tr("Acknowledged");
    case Note:
        return tr("Note");
    default:
        return {};
    }
}

} // namespace StreamSwarm::Console
