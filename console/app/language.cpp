// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "language.h"

#include <QLibraryInfo>
#include <QLocale>
#include <QSettings>
#include <QTranslator>

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

namespace {

const QString SETTINGS_KEY = u"ui/language"_s;

// Installed once and replaced on a later call; owned by the application.
void replaceTranslator(QTranslator *&slot, QTranslator *next)
{
    if (slot) {
        QCoreApplication::removeTranslator(slot);
        delete slot;
    }
    slot = next;
    if (slot)
        QCoreApplication::installTranslator(slot);
}

} // namespace

QStringList Language::available()
{
    return {u"en"_s, u"de"_s};
}

QString Language::nativeName(const QString &code)
{
    const QLocale locale(code);
    const QString name = locale.nativeLanguageName();
    return name.isEmpty() ? code : name.left(1).toUpper() + name.mid(1);
}

QString Language::install(const QString &code)
{
    static QTranslator *ours = nullptr;
    static QTranslator *qts = nullptr;
    const QLocale locale = code.isEmpty() ? QLocale::system() : QLocale(code);
    auto *translator = new QTranslator;
    // Looks for streamswarm_de_DE.qm, then streamswarm_de.qm, for each of the locale's UI languages.
    if (!translator->load(locale, u"streamswarm"_s, u"_"_s, u":/i18n"_s)) {
        delete translator;
        translator = nullptr;
    }
    replaceTranslator(ours, translator);
    auto *qt = new QTranslator;
    if (!translator || !qt->load(locale, u"qtbase"_s, u"_"_s, QLibraryInfo::path(QLibraryInfo::TranslationsPath))) {
        delete qt;
        qt = nullptr;
    }
    replaceTranslator(qts, qt);
    return translator ? translator->language().section(u'_', 0, 0) : u"en"_s;
}

QString Language::savedChoice()
{
    const QString code = QSettings().value(SETTINGS_KEY).toString();
    return available().contains(code) ? code : QString();
}

void Language::saveChoice(const QString &code)
{
    QSettings settings;
    if (code.isEmpty())
        settings.remove(SETTINGS_KEY);
    else
        settings.setValue(SETTINGS_KEY, code);
}

} // namespace StreamSwarm::Console
