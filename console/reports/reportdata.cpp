// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "reportdata.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include <QCryptographicHash>
#include <QDateTime>
#include <QHash>
#include <QSet>
#include <QSysInfo>

#include "console/app/operations.h"
#include "shared/metrics/catalog.h"
#include "shared/protocol/details.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

namespace {

constexpr qint64 INCIDENT_LOOKBACK_MS = 31LL * 24 * 3600 * 1000; // an alert firing for a month is found

template <typename T>
Result<T> fail(const QString &error)
{
    return Result<T>::failure(error);
}

// Weighted by each bucket's count: what one pass over every round would give.
PeriodFigures figuresOf(const BucketStatistics &line, const BucketStatistics &loss, qint64 fromMs, qint64 toMs)
{
    PeriodFigures figures;
    double sum = 0;
    for (qsizetype i = 0; i < line.starts.size(); ++i) {
        if (line.starts.at(i) < fromMs || line.starts.at(i) >= toMs)
            continue;
        figures.rounds += line.counts.at(i);
        sum += line.means.at(i) * double(line.counts.at(i));
        figures.lowest = std::min(figures.lowest.value_or(line.lowest.at(i)), line.lowest.at(i));
        figures.highest = std::max(figures.highest.value_or(line.highest.at(i)), line.highest.at(i));
    }
    if (figures.rounds > 0)
        figures.mean = sum / double(figures.rounds);
    double lossSum = 0;
    qint64 lossRounds = 0;
    for (qsizetype i = 0; i < loss.starts.size(); ++i) {
        if (loss.starts.at(i) < fromMs || loss.starts.at(i) >= toMs)
            continue;
        lossRounds += loss.counts.at(i);
        lossSum += loss.means.at(i) * double(loss.counts.at(i));
    }
    if (lossRounds > 0) {
        figures.lossPct = lossSum / double(lossRounds);
        figures.rounds = std::max(figures.rounds, lossRounds);
    }
    return figures;
}

qint64 countBetween(const QList<qint64> &times, qint64 fromMs, qint64 toMs)
{
    return std::count_if(times.cbegin(), times.cend(), [&](qint64 time) { return time >= fromMs && time < toMs; });
}

// The chart's slices: at least a round long, about CHART_BUCKETS of them, in whole hours when they
// are that long (and whole minutes, seconds), so that a long period is read from the hour or minute
// rollups rather than every sample.
qint64 bucketFor(qint64 spanMs, qint64 intervalMs)
{
    constexpr qint64 MINUTE_MS = 60'000;
    constexpr qint64 HOUR_MS = 3'600'000;
    qint64 slice = spanMs / ReportCollector::CHART_BUCKETS;
    if (slice >= HOUR_MS)
        slice = slice / HOUR_MS * HOUR_MS;
    else if (slice >= MINUTE_MS)
        slice = slice / MINUTE_MS * MINUTE_MS;
    else
        slice = (slice + 999) / 1000 * 1000;
    return std::max({slice, intervalMs, qint64(1000)});
}

// Evidence is read from every sample; the other reports from the rollups where their slices allow.
SampleRepository::Precision precisionFor(const ReportRequest &request)
{
    return request.kind == ReportKind::Evidence ? SampleRepository::Precision::Exact
                                                : SampleRepository::Precision::RollupsWhereAligned;
}

void addLine(QByteArray *text, const QString &line)
{
    text->append(line.toUtf8());
    text->append('\n');
}

QString number(double value)
{
    return QString::number(value, 'g', 17);
}

QString joined(const QList<qint64> &values)
{
    QStringList parts;
    parts.reserve(values.size());
    for (qint64 value : values)
        parts.append(QString::number(value));
    return parts.join(u',');
}

QString joined(const QList<double> &values)
{
    QStringList parts;
    parts.reserve(values.size());
    for (double value : values)
        parts.append(number(value));
    return parts.join(u',');
}

} // namespace

qint64 PathFigures::rounds() const
{
    return std::max(loss.total(), line.total()) + uncounted.size();
}

qint64 PathFigures::expectedRounds() const
{
    return test.intervalMs > 0 ? (toMs - fromMs) / test.intervalMs : 0;
}

qint64 PathFigures::missingRounds() const
{
    return std::max<qint64>(0, expectedRounds() - rounds());
}

std::optional<double> PathFigures::availabilityPct() const
{
    const qint64 all = rounds();
    if (all == 0)
        return std::nullopt;
    return 100.0 * double(std::max<qint64>(0, all - nothingThrough.size())) / double(all);
}

std::optional<double> PathFigures::withinTargetPct() const
{
    // A round that got nothing through did not meet the target either.
    const qint64 all = line.total() + nothingThrough.size();
    if (!latency || all == 0)
        return std::nullopt;
    const qint64 within = std::accumulate(line.atOrBelow.cbegin(), line.atOrBelow.cend(), qint64(0));
    return 100.0 * double(within) / double(all);
}

PeriodFigures PathFigures::figures() const
{
    return figuresOf(line, loss, std::numeric_limits<qint64>::min(), std::numeric_limits<qint64>::max());
}

std::optional<double> PathFigures::lossPct() const
{
    return figures().lossPct;
}

qint64 PathFigures::outageMs() const
{
    return std::accumulate(outages.cbegin(), outages.cend(), qint64(0),
        [](qint64 sum, const Outage &outage) { return sum + outage.durationMs(); });
}

bool PathFigures::meets(const ReportTargets &targets) const
{
    const auto available = availabilityPct();
    if (!available || *available < targets.availabilityPct)
        return false;
    const auto lost = lossPct();
    if (lost && *lost > targets.lossPct)
        return false;
    // Latency: the target holds for 99 % of the rounds (what "stays under" means in an SLA).
    const auto within = withinTargetPct();
    return !within || *within >= 99.0;
}

QString PathFigures::title() const
{
    return u"%1 → %2 (%3)"_s.arg(agent.name, test.name, test.target);
}

ReportCollector::ReportCollector(Operations &operations)
    : m_operations(operations)
{ }

Result<ReportData> ReportCollector::collect(const ReportRequest &request)
{
    QString error;
    if (!request.check(&error))
        return fail<ReportData>(error);
    ReportData data;
    data.request = request;
    data.madeAtMs = QDateTime::currentMSecsSinceEpoch();
    data.siteName = request.siteName.isEmpty() ? QSysInfo::machineHostName() : request.siteName;

    const auto agents = m_operations.agents();
    if (!agents)
        return fail<ReportData>(agents.error());
    const QString tag = request.tagSelected();
    QList<AgentRecord> chosen;
    for (const AgentRecord &agent : *agents) {
        const bool wanted
            = request.agents.isEmpty() || (tag.isEmpty() ? agent.name == request.agents : agent.tags.contains(tag));
        if (wanted)
            chosen.append(agent);
    }
    if (chosen.isEmpty() && !request.agents.isEmpty()) {
        return fail<ReportData>(tag.isEmpty()
                ? tr("There is no agent named \"%1\"; see 'streamswarm-console agent list'.").arg(request.agents)
                : tr("No agent carries the tag \"%1\"; see 'streamswarm-console agent list'.").arg(tag));
    }
    for (const AgentRecord &agent : std::as_const(chosen))
        data.agentNames.append(agent.name);

    const auto tests = m_operations.tests(true);
    if (!tests)
        return fail<ReportData>(tests.error());
    bool testFound = request.testName.isEmpty();
    const qint64 context = request.contextMs();
    for (const TestRecord &test : *tests) {
        if (!request.testName.isEmpty() && test.name != request.testName)
            continue;
        testFound = true;
        // The part of the period (and the evidence's hours around it) in which the test ran.
        qint64 end = request.toMs + context;
        for (qint64 stop : {test.endsAtMs(), test.stoppedAtMs, test.deletedAtMs}) {
            if (stop > 0)
                end = std::min(end, stop);
        }
        const qint64 begin = std::max(request.fromMs - context, test.startsAt());
        if (end <= begin)
            continue;
        const auto chart = chartMetricsFor(test);
        const MetricInfo *lineInfo = chart ? MetricCatalog::find(chart->line) : nullptr;
        if (!chart || !lineInfo || !lineInfo->instanceLabel.isEmpty()) {
            data.skippedTests.append(test.name);
            continue;
        }
        const qsizetype pathsBefore = data.paths.size();
        for (const AgentRecord &agent : std::as_const(chosen)) {
            if (!test.isFor(agent))
                continue;
            if (data.paths.size() >= ReportData::MAX_PATHS) {
                return fail<ReportData>(tr("The report would hold more than %1 agents' tests; choose a test, an agent "
                                           "or a tag.")
                                            .arg(ReportData::MAX_PATHS));
            }
            PathFigures path;
            path.agent = agent;
            path.test = test;
            path.chart = *chart;
            path.unit = lineInfo->unit;
            path.latency = lineInfo->unit == u"ms";
            path.fromMs = begin;
            path.toMs = end;
            if (auto read = readPath(&path, request); !read)
                return fail<ReportData>(read.error());
            data.paths.append(std::move(path));
        }
        if (data.paths.size() > pathsBefore) // the cover lists the tests the chosen agents ran
            data.testNames.append(test.name);
    }
    if (!testFound) {
        return fail<ReportData>(
            tr("There is no test named \"%1\"; see 'streamswarm-console test list'.").arg(request.testName));
    }

    const auto events
        = m_operations.events(request.fromMs - context, request.toMs + context, ReportData::MAX_EVENTS + 1);
    if (!events)
        return fail<ReportData>(events.error());
    const QSet<QString> agentNames(data.agentNames.cbegin(), data.agentNames.cend());
    const QSet<QString> testNames(data.testNames.cbegin(), data.testNames.cend());
    for (const EventRecord &event : *events) {
        const bool agentShown
            = event.agentName.isEmpty() ? request.agents.isEmpty() : agentNames.contains(event.agentName);
        const bool testShown
            = event.testName.isEmpty() ? request.testName.isEmpty() : testNames.contains(event.testName);
        if (agentShown && testShown)
            data.events.append(event);
    }
    data.eventsCut = events->size() > ReportData::MAX_EVENTS;
    if (data.events.size() > ReportData::MAX_EVENTS)
        data.events.resize(ReportData::MAX_EVENTS);
    // Alerts on the tests shown, seen by the agents shown; one that began before the period and went
    // on into it counts too (incidents are found by their start, so look back a while).
    const auto incidents = m_operations.alertIncidents(
        request.fromMs - INCIDENT_LOOKBACK_MS, request.toMs, ReportData::MAX_INCIDENTS + 1);
    if (!incidents)
        return fail<ReportData>(incidents.error());
    for (const AlertIncident &incident : *incidents) {
        const bool overlaps = incident.startedAtMs < request.toMs
            && (incident.clearedAtMs == 0 || incident.clearedAtMs > request.fromMs);
        const bool agentShown = request.agents.isEmpty()
            || std::any_of(incident.agents.cbegin(), incident.agents.cend(),
                [&](const QString &agent) { return agentNames.contains(agent); });
        if (overlaps && agentShown && testNames.contains(incident.testName))
            data.incidents.append(incident);
    }
    data.incidentsCut = incidents->size() > ReportData::MAX_INCIDENTS;
    data.sha256 = checksum(data);
    return data;
}

Result<Done> ReportCollector::readPath(PathFigures *path, const ReportRequest &request)
{
    const qint64 bucketMs = bucketFor(path->toMs - path->fromMs, path->test.intervalMs);
    const double threshold = path->latency ? request.targets.latencyMs : std::numeric_limits<double>::max();
    const auto line = m_operations.bucketStatistics(path->agent.id, path->test.id, path->chart.line, path->fromMs,
        path->toMs, bucketMs, threshold, precisionFor(request));
    if (!line)
        return fail<Done>(line.error());
    path->line = *line;
    if (!path->chart.loss.isEmpty()) {
        // No threshold: what counts of the loss is its mean and highest.
        const auto loss = m_operations.bucketStatistics(path->agent.id, path->test.id, path->chart.loss, path->fromMs,
            path->toMs, bucketMs, std::numeric_limits<double>::max(), precisionFor(request));
        if (!loss)
            return fail<Done>(loss.error());
        path->loss = *loss;
    }
    const auto failed = m_operations.failedRounds(path->agent.id, path->test.id, path->fromMs, path->toMs);
    if (!failed)
        return fail<Done>(failed.error());
    path->failedTimes = *failed;
    // Rounds that lost every packet are looked for only in the slices whose highest loss was 100 %:
    // one pass over the loss figures less, and outages are rare.
    for (qsizetype i = 0; i < path->loss.starts.size(); ++i) {
        if (path->loss.highest.at(i) < 100.0)
            continue;
        const qint64 first = path->loss.starts.at(i);
        qint64 end = first + bucketMs;
        while (i + 1 < path->loss.starts.size() && path->loss.starts.at(i + 1) == end
            && path->loss.highest.at(i + 1) >= 100.0)
            end = path->loss.starts.at(++i) + bucketMs;
        const auto lost = m_operations.timesAtOrAbove(
            path->agent.id, path->test.id, path->chart.loss, 100.0, first, std::min(end, path->toMs));
        if (!lost)
            return fail<Done>(lost.error());
        path->lostAllTimes += *lost;
    }
    path->nothingThrough = path->failedTimes + path->lostAllTimes;
    std::sort(path->nothingThrough.begin(), path->nothingThrough.end());
    path->nothingThrough.erase(
        std::unique(path->nothingThrough.begin(), path->nothingThrough.end()), path->nothingThrough.end());
    // A failed ping round stores its 100 % loss too; other failed rounds store no figure at all.
    for (qint64 time : std::as_const(path->failedTimes)) {
        if (!std::binary_search(path->lostAllTimes.cbegin(), path->lostAllTimes.cend(), time))
            path->uncounted.append(time);
    }
    path->outages = outagesOf(path->nothingThrough, path->test.intervalMs);

    // Buckets with any round in them, worked or failed; the rest of the test's time had no data.
    QList<qint64> present = path->line.starts + path->loss.starts;
    for (qint64 time : std::as_const(path->uncounted))
        present.append(path->fromMs + (time - path->fromMs) / bucketMs * bucketMs);
    std::sort(present.begin(), present.end());
    present.erase(std::unique(present.begin(), present.end()), present.end());
    const qint64 shortest = std::max(bucketMs, 3 * path->test.intervalMs);
    // Whole slices without a round; their edges are then read exactly: from the round before to the
    // round after.
    const QString counted = path->chart.loss.isEmpty() ? path->chart.line : path->chart.loss;
    for (const TimeSpan &slices : gapsOf(present, bucketMs, path->fromMs, path->toMs, bucketMs)) {
        const auto edges
            = m_operations.sampleTimesAround(path->agent.id, path->test.id, counted, slices.second, slices.first);
        if (!edges)
            return fail<Done>(edges.error());
        const qint64 begin
            = edges->first > 0 ? std::max(path->fromMs, edges->first + path->test.intervalMs) : path->fromMs;
        const qint64 end = edges->second > 0 ? std::min(path->toMs, edges->second) : path->toMs;
        if (end - begin >= shortest)
            path->gaps.append({begin, end});
    }

    if (request.kind == ReportKind::Evidence)
        return readEvidence(path, request);
    if (request.kind == ReportKind::Engineering)
        return readExtras(path);
    return Done{};
}

Result<Done> ReportCollector::readExtras(PathFigures *path)
{
    for (qsizetype index = 0; index < path->chart.reportExtras.size(); ++index) {
        const QString &metric = path->chart.reportExtras.at(index);
        const auto values
            = m_operations.bucketStatistics(path->agent.id, path->test.id, metric, path->fromMs, path->toMs,
                path->line.bucketMs ? path->line.bucketMs : bucketFor(path->toMs - path->fromMs, path->test.intervalMs),
                std::numeric_limits<double>::max(), SampleRepository::Precision::RollupsWhereAligned);
        if (!values)
            return fail<Done>(values.error());
        if (values->isEmpty())
            continue;
        const MetricInfo *info = MetricCatalog::find(metric);
        path->extras.append({path->chart.reportExtraNames.value(index), info ? info->unit : QString(), *values});
    }
    // http: each phase's mean over the period, in one bucket.
    const qint64 span = path->toMs - path->fromMs;
    for (qsizetype i = 0; i < path->chart.phases.size(); ++i) {
        const auto phase = m_operations.bucketStatistics(path->agent.id, path->test.id, path->chart.phases.at(i),
            path->fromMs, path->toMs, span + 1, std::numeric_limits<double>::max());
        if (!phase)
            return fail<Done>(phase.error());
        if (!phase->isEmpty())
            path->phases.append({path->chart.phaseNames.value(i), phase->means.constFirst()});
    }
    if (path->chart.pathTable) {
        const auto changes = m_operations.routeChanges(path->agent.id, path->test.id, path->fromMs, path->toMs);
        if (!changes)
            return fail<Done>(changes.error());
        path->pathChanges = *changes;
    }
    return Done{};
}

Result<Done> ReportCollector::readEvidence(PathFigures *path, const ReportRequest &request)
{
    path->before = figuresOf(path->line, path->loss, path->fromMs, request.fromMs);
    path->during = figuresOf(path->line, path->loss, request.fromMs, request.toMs);
    path->after = figuresOf(path->line, path->loss, request.toMs, path->toMs);
    // Failed rounds have no figures but count as rounds.
    path->before.rounds += countBetween(path->uncounted, path->fromMs, request.fromMs);
    path->during.rounds += countBetween(path->uncounted, request.fromMs, request.toMs);
    path->after.rounds += countBetween(path->uncounted, request.toMs, path->toMs);

    // The rounds' own account of their timing, and for a traced path the rounds as mtr shows them:
    // the last before the incident, the worst during it, the first after.
    SampleFilter filter;
    filter.agentName = path->agent.name;
    filter.testName = path->test.name;
    filter.fromMs = path->fromMs;
    filter.toMs = path->toMs;
    std::optional<Protocol::TimestampSource> weakest;
    std::optional<QPair<qint64, Protocol::TracerouteDetail>> before, worst, after;
    double worstLoss = -1;
    const auto lastHopLoss = [](const Protocol::TracerouteDetail &trace) {
        return trace.reached && !trace.hops.isEmpty() ? trace.hops.constLast().lossPct : 100.0;
    };
    const auto read = m_operations.forEachDetail(filter, [&](const DetailRow &row) {
        const Protocol::RoundDetail &detail = row.record.detail;
        const auto note = [&](const Protocol::TimestampTally &tally, const Protocol::ClockReading &clock) {
            if (tally.total() > 0)
                weakest = weakest ? Protocol::weakerSource(*weakest, tally.weakest()) : tally.weakest();
            path->clock = clock;
        };
        if (const auto *ping = detail.get<Protocol::PingDetail>())
            note(ping->timestamps, ping->clock);
        if (const auto *trace = detail.get<Protocol::TracerouteDetail>()) {
            if (trace->timestamps && trace->clock)
                note(*trace->timestamps, *trace->clock);
            if (row.timeMs < request.fromMs)
                before = {{row.timeMs, *trace}};
            else if (row.timeMs < request.toMs && lastHopLoss(*trace) > worstLoss) {
                worst = {{row.timeMs, *trace}};
                worstLoss = lastHopLoss(*trace);
            } else if (row.timeMs >= request.toMs && !after)
                after = {{row.timeMs, *trace}};
        }
        return true;
    });
    if (!read)
        return fail<Done>(read.error());
    path->timestampSource = weakest;
    const QLocale locale;
    const auto table = [&](const QString &caption, const QPair<qint64, Protocol::TracerouteDetail> &round) {
        const QDateTime time = QDateTime::fromMSecsSinceEpoch(round.first);
        path->hopTables.append(
            {caption.arg(locale.toString(time, u"d MMM yyyy HH:mm:ss"_s)), path->test.name, round.second});
    };
    if (before)
        table(tr("The last round before the incident, %1"), *before);
    if (worst)
        table(tr("The worst round during the incident, %1"), *worst);
    if (after)
        table(tr("The first round after the incident, %1"), *after);
    return Done{};
}

QList<Outage> ReportCollector::outagesOf(QList<qint64> troubled, qint64 intervalMs)
{
    std::sort(troubled.begin(), troubled.end());
    const qint64 interval = std::max<qint64>(intervalMs, 1);
    QList<Outage> outages;
    for (qint64 time : std::as_const(troubled)) {
        // The next round was due one interval later; a round or two late still continues it.
        if (!outages.isEmpty() && time - (outages.last().endMs - interval) <= interval * 5 / 2) {
            outages.last().endMs = time + interval;
            ++outages.last().rounds;
            continue;
        }
        outages.append({time, time + interval, 1});
    }
    return outages;
}

QList<TimeSpan> ReportCollector::gapsOf(
    const QList<qint64> &bucketStarts, qint64 bucketMs, qint64 fromMs, qint64 toMs, qint64 minimumMs)
{
    QList<TimeSpan> gaps;
    qint64 covered = fromMs; // everything before this had data
    const auto gap = [&](qint64 begin, qint64 end) {
        if (end - begin >= minimumMs)
            gaps.append({begin, end});
    };
    for (qint64 start : bucketStarts) {
        if (start > covered)
            gap(covered, start);
        covered = std::max(covered, start + bucketMs);
    }
    if (covered < toMs)
        gap(covered, toMs);
    return gaps;
}

QByteArray ReportCollector::checksum(const ReportData &data)
{
    // A plain text form of the figures, in a fixed order, so that the same data always gives the same
    // sum, whatever language or paper the report was made in.
    QByteArray text;
    const ReportRequest &request = data.request;
    addLine(&text, u"streamswarm-report-data 1"_s);
    addLine(&text, u"period %1 %2 context %3"_s.arg(request.fromMs).arg(request.toMs).arg(request.contextMs()));
    addLine(&text,
        u"targets %1 %2 %3"_s.arg(number(request.targets.latencyMs), number(request.targets.lossPct),
            number(request.targets.availabilityPct)));
    for (const PathFigures &path : data.paths) {
        addLine(&text, u"path %1 | %2 | %3 %4"_s.arg(path.agent.name, path.test.name).arg(path.fromMs).arg(path.toMs));
        for (const BucketStatistics *buckets : {&path.line, &path.loss}) {
            addLine(&text, u"buckets %1"_s.arg(buckets->bucketMs));
            addLine(&text, joined(buckets->starts));
            addLine(&text, joined(buckets->counts));
            addLine(&text, joined(buckets->means));
            addLine(&text, joined(buckets->lowest));
            addLine(&text, joined(buckets->highest));
            addLine(&text, joined(buckets->atOrBelow));
        }
        addLine(&text, u"failed "_s + joined(path.failedTimes));
        addLine(&text, u"lost "_s + joined(path.lostAllTimes));
    }
    for (const AlertIncident &incident : data.incidents)
        addLine(&text,
            u"incident %1 %2 %3 %4 %5"_s.arg(incident.startedAtMs)
                .arg(incident.clearedAtMs)
                .arg(incident.ackedAtMs)
                .arg(incident.ruleName, incident.agents.join(u',')));
    for (const EventRecord &event : data.events)
        addLine(&text,
            u"event %1 %2 %3 %4 %5"_s.arg(event.timeMs)
                .arg(event.agentName, event.testName, event.kind, event.message));
    return QCryptographicHash::hash(text, QCryptographicHash::Sha256).toHex();
}

QList<AlertFigures> AlertFigures::of(const QList<AlertIncident> &incidents, qint64 fromMs, qint64 toMs)
{
    QList<AlertFigures> figures;
    QHash<QString, qsizetype> byName;
    for (auto it = incidents.crbegin(); it != incidents.crend(); ++it) { // oldest first
        const AlertIncident &incident = *it;
        qsizetype index = byName.value(incident.ruleName, -1);
        if (index < 0) {
            index = figures.size();
            byName.insert(incident.ruleName, index);
            figures.append({incident.ruleName});
        }
        AlertFigures &alert = figures[index];
        ++alert.fired;
        const qint64 begin = std::max(incident.startedAtMs, fromMs);
        const qint64 end = std::min(incident.clearedAtMs ? incident.clearedAtMs : toMs, toMs);
        alert.firingMs += std::max<qint64>(0, end - begin);
        alert.longestMs = std::max(alert.longestMs, std::max<qint64>(0, end - begin));
        if (incident.ackedAtMs) {
            ++alert.acknowledged;
            alert.acknowledgeMs += std::max<qint64>(0, incident.ackedAtMs - incident.startedAtMs);
        }
        if (incident.heldBy || !incident.silencedBy.isEmpty())
            ++alert.held;
    }
    return figures;
}

} // namespace StreamSwarm::Console
