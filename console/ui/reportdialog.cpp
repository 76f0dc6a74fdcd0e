// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "reportdialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPrintDialog>
#include <QPrintPreviewDialog>
#include <QPrinter>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QSysInfo>
#include <QVBoxLayout>

#include "console/app/administration.h"
#include "console/reports/reportdocument.h"
#include "console/server/consoleservice.h"
#include "console/ui/appearance.h"
#include "console/ui/scheduledialog.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

namespace {

constexpr qint64 HOUR_MS = 3600 * 1000;

enum class Span { LastHour, LastDay, LastWeek, LastMonth, PreviousMonth, Custom };

// The period a span names, ending now.
QPair<QDateTime, QDateTime> periodOf(Span span, const QDateTime &now)
{
    switch (span) {
    case Span::LastHour:
        return {now.addMSecs(-HOUR_MS), now};
    case Span::LastDay:
        return {now.addDays(-1), now};
    case Span::LastWeek:
        return {now.addDays(-7), now};
    case Span::LastMonth:
        return {now.addDays(-30), now};
    case Span::PreviousMonth: {
        const QDate first = QDate(now.date().year(), now.date().month(), 1).addMonths(-1);
        return {QDateTime(first, QTime(0, 0)), QDateTime(first.addMonths(1), QTime(0, 0))};
    }
    case Span::Custom:
        break;
    }
    return {now.addDays(-7), now};
}

} // namespace

ReportDialog::ReportDialog(ConsoleService *service, QWidget *parent)
    : QDialog(parent)
    , m_service(service)
{
    setWindowTitle(tr("Report"));
    setObjectName(u"reportDialog"_s);
    buildForm();
    restoreChoices();
    handleSpanChosen();
}

ReportDialog::~ReportDialog()
{
    saveChoices();
}

void ReportDialog::buildForm()
{
    auto *form = new QFormLayout;
    m_kind = new QComboBox;
    m_kind->setObjectName(u"reportKind"_s);
    m_kind->addItem(tr("Executive: a plain summary for managers"), int(ReportKind::Executive));
    m_kind->addItem(tr("Engineering: every test in detail"), int(ReportKind::Engineering));
    m_kind->addItem(tr("Evidence: one incident, for a provider"), int(ReportKind::Evidence));
    form->addRow(tr("&Kind:"), m_kind);

    m_span = new QComboBox;
    m_span->setObjectName(u"reportSpan"_s);
    m_span->addItem(tr("Last hour"), int(Span::LastHour));
    m_span->addItem(tr("Last 24 hours"), int(Span::LastDay));
    m_span->addItem(tr("Last 7 days"), int(Span::LastWeek));
    m_span->addItem(tr("Last 30 days"), int(Span::LastMonth));
    m_span->addItem(tr("Previous calendar month"), int(Span::PreviousMonth));
    m_span->addItem(tr("From – to…"), int(Span::Custom));
    form->addRow(tr("&Period:"), m_span);
    m_from = new QDateTimeEdit;
    m_to = new QDateTimeEdit;
    for (QDateTimeEdit *edit : {m_from, m_to}) {
        edit->setCalendarPopup(true);
        edit->setDisplayFormat(u"yyyy-MM-dd HH:mm"_s);
    }
    m_from->setObjectName(u"reportFrom"_s);
    m_to->setObjectName(u"reportTo"_s);
    form->addRow(tr("&From:"), m_from);
    form->addRow(tr("&To:"), m_to);

    m_test = new QComboBox;
    m_test->setObjectName(u"reportTest"_s);
    m_test->addItem(tr("Every test"), QString());
    for (const TestRecord &test : m_service->tests())
        m_test->addItem(test.name, test.name);
    form->addRow(tr("T&ests:"), m_test);
    m_agents = new QComboBox;
    m_agents->setObjectName(u"reportAgents"_s);
    m_agents->addItem(tr("Every agent"), QString());
    QStringList tags;
    for (const AgentRecord &agent : m_service->agents()) {
        m_agents->addItem(agent.name, agent.name);
        for (const QString &tag : agent.tags) {
            if (!tags.contains(tag))
                tags.append(tag);
        }
    }
    tags.sort();
    for (const QString &tag : std::as_const(tags))
        m_agents->addItem(tr("Agents tagged %1").arg(tag), QString(u"tag:"_s + tag));
    form->addRow(tr("A&gents:"), m_agents);

    m_latency = new QDoubleSpinBox;
    m_latency->setObjectName(u"reportLatencyTarget"_s);
    m_latency->setRange(0.1, 60000);
    m_latency->setSuffix(u" ms"_s);
    m_latency->setToolTip(tr("A round met the latency target when it took at most this long."));
    m_loss = new QDoubleSpinBox;
    m_loss->setRange(0, 100);
    m_loss->setDecimals(2);
    m_loss->setSuffix(u" %"_s);
    m_availability = new QDoubleSpinBox;
    m_availability->setRange(0, 100);
    m_availability->setDecimals(3);
    m_availability->setSuffix(u" %"_s);
    form->addRow(tr("&Latency target:"), m_latency);
    form->addRow(tr("Highest l&oss:"), m_loss);
    form->addRow(tr("Lowest availa&bility:"), m_availability);

    m_paper = new QComboBox;
    m_paper->addItem(tr("A4"), int(QPageSize::A4));
    m_paper->addItem(tr("US Letter"), int(QPageSize::Letter));
    m_landscape = new QCheckBox(tr("Lands&cape"));
    auto *paperRow = new QHBoxLayout;
    paperRow->addWidget(m_paper);
    paperRow->addWidget(m_landscape);
    paperRow->addStretch();
    auto *paperLabel = new QLabel(tr("Pape&r:"));
    paperLabel->setBuddy(m_paper);
    form->addRow(paperLabel, paperRow);
    m_site = new QLineEdit;
    m_site->setPlaceholderText(QSysInfo::machineHostName());
    m_site->setToolTip(tr("The name on every page's header, e.g. your site or customer."));
    form->addRow(tr("&Site name:"), m_site);

    m_status = new QLabel;
    m_status->setObjectName(u"reportStatus"_s);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    const auto addButton
        = [&](const QString &text, const QString &icon, const QString &name, void (ReportDialog::*slot)()) {
              QPushButton *button = buttons->addButton(text, QDialogButtonBox::ActionRole);
              button->setIcon(Appearance::icon(icon));
              button->setObjectName(name);
              connect(button, &QPushButton::clicked, this, slot);
              m_buttons.append(button);
          };
    addButton(tr("Pre&view…"), u"report"_s, u"reportPreview"_s, &ReportDialog::handlePreview);
    addButton(tr("Pri&nt…"), u"print"_s, u"reportPrint"_s, &ReportDialog::handlePrint);
    addButton(tr("Save as P&DF…"), u"save"_s, u"reportSave"_s, &ReportDialog::handleSave);
    QPushButton *schedules = buttons->addButton(tr("Sc&hedules…"), QDialogButtonBox::ActionRole);
    schedules->setObjectName(u"reportSchedules"_s);
    schedules->setToolTip(tr("Make this report after every day, week or month, into a folder"));
    connect(schedules, &QPushButton::clicked, this, &ReportDialog::openSchedules);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_status);
    layout->addWidget(buttons);
    connect(m_span, &QComboBox::currentIndexChanged, this, &ReportDialog::handleSpanChosen);
    connect(m_kind, &QComboBox::currentIndexChanged, this, [this] {
        // Evidence is about one incident: start from the last hour rather than a month.
        if (ReportKind(m_kind->currentData().toInt()) == ReportKind::Evidence
            && Span(m_span->currentData().toInt()) != Span::Custom)
            m_span->setCurrentIndex(m_span->findData(int(Span::LastHour)));
    });
}

void ReportDialog::restoreChoices()
{
    QSettings settings;
    settings.beginGroup(u"reports"_s);
    const auto choose = [](QComboBox *box, const QVariant &value) {
        const int index = box->findData(value);
        if (index >= 0)
            box->setCurrentIndex(index);
    };
    choose(m_kind, settings.value(u"kind"_s, int(ReportKind::Executive)));
    choose(m_span, settings.value(u"span"_s, int(Span::LastWeek)));
    choose(m_test, settings.value(u"test"_s, QString()));
    choose(m_agents, settings.value(u"agents"_s, QString()));
    choose(m_paper, settings.value(u"paper"_s, int(QPageSize::A4)));
    const ReportTargets defaults;
    m_latency->setValue(settings.value(u"latencyMs"_s, defaults.latencyMs).toDouble());
    m_loss->setValue(settings.value(u"lossPct"_s, defaults.lossPct).toDouble());
    m_availability->setValue(settings.value(u"availabilityPct"_s, defaults.availabilityPct).toDouble());
    m_landscape->setChecked(settings.value(u"landscape"_s, false).toBool());
    m_site->setText(settings.value(u"site"_s).toString());
    const QDateTime now = QDateTime::currentDateTime();
    m_from->setDateTime(now.addDays(-7));
    m_to->setDateTime(now);
}

void ReportDialog::saveChoices() const
{
    QSettings settings;
    settings.beginGroup(u"reports"_s);
    settings.setValue(u"kind"_s, m_kind->currentData());
    settings.setValue(u"span"_s, m_span->currentData());
    settings.setValue(u"test"_s, m_test->currentData());
    settings.setValue(u"agents"_s, m_agents->currentData());
    settings.setValue(u"paper"_s, m_paper->currentData());
    settings.setValue(u"latencyMs"_s, m_latency->value());
    settings.setValue(u"lossPct"_s, m_loss->value());
    settings.setValue(u"availabilityPct"_s, m_availability->value());
    settings.setValue(u"landscape"_s, m_landscape->isChecked());
    settings.setValue(u"site"_s, m_site->text());
}

void ReportDialog::handleSpanChosen()
{
    const Span span = Span(m_span->currentData().toInt());
    const bool custom = span == Span::Custom;
    m_from->setEnabled(custom);
    m_to->setEnabled(custom);
    if (!custom) {
        const auto [from, to] = periodOf(span, QDateTime::currentDateTime());
        m_from->setDateTime(from);
        m_to->setDateTime(to);
    }
}

QDialog *ReportDialog::openSchedules()
{
    auto *dialog = new ScheduleDialog(m_service->administration(), form(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
    return dialog;
}

std::optional<ReportRequest> ReportDialog::request(QString *error) const
{
    const ReportRequest request = form();
    if (!request.check(error))
        return std::nullopt;
    return request;
}

ReportRequest ReportDialog::form() const
{
    ReportRequest request;
    request.kind = ReportKind(m_kind->currentData().toInt());
    const Span span = Span(m_span->currentData().toInt());
    // A relative span ends now, when the report is made, not when the dialog opened.
    const auto [from, to] = span == Span::Custom ? qMakePair(m_from->dateTime(), m_to->dateTime())
                                                 : periodOf(span, QDateTime::currentDateTime());
    request.fromMs = from.toMSecsSinceEpoch();
    request.toMs = to.toMSecsSinceEpoch();
    request.testName = m_test->currentData().toString();
    request.agents = m_agents->currentData().toString();
    request.targets.latencyMs = m_latency->value();
    request.targets.lossPct = m_loss->value();
    request.targets.availabilityPct = m_availability->value();
    request.paper = QPageSize::PageSizeId(m_paper->currentData().toInt());
    request.landscape = m_landscape->isChecked();
    request.siteName = m_site->text().trimmed();
    return request;
}

void ReportDialog::withData(const std::function<void(const ReportData &)> &use)
{
    QString error;
    const auto asked = request(&error);
    if (!asked) {
        report(false, error);
        return;
    }
    setBusy(true, tr("Reading the figures…"));
    m_service->administration()->reportData(*asked, this, [this, use](const Result<ReportData> &data) {
        setBusy(false);
        if (!data) {
            report(false, data.error());
            return;
        }
        use(*data);
    });
}

void ReportDialog::handlePreview()
{
    withData([this](const ReportData &data) {
        QPrinter printer(QPrinter::HighResolution);
        preparePrinter(&printer, data.request);
        QPrintPreviewDialog preview(&printer, this);
        preview.setWindowTitle(ReportRequest::kindName(data.request.kind));
        connect(&preview, &QPrintPreviewDialog::paintRequested, this,
            [&data](QPrinter *device) { ReportDocument(data).print(device); });
        if (preview.exec() == QDialog::Accepted)
            keepEvidence(data);
        report(true, QString());
    });
}

void ReportDialog::handlePrint()
{
    withData([this](const ReportData &data) {
        QPrinter printer(QPrinter::HighResolution);
        preparePrinter(&printer, data.request);
        QPrintDialog dialog(&printer, this);
        if (dialog.exec() != QDialog::Accepted)
            return;
        if (!printer.isValid()) {
            report(false, tr("The printer is not available any more; choose another or save a PDF."));
            return;
        }
        const int pages = ReportDocument(data).print(&printer);
        if (printer.printerState() == QPrinter::Error) {
            report(
                false, tr("The printer reported an error; nothing may have been printed. Try again, or save a PDF."));
            return;
        }
        keepEvidence(data);
        report(true, tr("Sent %1 pages to %2.").arg(pages).arg(printer.printerName()));
    });
}

void ReportDialog::handleSave()
{
    QString error;
    const auto asked = request(&error);
    if (!asked) {
        report(false, error);
        return;
    }
    const QString folder = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    const QString name = u"%1-%2.pdf"_s.arg(
        ReportRequest::kindKey(asked->kind), QDateTime::fromMSecsSinceEpoch(asked->toMs).toString(u"yyyy-MM-dd"_s));
    const QString path
        = QFileDialog::getSaveFileName(this, tr("Save the report"), folder + u'/' + name, tr("PDF documents (*.pdf)"));
    if (!path.isEmpty())
        savePdf(path);
}

void ReportDialog::savePdf(const QString &path)
{
    withData([this, path](const ReportData &data) {
        int pages = 0;
        QString error;
        if (!ReportDocument::writePdf(data, path, &pages, &error)) {
            report(false, error);
            return;
        }
        keepEvidence(data);
        report(true, tr("Wrote %1 (%2 pages).").arg(QDir::toNativeSeparators(path)).arg(pages));
    });
}

void ReportDialog::keepEvidence(const ReportData &data)
{
    if (data.request.kind != ReportKind::Evidence)
        return;
    const QString what = data.agentNames.join(u", "_s) + u" / "_s + data.testNames.join(u", "_s);
    m_service->administration()->recordEvidence(what, data.request.fromMs, data.request.toMs,
        QString::fromLatin1(data.sha256), this, [this](const Result<Done> &kept) {
            if (!kept)
                report(false,
                    tr("The report was made, but its checksum could not be kept in the event log: %1")
                        .arg(kept.error()));
        });
}

void ReportDialog::preparePrinter(QPrinter *printer, const ReportRequest &request) const
{
    // The report sets its own margins; the printer's page is the whole sheet.
    printer->setFullPage(true);
    printer->setPageSize(QPageSize(request.paper));
    printer->setPageOrientation(request.landscape ? QPageLayout::Landscape : QPageLayout::Portrait);
    printer->setDocName(ReportRequest::kindName(request.kind));
}

void ReportDialog::setBusy(bool busy, const QString &message)
{
    for (QPushButton *button : std::as_const(m_buttons))
        button->setEnabled(!busy);
    if (busy)
        m_status->setText(message);
}

void ReportDialog::report(bool ok, const QString &message)
{
    m_status->setText(message);
    if (!message.isEmpty())
        Q_EMIT finished(ok, message);
}

FileMenu::FileMenu(ConsoleService *service, QWidget *window)
    : QMenu(tr("&File"), window)
{
    QAction *makeReport = addAction(Appearance::icon(u"report"_s), tr("&Report…"));
    makeReport->setObjectName(u"reportAction"_s);
    makeReport->setShortcut(QKeySequence::Print);
    makeReport->setStatusTip(tr("A PDF or printed report for managers, engineers or a provider"));
    connect(makeReport, &QAction::triggered, window, [service, window] {
        auto *dialog = new ReportDialog(service, window); // opened, not exec()'d: the window keeps updating
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->show();
    });
    addSeparator();
    QAction *quit = addAction(Appearance::icon(u"quit"_s), tr("&Quit"));
    quit->setShortcut(QKeySequence::Quit);
    quit->setMenuRole(QAction::QuitRole);
    connect(quit, &QAction::triggered, window, &QWidget::close);
}

} // namespace StreamSwarm::Console
