// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
//
// The ping probe's figures beside iputils ping in the same run: median RTT over a lab path with a
// programmed delay, loopback median and false loss, RTTs while the wall clock steps (libfaketime on a
// child), and the agent's CPU with 100 ping targets at 1 s. Prints key=value lines, then ratio=.
#include <algorithm>
#include <cstdio>
#include <ctime>

#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTimer>

#include <unistd.h>

#include "agent/probes/pingprobe.h"
#include "shared/metrics/catalog.h"
#include "shared/testtypes/ping.h"
#include "tests/netlab/lab.h"
#include "tests/netlab/peertools.h"
#include "tests/netlab/proberuns.h"
#include "tests/support/processharness.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm;
using namespace StreamSwarm::Agent;

namespace {

constexpr int LAB_DELAY_MS = 1; // iputils prints 10 us steps from 1 to 10 ms, 100 us above
constexpr int LAB_PROBES = 200;
constexpr int LOOPBACK_PROBES = 10'000;
constexpr int AGENT_TARGETS = 100;
const QString FAKETIME_LIBRARY = u"/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1"_s;

void print(const char *key, double value)
{
    std::printf("%s=%.4f\n", key, value);
    std::fflush(stdout);
}

int fail(const QString &why)
{
    std::fprintf(stderr, "bench_ping: %s\n", qPrintable(why));
    return 1;
}

double median(QList<double> values)
{
    if (values.isEmpty())
        return -1;
    std::sort(values.begin(), values.end());
    const qsizetype middle = values.size() / 2;
    return values.size() % 2 ? values.at(middle) : (values.at(middle - 1) + values.at(middle)) / 2;
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

double cpuSeconds(qint64 pid)
{
    QFile stat(u"/proc/%1/stat"_s.arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray text = stat.readAll();
    const QList<QByteArray> fields = text.mid(text.lastIndexOf(')') + 2).split(' ');
    return (fields.value(11).toDouble() + fields.value(12).toDouble()) / double(::sysconf(_SC_CLK_TCK));
}

void runFor(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

} // namespace

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

    // 4. The agent with 100 ping targets at 1 s: CPU share of one core.
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
    for (int i = 1; i <= AGENT_TARGETS; ++i) {
        const Test::CommandResult add = console.cli({u"test"_s, u"add"_s, u"--name"_s, u"p%1"_s.arg(i), u"--type"_s,
            u"ping"_s, u"--target"_s, u"127.0.%1.%2"_s.arg(i / 250).arg(i % 250 + 1), u"--interval"_s, u"1s"_s,
            u"--continuous"_s, u"--agents"_s, u"bench"_s});
        if (add.exitCode != 0)
            return fail(add.err);
    }
    runFor(5000); // every test has started
    const double cpuStart = cpuSeconds(agent.pid());
    runFor(measureSeconds * 1000);
    const double cpuEnd = cpuSeconds(agent.pid());
    const double cpuPercent = 100.0 * (cpuEnd - cpuStart) / measureSeconds;
    print("agent_ping_targets", AGENT_TARGETS);
    print("agent_cpu_pct_of_one_core", cpuPercent);
    print("ratio", ours / iputils); // our lab median / iputils' on the same path
    return 0;
}
