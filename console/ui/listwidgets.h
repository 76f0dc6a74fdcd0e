// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QString>

class QHeaderView;
class QTableView;
class QTreeView;
class QWidget;

namespace StreamSwarm::Console {

// The main window's lists: whole rows selected one at a time, read-only, striped, no grid.
void setUpListTable(QTableView *view);
void setUpListView(QTreeView *view); // the same for a list with groups
// The list's header offers a menu to hide and show columns (all but the first); name is the header's
// object name, under which WindowLayout keeps the choice.
void offerColumnChoice(QHeaderView *header, const QString &name);
// A list or chart under a bold title.
QWidget *titledSection(const QString &title, QWidget *content, QWidget *parent);

} // namespace StreamSwarm::Console
