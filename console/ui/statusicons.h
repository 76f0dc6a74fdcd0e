// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QColor>
#include <QIcon>

namespace StreamSwarm::Console {

// The coloured dots the window uses for states and levels, so every view speaks the same colours.
namespace StatusColor {
inline const QColor Good(46, 160, 67); // online, running, active
inline const QColor Idle(150, 150, 150); // offline, stopped, expired, used up
inline const QColor Revoked(200, 60, 60);
inline const QColor Warning(205, 120, 0);
inline const QColor Error(200, 40, 40);
inline const QColor Info(90, 140, 200);
} // namespace StatusColor

QIcon dotIcon(const QColor &color);

} // namespace StreamSwarm::Console
