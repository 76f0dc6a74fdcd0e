// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "alertmodel.h"

#include <algorithm>

#include <QDateTime>
#include <QFont>
#include <QLocale>

#include "console/reports/reportwording.h"
#include "console/ui/statusicons.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

AlertModel::AlertModel(QObject *parent)
    : QAbstractTableModel(parent)
{
    for (AlertState state : {AlertState::Ok, AlertState::Firing, AlertState::Acknowledged, AlertState::Silenced})
        m_dots[int(state)] = dotIcon(stateColor(state));
}

void AlertModel::setAlerts(const QList<AlertStatus> &alerts, qint64 nowMs)
{
    const bool sameRows = alerts.size() == m_alerts.size()
        && std::equal(alerts.cbegin(), alerts.cend(), m_alerts.cbegin(),
            [](const AlertStatus &a, const AlertStatus &b) { return a.rule.name == b.rule.name; });
    m_nowMs = nowMs;
    if (sameRows) {
        m_alerts = alerts;
        if (!m_alerts.isEmpty())
            Q_EMIT dataChanged(index(0, 0), index(int(m_alerts.size()) - 1, ColumnCount - 1));
        return;
    }
    beginResetModel();
    m_alerts = alerts;
    endResetModel();
}

const AlertStatus *AlertModel::alertNamed(const QString &name) const
{
    const auto found = std::find_if(
        m_alerts.cbegin(), m_alerts.cend(), [&](const AlertStatus &status) { return status.rule.name == name; });
    return found == m_alerts.cend() ? nullptr : &*found;
}

int AlertModel::count(AlertState state) const
{
    return int(std::count_if(
        m_alerts.cbegin(), m_alerts.cend(), [state](const AlertStatus &status) { return status.state == state; }));
}

QString AlertModel::stateText(AlertState state)
{
    switch (state) {
    case AlertState::Ok:
        return tr("ok");
    case AlertState::Firing:
        return tr("firing");
    case AlertState::Acknowledged:
        return tr("acknowledged");
    case AlertState::Silenced:
        return tr("silenced");
    }
    return QString();
}

// Firing is an error until someone takes it on (acknowledged: a warning still); a maintenance window's
// silence is expected, like an idle test.
QColor AlertModel::stateColor(AlertState state)
{
    switch (state) {
    case AlertState::Ok:
        return StatusColor::Good;
    case AlertState::Firing:
        return StatusColor::Error;
    case AlertState::Acknowledged:
        return StatusColor::Warning;
    case AlertState::Silenced:
        return StatusColor::Info;
    }
    return StatusColor::Idle;
}

QString AlertModel::severityText(AlertSeverity severity)
{
    switch (severity) {
    case AlertSeverity::Info:
        return tr("info");
    case AlertSeverity::Warning:
        return tr("warning");
    case AlertSeverity::Critical:
        return tr("critical");
    }
    return QString();
}

QColor AlertModel::severityColor(AlertSeverity severity)
{
    switch (severity) {
    case AlertSeverity::Info:
        return StatusColor::Info;
    case AlertSeverity::Warning:
        return StatusColor::Warning;
    case AlertSeverity::Critical:
        return StatusColor::Error;
    }
    return StatusColor::Idle;
}

QString AlertModel::timeText(qint64 ms)
{
    const QDateTime time = QDateTime::fromMSecsSinceEpoch(ms);
    return QLocale().toString(time, time.date() == QDate::currentDate() ? u"HH:mm:ss"_s : u"d MMM HH:mm"_s);
}

int AlertModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_alerts.size());
}

int AlertModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString AlertModel::sinceText(const AlertStatus &status) const
{
    if (!status.open)
        return QString();
    const qint64 lasted = std::max<qint64>(0, m_nowMs - status.open->startedAtMs);
    return tr("%1 (%2)").arg(timeText(status.open->startedAtMs), ReportWording::duration(lasted));
}

QString AlertModel::toolTip(const AlertStatus &status, int column) const
{
    const std::optional<AlertIncident> &open = status.open;
    switch (column) {
    case State:
        if (open && open->ackedAtMs) {
            return tr("Acknowledged by %1 after %2%3")
                .arg(open->ackedBy, ReportWording::duration(open->ackedAtMs - open->startedAtMs),
                    open->ackComment.isEmpty() ? QString() : tr(": %1").arg(open->ackComment));
        }
        if (open && !open->silencedBy.isEmpty())
            return tr("Kept quiet by the maintenance window \"%1\"; nothing is sent.").arg(open->silencedBy);
        if (open && !open->heldByName.isEmpty())
            return tr("Held: the alert \"%1\" fires too and explains it.").arg(open->heldByName);
        if (open)
            return tr("Firing: nobody has acknowledged it yet.");
        return tr("Not firing.");
    case Condition:
        return status.rule.conditionText();
    case Since:
        return open ? QLocale().toString(QDateTime::fromMSecsSinceEpoch(open->startedAtMs), QLocale::LongFormat)
                    : QString();
    case Agents:
        if (status.troubledAgents.isEmpty())
            return tr("No agent is in trouble.");
        if (!open) {
            return tr("In trouble: %1; the alert fires when %2 are.")
                .arg(status.troubledAgents.join(u", "_s))
                .arg(status.rule.minAgents);
        }
        return tr("In trouble: %1").arg(status.troubledAgents.join(u", "_s));
    default:
        return QString();
    }
}

QVariant AlertModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const AlertStatus &status = m_alerts.at(index.row());
    const AlertRule &rule = status.rule;
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Name:
            return rule.name;
        case State:
            return stateText(status.state);
        case Severity:
            return severityText(rule.severity);
        case Test:
            return rule.testName;
        case Condition:
            return rule.conditionText();
        case Since:
            return sinceText(status);
        case Agents:
            return status.troubledAgents.join(u", "_s);
        default:
            return {};
        }
    case Qt::DecorationRole:
        return index.column() == State ? QVariant(m_dots[int(status.state)]) : QVariant();
    case Qt::ForegroundRole:
        if (index.column() == State && status.state != AlertState::Ok)
            return stateColor(status.state);
        if (index.column() == Severity && rule.severity != AlertSeverity::Info)
            return severityColor(rule.severity);
        return {};
    case Qt::FontRole:
        if ((index.column() == State && status.state == AlertState::Firing)
            || (index.column() == Severity && rule.severity == AlertSeverity::Critical)) {
            QFont bold;
            bold.setBold(true);
            return bold;
        }
        return {};
    case Qt::ToolTipRole: {
        const QString tip = toolTip(status, index.column());
        return tip.isEmpty() ? QVariant() : QVariant(tip);
    }
    case NameRole:
        return rule.name;
    case StateRole:
        return int(status.state);
    default:
        return {};
    }
}

QVariant AlertModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name:
        return tr("Alert");
    case State:
        return tr("State");
    case Severity:
        return tr("Severity");
    case Test:
        return tr("Test");
    case Condition:
        return tr("Condition");
    case Since:
        return tr("Since");
    case Agents:
        return tr("Agents in trouble");
    default:
        return {};
    }
}

} // namespace StreamSwarm::Console
