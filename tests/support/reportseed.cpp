// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "reportseed.h"

#include <QDateTime>

#include "console/storage/agentrepository.h"
#include "console/storage/database.h"
#include "console/storage/samplerepository.h"
#include "console/storage/testrepository.h"
#include "shared/protocol/details.h"
#include "shared/testtypes/ping.h"
#include "shared/testtypes/traceroute.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm::Console;

namespace StreamSwarm::Test {

namespace {

constexpr int ROUNDS_PER_BATCH = 20000;

Protocol::MetricValue metric(const char16_t *name, double value)
{
    return {QString::fromUtf16(name), value};
}

Protocol::TracerouteHop hop(int ttl, const QString &address, double rttMs, double lossPct)
{
    Protocol::TracerouteHop hop;
    hop.ttl = ttl;
    hop.address = address;
    hop.sent = 10;
    hop.received = qint64(10 * (100 - lossPct) / 100);
    hop.lossPct = lossPct;
    hop.hasRtt = hop.received > 0;
    hop.lastMs = hop.avgMs = hop.bestMs = hop.worstMs = rttMs;
    return hop;
}

} // namespace

QString ReportSeed::agentName(int agent)
{
    return u"agent-%1"_s.arg(agent + 1, 2, 10, QLatin1Char('0'));
}

double ReportSeed::latencyOf(int agent, qint64 round) const
{
    if (slowEvery > 0 && round % slowEvery == 0)
        return SLOW_MS;
    return 10.0 + agent + double(round % 7) / 2;
}

ReportSeed::Kind ReportSeed::kindOf(int agent, qint64 round) const
{
    const qint64 time = timeOf(round);
    for (const Gap &gap : gaps) {
        if (gap.agent == agent && time >= gap.startMs && time < gap.startMs + gap.durationMs)
            return Kind::Absent;
    }
    for (const Outage &outage : outages) {
        if (outage.agent == agent && time >= outage.startMs && time < outage.startMs + outage.rounds * stepMs)
            return outage.failed ? Kind::Failed : Kind::LostAll;
    }
    return Kind::Measured;
}

bool ReportSeed::write(QString *error) const
{
    Database db;
    if (!db.open(DatabaseUrl::sqliteFile(path), u"report_seed"_s, error))
        return false;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    AgentRepository agentRepository(db);
    QList<qint64> agentIds;
    if (!db.beginWrite(error))
        return false;
    for (int agent = 0; agent < agents; ++agent) {
        qint64 id = 0;
        if (!agentRepository.enroll({agentName(agent), u"host-%1"_s.arg(agent), u"Debian 12"_s, u"1.0"_s, {u"ping"_s}},
                0, fromMs, &id, error))
            return false;
        agentIds.append(id);
    }
    if (!db.commit(error))
        return false;

    TestRepository tests(db);
    TestRecord ping;
    ping.name = u"ping-dc"_s;
    ping.type = u"ping"_s;
    ping.target = u"192.0.2.10"_s;
    ping.intervalMs = stepMs;
    ping.allAgents = true;
    ping.createdAtMs = fromMs;
    const auto pingId = tests.add(ping, error);
    if (!pingId)
        return false;
    qint64 traceId = 0;
    if (tracingAgents > 0) {
        TestRecord trace = ping;
        trace.name = u"trace-dc"_s;
        trace.type = u"traceroute"_s;
        trace.intervalMs = traceStepMs;
        trace.allAgents = false;
        for (int agent = 0; agent < tracingAgents; ++agent)
            trace.agentNames.append(agentName(agent));
        const auto id = tests.add(trace, error);
        if (!id)
            return false;
        traceId = *id;
    }

    SampleRepository samples(db);
    for (int agent = 0; agent < agents; ++agent) {
        Protocol::Results batch;
        qint64 seq = 0;
        const auto flush = [&]() {
            if (batch.rounds.isEmpty())
                return true;
            batch.seq = ++seq;
            const bool stored = samples.storeResults(agentIds.at(agent), batch, {}, now, error).has_value();
            batch.rounds.clear();
            return stored;
        };
        for (qint64 round = 0; round < rounds; ++round) {
            const Kind kind = kindOf(agent, round);
            if (kind == Kind::Absent)
                continue;
            Protocol::Round measured;
            measured.testId = *pingId;
            measured.timeMs = timeOf(round);
            if (kind == Kind::Failed)
                measured.error = u"sendto: Network is unreachable"_s;
            else if (kind == Kind::LostAll)
                measured.values = {metric(Metric::PingLoss, 100)};
            else
                measured.values = {metric(Metric::PingRttMedian, latencyOf(agent, round)), metric(Metric::PingLoss, 0),
                    metric(Metric::PingJitter, 0.5 + double(round % 3) / 10)};
            batch.rounds.append(measured);
            if (batch.rounds.size() >= ROUNDS_PER_BATCH && !flush())
                return false;
        }
        if (agent < tracingAgents) {
            bool wasDown = false;
            for (qint64 time = fromMs; time < timeOf(rounds); time += traceStepMs) {
                const qint64 round = (time - fromMs) / stepMs;
                const Kind kind = kindOf(agent, round);
                if (kind == Kind::Absent)
                    continue;
                const bool down = kind != Kind::Measured;
                Protocol::TracerouteDetail path;
                path.target = u"192.0.2.10"_s;
                path.address = path.target;
                path.protocol = u"icmp"_s;
                // In an outage the provider's router sends the path elsewhere, and the target is not reached.
                path.hops = {hop(1, u"10.0.0.1"_s, 0.5, 0),
                    down ? hop(2, u"203.0.113.1"_s, 6.0, 60) : hop(2, u"198.51.100.1"_s, 4.0, 0),
                    hop(3, down ? QString() : u"192.0.2.10"_s, 10.0, down ? 100 : 0)};
                path.reached = !down;
                // As the agent marks it: the path ends elsewhere than in the round before.
                path.routeChanged = time > fromMs && down != wasDown;
                wasDown = down;
                Protocol::Round traced;
                traced.testId = traceId;
                traced.timeMs = time;
                traced.values = {metric(Metric::TracerouteHops, 3), metric(Metric::TracerouteDestLoss, down ? 100 : 0)};
                if (!down)
                    traced.values.append(metric(Metric::TracerouteDestRtt, 10));
                traced.detail = path;
                batch.rounds.append(traced);
            }
        }
        if (!flush())
            return false;
    }
    return true;
}

} // namespace StreamSwarm::Test
