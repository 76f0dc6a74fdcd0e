// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "hostwindow.h"

#include <algorithm>

#include <QDateTime>
#include <QHeaderView>
#include <QLabel>
#include <QPainter>
#include <QPainterPath>
#include <QTableView>
#include <QVBoxLayout>

#include "console/app/administration.h"
#include "console/models/hostmetricsmodel.h"
#include "console/server/consoleservice.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

namespace {

QColor stateColour(HostState state, const QColor &normal)
{
    switch (state) {
    case HostState::Warning:
        return QColor(0xb3, 0x6b, 0x00); // amber, readable on white
    case HostState::Critical:
        return QColor(0xc6, 0x28, 0x28);
    case HostState::Normal:
        break;
    }
    return normal;
}

} // namespace

void StateColourDelegate::initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const
{
    QStyledItemDelegate::initStyleOption(option, index);
    const auto state = HostState(index.data(HostMetricsModel::StateRole).toInt());
    if (state != HostState::Normal) {
        option->palette.setColor(QPalette::Text, stateColour(state, {}));
        option->font.setBold(state == HostState::Critical);
    }
}

void SparklineDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QStyledItemDelegate::paint(painter, option, index); // the background, selection included
    const QList<double> values = index.data(HostMetricsModel::TrendRole).value<QList<double>>();
    if (values.size() < 2)
        return;
    const auto [low, high] = std::minmax_element(values.cbegin(), values.cend());
    const double span = *high - *low;
    const QRectF area = QRectF(option.rect).adjusted(4, 4, -4, -4);
    QPainterPath path;
    for (qsizetype i = 0; i < values.size(); ++i) {
        const double x = area.left() + area.width() * double(i) / double(values.size() - 1);
        // A flat series is drawn in the middle, not on the floor.
        const double share = span > 0 ? (values.at(i) - *low) / span : 0.5;
        const QPointF point(x, area.bottom() - share * area.height());
        if (i == 0)
            path.moveTo(point);
        else
            path.lineTo(point);
    }
    const auto state = HostState(index.data(HostMetricsModel::StateRole).toInt());
    const QColor colour = stateColour(state, option.palette.color(QPalette::Highlight));
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setPen(QPen(colour, 1.5));
    painter->drawPath(path);
    painter->restore();
}

QSize SparklineDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    return QStyledItemDelegate::sizeHint(option, index).expandedTo(QSize(140, 22));
}

HostWindow::HostWindow(ConsoleService *service, qint64 agentId, const QString &agentName, QWidget *parent)
    : QWidget(parent, Qt::Window)
    , m_service(service)
    , m_model(new HostMetricsModel(this))
    , m_view(new QTableView(this))
    , m_summary(new QLabel(this))
{
    setAttribute(Qt::WA_DeleteOnClose);
    setWindowTitle(tr("Host of %1 - StreamSwarm").arg(agentName));
    m_model->setAgent(agentId, agentName);

    auto *heading = new QLabel(tr("The host of agent %1").arg(agentName.toHtmlEscaped()), this);
    QFont headingFont = heading->font();
    headingFont.setPointSizeF(headingFont.pointSizeF() * 1.2);
    headingFont.setBold(true);
    heading->setFont(headingFont);
    m_summary->setObjectName(u"hostSummary"_s);
    m_summary->setWordWrap(true);

    m_view->setObjectName(u"hostMetricsView"_s);
    m_view->setModel(m_model);
    m_view->setItemDelegateForColumn(HostMetricsModel::Trend, new SparklineDelegate(m_view));
    m_view->setItemDelegateForColumn(HostMetricsModel::Value, new StateColourDelegate(m_view));
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setAlternatingRowColors(true);
    m_view->setShowGrid(false);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(24);
    m_view->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_view->horizontalHeader()->setSectionResizeMode(HostMetricsModel::Trend, QHeaderView::Stretch);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(heading);
    layout->addWidget(m_summary);
    layout->addWidget(m_view, 1);
    resize(820, 720);

    connect(m_service, &ConsoleService::roundsStored, this, &HostWindow::handleRoundsStored);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &HostWindow::updateSummary);
    connect(m_model, &QAbstractItemModel::modelReset, this, &HostWindow::updateSummary);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &HostWindow::updateSummary);
    m_summary->setText(tr("Loading the last ten minutes..."));
    const qint64 fromMs = QDateTime::currentMSecsSinceEpoch() - HISTORY_MS;
    m_service->administration()->hostHistory(agentName, fromMs, this, [this](const Result<QList<SampleRow>> &rows) {
        m_loading = false;
        if (!rows) {
            m_summary->setText(tr("Could not read the history: %1").arg(rows.error()));
        } else {
            m_model->addHistory(*rows);
        }
        for (const Protocol::Round &round : std::as_const(m_pending))
            m_model->addRounds(m_model->agentId(), {round});
        m_pending.clear();
        updateSummary();
        m_view->resizeColumnsToContents();
        Q_EMIT historyLoaded();
    });
}

void HostWindow::handleRoundsStored(qint64 agentId, const QList<Protocol::Round> &rounds)
{
    if (agentId != m_model->agentId())
        return;
    if (m_loading) {
        m_pending.append(rounds);
        return;
    }
    m_model->addRounds(agentId, rounds);
}

void HostWindow::updateSummary()
{
    if (m_loading)
        return;
    if (m_model->rowCount() == 0) {
        m_summary->setText(tr("No figures of this host yet. Add a system, wireless or hardware test for this agent "
                              "(Tests > Add test), and they appear here within a round."));
        return;
    }
    int warnings = 0;
    int critical = 0;
    for (int row = 0; row < m_model->rowCount(); ++row) {
        const auto state
            = HostState(m_model->index(row, HostMetricsModel::Value).data(HostMetricsModel::StateRole).toInt());
        warnings += state == HostState::Warning;
        critical += state == HostState::Critical;
    }
    QString text = tr("%1 figures. Hover over a name for what it means.").arg(m_model->rowCount());
    if (critical > 0 || warnings > 0)
        text += u' ' + tr("Needs attention: %1 in red, %2 in amber.").arg(critical).arg(warnings);
    m_summary->setText(text);
}

} // namespace StreamSwarm::Console
