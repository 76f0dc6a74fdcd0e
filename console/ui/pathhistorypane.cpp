// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "pathhistorypane.h"

#include <QDateTime>
#include <QHeaderView>
#include <QLabel>
#include <QSplitter>
#include <QTreeWidget>
#include <QVBoxLayout>

#include "console/app/administration.h"
#include "console/server/consoleservice.h"
#include "console/ui/charts/chartdata.h"
#include "console/ui/charts/plotinclude.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

namespace {

enum Column { Time, Hops, Change, Path };

// Distinct for the colour-blind (Okabe-Ito), then again.
const std::array<QColor, 7> HOP_COLORS = {QColor(0, 114, 178), QColor(230, 159, 0), QColor(0, 158, 115),
    QColor(204, 121, 167), QColor(86, 180, 233), QColor(213, 94, 0), QColor(120, 120, 120)};

// Hops in order; "*" where nothing answered, as traceroute prints it.
QString pathText(const QStringList &hops)
{
    QStringList shown;
    for (const QString &address : hops)
        shown.append(address.isEmpty() ? u"*"_s : address);
    return shown.join(u" → "_s);
}

} // namespace

PathHistoryPane::PathHistoryPane(ConsoleService *service, QWidget *parent)
    : QWidget(parent)
    , m_service(service)
    , m_summary(new QLabel(this))
    , m_plot(new QCustomPlot(this))
    , m_changes(new QTreeWidget(this))
{
    setObjectName(u"pathHistoryPane"_s);
    m_summary->setObjectName(u"pathHistorySummary"_s);
    m_summary->setWordWrap(true);

    m_plot->setObjectName(u"pathHistoryPlot"_s);
    if (m_plot->openGl())
        m_plot->setOpenGl(false);
    m_plot->setPlottingHint(QCP::phFastPolylines, true);
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    m_plot->axisRect()->setRangeDrag(Qt::Horizontal);
    m_plot->axisRect()->setRangeZoom(Qt::Horizontal);
    auto ticker = QSharedPointer<QCPAxisTickerDateTime>::create();
    ticker->setDateTimeFormat(u"HH:mm"_s);
    ticker->setDateTimeSpec(Qt::LocalTime);
    m_plot->xAxis->setTicker(ticker);
    m_plot->yAxis->setLabel(tr("RTT per hop (ms)"));
    m_plot->legend->setVisible(true);
    m_plot->legend->setFont(font());
    m_plot->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignLeft);
    m_plot->setMinimumHeight(220);

    m_changes->setObjectName(u"pathChangesView"_s);
    m_changes->setRootIsDecorated(false);
    m_changes->setUniformRowHeights(true);
    m_changes->setAlternatingRowColors(true);
    m_changes->setHeaderLabels({tr("Time"), tr("Hops"), tr("What changed"), tr("Path after")});
    m_changes->header()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);

    auto *split = new QSplitter(Qt::Vertical, this);
    split->setChildrenCollapsible(false);
    split->addWidget(m_plot);
    split->addWidget(m_changes);
    split->setSizes({420, 200});
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 6, 8, 2);
    layout->addWidget(m_summary);
    layout->addWidget(split, 1);
    redraw();
}

PathHistoryPane::~PathHistoryPane() = default;

void PathHistoryPane::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        redraw();
}

void PathHistoryPane::showTest(const AgentRecord *agent, const TestRecord *test)
{
    const qint64 agentId = agent && test ? agent->id : 0;
    const qint64 testId = agent && test ? test->id : 0;
    if (agentId == m_agentId && testId == m_testId)
        return;
    m_agentId = agentId;
    m_testId = testId;
    m_history = {};
    const quint64 generation = ++m_generation;
    m_loading = agentId != 0;
    redraw();
    if (!agentId)
        return;
    m_service->administration()->pathHistory(agent->name, test->name, QDateTime::currentMSecsSinceEpoch() - SPAN_MS,
        this, [this, generation](const Result<PathHistory> &history) {
            if (generation != m_generation)
                return;
            m_loading = false;
            if (!history) {
                m_summary->setText(tr("Could not read the path's history: %1").arg(history.error()));
                return;
            }
            m_history = *history;
            redraw();
        });
}

void PathHistoryPane::addRounds(qint64 agentId, const QList<Protocol::Round> &rounds)
{
    if (agentId != m_agentId || m_loading)
        return;
    bool added = false;
    for (const Protocol::Round &round : rounds) {
        const auto *path = round.detail.get<Protocol::TracerouteDetail>();
        if (round.testId == m_testId && path) {
            m_history.add(round.timeMs, *path);
            added = true;
        }
    }
    if (added)
        redraw();
}

void PathHistoryPane::redraw()
{
    m_plot->clearGraphs();
    m_changes->clear();
    if (m_loading) {
        m_summary->setText(tr("Loading…"));
        m_plot->replot(QCustomPlot::rpQueuedReplot);
        return;
    }
    if (!m_agentId) {
        m_summary->setText(tr("Choose a traceroute test to see how its path changed."));
        m_plot->replot(QCustomPlot::rpQueuedReplot);
        return;
    }
    const QList<HopSeries> hops = m_history.hops();
    const QList<PathChange> &changes = m_history.changes();
    m_summary->setText(changes.isEmpty()
            ? tr("The path did not change in the last 24 hours (rounds: %n).", nullptr, m_history.rounds())
            : tr("Path changes in the last 24 hours: %n. The newest is first below.", nullptr, int(changes.size())));

    double lower = 0;
    double upper = 0;
    for (qsizetype i = 0; i < hops.size(); ++i) {
        const HopSeries &hop = hops.at(i);
        QCPGraph *graph = m_plot->addGraph();
        const bool last = i == hops.size() - 1;
        graph->setName(tr("%1: %2").arg(hop.ttl).arg(hop.address.isEmpty() ? tr("no answer") : hop.address));
        graph->setPen(QPen(HOP_COLORS.at(size_t(i) % HOP_COLORS.size()), last ? 2.2 : 1.2));
        graph->data()->set(toGraphData(hop.rtt, 0), true);
        if (!hop.rtt.times.isEmpty()) {
            lower = lower == 0 ? hop.rtt.times.constFirst() : std::min(lower, hop.rtt.times.constFirst());
            upper = std::max(upper, hop.rtt.times.constLast());
        }
    }
    if (upper > lower)
        m_plot->xAxis->setRange(lower, upper);
    m_plot->yAxis->rescale();
    m_plot->yAxis->setRangeLower(0);
    m_plot->yAxis->setRangeUpper(std::max(1.0, m_plot->yAxis->range().upper * 1.1));
    m_plot->legend->setVisible(!hops.isEmpty());
    // The plot paints itself: the window's colours, light or dark, by hand.
    const QColor base = palette().color(QPalette::Base);
    const QColor text = palette().color(QPalette::Text);
    m_plot->setBackground(base);
    QColor veil = base;
    veil.setAlpha(210); // the newest rounds show through the legend
    m_plot->legend->setBrush(veil);
    m_plot->legend->setTextColor(text);
    for (QCPAxis *axis : {m_plot->xAxis, m_plot->yAxis}) {
        axis->setTickLabelColor(text);
        axis->setLabelColor(text);
    }
    m_plot->replot(QCustomPlot::rpQueuedReplot);

    QList<QTreeWidgetItem *> items;
    for (auto it = changes.crbegin(); it != changes.crend(); ++it) {
        QStringList hopsText;
        for (int ttl : it->changedTtls)
            hopsText.append(QString::number(ttl));
        auto *item = new QTreeWidgetItem(
            QStringList{QLocale().toString(QDateTime::fromMSecsSinceEpoch(it->timeMs), u"yyyy-MM-dd HH:mm:ss"_s),
                hopsText.join(u", "_s), PathHistory::describe(*it), pathText(it->after)});
        item->setToolTip(Path, tr("Before: %1").arg(pathText(it->before)));
        items.append(item);
    }
    m_changes->addTopLevelItems(items);
    for (int column = Time; column < Path; ++column)
        m_changes->resizeColumnToContents(column);
}

} // namespace StreamSwarm::Console
