// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
//
// The ping probe's figures beside iputils ping in the same run: median RTT over a lab path with a
// programmed delay, loopback median and false loss, RTTs while the wall clock steps (libfaketime on a
// child), and the agent's CPU with 1,000 ping targets at 1 s beside fping's on the same targets. Prints key=value
// lines, then ratio=.
#include <algorithm>
#include <cstdio>
#include <ctime>

#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTimer>

#include <unistd.h>

#include "agent/probes/ping/pingprobe.h"
#include "shared/metrics/catalog.h"
#include "shared/testtypes/ping.h"
#include "tests/bench/benchfigures.h"
#include "tests/netlab/lab.h"
#include "tests/netlab/peertools.h"
#include "tests/netlab/proberuns.h"
#include "tests/support/processharness.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm::Bench;
using namespace StreamSwarm;
using namespace StreamSwarm::Agent;

namespace {

constexpr int LAB_DELAY_MS = 1; // iputils prints 10 us steps from 1 to 10 ms, 100 us above
constexpr int LAB_PROBES = 200;
constexpr int LOOPBACK_PROBES = 10'000;
constexpr int AGENT_TARGETS = 1000; // the most tests one agent's assignment may hold
const QString FAKETIME_LIBRARY = u"/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1"_s;

int fail(const QString &why)
{
    std::fprintf(stderr, "bench_ping: %s\n", qPrintable(why));
    return 1;
}

// Rounds of `count` echoes `spacingMs` apart, back to back; bounded by timeoutMs in all. The parameters
// bypass validation so that loopback can run at 1 ms spacing.
QList<Protocol::Round> runRounds(const QString &target, int rounds, int count, int spacingMs, int timeoutMs)
{
    Protocol::TestSpec spec;
    spec.id = 1;
    spec.name = u"bench"_s;
    spec.type = u"ping"_s;
    spec.target = target;
    spec.intervalMs = 60000;
    Validation::PingParams params;
    params.count = count;
    params.spacingMs = spacingMs;
    params.timeoutMs = 500;
    PingProbe probe(spec, params);
    return NetLab::runRounds(probe, rounds, timeoutMs);
}

QList<double> roundValues(const QList<Protocol::Round> &rounds, const char16_t *metric)
{
    QList<double> values;
    for (const Protocol::Round &round : rounds)
        values.append(NetLab::metricValue(round, metric));
    return values;
}

// Child mode: ping target for about `seconds` under libfaketime and print the extremes seen.
int runClockStepChild(const QString &target, int seconds)
{
    timespec real{};
    timespec mono{};
    clock_gettime(CLOCK_REALTIME, &real);
    clock_gettime(CLOCK_MONOTONIC, &mono);
    const qint64 firstOffset = qint64(real.tv_sec - mono.tv_sec);
    QList<qint64> offsets{firstOffset};
    QTimer sampler;
    QObject::connect(&sampler, &QTimer::timeout, [&offsets] {
        timespec r{};
        timespec m{};
        clock_gettime(CLOCK_REALTIME, &r);
        clock_gettime(CLOCK_MONOTONIC, &m);
        const qint64 offset = qint64(r.tv_sec - m.tv_sec);
        if (std::none_of(offsets.cbegin(), offsets.cend(), [offset](qint64 o) { return std::abs(o - offset) < 60; }))
            offsets.append(offset);
    });
    sampler.start(20);
    const QList<Protocol::Round> rounds = runRounds(target, seconds, 100, 10, seconds * 3000);
    double lowest = 1e9;
    double highest = -1e9;
    int sent = 0;
    int received = 0;
    for (const Protocol::Round &round : rounds) {
        lowest = std::min(lowest, NetLab::metricValue(round, Metric::PingRttMin));
        highest = std::max(highest, NetLab::metricValue(round, Metric::PingRttMax));
        sent += int(NetLab::metricValue(round, Metric::PingSent));
        received += int(NetLab::metricValue(round, Metric::PingReceived));
    }
    std::printf("clock_step_sent=%d\nclock_step_received=%d\nclock_step_rtt_min_ms=%.4f\nclock_step_rtt_max_ms=%.4f\n"
                "clock_step_distinct_wall_offsets=%d\n",
        sent, received, lowest, highest, int(offsets.size()));
    return 0;
}

void runFor(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

} // namespace

struct EchoCounts
{
    qint64 rounds = 0;
    qint64 sent = 0;
    qint64 received = 0;
};

// What the console stored of the rounds measured between fromMs and toMs.
EchoCounts countEchoes(const QString &databasePath, qint64 fromMs, qint64 toMs)
{
    EchoCounts counts;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"bench"_s);
        db.setDatabaseName(databasePath);
        db.setConnectOptions(u"QSQLITE_OPEN_READONLY"_s);
        if (db.open()) {
            QSqlQuery query(db);
            query.prepare(u"SELECT m.name, COUNT(*), SUM(s.value) FROM samples s JOIN metrics m ON m.id = s.metric_id "
                          "WHERE s.t >= ? AND s.t < ? AND m.name IN (?, ?) GROUP BY m.name"_s);
            query.addBindValue(fromMs);
            query.addBindValue(toMs);
            query.addBindValue(QString::fromUtf16(Metric::PingSent));
            query.addBindValue(QString::fromUtf16(Metric::PingReceived));
            query.exec();
            while (query.next()) {
                if (query.value(0).toString() == QString::fromUtf16(Metric::PingSent)) {
                    counts.rounds = query.value(1).toLongLong();
                    counts.sent = query.value(2).toLongLong();
                } else {
                    counts.received = query.value(2).toLongLong();
                }
            }
        }
    }
    QSqlDatabase::removeDatabase(u"bench"_s);
    return counts;
}

// fping pinging the targets once a second each, the way engineers run it over a target list: its
// CPU share of one core over `seconds`, or -1 when fping is not installed.
double fpingCpuPercent(const QStringList &targets, int seconds)
{
    QTemporaryDir dir;
    QFile list(dir.filePath(u"targets"_s));
    if (!list.open(QIODevice::WriteOnly))
        return -1;
    list.write(targets.join(u'\n').toLatin1() + '\n');
    list.close();
    QProcess fping;
    fping.setStandardOutputFile(QProcess::nullDevice());
    fping.setStandardErrorFile(QProcess::nullDevice());
    fping.start(u"fping"_s, {u"-l"_s, u"-p"_s, u"1000"_s, u"-i"_s, u"0.5"_s, u"-f"_s, list.fileName()});
    if (!fping.waitForStarted(5000))
        return -1;
    runFor(3000); // every target has had its first echo
    const double start = processCpuSeconds(fping.processId());
    runFor(seconds * 1000);
    const double end = processCpuSeconds(fping.processId());
    fping.kill();
    fping.waitForFinished(5000);
    return 100.0 * (end - start) / seconds;
}

int main(int argc, char **argv)
{
    if (argc == 4 && qstrcmp(argv[1], "--clock-step-child") == 0) {
        QCoreApplication app(argc, argv);
        return runClockStepChild(QString::fromLocal8Bit(argv[2]), std::atoi(argv[3]));
    }
    QCoreApplication app(argc, argv);
    QString error;
    if (!NetLab::Lab::available(&error))
        return fail(error);

    // 1. A lab path with a programmed delay: ours beside iputils ping, same path, same run.
    NetLab::Lab lab;
    if (!lab.addNamespace(u"server"_s, &error))
        return fail(error);
    const auto link = lab.connect({}, u"server"_s, u"10.218.1.0/30"_s, {}, &error);
    if (!link)
        return fail(error);
    QProcess *responder = lab.startResponder(u"server"_s, {u"--delay"_s, u"%1ms"_s.arg(LAB_DELAY_MS)}, &error);
    if (!responder || !lab.settle(&error))
        return fail(error);
    const QString labTarget = link->b.ipv4.toString();
    QList<double> oursMedians;
    QList<double> iputilsRtts;
    QList<double> iputilsAverages;
    QList<double> oursAverages;
    for (int pass = 0; pass < 2; ++pass) { // interleaved, so both see the same conditions
        const QList<Protocol::Round> rounds = runRounds(labTarget, 1, LAB_PROBES / 2, 10, 20000);
        oursMedians += roundValues(rounds, Metric::PingRttMedian);
        oursAverages += roundValues(rounds, Metric::PingRttAvg);
        const NetLab::CommandResult ping = lab.run({}, u"ping"_s,
            {u"-n"_s, u"-c"_s, QString::number(LAB_PROBES / 2), u"-i"_s, u"0.01"_s, u"-W"_s, u"1"_s, labTarget}, 30000);
        const NetLab::PingOutput iputilsRun = NetLab::parsePing(ping.out);
        iputilsRtts += iputilsRun.rttMs.values();
        if (iputilsRun.avgMs >= 0)
            iputilsAverages.append(iputilsRun.avgMs);
    }
    const double ours = median(oursMedians);
    const double iputils = median(iputilsRtts);
    print("lab_delay_ms", LAB_DELAY_MS);
    print("lab_ours_median_ms", ours);
    print("lab_iputils_median_ms", iputils);
    print("lab_ours_over_delay_us", (ours - LAB_DELAY_MS) * 1000);
    print("lab_iputils_over_delay_us", (iputils - LAB_DELAY_MS) * 1000);
    print("lab_ours_minus_iputils_us", (ours - iputils) * 1000);
    print("lab_ours_avg_ms", median(oursAverages));
    print("lab_iputils_avg_ms", median(iputilsAverages));

    // 2. Loopback: median and false loss over 10,000 echoes (1 ms apart).
    QElapsedTimer clock;
    clock.start();
    const QList<Protocol::Round> loopback = runRounds(u"127.0.0.1"_s, LOOPBACK_PROBES / 100, 100, 1, 60000);
    int loopbackSent = 0;
    int loopbackReceived = 0;
    for (const Protocol::Round &round : loopback) {
        loopbackSent += int(NetLab::metricValue(round, Metric::PingSent));
        loopbackReceived += int(NetLab::metricValue(round, Metric::PingReceived));
    }
    print("loopback_median_us", median(roundValues(loopback, Metric::PingRttMedian)) * 1000);
    print("loopback_sent", loopbackSent);
    print("loopback_lost", loopbackSent - loopbackReceived);
    print("loopback_seconds", double(clock.elapsed()) / 1000);

    // 3. The wall clock steps by hours and days every 50 ms in a child (libfaketime, monotonic left alone).
    if (QFile::exists(FAKETIME_LIBRARY)) {
        QTemporaryDir dir;
        const QString stampFile = dir.filePath(u"faketime"_s);
        const auto writeOffset = [&stampFile](const char *offset) {
            QFile file(stampFile);
            if (file.open(QIODevice::WriteOnly | QIODevice::Truncate))
                file.write(offset);
        };
        writeOffset("+0\n");
        QProcess child;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(u"LD_PRELOAD"_s, FAKETIME_LIBRARY);
        environment.insert(u"FAKETIME_TIMESTAMP_FILE"_s, stampFile);
        environment.insert(u"FAKETIME_NO_CACHE"_s, u"1"_s);
        environment.insert(u"FAKETIME_DONT_FAKE_MONOTONIC"_s, u"1"_s);
        child.setProcessEnvironment(environment);
        child.start(QCoreApplication::applicationFilePath(), {u"--clock-step-child"_s, labTarget, u"4"_s});
        const char *const offsets[] = {"-3600\n", "+86400\n", "+0\n", "-864000\n", "+30\n"};
        int step = 0;
        QTimer stepper;
        QObject::connect(&stepper, &QTimer::timeout, [&] { writeOffset(offsets[step++ % 5]); });
        stepper.start(50);
        QEventLoop loop;
        QObject::connect(&child, &QProcess::finished, &loop, &QEventLoop::quit);
        QTimer::singleShot(20000, &loop, &QEventLoop::quit);
        if (child.state() != QProcess::NotRunning)
            loop.exec();
        stepper.stop();
        if (child.state() != QProcess::NotRunning) {
            child.kill();
            child.waitForFinished(2000);
        }
        std::printf("clock_steps_written=%d\n%s", step, child.readAllStandardOutput().constData());
    } else {
        std::printf("clock_step=skipped (apt-get install faketime)\n");
    }
    NetLab::Lab::stopProcess(responder);

    // 4. The agent with 1,000 ping targets at 1 s (the most one agent's assignment holds), then
    // fping on the same targets the same way: CPU share of one core each. Loopback loses nothing, so
    // every echo the agent counts as lost is a false loss.
    const int measureSeconds
        = qEnvironmentVariableIntValue("BENCH_SECONDS") > 0 ? qEnvironmentVariableIntValue("BENCH_SECONDS") : 15;
    QTemporaryDir dir;
    Test::ConsoleHarness console(dir.filePath(u"console"_s), true); // wss://, as deployed
    if (!console.start())
        return fail(u"the console did not start: "_s + console.process().output());
    const Test::CommandResult token = console.cli({u"token"_s, u"create"_s, u"bench"_s});
    Test::ManagedProcess agent(Test::agentBinary(),
        {u"--server"_s, console.serverUrl(), u"--token"_s, token.out.trimmed(), u"--name"_s, u"bench"_s,
            u"--state-dir"_s, dir.filePath(u"agent"_s), u"--insecure"_s});
    if (!agent.start() || !agent.waitForOutput(u"online as bench"_s, 10000))
        return fail(u"the agent did not come online: "_s + agent.output());
    QStringList targets;
    for (int i = 0; i < AGENT_TARGETS; ++i)
        targets.append(u"127.0.%1.%2"_s.arg(i / 250).arg(i % 250 + 1));
    for (int i = 0; i < AGENT_TARGETS; ++i) {
        const Test::CommandResult add
            = console.cli({u"test"_s, u"add"_s, u"--name"_s, u"p%1"_s.arg(i + 1), u"--type"_s, u"ping"_s, u"--target"_s,
                targets.at(i), u"--interval"_s, u"1s"_s, u"--continuous"_s, u"--agents"_s, u"bench"_s});
        if (add.exitCode != 0)
            return fail(add.err);
    }
    if (!agent.waitForOutput(u"started test p%1 "_s.arg(AGENT_TARGETS), 30000))
        return fail(u"the agent did not start every test: "_s + agent.output().right(2000));
    runFor(3000); // every test has run a round
    const qint64 windowStartMs = QDateTime::currentMSecsSinceEpoch();
    const double cpuStart = processCpuSeconds(agent.pid());
    runFor(measureSeconds * 1000);
    const double cpuEnd = processCpuSeconds(agent.pid());
    const qint64 windowEndMs = QDateTime::currentMSecsSinceEpoch();
    const double agentCpu = 100.0 * (cpuEnd - cpuStart) / measureSeconds;
    runFor(3000); // the window's last batches reach the database
    const EchoCounts echoes = countEchoes(console.databasePath(), windowStartMs, windowEndMs);
    print("agent_ping_targets", AGENT_TARGETS);
    print("agent_cpu_pct_of_one_core", agentCpu);
    print("agent_rounds_stored", double(echoes.rounds));
    print("agent_rounds_expected", double(AGENT_TARGETS) * double(windowEndMs - windowStartMs) / 1000.0);
    print("agent_echoes_sent", double(echoes.sent));
    print("agent_echoes_falsely_lost", double(echoes.sent - echoes.received));
    agent.terminate();
    agent.waitForExit(10000);

    if (const double fping = fpingCpuPercent(targets, measureSeconds); fping > 0) {
        print("fping_cpu_pct_of_one_core", fping);
        print("agent_cpu_ratio_to_fping", agentCpu / fping);
    } else {
        std::printf("fping=skipped (apt-get install fping)\n");
    }
    print("ratio", ours / iputils); // our lab median / iputils' on the same path
    return 0;
}
