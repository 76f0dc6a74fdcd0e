// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QCoreApplication>
#include <QString>
#include <QStringList>

namespace StreamSwarm::Console {

// The language of the console's texts (window, command line, events as shown). By default the
// system's (LANG, LC_ALL, LC_MESSAGES); the window can set another, kept in the user's settings.
class Language
{
    Q_DECLARE_TR_FUNCTIONS(StreamSwarm::Console::Language)
public:
    // Language codes there are translations for, English (the source) first.
    static QStringList available();
    // The language's own name for itself: "Deutsch" for "de".
    static QString nativeName(const QString &code);
    // Installs the translations of code (empty: the system's language) on the running application, Qt's
    // own (dialog buttons) included when the system has them. Returns the language now in effect.
    static QString install(const QString &code);
    // The window's choice: empty for the system's language.
    static QString savedChoice();
    static void saveChoice(const QString &code);
};

} // namespace StreamSwarm::Console
