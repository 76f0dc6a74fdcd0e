// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "mainwindow.h"

#include <algorithm>
#include <utility>

#include <QApplication>
#include <QCloseEvent>
#include <QDateTime>
#include <QDockWidget>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QMenuBar>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QToolBar>
#include <QToolButton>
#include <QVBoxLayout>

#include "console/app/administration.h"
#include "console/models/agentlistmodel.h"
#include "console/models/chartchoice.h"
#include "console/models/chartmetrics.h"
#include "console/models/chartseriesmodel.h"
#include "console/models/detailmodel.h"
#include "console/models/pathmodel.h"
#include "console/models/testlistmodel.h"
#include "console/server/consoleservice.h"
#include "console/ui/aboutdialog.h"
#include "console/ui/addtestdialog.h"
#include "console/ui/agentactions.h"
#include "console/ui/agenttree.h"
#include "console/ui/alertspane.h"
#include "console/ui/appearance.h"
#include "console/ui/certificatebox.h"
#include "console/ui/chartcompare.h"
#include "console/ui/chartfigures.h"
#include "console/ui/charts/livechart.h"
#include "console/ui/deploydialog.h"
#include "console/ui/eventpane.h"
#include "console/ui/hostwindow.h"
#include "console/ui/languagemenu.h"
#include "console/ui/listwidgets.h"
#include "console/ui/mappane.h"
#include "console/ui/pathhistorypane.h"
#include "console/ui/reportdialog.h"
#include "console/ui/resultspane.h"
#include "console/ui/statusfigures.h"
#include "console/ui/statusicons.h"
#include "console/ui/summarypane.h"
#include "console/ui/tableproxies.h"
#include "console/ui/testactions.h"
#include "console/ui/tokensdialog.h"
#include "console/ui/windowlayout.h"
#include "shared/protocol/details.h"
#include "shared/testtypes/testtype.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

namespace {

constexpr double MIN_HISTORY_SECONDS = 3600;
// A span with more rounds than this is read in buckets, about CHART_BUCKETS of them: a chart is
// a few thousand pixels wide, and 30 days of 1 s rounds are 2.6 million.
constexpr double MAX_CHART_ROUNDS = 20000;
constexpr double CHART_BUCKETS = 4000;
constexpr int VIEW_SETTLE_MS = 300; // a wheel turn or drag has stopped

// The bucket for a span of a test that runs every intervalMs; 0: every round. Buckets of a minute
// or more are whole minutes (an hour or more, whole hours), so that they are read from the rollups.
qint64 bucketFor(double spanSeconds, qint64 intervalMs)
{
    const double rounds = spanSeconds * 1000 / double(std::max<qint64>(intervalMs, 1));
    if (rounds <= MAX_CHART_ROUNDS)
        return 0;
    const auto bucket = qint64(spanSeconds * 1000 / CHART_BUCKETS);
    const qint64 unit = bucket >= 3'600'000 ? 3'600'000 : bucket >= 60'000 ? 60'000 : 1;
    return (bucket + unit - 1) / unit * unit; // up: never more buckets than CHART_BUCKETS
}

const QColor &OFFLINE_COLOR = StatusColor::Idle;

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
    setObjectName(u"mainWindow"_s);
    Appearance::initialize(); // once per program; here for tests and other makers of the window
    setWindowTitle(tr("StreamSwarm Console"));
    setDockOptions(QMainWindow::AnimatedDocks | QMainWindow::AllowNestedDocks | QMainWindow::AllowTabbedDocks);
    // The left docks run the window's full height; events sit under the chart.
    setCorner(Qt::TopLeftCorner, Qt::LeftDockWidgetArea);
    setCorner(Qt::BottomLeftCorner, Qt::LeftDockWidgetArea);
    createMenus();

    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(u"centralTabs"_s);
    m_tabs->setDocumentMode(true);
    m_tabs->addTab(createChartPane(), Appearance::icon(u"chart"_s), tr("&Chart"));
    m_results = new ResultsPane(m_service, m_tabs);
    m_tabs->addTab(m_results, Appearance::icon(u"results"_s), tr("&Results"));
    m_pathHistory = new PathHistoryPane(m_service, m_tabs);
    m_tabs->addTab(m_pathHistory, Appearance::icon(u"chart"_s), tr("&Path history"));
    m_tabs->setTabEnabled(m_tabs->indexOf(m_pathHistory), false);
    m_summary = new SummaryPane(m_service, m_tabs);
    m_tabs->addTab(m_summary, Appearance::icon(u"summary"_s), tr("S&ummary"));
    m_tabs->addTab(new AlertsPane(m_service, m_tabs, statusBar()), Appearance::icon(u"events"_s), tr("A&lerts"));
    m_tabs->addTab(new MapPane(m_service, m_tabs), Appearance::icon(u"agents"_s), tr("&Map"));
    setCentralWidget(m_tabs);
    createDocks();
    createViewMenu();
    m_status = new StatusFigures(m_service, statusBar());
    new AgentActions(m_service, m_agentView, findChild<QMenu *>(u"agentsMenu"_s));
    new TestActions(m_service, m_testView, findChild<QMenu *>(u"testsMenu"_s));
    createToolBar();
    resize(1280, 800);
    m_firstLayout = saveState();
    WindowLayout::restore(this, savedHeaders());

    connect(m_service, &ConsoleService::agentsChanged, this, &MainWindow::handleListsChanged);
    connect(m_service, &ConsoleService::testsChanged, this, &MainWindow::handleListsChanged);
    connect(m_service, &ConsoleService::roundsStored, this, &MainWindow::handleRoundsStored);
    connect(m_chart, &LiveChart::visibleSpanChanged, this, &MainWindow::handleSpanChanged);
    m_viewTimer.setSingleShot(true);
    m_viewTimer.setInterval(VIEW_SETTLE_MS);
    connect(&m_viewTimer, &QTimer::timeout, this, &MainWindow::handleViewMoved);
    connect(m_chart->plot()->xAxis, qOverload<const QCPRange &>(&QCPAxis::rangeChanged), this, [this] {
        if (!m_chart->followsLive()) // moved by the user, not by following
            m_viewTimer.start();
    });
    connect(m_chart, &LiveChart::followLiveChanged, this, [this](bool follow) {
        if (follow && std::exchange(m_viewFromMs, 0))
            loadHistory(); // back from the past to the span up to now
    });
    connect(m_chart, &LiveChart::classChosen, this, [this](const QString &chartClass) {
        m_chartClass = chartClass;
        loadHistory();
    });
    connect(m_chartModel, &QAbstractItemModel::modelReset, this, &MainWindow::handleChartReset);
    connect(m_chartModel, &QAbstractItemModel::rowsInserted, this, &MainWindow::handleChartRowsInserted);
    connect(m_chartModel, &ChartSeriesModel::detailChanged, this, &MainWindow::showDetail);
    connect(&m_clock, &QTimer::timeout, this, &MainWindow::handleClockTick);
    m_clock.start(1000);

    connect(m_eventPane, &EventPane::failed, this,
        [this](const QString &error) { statusBar()->showMessage(error, 10000); });

    handleListsChanged();
    m_eventPane->reload();
}

MainWindow::~MainWindow() = default;

void MainWindow::closeEvent(QCloseEvent *event)
{
    WindowLayout::save(this, savedHeaders());
    QMainWindow::closeEvent(event);
}

QList<QHeaderView *> MainWindow::savedHeaders() const
{
    return {m_agentView->header(), m_testView->horizontalHeader(), m_results->header()};
}

void MainWindow::resetLayout()
{
    WindowLayout::forget(this);
    restoreState(m_firstLayout);
    for (QDockWidget *dock : findChildren<QDockWidget *>())
        dock->show();
    for (QHeaderView *header : savedHeaders()) {
        for (int column = 0; column < header->count(); ++column)
            header->setSectionHidden(column, false);
    }
    if (!isMaximized() && !isFullScreen())
        resize(1280, 800);
}

void MainWindow::createMenus()
{
    menuBar()->addMenu(new FileMenu(m_service, this));

    QMenu *agentsMenu = menuBar()->addMenu(tr("&Agents"));
    agentsMenu->setObjectName(u"agentsMenu"_s);
    QAction *tokens = agentsMenu->addAction(Appearance::icon(u"tokens"_s), tr("&Enrollment tokens…"));
    tokens->setObjectName(u"enrollmentTokensAction"_s);
    tokens->setShortcut(Qt::CTRL | Qt::Key_T);
    connect(tokens, &QAction::triggered, this, &MainWindow::handleEnrollmentTokens);

    QAction *install = agentsMenu->addAction(Appearance::icon(u"deploy"_s), tr("&Install agents over SSH…"));
    install->setObjectName(u"deployAction"_s);
    connect(install, &QAction::triggered, this, [this] {
        auto *dialog = new DeployDialog(m_service, this); // opened, not exec()'d: progress keeps arriving
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->show();
    });

    QAction *host = agentsMenu->addAction(Appearance::icon(u"host"_s), tr("&Host of the selected agent"));
    host->setObjectName(u"showHostAction"_s);
    host->setShortcut(Qt::CTRL | Qt::Key_H);
    host->setStatusTip(tr("CPU, memory, disks, interfaces, Wi-Fi and hardware of the agent's own host"));
    connect(host, &QAction::triggered, this, &MainWindow::handleShowHost);

    QAction *certificate = agentsMenu->addAction(Appearance::icon(u"certificate"_s), tr("Console &certificate…"));
    connect(certificate, &QAction::triggered, this, &MainWindow::handleShowCertificate);

    QMenu *testsMenu = menuBar()->addMenu(tr("&Tests"));
    testsMenu->setObjectName(u"testsMenu"_s);
    QAction *addTest = testsMenu->addAction(Appearance::icon(u"add"_s), tr("&Add test…"));
    addTest->setObjectName(u"addTestAction"_s);
    addTest->setShortcut(QKeySequence::New);
    connect(addTest, &QAction::triggered, this, &MainWindow::handleAddTest);

    menuBar()->addMenu(tr("&View"))->setObjectName(u"viewMenu"_s); // filled once the docks exist

    QMenu *settingsMenu = menuBar()->addMenu(tr("&Settings"));
    auto *language = new LanguageMenu(settingsMenu);
    settingsMenu->addMenu(language);
    settingsMenu->addMenu(new AppearanceMenu(settingsMenu));
    connect(
        language, &LanguageMenu::chosen, this, [this](const QString &message) { statusBar()->showMessage(message); });

    QMenu *helpMenu = menuBar()->addMenu(tr("&Help"));
    QAction *about = helpMenu->addAction(Appearance::icon(u"about"_s), tr("&About StreamSwarm Console"));
    about->setMenuRole(QAction::AboutRole);
    connect(about, &QAction::triggered, this, &MainWindow::handleAbout);
    QAction *aboutQt = helpMenu->addAction(tr("About &Qt"));
    aboutQt->setMenuRole(QAction::AboutQtRole);
    connect(aboutQt, &QAction::triggered, qApp, &QApplication::aboutQt);
}

void MainWindow::createDocks()
{
    m_agentView = new AgentTree(m_agentModel, this);
    connect(m_agentView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        &MainWindow::handleAgentRowChanged);
    connect(m_agentView, &QAbstractItemView::doubleClicked, this, &MainWindow::handleShowHost);

    m_testView = new QTableView(this);
    m_testView->setObjectName(u"testsView"_s);
    m_testView->setModel(new TestTableProxy(m_testModel, this));
    setUpListTable(m_testView);
    offerColumnChoice(m_testView->horizontalHeader(), u"testsColumns"_s);
    connect(m_testModel, &QAbstractItemModel::modelReset, m_testView, &QTableView::resizeColumnsToContents);
    connect(
        m_testView->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &MainWindow::handleTestRowChanged);

    m_eventPane = new EventPane(m_service, this);

    QDockWidget *agents = addDock(tr("Agents"), u"agentsDock"_s, m_agentView, Qt::LeftDockWidgetArea);
    QDockWidget *tests = addDock(tr("Tests"), u"testsDock"_s, m_testView, Qt::LeftDockWidgetArea);
    QDockWidget *events = addDock(tr("Events"), u"eventsDock"_s, m_eventPane, Qt::BottomDockWidgetArea);
    splitDockWidget(agents, tests, Qt::Vertical);
    resizeDocks({agents}, {560}, Qt::Horizontal);
    resizeDocks({agents, tests}, {380, 320}, Qt::Vertical);
    resizeDocks({events}, {170}, Qt::Vertical);
}

QDockWidget *MainWindow::addDock(const QString &title, const QString &name, QWidget *content, Qt::DockWidgetArea area)
{
    auto *dock = new QDockWidget(title, this);
    dock->setObjectName(name); // saveState() keys docks by name
    dock->setWidget(content);
    dock->setFeatures(
        QDockWidget::DockWidgetClosable | QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
    addDockWidget(area, dock);
    return dock;
}

// The everyday actions one click away; the test actions act on the test list's selection.
void MainWindow::createToolBar()
{
    QToolBar *bar = addToolBar(tr("Main toolbar"));
    bar->setObjectName(u"mainToolBar"_s); // saveState() keys toolbars by name
    bar->setIconSize(QSize(20, 20));
    bar->setToolButtonStyle(Qt::ToolButtonIconOnly);
    const auto add = [this, bar](const char *name) {
        if (auto *action = findChild<QAction *>(QString::fromLatin1(name)))
            bar->addAction(action);
    };
    add("addTestAction");
    add("editTestAction");
    add("duplicateTestAction");
    bar->addSeparator();
    add("pauseTestAction");
    add("resumeTestAction");
    add("stopTestAction");
    add("deleteTestAction");
    bar->addSeparator();
    add("enrollmentTokensAction");
    add("deployAction");
    add("showHostAction");
    findChild<QMenu *>(u"viewMenu"_s)->addAction(bar->toggleViewAction());
}

void MainWindow::createViewMenu()
{
    QMenu *viewMenu = findChild<QMenu *>(u"viewMenu"_s);
    const QList<std::pair<QString, QKeySequence>> docks{{u"agentsDock"_s, Qt::ALT | Qt::Key_1},
        {u"testsDock"_s, Qt::ALT | Qt::Key_2}, {u"eventsDock"_s, Qt::ALT | Qt::Key_3}};
    for (const auto &[name, keys] : docks) {
        QAction *toggle = findChild<QDockWidget *>(name)->toggleViewAction();
        toggle->setShortcut(keys);
        viewMenu->addAction(toggle);
    }
    viewMenu->addAction(m_agentView->groupAction());
    viewMenu->addSeparator();
    QAction *chart = viewMenu->addAction(tr("C&hart"));
    chart->setShortcut(Qt::CTRL | Qt::Key_1);
    connect(chart, &QAction::triggered, this, [this] { m_tabs->setCurrentIndex(0); });
    QAction *results = viewMenu->addAction(tr("&Results table"));
    results->setShortcut(Qt::CTRL | Qt::Key_2);
    connect(results, &QAction::triggered, this, [this] { m_tabs->setCurrentIndex(1); });
    QAction *paths = viewMenu->addAction(tr("&Path history"));
    paths->setShortcut(Qt::CTRL | Qt::Key_3);
    connect(paths, &QAction::triggered, this, [this] {
        if (m_tabs->isTabEnabled(2))
            m_tabs->setCurrentIndex(2);
    });
    QAction *summary = viewMenu->addAction(tr("&Summary"));
    summary->setShortcut(Qt::CTRL | Qt::Key_4);
    connect(summary, &QAction::triggered, this, [this] { m_tabs->setCurrentWidget(m_summary); });
    viewMenu->addSeparator();
    QAction *reset = viewMenu->addAction(tr("Reset &layout"));
    reset->setObjectName(u"resetLayoutAction"_s);
    reset->setStatusTip(tr("Shows every pane again where it was at the first start"));
    connect(reset, &QAction::triggered, this, &MainWindow::resetLayout);
}

QWidget *MainWindow::createChartPane()
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

    auto *compare = new QToolButton(chartBox);
    compare->setObjectName(u"compareButton"_s);
    m_compare = new ChartCompare(m_service, m_chart, compare);

    auto *headingRow = new QHBoxLayout;
    headingRow->addWidget(m_heading, 1);
    headingRow->addWidget(m_figures);
    headingRow->addWidget(compare);
    auto *chartLayout = new QVBoxLayout(chartBox);
    chartLayout->setContentsMargins(0, 0, 0, 0);
    chartLayout->setSpacing(6);
    chartLayout->addLayout(headingRow);
    chartLayout->addWidget(m_chart, 1);

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
    pane->setStretchFactor(0, 1);
    pane->setStretchFactor(1, 0);
    pane->setStretchFactor(2, 0);
    pane->setSizes({400, 220, 160});
    pane->setContentsMargins(8, 6, 8, 2);
    return pane;
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
    m_status->update();
}

void MainWindow::handleRoundsStored(qint64 agentId, const QList<Protocol::Round> &rounds)
{
    bool loadsChanged = false;
    const AgentRecord *agent = agentById(agentId);
    for (const Protocol::Round &round : rounds) {
        m_status->addSamples(round.values.size());
        const TestRecord *test = testById(round.testId);
        if (!m_loadsOf.isEmpty() && agent && test && round.detail.get<Protocol::BandwidthDetail>()) {
            m_loads.add({round.timeMs, agent->name, test->name, {round.detail, round.error}});
            loadsChanged = true;
        }
    }
    m_chartModel->addRounds(agentId, rounds);
    m_results->addRounds(agentId, rounds);
    m_pathHistory->addRounds(agentId, rounds);
    m_summary->addRounds(agentId, rounds);
    m_compare->addRounds(agentId, rounds);
    if (loadsChanged)
        m_chart->setLoadedSpans(m_loads.windows(m_loadsOf));
}

void MainWindow::handleClockTick()
{
    // A timed test's state moves with the clock, not only with database changes.
    m_selectingRows = true;
    m_testModel->setTests(m_service->tests(), QDateTime::currentMSecsSinceEpoch());
    m_selectingRows = false;
    m_status->tick();
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
    const qint64 agentId = runsIt ? m_agentId : ChartChoice::firstAgentOf(m_service->agents(), *test);
    showChart(agentId ? agentId : m_agentId, testId);
}

void MainWindow::handleSpanChanged(double seconds)
{
    // Longer spans than the loaded history need the older rounds too, and a span that wants finer
    // or coarser buckets than the loaded ones is read again.
    const TestRecord *test = testById(m_testId);
    const double span = std::max(MIN_HISTORY_SECONDS, seconds);
    if (test && (span > m_loadedSpan || bucketFor(span, test->intervalMs) != m_loadedBucketMs))
        loadHistory();
}

// Zoomed or panned into the history: the shown span, and as much again around it, is read at the
// detail its width allows when the loaded rounds are coarser or do not cover it.
void MainWindow::handleViewMoved()
{
    const TestRecord *test = testById(m_testId);
    const QCPRange shown = m_chart->plot()->xAxis->range();
    if (!test || m_chart->followsLive())
        return;
    const qint64 fromMs = qint64((shown.lower - shown.size() / 2) * 1000);
    const qint64 toMs = qint64((shown.upper + shown.size() / 2) * 1000);
    const bool covered = fromMs >= m_loadedFromMs && (!m_loadedToMs || toMs <= m_loadedToMs);
    const bool finer = m_loadedBucketMs > 0 && bucketFor(2 * shown.size(), test->intervalMs) * 2 <= m_loadedBucketMs;
    if (covered && !finer)
        return;
    m_viewFromMs = fromMs;
    m_viewToMs = toMs;
    loadHistory();
}

void MainWindow::handleShowCertificate()
{
    showCertificateBox(m_service, this);
}

void MainWindow::handleAbout()
{
    auto *dialog = new AboutDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
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
    return ChartChoice::agentById(m_service->agents(), id);
}

const TestRecord *MainWindow::testById(qint64 id) const
{
    return ChartChoice::testById(m_service->tests(), id);
}

qint64 MainWindow::firstTestOf(const AgentRecord &agent) const
{
    return ChartChoice::firstTestOf(m_service->tests(), agent, QDateTime::currentMSecsSinceEpoch());
}

void MainWindow::pickDefaultChart()
{
    const auto [agentId, testId]
        = ChartChoice::defaultChart(m_service->agents(), m_service->tests(), QDateTime::currentMSecsSinceEpoch());
    setChart(agentId, testId);
}

void MainWindow::setChart(qint64 agentId, qint64 testId)
{
    if (agentId == m_agentId && testId == m_testId && m_historyRequested) {
        selectRows();
        return;
    }
    if (testId != m_testId)
        m_chartClass.clear();
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
    m_agentView->selectAgent(m_agentId);
    select(m_testView, TestListModel::TestIdRole, m_testId);
    m_selectingRows = false;
}

void MainWindow::loadHistory()
{
    m_historyRequested = true;
    updateFigures({});
    m_chart->clear();
    const TestRecord *test = testById(m_testId);
    const std::optional<ChartMetrics> metrics = test ? chartMetricsFor(*test, m_chartClass) : std::nullopt;
    m_chart->setClassChoices(metrics ? metrics->classes : QStringList(), metrics ? metrics->chartedClass : QString());
    m_pathBox->setVisible(metrics && metrics->pathTable);
    m_detailBox->setVisible(metrics && metrics->detailTable);

    const AgentRecord *agent = agentById(m_agentId);
    m_results->showTest(agent, test);
    const bool traced = metrics && metrics->pathTable;
    m_pathHistory->showTest(traced ? agent : nullptr, traced ? test : nullptr);
    m_tabs->setTabEnabled(m_tabs->indexOf(m_pathHistory), traced);
    if (!agent || !test || !metrics) {
        m_compare->setChart(0, 0, {}, {});
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
    m_chart->setSeriesNames(metrics->lineName, metrics->bandName, metrics->lossName, metrics->spreadName);
    m_chart->setValueAxisLabel(metrics->axisLabel);
    // Following: the chosen span up to now. Zoomed or panned into the past: that span.
    const double span = m_viewFromMs ? double(m_viewToMs - m_viewFromMs) / 1000
                                     : std::max(MIN_HISTORY_SECONDS, m_chart->visibleSpan());
    m_loadedSpan = span;
    m_loadedBucketMs = bucketFor(span, test->intervalMs);
    m_loadedFromMs = m_viewFromMs ? m_viewFromMs : QDateTime::currentMSecsSinceEpoch() - qint64(span * 1000);
    m_loadedToMs = m_viewFromMs ? m_viewToMs : 0;
    // Buckets are as far apart as rounds then: the gap between them must not break the line.
    m_chart->setExpectedInterval(double(test->intervalMs) / 1000, double(m_loadedBucketMs) / 1000);
    m_chart->setSubject(agent->name);
    m_chart->setPhaseNames(metrics->phaseNames);
    m_chart->showMessage(tr("Loading…"));

    const quint64 generation = m_chartModel->start(m_agentId, m_testId, *metrics);
    ChartHistoryRequest request;
    request.agentId = m_agentId;
    request.testId = m_testId;
    request.metrics = m_chartModel->historyMetrics();
    request.fromMs = m_loadedFromMs;
    request.toMs = m_loadedToMs;
    request.bucketMs = m_loadedBucketMs;
    request.aggregates = ChartSeriesModel::historyAggregates();
    request.latestDetail = metrics->keepsDetail();
    m_compare->setChart(m_agentId, m_testId, *metrics, {request.fromMs, request.toMs, request.bucketMs});
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
        m_chartModel->series(ChartSeriesModel::Maximum), m_chartModel->series(ChartSeriesModel::Loss),
        m_chartModel->series(ChartSeriesModel::Spread));
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
        m_chart->appendPoint(point.timeSec, point.line, point.minimum, point.maximum, point.loss, point.spread);
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
    if (!agent->online)
        text += u" <span style=\"color:%1\">"_s.arg(OFFLINE_COLOR.name()) + tr("(offline)") + u"</span>"_s;
    if (test)
        text += u" &nbsp;·&nbsp; "_s + test->name.toHtmlEscaped() + u" &nbsp;→&nbsp; "_s + test->target.toHtmlEscaped();
    m_heading->setText(text);
}

void MainWindow::updateFigures(const ChartSeriesModel::Point &figures)
{
    m_figures->setText(ChartFigures::text(m_chartModel->metrics(), figures));
    m_figures->setToolTip(ChartFigures::toolTip(m_chartModel->metrics()));
}

} // namespace StreamSwarm::Console
