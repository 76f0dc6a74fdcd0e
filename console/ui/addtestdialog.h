// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <optional>

#include <QDialog>

#include "console/storage/records.h"

class QCheckBox;
class QComboBox;
class QCompleter;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QRadioButton;
class QStringListModel;

namespace StreamSwarm::Console {

class ConsoleService;
class ParameterForm;

// Tests > Add test: the window's `test add`. The same checks, messages and audit line as the command
// line, because both call the application layer's addTest. GUI thread.
class AddTestDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AddTestDialog)
public:
    explicit AddTestDialog(ConsoleService *service, QWidget *parent = nullptr);

Q_SIGNALS:
    void testAdded(const QString &name);

protected:
    void showEvent(QShowEvent *event) override;

private:
    void handleAdd();
    void handleTypeChanged();
    void reloadAgents();
    void updateButtons();
    std::optional<TestRecord> draft(QString *error, QWidget **focus) const;
    void showError(const QString &message, QWidget *focus);

    ConsoleService *m_service;
    QLineEdit *m_name;
    QComboBox *m_type;
    QLineEdit *m_target;
    QStringListModel *m_agentTargets; // "agent:NAME" for each agent, offered as qos targets
    QCompleter *m_agentTargetCompleter;
    QLineEdit *m_interval;
    QRadioButton *m_forDuration;
    QLineEdit *m_duration;
    QRadioButton *m_continuous;
    QCheckBox *m_allAgents;
    QListWidget *m_agents;
    ParameterForm *m_params; // built from the chosen type's descriptor
    QLabel *m_typeSummary;
    QLabel *m_error;
    QPushButton *m_add;
    bool m_adding = false;
};

} // namespace StreamSwarm::Console
