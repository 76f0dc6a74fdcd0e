// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <map>
#include <memory>

#include <QObject>
#include <QSet>

#include "shared/protocol/messages.h"

class QTimer;

namespace StreamSwarm::Agent {

class Probe;

// Runs the assigned tests: one probe and one timer per test, started, changed and stopped as
// assignments arrive, and ended when a test's time is up. Rounds keep to a fixed grid of one per
// interval from the test's start; a round that the main thread was too busy to start within half an
// interval of its time is not run late but stored as "not measured" at its time, so no round ever
// goes missing without a trace. Lives on the main thread.
class Scheduler final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Scheduler)
public:
    explicit Scheduler(QObject *parent = nullptr);
    ~Scheduler() override;

    // The full desired set (assign is idempotent): unchanged tests keep running undisturbed.
    void apply(const QList<Protocol::TestSpec> &tests);
    void stopAll();
    int runningCount() const { return int(m_tests.size()); }

Q_SIGNALS:
    void roundFinished(const StreamSwarm::Protocol::Round &round);
    void problem(const StreamSwarm::Protocol::Event &event);

private:
    struct RunningTest;

    void start(const Protocol::TestSpec &spec);
    void stop(qint64 testId);
    // Runs the round now due, records those it is too late for, and sets the timer for the next.
    void runDueRounds(qint64 testId);

    std::map<qint64, std::unique_ptr<RunningTest>> m_tests;
    QSet<qint64> m_ended; // timed tests that ran to their end (ids are never reused)
};

} // namespace StreamSwarm::Agent
