// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <cstdlib>
#include <numeric>
#include <optional>

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include "shared/protocol/messages.h"

// Plain rows as the console's storage hands them out; no SQL types leak past storage/.
namespace StreamSwarm::Console {

struct AgentRecord
{
    qint64 id = 0;
    QString name;
    QString host;
    QString os;
    QString version;
    QStringList capabilities;
    qint64 enrolledAtMs = 0;
    qint64 lastSeenMs = 0;
    bool online = false;
    bool revoked = false;
    qint64 lastSeq = 0;
    bool rekeyRequested = false; // a new credential is to be handed over when it is online
    // The agent's clock minus ours, measured from ping/pong, and how far that may be off (half the
    // round trip). Unknown until the first pong.
    std::optional<qint64> clockOffsetMs;
    qint64 clockErrorMs = 0;
    QStringList tags; // sorted; tests given to a tag run on every agent that carries it
    QString address; // where its connection last came from (no port)

    // Off by more than a second: its measurement times (and one-way figures) cannot be trusted as-is.
    static constexpr qint64 CLOCK_SKEW_LIMIT_MS = 1000;
    bool clockSkewed() const { return clockOffsetMs && std::abs(*clockOffsetMs) - clockErrorMs > CLOCK_SKEW_LIMIT_MS; }
};

enum class TokenState { Active, Expired, UsedUp, Revoked };

struct TokenRecord
{
    qint64 id = 0;
    QString name;
    int usesLeft = 0;
    qint64 expiresAtMs = 0; // 0 = never
    qint64 createdAtMs = 0;
    bool revoked = false;

    // Revoked wins over expired, expired over used up.
    TokenState stateAt(qint64 nowMs) const;
};

// Scheduled: starts later. Paused: kept, but no agent runs it until it is resumed (its end stays where
// it was). Finished: its duration is over. Stopped: ended by hand, for good.
enum class TestState { Scheduled, Running, Paused, Finished, Stopped };

struct TestRecord
{
    qint64 id = 0;
    QString name;
    QString type;
    QString target;
    qint64 intervalMs = 0;
    qint64 durationMs = 0; // 0 = continuous
    QMap<QString, QString> params;
    bool allAgents = false;
    QStringList agentNames; // when not allAgents
    QList<qint64> agentIds;
    QStringList agentTags; // also every agent that carries one of these tags, now or later
    qint64 createdAtMs = 0;
    qint64 startsAtMs = 0; // 0 = when created
    qint64 pausedAtMs = 0;
    qint64 stoppedAtMs = 0;
    qint64 deletedAtMs = 0; // deleted with its data kept: only for finding that data

    TestState stateAt(qint64 nowMs) const;
    qint64 startsAt() const { return startsAtMs ? startsAtMs : createdAtMs; }
    qint64 endsAtMs() const; // 0 = no end
    // Whether the agent is among those the test is given to (by name, by tag or as all agents).
    bool isFor(const AgentRecord &agent) const;
    // Who runs it, as --agents takes it: "all", or names and tag:TAG separated by commas.
    QString agentsText() const;
    // The definition as agents receive it, with the time left at nowMs.
    Protocol::TestSpec toSpec(qint64 nowMs) const;
};

struct EventRecord
{
    qint64 id = 0;
    qint64 timeMs = 0;
    QString level;
    QString kind;
    QString agentName;
    QString testName;
    QString message; // as stored: untranslated, or an agent's or an older console's own words
    Protocol::EventText coded; // empty for rows that have only their message

    // What to show: the coded sentence in the user's language, or the stored message.
    QString text() const { return coded.text(message); }
};

// Which events to find: within a time range, of some kinds, agent, test or level, with a text in the
// message (case-insensitive); empty parts match everything.
struct EventQuery
{
    qint64 fromMs = 0;
    qint64 toMs = 0; // 0: up to now
    QStringList kinds;
    QString agentName;
    QString testName;
    QString level;
    QString text;
    int limit = 1000; // the newest kept
};

// How a chart's series is reduced when a span has more rounds than it can draw.
enum class SeriesAggregate { Mean, Lowest, Highest };

// One round as the results table shows it: its values by sample name and, when it failed, why.
struct ResultRound
{
    qint64 timeMs = 0;
    QHash<QString, double> values;
    QString error;
};

// One stored sample with names resolved, for export and summaries.
struct SampleRow
{
    qint64 timeMs = 0;
    QString agent;
    QString test;
    QString metric;
    double value = 0;
    QString unit;
};

// One round's detail as the details table holds it and the JSON export writes it: the typed detail
// and, when the round failed, why. Stored as JSON: the detail's wire fields, plus "error".
struct DetailRecord
{
    Protocol::RoundDetail detail;
    QString error; // empty when the round did not fail

    // The table's kind column: the detail's kind, "detail" for a detail that names none, "failed"
    // for a failed round without one.
    QString kind() const;
    QJsonObject body() const;
    // Reads a row as any console stored it; a body that does not read as its kind is kept as it is
    // (an OtherDetail), with the reason in problem.
    static DetailRecord fromStored(const QString &kind, const QString &body, QString *problem = nullptr);
};

// One stored detail with names resolved, for export.
struct DetailRow
{
    qint64 timeMs = 0;
    QString agent;
    QString test;
    DetailRecord record;
};

struct SampleFilter
{
    QString testName; // empty = all
    QString agentName; // empty = all
    qint64 fromMs = 0;
    qint64 toMs = 0; // 0 = open end
    QString detailKind; // details of this kind only (forEachDetail); empty = all
};

// One (agent, test) pair's figures for the summary the headless console prints.
struct SeriesSummary
{
    QString agent;
    QString test;
    QString type;
    qint64 samples = 0;
    qint64 rounds = 0;
    std::optional<double> rttMin;
    std::optional<double> rttAvg;
    std::optional<double> rttMax;
    std::optional<double> lossAvg;
};

// A time series for charts: x in seconds since the epoch (QCustomPlot's time axis), y the value.
struct Series
{
    QList<double> times;
    QList<double> values;
};

// A series reduced to fixed buckets in one pass, for reports: each bucket's start (ms), how many
// values it holds, their mean, lowest and highest, and how many were at or below a threshold.
// Buckets without values are left out.
struct BucketStatistics
{
    qint64 bucketMs = 0;
    QList<qint64> starts;
    QList<qint64> counts;
    QList<double> means;
    QList<double> lowest;
    QList<double> highest;
    QList<qint64> atOrBelow;

    qint64 total() const { return std::accumulate(counts.cbegin(), counts.cend(), qint64(0)); }
    bool isEmpty() const { return starts.isEmpty(); }
};

// The resolution data is read at: every sample, or the rollups per minute or per hour.
enum class Resolution { Raw, Minute, Hour };

// One rollup row with names resolved, for export: one series' figures over the minute or hour
// starting at timeMs. The percentiles are there for latency metrics (unit ms) only.
struct RollupRow
{
    qint64 timeMs = 0;
    QString agent;
    QString test;
    QString metric;
    QString unit;
    qint64 count = 0;
    double mean = 0;
    double lowest = 0;
    double highest = 0;
    std::optional<double> p50;
    std::optional<double> p95;
    std::optional<double> p99;
};

// The state in the user's language, for tables; the Key forms stay English, for JSON that scripts read.
QString testStateName(TestState state);
QString testStateKey(TestState state);
QString tokenStateName(TokenState state);
QString tokenStateKey(TokenState state);
// "+5012 ms: off" / "+1 ms" / "unknown": the agent's clock against the console's, for tables.
QString describeClock(const AgentRecord &agent);

} // namespace StreamSwarm::Console

Q_DECLARE_METATYPE(StreamSwarm::Console::AgentRecord)
Q_DECLARE_METATYPE(StreamSwarm::Console::TestRecord)
