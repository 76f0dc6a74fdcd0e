// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QList>
#include <QString>
#include <QStringList>

// The arithmetic of the traceroute probe, free of sockets and clocks so tests can feed it known truth.
namespace StreamSwarm::Agent {

// One hop's figures running across rounds, as mtr keeps them: probes sent and answered, and the RTT
// last/avg/best/worst/stddev (population, Welford) over every answer.
class HopStatistics
{
public:
    void addSent(int count = 1) { m_sent += count; }
    void addRtt(double ms);
    void reset() { *this = HopStatistics(); }

    int sent() const { return m_sent; }
    int received() const { return m_received; }
    bool hasRtt() const { return m_received > 0; }
    // Share of probes without an answer, 0-100; 0 when nothing was sent.
    double lossPercent() const;
    double lastMs() const { return m_lastMs; }
    double avgMs() const { return m_meanMs; }
    double bestMs() const { return m_bestMs; }
    double worstMs() const { return m_worstMs; }
    double stddevMs() const;

private:
    int m_sent = 0;
    int m_received = 0;
    double m_lastMs = 0;
    double m_meanMs = 0;
    double m_m2 = 0;
    double m_bestMs = 0;
    double m_worstMs = 0;
};

// One TTL across rounds when a hop may answer from several addresses (ECMP load balancing): the
// figures of all its answers, whichever address gave them, and each address with its own.
class HopRecord
{
public:
    struct Member
    {
        QString address;
        HopStatistics stats; // received and RTT figures of this address's answers (sent stays 0)
        qint64 firstAnswer = 0; // the hop's answer count before this address first answered
        qint64 lastAnswer = 0; // the hop's answer count after this address last answered
    };

    void addSent(int count = 1) { m_all.addSent(count); }
    void addAnswer(const QString &address, double rttMs);
    void reset() { *this = HopRecord(); }

    const HopStatistics &statistics() const { return m_all; }
    // Most answers first; the first is the hop's primary address. At most MAX_MEMBERS.
    const QList<Member> &members() const { return m_members; }
    QString primary() const { return m_members.isEmpty() ? QString() : m_members.constFirst().address; }
    QStringList addresses() const;
    bool overlaps(const QStringList &addresses) const;

    // Addresses of a load-balanced hop that have left it: each has stayed silent for so many of the
    // hop's answers that, were it still taking its observed share s of them, the chance of that is
    // below missProbability ((1 - s)^misses), and at least minMisses. The address answering last is
    // never one. forget() drops one.
    QStringList vanished(double missProbability = DEFAULT_MISS_PROBABILITY, int minMisses = MIN_MISSES) const;
    void forget(const QString &address);

    static constexpr int MAX_MEMBERS = 16;
    static constexpr int MIN_MISSES = 12;
    static constexpr double DEFAULT_MISS_PROBABILITY = 1e-6;
    // For the other hops once a change is proven in the same round. One change often shows at several
    // balanced hops, each with its own count of misses; loose enough that they all follow in the
    // same round. Wrongly dropping a live address costs nothing but its brief absence from the
    // list: it rejoins a set it overlaps, which is no change.
    static constexpr double RELATED_MISS_PROBABILITY = 1e-2;
    static constexpr int RELATED_MIN_MISSES = 5;

private:
    HopStatistics m_all;
    QList<Member> m_members;
    qint64 m_answers = 0;
};

// Whether the route changed between what is known of the path and this round. Each list holds per
// TTL from 1 the addresses of that hop (known: every address seen there since the hop last changed;
// current: the ones that answered this round), empty for a hop that did not answer ("*"), which never
// counts as a change.
//
// The rule, made for ECMP: load balancing sends a round's few probes over some of a hop's paths only,
// so one round seeing A and the next B at the same TTL is no change as long as both were seen there
// before. A hop changed when this round's addresses and the known ones are both non-empty and share
// none (a new router took the place of all the old ones). The length changed when both reached the
// destination and a router answered in one at a TTL where the destination did in the other (silent
// TTLs before the destination may be its own lost answers, so they prove no longer path). A path that
// loses one of its load-balanced routers still overlaps; HopRecord::vanished() finds that one, from
// how long the router stays silent against its share of the answers, and the probe reports it too.
// A hop that answers from a new address while the hops before and after it are the ones known may be
// a load-balanced hop whose other branch this round's probes took first (five probes all take one of
// two branches one round in sixteen): that is no change yet (mayBeAnotherBranch()). The new address
// is learnt beside the old; should the old one really be gone, it stays silent and vanished() reports
// the change a few rounds later. So is a hop known by one address behind a load-balanced hop.
bool mayBeAnotherBranch(const QList<QStringList> &known, const QList<QStringList> &current, qsizetype index);
bool routeChanged(
    const QList<QStringList> &known, bool knownReached, const QList<QStringList> &current, bool currentReached);
// The same for paths of one address per hop (empty: silent).
bool routeChanged(const QStringList &previous, bool previousReached, const QStringList &current, bool currentReached);
// "10.0.0.1 10.0.1.1 * 10.0.3.2": the path as the route-change event prints it; a load-balanced hop
// shows its addresses joined by '|'.
QString pathText(const QStringList &hops);
QString pathText(const QList<QStringList> &hops);

// One hop as loss attribution sees it; a hop that never answered is left out by the caller.
struct HopFigures
{
    int ttl = 0;
    QString address;
    double lossPct = 0;
    bool hasRtt = false;
    double bestMs = 0;
};

// Which hop first shows the loss that the path carries on to its end, and where its largest latency
// step is (on a long path every link adds a millisecond or more, so the first step above a
// threshold would nearly always be hop 2; the largest is the one worth looking at). Loss a hop
// passes on shows at every later hop, so the loss carried past hop i is the least loss at i or any
// later hop; a hop whose own loss is above what it carries is rate-limiting its ICMP answers, not
// dropping traffic (a hop with loss followed by one without is the plain case). The loss hop is the
// first whose carried loss rises above the previous hop's by more than minStepPct. The latency hop
// is the one with the largest rise of carried best RTT (least best RTT here or later), above
// minStepMs.
struct Attribution
{
    int lossTtl = 0; // 0: no loss carried to the end
    QString lossAddress;
    double lossStepPct = 0;
    int latencyTtl = 0; // 0: no step above the threshold
    QString latencyAddress;
    double latencyStepMs = 0;
    QList<int> rateLimitedTtls;
};
Attribution attributeLoss(const QList<HopFigures> &hops, double minStepPct = 2.0, double minStepMs = 1.0);

} // namespace StreamSwarm::Agent
