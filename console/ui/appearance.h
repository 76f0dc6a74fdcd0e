// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QIcon>
#include <QMenu>

namespace StreamSwarm::Console {

// How the console looks: the system's colours (light or dark, as the desktop says), or a light or
// dark palette of its own on the Fusion style, and the icons built into the program.
namespace Appearance {

enum class Theme { System, Light, Dark };

// Once, after the application is made and before any window: the built-in icons and the application
// icon, and the system's palette and style kept for Theme::System.
void initialize();
void apply(Theme theme);
Theme savedChoice();
void saveChoice(Theme theme);
// Whether the palette in use is a dark one (light text on a dark window).
bool isDark();
// A built-in action icon by name (resources/icons/actions/NAME.svg); a null icon for an unknown name.
QIcon icon(const QString &name);

} // namespace Appearance

// Settings > Appearance: the system's colours, light or dark. Applies at once and is remembered.
class AppearanceMenu final : public QMenu
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AppearanceMenu)
public:
    explicit AppearanceMenu(QWidget *parent = nullptr);
};

} // namespace StreamSwarm::Console
