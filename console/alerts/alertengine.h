// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QHash>
#include <QObject>
#include <QTimer>

#include "console/alerts/alertevaluator.h"
#include "console/alerts/alertincident.h"

namespace StreamSwarm::Console {

class Administration;
class Notifier;
struct AlertMessage;

// Runs the alert rules over the rounds this console stores: each agent's condition is judged here
// (AlertEvaluator), each change recorded in the database, where the alert fires or clears in one
// transaction with its notifications put in the outbox; then the notifier delivers them and the
// outcome is recorded. Notifications a stopped console left in the outbox go out when it starts.
// Lives on the main thread.
class AlertEngine final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AlertEngine)
public:
    static constexpr int CHECK_EVERY_MS = 5000; // maintenance windows closing, notifications left over

    AlertEngine(Administration *administration, Notifier *notifier, QObject *parent = nullptr);

    void start();
    void handleRounds(
        qint64 agentId, const QString &agentName, const QStringList &agentTags, const QList<Protocol::Round> &rounds);
    // The agents as the console last saw them (for agent-offline alerts).
    void setAgents(const QList<AgentRecord> &agents);
    // A test message to each of the rule's targets, as a real one would go (the window's Test button);
    // each outcome comes as testMessageDone. Returns how many were sent off.
    int sendTestMessages(const AlertRule &rule);

Q_SIGNALS:
    // An alert fired, cleared or was recorded otherwise: windows showing alerts read them again.
    void alertsChanged();
    // A desktop notification (--notify desktop) for the window's tray.
    void desktopNotification(const StreamSwarm::Console::AlertMessage &message);
    // A test message was delivered to target (its display text), or not and why (final).
    void testMessageDone(const QString &alert, const QString &target, bool delivered, const QString &why);

private:
    void reload();
    void record(const QList<ConditionChange> &changes);
    void tell(const AlertRecording &recorded); // logs it, sends its notifications
    void send(const QList<OutboxItem> &items);
    void check();
    void judgeAgents();

    Administration *m_administration;
    Notifier *m_notifier;
    AlertEvaluator m_evaluator;
    QTimer m_reloadTimer; // gathers changes to the database into one reload
    QTimer m_checkTimer;
    QTimer m_releaseTimer; // when alerts' waiting messages are due
    bool m_loaded = false;
    bool m_loading = false;
    bool m_checking = false;
    bool m_pickedUp = false; // the outbox left by an earlier run was taken up
    QList<AgentRecord> m_agents;
    QHash<quint64, QPair<QString, QString>> m_testing; // notifier id -> (alert, target) of a test message
    QHash<quint64, OutboxItem> m_sending; // by the notifier's id
    QSet<qint64> m_queued; // outbox ids handed to the notifier and not finished
};

} // namespace StreamSwarm::Console
