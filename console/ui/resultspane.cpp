// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "resultspane.h"

#include <algorithm>

#include <QAction>
#include <QClipboard>
#include <QDateTime>
#include <QFileDialog>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QSaveFile>
#include <QSortFilterProxyModel>
#include <QStandardPaths>
#include <QTableView>
#include <QVBoxLayout>

#include "console/app/administration.h"
#include "console/models/resultsmodel.h"
#include "console/server/consoleservice.h"
#include "console/ui/listwidgets.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

ResultsPane::ResultsPane(ConsoleService *service, QWidget *parent)
    : QWidget(parent)
    , m_service(service)
    , m_model(new ResultsModel(this))
    , m_proxy(new QSortFilterProxyModel(this))
    , m_filter(new QLineEdit(this))
    , m_count(new QLabel(this))
    , m_view(new QTableView(this))
{
    setObjectName(u"resultsPane"_s);
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(ResultsModel::SortRole);
    m_proxy->setFilterKeyColumn(-1); // any column
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);

    m_filter->setObjectName(u"resultsFilter"_s);
    m_filter->setPlaceholderText(tr("Filter rows (any column)…"));
    m_filter->setClearButtonEnabled(true);
    connect(m_filter, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_proxy->setFilterFixedString(text);
        updateCount();
    });
    m_count->setObjectName(u"resultsCount"_s);

    auto *copy = new QPushButton(tr("&Copy"), this);
    copy->setToolTip(tr("Copies the selected rows (or all shown) as text for a spreadsheet (Ctrl+C)"));
    connect(copy, &QPushButton::clicked, this, &ResultsPane::copyChosen);
    auto *exportButton = new QPushButton(tr("&Export…"), this);
    exportButton->setObjectName(u"resultsExport"_s);
    exportButton->setToolTip(tr("Saves the selected rows (or all shown) as CSV or JSON"));
    connect(exportButton, &QPushButton::clicked, this, &ResultsPane::handleExport);

    m_view->setObjectName(u"resultsView"_s);
    m_view->setModel(m_proxy);
    setUpListTable(m_view);
    offerColumnChoice(m_view->horizontalHeader(), u"resultsColumns"_s);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(0, Qt::DescendingOrder); // newest first
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    auto *copyKeys = new QAction(m_view);
    copyKeys->setShortcut(QKeySequence::Copy);
    copyKeys->setShortcutContext(Qt::WidgetShortcut);
    connect(copyKeys, &QAction::triggered, this, &ResultsPane::copyChosen);
    m_view->addAction(copyKeys);
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] {
        m_view->resizeColumnsToContents();
        updateCount();
    });
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &ResultsPane::updateCount);

    auto *bar = new QHBoxLayout;
    bar->addWidget(m_filter, 1);
    bar->addWidget(m_count);
    bar->addWidget(copy);
    bar->addWidget(exportButton);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 6, 8, 2);
    layout->addLayout(bar);
    layout->addWidget(m_view, 1);
    updateCount();
}

ResultsPane::~ResultsPane() = default;

QHeaderView *ResultsPane::header() const
{
    return m_view->horizontalHeader();
}

void ResultsPane::showTest(const AgentRecord *agent, const TestRecord *test)
{
    const qint64 agentId = agent && test ? agent->id : 0;
    const qint64 testId = agent && test ? test->id : 0;
    if (agentId == m_agentId && testId == m_testId)
        return;
    m_agentId = agentId;
    m_testId = testId;
    const quint64 generation = ++m_generation;
    m_model->clear();
    if (!agentId) {
        updateCount();
        return;
    }
    m_loading = true;
    updateCount();
    const qint64 fromMs = QDateTime::currentMSecsSinceEpoch() - SPAN_MS;
    const QString agentName = agent->name;
    const QString testName = test->name;
    m_service->administration()->results(agentName, testName, fromMs, this,
        [this, generation, agentName, testName](const Result<QList<ResultRound>> &rounds) {
            if (generation != m_generation)
                return; // the user has moved on
            m_loading = false;
            if (!rounds) {
                m_model->clear();
                m_count->setText(tr("Could not read the results: %1").arg(rounds.error()));
                return;
            }
            m_model->setRounds(agentName, testName, *rounds);
        });
}

void ResultsPane::addRounds(qint64 agentId, const QList<Protocol::Round> &rounds)
{
    // While the stored rounds load, live ones are in them or come after: the load covers them.
    if (agentId != m_agentId || m_loading)
        return;
    for (const Protocol::Round &round : rounds) {
        if (round.testId == m_testId)
            m_model->addRound(round);
    }
}

void ResultsPane::updateCount()
{
    if (m_loading) {
        m_count->setText(tr("Loading…"));
        return;
    }
    if (!m_agentId) {
        m_count->setText(tr("Choose an agent and a test"));
        return;
    }
    const QLocale locale;
    m_count->setText(m_proxy->rowCount() == m_model->rowCount()
            ? tr("Rounds in the last 24 hours: %n", nullptr, m_model->rowCount())
            : tr("%1 of %2 rounds").arg(locale.toString(m_proxy->rowCount()), locale.toString(m_model->rowCount())));
}

QList<int> ResultsPane::chosenRows() const
{
    QList<int> shown; // in the view's order
    const QModelIndexList selected = m_view->selectionModel()->selectedRows();
    QList<int> proxyRows;
    for (const QModelIndex &index : selected)
        proxyRows.append(index.row());
    if (proxyRows.isEmpty()) {
        for (int row = 0; row < m_proxy->rowCount(); ++row)
            proxyRows.append(row);
    }
    std::sort(proxyRows.begin(), proxyRows.end());
    for (int row : proxyRows)
        shown.append(m_proxy->mapToSource(m_proxy->index(row, 0)).row());
    return shown;
}

void ResultsPane::copyChosen() const
{
    if (m_model->rowCount() == 0)
        return;
    QGuiApplication::clipboard()->setText(m_model->toText(chosenRows()));
}

bool ResultsPane::exportTo(const QString &path, Format format, QString *error) const
{
    const QList<int> rows = chosenRows();
    if (rows.isEmpty()) {
        *error = tr("There are no rows to export.");
        return false;
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        *error = tr("Could not write %1: %2").arg(path, file.errorString());
        return false;
    }
    file.write(format == Format::Csv ? m_model->toCsv(rows) : m_model->toJson(rows));
    if (!file.commit()) {
        *error = tr("Could not write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

void ResultsPane::handleExport()
{
    if (m_model->rowCount() == 0) {
        QMessageBox::information(this, tr("Export results"), tr("There are no rows to export yet."));
        return;
    }
    const QString csvFilter = tr("CSV for spreadsheets (*.csv)");
    const QString jsonFilter = tr("JSON (*.json)");
    QString chosenFilter = csvFilter;
    const QString folder = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    const QString suggested = u"%1/%2-%3.csv"_s.arg(folder, m_model->test(), m_model->agent());
    QString path = QFileDialog::getSaveFileName(
        this, tr("Export results"), suggested, csvFilter + u";;"_s + jsonFilter, &chosenFilter);
    if (path.isEmpty())
        return;
    const bool json = chosenFilter == jsonFilter || path.endsWith(u".json"_s, Qt::CaseInsensitive);
    if (json && path.endsWith(u".csv"_s, Qt::CaseInsensitive))
        path.replace(path.size() - 4, 4, u".json"_s);
    QString error;
    if (!exportTo(path, json ? Format::Json : Format::Csv, &error))
        QMessageBox::warning(this, tr("Export results"), error);
}

} // namespace StreamSwarm::Console
