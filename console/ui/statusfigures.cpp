// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "statusfigures.h"

#include <algorithm>

#include <QLabel>
#include <QLocale>
#include <QStatusBar>

#include "console/app/administration.h"
#include "console/server/consoleservice.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

StatusFigures::StatusFigures(ConsoleService *service, QStatusBar *bar)
    : QObject(bar)
    , m_service(service)
    , m_listen(new QLabel(bar))
    , m_database(new QLabel(bar))
    , m_online(new QLabel(bar))
    , m_rate(new QLabel(bar))
{
    m_listen->setObjectName(u"listenLabel"_s);
    m_database->setObjectName(u"databaseLabel"_s);
    m_online->setObjectName(u"onlineLabel"_s);
    m_rate->setObjectName(u"samplesLabel"_s);
    for (QLabel *label : {m_listen, m_database, m_online, m_rate})
        label->setContentsMargins(6, 0, 6, 0);
    bar->addWidget(m_listen);
    bar->addWidget(m_database, 1);
    bar->addPermanentWidget(m_online);
    bar->addPermanentWidget(m_rate);
    m_totals.append(0);
    update();
    readDatabaseSize();
}

StatusFigures::~StatusFigures() = default;

void StatusFigures::tick()
{
    m_totals.append(m_samples);
    if (m_totals.size() > RATE_SECONDS + 1)
        m_totals.removeFirst();
    if (++m_ticks % SIZE_EVERY_SECONDS == 0)
        readDatabaseSize();
    update();
}

double StatusFigures::samplesPerSecond() const
{
    const qsizetype seconds = m_totals.size() - 1;
    return seconds > 0 ? double(m_totals.constLast() - m_totals.constFirst()) / double(seconds) : 0.0;
}

void StatusFigures::update()
{
    const QList<AgentRecord> &agents = m_service->agents();
    const auto enrolled
        = std::count_if(agents.cbegin(), agents.cend(), [](const AgentRecord &a) { return !a.revoked; });
    m_listen->setText(tr("Listening on %1").arg(m_service->listenUrl()));
    m_listen->setToolTip(m_service->fingerprint().isEmpty()
            ? tr("Plain ws:// (--insecure): credentials cross the network unencrypted.")
            : tr("Certificate fingerprint: %1").arg(m_service->fingerprint()));
    const QLocale locale;
    m_database->setText(m_sizeBytes < 0
            ? tr("Database: %1").arg(m_service->databaseName())
            : tr("Database: %1 (%2)").arg(m_service->databaseName(), locale.formattedDataSize(m_sizeBytes)));
    m_online->setText(tr("%1 of %2 agents online").arg(m_service->onlineCount()).arg(enrolled));
    const double rate = samplesPerSecond();
    m_rate->setText(tr("%1 samples/s").arg(locale.toString(rate, 'f', rate < 10 ? 1 : 0)));
    m_rate->setToolTip(tr("Samples stored per second over the last %n seconds; %1 this session.", nullptr, RATE_SECONDS)
                           .arg(locale.toString(m_samples)));
}

void StatusFigures::readDatabaseSize()
{
    if (m_sizeReading)
        return;
    m_sizeReading = true;
    m_service->administration()->databaseSize(this, [this](const Result<qint64> &size) {
        m_sizeReading = false;
        m_sizeBytes = size ? *size : -1;
        m_database->setToolTip(size ? QString() : size.error());
        update();
    });
}

} // namespace StreamSwarm::Console
