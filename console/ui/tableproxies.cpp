// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "tableproxies.h"

#include <QApplication>
#include <QBrush>
#include <QDateTime>
#include <QFont>
#include <QPalette>

#include "console/models/agentlistmodel.h"
#include "console/models/pathmodel.h"
#include "console/models/testlistmodel.h"
#include "console/ui/statusicons.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

namespace {

const QColor &ONLINE_COLOR = StatusColor::Good;
const QColor &OFFLINE_COLOR = StatusColor::Idle;
const QColor &REVOKED_COLOR = StatusColor::Revoked;
const QColor LOSS_COLOR(0xc0, 0x39, 0x2b);
const QColor MUTED_COLOR(0x8a, 0x8a, 0x8a);

} // namespace

AgentTableProxy::AgentTableProxy(AgentListModel *source, QObject *parent)
    : QIdentityProxyModel(parent)
    , m_source(source)
    , m_online(dotIcon(ONLINE_COLOR))
    , m_offline(dotIcon(OFFLINE_COLOR))
    , m_revoked(dotIcon(REVOKED_COLOR))
{
    setSourceModel(source);
}

QVariant AgentTableProxy::data(const QModelIndex &index, int role) const
{
    if (index.isValid() && (role == Qt::DecorationRole || role == Qt::ForegroundRole)) {
        const AgentRecord &agent = m_source->agents().at(mapToSource(index).row());
        if (index.column() == AgentListModel::Status) {
            if (role == Qt::DecorationRole)
                return agent.revoked ? m_revoked : agent.online ? m_online : m_offline;
            return agent.revoked ? REVOKED_COLOR : agent.online ? ONLINE_COLOR.darker(120) : OFFLINE_COLOR;
        }
        if (role == Qt::ForegroundRole && agent.revoked)
            return QApplication::palette().color(QPalette::Disabled, QPalette::Text);
        if (role == Qt::ForegroundRole && index.column() == AgentListModel::Clock && agent.clockSkewed())
            return REVOKED_COLOR;
    }
    if (index.isValid() && role == Qt::DisplayRole && index.column() == AgentListModel::LastSeen)
        return lastSeenText(mapToSource(index).row());
    // Host and system names may be elided in a narrow pane; the full date is in the model's text.
    if (role == Qt::ToolTipRole && index.column() != AgentListModel::Name && index.column() != AgentListModel::Clock)
        return QIdentityProxyModel::data(index, Qt::DisplayRole);
    return QIdentityProxyModel::data(index, role);
}

// Short enough for a narrow column: "now" while connected, the time alone for today.
QString AgentTableProxy::lastSeenText(int sourceRow) const
{
    const AgentRecord &agent = m_source->agents().at(sourceRow);
    if (agent.online)
        return tr("now");
    if (!agent.lastSeenMs)
        return tr("never");
    const QDateTime time = QDateTime::fromMSecsSinceEpoch(agent.lastSeenMs);
    return time.toString(time.date() == QDate::currentDate() ? u"HH:mm:ss"_s : u"dd MMM HH:mm"_s);
}

TestTableProxy::TestTableProxy(TestListModel *source, QObject *parent)
    : QIdentityProxyModel(parent)
    , m_source(source)
    , m_running(dotIcon(ONLINE_COLOR))
    , m_ended(dotIcon(OFFLINE_COLOR))
{
    setSourceModel(source);
}

QVariant TestTableProxy::data(const QModelIndex &index, int role) const
{
    if (index.isValid() && index.column() == TestListModel::State
        && (role == Qt::DecorationRole || role == Qt::ForegroundRole)) {
        const TestRecord &test = m_source->tests().at(mapToSource(index).row());
        const bool running = test.stateAt(QDateTime::currentMSecsSinceEpoch()) == TestState::Running;
        if (role == Qt::DecorationRole)
            return running ? m_running : m_ended;
        return running ? ONLINE_COLOR.darker(120) : OFFLINE_COLOR;
    }
    return QIdentityProxyModel::data(index, role);
}

PathTableProxy::PathTableProxy(QAbstractItemModel *source, QObject *parent)
    : QIdentityProxyModel(parent)
{
    setSourceModel(source);
}

QVariant PathTableProxy::data(const QModelIndex &index, int role) const
{
    if (index.isValid() && (role == Qt::ForegroundRole || role == Qt::FontRole)) {
        const auto mark = QIdentityProxyModel::data(index, PathModel::MarkRole).value<PathModel::Mark>();
        if (mark == PathModel::Mark::None)
            return {};
        if (role == Qt::ForegroundRole)
            return QBrush(mark == PathModel::Mark::Alarm ? LOSS_COLOR : MUTED_COLOR);
        if (mark != PathModel::Mark::Alarm)
            return {};
        QFont bold;
        bold.setBold(true);
        return bold;
    }
    return QIdentityProxyModel::data(index, role);
}

} // namespace StreamSwarm::Console
