// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "windowlayout.h"

#include <QHeaderView>
#include <QMainWindow>
#include <QSettings>

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console::WindowLayout {

namespace {

// Raised when docks are added, renamed or removed: an older state would put them in odd places.
constexpr int LAYOUT_VERSION = 1;

QString groupOf(const QMainWindow *window)
{
    return u"layout/"_s + window->objectName();
}

} // namespace

bool restore(QMainWindow *window, const QList<QHeaderView *> &headers)
{
    QSettings settings;
    settings.beginGroup(groupOf(window));
    if (settings.value(u"version"_s).toInt() != LAYOUT_VERSION)
        return false;
    const bool placed = window->restoreGeometry(settings.value(u"geometry"_s).toByteArray());
    const bool arranged = window->restoreState(settings.value(u"state"_s).toByteArray(), LAYOUT_VERSION);
    for (QHeaderView *header : headers) {
        const QByteArray columns = settings.value(u"columns/"_s + header->objectName()).toByteArray();
        if (!columns.isEmpty())
            header->restoreState(columns);
    }
    return placed && arranged;
}

void save(const QMainWindow *window, const QList<QHeaderView *> &headers)
{
    QSettings settings;
    settings.beginGroup(groupOf(window));
    settings.setValue(u"version"_s, LAYOUT_VERSION);
    settings.setValue(u"geometry"_s, window->saveGeometry());
    settings.setValue(u"state"_s, window->saveState(LAYOUT_VERSION));
    for (const QHeaderView *header : headers)
        settings.setValue(u"columns/"_s + header->objectName(), header->saveState());
}

void forget(const QMainWindow *window)
{
    QSettings().remove(groupOf(window));
}

} // namespace StreamSwarm::Console::WindowLayout
