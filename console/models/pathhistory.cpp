// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "pathhistory.h"

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

namespace {

QStringList primaryAddresses(const QList<QStringList> &hops)
{
    QStringList addresses;
    for (const QStringList &hop : hops)
        addresses.append(hop.value(0));
    return addresses;
}

bool sharesAnAddress(const QStringList &a, const QStringList &b)
{
    return std::any_of(a.cbegin(), a.cend(), [&b](const QString &address) { return b.contains(address); });
}

} // namespace

QList<PathHistory::Hop> PathHistory::pathOf(const Protocol::TracerouteDetail &detail)
{
    QList<Hop> path;
    for (const Protocol::TracerouteHop &hop : detail.hops) {
        if (hop.ttl <= 0 || hop.ttl > Protocol::MAX_DETAIL_HOPS)
            continue;
        while (path.size() < hop.ttl)
            path.append(Hop{});
        Hop &at = path[hop.ttl - 1];
        if (!hop.address.isEmpty())
            at.addresses.append(hop.address);
        for (const Protocol::HopAddress &other : hop.addresses) {
            if (!other.address.isEmpty() && !at.addresses.contains(other.address))
                at.addresses.append(other.address);
        }
    }
    // Silent hops after the last that answered are where probing stopped, not part of the path.
    while (!path.isEmpty() && path.constLast().addresses.isEmpty())
        path.removeLast();
    return path;
}

void PathHistory::add(qint64 timeMs, const Protocol::TracerouteDetail &detail)
{
    ++m_rounds;
    const double timeSec = double(timeMs) / 1000;
    for (const Protocol::TracerouteHop &hop : detail.hops) {
        if (hop.ttl <= 0 || hop.ttl > Protocol::MAX_DETAIL_HOPS)
            continue;
        HopSeries &series = m_hops[hop.ttl];
        series.ttl = hop.ttl;
        if (!hop.address.isEmpty())
            series.address = hop.address;
        series.rtt.times.append(timeSec);
        series.rtt.values.append(hop.hasRtt ? hop.avgMs : std::nan(""));
        if (series.rtt.times.size() > MAX_POINTS_PER_HOP) {
            series.rtt.times.removeFirst();
            series.rtt.values.removeFirst();
        }
    }

    const QList<Hop> path = pathOf(detail);
    if (path.isEmpty())
        return; // nothing answered: no path to compare
    if (m_path.isEmpty()) {
        m_path = path;
        return;
    }
    QList<int> changed;
    const qsizetype common = std::min(path.size(), m_path.size());
    for (qsizetype i = 0; i < common; ++i) {
        const QStringList &before = m_path.at(i).addresses;
        const QStringList &after = path.at(i).addresses;
        if (before.isEmpty() || after.isEmpty() || sharesAnAddress(before, after))
            continue;
        // Behind a load-balanced hop, a hop known by one address may answer from the other branch's
        // (as the agent's traceroute judges it too).
        const bool otherBranch = i > 0 && m_path.at(i - 1).addresses.size() >= 2 && before.size() == 1;
        if (!otherBranch)
            changed.append(int(i) + 1);
    }
    if (changed.isEmpty() && path.size() == m_path.size()) {
        // The same path: learn every address each hop answers from, so that a balanced hop's routers,
        // and a hop that was silent, stay known.
        // The round's own addresses first: a change then names what the hop answered from last.
        for (qsizetype i = 0; i < common; ++i) {
            QStringList learnt = path.at(i).addresses;
            for (const QString &address : std::as_const(m_path.at(i).addresses)) {
                if (!learnt.contains(address))
                    learnt.append(address);
            }
            m_path[i].addresses = learnt;
        }
        return;
    }
    const auto primaries = [](const QList<Hop> &hops) {
        QList<QStringList> lists;
        for (const Hop &hop : hops)
            lists.append(hop.addresses);
        return primaryAddresses(lists);
    };
    m_changes.append({timeMs, primaries(m_path), primaries(path), changed});
    if (m_changes.size() > MAX_CHANGES)
        m_changes.removeFirst();
    m_path = path;
}

QString PathHistory::describe(const PathChange &change)
{
    QStringList parts;
    for (int ttl : change.changedTtls) {
        parts.append(tr("hop %1: %2 → %3")
                         .arg(ttl)
                         .arg(change.before.value(ttl - 1, u"*"_s), change.after.value(ttl - 1, u"*"_s)));
    }
    if (change.before.size() != change.after.size())
        parts.append(tr("%1 hops → %2 hops").arg(change.before.size()).arg(change.after.size()));
    return parts.join(u"; "_s);
}

} // namespace StreamSwarm::Console
