// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QObject>

#include "console/app/operations.h"

namespace StreamSwarm::Console {

class StorageService;
struct ReportData;
struct ReportSchedule;
struct ReportRequest;

// The windows' door to the application layer: each call runs the one Operations method on the
// storage thread and hands its answer to done on this (the GUI) thread, unless context has been
// destroyed meanwhile. The GUI thread never waits on SQL. Lives on the GUI thread.
class Administration final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Administration)
public:
    Administration(StorageService *storage, Actor actor, QObject *parent = nullptr);

    void createToken(const TokenRequest &request, QObject *context, Callback<IssuedToken> done);
    void revokeToken(const QString &name, QObject *context, Callback<Done> done);
    void tokens(QObject *context, Callback<QList<TokenRecord>> done);

    void revokeAgent(const QString &name, QObject *context, Callback<Done> done);
    void requestRekey(const QString &name, QObject *context, Callback<Done> done);
    void renameAgent(const QString &name, const QString &newName, QObject *context, Callback<Done> done);
    void changeAgentTags(const QString &name, const QStringList &add, const QStringList &remove, QObject *context,
        Callback<QStringList> done);

    void addTest(const TestRecord &test, QObject *context, Callback<qint64> done);
    void stopTest(const QString &name, QObject *context, Callback<Done> done);
    void editTest(const QString &name, const TestRecord &changed, QObject *context, Callback<Done> done);
    void pauseTest(const QString &name, QObject *context, Callback<Done> done);
    void resumeTest(const QString &name, QObject *context, Callback<Done> done);
    void deleteTest(const QString &name, bool keepData, QObject *context, Callback<QString> done);

    void recentEvents(int limit, QObject *context, Callback<QList<EventRecord>> done);
    void databaseSize(QObject *context, Callback<qint64> done);
    void pathHistory(
        const QString &agentName, const QString &testName, qint64 fromMs, QObject *context, Callback<PathHistory> done);
    void results(const QString &agentName, const QString &testName, qint64 fromMs, QObject *context,
        Callback<QList<ResultRound>> done);
    void chartHistory(const ChartHistoryRequest &request, QObject *context, Callback<ChartHistory> done);
    void recentHealth(
        const QList<HealthSeries> &series, qint64 fromMs, QObject *context, Callback<QList<HealthSummary::Round>> done);
    void hostHistory(const QString &agentName, qint64 fromMs, QObject *context, Callback<QList<SampleRow>> done);
    // What a report shows (ReportCollector), read on the storage thread.
    void reportData(const ReportRequest &request, QObject *context, Callback<ReportData> done);
    void schedules(QObject *context, Callback<QList<ReportSchedule>> done);
    void addSchedule(const ReportSchedule &schedule, QObject *context, Callback<Done> done);
    void removeSchedule(const QString &name, QObject *context, Callback<Done> done);
    void scheduleRan(const ReportSchedule &schedule, qint64 untilMs, const QString &file, const QString &error,
        QObject *context, Callback<Done> done);
    void recordEvidence(
        const QString &what, qint64 fromMs, qint64 toMs, const QString &sha256, QObject *context, Callback<Done> done);

    // Alerts (the alert engine's records, the windows' views and actions).
    void alerts(QObject *context, Callback<QList<AlertStatus>> done);
    void addAlert(const AlertRule &rule, QObject *context, Callback<qint64> done);
    void removeAlert(const QString &name, QObject *context, Callback<Done> done);
    void maintenanceWindows(QObject *context, Callback<QList<MaintenanceWindow>> done);
    void addMaintenance(const MaintenanceWindow &window, QObject *context, Callback<Done> done);
    void removeMaintenance(const QString &name, QObject *context, Callback<Done> done);
    void acknowledgeAlert(const QString &name, const QString &comment, QObject *context, Callback<Done> done);
    void alertIncidents(qint64 fromMs, qint64 toMs, int limit, QObject *context, Callback<QList<AlertIncident>> done);
    void alertRulesState(QObject *context, Callback<AlertRulesState> done);
    void recordConditions(const QList<ConditionChange> &changes, QObject *context, Callback<AlertRecording> done);
    void endSilences(QObject *context, Callback<AlertRecording> done);
    void releaseDueAlerts(QObject *context, Callback<AlertRecording> done);
    void concludeDiagnoses(QObject *context, Callback<int> done);
    void mapLayout(QObject *context, Callback<MapLayout> done);
    void saveMapLayout(const MapLayout &layout, bool setBackground, QObject *context, Callback<Done> done);
    void unsentNotifications(int limit, QObject *context, Callback<QList<OutboxItem>> done);
    void notificationDone(
        const OutboxItem &item, bool delivered, bool final, const QString &why, QObject *context, Callback<Done> done);

Q_SIGNALS:
    // The database changed: an action here succeeded, or another program (the CLI) wrote to it.
    void changed();

private:
    enum class Kind { Query, Action };
    template <typename T, typename Call>
    void submit(Kind kind, QObject *context, Call call, Callback<T> done);

    StorageService *m_storage;
    Actor m_actor;
};

} // namespace StreamSwarm::Console
