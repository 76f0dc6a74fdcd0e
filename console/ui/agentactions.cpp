// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "agentactions.h"

#include <QAction>
#include <QInputDialog>
#include <QItemSelectionModel>
#include <QMenu>
#include <QMessageBox>
#include <QTableView>

#include "console/app/administration.h"
#include "console/models/agentlistmodel.h"
#include "console/server/consoleservice.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

AgentActions::AgentActions(ConsoleService *service, QTableView *view, QMenu *menu)
    : QObject(view)
    , m_service(service)
    , m_view(view)
{
    menu->addSeparator();
    addAction(menu, tr("Re&name agent…"), "renameAgentAction", &AgentActions::handleRename);
    addAction(menu, tr("&Tags of agent…"), "tagAgentAction", &AgentActions::handleTags);
    addAction(menu, tr("&New credential for agent"), "rekeyAgentAction", &AgentActions::handleRekey);
    addAction(menu, tr("&Revoke agent…"), "revokeAgentAction", &AgentActions::handleRevoke);
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_view, &QWidget::customContextMenuRequested, this, &AgentActions::showContextMenu);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentChanged, this, &AgentActions::updateActions);
    connect(m_service, &ConsoleService::agentsChanged, this, &AgentActions::updateActions);
    updateActions();
}

QAction *AgentActions::addAction(
    QMenu *menu, const QString &text, const char *objectName, void (AgentActions::*handler)())
{
    QAction *action = menu->addAction(text);
    action->setObjectName(QString::fromLatin1(objectName));
    connect(action, &QAction::triggered, this, handler);
    m_actions.append(action);
    return action;
}

std::optional<AgentRecord> AgentActions::selectedAgent() const
{
    const QModelIndex current = m_view->currentIndex();
    if (!current.isValid())
        return std::nullopt;
    const qint64 id = current.data(AgentListModel::AgentIdRole).toLongLong();
    for (const AgentRecord &agent : m_service->agents()) {
        if (agent.id == id)
            return agent;
    }
    return std::nullopt;
}

void AgentActions::updateActions()
{
    const auto agent = selectedAgent();
    for (QAction *action : std::as_const(m_actions))
        action->setEnabled(agent && (!agent->revoked || action->objectName() == u"renameAgentAction"));
}

void AgentActions::showContextMenu(const QPoint &position)
{
    const QModelIndex index = m_view->indexAt(position);
    if (!index.isValid())
        return;
    m_view->setCurrentIndex(index);
    updateActions();
    QMenu menu(m_view);
    menu.addActions(m_actions);
    menu.exec(m_view->viewport()->mapToGlobal(position));
}

void AgentActions::handleRename()
{
    const auto agent = selectedAgent();
    if (!agent)
        return;
    bool ok = false;
    const QString newName = QInputDialog::getText(m_view->window(), tr("Rename agent"),
        tr("New name for \"%1\" (letters, digits, '.', '_' and '-'). The agent learns it when it next connects; its "
           "tests and measurements stay with it.")
            .arg(agent->name),
        QLineEdit::Normal, agent->name, &ok)
                                .trimmed();
    if (!ok || newName.isEmpty() || newName == agent->name)
        return;
    m_service->administration()->renameAgent(agent->name, newName, this, [this](const Result<Done> &renamed) {
        if (!renamed)
            report(renamed.error());
    });
}

void AgentActions::handleTags()
{
    const auto agent = selectedAgent();
    if (!agent)
        return;
    bool ok = false;
    const QString text = QInputDialog::getText(m_view->window(), tr("Tags of agent"),
        tr("Tags of \"%1\", separated by commas. Tests given to a tag run on every agent that has it.")
            .arg(agent->name),
        QLineEdit::Normal, agent->tags.join(u", "), &ok);
    if (!ok)
        return;
    QStringList wanted;
    for (const QString &tag : text.split(u',', Qt::SkipEmptyParts)) {
        if (const QString trimmed = tag.trimmed(); !trimmed.isEmpty() && !wanted.contains(trimmed))
            wanted.append(trimmed);
    }
    QStringList removed;
    for (const QString &tag : agent->tags) {
        if (!wanted.contains(tag))
            removed.append(tag);
    }
    m_service->administration()->changeAgentTags(
        agent->name, wanted, removed, this, [this](const Result<QStringList> &changed) {
            if (!changed)
                report(changed.error());
        });
}

void AgentActions::handleRekey()
{
    const auto agent = selectedAgent();
    if (!agent)
        return;
    m_service->administration()->requestRekey(agent->name, this, [this](const Result<Done> &asked) {
        if (!asked)
            report(asked.error());
    });
}

void AgentActions::handleRevoke()
{
    const auto agent = selectedAgent();
    if (!agent)
        return;
    const auto answer = QMessageBox::warning(m_view->window(), tr("Revoke agent"),
        tr("Revoke \"%1\"? It is disconnected at once and its credential is refused from then on. Its measurements "
           "stay. To bring it back, enroll it again with a new token.")
            .arg(agent->name),
        QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel);
    if (answer != QMessageBox::Yes)
        return;
    m_service->administration()->revokeAgent(agent->name, this, [this](const Result<Done> &revoked) {
        if (!revoked)
            report(revoked.error());
    });
}

void AgentActions::report(const QString &error)
{
    QMessageBox::warning(m_view->window(), tr("The agent was not changed"), error);
}

} // namespace StreamSwarm::Console
