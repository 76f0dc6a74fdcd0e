// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "administration.h"

#include <QPointer>

#include "console/models/pathhistory.h"
#include "console/reports/reportdata.h"
#include "console/storage/storageservice.h"

namespace StreamSwarm::Console {

Administration::Administration(StorageService *storage, Actor actor, QObject *parent)
    : QObject(parent)
    , m_storage(storage)
    , m_actor(std::move(actor))
{
    connect(m_storage, &StorageService::changedElsewhere, this, &Administration::changed);
}

template <typename T, typename Call>
void Administration::submit(Kind kind, QObject *context, Call call, Callback<T> done)
{
    // Guarded by this object, so that a change is announced even when the asking window has closed.
    QPointer<QObject> guard(context);
    m_storage->run(
        this,
        [call = std::move(call), actor = m_actor](Repositories &repositories) {
            Operations operations(repositories, actor);
            return call(operations);
        },
        [this, kind, guard, done = std::move(done)](const Result<T> &result) {
            if (guard)
                done(result);
            if (kind == Kind::Action && result)
                Q_EMIT changed();
        });
}

void Administration::createToken(const TokenRequest &request, QObject *context, Callback<IssuedToken> done)
{
    submit<IssuedToken>(
        Kind::Action, context, [request](Operations &ops) { return ops.createToken(request); }, std::move(done));
}

void Administration::revokeToken(const QString &name, QObject *context, Callback<Done> done)
{
    submit<Done>(
        Kind::Action, context, [name](Operations &ops) { return ops.revokeToken(name); }, std::move(done));
}

void Administration::tokens(QObject *context, Callback<QList<TokenRecord>> done)
{
    submit<QList<TokenRecord>>(
        Kind::Query, context, [](Operations &ops) { return ops.tokens(); }, std::move(done));
}

void Administration::revokeAgent(const QString &name, QObject *context, Callback<Done> done)
{
    submit<Done>(
        Kind::Action, context, [name](Operations &ops) { return ops.revokeAgent(name); }, std::move(done));
}

void Administration::requestRekey(const QString &name, QObject *context, Callback<Done> done)
{
    submit<Done>(
        Kind::Action, context, [name](Operations &ops) { return ops.requestRekey(name); }, std::move(done));
}

void Administration::addTest(const TestRecord &test, QObject *context, Callback<qint64> done)
{
    submit<qint64>(
        Kind::Action, context, [test](Operations &ops) { return ops.addTest(test); }, std::move(done));
}

void Administration::stopTest(const QString &name, QObject *context, Callback<Done> done)
{
    submit<Done>(
        Kind::Action, context, [name](Operations &ops) { return ops.stopTest(name); }, std::move(done));
}

void Administration::renameAgent(const QString &name, const QString &newName, QObject *context, Callback<Done> done)
{
    submit<Done>(
        Kind::Action, context, [name, newName](Operations &ops) { return ops.renameAgent(name, newName); },
        std::move(done));
}

void Administration::changeAgentTags(const QString &name, const QStringList &add, const QStringList &remove,
    QObject *context, Callback<QStringList> done)
{
    submit<QStringList>(
        Kind::Action, context, [name, add, remove](Operations &ops) { return ops.changeAgentTags(name, add, remove); },
        std::move(done));
}

void Administration::editTest(const QString &name, const TestRecord &changed, QObject *context, Callback<Done> done)
{
    submit<Done>(
        Kind::Action, context, [name, changed](Operations &ops) { return ops.editTest(name, changed); },
        std::move(done));
}

void Administration::pauseTest(const QString &name, QObject *context, Callback<Done> done)
{
    submit<Done>(
        Kind::Action, context, [name](Operations &ops) { return ops.pauseTest(name); }, std::move(done));
}

void Administration::resumeTest(const QString &name, QObject *context, Callback<Done> done)
{
    submit<Done>(
        Kind::Action, context, [name](Operations &ops) { return ops.resumeTest(name); }, std::move(done));
}

void Administration::deleteTest(const QString &name, bool keepData, QObject *context, Callback<QString> done)
{
    submit<QString>(
        Kind::Action, context, [name, keepData](Operations &ops) { return ops.deleteTest(name, keepData); },
        std::move(done));
}

void Administration::recentEvents(int limit, QObject *context, Callback<QList<EventRecord>> done)
{
    submit<QList<EventRecord>>(
        Kind::Query, context, [limit](Operations &ops) { return ops.recentEvents(limit); }, std::move(done));
}

void Administration::databaseSize(QObject *context, Callback<qint64> done)
{
    submit<qint64>(
        Kind::Query, context, [](Operations &ops) { return ops.databaseSize(); }, std::move(done));
}

void Administration::pathHistory(
    const QString &agentName, const QString &testName, qint64 fromMs, QObject *context, Callback<PathHistory> done)
{
    submit<PathHistory>(
        Kind::Query, context,
        [agentName, testName, fromMs](Operations &ops) { return ops.pathHistory(agentName, testName, fromMs); },
        std::move(done));
}

void Administration::results(const QString &agentName, const QString &testName, qint64 fromMs, QObject *context,
    Callback<QList<ResultRound>> done)
{
    submit<QList<ResultRound>>(
        Kind::Query, context,
        [agentName, testName, fromMs](Operations &ops) { return ops.results(agentName, testName, fromMs); },
        std::move(done));
}

void Administration::recentHealth(
    const QList<HealthSeries> &series, qint64 fromMs, QObject *context, Callback<QList<HealthSummary::Round>> done)
{
    submit<QList<HealthSummary::Round>>(
        Kind::Query, context, [series, fromMs](Operations &ops) { return ops.recentHealth(series, fromMs); },
        std::move(done));
}

void Administration::reportData(const ReportRequest &request, QObject *context, Callback<ReportData> done)
{
    submit<ReportData>(
        Kind::Query, context, [request](Operations &ops) { return ReportCollector(ops).collect(request); },
        std::move(done));
}

void Administration::schedules(QObject *context, Callback<QList<ReportSchedule>> done)
{
    submit<QList<ReportSchedule>>(
        Kind::Query, context, [](Operations &ops) { return ops.schedules(); }, std::move(done));
}

void Administration::addSchedule(const ReportSchedule &schedule, QObject *context, Callback<Done> done)
{
    submit<Done>(
        Kind::Action, context, [schedule](Operations &ops) { return ops.addSchedule(schedule); }, std::move(done));
}

void Administration::removeSchedule(const QString &name, QObject *context, Callback<Done> done)
{
    submit<Done>(
        Kind::Action, context, [name](Operations &ops) { return ops.removeSchedule(name); }, std::move(done));
}

void Administration::scheduleRan(const ReportSchedule &schedule, qint64 untilMs, const QString &file,
    const QString &error, QObject *context, Callback<Done> done)
{
    submit<Done>(
        Kind::Action, context,
        [schedule, untilMs, file, error](Operations &ops) { return ops.scheduleRan(schedule, untilMs, file, error); },
        std::move(done));
}

void Administration::recordEvidence(
    const QString &what, qint64 fromMs, qint64 toMs, const QString &sha256, QObject *context, Callback<Done> done)
{
    submit<Done>(
        Kind::Action, context,
        [what, fromMs, toMs, sha256](Operations &ops) { return ops.recordEvidence(what, fromMs, toMs, sha256); },
        std::move(done));
}

void Administration::chartHistory(const ChartHistoryRequest &request, QObject *context, Callback<ChartHistory> done)
{
    submit<ChartHistory>(
        Kind::Query, context, [request](Operations &ops) { return ops.chartHistory(request); }, std::move(done));
}

void Administration::hostHistory(
    const QString &agentName, qint64 fromMs, QObject *context, Callback<QList<SampleRow>> done)
{
    submit<QList<SampleRow>>(
        Kind::Query, context, [agentName, fromMs](Operations &ops) { return ops.hostHistory(agentName, fromMs); },
        std::move(done));
}

void Administration::alerts(QObject *context, Callback<QList<AlertStatus>> done)
{
    submit<QList<AlertStatus>>(
        Kind::Query, context, [](Operations &ops) { return ops.alerts(); }, std::move(done));
}

void Administration::addAlert(const AlertRule &rule, QObject *context, Callback<qint64> done)
{
    submit<qint64>(
        Kind::Action, context, [rule](Operations &ops) { return ops.addAlert(rule); }, std::move(done));
}

void Administration::removeAlert(const QString &name, QObject *context, Callback<Done> done)
{
    submit<Done>(
        Kind::Action, context, [name](Operations &ops) { return ops.removeAlert(name); }, std::move(done));
}

void Administration::maintenanceWindows(QObject *context, Callback<QList<MaintenanceWindow>> done)
{
    submit<QList<MaintenanceWindow>>(
        Kind::Query, context, [](Operations &ops) { return ops.maintenanceWindows(); }, std::move(done));
}

void Administration::addMaintenance(const MaintenanceWindow &window, QObject *context, Callback<Done> done)
{
    submit<Done>(
        Kind::Action, context, [window](Operations &ops) { return ops.addMaintenance(window); }, std::move(done));
}

void Administration::removeMaintenance(const QString &name, QObject *context, Callback<Done> done)
{
    submit<Done>(
        Kind::Action, context, [name](Operations &ops) { return ops.removeMaintenance(name); }, std::move(done));
}

void Administration::acknowledgeAlert(
    const QString &name, const QString &comment, QObject *context, Callback<Done> done)
{
    submit<Done>(
        Kind::Action, context, [name, comment](Operations &ops) { return ops.acknowledgeAlert(name, comment); },
        std::move(done));
}

void Administration::alertIncidents(
    qint64 fromMs, qint64 toMs, int limit, QObject *context, Callback<QList<AlertIncident>> done)
{
    submit<QList<AlertIncident>>(
        Kind::Query, context, [=](Operations &ops) { return ops.alertIncidents(fromMs, toMs, limit); },
        std::move(done));
}

void Administration::alertRulesState(QObject *context, Callback<AlertRulesState> done)
{
    submit<AlertRulesState>(
        Kind::Query, context, [](Operations &ops) { return ops.alertRulesState(); }, std::move(done));
}

void Administration::recordConditions(
    const QList<ConditionChange> &changes, QObject *context, Callback<AlertRecording> done)
{
    submit<AlertRecording>(
        Kind::Action, context, [changes](Operations &ops) { return ops.recordConditions(changes); }, std::move(done));
}

void Administration::endSilences(QObject *context, Callback<AlertRecording> done)
{
    submit<AlertRecording>(
        Kind::Query, context, [](Operations &ops) { return ops.endSilences(); }, std::move(done));
}

void Administration::releaseDueAlerts(QObject *context, Callback<AlertRecording> done)
{
    submit<AlertRecording>(
        Kind::Action, context, [](Operations &ops) { return ops.releaseDueAlerts(); }, std::move(done));
}

void Administration::concludeDiagnoses(QObject *context, Callback<int> done)
{
    submit<int>(
        Kind::Query, context, [](Operations &ops) { return ops.concludeDiagnoses(); }, std::move(done));
}

void Administration::mapLayout(QObject *context, Callback<MapLayout> done)
{
    submit<MapLayout>(
        Kind::Query, context, [](Operations &ops) { return ops.mapLayout(); }, std::move(done));
}

void Administration::saveMapLayout(const MapLayout &layout, bool setBackground, QObject *context, Callback<Done> done)
{
    submit<Done>(
        Kind::Action, context, [=](Operations &ops) { return ops.saveMapLayout(layout, setBackground); },
        std::move(done));
}

void Administration::unsentNotifications(int limit, QObject *context, Callback<QList<OutboxItem>> done)
{
    submit<QList<OutboxItem>>(
        Kind::Query, context, [limit](Operations &ops) { return ops.unsentNotifications(limit); }, std::move(done));
}

void Administration::notificationDone(
    const OutboxItem &item, bool delivered, bool final, const QString &why, QObject *context, Callback<Done> done)
{
    // Recorded quietly: nothing a window shows changes with it.
    submit<Done>(
        Kind::Query, context, [=](Operations &ops) { return ops.notificationDone(item, delivered, final, why); },
        std::move(done));
}

} // namespace StreamSwarm::Console
