// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <memory>

#include <QObject>
#include <QSize>
#include <QString>

class QTableView;
class QTreeView;
class QTreeWidget;

namespace StreamSwarm::Console {
class ConsoleService;
class LiveChart;
class MainWindow;
} // namespace StreamSwarm::Console

namespace StreamSwarm::Test {

// The console as the GUI tests drive it: a ConsoleService on a SQLite file, listening on localhost
// (any port), and its main window shown (offscreen under ctest). Destroys the window before it stops
// the service. GUI thread.
class MainWindowFixture
{
public:
    static constexpr QSize WINDOW_SIZE{1280, 800}; // what the screenshots show

    MainWindowFixture();
    ~MainWindowFixture();
    Q_DISABLE_COPY_MOVE(MainWindowFixture)

    // Starts the service on the SQLite file at databasePath (wss:// or, tls false, ws://); false and why.
    bool startService(const QString &databasePath, QString *error, bool tls = true);
    // Makes the window for the running service, shows it at WINDOW_SIZE and waits until it is exposed
    // and has its views; false and why.
    bool showWindow(QString *error);
    // Both, in this order.
    bool start(const QString &databasePath, QString *error, bool tls = true);
    // The window goes, then the service stops; start() may follow.
    void stop();

    Console::ConsoleService *service() const { return m_service.get(); }
    Console::MainWindow *window() const { return m_window.get(); }
    // The window's views, found by object name once it is shown.
    Console::LiveChart *chart() const { return m_chart; }
    QTreeView *agentsView() const { return m_agentsView; }
    QTableView *testsView() const { return m_testsView; }
    QTreeWidget *eventsView() const { return m_eventsView; }

private:
    std::unique_ptr<Console::ConsoleService> m_service;
    std::unique_ptr<Console::MainWindow> m_window;
    Console::LiveChart *m_chart = nullptr;
    QTreeView *m_agentsView = nullptr;
    QTableView *m_testsView = nullptr;
    QTreeWidget *m_eventsView = nullptr;
};

// Where GUI tests save their screenshots: screenshots/ in the build tree (STREAMSWARM_BINARY_DIR), or in
// the current folder when run by hand.
QString screenshotDir();

// parent's child of type T with this object name; nullptr, and a warning that names it, when none.
template <typename T>
T *child(QObject *parent, const QString &name)
{
    auto *found = parent->findChild<T *>(name);
    if (!found)
        qWarning("no child named %s", qPrintable(name));
    return found;
}

} // namespace StreamSwarm::Test
