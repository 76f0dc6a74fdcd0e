// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <optional>

#include <QByteArray>
#include <QCoreApplication>
#include <QList>

#include "console/alerts/alertincident.h"
#include "console/app/result.h"
#include "console/models/chartmetrics.h"
#include "console/models/pathhistory.h"
#include "console/reports/reportchart.h"
#include "console/reports/reportrequest.h"
#include "console/storage/records.h"
#include "shared/protocol/details.h"

namespace StreamSwarm::Console {

class Operations;

// Rounds in a row that got nothing through (a failed round, or every packet lost).
struct Outage
{
    qint64 startMs = 0;
    qint64 endMs = 0; // the end of its last round
    qint64 rounds = 0;
    qint64 durationMs() const { return endMs - startMs; }
};

// A part of the period summed up: rounds, their mean and extremes, the mean loss.
struct PeriodFigures
{
    qint64 rounds = 0;
    std::optional<double> mean;
    std::optional<double> lowest;
    std::optional<double> highest;
    std::optional<double> lossPct;
};

// A traceroute round as mtr shows it, from the evidence's moments.
struct HopTable
{
    QString caption; // "Before the incident, 14:02:10"
    QString testName;
    Protocol::TracerouteDetail path;
};

// A figure drawn beside the main line in the engineering report (a ping's jitter, a host's memory).
struct ExtraFigure
{
    QString name;
    QString unit;
    BucketStatistics values;
};

// One agent's test over the report's period, reduced to what the report shows.
struct PathFigures
{
    AgentRecord agent;
    TestRecord test;
    ChartMetrics chart;
    QString unit; // of the line
    bool latency = false; // the line is a latency, so the latency target applies
    qint64 fromMs = 0; // the part of the period in which the test ran
    qint64 toMs = 0;
    BucketStatistics line; // at or below the latency target, when latency
    BucketStatistics loss; // at or below 0 %: rounds that lost nothing
    QList<qint64> failedTimes; // rounds that failed, with a reason
    QList<qint64> lostAllTimes; // rounds that lost every packet (a failed ping round did too)
    QList<qint64> nothingThrough; // both together, each round once
    QList<qint64> uncounted; // failed rounds that stored no figure, so no series counts them
    QList<Outage> outages;
    QList<TimeSpan> gaps; // no rounds at all: the agent was away or its data was lost
    QList<QPair<QString, double>> phases; // http: each phase's mean, ms
    QList<ExtraFigure> extras; // engineering only
    QList<PathChange> pathChanges; // traceroute
    // Evidence only.
    PeriodFigures before, during, after;
    QList<HopTable> hopTables;
    std::optional<Protocol::TimestampSource> timestampSource; // the weakest the rounds used; none: not said
    std::optional<Protocol::ClockReading> clock; // the agent's clock then, as it reported it

    qint64 rounds() const; // measured: worked or failed
    qint64 expectedRounds() const; // by the interval
    qint64 missingRounds() const;
    std::optional<double> availabilityPct() const; // rounds that got something through
    std::optional<double> withinTargetPct() const; // latency rounds at or under the target
    PeriodFigures figures() const; // over the whole period
    std::optional<double> lossPct() const;
    qint64 outageMs() const;
    bool meets(const ReportTargets &targets) const;
    QString title() const; // "edge-1 → ping-gateway (192.0.2.1)"
};

// Everything a report shows, read once; the document only lays it out.
struct ReportData
{
    ReportRequest request;
    qint64 madeAtMs = 0;
    QString siteName;
    QList<PathFigures> paths;
    QStringList agentNames; // selected, in order
    QStringList testNames;
    QList<EventRecord> events;
    bool eventsCut = false; // more happened than the report lists
    QList<AlertIncident> incidents; // alerts that fired in the period on the tests shown, newest first
    bool incidentsCut = false;
    QStringList skippedTests; // tests of kinds reports do not chart yet
    QByteArray sha256; // of the figures above, hex: printed on the report

    static constexpr int MAX_EVENTS = 2000;
    static constexpr int MAX_INCIDENTS = 2000;
    static constexpr int MAX_PATHS = 200;
};

// One alert's record over a report's period: how often it fired, for how long, how soon someone
// acknowledged it (only the time inside the period counts).
struct AlertFigures
{
    QString name;
    int fired = 0;
    qint64 firingMs = 0;
    qint64 longestMs = 0;
    int acknowledged = 0;
    qint64 acknowledgeMs = 0; // summed: acknowledgeMs / acknowledged is the mean time to acknowledge
    int held = 0; // held or silenced: recorded, nothing sent

    static QList<AlertFigures> of(const QList<AlertIncident> &incidents, qint64 fromMs, qint64 toMs);
};

// Reads what a report needs through the application layer. Buckets are sized so that a month of
// one-second rounds is read in a few hundred points per chart.
class ReportCollector
{
    Q_DECLARE_TR_FUNCTIONS(StreamSwarm::Console::ReportCollector)
public:
    static constexpr int CHART_BUCKETS = 600;

    explicit ReportCollector(Operations &operations);
    Result<ReportData> collect(const ReportRequest &request);

    // Rounds in a row that got nothing through, as outages (a round lasts intervalMs).
    static QList<Outage> outagesOf(QList<qint64> troubled, qint64 intervalMs);
    // Where no bucket holds a round, within [fromMs, toMs); at least minimumMs long.
    static QList<TimeSpan> gapsOf(
        const QList<qint64> &bucketStarts, qint64 bucketMs, qint64 fromMs, qint64 toMs, qint64 minimumMs);
    // The SHA-256 of the figures a report shows, in a fixed order, as hex.
    static QByteArray checksum(const ReportData &data);

private:
    Result<Done> readPath(PathFigures *path, const ReportRequest &request);
    Result<Done> readEvidence(PathFigures *path, const ReportRequest &request);
    Result<Done> readExtras(PathFigures *path);

    Operations &m_operations;
};

} // namespace StreamSwarm::Console
