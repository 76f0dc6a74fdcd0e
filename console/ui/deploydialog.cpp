// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "deploydialog.h"

#include <chrono>
#include <future>

#include <QCloseEvent>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFile>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QStackedWidget>
#include <QSysInfo>
#include <QTableView>
#include <QTableWidget>
#include <QUrl>
#include <QVBoxLayout>

#include "console/app/administration.h"
#include "console/deploy/deploytargets.h"
#include "console/server/consoleservice.h"
#include "console/ui/deploymentmodel.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

namespace {

enum Login { WithAgent, WithKey, WithPassword };
enum HostColumn { HostName, HostPort, HostUser, HostAgent, HostColumnCount };

// Tokens through the storage thread, the agent list as the running server knows it.
class ServiceRegistry final : public DeployRegistry
{
public:
    ServiceRegistry(ConsoleService *service, QObject *context)
        : m_service(service)
        , m_context(context)
    { }
    void issueToken(const TokenRequest &request, Callback<IssuedToken> done) override
    {
        m_service->administration()->createToken(request, m_context, std::move(done));
    }
    void revokeToken(const QString &name) override
    {
        m_service->administration()->revokeToken(name, m_context, [](const Result<Done> &) {});
    }
    void agents(Callback<QList<AgentRecord>> done) override { done(m_service->agents()); }

private:
    ConsoleService *m_service;
    QObject *m_context;
};

// The address agents dial: the listen URL, with this computer's name where it listens on all addresses.
QString defaultServerUrl(const ConsoleService *service)
{
    QUrl url(service->listenUrl());
    if (url.host() == u"0.0.0.0" || url.host() == u"::")
        url.setHost(QSysInfo::machineHostName());
    return url.toString();
}

} // namespace

DeployDialog::DeployDialog(ConsoleService *service, QWidget *parent)
    : QDialog(parent)
    , m_service(service)
    , m_registry(std::make_unique<ServiceRegistry>(service, this))
    , m_model(new DeploymentModel(this))
{
    setWindowTitle(tr("Install agents over SSH"));
    m_pages = new QStackedWidget(this);
    m_pages->addWidget(createSetupPage());
    m_pages->addWidget(createProgressPage());
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_pages);
    resize(760, 560);
}

DeployDialog::~DeployDialog()
{
    *m_closing = true; // a host-key question still waiting gives up, so the threads can end
    m_model->setDeployment(nullptr);
    m_deployment.reset();
}

QWidget *DeployDialog::createSetupPage()
{
    auto *page = new QWidget(this);
    auto *intro = new QLabel(tr("The agent's package is copied to each host, installed with sudo, and started. Each "
                                "host gets its own single-use enrollment token, so it appears under Agents by itself."),
        page);
    intro->setWordWrap(true);

    m_hosts = new QTableWidget(0, HostColumnCount, page);
    m_hosts->setObjectName(u"hosts"_s);
    m_hosts->setHorizontalHeaderLabels({tr("Host"), tr("Port"), tr("User"), tr("Agent name")});
    m_hosts->horizontalHeaderItem(HostUser)->setToolTip(tr("Empty: the user in \"Log in as\" below"));
    m_hosts->horizontalHeaderItem(HostAgent)->setToolTip(tr("Empty: the host's own name"));
    m_hosts->horizontalHeader()->setSectionResizeMode(HostName, QHeaderView::Stretch);
    m_hosts->horizontalHeader()->setSectionResizeMode(HostAgent, QHeaderView::Stretch);
    m_hosts->verticalHeader()->hide();
    auto *add = new QPushButton(tr("&Add host"), page);
    auto *remove = new QPushButton(tr("&Remove"), page);
    auto *import = new QPushButton(tr("&Import CSV…"), page);
    connect(add, &QPushButton::clicked, this, [this] { addHost({}, 22, {}, {}); });
    connect(remove, &QPushButton::clicked, this, [this] {
        if (m_hosts->currentRow() >= 0)
            m_hosts->removeRow(m_hosts->currentRow());
    });
    connect(import, &QPushButton::clicked, this, &DeployDialog::importHosts);
    auto *hostButtons = new QHBoxLayout;
    hostButtons->addWidget(add);
    hostButtons->addWidget(remove);
    hostButtons->addWidget(import);
    hostButtons->addStretch();

    const QSettings remembered;
    m_user = new QLineEdit(remembered.value(u"deploy/user"_s, qEnvironmentVariable("USER")).toString(), page);
    m_loginWith = new QComboBox(page);
    m_loginWith->addItems({tr("Your SSH agent"), tr("A private key file"), tr("A password")});
    m_loginWith->setCurrentIndex(remembered.value(u"deploy/login"_s, int(WithAgent)).toInt());
    m_keyFile = new QLineEdit(remembered.value(u"deploy/key"_s).toString(), page);
    m_keyBrowse = new QPushButton(tr("Browse…"), page);
    connect(m_keyBrowse, &QPushButton::clicked, this, &DeployDialog::chooseKey);
    auto *keyRow = new QHBoxLayout;
    keyRow->addWidget(m_keyFile);
    keyRow->addWidget(m_keyBrowse);
    m_password = new QLineEdit(page);
    m_password->setEchoMode(QLineEdit::Password);
    m_password->setPlaceholderText(tr("For the login, or for sudo when it asks; never stored"));
    m_knownHosts = new QLineEdit(remembered.value(u"deploy/known-hosts"_s).toString(), page);
    m_knownHosts->setPlaceholderText(tr("~/.ssh/known_hosts"));
    m_package = new QLineEdit(remembered.value(u"deploy/package"_s).toString(), page);
    auto *packageBrowse = new QPushButton(tr("Browse…"), page);
    connect(packageBrowse, &QPushButton::clicked, this, &DeployDialog::choosePackage);
    auto *packageRow = new QHBoxLayout;
    packageRow->addWidget(m_package);
    packageRow->addWidget(packageBrowse);
    m_server = new QLineEdit(defaultServerUrl(m_service), page);
    connect(m_loginWith, &QComboBox::currentIndexChanged, this, &DeployDialog::updateLoginFields);
    // An error is about the form as it was: any change takes it away.
    const auto clearError = [this] {
        if (m_setupError)
            m_setupError->hide();
    };
    connect(m_hosts, &QTableWidget::itemChanged, this, clearError);
    for (QLineEdit *field : {m_user, m_keyFile, m_password, m_knownHosts, m_package, m_server})
        connect(field, &QLineEdit::textChanged, this, clearError);

    auto *form = new QFormLayout;
    form->addRow(tr("Log in as:"), m_user);
    form->addRow(tr("Log in with:"), m_loginWith);
    form->addRow(tr("Key file:"), keyRow);
    form->addRow(tr("Password:"), m_password);
    form->addRow(tr("Known hosts file:"), m_knownHosts);
    form->addRow(tr("Agent package (.deb):"), packageRow);
    form->addRow(tr("Agents connect to:"), m_server);

    m_setupError = new QLabel(page);
    m_setupError->setObjectName(u"setupError"_s);
    m_setupError->setWordWrap(true);
    m_setupError->setStyleSheet(u"color: #c82828"_s);
    m_setupError->hide();
    auto *buttons = new QDialogButtonBox(page);
    QPushButton *deployButton = buttons->addButton(tr("&Install"), QDialogButtonBox::AcceptRole);
    deployButton->setObjectName(u"installButton"_s);
    buttons->addButton(QDialogButtonBox::Close);
    connect(deployButton, &QPushButton::clicked, this, &DeployDialog::deploy);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::close);

    auto *layout = new QVBoxLayout(page);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(intro);
    layout->addWidget(m_hosts, 1);
    layout->addLayout(hostButtons);
    layout->addLayout(form);
    layout->addWidget(m_setupError);
    layout->addWidget(buttons);
    updateLoginFields();
    return page;
}

QWidget *DeployDialog::createProgressPage()
{
    auto *page = new QWidget(this);
    m_progress = new QTableView(page);
    m_progress->setObjectName(u"progress"_s);
    m_progress->setModel(m_model);
    m_progress->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_progress->setSelectionMode(QAbstractItemView::SingleSelection);
    m_progress->horizontalHeader()->setStretchLastSection(true);
    m_progress->verticalHeader()->hide();
    // A failure is a sentence or two: shown whole, the row grows.
    m_progress->setWordWrap(true);
    m_progress->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    connect(m_model, &QAbstractItemModel::dataChanged, this, [this] {
        showSelectedDetails();
        updateProgressButtons();
    });
    connect(m_progress->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        &DeployDialog::showSelectedDetails);
    m_details = new QPlainTextEdit(page);
    m_details->setObjectName(u"details"_s);
    m_details->setReadOnly(true);
    m_details->setPlaceholderText(tr("Select a host to see what happened there."));

    m_cancelSelected = new QPushButton(tr("&Cancel this host"), page);
    m_cancelAll = new QPushButton(tr("Cancel &all"), page);
    m_cancelAll->setObjectName(u"cancelAllButton"_s);
    m_back = new QPushButton(tr("&Back"), page);
    m_back->setObjectName(u"backButton"_s);
    auto *close = new QPushButton(tr("Close"), page);
    connect(m_cancelSelected, &QPushButton::clicked, this, [this] {
        if (m_deployment && m_progress->currentIndex().isValid())
            m_deployment->cancel(m_progress->currentIndex().row());
    });
    connect(m_cancelAll, &QPushButton::clicked, this, [this] {
        if (m_deployment)
            m_deployment->cancelAll();
    });
    connect(m_back, &QPushButton::clicked, this, &DeployDialog::backToSetup);
    connect(close, &QPushButton::clicked, this, &QDialog::close);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_cancelSelected);
    buttons->addWidget(m_cancelAll);
    buttons->addStretch();
    buttons->addWidget(m_back);
    buttons->addWidget(close);

    auto *layout = new QVBoxLayout(page);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_progress, 2);
    layout->addWidget(m_details, 1);
    layout->addLayout(buttons);
    return page;
}

void DeployDialog::addHost(const QString &host, int port, const QString &user, const QString &agentName)
{
    const int row = m_hosts->rowCount();
    m_hosts->insertRow(row);
    m_hosts->setItem(row, HostName, new QTableWidgetItem(host));
    m_hosts->setItem(row, HostPort, new QTableWidgetItem(QString::number(port)));
    m_hosts->setItem(row, HostUser, new QTableWidgetItem(user));
    m_hosts->setItem(row, HostAgent, new QTableWidgetItem(agentName));
    if (host.isEmpty())
        m_hosts->editItem(m_hosts->item(row, HostName));
}

void DeployDialog::setPackage(const QString &path)
{
    m_package->setText(path);
}

bool DeployDialog::deploymentEnded() const
{
    return m_deployment && m_deployment->allEnded();
}

void DeployDialog::importHosts()
{
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Import hosts"), QString(), tr("Host lists (*.csv *.txt);;All files (*)"));
    if (path.isEmpty())
        return;
    DeployTarget defaults;
    defaults.user = u"-"_s; // filled in from "Log in as" when deploying
    QString error;
    const auto targets = DeployTargets::readFile(path, defaults, &error);
    if (!targets) {
        QMessageBox::warning(this, tr("Import hosts"), error);
        return;
    }
    for (const DeployTarget &target : *targets)
        addHost(target.host, target.port, target.user == u"-" ? QString() : target.user, target.agentName);
}

void DeployDialog::chooseKey()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Private key"), QDir::homePath() + u"/.ssh"_s);
    if (!path.isEmpty())
        m_keyFile->setText(path);
}

void DeployDialog::choosePackage()
{
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Agent package"), QString(), tr("Debian packages (*.deb);;All files (*)"));
    if (!path.isEmpty())
        m_package->setText(path);
}

void DeployDialog::updateLoginFields()
{
    const bool key = m_loginWith->currentIndex() == WithKey;
    m_keyFile->setEnabled(key);
    m_keyBrowse->setEnabled(key);
    m_password->setPlaceholderText(m_loginWith->currentIndex() == WithPassword
            ? tr("For the login and for sudo; never stored")
            : tr("Only if sudo asks for one; never stored"));
}

std::optional<QList<DeployTarget>> DeployDialog::readTargets(QString *error) const
{
    QList<DeployTarget> targets;
    for (int row = 0; row < m_hosts->rowCount(); ++row) {
        const auto cell = [&](int column) {
            const QTableWidgetItem *item = m_hosts->item(row, column);
            return item ? item->text().trimmed() : QString();
        };
        if (cell(HostName).isEmpty())
            continue;
        DeployTarget defaults;
        defaults.user = cell(HostUser).isEmpty() ? m_user->text().trimmed() : cell(HostUser);
        defaults.agentName = cell(HostAgent);
        bool ok = false;
        const int port = cell(HostPort).isEmpty() ? 22 : cell(HostPort).toInt(&ok);
        if ((!ok && !cell(HostPort).isEmpty()) || port < 1 || port > 65535) {
            *error = tr("Row %1: the port must be a number from 1 to 65535.").arg(row + 1);
            return std::nullopt;
        }
        defaults.port = quint16(port);
        const auto target = DeployTargets::parse(cell(HostName), defaults, error);
        if (!target) {
            *error = tr("Row %1: %2").arg(row + 1).arg(*error);
            return std::nullopt;
        }
        targets.append(*target);
    }
    if (targets.isEmpty())
        *error = tr("Add at least one host.");
    return targets.isEmpty() ? std::nullopt : std::optional(targets);
}

void DeployDialog::deploy()
{
    QString error;
    const auto fail = [this](const QString &message) {
        m_setupError->setText(message);
        m_setupError->show();
    };
    const auto targets = readTargets(&error);
    if (!targets)
        return fail(error);
    DeployParameters parameters;
    parameters.knownHostsFile = m_knownHosts->text().trimmed();
    parameters.credentials.password = m_password->text();
    if (m_loginWith->currentIndex() == WithKey) {
        parameters.credentials.keyFile = m_keyFile->text().trimmed();
        if (!QFile::exists(parameters.credentials.keyFile))
            return fail(tr("Choose the private key file to log in with."));
    }
    if (m_loginWith->currentIndex() == WithPassword && parameters.credentials.password.isEmpty())
        return fail(tr("Type the password to log in with."));
    const QString packagePath = m_package->text().trimmed();
    if (packagePath.isEmpty() || !QFile::exists(packagePath))
        return fail(tr("Choose the agent's package (a .deb file made with cpack -G DEB)."));
    const auto package = readAgentPackage(packagePath, &error);
    if (!package)
        return fail(error);
    parameters.package = *package;
    const ConsoleAddress console{m_server->text().trimmed(), m_service->fingerprint()};
    if (!console.serverUrl.startsWith(u"wss://"_s) && !console.serverUrl.startsWith(u"ws://"_s))
        return fail(tr("Agents connect to an address like wss://console.example.net:8765."));
    m_setupError->hide();
    rememberChoices();

    m_model->setDeployment(nullptr);
    m_deployment = std::make_unique<Deployment>(*targets, parameters, console, m_registry.get());
    const auto closing = m_closing;
    QPointer<DeployDialog> dialog(this);
    // Asked on a worker thread: the question goes to this window and the worker waits for the answer,
    // giving up if the window closes meanwhile.
    m_deployment->setHostKeyQuestion([dialog, closing](const DeployTarget &target, const HostKeyCheck &key) {
        auto answer = std::make_shared<std::promise<bool>>();
        std::future<bool> future = answer->get_future();
        QMetaObject::invokeMethod(
            dialog,
            [dialog, answer, target, key] { answer->set_value(dialog && dialog->askAboutHostKey(target, key)); },
            Qt::QueuedConnection);
        while (future.wait_for(std::chrono::milliseconds(100)) != std::future_status::ready) {
            if (*closing)
                return false;
        }
        try {
            return future.get();
        } catch (const std::future_error &) {
            return false; // the window went away before it could ask
        }
    });
    m_model->setDeployment(m_deployment.get());
    connect(m_deployment.get(), &Deployment::finished, this, &DeployDialog::updateProgressButtons);
    m_pages->setCurrentIndex(1);
    QHeaderView *header = m_progress->horizontalHeader();
    header->setSectionResizeMode(DeploymentModel::Host, QHeaderView::ResizeToContents);
    header->setSectionResizeMode(DeploymentModel::Agent, QHeaderView::ResizeToContents);
    header->setSectionResizeMode(DeploymentModel::Status, QHeaderView::Stretch);
    m_progress->selectRow(0);
    m_deployment->start();
    updateProgressButtons();
}

bool DeployDialog::askAboutHostKey(const DeployTarget &target, const HostKeyCheck &key)
{
    QMessageBox box(QMessageBox::Question, tr("New host"),
        tr("%1 is new to this computer. Its %2 key has the fingerprint\n\n%3\n\nCompare it with what the host's owner "
           "gives you (ssh-keygen -lf /etc/ssh/ssh_host_%4_key.pub on the host). Trust this host and go on?")
            .arg(target.host, key.keyType, key.fingerprint,
                key.keyType.startsWith(u"ecdsa"_s) ? u"ecdsa"_s : key.keyType.section(u'-', 1)),
        QMessageBox::Yes | QMessageBox::No, this);
    box.setDefaultButton(QMessageBox::No);
    return box.exec() == QMessageBox::Yes;
}

void DeployDialog::showSelectedDetails()
{
    const QModelIndex current = m_progress->currentIndex();
    if (!m_deployment || !current.isValid()) {
        m_details->clear();
        return;
    }
    const DeployStatus &status = m_deployment->status(current.row());
    QString text = m_deployment->target(current.row()).label() + u"\n"_s + status.text;
    if (!status.report.log.isEmpty())
        text += u"\n\n"_s + status.report.log.join(u'\n');
    if (m_details->toPlainText() != text)
        m_details->setPlainText(text);
}

void DeployDialog::updateProgressButtons()
{
    const bool ended = !m_deployment || m_deployment->allEnded();
    m_cancelAll->setEnabled(!ended);
    m_cancelSelected->setEnabled(!ended);
    m_back->setEnabled(ended);
}

void DeployDialog::backToSetup()
{
    m_pages->setCurrentIndex(0);
}

void DeployDialog::rememberChoices() const
{
    QSettings remembered;
    remembered.setValue(u"deploy/user"_s, m_user->text().trimmed());
    remembered.setValue(u"deploy/login"_s, m_loginWith->currentIndex());
    remembered.setValue(u"deploy/key"_s, m_keyFile->text().trimmed());
    remembered.setValue(u"deploy/known-hosts"_s, m_knownHosts->text().trimmed());
    remembered.setValue(u"deploy/package"_s, m_package->text().trimmed());
}

void DeployDialog::closeEvent(QCloseEvent *event)
{
    if (m_deployment && !m_deployment->allEnded()) {
        const auto answer = QMessageBox::question(this, tr("Stop installing?"),
            tr("Installing is still under way. Stop it? Hosts where the install has begun finish it on their own."));
        if (answer != QMessageBox::Yes) {
            event->ignore();
            return;
        }
        m_deployment->cancelAll();
    }
    m_password->clear();
    QDialog::closeEvent(event);
}

} // namespace StreamSwarm::Console
