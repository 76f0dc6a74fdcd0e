// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QMenu>

namespace StreamSwarm::Console {

// Settings > Language: the system's language, or one the console has a translation for. The choice is
// kept in the user's settings and takes effect at the next start, when every window is built in it.
class LanguageMenu final : public QMenu
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LanguageMenu)
public:
    explicit LanguageMenu(QWidget *parent = nullptr);

Q_SIGNALS:
    void chosen(const QString &message); // what happens now, for the status bar
};

} // namespace StreamSwarm::Console
