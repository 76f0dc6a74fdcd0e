// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "alertspane.h"

#include <utility>

#include <QAction>
#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QItemSelectionModel>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

#include "console/alerts/alertengine.h"
#include "console/app/administration.h"
#include "console/server/consoleservice.h"
#include "console/ui/alertdiagnosis.h"
#include "console/ui/alertdialog.h"
#include "console/ui/alerthistorymodel.h"
#include "console/ui/alertmodel.h"
#include "console/ui/alerttray.h"
#include "console/ui/appearance.h"
#include "console/ui/listwidgets.h"
#include "console/ui/maintenancedialog.h"
#include "console/ui/statusicons.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

namespace {

constexpr int RELOAD_DELAY_MS = 250;
constexpr int CLOCK_MS = 30 * 1000;
constexpr int NOTICE_MS = 15 * 1000;

} // namespace

AlertsPane::AlertsPane(ConsoleService *service, QTabWidget *tabs, QStatusBar *statusBar)
    : QWidget(tabs)
    , m_service(service)
    , m_tabs(tabs)
    , m_model(new AlertModel(this))
    , m_history(new AlertHistoryModel(this))
    , m_alertsView(new QTableView(this))
    , m_historyView(new QTableView(this))
    , m_historyTitle(new QLabel(this))
    , m_diagnosis(new AlertDiagnosis(service, this))
    , m_summary(new QLabel(this))
    , m_notice(new QLabel(this))
    , m_tray(new AlertTray(service, statusBar, tabs->window()))
{
    setObjectName(u"alertsPane"_s);
    m_alertsView->setObjectName(u"alertsView"_s);
    m_alertsView->setModel(m_model);
    setUpListTable(m_alertsView);
    // As wide as the tab: the condition, the longest, gives way (its whole text in its tooltip).
    QHeaderView *header = m_alertsView->horizontalHeader();
    header->setStretchLastSection(false);
    header->setSectionResizeMode(QHeaderView::ResizeToContents);
    header->setSectionResizeMode(AlertModel::Condition, QHeaderView::Stretch);
    m_alertsView->setWordWrap(false);
    m_historyView->setObjectName(u"alertHistoryView"_s);
    m_historyView->setModel(m_history);
    setUpListTable(m_historyView);
    m_historyView->horizontalHeader()->setStretchLastSection(false);
    m_historyView->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_historyView->horizontalHeader()->setSectionResizeMode(AlertHistoryModel::Note, QHeaderView::Stretch);
    m_historyView->setWordWrap(false);
    m_historyTitle->setObjectName(u"alertHistoryTitle"_s);
    m_historyTitle->setWordWrap(true);
    m_summary->setObjectName(u"alertsSummary"_s);
    m_notice->setObjectName(u"alertsNotice"_s);
    m_notice->setWordWrap(true);
    m_notice->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_notice->hide();

    m_add = addAction(tr("&Add alert…"), "addAlertAction", "add", &AlertsPane::addAlert);
    m_acknowledge = addAction(tr("A&cknowledge…"), "acknowledgeAlertAction", "edit", &AlertsPane::acknowledgeSelected);
    m_acknowledge->setToolTip(tr("Say that someone is on it: the alert sends nothing more until it clears"));
    m_remove = addAction(tr("&Remove"), "removeAlertAction", "delete", &AlertsPane::removeSelected);
    m_test = addAction(tr("&Test"), "testAlertAction", "results", &AlertsPane::sendTestMessages);
    m_test->setToolTip(tr("Send a test message to each of the alert's targets now, to see that they arrive"));
    m_maintenance = addAction(tr("&Maintenance windows…"), "maintenanceAction", "pause", &AlertsPane::showMaintenance);
    m_maintenance->setToolTip(tr("Times when alerts stay silent, such as planned work; measuring goes on"));
    m_alertsView->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_alertsView, &QWidget::customContextMenuRequested, this, [this](const QPoint &position) {
        if (const QModelIndex index = m_alertsView->indexAt(position); index.isValid())
            m_alertsView->setCurrentIndex(index);
        QMenu menu(m_alertsView);
        menu.addActions({m_add, m_acknowledge, m_remove, m_test});
        menu.addSeparator();
        menu.addAction(m_maintenance);
        menu.exec(m_alertsView->viewport()->mapToGlobal(position));
    });

    auto *bar = new QHBoxLayout;
    for (QAction *action : {m_add, m_acknowledge, m_remove, m_test, m_maintenance}) {
        auto *button = new QToolButton(this);
        button->setDefaultAction(action);
        button->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
        button->setAutoRaise(false);
        bar->addWidget(button);
        if (action == m_test)
            bar->addSpacing(12);
    }
    bar->addStretch(1);
    bar->addWidget(m_summary);

    auto *historyBox = new QWidget(this);
    auto *historyLayout = new QVBoxLayout(historyBox);
    historyLayout->setContentsMargins(0, 0, 0, 0);
    historyLayout->setSpacing(4);
    historyLayout->addWidget(m_historyTitle);
    historyLayout->addWidget(m_historyView, 1);
    auto *lower = new QSplitter(Qt::Horizontal, this);
    lower->setChildrenCollapsible(false);
    lower->addWidget(titledSection(tr("When it fired"), historyBox, lower));
    lower->addWidget(titledSection(tr("Diagnosis"), m_diagnosis, lower));
    lower->setStretchFactor(0, 4); // the history has more columns than the path
    lower->setStretchFactor(1, 3);
    auto *split = new QSplitter(Qt::Vertical, this);
    split->setChildrenCollapsible(false);
    split->addWidget(m_alertsView);
    split->addWidget(lower);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 2);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 6, 8, 2);
    layout->setSpacing(6);
    layout->addLayout(bar);
    layout->addWidget(m_notice);
    layout->addWidget(split, 1);

    connect(
        m_alertsView->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &AlertsPane::handleAlertChanged);
    connect(m_historyView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        &AlertsPane::handleIncidentChanged);
    m_reloadTimer.setSingleShot(true);
    m_reloadTimer.setInterval(RELOAD_DELAY_MS);
    connect(&m_reloadTimer, &QTimer::timeout, this, &AlertsPane::reload);
    connect(m_service->administration(), &Administration::changed, &m_reloadTimer, qOverload<>(&QTimer::start));
    if (AlertEngine *engine = m_service->alertEngine()) {
        connect(engine, &AlertEngine::testMessageDone, this,
            [this](const QString &alert, const QString &target, bool delivered, const QString &why) {
                m_testLines.append(delivered
                        ? tr("Test message for \"%1\" sent to %2.").arg(alert, target)
                        : tr("Test message for \"%1\" not sent to %2: %3").arg(alert, target, why));
                m_testFailed = m_testFailed || !delivered;
                say(m_testLines.join(u'\n'), m_testFailed);
            });
    }
    if (AlertEngine *engine = m_service->alertEngine())
        connect(engine, &AlertEngine::alertsChanged, &m_reloadTimer, qOverload<>(&QTimer::start));
    m_clock.setInterval(CLOCK_MS);
    connect(&m_clock, &QTimer::timeout, this, [this] {
        if (m_model->count(AlertState::Ok) < m_model->rowCount())
            reload();
    });
    m_clock.start();
    m_noticeTimer.setSingleShot(true);
    m_noticeTimer.setInterval(NOTICE_MS);
    connect(&m_noticeTimer, &QTimer::timeout, m_notice, &QWidget::hide);
    updateActions();
    reload();
}

AlertsPane::~AlertsPane() = default;

QAction *AlertsPane::addAction(
    const QString &text, const char *objectName, const char *icon, void (AlertsPane::*handler)())
{
    auto *action = new QAction(Appearance::icon(QString::fromLatin1(icon)), text, this);
    action->setObjectName(QString::fromLatin1(objectName));
    connect(action, &QAction::triggered, this, handler);
    return action;
}

QString AlertsPane::notice() const
{
    return m_notice->isHidden() ? QString() : m_notice->text();
}

void AlertsPane::say(const QString &text, bool failure)
{
    m_notice->setText(text);
    m_notice->setStyleSheet(failure ? u"color: #b3261e;"_s : QString());
    m_notice->setVisible(!text.isEmpty());
    if (failure)
        m_noticeTimer.stop();
    else
        m_noticeTimer.start();
}

void AlertsPane::reload()
{
    // One read at a time; changes during it cost one more read, not one each.
    if (m_loading) {
        m_again = true;
        return;
    }
    m_loading = true;
    Administration *administration = m_service->administration();
    administration->alerts(this, [this, administration](const Result<QList<AlertStatus>> &alerts) {
        if (!alerts) {
            m_loading = false;
            m_readFailed = true;
            say(tr("The alerts could not be read: %1").arg(alerts.error()), true);
            if (std::exchange(m_again, false))
                m_reloadTimer.start();
            return;
        }
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        administration->alertIncidents(now - HISTORY_SPAN_MS, now, HISTORY_LIMIT, this,
            [this, list = *alerts, now](const Result<QList<AlertIncident>> &incidents) {
                m_loading = false;
                if (incidents) {
                    m_incidents = *incidents;
                    if (std::exchange(m_readFailed, false))
                        say(QString()); // read again: the failure is over
                } else {
                    m_readFailed = true;
                    say(tr("The alerts' history could not be read: %1").arg(incidents.error()), true);
                }
                // What the user chose stays chosen, though the rows may be made anew.
                const QString chosen = m_chosen;
                const qint64 chosenIncident = m_chosenIncident;
                m_model->setAlerts(list, now);
                m_chosen = m_model->alertNamed(chosen) ? chosen : QString();
                m_chosenIncident = m_chosen.isEmpty() ? 0 : chosenIncident;
                selectAlert(m_chosen);
                showIncidents();
                updateActions();
                updateTab();
                Q_EMIT reloaded();
                if (std::exchange(m_again, false))
                    reload();
            });
    });
}

// The alert chosen before, else the first that fires, else the first.
void AlertsPane::selectAlert(const QString &name)
{
    int row = -1;
    const QList<AlertStatus> &alerts = m_model->alerts();
    for (int i = 0; i < alerts.size() && row < 0; ++i) {
        if (alerts.at(i).rule.name == name)
            row = i;
    }
    for (int i = 0; i < alerts.size() && row < 0; ++i) {
        if (alerts.at(i).state == AlertState::Firing)
            row = i;
    }
    if (row < 0 && !alerts.isEmpty())
        row = 0;
    if (row < 0) {
        m_chosen.clear();
        showIncidents();
        return;
    }
    const QModelIndex index = m_model->index(row, 0);
    if (m_alertsView->currentIndex().row() != row) {
        m_alertsView->selectionModel()->setCurrentIndex(
            index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    }
    m_chosen = alerts.at(row).rule.name;
}

QString AlertsPane::selectedAlert() const
{
    return m_chosen;
}

const AlertStatus *AlertsPane::selectedStatus() const
{
    return m_chosen.isEmpty() ? nullptr : m_model->alertNamed(m_chosen);
}

void AlertsPane::handleAlertChanged()
{
    const QModelIndex current = m_alertsView->currentIndex();
    const QString name = current.isValid() ? current.data(AlertModel::NameRole).toString() : QString();
    if (name == m_chosen)
        return; // the same alert, found again after a reload
    m_chosen = name;
    m_chosenIncident = 0;
    showIncidents();
    updateActions();
}

void AlertsPane::showIncidents()
{
    QList<AlertIncident> shown;
    for (const AlertIncident &incident : std::as_const(m_incidents)) {
        if (!m_chosen.isEmpty() && incident.ruleName == m_chosen)
            shown.append(incident);
    }
    const qint64 keep = m_chosenIncident;
    m_history->setIncidents(shown, QDateTime::currentMSecsSinceEpoch());
    if (m_chosen.isEmpty()) {
        m_historyTitle->setText(m_model->rowCount() ? tr("Choose an alert above to see when it fired.")
                                                    : tr("No alerts yet. Add one to be told when a test's "
                                                         "measurements cross a level you choose."));
    } else if (shown.isEmpty()) {
        m_historyTitle->setText(tr("\"%1\" has not fired in the last %n days.", nullptr, HISTORY_DAYS).arg(m_chosen));
    } else {
        m_historyTitle->setText(
            tr("\"%1\" fired %n times in the last %2 days, newest first.", nullptr, int(shown.size()))
                .arg(m_chosen)
                .arg(HISTORY_DAYS));
    }
    // The incident chosen before, else the newest.
    int row = shown.isEmpty() ? -1 : 0;
    for (int i = 0; i < shown.size(); ++i) {
        if (shown.at(i).id == keep)
            row = i;
    }
    if (row >= 0) {
        m_historyView->selectionModel()->setCurrentIndex(
            m_history->index(row, 0), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    }
    handleIncidentChanged();
}

void AlertsPane::handleIncidentChanged()
{
    const QModelIndex current = m_historyView->currentIndex();
    const AlertIncident *incident = current.isValid()
        ? m_history->incidentById(current.data(AlertHistoryModel::IncidentIdRole).toLongLong())
        : nullptr;
    m_chosenIncident = incident ? incident->id : 0;
    m_diagnosis->showIncident(incident);
}

void AlertsPane::updateActions()
{
    const AlertStatus *status = selectedStatus();
    m_acknowledge->setEnabled(status && status->open && !status->open->ackedAtMs);
    m_remove->setEnabled(status != nullptr);
    m_test->setEnabled(status && !status->rule.notify.isEmpty() && m_service->alertEngine());
    const int firing = m_model->count(AlertState::Firing);
    const int acknowledged = m_model->count(AlertState::Acknowledged);
    const int silenced = m_model->count(AlertState::Silenced);
    QStringList parts;
    if (firing)
        parts.append(tr("%n firing", nullptr, firing));
    if (acknowledged)
        parts.append(tr("%n acknowledged", nullptr, acknowledged));
    if (silenced)
        parts.append(tr("%n silenced", nullptr, silenced));
    const int total = m_model->rowCount();
    m_summary->setText(total == 0 ? tr("No alerts")
            : parts.isEmpty()     ? tr("%n alerts, all ok", nullptr, total)
                                  : tr("%n alerts: %1", nullptr, total).arg(parts.join(u", "_s)));
}

// The tab says how many alerts fire, with a red dot, so that they are seen from the other tabs.
void AlertsPane::updateTab()
{
    const int index = m_tabs ? m_tabs->indexOf(this) : -1;
    if (index < 0)
        return;
    if (!std::exchange(m_tabIconKept, true))
        m_tabIcon = m_tabs->tabIcon(index);
    const int firing = m_model->count(AlertState::Firing);
    const int acknowledged = m_model->count(AlertState::Acknowledged);
    m_tabs->setTabText(index, firing ? tr("A&lerts (%1)").arg(firing) : tr("A&lerts"));
    m_tabs->setTabIcon(index,
        firing             ? dotIcon(AlertModel::stateColor(AlertState::Firing))
            : acknowledged ? dotIcon(AlertModel::stateColor(AlertState::Acknowledged))
                           : m_tabIcon);
    m_tabs->setTabToolTip(index, m_summary->text());
}

void AlertsPane::addAlert()
{
    // Opened, not exec()'d, so storage results keep arriving.
    auto *dialog = new AlertDialog(m_service, window());
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowModality(Qt::WindowModal);
    connect(dialog, &AlertDialog::alertAdded, this, [this](const QString &name) {
        m_chosen = name;
        say(tr("Added the alert \"%1\".").arg(name));
        reload();
    });
    dialog->show();
}

void AlertsPane::acknowledgeSelected()
{
    const AlertStatus *status = selectedStatus();
    if (!status || !status->open)
        return;
    const QString name = status->rule.name;
    auto *ask = new QInputDialog(window());
    ask->setObjectName(u"acknowledgeDialog"_s);
    ask->setAttribute(Qt::WA_DeleteOnClose);
    ask->setWindowTitle(tr("Acknowledge alert"));
    ask->setLabelText(
        tr("Acknowledged, \"%1\" sends nothing more until it clears.\nWhat is being done about it?").arg(name));
    ask->setOkButtonText(tr("Acknowledge"));
    connect(ask, &QInputDialog::textValueSelected, this, [this, name](const QString &comment) {
        m_service->administration()->acknowledgeAlert(
            name, comment.trimmed(), this, [this, name](const Result<Done> &done) {
                if (!done) {
                    say(tr("\"%1\" was not acknowledged: %2").arg(name, done.error()), true);
                    return;
                }
                say(tr("Acknowledged \"%1\"; it sends nothing more until it clears.").arg(name));
            });
    });
    ask->open();
}

void AlertsPane::removeSelected()
{
    const AlertStatus *status = selectedStatus();
    if (!status)
        return;
    const QString name = status->rule.name;
    auto *box = new QMessageBox(QMessageBox::Question, tr("Remove alert"),
        tr("Remove the alert \"%1\"? It stops watching %2 on %3.\n\nThe times it fired stay in the event log.")
            .arg(name, status->rule.metric, status->rule.testName),
        QMessageBox::Cancel, window());
    box->setObjectName(u"removeAlertBox"_s);
    box->setAttribute(Qt::WA_DeleteOnClose);
    QPushButton *remove = box->addButton(tr("Remove"), QMessageBox::DestructiveRole);
    remove->setObjectName(u"confirmRemove"_s);
    box->setDefaultButton(QMessageBox::Cancel);
    connect(box, &QMessageBox::buttonClicked, this, [this, name, remove](QAbstractButton *clicked) {
        if (clicked != remove)
            return;
        m_service->administration()->removeAlert(name, this, [this, name](const Result<Done> &done) {
            if (!done) {
                say(tr("\"%1\" was not removed: %2").arg(name, done.error()), true);
                return;
            }
            say(tr("Removed the alert \"%1\".").arg(name));
        });
    });
    box->open();
}

void AlertsPane::showMaintenance()
{
    if (!m_maintenanceDialog) {
        m_maintenanceDialog = new MaintenanceDialog(m_service, window());
        m_maintenanceDialog->setAttribute(Qt::WA_DeleteOnClose);
    }
    m_maintenanceDialog->show();
    m_maintenanceDialog->raise();
    m_maintenanceDialog->activateWindow();
}

void AlertsPane::sendTestMessages()
{
    const AlertStatus *status = selectedStatus();
    AlertEngine *engine = m_service->alertEngine();
    if (!status || !engine)
        return;
    m_testLines.clear();
    m_testFailed = false;
    say(tr("Sending test messages for \"%1\"…").arg(status->rule.name), false);
    engine->sendTestMessages(status->rule);
}

} // namespace StreamSwarm::Console
