// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "alerttray.h"

#include <QApplication>
#include <QStatusBar>
#include <QSystemTrayIcon>
#include <QWidget>

#include "console/alerts/alertengine.h"
#include "console/alerts/alertmessage.h"
#include "console/server/consoleservice.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

AlertTray::AlertTray(ConsoleService *service, QStatusBar *fallback, QWidget *window)
    : QObject(window)
    , m_window(window)
    , m_fallback(fallback)
{
    setObjectName(u"alertTray"_s);
    if (QSystemTrayIcon::isSystemTrayAvailable()) {
        m_tray = new QSystemTrayIcon(QApplication::windowIcon(), this);
        m_tray->setToolTip(tr("StreamSwarm Console"));
        connect(m_tray, &QSystemTrayIcon::messageClicked, this, &AlertTray::bringUpWindow);
        connect(m_tray, &QSystemTrayIcon::activated, this, &AlertTray::bringUpWindow);
    }
    if (AlertEngine *engine = service->alertEngine())
        connect(engine, &AlertEngine::desktopNotification, this, &AlertTray::show);
}

AlertTray::~AlertTray() = default;

void AlertTray::show(const AlertMessage &message)
{
    const QString title = message.subject();
    const QString body = message.oneLine();
    if (m_tray && QSystemTrayIcon::supportsMessages()) {
        m_tray->show(); // from the first notification on: a console without desktop alerts adds no icon
        const auto icon = message.state == u"firing" && message.severity == u"critical" ? QSystemTrayIcon::Critical
            : message.state == u"firing"                                                ? QSystemTrayIcon::Warning
                                                                                        : QSystemTrayIcon::Information;
        m_tray->showMessage(title, body, icon);
    } else if (m_fallback) {
        // The subject says what and how bad; the one line adds the value and the agents.
        m_fallback->showMessage(body.isEmpty() ? title : body, STATUS_BAR_MS);
    }
    Q_EMIT shown(title, body);
}

void AlertTray::bringUpWindow()
{
    if (!m_window)
        return;
    m_window->showNormal();
    m_window->raise();
    m_window->activateWindow();
}

} // namespace StreamSwarm::Console
