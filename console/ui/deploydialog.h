// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <atomic>
#include <memory>
#include <optional>

#include <QDialog>

#include "console/deploy/deployment.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QStackedWidget;
class QTableView;
class QTableWidget;

namespace StreamSwarm::Console {

class ConsoleService;
class DeploymentModel;

// Installs the agent on other hosts over SSH, as "streamswarm-console deploy" does: the hosts (typed or
// imported from a CSV file), how to log in, the package and the console's address on the first page;
// a row per host with its progress, a cancel, and each failure in plain words on the second. A host
// seen for the first time shows its key's fingerprint and asks. The password lives only in the field
// and the running deployment. GUI thread.
class DeployDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DeployDialog)
public:
    explicit DeployDialog(ConsoleService *service, QWidget *parent = nullptr);
    ~DeployDialog() override;

    // For tests and screenshots: fill the form as a user would.
    void addHost(const QString &host, int port, const QString &user, const QString &agentName);
    void setPackage(const QString &path);
    DeploymentModel *model() const { return m_model; }
    bool deploymentEnded() const;

public Q_SLOTS:
    void deploy();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    QWidget *createSetupPage();
    QWidget *createProgressPage();
    void importHosts();
    void chooseKey();
    void choosePackage();
    void updateLoginFields();
    bool askAboutHostKey(const DeployTarget &target, const HostKeyCheck &key);
    void showSelectedDetails();
    void updateProgressButtons();
    void backToSetup();
    void rememberChoices() const;
    std::optional<QList<DeployTarget>> readTargets(QString *error) const;

    ConsoleService *m_service;
    std::unique_ptr<DeployRegistry> m_registry;
    std::unique_ptr<Deployment> m_deployment;
    std::shared_ptr<std::atomic_bool> m_closing = std::make_shared<std::atomic_bool>(false);
    DeploymentModel *m_model;
    QStackedWidget *m_pages = nullptr;

    QTableWidget *m_hosts = nullptr;
    QLineEdit *m_user = nullptr;
    QComboBox *m_loginWith = nullptr;
    QLineEdit *m_keyFile = nullptr;
    QPushButton *m_keyBrowse = nullptr;
    QLineEdit *m_password = nullptr;
    QLineEdit *m_knownHosts = nullptr;
    QLineEdit *m_package = nullptr;
    QLineEdit *m_server = nullptr;
    QLabel *m_setupError = nullptr;

    QTableView *m_progress = nullptr;
    QPlainTextEdit *m_details = nullptr;
    QPushButton *m_cancelSelected = nullptr;
    QPushButton *m_cancelAll = nullptr;
    QPushButton *m_back = nullptr;
};

} // namespace StreamSwarm::Console
