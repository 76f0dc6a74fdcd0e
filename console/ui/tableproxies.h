// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QIcon>
#include <QIdentityProxyModel>

namespace StreamSwarm::Console {

class AgentListModel;
class TestListModel;

// The main window's looks over its widget-free models: status dots, colours, muted rows and bold
// marks. The models say what a row is; these say how it looks. GUI thread.

// Agents: a dot for online, offline or revoked; revoked rows muted; a skewed clock in red.
class AgentTableProxy final : public QIdentityProxyModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AgentTableProxy)
public:
    AgentTableProxy(AgentListModel *source, QObject *parent);
    QVariant data(const QModelIndex &index, int role) const override;

private:
    QString lastSeenText(int sourceRow) const;

    AgentListModel *m_source;
    QIcon m_online;
    QIcon m_offline;
    QIcon m_revoked;
};

// Tests: a dot for running or ended.
class TestTableProxy final : public QIdentityProxyModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TestTableProxy)
public:
    TestTableProxy(TestListModel *source, QObject *parent);
    QVariant data(const QModelIndex &index, int role) const override;

private:
    TestListModel *m_source;
    QIcon m_running;
    QIcon m_ended;
};

// A traced path: where loss or latency starts in bold red, loss from rate-limited replies greyed.
class PathTableProxy final : public QIdentityProxyModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PathTableProxy)
public:
    PathTableProxy(QAbstractItemModel *source, QObject *parent);
    QVariant data(const QModelIndex &index, int role) const override;
};

} // namespace StreamSwarm::Console
