// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "testactions.h"

#include <QAction>
#include <QDateTime>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QTableView>

#include "console/app/administration.h"
#include "console/models/testlistmodel.h"
#include "console/server/consoleservice.h"
#include "console/ui/addtestdialog.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

TestActions::TestActions(ConsoleService *service, QTableView *view, QMenu *menu)
    : ListActions(view, menu)
    , m_service(service)
{
    m_edit = addAction(tr("&Edit test…"), "editTestAction", "edit", [this] { handleEdit(); });
    m_duplicate = addAction(tr("D&uplicate test…"), "duplicateTestAction", "duplicate", [this] { handleDuplicate(); });
    addSeparator();
    m_pause = addAction(tr("&Pause test"), "pauseTestAction", "pause", [this] { handlePause(); });
    m_resume = addAction(tr("&Resume test"), "resumeTestAction", "resume", [this] { handleResume(); });
    m_stop = addAction(tr("&Stop test"), "stopTestAction", "stop", [this] { handleStop(); });
    addSeparator();
    m_delete = addAction(tr("&Delete test…"), "deleteTestAction", "delete", [this] { handleDelete(); });
    m_edit->setShortcut(Qt::Key_F2);
    m_delete->setShortcut(QKeySequence::Delete);
    connect(m_service, &ConsoleService::testsChanged, this, &TestActions::updateActions);
    updateActions();
}

std::optional<TestRecord> TestActions::selectedTest() const
{
    const qint64 id = selectedId(TestListModel::TestIdRole);
    for (const TestRecord &test : m_service->tests()) {
        if (id && test.id == id)
            return test;
    }
    return std::nullopt;
}

void TestActions::updateActions()
{
    const auto test = selectedTest();
    const TestState state = test ? test->stateAt(QDateTime::currentMSecsSinceEpoch()) : TestState::Stopped;
    const bool live = test && (state == TestState::Running || state == TestState::Scheduled);
    m_edit->setEnabled(test.has_value());
    m_duplicate->setEnabled(test.has_value());
    m_pause->setEnabled(live);
    m_resume->setEnabled(test && state == TestState::Paused);
    m_stop->setEnabled(live || (test && state == TestState::Paused));
    m_delete->setEnabled(test.has_value());
}

void TestActions::openEditor(bool duplicate)
{
    const auto test = selectedTest();
    if (!test)
        return;
    // Opened, not exec()'d, so storage results keep arriving.
    auto *dialog = new AddTestDialog(m_service, view()->window(),
        duplicate ? AddTestDialog::Purpose::Duplicate : AddTestDialog::Purpose::Edit, *test);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowModality(Qt::WindowModal);
    dialog->show();
}

void TestActions::handleEdit()
{
    openEditor(false);
}

void TestActions::handleDuplicate()
{
    openEditor(true);
}

void TestActions::handlePause()
{
    if (const auto test = selectedTest())
        m_service->administration()->pauseTest(test->name, this, [this](const Result<Done> &r) { report(r); });
}

void TestActions::handleResume()
{
    if (const auto test = selectedTest())
        m_service->administration()->resumeTest(test->name, this, [this](const Result<Done> &r) { report(r); });
}

void TestActions::handleStop()
{
    const auto test = selectedTest();
    if (!test)
        return;
    const auto answer = QMessageBox::question(view()->window(), tr("Stop test"),
        tr("Stop the test \"%1\" for good? Its measurements stay. To stop it for a while, pause it instead.")
            .arg(test->name));
    if (answer == QMessageBox::Yes)
        m_service->administration()->stopTest(test->name, this, [this](const Result<Done> &r) { report(r); });
}

void TestActions::handleDelete()
{
    const auto test = selectedTest();
    if (!test)
        return;
    QMessageBox box(QMessageBox::Question, tr("Delete test"),
        tr("Delete the test \"%1\"? Its agents stop running it.\n\nKeep its measurements? Kept, they stay available "
           "for export and charts under the name \"%1.deleted-…\".")
            .arg(test->name),
        QMessageBox::Cancel, view()->window());
    QPushButton *keep = box.addButton(tr("Delete, keep the data"), QMessageBox::AcceptRole);
    QPushButton *all = box.addButton(tr("Delete with its data"), QMessageBox::DestructiveRole);
    keep->setObjectName(u"keepData"_s);
    all->setObjectName(u"deleteData"_s);
    box.setDefaultButton(keep);
    box.exec();
    if (box.clickedButton() != keep && box.clickedButton() != all)
        return;
    m_service->administration()->deleteTest(
        test->name, box.clickedButton() == keep, this, [this](const Result<QString> &deleted) {
            if (!deleted)
                report(Result<Done>::failure(deleted.error()));
        });
}

void TestActions::report(const Result<Done> &result)
{
    if (!result)
        QMessageBox::warning(view()->window(), tr("The test was not changed"), result.error());
}

} // namespace StreamSwarm::Console
