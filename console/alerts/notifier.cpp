// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "notifier.h"

#include <limits>
#include <utility>

#include "shared/util/logging.h"

namespace StreamSwarm::Console {

// Runs one delivery at a time on the notifier's thread and says how it went.
class NotifierWorker final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(NotifierWorker)
public:
    explicit NotifierWorker(const std::atomic<bool> *stop)
        : m_stop(stop)
    { }

    void deliver(quint64 id, const NotifyTarget &target, const AlertMessage &message, const DeliverySettings &settings)
    {
        const DeliveryOutcome outcome = Delivery::deliver(target, message, settings, m_stop);
        Q_EMIT finished(id, outcome.delivered, outcome.retryable, outcome.why);
    }

Q_SIGNALS:
    void finished(quint64 id, bool delivered, bool retryable, const QString &why);

private:
    const std::atomic<bool> *m_stop;
};

Notifier::Notifier(QObject *parent)
    : Notifier(Options(), parent)
{ }

Notifier::Notifier(Options options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_worker(std::make_unique<NotifierWorker>(&m_stopping))
{
    m_options.rateLimit = std::max(m_options.rateLimit, 1);
    m_options.rateWindowMs = std::max<qint64>(m_options.rateWindowMs, 1);
    m_clock.start();
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &Notifier::schedule);
    m_thread.setObjectName(QStringLiteral("notifier"));
    m_worker->moveToThread(&m_thread);
    connect(m_worker.get(), &NotifierWorker::finished, this, &Notifier::handleFinished);
    m_thread.start();
}

Notifier::~Notifier()
{
    m_stopping.store(true);
    m_thread.quit();
    m_thread.wait();
    m_worker.reset(); // its thread has ended: nothing of it runs any more
}

void Notifier::setDeliverySettings(const DeliverySettings &settings)
{
    m_options.delivery = settings;
}

quint64 Notifier::send(const NotifyTarget &target, const AlertMessage &message, QString *error)
{
    if (target.kind == NotifyTarget::Kind::Desktop) {
        const quint64 id = m_nextId++;
        // Queued, so the caller has the id before the signals come.
        QMetaObject::invokeMethod(
            this,
            [this, id, message] {
                Q_EMIT desktopNotification(message);
                Q_EMIT delivered(id);
            },
            Qt::QueuedConnection);
        return id;
    }
    if (m_queued >= m_options.maxQueued) {
        const QString why = tr("The notification queue is full (%1 waiting), so the notification to %2 was dropped: "
                               "check why the notification targets fail.")
                                .arg(m_queued)
                                .arg(target.displayText());
        qCWarning(lcServer).noquote() << why;
        if (error)
            *error = why;
        return 0;
    }
    Job job;
    job.id = m_nextId++;
    job.target = target;
    job.message = message;
    job.queuedAtMs = m_clock.elapsed();
    m_queues[target.toString()].push_back(job);
    ++m_queued;
    schedule();
    return job.id;
}

// The first time the target may take another attempt: once fewer than rateLimit started in the window.
qint64 Notifier::readyAtMs(const QString &key, const Job &job, qint64 now)
{
    std::deque<qint64> &times = m_attemptTimes[key];
    while (!times.empty() && times.front() <= now - m_options.rateWindowMs)
        times.pop_front();
    qint64 slot = now;
    if (qsizetype(times.size()) >= m_options.rateLimit)
        slot = times[times.size() - m_options.rateLimit] + m_options.rateWindowMs;
    return std::max(slot, job.notBeforeMs);
}

void Notifier::schedule()
{
    if (m_busyTarget || m_stopping.load())
        return;
    const qint64 now = m_clock.elapsed();
    // Targets with nothing waiting keep their attempt times only while these still limit a new message.
    for (auto it = m_attemptTimes.begin(); it != m_attemptTimes.end();) {
        if (m_queues.count(it.key()) == 0 && (it->empty() || it->back() <= now - m_options.rateWindowMs))
            it = m_attemptTimes.erase(it);
        else
            ++it;
    }
    qint64 earliest = std::numeric_limits<qint64>::max();
    // The oldest message that may go now, among each target's first (a target's messages keep their order).
    std::deque<Job> *chosen = nullptr;
    const QString *chosenKey = nullptr;
    for (auto &[key, queue] : m_queues) {
        const qint64 ready = readyAtMs(key, queue.front(), now);
        if (ready > now) {
            earliest = std::min(earliest, ready);
        } else if (!chosen || queue.front().id < chosen->front().id) {
            chosen = &queue;
            chosenKey = &key;
        }
    }
    if (chosen) {
        m_timer.stop();
        dispatch(chosen->front(), *chosenKey);
    } else if (earliest != std::numeric_limits<qint64>::max()) {
        m_timer.start(int(std::min<qint64>(earliest - now, std::numeric_limits<int>::max())));
    }
}

void Notifier::dispatch(Job &job, const QString &key)
{
    m_busyTarget = key;
    m_attemptTimes[key].push_back(m_clock.elapsed());
    ++job.attempts;
    QMetaObject::invokeMethod(
        m_worker.get(),
        [worker = m_worker.get(), id = job.id, target = job.target, message = job.message,
            settings = m_options.delivery] { worker->deliver(id, target, message, settings); },
        Qt::QueuedConnection);
}

void Notifier::handleFinished(quint64 id, bool ok, bool retryable, const QString &why)
{
    if (!m_busyTarget)
        return;
    const auto found = m_queues.find(*m_busyTarget);
    m_busyTarget.reset();
    if (found == m_queues.end() || found->second.empty() || found->second.front().id != id)
        return;
    Job &job = found->second.front();
    const qint64 now = m_clock.elapsed();
    const int retries = int(m_options.retryDelaysMs.size());
    const qint64 delay = job.attempts <= retries ? m_options.retryDelaysMs[job.attempts - 1] : 0;
    const bool again
        = !ok && retryable && job.attempts <= retries && now + delay - job.queuedAtMs <= m_options.giveUpAfterMs;
    QString finalWhy = why;
    if (again) {
        job.notBeforeMs = now + delay;
    } else {
        if (!ok && retryable)
            finalWhy = tr("Gave up after %n attempts: %1", nullptr, job.attempts).arg(why);
        if (!ok)
            qCWarning(lcServer).noquote() << "notification to" << job.target.displayText() << "failed:" << finalWhy;
        found->second.pop_front();
        if (found->second.empty())
            m_queues.erase(found);
        --m_queued;
    }
    schedule();
    if (ok)
        Q_EMIT delivered(id);
    else
        Q_EMIT failed(id, again ? why : finalWhy, !again);
}

} // namespace StreamSwarm::Console

#include "notifier.moc"
