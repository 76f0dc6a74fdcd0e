// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "testactions.h"

#include <QAction>
#include <QDateTime>
#include <QItemSelectionModel>
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
    : QObject(view)
    , m_service(service)
    , m_view(view)
{
    menu->addSeparator();
    m_edit = addAction(menu, tr("&Edit test…"), "editTestAction", &TestActions::handleEdit);
    m_duplicate = addAction(menu, tr("D&uplicate test…"), "duplicateTestAction", &TestActions::handleDuplicate);
    m_pause = addAction(menu, tr("&Pause test"), "pauseTestAction", &TestActions::handlePause);
    m_resume = addAction(menu, tr("&Resume test"), "resumeTestAction", &TestActions::handleResume);
    m_stop = addAction(menu, tr("&Stop test"), "stopTestAction", &TestActions::handleStop);
    m_delete = addAction(menu, tr("&Delete test…"), "deleteTestAction", &TestActions::handleDelete);
    m_edit->setShortcut(Qt::Key_F2);
    m_delete->setShortcut(QKeySequence::Delete);
    // The shortcuts work where the list has the focus, not while typing elsewhere.
    for (QAction *action : std::as_const(m_actions)) {
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        m_view->addAction(action);
    }
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_view, &QWidget::customContextMenuRequested, this, &TestActions::showContextMenu);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentChanged, this, &TestActions::updateActions);
    connect(m_service, &ConsoleService::testsChanged, this, &TestActions::updateActions);
    updateActions();
}

QAction *TestActions::addAction(
    QMenu *menu, const QString &text, const char *objectName, void (TestActions::*handler)())
{
    QAction *action = menu->addAction(text);
    action->setObjectName(QString::fromLatin1(objectName));
    connect(action, &QAction::triggered, this, handler);
    m_actions.append(action);
    return action;
}

std::optional<TestRecord> TestActions::selectedTest() const
{
    const QModelIndex current = m_view->currentIndex();
    if (!current.isValid())
        return std::nullopt;
    const qint64 id = current.data(TestListModel::TestIdRole).toLongLong();
    for (const TestRecord &test : m_service->tests()) {
        if (test.id == id)
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

void TestActions::showContextMenu(const QPoint &position)
{
    const QModelIndex index = m_view->indexAt(position);
    if (!index.isValid())
        return;
    m_view->setCurrentIndex(index);
    updateActions();
    QMenu menu(m_view);
    menu.addActions(m_actions);
    menu.insertSeparator(m_pause);
    menu.insertSeparator(m_delete);
    menu.exec(m_view->viewport()->mapToGlobal(position));
}

void TestActions::openEditor(bool duplicate)
{
    const auto test = selectedTest();
    if (!test)
        return;
    // Opened, not exec()'d, so storage results keep arriving.
    auto *dialog = new AddTestDialog(m_service, m_view->window(),
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
    const auto answer = QMessageBox::question(m_view->window(), tr("Stop test"),
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
        QMessageBox::Cancel, m_view->window());
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
        QMessageBox::warning(m_view->window(), tr("The test was not changed"), result.error());
}

} // namespace StreamSwarm::Console
