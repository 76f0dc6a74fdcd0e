// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QHash>
#include <QList>
#include <QSet>
#include <QString>

#include "console/storage/records.h"

namespace StreamSwarm::Console {

// When bandwidth measurements loaded each agent's link, read from the bandwidth rounds' stored
// details: from the round's start and what it waited, for its warm-up and measurement (each way in
// turn for a speed test), on the measuring agent and, between agents, on the serving one too. A
// latency sample taken then measured a loaded link; exports flag it, so it can be told apart. Pure.
class BulkWindows
{
public:
    // Slack after each measurement: connecting before it and the results' exchange after it.
    static constexpr qint64 MARGIN_MS = 1000;
    // How long before a moment a bandwidth round that loaded the link then may have started: its
    // wait for a turn and its measurement stay well within an hour.
    static constexpr qint64 LOOKBACK_MS = 3600 * 1000;

    // One stored detail; only a bandwidth round that measured adds a window.
    void add(const DetailRow &row);
    // Whether a sample of test, taken by agent at timeMs, was taken while a bandwidth measurement
    // loaded that agent's link. The bandwidth tests' own samples are never flagged.
    bool loaded(const QString &agent, const QString &test, qint64 timeMs) const;
    // The windows of one agent, [start, end) in ms since the epoch, in time order.
    QList<std::pair<qint64, qint64>> windows(const QString &agent) const;
    bool isEmpty() const { return m_windows.isEmpty(); }

private:
    void addWindow(const QString &agent, qint64 startMs, qint64 endMs);

    QHash<QString, QList<std::pair<qint64, qint64>>> m_windows; // by agent name, sorted by start
    QSet<QString> m_bulkTests; // the bandwidth tests seen
    qint64 m_longestMs = 0; // of any window: how far back a window that holds a moment can start
};

} // namespace StreamSwarm::Console
