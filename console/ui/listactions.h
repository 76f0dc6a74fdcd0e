// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <functional>

#include <QList>
#include <QObject>

class QAction;
class QMenu;
class QPoint;
class QAbstractItemView;

namespace StreamSwarm::Console {

// Actions on the row selected in a list: each sits in a menu of the menu bar and in the list's context
// menu (right click selects the row first), and is enabled as the selected row allows.
class ListActions : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ListActions)
public:
    ListActions(QAbstractItemView *view, QMenu *menu);

protected:
    // icon: a built-in icon's name (Appearance::icon).
    QAction *addAction(const QString &text, const char *objectName, const char *icon, std::function<void()> handler);
    void addSeparator();
    QAbstractItemView *view() const { return m_view; }
    // The selected row's value of role (an id); 0 when no row is selected.
    qint64 selectedId(int role) const;
    // Enables the actions for the selected row; run when the selection or the data changes.
    virtual void updateActions() = 0;

private:
    void showContextMenu(const QPoint &position);

    QAbstractItemView *m_view;
    QMenu *m_menu;
    QList<QAction *> m_entries; // nullptr: a separator
};

} // namespace StreamSwarm::Console
