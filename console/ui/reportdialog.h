// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <functional>

#include <QDialog>
#include <QMenu>

#include "console/reports/reportrequest.h"

class QCheckBox;
class QComboBox;
class QDateTimeEdit;
class QDialogButtonBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPagedPaintDevice;
class QPrinter;
class QPushButton;

namespace StreamSwarm::Console {

class ConsoleService;
struct ReportData;

// Makes a report from the window: its kind, period, tests, agents, targets and paper, then a print
// preview, printing, or a PDF file. The figures are read on the storage thread; the pages are drawn
// here. Choices are remembered.
class ReportDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ReportDialog)
public:
    explicit ReportDialog(ConsoleService *service, QWidget *parent = nullptr);
    ~ReportDialog() override;

    // The request the form describes; nullopt with a plain sentence when it cannot be made.
    std::optional<ReportRequest> request(QString *error) const;
    // Opens the scheduled reports, to add one like the form's report (what "Schedules…" does).
    QDialog *openSchedules();
    // Reads the figures, then writes them to path as a PDF (what "Save as PDF…" does once a file is
    // chosen); the outcome shows in the dialog's status line.
    void savePdf(const QString &path);

Q_SIGNALS:
    // A report was written or printed, or it failed: the status line's text.
    void finished(bool ok, const QString &message);

private:
    void buildForm();
    ReportRequest form() const; // every choice, unchecked
    void restoreChoices();
    void saveChoices() const;
    void handleSpanChosen();
    void handlePreview();
    void handlePrint();
    void handleSave();
    // Reads the figures for the form's request, then calls use with them on this thread.
    void withData(const std::function<void(const ReportData &)> &use);
    void setBusy(bool busy, const QString &message = QString());
    void report(bool ok, const QString &message);
    void preparePrinter(QPrinter *printer, const ReportRequest &request) const;
    void keepEvidence(const ReportData &data);

    ConsoleService *m_service;
    QComboBox *m_kind = nullptr;
    QComboBox *m_span = nullptr;
    QDateTimeEdit *m_from = nullptr;
    QDateTimeEdit *m_to = nullptr;
    QComboBox *m_test = nullptr;
    QComboBox *m_agents = nullptr;
    QDoubleSpinBox *m_latency = nullptr;
    QDoubleSpinBox *m_loss = nullptr;
    QDoubleSpinBox *m_availability = nullptr;
    QComboBox *m_paper = nullptr;
    QCheckBox *m_landscape = nullptr;
    QLineEdit *m_site = nullptr;
    QLabel *m_status = nullptr;
    QList<QPushButton *> m_buttons;
};

// The window's File menu: Report… and Quit.
class FileMenu final : public QMenu
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FileMenu)
public:
    FileMenu(ConsoleService *service, QWidget *window);
};

} // namespace StreamSwarm::Console
