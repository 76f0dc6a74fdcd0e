// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <atomic>
#include <deque>
#include <map>
#include <memory>
#include <optional>

#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QObject>
#include <QThread>
#include <QTimer>

#include "console/alerts/alertmessage.h"
#include "console/alerts/delivery.h"
#include "console/alerts/notifytarget.h"

namespace StreamSwarm::Console {

class NotifierWorker;

// Sends alert notifications without blocking its thread: the deliveries run one at a time on a
// worker thread of its own; an attempt that may succeed later is retried with back-off; each target
// gets at most rateLimit attempts per rateWindowMs (the rest wait, they are not dropped) and its
// messages in the order they were sent. Nothing is kept on disk: the caller's outbox does that.
// Lives on the thread that made it (the main thread); its signals come there.
class Notifier final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Notifier)
public:
    struct Options
    {
        // The waits before the 2nd, 3rd ... attempt; after the last, a failing notification is given up.
        QList<qint64> retryDelaysMs{5'000, 30'000, 120'000, 600'000, 1'800'000};
        qint64 giveUpAfterMs = 3'600'000; // no retry starts later than this after send()
        int rateLimit = 20; // attempts per target per window
        qint64 rateWindowMs = 60'000;
        int maxQueued = 10'000;
        DeliverySettings delivery;
    };

    explicit Notifier(QObject *parent = nullptr);
    explicit Notifier(Options options, QObject *parent = nullptr);
    // Stops the worker: an attempt under way is cut short, or ends within its timeouts.
    ~Notifier() override;

    void setDeliverySettings(const DeliverySettings &settings); // for the attempts that start from now on
    // Queues one notification and returns its id (never 0); 0 and one sentence in error when the
    // queue is full. A desktop target is not delivered here: desktopNotification() asks the window.
    quint64 send(const NotifyTarget &target, const AlertMessage &message, QString *error = nullptr);
    int queuedCount() const { return m_queued; } // waiting, or under way

Q_SIGNALS:
    void delivered(quint64 id);
    // After every failed attempt; final: given up (not retryable, or out of attempts), else tried again.
    void failed(quint64 id, const QString &why, bool final);
    void desktopNotification(const StreamSwarm::Console::AlertMessage &message);

private:
    struct Job
    {
        quint64 id = 0;
        NotifyTarget target;
        AlertMessage message;
        int attempts = 0;
        qint64 queuedAtMs = 0;
        qint64 notBeforeMs = 0;
    };

    void schedule();
    void dispatch(Job &job, const QString &key);
    qint64 readyAtMs(const QString &key, const Job &job, qint64 now);
    void handleFinished(quint64 id, bool ok, bool retryable, const QString &why);

    Options m_options;
    QThread m_thread;
    std::unique_ptr<NotifierWorker> m_worker; // on m_thread
    std::atomic<bool> m_stopping{false};
    std::map<QString, std::deque<Job>> m_queues; // by target; each in send order
    QHash<QString, std::deque<qint64>> m_attemptTimes; // by target: attempts started in the last window
    std::optional<QString> m_busyTarget; // whose head is under way
    int m_queued = 0;
    quint64 m_nextId = 1;
    QTimer m_timer; // the next time a waiting message may go
    QElapsedTimer m_clock;
};

} // namespace StreamSwarm::Console
