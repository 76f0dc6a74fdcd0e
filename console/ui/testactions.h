// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include "console/app/result.h"
#include "console/storage/records.h"
#include "console/ui/listactions.h"

class QAction;
class QMenu;
class QTableView;

namespace StreamSwarm::Console {

class ConsoleService;

// What can be done to the test selected in the tests list: edit, duplicate, pause, resume, stop and
// delete. The same actions sit in the Tests menu and the list's context menu, enabled as the test's
// state allows. Each goes through the application layer, as `test edit` and the others do.
class TestActions final : public ListActions
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TestActions)
public:
    TestActions(ConsoleService *service, QTableView *view, QMenu *menu);

private:
    std::optional<TestRecord> selectedTest() const;
    void updateActions() override;
    void handleEdit();
    void handleDuplicate();
    void handlePause();
    void handleResume();
    void handleStop();
    void handleDelete();
    void openEditor(bool duplicate);
    // Runs a change and says in a message box why it failed, if it did.
    void report(const Result<Done> &result);

    ConsoleService *m_service;
    QAction *m_edit = nullptr;
    QAction *m_duplicate = nullptr;
    QAction *m_pause = nullptr;
    QAction *m_resume = nullptr;
    QAction *m_stop = nullptr;
    QAction *m_delete = nullptr;
};

} // namespace StreamSwarm::Console
