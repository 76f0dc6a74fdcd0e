// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <functional>

#include <QCoreApplication>
#include <QList>
#include <QSet>
#include <QStringList>

#include "console/alerts/alertevaluator.h"
#include "console/alerts/alertincident.h"
#include "console/alerts/maintenancewindow.h"
#include "console/app/result.h"
#include "console/domain/bulkwindows.h"
#include "console/map/mapnode.h"
#include "console/models/healthsummary.h"
#include "console/reports/reportschedule.h"
#include "console/storage/records.h"
#include "console/storage/retention.h"
#include "console/storage/samplerepository.h"

namespace StreamSwarm::Console {

struct Repositories;
class PathHistory;
struct PathChange;

// Who asked for an action, for the audit trail: the account, and whether on the command line or in
// the console window.
struct Actor
{
    enum class Origin { CommandLine, ConsoleWindow };
    Origin origin = Origin::CommandLine;
    QString user;
};

struct TokenRequest
{
    QString name;
    int uses = 1;
    qint64 validForMs = 0;
    QString replaceAgent; // not empty: a single-use token that moves this enrolled agent to a new host
};

struct IssuedToken
{
    QString name;
    QString text; // the token itself, shown once
    int uses = 0;
    qint64 expiresAtMs = 0;
    QString replacedAgent;
};

// What the chart of one agent's test needs from the database: each metric's series since fromMs
// (empty names give empty series) and, when asked, the newest detail record.
// One agent's test as the summary charts read it: a round counts by its line metric or its failure;
// the line is its latency when lineIsLatency; lossMetric empty: it measures no loss.
// The alert rules and the (rule id, agent id) pairs in trouble under them.
struct AlertRulesState
{
    QList<AlertRule> rules;
    QSet<QPair<qint64, qint64>> troubles;
};

struct HealthSeries
{
    qint64 agentId = 0;
    qint64 testId = 0;
    QString lineMetric;
    bool lineIsLatency = false;
    QString lossMetric;
};

struct ChartHistoryRequest
{
    qint64 agentId = 0;
    qint64 testId = 0;
    QStringList metrics;
    qint64 fromMs = 0;
    qint64 toMs = 0; // 0: up to now
    bool latestDetail = false;
    // 0: every round. Else one point per bucket, each series reduced as aggregates says (Mean
    // where it says nothing).
    qint64 bucketMs = 0;
    QList<SeriesAggregate> aggregates;
    // Also when bandwidth tests loaded this agent's link (empty: not asked, e.g. for a bandwidth test).
    QString loadsOf;
};

struct ChartHistory
{
    QList<Series> series; // in the order of the request's metrics
    DetailRecord latestDetail; // the newest round's detail and failure reason; empty when not asked or none
    QString instance; // for metrics measured per instance: the one loaded (the first stored name's)
    BulkWindows loads; // the bandwidth tests' windows since fromMs, when asked
};

// The console's administrative actions (tokens, agents, tests) and the queries behind its views, each
// written once and used by the command line and every window alike. An action checks its request,
// then changes the database and writes its audit line in one transaction: both happen or neither.
// Runs on the thread that owns the repositories: the storage thread for the windows (through
// Administration), the main thread for the command line (through LocalAdministration).
class Operations
{
    Q_DECLARE_TR_FUNCTIONS(StreamSwarm::Console::Operations)
public:
    static constexpr int MAX_TOKEN_USES = 100000;
    // As long as the token dialog offers; longer is a typo, not a plan.
    static constexpr qint64 MAX_TOKEN_VALIDITY_MS = 9999LL * 24 * 3600 * 1000;

    Operations(Repositories &repositories, Actor actor);

    // The checks that need no database, for front ends that want to refuse early (the command line
    // before it opens the database, a dialog before it sends). The actions make them again.
    static bool checkTokenRequest(const TokenRequest &request, QString *error);
    static bool checkTest(const TestRecord &test, QString *error);

    Result<IssuedToken> createToken(const TokenRequest &request);
    Result<Done> revokeToken(const QString &name);
    Result<QList<TokenRecord>> tokens();

    Result<Done> revokeAgent(const QString &name);
    Result<Done> requestRekey(const QString &name);
    Result<Done> renameAgent(const QString &name, const QString &newName);
    // Adds and removes an agent's tags; returns its tags after.
    Result<QStringList> changeAgentTags(const QString &name, const QStringList &add, const QStringList &remove);
    Result<QList<AgentRecord>> agents();
    // nullopt inside: there is no agent of that name.
    Result<std::optional<AgentRecord>> findAgent(const QString &name);

    Result<qint64> addTest(const TestRecord &test); // the new test's id
    // Gives the named test the definition in changed (which may rename it); its type stays. Agents
    // that run it get the new definition at once.
    Result<Done> editTest(const QString &name, const TestRecord &changed);
    Result<Done> stopTest(const QString &name);
    Result<Done> pauseTest(const QString &name);
    Result<Done> resumeTest(const QString &name);
    // With keepData the samples stay under the name returned; without, they are deleted too.
    Result<QString> deleteTest(const QString &name, bool keepData);
    // Deleted tests whose data was kept (deletedAtMs set) only when asked for.
    Result<QList<TestRecord>> tests(bool withDeleted = false);
    // nullopt inside: there is no test of that name.
    Result<std::optional<TestRecord>> findTest(const QString &name);

    Result<QList<EventRecord>> recentEvents(int limit);
    // The events from fromMs to toMs, oldest first; at most limit, the oldest kept.
    Result<QList<EventRecord>> events(qint64 fromMs, qint64 toMs, int limit);
    // The events a query asks for, newest first (event list's filters and search).
    Result<QList<EventRecord>> findEvents(const EventQuery &query);
    // One metric of an agent's test from fromMs to toMs in buckets of bucketMs: count, mean, lowest,
    // highest, and how many values were at or below threshold. Exact reads every sample; otherwise
    // buckets of whole hours or minutes come from the rollups (SampleRepository::Precision).
    Result<BucketStatistics> bucketStatistics(qint64 agentId, qint64 testId, const QString &metric, qint64 fromMs,
        qint64 toMs, qint64 bucketMs, double threshold,
        SampleRepository::Precision precision = SampleRepository::Precision::Exact);
    // The last sample of a metric before beforeMs and the first at or after fromMs (0: none).
    Result<QPair<qint64, qint64>> sampleTimesAround(
        qint64 agentId, qint64 testId, const QString &metric, qint64 beforeMs, qint64 fromMs);
    // When an agent's rounds of a test failed (with a reason) between fromMs and toMs, oldest first.
    Result<QList<qint64>> failedRounds(qint64 agentId, qint64 testId, qint64 fromMs, qint64 toMs);
    // When one metric of an agent's test was at or above value between fromMs and toMs (a round that
    // lost every packet: loss at or above 100), oldest first.
    Result<QList<qint64>> timesAtOrAbove(
        qint64 agentId, qint64 testId, const QString &metric, double value, qint64 fromMs, qint64 toMs);
    Result<qint64> databaseSize(); // bytes on disk
    // One agent's rounds of one test since fromMs, oldest first, failed ones with their reason; at
    // most MAX_RESULT_ROUNDS, the newest kept.
    Result<QList<ResultRound>> results(const QString &agentName, const QString &testName, qint64 fromMs);
    static constexpr int MAX_RESULT_ROUNDS = 100000;
    // A traceroute test's path changes and each hop's RTT since fromMs, for one agent.
    Result<PathHistory> pathHistory(const QString &agentName, const QString &testName, qint64 fromMs);
    // Where an agent's traced path took another route between fromMs and toMs, as its agent marked the
    // rounds (reading only those and the rounds before them, not every round's path).
    Result<QList<PathChange>> routeChanges(qint64 agentId, qint64 testId, qint64 fromMs, qint64 toMs);
    // The rounds of these agents' tests since fromMs, for the summary charts.
    Result<QList<HealthSummary::Round>> recentHealth(const QList<HealthSeries> &series, qint64 fromMs);
    Result<ChartHistory> chartHistory(const ChartHistoryRequest &request);
    Result<QList<SeriesSummary>> summarize(const SampleFilter &filter);
    // Streams samples and details in time order; row() returns false to stop early.
    Result<Done> forEachSample(const SampleFilter &filter, const std::function<bool(const SampleRow &)> &row);
    // An agent's host figures (HostMetricsModel::isHostMetric) since fromMs, oldest first; at most
    // MAX_HOST_HISTORY_ROWS, the newest kept.
    Result<QList<SampleRow>> hostHistory(const QString &agentName, qint64 fromMs);
    static constexpr int MAX_HOST_HISTORY_ROWS = 500000;
    Result<Done> forEachDetail(const SampleFilter &filter, const std::function<bool(const DetailRow &)> &row);
    // The rollups per minute or per hour in time order; row() returns false to stop early.
    Result<Done> forEachRollup(
        Resolution tier, const SampleFilter &filter, const std::function<bool(const RollupRow &)> &row);

    // How long each tier of data is kept (RetentionPolicy), for every collector of the database.
    Result<RetentionPolicy> retentionPolicy();
    Result<Done> setRetentionPolicy(const RetentionPolicy &policy);
    // When bandwidth tests loaded agents' links between fromMs and toMs (0: open end): every agent's
    // bandwidth rounds from a while before fromMs (between agents, the serving agent is another).
    Result<BulkWindows> bulkWindows(qint64 fromMs, qint64 toMs = 0);

    // Scheduled reports. A new schedule starts with the period under way: its first report comes when
    // that period ends.
    Result<Done> addSchedule(const ReportSchedule &schedule);
    Result<QList<ReportSchedule>> schedules();
    Result<Done> removeSchedule(const QString &name);
    // A scheduled report was made into file (error empty) or not (why); its periods up to untilMs
    // (0: none) count as reported.
    Result<Done> scheduleRan(const ReportSchedule &schedule, qint64 untilMs, const QString &file, const QString &error);

    // Keeps an evidence report's checksum in the event log, so that it can later be shown that the data
    // behind a report handed out is what the console still holds. what: the agents and tests shown.
    Result<Done> recordEvidence(const QString &what, qint64 fromMs, qint64 toMs, const QString &sha256);

    // Alerts and maintenance windows (operationsalerts.cpp). A rule names its test by testName.
    // The evidence taken when an alert fires: this many traceroute rounds, this far apart.
    static constexpr int DIAGNOSIS_ROUNDS = 5;
    static constexpr qint64 DIAGNOSIS_ROUND_MS = 2000;
    static constexpr int DIAGNOSIS_PROBES = 10; // per hop and round
    Result<qint64> addAlert(const AlertRule &rule);
    Result<QList<AlertStatus>> alerts();
    Result<Done> acknowledgeAlert(const QString &name, const QString &comment);
    Result<Done> removeAlert(const QString &name);
    Result<Done> addMaintenance(const MaintenanceWindow &window);
    Result<QList<MaintenanceWindow>> maintenanceWindows();
    Result<Done> removeMaintenance(const QString &name);
    // The incidents that started between fromMs and toMs, newest first; at most limit.
    Result<QList<AlertIncident>> alertIncidents(qint64 fromMs, qint64 toMs, int limit);
    // What the alert engine starts from: the rules, and who is in trouble under them.
    Result<AlertRulesState> alertRulesState();
    // Records agents' changed conditions; fires or clears alerts as they now stand, in one transaction.
    // Returns the notifications to send (already in the outbox).
    Result<AlertRecording> recordConditions(const QList<ConditionChange> &changes);
    // Alerts kept quiet by a maintenance window that has closed while they still fire: their
    // notifications go out now.
    Result<AlertRecording> endSilences();
    // Alerts whose messages waited (AlertNotices::SETTLE_MS) and are due at atMs (0: now): held, or sent.
    Result<AlertRecording> releaseDueAlerts(qint64 atMs = 0);
    // Judges the diagnoses whose traceroutes have ended (Verdict); how many were judged.
    Result<int> concludeDiagnoses();
    // The network map as saved, and saving it (nodes always; the background when setBackground).
    Result<MapLayout> mapLayout();
    Result<Done> saveMapLayout(const MapLayout &layout, bool setBackground);
    Result<QList<OutboxItem>> unsentNotifications(int limit);
    // A notification was delivered, or failed (finally: given up, said in the event log).
    Result<Done> notificationDone(const OutboxItem &item, bool delivered, bool final, const QString &why);

    // The audit line as stored: what was done, by whom and from where.
    static Protocol::EventText auditText(const Protocol::EventText &what, const Actor &actor);

private:
    // Runs change() inside one write transaction, commits when it succeeds, rolls back otherwise.
    template <typename T, typename Change>
    Result<T> write(Change change);
    bool beginWrite(QString *error);
    bool commitWrite(QString *error); // rolls back when it cannot commit
    void rollbackWrite();
    // The first agent the test would go to that already runs as many tests as one agent can (not
    // counting the test of id exceptTestId, which is being changed).
    QString agentWithoutRoom(const TestRecord &test, qint64 exceptTestId = 0);
    Result<Done> checkRoom(const TestRecord &test, qint64 exceptTestId);
    // Evidence from the moment an alert fires: a few traceroute rounds (mtr-style) from the agents in
    // trouble towards the test's target, and a DNS lookup when the target is a name. They run as short
    // tests of their own (diag-INCIDENT-path, -dns), stored, charted and exported like any other; the
    // incident names them. False only when the database failed.
    bool startDiagnosis(const AlertRule &rule, AlertIncident *incident, QString *error);
    bool audit(const QString &kind, const Protocol::EventText &what, qint64 agentId, qint64 testId, QString *error);

    Repositories &m_repos;
    Actor m_actor;
};

template <typename T, typename Change>
Result<T> Operations::write(Change change)
{
    QString error;
    if (!beginWrite(&error))
        return Result<T>::failure(error);
    Result<T> result = change();
    if (!result) {
        rollbackWrite();
        return result;
    }
    if (!commitWrite(&error))
        return Result<T>::failure(error);
    return result;
}

} // namespace StreamSwarm::Console
