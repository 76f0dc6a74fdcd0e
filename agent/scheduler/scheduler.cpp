// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "scheduler.h"

#include <QDateTime>
#include <QDeadlineTimer>
#include <QTimer>

#include "agent/probes/probefactory.h"
#include "shared/util/logging.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Agent {

struct Scheduler::RunningTest
{
    Protocol::TestSpec spec;
    std::unique_ptr<Probe> probe;
    std::unique_ptr<QTimer> intervalTimer;
    std::unique_ptr<QTimer> endTimer;
    QDeadlineTimer deadline{QDeadlineTimer::Forever};
};

Scheduler::Scheduler(QObject *parent)
    : QObject(parent)
{ }

Scheduler::~Scheduler()
{
    stopAll();
}

void Scheduler::apply(const QList<Protocol::TestSpec> &tests)
{
    std::vector<qint64> gone;
    for (const auto &[id, running] : m_tests) {
        const auto wanted = std::find_if(
            tests.cbegin(), tests.cend(), [id = id](const Protocol::TestSpec &spec) { return spec.id == id; });
        if (wanted == tests.cend() || !(*wanted == running->spec))
            gone.push_back(id);
    }
    for (qint64 id : gone)
        stop(id);
    for (const Protocol::TestSpec &spec : tests) {
        // A timed test that ended here stays ended, even if an assign sent just before its end
        // (the console's clock and ours differ a little) still lists it.
        if (m_tests.find(spec.id) == m_tests.end() && !m_ended.contains(spec.id))
            start(spec);
    }
}

void Scheduler::stopAll()
{
    while (!m_tests.empty())
        stop(m_tests.begin()->first);
}

void Scheduler::start(const Protocol::TestSpec &spec)
{
    QString error;
    std::unique_ptr<Probe> probe = createProbe(spec, &error);
    if (!probe) {
        qCWarning(lcAgent).noquote() << "cannot run test" << spec.name << ":" << error;
        Q_EMIT problem({QDateTime::currentMSecsSinceEpoch(), u"error"_s, u"test-refused"_s,
            tr("Cannot run test \"%1\": %2").arg(spec.name, error), spec.id});
        return;
    }
    auto running = std::make_unique<RunningTest>();
    running->spec = spec;
    running->probe = std::move(probe);
    connect(running->probe.get(), &Probe::roundFinished, this, &Scheduler::roundFinished);
    connect(running->probe.get(), &Probe::event, this, &Scheduler::problem);

    running->intervalTimer = std::make_unique<QTimer>();
    running->intervalTimer->setTimerType(Qt::PreciseTimer);
    running->intervalTimer->setInterval(std::chrono::milliseconds(spec.intervalMs));
    const qint64 id = spec.id;
    connect(running->intervalTimer.get(), &QTimer::timeout, this, [this, id] { runRound(id); });
    if (spec.remainingMs > 0) {
        running->deadline.setRemainingTime(spec.remainingMs, Qt::PreciseTimer);
        running->endTimer = std::make_unique<QTimer>();
        running->endTimer->setSingleShot(true);
        running->endTimer->setTimerType(Qt::PreciseTimer); // a coarse timer may fire 5 % late
        // Queued: the timer must not be destroyed inside its own timeout signal.
        connect(
            running->endTimer.get(), &QTimer::timeout, this,
            [this, id] {
                stop(id);
                m_ended.insert(id);
            },
            Qt::QueuedConnection);
        running->endTimer->start(std::chrono::milliseconds(spec.remainingMs));
    }
    running->intervalTimer->start();
    qCInfo(lcAgent).noquote() << "started test" << spec.name << "(" << spec.type << spec.target << "every"
                              << spec.intervalMs << "ms )";
    m_tests.emplace(id, std::move(running));
    runRound(id); // the first round now, not one interval from now
}

void Scheduler::stop(qint64 testId)
{
    const auto it = m_tests.find(testId);
    if (it == m_tests.end())
        return;
    qCInfo(lcAgent).noquote() << "stopped test" << it->second->spec.name;
    // Detach before destruction: a probe torn down mid-round must not deliver a late result.
    it->second->probe->disconnect(this);
    m_tests.erase(it);
}

void Scheduler::runRound(qint64 testId)
{
    const auto it = m_tests.find(testId);
    // The interval and end timers can fire in either order at the very end: no round after it.
    if (it != m_tests.end() && !it->second->deadline.hasExpired())
        it->second->probe->startRound(QDateTime::currentMSecsSinceEpoch());
}

} // namespace StreamSwarm::Agent
