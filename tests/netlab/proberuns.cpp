// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "proberuns.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTimer>

#include "agent/probes/ping/pingprobe.h"
#include "agent/probes/traceroute/tracerouteprobe.h"
#include "shared/protocol/validation.h"
#include "shared/testtypes/ping.h"
#include "shared/testtypes/traceroute.h"
#include "tests/netlab/lab.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::NetLab {

QList<Protocol::Round> runRounds(
    Agent::Probe &probe, int rounds, int timeoutMs, QString *error, const QString &ns, qint64 *elapsedNs)
{
    QList<Protocol::Round> results;
    QString problem;
    // Declared first, so the thread leaves the namespace only after the loop below has ended.
    std::optional<InNamespace> inside;
    if (!ns.isEmpty()) {
        inside.emplace(ns);
        if (!inside->entered()) {
            if (error)
                *error = u"Cannot enter the namespace %1."_s.arg(ns);
            return results;
        }
    }
    QEventLoop loop;
    QElapsedTimer clock;
    bool pending = false;
    const auto start = [&probe, &pending] {
        pending = true;
        probe.startRound(QDateTime::currentMSecsSinceEpoch());
    };
    const QMetaObject::Connection finished
        = QObject::connect(&probe, &Agent::Probe::roundFinished, &loop, [&](const Protocol::Round &round) {
              if (!pending) {
                  problem = u"a round finished twice"_s;
                  loop.quit();
                  return;
              }
              pending = false;
              results.append(round);
              if (elapsedNs)
                  *elapsedNs = clock.nsecsElapsed();
              if (results.size() >= rounds)
                  loop.quit();
              else
                  QTimer::singleShot(0, &loop, start);
          });
    QTimer::singleShot(timeoutMs, Qt::PreciseTimer, &loop, &QEventLoop::quit); // a coarse one may be 5 % late
    clock.start();
    start();
    if (results.size() < rounds && problem.isEmpty())
        loop.exec();
    QObject::disconnect(finished);
    if (problem.isEmpty() && results.size() < rounds)
        problem = u"only %1 of %2 rounds finished within %3 ms"_s.arg(results.size()).arg(rounds).arg(timeoutMs);
    if (error && !problem.isEmpty())
        *error = problem;
    return results;
}

std::optional<Protocol::Round> runRound(Agent::Probe &probe, const QString &ns, qint64 *elapsedNs, int timeoutMs)
{
    QString error;
    const QList<Protocol::Round> rounds = runRounds(probe, 1, timeoutMs, &error, ns, elapsedNs);
    if (!error.isEmpty() || rounds.size() != 1)
        return std::nullopt;
    return rounds.constFirst();
}

std::unique_ptr<Agent::PingProbe> makePingProbe(const Protocol::TestSpec &spec, QString *error)
{
    Validation::PingParams params;
    if (!Validation::parsePingParams(spec, &params, error))
        return nullptr;
    return std::make_unique<Agent::PingProbe>(spec, params);
}

std::unique_ptr<Agent::TracerouteProbe> makeTracerouteProbe(const Protocol::TestSpec &spec, QString *error)
{
    Validation::TracerouteParams params;
    if (!Validation::checkTestSpec(spec, error) || !Validation::parseTracerouteParams(spec, &params, error))
        return nullptr;
    return std::make_unique<Agent::TracerouteProbe>(spec, params);
}

double metricValue(const Protocol::Round &round, const char16_t *metric)
{
    for (const Protocol::MetricValue &value : round.values) {
        if (value.metric == QStringView(metric))
            return value.value;
    }
    return -1;
}

} // namespace StreamSwarm::NetLab
