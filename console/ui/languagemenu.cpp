// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "languagemenu.h"

#include <QActionGroup>

#include "console/app/language.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

LanguageMenu::LanguageMenu(QWidget *parent)
    : QMenu(tr("&Language"), parent)
{
    setObjectName(u"languageMenu"_s);
    auto *group = new QActionGroup(this);
    const QString saved = Language::savedChoice();
    const auto add = [&](const QString &code, const QString &text) {
        QAction *action = addAction(text);
        action->setObjectName(u"language-"_s + (code.isEmpty() ? u"system"_s : code));
        action->setCheckable(true);
        action->setChecked(code == saved);
        group->addAction(action);
        connect(action, &QAction::triggered, this, [this, code, text] {
            Language::saveChoice(code);
            Q_EMIT chosen(tr("The console uses %1 from its next start.").arg(text));
        });
    };
    add(QString(), tr("The system's language"));
    addSeparator();
    for (const QString &code : Language::available())
        add(code, Language::nativeName(code));
}

} // namespace StreamSwarm::Console
