// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "listactions.h"

#include <QAbstractItemView>
#include <QAction>
#include <QItemSelectionModel>
#include <QMenu>

#include "console/ui/appearance.h"

namespace StreamSwarm::Console {

ListActions::ListActions(QAbstractItemView *view, QMenu *menu)
    : QObject(view)
    , m_view(view)
    , m_menu(menu)
{
    m_menu->addSeparator();
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_view, &QWidget::customContextMenuRequested, this, &ListActions::showContextMenu);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentChanged, this, [this] { updateActions(); });
}

QAction *ListActions::addAction(
    const QString &text, const char *objectName, const char *icon, std::function<void()> handler)
{
    QAction *action = m_menu->addAction(Appearance::icon(QString::fromLatin1(icon)), text);
    action->setObjectName(QString::fromLatin1(objectName));
    // Its shortcut works where the list has the focus, not while typing elsewhere.
    action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_view->addAction(action);
    connect(action, &QAction::triggered, this, std::move(handler));
    m_entries.append(action);
    return action;
}

void ListActions::addSeparator()
{
    m_entries.append(nullptr);
}

qint64 ListActions::selectedId(int role) const
{
    const QModelIndex current = m_view->currentIndex();
    return current.isValid() ? current.data(role).toLongLong() : 0;
}

void ListActions::showContextMenu(const QPoint &position)
{
    const QModelIndex index = m_view->indexAt(position);
    if (!index.isValid())
        return;
    m_view->setCurrentIndex(index);
    updateActions();
    QMenu menu(m_view);
    for (QAction *entry : std::as_const(m_entries)) {
        if (entry)
            menu.addAction(entry);
        else
            menu.addSeparator();
    }
    menu.exec(m_view->viewport()->mapToGlobal(position));
}

} // namespace StreamSwarm::Console
