// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "scheduler.h"

#include <chrono>

#include <QDateTime>
#include <QDeadlineTimer>
#include <QTimer>

#include "agent/probes/probefactory.h"
#include "agent/scheduler/deadline.h"
#include "shared/util/logging.h"
#include "shared/util/monotonic.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Agent {

namespace {

// Past this many rounds not measured in one go (a suspended host, a stopped process), the rest are
// told in one event instead of one round each, so the result buffer is not flooded.
constexpr qint64 MAX_NOT_MEASURED_ROUNDS = 600;

} // namespace

struct Scheduler::RunningTest
{
    Protocol::TestSpec spec;
    std::unique_ptr<Probe> probe;
    std::unique_ptr<Deadline> roundTimer; // set for the next round's time on the grid
    std::unique_ptr<QTimer> endTimer;
    QDeadlineTimer deadline{QDeadlineTimer::Forever};
    qint64 startNs = 0; // monotonic: round n is due at startNs + n * interval
    qint64 nextRound = 0;
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
        Q_EMIT problem(Protocol::Event::withText(QDateTime::currentMSecsSinceEpoch(), u"error"_s, u"test-refused"_s,
            Protocol::EventText(u"test-refused"_s, {spec.name, error}), spec.id));
        return;
    }
    auto running = std::make_unique<RunningTest>();
    running->spec = spec;
    running->probe = std::move(probe);
    connect(running->probe.get(), &Probe::roundFinished, this, &Scheduler::roundFinished);
    connect(running->probe.get(), &Probe::event, this, &Scheduler::problem);

    const qint64 id = spec.id;
    running->roundTimer = std::make_unique<Deadline>([this, id] { runDueRounds(id); });
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
    running->startNs = monotonicNs();
    qCInfo(lcAgent).noquote() << "started test" << spec.name << "(" << spec.type << spec.target << "every"
                              << spec.intervalMs << "ms )";
    m_tests.emplace(id, std::move(running));
    runDueRounds(id); // the first round now, not one interval from now
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

void Scheduler::runDueRounds(qint64 testId)
{
    const auto it = m_tests.find(testId);
    if (it == m_tests.end())
        return;
    RunningTest &test = *it->second;
    const qint64 intervalNs = test.spec.intervalMs * 1'000'000;
    const qint64 nowNs = monotonicNs();
    const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
    const auto dueNs = [&](qint64 round) {
        return test.startNs + round * intervalNs;
    };
    // The interval and end timers can fire in either order at the very end: no round after it.
    const auto withinTest = [&](qint64 round) {
        return test.deadline.isForever() || dueNs(round) - nowNs < test.deadline.remainingTimeNSecs();
    };

    // Rounds whose time passed by more than half an interval: the main thread was busy (a long
    // spool replay, a stopped process) or the host slept. They are not run late, where they would
    // crowd the next ones, but stored as not measured, at their time.
    qint64 notMeasured = 0;
    qint64 firstMissedMs = 0;
    while (nowNs - dueNs(test.nextRound) > intervalNs / 2 && withinTest(test.nextRound)) {
        const qint64 lateMs = (nowNs - dueNs(test.nextRound)) / 1'000'000;
        if (notMeasured == 0)
            firstMissedMs = nowMs - lateMs;
        if (notMeasured < MAX_NOT_MEASURED_ROUNDS) {
            Protocol::Round round;
            round.testId = testId;
            round.timeMs = nowMs - lateMs;
            round.error = tr("Not measured: the agent was too busy to start this round on time.");
            Q_EMIT roundFinished(round);
        }
        ++notMeasured;
        ++test.nextRound;
    }
    if (notMeasured > 0) {
        const qint64 busyMs = nowMs - firstMissedMs;
        qCWarning(lcAgent).noquote() << "test" << test.spec.name << ":" << notMeasured
                                     << "round(s) not measured, the agent was" << busyMs << "ms late";
        if (notMeasured > MAX_NOT_MEASURED_ROUNDS) {
            Q_EMIT problem(Protocol::Event::withText(nowMs, u"warning"_s, u"rounds-not-measured"_s,
                Protocol::EventText(u"rounds-not-measured"_s,
                    {test.spec.name, notMeasured,
                        QDateTime::fromMSecsSinceEpoch(firstMissedMs).toString(Qt::ISODateWithMs), busyMs,
                        MAX_NOT_MEASURED_ROUNDS}),
                testId));
        }
    }
    if (!withinTest(test.nextRound))
        return;
    // A timer fires a little early now and then: a round due within a millisecond counts as due.
    if (dueNs(test.nextRound) - nowNs <= 1'000'000) {
        ++test.nextRound;
        test.probe->startRound(nowMs);
        // startRound may have stopped this test (a probe that fails at once): look it up again.
        if (m_tests.find(testId) == m_tests.end())
            return;
    }
    const qint64 waitNs = dueNs(test.nextRound) - monotonicNs();
    test.roundTimer->start(std::chrono::nanoseconds(waitNs));
}

} // namespace StreamSwarm::Agent
