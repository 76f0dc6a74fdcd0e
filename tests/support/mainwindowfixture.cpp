// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "mainwindowfixture.h"

#include <QDir>
#include <QStandardPaths>
#include <QTableView>
#include <QTest>
#include <QTreeWidget>

#include "console/server/consoleservice.h"
#include "console/ui/charts/livechart.h"
#include "console/ui/mainwindow.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Test {

MainWindowFixture::MainWindowFixture()
{
    // The window keeps its layout in QSettings: tests use a folder of their own, never the user's.
    QStandardPaths::setTestModeEnabled(true);
}

MainWindowFixture::~MainWindowFixture()
{
    stop();
}

bool MainWindowFixture::startService(const QString &databasePath, QString *error, bool tls)
{
    m_service = std::make_unique<Console::ConsoleService>();
    Console::ConsoleOptions options;
    options.database = Console::DatabaseUrl::sqliteFile(databasePath);
    options.listenAddress = QHostAddress::LocalHost;
    options.listenPort = 0;
    options.tls = tls;
    return m_service->start(options, error);
}

bool MainWindowFixture::showWindow(QString *error)
{
    if (!m_service) {
        *error = u"no service to show a window for"_s;
        return false;
    }
    m_window = std::make_unique<Console::MainWindow>(m_service.get());
    m_window->resize(WINDOW_SIZE);
    m_window->show();
    if (!QTest::qWaitForWindowExposed(m_window.get())) {
        *error = u"the main window was not exposed"_s;
        return false;
    }
    m_chart = child<Console::LiveChart>(m_window.get(), u"liveChart"_s);
    m_agentsView = child<QTreeView>(m_window.get(), u"agentsView"_s);
    m_testsView = child<QTableView>(m_window.get(), u"testsView"_s);
    m_eventsView = child<QTreeWidget>(m_window.get(), u"eventsView"_s);
    if (!m_chart || !m_agentsView || !m_testsView || !m_eventsView) {
        *error = u"the main window lacks a chart or a view"_s;
        return false;
    }
    return true;
}

bool MainWindowFixture::start(const QString &databasePath, QString *error, bool tls)
{
    return startService(databasePath, error, tls) && showWindow(error);
}

void MainWindowFixture::stop()
{
    m_chart = nullptr;
    m_agentsView = nullptr;
    m_testsView = nullptr;
    m_eventsView = nullptr;
    m_window.reset();
    if (m_service)
        m_service->stop();
    m_service.reset();
}

QString screenshotDir()
{
    const QString binaryDir = qEnvironmentVariable("STREAMSWARM_BINARY_DIR");
    const QString dir = (binaryDir.isEmpty() ? QDir::currentPath() : binaryDir) + u"/screenshots"_s;
    QDir().mkpath(dir); // whichever test saves first
    return dir;
}

} // namespace StreamSwarm::Test
