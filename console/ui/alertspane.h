// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QIcon>
#include <QPointer>
#include <QTimer>
#include <QWidget>

#include "console/alerts/alertincident.h"

class QAction;
class QLabel;
class QStatusBar;
class QTabWidget;
class QTableView;

namespace StreamSwarm::Console {

class AlertDiagnosis;
class AlertHistoryModel;
class AlertModel;
class AlertTray;
class ConsoleService;
class MaintenanceDialog;

// The Alerts tab: every alert rule with its state, read again (at most every few hundred ms) when the
// database or the alert engine says something changed; under it the selected alert's history and the
// chosen incident's diagnosis. Add, acknowledge and remove alerts, and edit maintenance windows, all
// through the application layer. Its tab's title counts the alerts firing, and while it lives the
// alerts' desktop notifications show (AlertTray). GUI thread.
class AlertsPane final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AlertsPane)
public:
    static constexpr int HISTORY_DAYS = 90;
    static constexpr qint64 HISTORY_SPAN_MS = HISTORY_DAYS * 24LL * 3600 * 1000;
    static constexpr int HISTORY_LIMIT = 5000;

    // tabs: where the window shows it (it keeps its own tab's title and icon); statusBar: where desktop
    // notifications go when the desktop has no tray.
    AlertsPane(ConsoleService *service, QTabWidget *tabs, QStatusBar *statusBar);
    ~AlertsPane() override;

    void reload();
    void selectAlert(const QString &name);
    QString selectedAlert() const;

    // The actions, as the buttons and the context menu start them.
    void addAlert();
    void acknowledgeSelected(); // asks for a comment first
    void removeSelected(); // asks first
    void showMaintenance();

    AlertModel *model() const { return m_model; }
    AlertHistoryModel *historyModel() const { return m_history; }
    QTableView *alertsView() const { return m_alertsView; }
    QTableView *historyView() const { return m_historyView; }
    AlertDiagnosis *diagnosis() const { return m_diagnosis; }
    AlertTray *tray() const { return m_tray; }
    QString notice() const;

Q_SIGNALS:
    void reloaded(); // the views show the database's alerts and incidents

private:
    void handleAlertChanged();
    void handleIncidentChanged();
    void showIncidents();
    void updateActions();
    void updateTab();
    void say(const QString &text, bool failure = false);
    const AlertStatus *selectedStatus() const;
    void sendTestMessages();
    QAction *addAction(const QString &text, const char *objectName, const char *icon, void (AlertsPane::*handler)());

    ConsoleService *m_service;
    QPointer<QTabWidget> m_tabs;
    QIcon m_tabIcon; // the one the window gave, shown while nothing fires
    bool m_tabIconKept = false;
    AlertModel *m_model;
    AlertHistoryModel *m_history;
    QTableView *m_alertsView;
    QTableView *m_historyView;
    QLabel *m_historyTitle;
    AlertDiagnosis *m_diagnosis;
    QLabel *m_summary;
    QLabel *m_notice;
    QAction *m_add = nullptr;
    QAction *m_acknowledge = nullptr;
    QAction *m_remove = nullptr;
    QAction *m_test = nullptr;
    QStringList m_testLines; // what the test messages did so far
    bool m_testFailed = false;
    QAction *m_maintenance = nullptr;
    QPointer<MaintenanceDialog> m_maintenanceDialog;
    AlertTray *m_tray;
    QList<AlertIncident> m_incidents; // the newest, of every alert
    QTimer m_reloadTimer; // gathers a burst of changes into one read
    QTimer m_clock; // durations grow while alerts fire
    QTimer m_noticeTimer; // a notice of success goes after a while; one of failure stays
    QString m_chosen; // the alert the user chose, kept across reloads
    qint64 m_chosenIncident = 0;
    bool m_loading = false;
    bool m_again = false;
    bool m_readFailed = false; // the notice says a read failed
};

} // namespace StreamSwarm::Console
