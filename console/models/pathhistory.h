// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QCoreApplication>
#include <QList>
#include <QMap>
#include <QStringList>

#include "console/storage/records.h"
#include "shared/protocol/details.h"

namespace StreamSwarm::Console {

// Where a traced path went another way: the hops before and after (one address per TTL, empty
// where nothing answered) and which TTLs changed.
struct PathChange
{
    qint64 timeMs = 0;
    QStringList before;
    QStringList after;
    QList<int> changedTtls;
};

// One hop's RTT round by round (its mean over the round's probes; NaN where it did not answer),
// as PingPlotter draws a path's hops over time.
struct HopSeries
{
    int ttl = 0;
    QString address; // the address the hop answered from last
    Series rtt; // seconds since the epoch, ms
};

// A traceroute test's rounds reduced to what changed and each hop's RTT over time. A hop is the same
// while any of the addresses it answers from stays (a load-balanced hop alternates between its
// routers), and a hop that did not answer in one round (rate limiting) is no change either; a hop
// that answers from new addresses only, or a path that ends at another TTL, is. No widgets; any
// thread.
class PathHistory
{
    Q_DECLARE_TR_FUNCTIONS(StreamSwarm::Console::PathHistory)
public:
    static constexpr int MAX_CHANGES = 1000; // the oldest go
    static constexpr int MAX_POINTS_PER_HOP = 100000;

    // Rounds in time order.
    void add(qint64 timeMs, const Protocol::TracerouteDetail &detail);

    int rounds() const { return m_rounds; }
    const QList<PathChange> &changes() const { return m_changes; }
    QList<HopSeries> hops() const { return m_hops.values(); } // by TTL
    // "hop 3: 10.2.0.1 → 10.9.0.1; 6 hops → 7 hops", for the changes table.
    static QString describe(const PathChange &change);

private:
    struct Hop
    {
        QStringList addresses;
    };
    static QList<Hop> pathOf(const Protocol::TracerouteDetail &detail);

    int m_rounds = 0;
    QList<Hop> m_path; // the last round's
    QList<PathChange> m_changes;
    QMap<int, HopSeries> m_hops;
};

} // namespace StreamSwarm::Console
