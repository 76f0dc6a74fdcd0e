// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "scheduledialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPrinterInfo>
#include <QPushButton>
#include <QStandardPaths>
#include <QVBoxLayout>

#include "console/app/administration.h"
#include "console/ui/appearance.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

ScheduleDialog::ScheduleDialog(Administration *administration, const ReportRequest &shape, QWidget *parent)
    : QDialog(parent)
    , m_administration(administration)
    , m_shape(shape)
{
    setWindowTitle(tr("Scheduled reports"));
    setObjectName(u"scheduleDialog"_s);
    m_list = new QListWidget;
    m_list->setObjectName(u"scheduleList"_s);
    m_remove = new QPushButton(Appearance::icon(u"delete"_s), tr("&Remove"));
    m_remove->setObjectName(u"scheduleRemove"_s);
    m_remove->setEnabled(false);
    connect(m_list, &QListWidget::currentRowChanged, this, [this](int row) { m_remove->setEnabled(row >= 0); });
    connect(m_remove, &QPushButton::clicked, this, &ScheduleDialog::removeSelected);

    m_name = new QLineEdit;
    m_name->setObjectName(u"scheduleName"_s);
    m_name->setPlaceholderText(tr("e.g. weekly-managers"));
    m_every = new QComboBox;
    m_every->setObjectName(u"scheduleEvery"_s);
    for (auto every : {ReportSchedule::Every::Day, ReportSchedule::Every::Week, ReportSchedule::Every::Month})
        m_every->addItem(ReportSchedule::everyName(every), int(every));
    m_every->setCurrentIndex(1);
    m_folder = new QLineEdit(QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation));
    m_folder->setObjectName(u"scheduleFolder"_s);
    auto *browse = new QPushButton(tr("&Choose…"));
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString folder = QFileDialog::getExistingDirectory(this, tr("Folder for the reports"), m_folder->text());
        if (!folder.isEmpty())
            m_folder->setText(folder);
    });
    auto *folderRow = new QHBoxLayout;
    folderRow->addWidget(m_folder, 1);
    folderRow->addWidget(browse);
    m_printer = new QComboBox;
    m_printer->setObjectName(u"schedulePrinter"_s);
    m_printer->addItem(tr("Do not print"), QString());
    for (const QString &printer : QPrinterInfo::availablePrinterNames())
        m_printer->addItem(printer, printer);

    auto *form = new QFormLayout;
    form->addRow(tr("&Name:"), m_name);
    form->addRow(tr("&Every:"), m_every);
    auto *folderLabel = new QLabel(tr("&Folder:"));
    folderLabel->setBuddy(m_folder);
    form->addRow(folderLabel, folderRow);
    form->addRow(tr("&Printer:"), m_printer);
    auto *add = new QPushButton(Appearance::icon(u"add"_s), tr("&Add schedule"));
    add->setObjectName(u"scheduleAdd"_s);
    connect(add, &QPushButton::clicked, this, &ScheduleDialog::addSchedule);

    m_status = new QLabel(tr("Each report covers the day, week (Monday to Monday) or month that has just ended, "
                             "as the report window describes it now (%1).")
                              .arg(ReportRequest::kindName(m_shape.kind)));
    m_status->setObjectName(u"scheduleStatus"_s);
    m_status->setWordWrap(true);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_list);
    layout->addWidget(m_remove, 0, Qt::AlignRight);
    layout->addLayout(form);
    layout->addWidget(add, 0, Qt::AlignRight);
    layout->addWidget(m_status);
    layout->addWidget(buttons);
    resize(560, 480);
    reload();
}

void ScheduleDialog::reload()
{
    m_administration->schedules(this, [this](const Result<QList<ReportSchedule>> &schedules) {
        m_list->clear();
        if (!schedules) {
            report(false, schedules.error());
            return;
        }
        for (const ReportSchedule &schedule : *schedules) {
            auto *item = new QListWidgetItem(
                tr("%1: %2 %3, into %4%5")
                    .arg(schedule.name, ReportRequest::kindName(schedule.request.kind),
                        ReportSchedule::everyName(schedule.every), schedule.folder,
                        schedule.printer.isEmpty() ? QString() : tr(", printed on %1").arg(schedule.printer)));
            item->setData(Qt::UserRole, schedule.name);
            m_list->addItem(item);
        }
        if (m_list->count() == 0)
            m_list->addItem(tr("No report is scheduled yet."));
        m_remove->setEnabled(false);
        Q_EMIT listed();
    });
}

void ScheduleDialog::addSchedule()
{
    ReportSchedule schedule;
    schedule.name = m_name->text().trimmed();
    schedule.every = ReportSchedule::Every(m_every->currentData().toInt());
    schedule.folder = m_folder->text().trimmed();
    schedule.printer = m_printer->currentData().toString();
    schedule.request = m_shape;
    QString error;
    if (!schedule.check(&error)) {
        report(false, error);
        return;
    }
    m_administration->addSchedule(schedule, this, [this, schedule](const Result<Done> &added) {
        if (!added) {
            report(false, added.error());
            return;
        }
        m_name->clear();
        report(true, tr("Scheduled \"%1\" %2.").arg(schedule.name, ReportSchedule::everyName(schedule.every)));
        reload();
    });
}

void ScheduleDialog::removeSelected()
{
    const QListWidgetItem *item = m_list->currentItem();
    const QString name = item ? item->data(Qt::UserRole).toString() : QString();
    if (name.isEmpty())
        return;
    m_administration->removeSchedule(name, this, [this, name](const Result<Done> &removed) {
        if (!removed) {
            report(false, removed.error());
            return;
        }
        report(true, tr("Removed \"%1\"; the reports already written stay.").arg(name));
        reload();
    });
}

void ScheduleDialog::report(bool ok, const QString &message)
{
    m_status->setText(message);
    Q_EMIT finished(ok, message);
}

} // namespace StreamSwarm::Console
