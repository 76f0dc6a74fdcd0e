// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QList>

class QHeaderView;
class QMainWindow;

namespace StreamSwarm::Console::WindowLayout {

// Where a window was and how its docks, toolbars and columns were arranged, kept in QSettings under
// the window's object name, so the next start opens as the user left it. A saved layout from another
// version of the window's docks is ignored, not half applied.
bool restore(QMainWindow *window, const QList<QHeaderView *> &headers);
void save(const QMainWindow *window, const QList<QHeaderView *> &headers);
void forget(const QMainWindow *window);

} // namespace StreamSwarm::Console::WindowLayout
