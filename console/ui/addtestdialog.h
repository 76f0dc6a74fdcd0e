// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <optional>

#include <QDialog>
#include <QPointer>

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
class QTimer;

namespace StreamSwarm::Console {

class ConsoleService;
class ParameterForm;

// Tests > Add test, Edit test and Duplicate test: the window's `test add` and `test edit`. The same
// checks, messages and audit line as the command line, because both call the application layer.
// GUI thread.
class AddTestDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AddTestDialog)
public:
    enum class Purpose { Add, Edit, Duplicate };
    // For Edit and Duplicate, the form starts from test (a duplicate under a new name).
    explicit AddTestDialog(ConsoleService *service, QWidget *parent = nullptr, Purpose purpose = Purpose::Add,
        const TestRecord &test = {});

Q_SIGNALS:
    void testAdded(const QString &name);
    void testChanged(const QString &name);

protected:
    void showEvent(QShowEvent *event) override;

private:
    void handleAdd();
    void load(const TestRecord &test);
    void handleTypeChanged();
    void reloadAgents();
    void updateButtons();
    std::optional<TestRecord> draft(QString *error, QWidget **focus) const;
    void showError(const QString &message, QWidget *focus);
    // As the user types: the field in the way marked and the reason said, or what will run.
    void checkAsTyped();
    void markField(QWidget *field);
    QString describe(const TestRecord &test) const;

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
    QLineEdit *m_start;
    QCheckBox *m_allAgents;
    QListWidget *m_agents;
    QLineEdit *m_tags;
    ParameterForm *m_params; // built from the chosen type's descriptor
    QLabel *m_typeSummary;
    QLabel *m_error;
    QLabel *m_preview; // one line: what will run
    QTimer *m_checkTimer;
    QPointer<QWidget> m_markedField;
    QPushButton *m_add;
    Purpose m_purpose;
    QString m_editedName; // the test being edited, under its name before the edit
    bool m_adding = false;
};

} // namespace StreamSwarm::Console
