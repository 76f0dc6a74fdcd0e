// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QObject>
#include <QPointer>

class QStatusBar;
class QSystemTrayIcon;
class QWidget;

namespace StreamSwarm::Console {

class ConsoleService;
struct AlertMessage;

// The desktop notifications of alerts (--notify desktop): a message from an icon in the system tray
// (shown from the first one on), or, where the desktop has no tray, in the window's status bar. Made
// with the window, so a headless console has none; clicking the icon or its message brings the window
// up. GUI thread.
class AlertTray final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AlertTray)
public:
    static constexpr int STATUS_BAR_MS = 30 * 1000; // the fallback's message stays this long

    AlertTray(ConsoleService *service, QStatusBar *fallback, QWidget *window);
    ~AlertTray() override;

    bool hasTray() const { return m_tray != nullptr; }
    void show(const AlertMessage &message);

Q_SIGNALS:
    void shown(const QString &title, const QString &body);

private:
    void bringUpWindow();

    QPointer<QWidget> m_window;
    QPointer<QStatusBar> m_fallback;
    QSystemTrayIcon *m_tray = nullptr;
};

} // namespace StreamSwarm::Console
