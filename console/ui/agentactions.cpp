// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "agentactions.h"

#include <QAbstractItemView>
#include <QAction>
#include <QInputDialog>
#include <QMenu>
#include <QMessageBox>

#include "console/app/administration.h"
#include "console/models/agentlistmodel.h"
#include "console/server/consoleservice.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

AgentActions::AgentActions(ConsoleService *service, QAbstractItemView *view, QMenu *menu)
    : ListActions(view, menu)
    , m_service(service)
{
    m_actions = {addAction(tr("Re&name agent…"), "renameAgentAction", "rename", [this] { handleRename(); }),
        addAction(tr("&Tags of agent…"), "tagAgentAction", "tags", [this] { handleTags(); }),
        addAction(tr("&New credential for agent"), "rekeyAgentAction", "credential", [this] { handleRekey(); }),
        addAction(tr("&Revoke agent…"), "revokeAgentAction", "revoke", [this] { handleRevoke(); })};
    connect(m_service, &ConsoleService::agentsChanged, this, &AgentActions::updateActions);
    updateActions();
}

std::optional<AgentRecord> AgentActions::selectedAgent() const
{
    const qint64 id = selectedId(AgentListModel::AgentIdRole);
    for (const AgentRecord &agent : m_service->agents()) {
        if (id && agent.id == id)
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

void AgentActions::handleRename()
{
    const auto agent = selectedAgent();
    if (!agent)
        return;
    bool ok = false;
    const QString newName = QInputDialog::getText(view()->window(), tr("Rename agent"),
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
    const QString text = QInputDialog::getText(view()->window(), tr("Tags of agent"),
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
    const auto answer = QMessageBox::warning(view()->window(), tr("Revoke agent"),
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
    QMessageBox::warning(view()->window(), tr("The agent was not changed"), error);
}

} // namespace StreamSwarm::Console
