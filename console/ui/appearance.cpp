// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "appearance.h"

#include <utility>

#include <QActionGroup>
#include <QApplication>
#include <QFile>
#include <QPalette>
#include <QSettings>
#include <QStyle>
#include <QStyleFactory>

using namespace Qt::StringLiterals;

// The resources are built into a static library: their registration must be asked for by name, and
// from outside any namespace.
static void initializeIconResources()
{
    Q_INIT_RESOURCE(streamswarm);
}

namespace StreamSwarm::Console {

namespace {

const QString SETTINGS_KEY = u"ui/appearance"_s;

struct SystemLook
{
    QPalette palette;
    QString style;
};

SystemLook &systemLook()
{
    static SystemLook look;
    return look;
}

QPalette lightPalette()
{
    return QStyleFactory::create(u"Fusion"_s)->standardPalette();
}

// Fusion's roles in dark greys, with a blue that stays readable on them.
QPalette darkPalette()
{
    QPalette palette;
    const QColor window(45, 45, 48);
    const QColor base(30, 30, 32);
    const QColor text(222, 222, 222);
    const QColor disabledText(128, 128, 128);
    const QColor highlight(47, 111, 176);
    palette.setColor(QPalette::Window, window);
    palette.setColor(QPalette::WindowText, text);
    palette.setColor(QPalette::Base, base);
    palette.setColor(QPalette::AlternateBase, QColor(38, 38, 41));
    palette.setColor(QPalette::ToolTipBase, QColor(60, 60, 64));
    palette.setColor(QPalette::ToolTipText, text);
    palette.setColor(QPalette::PlaceholderText, QColor(140, 140, 140));
    palette.setColor(QPalette::Text, text);
    palette.setColor(QPalette::Button, window);
    palette.setColor(QPalette::ButtonText, text);
    palette.setColor(QPalette::BrightText, QColor(255, 90, 90));
    palette.setColor(QPalette::Light, QColor(70, 70, 74));
    palette.setColor(QPalette::Midlight, QColor(58, 58, 62));
    palette.setColor(QPalette::Mid, QColor(36, 36, 38));
    palette.setColor(QPalette::Dark, QColor(24, 24, 26));
    palette.setColor(QPalette::Shadow, QColor(10, 10, 10));
    palette.setColor(QPalette::Highlight, highlight);
    palette.setColor(QPalette::HighlightedText, Qt::white);
    palette.setColor(QPalette::Link, QColor(110, 170, 235));
    palette.setColor(QPalette::LinkVisited, QColor(170, 140, 230));
    for (QPalette::ColorRole role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        palette.setColor(QPalette::Disabled, role, disabledText);
    palette.setColor(QPalette::Disabled, QPalette::Highlight, QColor(70, 70, 74));
    return palette;
}

} // namespace

void Appearance::initialize()
{
    static bool done = false; // the first call sees the system's look; later ones must not take ours for it
    if (std::exchange(done, true))
        return;
    initializeIconResources();
    QApplication::setWindowIcon(QIcon(u":/icons/org.streamswarm.Console.svg"_s));
    systemLook() = {QApplication::palette(), QApplication::style()->name()};
}

void Appearance::apply(Theme theme)
{
    // Until the user picks Light or Dark, the platform's own palette is left alone: set even to
    // the same colours, it would stop following the desktop when that switches to dark.
    static bool overridden = false;
    const SystemLook &system = systemLook();
    switch (theme) {
    case Theme::System:
        if (!std::exchange(overridden, false))
            return;
        QApplication::setStyle(system.style.isEmpty() ? u"Fusion"_s : system.style);
        QApplication::setPalette(system.palette);
        break;
    case Theme::Light:
        overridden = true;
        QApplication::setStyle(u"Fusion"_s);
        QApplication::setPalette(lightPalette());
        break;
    case Theme::Dark:
        overridden = true;
        QApplication::setStyle(u"Fusion"_s);
        QApplication::setPalette(darkPalette());
        break;
    }
}

Appearance::Theme Appearance::savedChoice()
{
    const QString saved = QSettings().value(SETTINGS_KEY).toString();
    if (saved == u"light"_s)
        return Theme::Light;
    if (saved == u"dark"_s)
        return Theme::Dark;
    return Theme::System;
}

void Appearance::saveChoice(Theme theme)
{
    QSettings settings;
    switch (theme) {
    case Theme::System:
        settings.remove(SETTINGS_KEY);
        break;
    case Theme::Light:
        settings.setValue(SETTINGS_KEY, u"light"_s);
        break;
    case Theme::Dark:
        settings.setValue(SETTINGS_KEY, u"dark"_s);
        break;
    }
}

bool Appearance::isDark()
{
    const QPalette palette = QApplication::palette();
    return palette.color(QPalette::Window).lightness() < palette.color(QPalette::WindowText).lightness();
}

QIcon Appearance::icon(const QString &name)
{
    const QString path = u":/icons/actions/%1.svg"_s.arg(name);
    return QFile::exists(path) ? QIcon(path) : QIcon();
}

AppearanceMenu::AppearanceMenu(QWidget *parent)
    : QMenu(tr("&Appearance"), parent)
{
    setObjectName(u"appearanceMenu"_s);
    auto *group = new QActionGroup(this);
    const Appearance::Theme saved = Appearance::savedChoice();
    const auto add = [&](Appearance::Theme theme, const QString &name, const QString &text) {
        QAction *action = addAction(text);
        action->setObjectName(u"appearance-"_s + name);
        action->setCheckable(true);
        action->setChecked(theme == saved);
        group->addAction(action);
        connect(action, &QAction::triggered, this, [theme] {
            Appearance::saveChoice(theme);
            Appearance::apply(theme);
        });
    };
    add(Appearance::Theme::System, u"system"_s, tr("The system's colours"));
    addSeparator();
    add(Appearance::Theme::Light, u"light"_s, tr("Light"));
    add(Appearance::Theme::Dark, u"dark"_s, tr("Dark"));
}

} // namespace StreamSwarm::Console
