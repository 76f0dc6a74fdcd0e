// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QCoreApplication>

#include "console/alerts/alertincident.h"

namespace StreamSwarm::Console {

struct Repositories;

// Decides what goes out when alerts fire, inside the caller's write transaction: an alert whose
// trouble another one explains is held (recorded, not sent): the alert it depends on fires, or alerts
// that fired about the same time were seen by agents whose traced paths share a hop. The first of
// those is sent once for all, naming the hop. Messages wait SETTLE_MS after an alert fires so that
// alerts firing together are seen together; without paths or a dependency to weigh they go at once.
class AlertNotices
{
    Q_DECLARE_TR_FUNCTIONS(StreamSwarm::Console::AlertNotices)
public:
    static constexpr qint64 SETTLE_MS = 10000;
    static constexpr qint64 PATH_AGE_MS = 3600 * 1000; // paths traced longer ago are not trusted

    AlertNotices(Repositories &repositories, AlertRecording &recording)
        : m_repos(repositories)
        , m_recording(recording)
    { }

    // When a new incident's messages may go: now, or after SETTLE_MS when something may explain it.
    std::optional<qint64> releaseTime(
        const AlertRule &rule, const AlertIncident &incident, qint64 nowMs, QString *error);
    // Puts the rule's messages about the incident (firing, cleared) in the outbox.
    bool enqueue(
        const AlertRule &rule, const AlertIncident &incident, const QString &state, qint64 atMs, QString *error);
    // Every incident whose messages are due: held, or sent.
    bool releaseDue(qint64 nowMs, QString *error);
    // The earliest time messages wait for, into the recording.
    bool noteNextRelease(QString *error);

private:
    bool release(const AlertIncident &incident, qint64 nowMs, QString *error);
    bool hold(const AlertIncident &incident, const AlertIncident &by, const QStringList &agents, const QString &hop,
        QString *error);

    Repositories &m_repos;
    AlertRecording &m_recording;
};

// The deepest hop that every path passes, in the first path's order; empty when they share none.
QString sharedHop(const QList<QStringList> &paths);

} // namespace StreamSwarm::Console
