// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "alertengine.h"

#include <algorithm>

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>

#include "console/alerts/alertmessage.h"
#include "console/alerts/notifier.h"
#include "console/app/administration.h"
#include "console/app/alertnotices.h"
#include "shared/util/logging.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

namespace {

constexpr int OUTBOX_BATCH = 200; // notifications taken from the outbox at a time

} // namespace

AlertEngine::AlertEngine(Administration *administration, Notifier *notifier, QObject *parent)
    : QObject(parent)
    , m_administration(administration)
    , m_notifier(notifier)
{
    m_reloadTimer.setSingleShot(true);
    m_reloadTimer.setInterval(100);
    connect(&m_reloadTimer, &QTimer::timeout, this, &AlertEngine::reload);
    connect(m_administration, &Administration::changed, &m_reloadTimer, qOverload<>(&QTimer::start));
    m_checkTimer.setInterval(CHECK_EVERY_MS);
    connect(&m_checkTimer, &QTimer::timeout, this, &AlertEngine::check);
    m_releaseTimer.setSingleShot(true);
    connect(&m_releaseTimer, &QTimer::timeout, this, [this] {
        m_administration->releaseDueAlerts(this, [this](const Result<AlertRecording> &recorded) {
            if (recorded)
                tell(*recorded);
            else
                m_releaseTimer.start(1000); // the database was busy: try again soon
        });
    });
    connect(m_notifier, &Notifier::delivered, this, [this](quint64 id) {
        if (const auto test = m_testing.take(id); !test.first.isEmpty()) {
            Q_EMIT testMessageDone(test.first, test.second, true, QString());
            return;
        }
        if (!m_sending.contains(id))
            return; // a test message whose outcome was already said
        const OutboxItem item = m_sending.take(id);
        m_queued.remove(item.id);
        m_administration->notificationDone(item, true, true, QString(), this, [](const Result<Done> &) {});
    });
    connect(m_notifier, &Notifier::failed, this, [this](quint64 id, const QString &why, bool final) {
        if (m_testing.contains(id)) {
            // A test says at once how its first attempt went (the notifier may still try again).
            const auto test = m_testing.take(id);
            Q_EMIT testMessageDone(test.first, test.second, false, why);
            return;
        }
        if (!m_sending.contains(id))
            return;
        const OutboxItem item = final ? m_sending.take(id) : m_sending.value(id);
        if (final) {
            m_queued.remove(item.id);
            qCWarning(lcServer).noquote() << tr("An alert notification could not be sent: %1").arg(why);
        }
        m_administration->notificationDone(item, false, final, why, this, [](const Result<Done> &) {});
    });
    connect(m_notifier, &Notifier::desktopNotification, this, &AlertEngine::desktopNotification);
}

void AlertEngine::start()
{
    reload();
    check();
    m_checkTimer.start();
}

void AlertEngine::handleRounds(
    qint64 agentId, const QString &agentName, const QStringList &agentTags, const QList<Protocol::Round> &rounds)
{
    if (!m_loaded || m_evaluator.rules().isEmpty())
        return;
    const QList<ConditionChange> changes = m_evaluator.add(agentId, agentName, agentTags, rounds);
    if (!changes.isEmpty())
        record(changes);
}

int AlertEngine::sendTestMessages(const AlertRule &rule)
{
    const AlertMessage message = rule.testMessage(QDateTime::currentMSecsSinceEpoch());
    int sent = 0;
    for (const NotifyTarget &target : rule.notify) {
        QString why;
        const quint64 id = m_notifier->send(target, message, &why);
        if (id == 0) {
            Q_EMIT testMessageDone(rule.name, target.displayText(), false, why);
            continue;
        }
        m_testing.insert(id, {rule.name, target.displayText()});
        ++sent;
    }
    return sent;
}

void AlertEngine::setAgents(const QList<AgentRecord> &agents)
{
    m_agents = agents;
    judgeAgents();
}

void AlertEngine::judgeAgents()
{
    if (!m_loaded || m_evaluator.rules().isEmpty())
        return;
    const QList<ConditionChange> changes = m_evaluator.agentsSeen(m_agents, QDateTime::currentMSecsSinceEpoch());
    if (!changes.isEmpty())
        record(changes);
}

void AlertEngine::reload()
{
    if (m_loading) {
        m_reloadTimer.start(); // after the load under way
        return;
    }
    m_loading = true;
    m_administration->alertRulesState(this, [this](const Result<AlertRulesState> &state) {
        m_loading = false;
        if (!state) {
            qCWarning(lcServer).noquote() << tr("The alert rules could not be read: %1").arg(state.error());
            m_reloadTimer.start(5000);
            return;
        }
        m_evaluator.setRules(state->rules, state->troubles);
        m_loaded = true;
    });
}

void AlertEngine::record(const QList<ConditionChange> &changes)
{
    m_administration->recordConditions(changes, this, [this](const Result<AlertRecording> &recorded) {
        if (!recorded) {
            qCWarning(lcServer).noquote() << tr("An alert could not be recorded: %1").arg(recorded.error());
            return;
        }
        tell(*recorded);
    });
}

void AlertEngine::tell(const AlertRecording &recorded)
{
    for (const QString &sentence : recorded.happened)
        qCInfo(lcServer).noquote() << sentence;
    send(recorded.notifications);
    if (recorded.nextReleaseMs) {
        // Just after the waiting messages are due, so they are due when the database looks.
        const qint64 wait = recorded.nextReleaseMs - QDateTime::currentMSecsSinceEpoch() + 20;
        m_releaseTimer.start(int(std::clamp<qint64>(wait, 0, AlertNotices::SETTLE_MS * 2)));
    }
    if (!recorded.happened.isEmpty())
        Q_EMIT alertsChanged();
}

void AlertEngine::send(const QList<OutboxItem> &items)
{
    for (const OutboxItem &item : items) {
        if (m_queued.contains(item.id))
            continue;
        QString why;
        const auto target = NotifyTarget::parse(item.target, &why);
        const auto message = AlertMessage::fromJson(QJsonDocument::fromJson(item.message.toUtf8()).object());
        if (!target || !message) {
            m_administration->notificationDone(item, false, true,
                tr("The stored notification cannot be read (%1).").arg(why.isEmpty() ? tr("damaged message") : why),
                this, [](const Result<Done> &) {});
            continue;
        }
        const quint64 id = m_notifier->send(*target, *message, &why);
        if (id == 0) { // the queue is full: the outbox keeps it for the next start
            qCWarning(lcServer).noquote() << tr("An alert notification waits for the next start: %1").arg(why);
            continue;
        }
        m_queued.insert(item.id);
        m_sending.insert(id, item);
    }
}

void AlertEngine::check()
{
    judgeAgents(); // an agent away long enough now
    if (m_checking)
        return;
    m_checking = true;
    m_administration->endSilences(this, [this](const Result<AlertRecording> &recorded) {
        if (recorded)
            tell(*recorded);
        m_administration->concludeDiagnoses(this, [this](const Result<int> &judged) {
            if (judged && *judged > 0)
                Q_EMIT alertsChanged();
        });
        if (m_pickedUp) {
            m_checking = false;
            return;
        }
        // What an earlier run left in the outbox, once at start (another collector's notifications under
        // way are its own to send).
        m_administration->unsentNotifications(OUTBOX_BATCH, this, [this](const Result<QList<OutboxItem>> &unsent) {
            m_checking = false;
            if (unsent) {
                m_pickedUp = true;
                send(*unsent);
            }
        });
    });
}

} // namespace StreamSwarm::Console
