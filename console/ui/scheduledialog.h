// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QDialog>

#include "console/reports/reportschedule.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;

namespace StreamSwarm::Console {

class Administration;

// The scheduled reports, as `report schedule list` shows them, with Remove, and a form that adds one
// for the report the report dialog describes: its name, how often, the folder and a printer.
class ScheduleDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ScheduleDialog)
public:
    // shape: the report each period gets (its period is the schedule's).
    ScheduleDialog(Administration *administration, const ReportRequest &shape, QWidget *parent = nullptr);

    // Adds the schedule the form describes (what the Add button does).
    void addSchedule();
    void removeSelected();

Q_SIGNALS:
    // An action ended: ok, and what the status line says.
    void finished(bool ok, const QString &message);
    void listed(); // the list shows the database's schedules

private:
    void reload();
    void report(bool ok, const QString &message);

    Administration *m_administration;
    ReportRequest m_shape;
    QListWidget *m_list = nullptr;
    QLineEdit *m_name = nullptr;
    QComboBox *m_every = nullptr;
    QLineEdit *m_folder = nullptr;
    QComboBox *m_printer = nullptr;
    QLabel *m_status = nullptr;
    QPushButton *m_remove = nullptr;
};

} // namespace StreamSwarm::Console
