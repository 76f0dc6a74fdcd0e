// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QString>

class QTableView;
class QWidget;

namespace StreamSwarm::Console {

// The main window's lists: whole rows selected one at a time, read-only, striped, no grid.
void setUpListTable(QTableView *view);
// A list or chart under a bold title.
QWidget *titledSection(const QString &title, QWidget *content, QWidget *parent);

} // namespace StreamSwarm::Console
