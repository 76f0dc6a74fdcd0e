// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "mainwindow.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include <QApplication>
#include <QClipboard>
#include <QDateTime>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QSplitter>
#include <QStatusBar>
#include <QTableView>
#include <QTreeWidget>
#include <QVBoxLayout>

#include "console/app/administration.h"
#include "console/models/agentlistmodel.h"
#include "console/models/chartmetrics.h"
#include "console/models/chartseriesmodel.h"
#include "console/models/detailmodel.h"
#include "console/models/pathmodel.h"
#include "console/models/testlistmodel.h"
#include "console/server/consoleservice.h"
#include "console/ui/addtestdialog.h"
#include "console/ui/agentactions.h"
#include "console/ui/chartfigures.h"
#include "console/ui/charts/livechart.h"
#include "console/ui/deploydialog.h"
#include "console/ui/hostwindow.h"
#include "console/ui/languagemenu.h"
#include "console/ui/listwidgets.h"
#include "console/ui/statusicons.h"
#include "console/ui/tableproxies.h"
#include "console/ui/testactions.h"
#include "console/ui/tokensdialog.h"
#include "shared/protocol/details.h"
#include "shared/testtypes/testtype.h"
#include "shared/util/duration.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

namespace {

constexpr int EVENT_LIMIT = 200;
constexpr double MIN_HISTORY_SECONDS = 3600;

const QColor &OFFLINE_COLOR = StatusColor::Idle;
const QColor &WARNING_COLOR = StatusColor::Warning;
const QColor &ERROR_COLOR = StatusColor::Error;
const QColor &INFO_COLOR = StatusColor::Info;

bool isFirstType(const TestRecord &test)
{
    return !TestTypes::all().isEmpty() && TestTypes::find(test.type) == &TestTypes::all().constFirst();
}

QString formatEventTime(qint64 timeMs)
{
    const QDateTime time = QDateTime::fromMSecsSinceEpoch(timeMs);
    return time.toString(time.date() == QDate::currentDate() ? u"HH:mm:ss"_s : u"dd MMM HH:mm:ss"_s);
}

} // namespace

MainWindow::MainWindow(ConsoleService *service, QWidget *parent)
    : QMainWindow(parent)
    , m_service(service)
    , m_agentModel(new AgentListModel(this))
    , m_testModel(new TestListModel(this))
    , m_chartModel(new ChartSeriesModel(this))
    , m_pathModel(new PathModel(this))
    , m_detailModel(new DetailModel(this))
{
    setWindowTitle(tr("StreamSwarm Console"));
    createMenus();

    auto *central = new QWidget(this);
    auto *splitter = new QSplitter(Qt::Horizontal, central);
    splitter->setChildrenCollapsible(false);
    splitter->addWidget(createLeftPane());
    splitter->addWidget(createRightPane());
    splitter->setStretchFactor(0, 0);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({560, 720});
    auto *centralLayout = new QVBoxLayout(central);
    centralLayout->setContentsMargins(8, 6, 8, 2);
    centralLayout->addWidget(splitter);
    setCentralWidget(central);
    createStatusBar();
    new AgentActions(m_service, m_agentView, findChild<QMenu *>(u"agentsMenu"_s));
    new TestActions(m_service, m_testView, findChild<QMenu *>(u"testsMenu"_s));
    resize(1280, 800);

    connect(m_service, &ConsoleService::agentsChanged, this, &MainWindow::handleListsChanged);
    connect(m_service, &ConsoleService::testsChanged, this, &MainWindow::handleListsChanged);
    connect(m_service, &ConsoleService::roundsStored, this, &MainWindow::handleRoundsStored);
    connect(m_service, &ConsoleService::eventsChanged, this, &MainWindow::handleEventsChanged);
    connect(m_chart, &LiveChart::visibleSpanChanged, this, &MainWindow::handleSpanChanged);
    connect(m_chartModel, &QAbstractItemModel::modelReset, this, &MainWindow::handleChartReset);
    connect(m_chartModel, &QAbstractItemModel::rowsInserted, this, &MainWindow::handleChartRowsInserted);
    connect(m_chartModel, &ChartSeriesModel::detailChanged, this, &MainWindow::showDetail);
    connect(&m_clock, &QTimer::timeout, this, &MainWindow::handleClockTick);
    m_clock.start(1000);

    handleListsChanged();
    handleEventsChanged();
}

MainWindow::~MainWindow() = default;

void MainWindow::createMenus()
{
    QMenu *fileMenu = menuBar()->addMenu(tr("&File"));
    QAction *quit = fileMenu->addAction(tr("&Quit"));
    quit->setShortcut(QKeySequence::Quit);
    quit->setMenuRole(QAction::QuitRole);
    connect(quit, &QAction::triggered, this, &QWidget::close);

    QMenu *agentsMenu = menuBar()->addMenu(tr("&Agents"));
    agentsMenu->setObjectName(u"agentsMenu"_s);
    QAction *tokens = agentsMenu->addAction(tr("&Enrollment tokens…"));
    tokens->setObjectName(u"enrollmentTokensAction"_s);
    tokens->setShortcut(Qt::CTRL | Qt::Key_T);
    connect(tokens, &QAction::triggered, this, &MainWindow::handleEnrollmentTokens);

    QAction *install = agentsMenu->addAction(tr("&Install agents over SSH…"));
    install->setObjectName(u"deployAction"_s);
    connect(install, &QAction::triggered, this, [this] {
        auto *dialog = new DeployDialog(m_service, this); // opened, not exec()'d: progress keeps arriving
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->show();
    });

    QAction *host = agentsMenu->addAction(tr("&Host of the selected agent"));
    host->setObjectName(u"showHostAction"_s);
    host->setShortcut(Qt::CTRL | Qt::Key_H);
    host->setStatusTip(tr("CPU, memory, disks, interfaces, Wi-Fi and hardware of the agent's own host"));
    connect(host, &QAction::triggered, this, &MainWindow::handleShowHost);

    QAction *certificate = agentsMenu->addAction(tr("Console &certificate…"));
    connect(certificate, &QAction::triggered, this, &MainWindow::handleShowCertificate);

    QMenu *testsMenu = menuBar()->addMenu(tr("&Tests"));
    testsMenu->setObjectName(u"testsMenu"_s);
    QAction *addTest = testsMenu->addAction(tr("&Add test…"));
    addTest->setObjectName(u"addTestAction"_s);
    addTest->setShortcut(QKeySequence::New);
    connect(addTest, &QAction::triggered, this, &MainWindow::handleAddTest);

    QMenu *settingsMenu = menuBar()->addMenu(tr("&Settings"));
    auto *language = new LanguageMenu(settingsMenu);
    settingsMenu->addMenu(language);
    connect(
        language, &LanguageMenu::chosen, this, [this](const QString &message) { statusBar()->showMessage(message); });

    QMenu *helpMenu = menuBar()->addMenu(tr("&Help"));
    QAction *about = helpMenu->addAction(tr("&About StreamSwarm Console"));
    about->setMenuRole(QAction::AboutRole);
    connect(about, &QAction::triggered, this, &MainWindow::handleAbout);
    QAction *aboutQt = helpMenu->addAction(tr("About &Qt"));
    aboutQt->setMenuRole(QAction::AboutQtRole);
    connect(aboutQt, &QAction::triggered, qApp, &QApplication::aboutQt);
}

QWidget *MainWindow::createLeftPane()
{
    auto *pane = new QSplitter(Qt::Vertical, this);
    pane->setChildrenCollapsible(false);

    m_agentView = new QTableView(pane);
    m_agentView->setObjectName(u"agentsView"_s);
    m_agentView->setModel(new AgentTableProxy(m_agentModel, this));
    setUpListTable(m_agentView);
    QHeaderView *agentHeader = m_agentView->horizontalHeader();
    agentHeader->setStretchLastSection(false);
    agentHeader->setSectionResizeMode(QHeaderView::ResizeToContents);
    agentHeader->setSectionResizeMode(AgentListModel::Host, QHeaderView::Stretch);
    agentHeader->setSectionResizeMode(AgentListModel::Os, QHeaderView::Stretch);
    agentHeader->setSectionResizeMode(AgentListModel::Address, QHeaderView::Stretch);
    connect(m_agentView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        &MainWindow::handleAgentRowChanged);
    connect(m_agentView, &QAbstractItemView::doubleClicked, this, &MainWindow::handleShowHost);

    m_testView = new QTableView(pane);
    m_testView->setObjectName(u"testsView"_s);
    m_testView->setModel(new TestTableProxy(m_testModel, this));
    setUpListTable(m_testView);
    connect(m_testModel, &QAbstractItemModel::modelReset, m_testView, &QTableView::resizeColumnsToContents);
    connect(
        m_testView->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &MainWindow::handleTestRowChanged);

    pane->addWidget(titledSection(tr("Agents"), m_agentView, pane));
    pane->addWidget(titledSection(tr("Tests"), m_testView, pane));
    pane->setSizes({380, 320});
    return pane;
}

QWidget *MainWindow::createRightPane()
{
    auto *pane = new QSplitter(Qt::Vertical, this);
    pane->setChildrenCollapsible(false);

    auto *chartBox = new QWidget(pane);
    m_heading = new QLabel(chartBox);
    m_heading->setTextFormat(Qt::RichText);
    m_heading->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred); // clip rather than squeeze the chart
    QFont headingFont = m_heading->font();
    headingFont.setPointSizeF(headingFont.pointSizeF() * 1.2);
    m_heading->setFont(headingFont);
    m_figures = new QLabel(chartBox);
    m_figures->setObjectName(u"chartFigures"_s);
    m_figures->setTextFormat(Qt::RichText);
    m_figures->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    m_chart = new LiveChart(chartBox);
    m_chart->setObjectName(u"liveChart"_s);

    auto *headingRow = new QHBoxLayout;
    headingRow->addWidget(m_heading, 1);
    headingRow->addWidget(m_figures);
    auto *chartLayout = new QVBoxLayout(chartBox);
    chartLayout->setContentsMargins(0, 0, 0, 0);
    chartLayout->setSpacing(6);
    chartLayout->addLayout(headingRow);
    chartLayout->addWidget(m_chart, 1);

    m_eventView = new QTreeWidget(pane);
    m_eventView->setObjectName(u"eventsView"_s);
    m_eventView->setRootIsDecorated(false);
    m_eventView->setUniformRowHeights(true);
    m_eventView->setAlternatingRowColors(true);
    m_eventView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_eventView->setHeaderLabels({tr("Time"), tr("Level"), tr("Agent"), tr("Test"), tr("Message")});
    m_eventView->header()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);

    // A traceroute test's newest path, mtr-style; shown only for traceroute tests.
    m_pathView = new QTableView(pane);
    m_pathView->setObjectName(u"pathView"_s);
    m_pathView->setModel(new PathTableProxy(m_pathModel, this));
    setUpListTable(m_pathView);
    m_pathView->setSelectionMode(QAbstractItemView::NoSelection);
    m_pathView->horizontalHeader()->setStretchLastSection(false);
    m_pathView->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_pathView->horizontalHeader()->setSectionResizeMode(PathModel::Host, QHeaderView::Stretch);
    m_pathSummary = new QLabel(pane);
    m_pathSummary->setObjectName(u"pathSummary"_s);
    m_pathSummary->setWordWrap(true);
    auto *pathContent = new QWidget(pane);
    auto *pathLayout = new QVBoxLayout(pathContent);
    pathLayout->setContentsMargins(0, 0, 0, 0);
    pathLayout->setSpacing(4);
    pathLayout->addWidget(m_pathSummary);
    pathLayout->addWidget(m_pathView, 1);
    m_pathBox = titledSection(tr("Path (newest round)"), pathContent, pane);
    m_pathBox->setVisible(false);

    // A service test's newest round: what was agreed or answered, and the certificates or answers.
    m_detailView = new QTableView(pane);
    m_detailView->setObjectName(u"detailView"_s);
    m_detailView->setModel(m_detailModel);
    setUpListTable(m_detailView);
    m_detailView->setSelectionMode(QAbstractItemView::NoSelection);
    m_detailView->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_detailView->horizontalHeader()->setStretchLastSection(true);
    m_detailSummary = new QLabel(pane);
    m_detailSummary->setObjectName(u"detailSummary"_s);
    m_detailSummary->setWordWrap(true);
    m_detailSummary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *detailContent = new QWidget(pane);
    auto *detailLayout = new QVBoxLayout(detailContent);
    detailLayout->setContentsMargins(0, 0, 0, 0);
    detailLayout->setSpacing(4);
    detailLayout->addWidget(m_detailSummary);
    detailLayout->addWidget(m_detailView, 1);
    m_detailBox = titledSection(tr("Newest round"), detailContent, pane);
    m_detailBox->setVisible(false);

    pane->addWidget(chartBox);
    pane->addWidget(m_pathBox);
    pane->addWidget(m_detailBox);
    pane->addWidget(titledSection(tr("Events"), m_eventView, pane));
    pane->setStretchFactor(0, 1);
    pane->setStretchFactor(1, 0);
    pane->setStretchFactor(2, 0);
    pane->setStretchFactor(3, 0);
    pane->setSizes({400, 220, 160, 160});
    return pane;
}

void MainWindow::createStatusBar()
{
    m_listenLabel = new QLabel(this);
    m_databaseLabel = new QLabel(this);
    m_onlineLabel = new QLabel(this);
    m_samplesLabel = new QLabel(this);
    for (QLabel *label : {m_listenLabel, m_databaseLabel, m_onlineLabel, m_samplesLabel})
        label->setContentsMargins(6, 0, 6, 0);
    statusBar()->addWidget(m_listenLabel);
    statusBar()->addWidget(m_databaseLabel, 1);
    statusBar()->addPermanentWidget(m_onlineLabel);
    statusBar()->addPermanentWidget(m_samplesLabel);
    updateStatusBar();
}

void MainWindow::showChart(qint64 agentId, qint64 testId)
{
    m_userChoseChart = true;
    setChart(agentId, testId);
}

void MainWindow::handleListsChanged()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    m_selectingRows = true; // a model reset moves the current row; that is not the user's choice
    m_agentModel->setAgents(m_service->agents());
    m_testModel->setTests(m_service->tests(), now);
    m_selectingRows = false;

    if (!m_userChoseChart) {
        pickDefaultChart();
    } else {
        const AgentRecord *agent = agentById(m_agentId);
        const TestRecord *test = testById(m_testId);
        if (!agent)
            pickDefaultChart();
        else if (!test)
            setChart(m_agentId, firstTestOf(*agent));
    }
    selectRows();
    updateHeading();
    updateStatusBar();
}

void MainWindow::handleRoundsStored(qint64 agentId, const QList<Protocol::Round> &rounds)
{
    bool loadsChanged = false;
    const AgentRecord *agent = agentById(agentId);
    for (const Protocol::Round &round : rounds) {
        m_sessionSamples += round.values.size();
        const TestRecord *test = testById(round.testId);
        if (!m_loadsOf.isEmpty() && agent && test && round.detail.get<Protocol::BandwidthDetail>()) {
            m_loads.add({round.timeMs, agent->name, test->name, {round.detail, round.error}});
            loadsChanged = true;
        }
    }
    m_chartModel->addRounds(agentId, rounds);
    if (loadsChanged)
        m_chart->setLoadedSpans(m_loads.windows(m_loadsOf));
}

void MainWindow::handleEventsChanged()
{
    // One read in flight at a time; a burst of changes costs one more read, not one per change.
    if (m_eventsLoading) {
        m_eventsAgain = true;
        return;
    }
    m_eventsLoading = true;
    m_service->administration()->recentEvents(EVENT_LIMIT, this, [this](const Result<QList<EventRecord>> &events) {
        m_eventsLoading = false;
        if (!events)
            statusBar()->showMessage(events.error(), 10000);
        else
            showEvents(*events);
        if (std::exchange(m_eventsAgain, false))
            handleEventsChanged();
    });
}

void MainWindow::showEvents(const QList<EventRecord> &events)
{
    const QIcon errorIcon = dotIcon(ERROR_COLOR);
    const QIcon warningIcon = dotIcon(WARNING_COLOR);
    const QIcon infoIcon = dotIcon(INFO_COLOR);
    QList<QTreeWidgetItem *> items;
    items.reserve(events.size());
    for (const EventRecord &event : events) {
        const QString text = event.text(); // stored as a code and values, shown in the user's language
        auto *item = new QTreeWidgetItem(
            QStringList{formatEventTime(event.timeMs), event.level, event.agentName, event.testName, text});
        item->setToolTip(4, text);
        if (event.level == QLatin1String("error")) {
            item->setIcon(1, errorIcon);
            item->setForeground(1, ERROR_COLOR);
            item->setForeground(4, ERROR_COLOR);
            item->setText(1, tr("error"));
        } else if (event.level == QLatin1String("warning")) {
            item->setIcon(1, warningIcon);
            item->setForeground(1, WARNING_COLOR);
            item->setText(1, tr("warning"));
        } else if (event.level == QLatin1String("info")) {
            item->setIcon(1, infoIcon);
            item->setText(1, tr("info"));
        }
        items.append(item);
    }
    const bool firstFill = m_eventView->topLevelItemCount() == 0;
    m_eventView->clear();
    m_eventView->addTopLevelItems(items);
    if (firstFill) {
        for (int column = 0; column < 4; ++column)
            m_eventView->resizeColumnToContents(column);
    }
}

void MainWindow::handleClockTick()
{
    // A timed test's state moves with the clock, not only with database changes.
    m_selectingRows = true;
    m_testModel->setTests(m_service->tests(), QDateTime::currentMSecsSinceEpoch());
    m_selectingRows = false;
    updateStatusBar();
}

void MainWindow::handleAgentRowChanged(const QModelIndex &current)
{
    if (m_selectingRows || !current.isValid())
        return;
    const qint64 agentId = current.data(AgentListModel::AgentIdRole).toLongLong();
    const AgentRecord *agent = agentById(agentId);
    if (!agent)
        return;
    const TestRecord *test = testById(m_testId);
    const bool runsIt = test && test->isFor(*agent);
    showChart(agentId, runsIt ? m_testId : firstTestOf(*agent));
}

// Each agent's host in a window of its own; asked again, the open one comes to the front.
HostWindow *MainWindow::showHost(qint64 agentId)
{
    const AgentRecord *agent = agentById(agentId);
    if (!agent)
        return nullptr;
    QPointer<HostWindow> &window = m_hostWindows[agentId];
    if (!window)
        window = new HostWindow(m_service, agentId, agent->name, this);
    window->show();
    window->raise();
    window->activateWindow();
    return window;
}

void MainWindow::handleShowHost()
{
    const QModelIndex current = m_agentView->currentIndex();
    const qint64 agentId = current.isValid() ? current.data(AgentListModel::AgentIdRole).toLongLong() : m_agentId;
    if (!showHost(agentId))
        statusBar()->showMessage(tr("Select an agent first, then show its host."), 5000);
}

void MainWindow::handleTestRowChanged(const QModelIndex &current)
{
    if (m_selectingRows || !current.isValid())
        return;
    const qint64 testId = current.data(TestListModel::TestIdRole).toLongLong();
    const TestRecord *test = testById(testId);
    if (!test)
        return;
    const AgentRecord *agent = agentById(m_agentId);
    const bool runsIt = agent && test->isFor(*agent);
    const qint64 agentId = runsIt ? m_agentId : firstAgentOf(*test);
    showChart(agentId ? agentId : m_agentId, testId);
}

void MainWindow::handleSpanChanged(double seconds)
{
    // Longer spans than the loaded history need the older rounds too.
    if (seconds > MIN_HISTORY_SECONDS)
        loadHistory();
}

void MainWindow::handleShowCertificate()
{
    // Not exec(): the console keeps serving agents while the box is open.
    auto *box = new QMessageBox(this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setWindowTitle(tr("Console certificate"));
    if (m_service->fingerprint().isEmpty()) {
        box->setIcon(QMessageBox::Warning);
        box->setText(tr("This console was started with --insecure: agents connect with plain ws:// and their "
                        "credentials cross the network unencrypted."));
    } else {
        box->setIcon(QMessageBox::Information);
        box->setText(tr("Agents check this fingerprint of the console's certificate. Give it to them with "
                        "--fingerprint, or compare it with the one an agent trusted on first use."));
        box->setInformativeText(m_service->fingerprint());
        box->setTextInteractionFlags(Qt::TextSelectableByMouse);
        QPushButton *copy = box->addButton(tr("Copy"), QMessageBox::ActionRole);
        copy->disconnect(); // copying must not close the box
        connect(copy, &QPushButton::clicked, this,
            [this] { QGuiApplication::clipboard()->setText(m_service->fingerprint()); });
    }
    box->addButton(QMessageBox::Close);
    box->open();
}

void MainWindow::handleAbout()
{
    QMessageBox::about(this, tr("About StreamSwarm Console"),
        tr("<h3>StreamSwarm Console %1</h3>"
           "<p>Distributed network monitoring: agents on your hosts measure the network, and this console "
           "collects, stores and charts what they report.</p>"
           "<p>Copyright 2026 The StreamSwarm authors.</p>"
           "<p>This program is free software: you can redistribute it and/or modify it under the terms of the "
           "GNU General Public License, version 3 or (at your option) any later version "
           "(GPL-3.0-or-later). It comes with no warranty.</p>"
           "<p>Built with Qt %2 and QCustomPlot.</p>")
            .arg(QStringLiteral(STREAMSWARM_VERSION), QString::fromLatin1(qVersion())));
}

void MainWindow::handleAddTest()
{
    // A fresh form each time; opened, not exec()'d, so storage results keep arriving.
    auto *dialog = new AddTestDialog(m_service, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowModality(Qt::WindowModal);
    dialog->show();
}

void MainWindow::handleEnrollmentTokens()
{
    if (!m_tokensDialog)
        m_tokensDialog = new TokensDialog(m_service, this);
    m_tokensDialog->show();
    m_tokensDialog->raise();
    m_tokensDialog->activateWindow();
}

const AgentRecord *MainWindow::agentById(qint64 id) const
{
    const QList<AgentRecord> &agents = m_service->agents();
    const auto it = std::find_if(agents.cbegin(), agents.cend(), [id](const AgentRecord &a) { return a.id == id; });
    return it != agents.cend() ? &*it : nullptr;
}

const TestRecord *MainWindow::testById(qint64 id) const
{
    const QList<TestRecord> &tests = m_service->tests();
    const auto it = std::find_if(tests.cbegin(), tests.cend(), [id](const TestRecord &t) { return t.id == id; });
    return it != tests.cend() ? &*it : nullptr;
}

// The agent's most chartable test: a running one of the first type the registry lists (ping) first,
// then any running, then any at all.
qint64 MainWindow::firstTestOf(const AgentRecord &agent) const
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const QList<TestRecord> &tests = m_service->tests();
    for (int pass = 0; pass < 3; ++pass) {
        for (const TestRecord &test : tests) {
            if (!test.isFor(agent))
                continue;
            const bool running = test.stateAt(now) == TestState::Running;
            if ((pass == 0 && running && isFirstType(test)) || (pass == 1 && running) || pass == 2)
                return test.id;
        }
    }
    return 0;
}

qint64 MainWindow::firstAgentOf(const TestRecord &test) const
{
    const QList<AgentRecord> &agents = m_service->agents();
    for (bool wantOnline : {true, false}) {
        for (const AgentRecord &agent : agents) {
            if (test.isFor(agent) && (agent.online || !wantOnline))
                return agent.id;
        }
    }
    return 0;
}

// Right after start the window should already show something: the first online agent with a
// running test, else any agent with a running test, else any agent with a test, else the first.
void MainWindow::pickDefaultChart()
{
    const QList<AgentRecord> &agents = m_service->agents();
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (int pass = 0; pass < 3; ++pass) {
        for (const AgentRecord &agent : agents) {
            if (agent.revoked || (pass == 0 && !agent.online))
                continue;
            const TestRecord *test = testById(firstTestOf(agent));
            if (!test || (pass < 2 && test->stateAt(now) != TestState::Running))
                continue;
            setChart(agent.id, test->id);
            return;
        }
    }
    setChart(agents.isEmpty() ? 0 : agents.constFirst().id, 0);
}

void MainWindow::setChart(qint64 agentId, qint64 testId)
{
    if (agentId == m_agentId && testId == m_testId && m_historyRequested) {
        selectRows();
        return;
    }
    m_agentId = agentId;
    m_testId = testId;
    selectRows();
    updateHeading();
    loadHistory();
}

void MainWindow::selectRows()
{
    m_selectingRows = true;
    const auto select = [](QTableView *view, int role, qint64 id) {
        QAbstractItemModel *model = view->model();
        for (int row = 0; row < model->rowCount(); ++row) {
            const QModelIndex index = model->index(row, 0);
            if (index.data(role).toLongLong() == id) {
                if (view->selectionModel()->currentIndex().row() != row) {
                    view->selectionModel()->setCurrentIndex(
                        index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
                }
                return;
            }
        }
        view->selectionModel()->clearSelection();
    };
    select(m_agentView, AgentListModel::AgentIdRole, m_agentId);
    select(m_testView, TestListModel::TestIdRole, m_testId);
    m_selectingRows = false;
}

void MainWindow::loadHistory()
{
    m_historyRequested = true;
    updateFigures({});
    m_chart->clear();
    const TestRecord *test = testById(m_testId);
    const std::optional<ChartMetrics> metrics = test ? chartMetricsFor(*test) : std::nullopt;
    m_pathBox->setVisible(metrics && metrics->pathTable);
    m_detailBox->setVisible(metrics && metrics->detailTable);

    const AgentRecord *agent = agentById(m_agentId);
    if (!agent || !test || !metrics) {
        m_chartModel->clear();
        m_chart->setTitle({});
        if (!agent) {
            m_chart->showMessage(m_service->agents().isEmpty()
                    ? tr("No agents yet. Once an agent enrolls, its measurements appear here.")
                    : tr("Choose an agent on the left."));
        } else if (!test) {
            m_chart->showMessage(tr("%1 runs no tests yet.").arg(agent->name));
        } else {
            m_chart->showMessage(tr("There is no live chart for %1, a %2 test; export its results to see them.")
                                     .arg(test->name, test->type));
        }
        return;
    }
    m_chart->setTitle(metrics->title);
    m_chart->setSeriesNames(metrics->lineName, metrics->bandName, metrics->lossName);
    m_chart->setValueAxisLabel(metrics->axisLabel);
    m_chart->setExpectedInterval(double(test->intervalMs) / 1000);
    m_chart->setPhaseNames(metrics->phaseNames);
    m_chart->showMessage(tr("Loading…"));

    const quint64 generation = m_chartModel->start(m_agentId, m_testId, *metrics);
    ChartHistoryRequest request;
    request.agentId = m_agentId;
    request.testId = m_testId;
    request.metrics = m_chartModel->historyMetrics();
    request.fromMs
        = QDateTime::currentMSecsSinceEpoch() - qint64(std::max(MIN_HISTORY_SECONDS, m_chart->visibleSpan()) * 1000);
    request.latestDetail = metrics->keepsDetail();
    // A bandwidth test's chart is the load itself: only other tests shade when one ran.
    const TestTypes::TestType *type = TestTypes::find(test->type);
    request.loadsOf = type && type->detailKind == Protocol::DetailKind::Bandwidth ? QString() : agent->name;
    m_loads = {};
    m_loadsOf.clear();
    m_service->administration()->chartHistory(
        request, this, [this, generation, loadsOf = request.loadsOf](const Result<ChartHistory> &history) {
            if (!history) {
                if (generation == m_chartModel->generation()) { // else the user has moved on to another chart
                    m_chartModel->clear();
                    m_chart->showMessage(tr("Could not read the history: %1").arg(history.error()));
                }
                return;
            }
            if (!m_chartModel->setHistory(generation, history->series, history->latestDetail.detail, history->instance))
                return;
            m_loads = history->loads;
            m_loadsOf = loadsOf;
            m_chart->setLoadedSpans(m_loads.windows(m_loadsOf));
        });
}

// The history arrived (with the live rounds that came meanwhile): draw it all at once.
void MainWindow::handleChartReset()
{
    if (!m_chartModel->isCharting() || m_chartModel->isLoading())
        return;
    m_chart->setPhaseSeries(m_chartModel->phaseSeries());
    m_chart->setSeries(m_chartModel->series(ChartSeriesModel::Line), m_chartModel->series(ChartSeriesModel::Minimum),
        m_chartModel->series(ChartSeriesModel::Maximum), m_chartModel->series(ChartSeriesModel::Loss));
    updateFigures(m_chartModel->latest());
    if (m_chart->lastTime() <= 0) {
        const TestRecord *test = testById(m_testId);
        const bool running = test && test->stateAt(QDateTime::currentMSecsSinceEpoch()) == TestState::Running;
        m_chart->showMessage(running ? tr("No data yet") : tr("No data in this time span"));
    }
}

void MainWindow::handleChartRowsInserted(const QModelIndex &, int first, int last)
{
    for (int row = first; row <= last; ++row) {
        const ChartSeriesModel::Point point = m_chartModel->point(row);
        if (!point.phases.isEmpty())
            m_chart->appendPhases(point.timeSec, point.phases);
        m_chart->appendPoint(point.timeSec, point.line, point.minimum, point.maximum, point.loss);
    }
    updateFigures(m_chartModel->latest());
}

void MainWindow::showDetail(const Protocol::RoundDetail &detail)
{
    if (detail.kind() == Protocol::DetailKind::Traceroute || detail.isEmpty()) {
        m_pathModel->setDetail(detail);
        m_pathSummary->setText(m_pathModel->summary());
    }
    if (detail.kind() != Protocol::DetailKind::Traceroute) {
        m_detailModel->setDetail(detail);
        m_detailSummary->setText(m_detailModel->summary());
    }
}

void MainWindow::updateHeading()
{
    const AgentRecord *agent = agentById(m_agentId);
    const TestRecord *test = testById(m_testId);
    if (!agent) {
        m_heading->setText(tr("<b>No agent chosen</b>"));
        return;
    }
    QString text = u"<b>"_s + agent->name.toHtmlEscaped() + u"</b>"_s;
    if (!agent->online) {
        text += u" <span style=\"color:%1\">"_s.arg(OFFLINE_COLOR.name()) + tr("(offline)") + u"</span>"_s;
    }
    if (test) {
        text += u" &nbsp;·&nbsp; "_s + test->name.toHtmlEscaped() + u" &nbsp;→&nbsp; "_s + test->target.toHtmlEscaped();
    }
    m_heading->setText(text);
}

void MainWindow::updateFigures(const ChartSeriesModel::Point &figures)
{
    m_figures->setText(ChartFigures::text(m_chartModel->metrics(), figures));
    m_figures->setToolTip(ChartFigures::toolTip(m_chartModel->metrics()));
}

void MainWindow::updateStatusBar()
{
    const QList<AgentRecord> &agents = m_service->agents();
    const auto enrolled
        = std::count_if(agents.cbegin(), agents.cend(), [](const AgentRecord &a) { return !a.revoked; });
    m_listenLabel->setText(tr("Listening on %1").arg(m_service->listenUrl()));
    m_listenLabel->setToolTip(m_service->fingerprint().isEmpty()
            ? tr("Plain ws:// (--insecure): credentials cross the network unencrypted.")
            : tr("Certificate fingerprint: %1").arg(m_service->fingerprint()));
    m_databaseLabel->setText(tr("Database: %1").arg(m_service->databaseName()));
    m_onlineLabel->setText(tr("%1 of %2 agents online").arg(m_service->onlineCount()).arg(enrolled));
    m_samplesLabel->setText(tr("%1 samples stored this session").arg(QLocale().toString(m_sessionSamples)));
}

} // namespace StreamSwarm::Console
