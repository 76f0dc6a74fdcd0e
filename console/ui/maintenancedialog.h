// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <optional>

#include <QDialog>

#include "console/alerts/maintenancewindow.h"

class QComboBox;
class QDateTimeEdit;
class QLabel;
class QLineEdit;
class QPushButton;
class QTreeWidget;

namespace StreamSwarm::Console {

class ConsoleService;

// The maintenance windows, as 'maintenance list' shows them, with Remove, and a form that adds one:
// its name, from when to when, whether it comes again every day or week, and which agents and tests
// it keeps quiet. Through the application layer, like the command line. GUI thread.
class MaintenanceDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MaintenanceDialog)
public:
    explicit MaintenanceDialog(ConsoleService *service, QWidget *parent = nullptr);

    void addWindow(); // what the Add button does
    void removeSelected();
    QTreeWidget *list() const { return m_list; }
    QString status() const;
    // The window the form describes; nullopt and why when it is not whole.
    std::optional<MaintenanceWindow> draft(QString *error) const;

Q_SIGNALS:
    void listed(); // the list shows the database's windows
    void reported(bool ok, const QString &message); // an action ended

private:
    void reload();
    void report(bool ok, const QString &message);

    ConsoleService *m_service;
    QTreeWidget *m_list;
    QPushButton *m_remove;
    QLineEdit *m_name;
    QDateTimeEdit *m_from;
    QDateTimeEdit *m_to;
    QComboBox *m_every;
    QLineEdit *m_agents;
    QLineEdit *m_tests;
    QLabel *m_status;
};

} // namespace StreamSwarm::Console
