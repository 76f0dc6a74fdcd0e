// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
//
// The report dialog on a console whose database holds a generated week: File > Report… opens it; it
// writes the PDF the form describes (read on the storage thread, drawn here), paints the print
// preview's printer page by page, and refuses what cannot be made with a plain sentence.
#include <QApplication>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QDoubleSpinBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenuBar>
#include <QPrintPreviewDialog>
#include <QPrinter>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include "console/app/administration.h"
#include "console/reports/reportdocument.h"
#include "console/server/consoleservice.h"
#include "console/ui/mainwindow.h"
#include "console/ui/reportdialog.h"
#include "console/ui/scheduledialog.h"
#include "tests/support/mainwindowfixture.h"
#include "tests/support/processharness.h"
#include "tests/support/reportseed.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm;
using namespace StreamSwarm::Console;
using StreamSwarm::Test::child;

namespace {

constexpr qint64 DAY_MS = 24LL * 3600 * 1000;

int pdfPages(const QString &pdf)
{
    const Test::CommandResult info = Test::runCommand(u"pdfinfo"_s, {pdf});
    return QRegularExpression(u"Pages:\\s*(\\d+)"_s).match(info.out).captured(1).toInt();
}

} // namespace

class TestReportDialog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void writesTheReportTheFormDescribes();
    void paintsThePrintPreview();
    void refusesWhatCannotBeMade();
    void schedulesFromTheWindow();

private:
    ReportDialog *openDialog();

    QTemporaryDir m_dir;
    Test::ReportSeed m_seed;
    Test::MainWindowFixture m_fixture;
};

void TestReportDialog::initTestCase()
{
    QVERIFY(m_dir.isValid());
    // A week of 5-minute rounds ending an hour ago, on two agents; agent-01 with one outage.
    m_seed.path = m_dir.filePath(u"week.db"_s);
    m_seed.agents = 2;
    m_seed.stepMs = 5 * 60 * 1000;
    m_seed.rounds = 7 * DAY_MS / m_seed.stepMs;
    m_seed.fromMs = QDateTime::currentMSecsSinceEpoch() - 7 * DAY_MS - 3600 * 1000;
    m_seed.outages = {{0, m_seed.fromMs + 3 * DAY_MS, 4, true}};
    QString error;
    QVERIFY2(m_seed.write(&error), qPrintable(error));
    QVERIFY2(m_fixture.start(m_seed.path, &error, false), qPrintable(error));
    // The dialog lists the agents the console has read from its database, which it does on its
    // storage thread after start: on a busy machine that is later than the first test opens it.
    QTRY_COMPARE_WITH_TIMEOUT(m_fixture.service()->agents().size(), 2, 10000);
}

void TestReportDialog::cleanupTestCase()
{
    m_fixture.stop();
}

ReportDialog *TestReportDialog::openDialog()
{
    // As a user opens it: File > Report….
    QAction *action = m_fixture.window()->findChild<QAction *>(u"reportAction"_s);
    if (!action)
        return nullptr;
    action->trigger();
    return m_fixture.window()->findChild<ReportDialog *>(u"reportDialog"_s);
}

void TestReportDialog::writesTheReportTheFormDescribes()
{
    ReportDialog *dialog = openDialog();
    QVERIFY(dialog);
    QVERIFY(QTest::qWaitForWindowExposed(dialog));
    auto *kind = child<QComboBox>(dialog, u"reportKind"_s);
    auto *span = child<QComboBox>(dialog, u"reportSpan"_s);
    auto *agents = child<QComboBox>(dialog, u"reportAgents"_s);
    auto *latency = child<QDoubleSpinBox>(dialog, u"reportLatencyTarget"_s);
    kind->setCurrentIndex(kind->findData(int(ReportKind::Engineering)));
    span->setCurrentIndex(span->findText(u"Last 7 days"_s));
    QVERIFY(agents->findData(u"agent-01"_s) >= 0);
    agents->setCurrentIndex(agents->findData(u"agent-01"_s));
    QCOMPARE(agents->currentData().toString(), u"agent-01"_s);
    latency->setValue(25);
    dialog->grab().save(Test::screenshotDir() + u"/report-dialog.png"_s);

    const QString pdf = m_dir.filePath(u"engineering.pdf"_s);
    QSignalSpy finished(dialog, &ReportDialog::finished);
    dialog->savePdf(pdf);
    QVERIFY(finished.wait(30000));
    QVERIFY2(finished.first().at(0).toBool(), qPrintable(finished.first().at(1).toString()));
    const QString status = child<QLabel>(dialog, u"reportStatus"_s)->text();
    QVERIFY2(status.contains(u"Wrote"_s), qPrintable(status));
    QVERIFY(QFile::exists(pdf));
    const int pages = QRegularExpression(u"\\((\\d+) pages\\)"_s).match(status).captured(1).toInt();
    QVERIFY(pages >= 2);
    QCOMPARE(pdfPages(pdf), pages);
    const Test::CommandResult text = Test::runCommand(u"pdftotext"_s, {pdf, u"-"_s});
    const QString words = text.out.simplified();
    QVERIFY(words.contains(u"agent-01 → ping-dc (192.0.2.10)"_s));
    QVERIFY2(!words.contains(u"agent-02"_s), "the report shows only the agent chosen");
    QVERIFY2(words.contains(u"one outage of 20 min"_s), qPrintable(words.left(1500)));
    dialog->close();
}

void TestReportDialog::paintsThePrintPreview()
{
    // What the preview's paintRequested does, on a printer that writes a PDF file: the same pages.
    ReportDialog *dialog = openDialog();
    QVERIFY(dialog);
    QString error;
    const auto request = dialog->request(&error);
    QVERIFY2(request, qPrintable(error));
    bool read = false;
    ReportData data;
    m_fixture.service()->administration()->reportData(*request, this, [&](const Result<ReportData> &result) {
        QVERIFY2(result, qPrintable(result.error()));
        data = *result;
        read = true;
    });
    QTRY_VERIFY_WITH_TIMEOUT(read, 30000);
    QPrinter printer(QPrinter::HighResolution);
    printer.setOutputFormat(QPrinter::PdfFormat);
    printer.setOutputFileName(m_dir.filePath(u"printed.pdf"_s));
    printer.setFullPage(true);
    printer.setPageSize(QPageSize(QPageSize::Letter));
    const int pages = ReportDocument(data).print(&printer);
    QVERIFY(pages >= 2);
    QCOMPARE(pdfPages(printer.outputFileName()), pages);
    const Test::CommandResult info = Test::runCommand(u"pdfinfo"_s, {printer.outputFileName()});
    QVERIFY2(info.out.contains(u"(letter)"_s), qPrintable(info.out));

    // The preview itself, as the Preview… button opens it, for the screenshot.
    QPrinter screen(QPrinter::HighResolution);
    screen.setFullPage(true);
    QPrintPreviewDialog preview(&screen, dialog);
    int painted = 0;
    connect(&preview, &QPrintPreviewDialog::paintRequested, this,
        [&](QPrinter *device) { painted = ReportDocument(data).print(device); });
    preview.resize(1000, 900);
    preview.show();
    QVERIFY(QTest::qWaitForWindowExposed(&preview));
    QTRY_COMPARE_WITH_TIMEOUT(painted, pages, 10000);
    QApplication::processEvents();
    preview.grab().save(Test::screenshotDir() + u"/report-preview.png"_s);
    preview.close();
    dialog->close();
}

void TestReportDialog::refusesWhatCannotBeMade()
{
    ReportDialog *dialog = openDialog();
    QVERIFY(dialog);
    auto *span = child<QComboBox>(dialog, u"reportSpan"_s);
    span->setCurrentIndex(span->findText(u"From – to…"_s));
    auto *from = child<QDateTimeEdit>(dialog, u"reportFrom"_s);
    auto *to = child<QDateTimeEdit>(dialog, u"reportTo"_s);
    QVERIFY(from->isEnabled());
    from->setDateTime(to->dateTime().addDays(1));
    QSignalSpy finished(dialog, &ReportDialog::finished);
    const QString pdf = m_dir.filePath(u"refused.pdf"_s);
    dialog->savePdf(pdf);
    QCOMPARE(finished.size(), 1);
    QVERIFY(!finished.first().at(0).toBool());
    QVERIFY2(finished.first().at(1).toString().contains(u"period is empty"_s),
        qPrintable(finished.first().at(1).toString()));
    QVERIFY(!QFile::exists(pdf));

    // A folder that is not there: said plainly, nothing written.
    from->setDateTime(to->dateTime().addDays(-2));
    finished.clear();
    dialog->savePdf(m_dir.filePath(u"missing/folder/report.pdf"_s));
    QVERIFY(finished.wait(30000));
    QVERIFY(!finished.first().at(0).toBool());
    QVERIFY2(finished.first().at(1).toString().contains(u"Cannot write the report"_s),
        qPrintable(finished.first().at(1).toString()));
    dialog->close();
}

void TestReportDialog::schedulesFromTheWindow()
{
    ReportDialog *dialog = openDialog();
    QVERIFY(dialog);
    auto *kind = child<QComboBox>(dialog, u"reportKind"_s);
    kind->setCurrentIndex(kind->findData(int(ReportKind::Engineering)));
    auto *schedules = qobject_cast<ScheduleDialog *>(dialog->openSchedules());
    QVERIFY(schedules);
    QSignalSpy listed(schedules, &ScheduleDialog::listed);
    QSignalSpy finished(schedules, &ScheduleDialog::finished);
    QVERIFY(listed.wait(10000));
    auto *list = child<QListWidget>(schedules, u"scheduleList"_s);
    QCOMPARE(list->count(), 1);
    QCOMPARE(list->item(0)->data(Qt::UserRole).toString(), QString()); // "No report is scheduled yet."

    // A folder that is not there is refused before anything is stored.
    child<QLineEdit>(schedules, u"scheduleName"_s)->setText(u"weekly-window"_s);
    child<QLineEdit>(schedules, u"scheduleFolder"_s)->setText(m_dir.filePath(u"nowhere"_s));
    schedules->addSchedule();
    QCOMPARE(finished.size(), 1);
    QVERIFY(!finished.takeFirst().at(0).toBool());
    QVERIFY2(child<QLabel>(schedules, u"scheduleStatus"_s)->text().contains(u"does not exist"_s),
        qPrintable(child<QLabel>(schedules, u"scheduleStatus"_s)->text()));

    child<QLineEdit>(schedules, u"scheduleFolder"_s)->setText(m_dir.path());
    listed.clear();
    schedules->addSchedule();
    // Both signals may come in one turn of the event loop: wait for each unless it came already.
    QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 10000);
    QVERIFY2(finished.first().at(0).toBool(), qPrintable(finished.first().at(1).toString()));
    QTRY_VERIFY_WITH_TIMEOUT(!listed.isEmpty(), 10000);
    QCOMPARE(list->count(), 1);
    QCOMPARE(list->item(0)->data(Qt::UserRole).toString(), u"weekly-window"_s);
    QVERIFY2(list->item(0)->text().contains(u"Engineering report every week"_s), qPrintable(list->item(0)->text()));
    schedules->grab().save(Test::screenshotDir() + u"/report-schedules.png"_s);

    // Stored as the command line sees it: the form's report, every week.
    bool read = false;
    m_fixture.service()->administration()->schedules(this, [&](const Result<QList<ReportSchedule>> &stored) {
        QVERIFY(stored && stored->size() == 1);
        QCOMPARE(stored->first().every, ReportSchedule::Every::Week);
        QCOMPARE(stored->first().request.kind, ReportKind::Engineering);
        QCOMPARE(stored->first().folder, m_dir.path());
        read = true;
    });
    QTRY_VERIFY_WITH_TIMEOUT(read, 10000);

    list->setCurrentRow(0);
    finished.clear();
    listed.clear();
    schedules->removeSelected();
    QTRY_VERIFY_WITH_TIMEOUT(!listed.isEmpty() && !finished.isEmpty(), 10000);
    QVERIFY(finished.first().at(0).toBool());
    QCOMPARE(list->item(0)->data(Qt::UserRole).toString(), QString());
    schedules->close();
    dialog->close();
}

QTEST_MAIN(TestReportDialog)
#include "tst_reportdialog.moc"
