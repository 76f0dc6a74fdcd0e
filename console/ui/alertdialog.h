// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <optional>

#include <QDialog>

#include "console/alerts/alertrule.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;

namespace StreamSwarm::Console {

class ConsoleService;

// Alerts > Add alert: the window's `alert add`. The form checks as the user types (the rule's own
// checks, the notification targets line by line) and keeps Add disabled, saying why, while the rule
// is not whole; the application layer checks again, with the command line's messages. GUI thread.
class AlertDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AlertDialog)
public:
    explicit AlertDialog(ConsoleService *service, QWidget *parent = nullptr);

    // The rule the form describes; nullopt, why, and the field in the way when it is not whole.
    std::optional<AlertRule> draft(QString *error, QWidget **field = nullptr) const;
    QString problem() const; // what the form shows as in the way; empty when the rule is whole

Q_SIGNALS:
    void alertAdded(const QString &name);

private:
    void handleAdd();
    void handleTestChanged();
    void handleMetricChanged();
    void check();
    void touch(); // the user changed something: say what is in the way from now on
    void showProblem(const QString &text);
    void fitHeight(); // taller when a longer message or preview needs it

    ConsoleService *m_service;
    QLineEdit *m_name;
    QComboBox *m_test;
    QComboBox *m_metric;
    QLabel *m_metricHelp;
    QComboBox *m_comparison;
    QLineEdit *m_level;
    QLabel *m_unit;
    QSpinBox *m_for;
    QSpinBox *m_of;
    QLineEdit *m_clear;
    QLabel *m_clearUnit;
    QLineEdit *m_agents;
    QSpinBox *m_minAgents;
    QComboBox *m_severity;
    QPlainTextEdit *m_notify;
    QLabel *m_preview;
    QLabel *m_error;
    QPushButton *m_add;
    bool m_touched = false;
    bool m_adding = false;
};

} // namespace StreamSwarm::Console
