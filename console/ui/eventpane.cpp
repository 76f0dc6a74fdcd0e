// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "eventpane.h"

#include <utility>

#include <QDateTime>
#include <QHeaderView>

#include "console/app/administration.h"
#include "console/server/consoleservice.h"
#include "console/ui/statusicons.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

namespace {

enum Column { Time, Level, Agent, Test, Message };

QString formatEventTime(qint64 timeMs)
{
    const QDateTime time = QDateTime::fromMSecsSinceEpoch(timeMs);
    return time.toString(time.date() == QDate::currentDate() ? u"HH:mm:ss"_s : u"dd MMM HH:mm:ss"_s);
}

} // namespace

EventPane::EventPane(ConsoleService *service, QWidget *parent)
    : QTreeWidget(parent)
    , m_service(service)
{
    setObjectName(u"eventsView"_s);
    setRootIsDecorated(false);
    setUniformRowHeights(true);
    setAlternatingRowColors(true);
    setSelectionMode(QAbstractItemView::ExtendedSelection);
    setHeaderLabels({tr("Time"), tr("Level"), tr("Agent"), tr("Test"), tr("Message")});
    header()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    connect(m_service, &ConsoleService::eventsChanged, this, &EventPane::reload);
}

EventPane::~EventPane() = default;

void EventPane::reload()
{
    // One read in flight at a time; a burst of changes costs one more read, not one per change.
    if (m_loading) {
        m_again = true;
        return;
    }
    m_loading = true;
    m_service->administration()->recentEvents(EVENT_LIMIT, this, [this](const Result<QList<EventRecord>> &events) {
        m_loading = false;
        if (!events)
            Q_EMIT failed(events.error());
        else
            show(*events);
        if (std::exchange(m_again, false))
            reload();
    });
}

void EventPane::show(const QList<EventRecord> &events)
{
    const QIcon errorIcon = dotIcon(StatusColor::Error);
    const QIcon warningIcon = dotIcon(StatusColor::Warning);
    const QIcon infoIcon = dotIcon(StatusColor::Info);
    QList<QTreeWidgetItem *> items;
    items.reserve(events.size());
    for (const EventRecord &event : events) {
        const QString text = event.text(); // stored as a code and values, shown in the user's language
        auto *item = new QTreeWidgetItem(
            QStringList{formatEventTime(event.timeMs), event.level, event.agentName, event.testName, text});
        item->setToolTip(Message, text);
        if (event.level == QLatin1String("error")) {
            item->setIcon(Level, errorIcon);
            item->setForeground(Level, StatusColor::Error);
            item->setForeground(Message, StatusColor::Error);
            item->setText(Level, tr("error"));
        } else if (event.level == QLatin1String("warning")) {
            item->setIcon(Level, warningIcon);
            item->setForeground(Level, StatusColor::Warning);
            item->setText(Level, tr("warning"));
        } else if (event.level == QLatin1String("info")) {
            item->setIcon(Level, infoIcon);
            item->setText(Level, tr("info"));
        }
        items.append(item);
    }
    const bool firstFill = topLevelItemCount() == 0;
    clear();
    addTopLevelItems(items);
    if (firstFill) {
        for (int column = Time; column < Message; ++column)
            resizeColumnToContents(column);
    }
}

} // namespace StreamSwarm::Console
