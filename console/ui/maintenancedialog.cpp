// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "maintenancedialog.h"

#include <QComboBox>
#include <QDateTimeEdit>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

#include "console/app/administration.h"
#include "console/server/consoleservice.h"
#include "console/ui/appearance.h"
#include "console/ui/statusicons.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

namespace {

constexpr qint64 HOUR_MS = 3600 * 1000;
constexpr qint64 DAY_MS = 24 * HOUR_MS;
constexpr qint64 WEEK_MS = 7 * DAY_MS;
const QString TIME_FORMAT = u"yyyy-MM-dd HH:mm"_s;

enum Column { Name, When, Open, Agents, Tests };

QString timeText(qint64 ms)
{
    return QLocale().toString(QDateTime::fromMSecsSinceEpoch(ms), TIME_FORMAT);
}

} // namespace

MaintenanceDialog::MaintenanceDialog(ConsoleService *service, QWidget *parent)
    : QDialog(parent)
    , m_service(service)
    , m_list(new QTreeWidget(this))
    , m_remove(new QPushButton(Appearance::icon(u"delete"_s), tr("&Remove"), this))
    , m_name(new QLineEdit(this))
    , m_from(new QDateTimeEdit(this))
    , m_to(new QDateTimeEdit(this))
    , m_every(new QComboBox(this))
    , m_agents(new QLineEdit(this))
    , m_tests(new QLineEdit(this))
    , m_status(new QLabel(this))
{
    setWindowTitle(tr("Maintenance windows"));
    setObjectName(u"maintenanceDialog"_s);
    m_list->setObjectName(u"maintenanceList"_s);
    m_list->setRootIsDecorated(false);
    m_list->setUniformRowHeights(true);
    m_list->setAlternatingRowColors(true);
    m_list->setHeaderLabels({tr("Name"), tr("When"), tr("Open now"), tr("Agents"), tr("Tests")});
    m_list->header()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    m_remove->setObjectName(u"maintenanceRemove"_s);
    m_remove->setEnabled(false);
    connect(m_list, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem *item) {
        m_remove->setEnabled(item && !item->data(Name, Qt::UserRole).toString().isEmpty());
    });
    connect(m_remove, &QPushButton::clicked, this, &MaintenanceDialog::removeSelected);

    // A window for planned work starts on the next whole hour and lasts two hours.
    const QDateTime now = QDateTime::currentDateTime();
    const QDateTime start(now.date(), QTime(now.time().hour(), 0));
    m_name->setObjectName(u"maintenanceName"_s);
    m_name->setPlaceholderText(tr("e.g. nightly-backup"));
    for (QDateTimeEdit *edit : {m_from, m_to}) {
        edit->setDisplayFormat(TIME_FORMAT);
        edit->setCalendarPopup(true);
    }
    m_from->setObjectName(u"maintenanceFrom"_s);
    m_from->setDateTime(start.addSecs(3600));
    m_to->setObjectName(u"maintenanceTo"_s);
    m_to->setDateTime(start.addSecs(3 * 3600));
    m_every->setObjectName(u"maintenanceEvery"_s);
    m_every->addItem(tr("Once"), qint64(0));
    m_every->addItem(tr("Every day"), DAY_MS);
    m_every->addItem(tr("Every week"), WEEK_MS);
    m_agents->setObjectName(u"maintenanceAgents"_s);
    m_agents->setPlaceholderText(tr("all agents; or names and tag:TAG, separated by commas"));
    m_tests->setObjectName(u"maintenanceTests"_s);
    m_tests->setPlaceholderText(tr("all tests; or test names, separated by commas"));

    auto *form = new QFormLayout;
    form->addRow(tr("&Name:"), m_name);
    form->addRow(tr("&From:"), m_from);
    form->addRow(tr("&To:"), m_to);
    form->addRow(tr("Re&peat:"), m_every);
    form->addRow(tr("A&gents:"), m_agents);
    form->addRow(tr("T&ests:"), m_tests);
    auto *add = new QPushButton(Appearance::icon(u"add"_s), tr("&Add window"), this);
    add->setObjectName(u"maintenanceAdd"_s);
    connect(add, &QPushButton::clicked, this, &MaintenanceDialog::addWindow);

    m_status->setObjectName(u"maintenanceStatus"_s);
    m_status->setWordWrap(true);
    m_status->setText(tr("Alerts that fire inside a window are recorded as silenced and send nothing; measuring "
                         "goes on. Times are your computer's."));
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_list, 1);
    layout->addWidget(m_remove, 0, Qt::AlignRight);
    layout->addLayout(form);
    layout->addWidget(add, 0, Qt::AlignRight);
    layout->addWidget(m_status);
    layout->addWidget(buttons);
    resize(720, 520);
    connect(m_service->administration(), &Administration::changed, this, &MaintenanceDialog::reload);
    reload();
}

QString MaintenanceDialog::status() const
{
    return m_status->text();
}

void MaintenanceDialog::reload()
{
    m_service->administration()->maintenanceWindows(this, [this](const Result<QList<MaintenanceWindow>> &windows) {
        const QString kept
            = m_list->currentItem() ? m_list->currentItem()->data(Name, Qt::UserRole).toString() : QString();
        m_list->clear();
        if (!windows) {
            report(false, windows.error());
            return;
        }
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        const QIcon openIcon = dotIcon(StatusColor::Info);
        for (const MaintenanceWindow &planned : *windows) {
            QString when = tr("%1 – %2").arg(timeText(planned.fromMs), timeText(planned.toMs));
            if (planned.everyMs == DAY_MS)
                when = tr("%1, every day").arg(when);
            else if (planned.everyMs == WEEK_MS)
                when = tr("%1, every week").arg(when);
            else if (planned.everyMs)
                when = tr("%1, every %2 h").arg(when).arg(planned.everyMs / HOUR_MS);
            const bool open = planned.isOpenAt(now);
            auto *item = new QTreeWidgetItem(m_list,
                {planned.name, when, open ? tr("yes") : tr("no"),
                    planned.agents.all ? tr("all") : planned.agents.toString().split(u',').join(u", "_s),
                    planned.tests.isEmpty() ? tr("all") : planned.tests.join(u", "_s)});
            item->setData(Name, Qt::UserRole, planned.name);
            if (open)
                item->setIcon(Open, openIcon);
            if (planned.name == kept)
                m_list->setCurrentItem(item);
        }
        if (windows->isEmpty()) {
            auto *none = new QTreeWidgetItem(m_list, {tr("No maintenance window yet.")});
            none->setFirstColumnSpanned(true);
            none->setFlags(Qt::ItemIsEnabled);
        }
        for (int column = Name; column < Tests; ++column)
            m_list->resizeColumnToContents(column);
        m_remove->setEnabled(m_list->currentItem() && !kept.isEmpty());
        Q_EMIT listed();
    });
}

std::optional<MaintenanceWindow> MaintenanceDialog::draft(QString *error) const
{
    MaintenanceWindow planned;
    planned.name = m_name->text().trimmed();
    planned.fromMs = m_from->dateTime().toMSecsSinceEpoch();
    planned.toMs = m_to->dateTime().toMSecsSinceEpoch();
    planned.everyMs = m_every->currentData().toLongLong();
    if (planned.name.isEmpty()) {
        *error = tr("Give the window a name.");
        return std::nullopt;
    }
    if (planned.toMs <= planned.fromMs) {
        *error = tr("The window must end after it starts.");
        return std::nullopt;
    }
    if (planned.everyMs && planned.toMs - planned.fromMs >= planned.everyMs) {
        *error = planned.everyMs == DAY_MS ? tr("A window that comes again every day must be shorter than a day.")
                                           : tr("A window that comes again every week must be shorter than a week.");
        return std::nullopt;
    }
    if (!m_agents->text().trimmed().isEmpty()) {
        const auto agents = AgentSelection::parse(m_agents->text(), error);
        if (!agents)
            return std::nullopt;
        planned.agents = *agents;
    }
    for (const QString &test : m_tests->text().split(u',', Qt::SkipEmptyParts)) {
        if (const QString name = test.trimmed(); !name.isEmpty() && !planned.tests.contains(name))
            planned.tests.append(name);
    }
    if (!planned.check(error))
        return std::nullopt;
    return planned;
}

void MaintenanceDialog::addWindow()
{
    QString error;
    const auto planned = draft(&error);
    if (!planned) {
        report(false, error);
        return;
    }
    m_service->administration()->addMaintenance(
        *planned, this, [this, name = planned->name](const Result<Done> &added) {
            if (!added) {
                report(false, added.error());
                return;
            }
            m_name->clear();
            report(
                true, tr("Added the maintenance window \"%1\". Alerts stay silent then; measuring goes on.").arg(name));
            reload();
        });
}

void MaintenanceDialog::removeSelected()
{
    const QTreeWidgetItem *item = m_list->currentItem();
    const QString name = item ? item->data(Name, Qt::UserRole).toString() : QString();
    if (name.isEmpty())
        return;
    m_service->administration()->removeMaintenance(name, this, [this, name](const Result<Done> &removed) {
        if (!removed) {
            report(false, removed.error());
            return;
        }
        report(true, tr("Removed the maintenance window \"%1\".").arg(name));
        reload();
    });
}

void MaintenanceDialog::report(bool ok, const QString &message)
{
    m_status->setText(message);
    m_status->setStyleSheet(ok ? QString() : u"color: #b3261e;"_s);
    Q_EMIT reported(ok, message);
}

} // namespace StreamSwarm::Console
