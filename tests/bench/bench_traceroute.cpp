// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
//
// The traceroute probe beside traceroute and mtr on one lab path in the same run: per-hop RTTs over
// client -> r1 -> r2 -> r3 -> r4 -> server with programmed delays in r1 and r3 (the truth), the time
// to trace the chain in ICMP, UDP and TCP SYN mode, whether the hops agree, and the CPU of 20
// traceroute tests at 5 s run by the agent's scheduler in this process. Prints key=value lines, then
// ratio=.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <numeric>
#include <optional>

#include <sys/resource.h>

#include <QCborArray>
#include <QCborMap>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonValue>
#include <QLoggingCategory>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTimer>

#include <signal.h>

#include "agent/probes/traceroute/tracerouteprobe.h"
#include "agent/scheduler/scheduler.h"
#include "shared/protocol/detailcodec.h"
#include "shared/testtypes/traceroute.h"
#include "tests/bench/benchfigures.h"
#include "tests/netlab/lab.h"
#include "tests/netlab/peertools.h"
#include "tests/netlab/proberuns.h"
#include "tests/netlab/truthfile.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm;
using namespace StreamSwarm::NetLab;

namespace {

constexpr int ROUTERS = 4;
struct RouterDelay
{
    int router; // index in RouterChain::routers
    double delayMs;
};
// Towards the server only: the probes are held, the answers are not. A hop's truth is the sum of the
// delays of the routers that forward its probes (those before it): 0, 5, 5, 25, 25 ms.
constexpr RouterDelay DELAYS[] = {{0, 5}, {2, 20}};
constexpr int ACCURACY_PASSES = 2; // ours and traceroute take turns, so both see the same conditions
constexpr int ACCURACY_ROUNDS = 10; // per pass; 3 probes a hop each
constexpr int ACCURACY_RUNS = 10; // traceroute runs per pass, 3 probes a hop each: as many samples as ours
constexpr int MTR_CYCLES = 20;
constexpr int TIMING_ROUNDS = 20; // after a first round, which also probes past the destination
constexpr int TIMING_RUNS = 10;
// Between the starts of traces without delays, so that one tool's trace never overlaps another's.
// (The lab lifts the routers' ICMP budgets; the bench still counts any error a router held back.)
constexpr int TRACE_PACE_MS = 20;
constexpr int LOAD_TESTS = 20;
constexpr int LOAD_INTERVAL_MS = 5000;
constexpr int LOAD_SECONDS = 30; // BENCH_SECONDS overrides
constexpr int TOOL_WAIT_MS = 20000;

volatile sig_atomic_t s_stopRequested = 0;

void requestStop(int)
{
    s_stopRequested = 1;
}

// SIGINT and SIGTERM end the bench through main's return, so that the lab's destructor removes what it
// made; a second signal kills at once.
void installStopHandler()
{
    struct sigaction action = {};
    action.sa_handler = requestStop;
    action.sa_flags = SA_RESETHAND;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
}

void print(const QString &key, double value)
{
    std::printf("%s=%.4f\n", qPrintable(key), value);
    std::fflush(stdout);
}

void printText(const QString &key, const QString &value)
{
    std::printf("%s=%s\n", qPrintable(key), qPrintable(value));
    std::fflush(stdout);
}

int fail(const QString &why)
{
    std::fprintf(stderr, "bench_traceroute: %s\n", qPrintable(why));
    return 1;
}

double median(QList<double> values)
{
    if (values.isEmpty())
        return std::nan("");
    std::sort(values.begin(), values.end());
    const qsizetype middle = values.size() / 2;
    return values.size() % 2 ? values.at(middle) : (values.at(middle - 1) + values.at(middle)) / 2;
}

double mean(const QList<double> &values)
{
    return values.isEmpty() ? std::nan("")
                            : std::accumulate(values.cbegin(), values.cend(), 0.0) / double(values.size());
}

// User and system CPU of this process (RUSAGE_SELF) or of its waited-for children (RUSAGE_CHILDREN).
double cpuMs(int who)
{
    return StreamSwarm::Bench::rusageCpuSeconds(who) * 1e3;
}

// Runs loop until it quits, timeoutMs passes or a stop signal comes (looked at every tickMs).
void runLoop(QEventLoop &loop, int timeoutMs, int tickMs = 100)
{
    QTimer::singleShot(timeoutMs, Qt::PreciseTimer, &loop, &QEventLoop::quit); // a coarse one may be 5 % late
    QTimer tick;
    QObject::connect(&tick, &QTimer::timeout, &loop, [&loop] {
        if (s_stopRequested)
            loop.quit();
    });
    tick.start(tickMs);
    loop.exec();
}

// A test as the console would assign it. No reverse DNS: it would ask the host's resolver about lab
// addresses. maxHops 0 leaves the default (30).
Protocol::TestSpec traceSpec(qint64 id, const QString &target, const QString &protocol, int maxHops = 0)
{
    Protocol::TestSpec spec;
    spec.id = id;
    spec.name = u"bench%1"_s.arg(id);
    spec.type = u"traceroute"_s;
    spec.target = target;
    spec.intervalMs = LOAD_INTERVAL_MS;
    spec.params = {{u"protocol"_s, protocol}, {u"resolve"_s, u"off"_s}};
    if (maxHops > 0)
        spec.params.insert(u"max-hops"_s, QString::number(maxHops));
    return spec;
}

// Waits out the rest of TRACE_PACE_MS since clock started.
void pace(const QElapsedTimer &clock)
{
    const qint64 restMs = TRACE_PACE_MS - clock.elapsed();
    if (restMs > 0) {
        QEventLoop loop;
        QTimer::singleShot(restMs, &loop, &QEventLoop::quit);
        loop.exec();
    }
}

qint64 realtimeNs()
{
    timespec now = {};
    ::clock_gettime(CLOCK_REALTIME, &now);
    return qint64(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
}

// Probes without an answer, summed over the hops of a running probe's detail (sent counts all its rounds).
qint64 missingAnswers(const Protocol::Round &round)
{
    qint64 missing = 0;
    const QCborArray hops = StreamSwarm::Protocol::encodeDetail(round.detail).value(u"hops"_s).toArray();
    for (const QCborValue &hop : hops)
        missing += hop.toMap().value(u"sent"_s).toInteger() - hop.toMap().value(u"received"_s).toInteger();
    return missing;
}

bool reached(const Protocol::Round &round)
{
    return round.error.isEmpty() && StreamSwarm::Protocol::encodeDetail(round.detail).value(u"reached"_s).toBool();
}

// RTT samples per hop (index TTL - 1).
struct Samples
{
    QList<QList<double>> rttsMs;

    void add(int ttl, const QList<double> &rtts)
    {
        if (ttl < 1 || ttl > 64)
            return;
        while (rttsMs.size() < ttl)
            rttsMs.append(QList<double>());
        rttsMs[ttl - 1] += rtts;
    }
    int count() const
    {
        return std::accumulate(
            rttsMs.cbegin(), rttsMs.cend(), 0, [](int sum, const QList<double> &hop) { return sum + int(hop.size()); });
    }
};

// A round of a probe made for it alone, 3 probes a hop: a hop's best, worst and average over its
// answers then give every sample (the third is 3 * avg - best - worst).
void addRound(const Protocol::Round &round, Samples *samples)
{
    const QCborArray hops = StreamSwarm::Protocol::encodeDetail(round.detail).value(u"hops"_s).toArray();
    for (const QCborValue &value : hops) {
        const QCborMap hop = value.toMap();
        const qint64 received = hop.value(u"received"_s).toInteger();
        const double best = hop.value(u"best"_s).toDouble();
        const double worst = hop.value(u"worst"_s).toDouble();
        QList<double> rtts;
        if (received >= 1)
            rtts.append(best);
        if (received >= 2)
            rtts.append(worst);
        if (received == 3)
            rtts.append(3 * hop.value(u"avg"_s).toDouble() - best - worst);
        samples->add(int(hop.value(u"ttl"_s).toInteger()), rtts);
    }
}

// The hops of traceroute -n's output (the address of each line's first answer, "*" when none). With
// samples, each hop's RTTs are added there; with missing, the probes without an answer.
QStringList tracerouteHops(const QString &output, Samples *samples = nullptr, int *missing = nullptr)
{
    QStringList hops;
    for (const NetLab::TracerouteHop &hop : NetLab::parseTraceroute(output)) {
        hops.append(hop.address);
        if (samples)
            samples->add(hop.ttl, hop.rttsMs);
        if (missing)
            *missing += hop.missing;
    }
    return hops;
}

struct MtrHop
{
    QString host; // "???" when no answer came
    double avgMs = 0;
    double bestMs = 0;
};

// mtr -j: the report (-r) as JSON, RTTs to the microsecond where the text report gives 0.1 ms.
QList<MtrHop> mtrHops(const QString &json)
{
    QList<MtrHop> hops;
    const QJsonArray hubs = QJsonDocument::fromJson(json.toUtf8())[u"report"_s][u"hubs"_s].toArray();
    for (const QJsonValue &hub : hubs) {
        hops.append(MtrHop{hub[u"host"_s].toString(), hub[u"Avg"_s].toDouble(), hub[u"Best"_s].toDouble()});
    }
    return hops;
}

struct ToolRun
{
    bool succeeded = false;
    QString out;
    QString err;
    double wallMs = 0; // from start() to its end, starting the program included
};

// Runs a program to completion (bounded) from this thread, so in the namespace this thread is in.
ToolRun runTool(const QString &program, const QStringList &arguments, int timeoutMs = TOOL_WAIT_MS)
{
    ToolRun run;
    QProcess process;
    QElapsedTimer clock;
    clock.start();
    process.start(program, arguments);
    const bool finished = process.waitForFinished(timeoutMs);
    run.wallMs = double(clock.nsecsElapsed()) / 1e6;
    if (!finished) {
        process.kill();
        process.waitForFinished(2000);
    }
    run.succeeded = finished && process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0;
    run.out = QString::fromLocal8Bit(process.readAllStandardOutput());
    run.err = QString::fromLocal8Bit(process.readAllStandardError()).trimmed();
    if (!finished)
        run.err = u"%1 did not finish within %2 ms. %3"_s.arg(program).arg(timeoutMs).arg(run.err);
    return run;
}

// When one tool was sending, by CLOCK_REALTIME as the delay program's truth file stamps arrivals.
struct Window
{
    QString tool;
    qint64 startNs = 0;
    qint64 endNs = 0;
};

// From a delay program's truth file: how late (after arrival + delay) each packet that arrived in
// one of the windows was passed on, in us, by tool.
QHash<QString, QList<double>> latenessByTool(const QString &truthFile, const QList<Window> &windows)
{
    QHash<QString, QList<double>> result;
    for (const NetLab::TruthRecord &record : NetLab::readTruthFile(truthFile)) {
        if (!record.contains(u"arrival_ns"_s) || !record.contains(u"late_ns"_s))
            continue;
        const qint64 arrivalNs = record.value(u"arrival_ns"_s).toLongLong();
        for (const Window &window : windows) {
            if (arrivalNs >= window.startNs && arrivalNs < window.endNs)
                result[window.tool].append(record.value(u"late_ns"_s).toDouble() / 1000);
        }
    }
    return result;
}

// ICMP errors the lab's routers and server did not send because of a rate limit, since they were made.
qint64 icmpRateLimited(const Lab &lab, const RouterChain &chain)
{
    qint64 total = 0;
    for (const QString &node : chain.routers + QStringList{chain.server}) {
        const CommandResult result
            = lab.run(node, u"nstat"_s, {u"-asz"_s, u"IcmpOutRateLimitGlobal"_s, u"IcmpOutRateLimitHost"_s});
        static const QRegularExpression counter(u"^\\w+\\s+(\\d+)"_s, QRegularExpression::MultilineOption);
        auto matches = counter.globalMatch(result.out);
        while (matches.hasNext())
            total += matches.next().captured(1).toLongLong();
    }
    return total;
}

QString commandLine(const QString &program, const QStringList &arguments)
{
    return QStringList(QStringList{program} + arguments).join(u' ');
}

// The delay program's "summary packets=N ... late_p99_ns=N ..." as numbers by name.
QHash<QString, double> summaryFigures(const QString &summary)
{
    static const QRegularExpression field(u"(\\w+)=(\\d+)"_s);
    QHash<QString, double> figures;
    auto matches = field.globalMatch(summary);
    while (matches.hasNext()) {
        const QRegularExpressionMatch match = matches.next();
        figures.insert(match.captured(1), match.captured(2).toDouble());
    }
    return figures;
}

struct Mode
{
    QString name; // as the probe's protocol parameter
    QStringList tracerouteArguments;
};

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    installStopHandler();
    QLoggingCategory::setFilterRules(u"streamswarm.agent.info=false"_s); // the scheduler's line per test
    QString error;
    if (!Lab::available(&error))
        return fail(error);
    const QStringList searchPath{u"/usr/sbin"_s, u"/usr/bin"_s, u"/sbin"_s, u"/bin"_s};
    const QString traceroute = QStandardPaths::findExecutable(u"traceroute"_s, searchPath);
    if (traceroute.isEmpty())
        return fail(u"traceroute is not installed: run scripts/deps bench."_s);
    const QString mtr = QStandardPaths::findExecutable(u"mtr"_s, searchPath);
    const QString trueProgram = QStandardPaths::findExecutable(u"true"_s, searchPath);

    Lab lab;
    const auto chain = lab.routerChain(ROUTERS, &error);
    if (!chain)
        return fail(error);
    // Every probe and tool runs on this thread inside the client namespace (InNamespace), so every
    // socket, also one a probe makes from a timer, and every child process starts there. The chain's
    // addresses exist only inside the lab: outside, they would follow the host's default route.
    const QString client = lab.namespaceName(chain->client);
    const QString target = chain->serverAddress().toString();
    QStringList truthPath;
    for (const QHostAddress &hop : chain->hops())
        truthPath.append(hop.toString());
    const int hopCount = int(truthPath.size());
    QList<double> truthMs(hopCount, 0.0);
    for (int ttl = 1; ttl <= hopCount; ++ttl) {
        for (const RouterDelay &delay : DELAYS) {
            if (delay.router <= ttl - 2)
                truthMs[ttl - 1] += delay.delayMs;
        }
    }
    printText(u"path_truth"_s, truthPath.join(u','));

    // 1. Per-hop RTTs against the programmed delays: ours (ICMP), traceroute -I, mtr (ICMP too).
    QTemporaryDir dir;
    if (!dir.isValid())
        return fail(u"Cannot make a temporary directory: "_s + dir.errorString());
    QList<QProcess *> elements;
    QStringList truthFiles;
    for (const RouterDelay &routerDelay : DELAYS) {
        ForwardDelay delay;
        delay.delayMs = routerDelay.delayMs;
        delay.inInterface = chain->clientSideInterface(routerDelay.router);
        delay.truthFile = dir.filePath(chain->routers.at(routerDelay.router) + u".txt"_s);
        truthFiles.append(delay.truthFile);
        QProcess *element = lab.delayForwarded(chain->routers.at(routerDelay.router), delay, &error);
        if (!element)
            return fail(error);
        elements.append(element);
    }
    if (!lab.settle(&error))
        return fail(error);
    Samples ours;
    Samples theirs;
    QList<MtrHop> mtrPath;
    QString mtrSkipped;
    QList<Window> windows;
    const QStringList accuracyArguments{u"-n"_s, u"-I"_s, u"-q"_s, u"3"_s, target};
    const QStringList mtrArguments{u"-n"_s, u"-j"_s, u"-c"_s, QString::number(MTR_CYCLES), u"-i"_s, u"0.2"_s, u"-G"_s,
        u"1"_s, target}; // -i below 1 s is for root only; it keeps the run at about 5 s
    {
        InNamespace inside(client);
        if (!inside.entered())
            return fail(u"Cannot enter the namespace %1."_s.arg(client));
        for (int pass = 0; pass < ACCURACY_PASSES; ++pass) {
            windows.append(Window{u"ours"_s, realtimeNs()});
            for (int i = 0; i < ACCURACY_ROUNDS; ++i) {
                // A new probe each round (with max-hops at the path's length, its one wave is the same
                // 15 probes as a running probe's), so that its figures are this round's alone.
                const auto probe = makeTracerouteProbe(traceSpec(1, target, u"icmp"_s, hopCount), &error);
                if (!probe)
                    return fail(error);
                const auto round = runRound(*probe);
                if (s_stopRequested)
                    return fail(u"stopped by a signal"_s);
                if (!round || !round->error.isEmpty())
                    return fail(u"Our round did not finish: "_s + (round ? round->error : QString()));
                addRound(*round, &ours);
            }
            windows.last().endNs = realtimeNs();
            windows.append(Window{u"traceroute"_s, realtimeNs()});
            for (int i = 0; i < ACCURACY_RUNS && !s_stopRequested; ++i) {
                const ToolRun run = runTool(traceroute, accuracyArguments);
                if (!run.succeeded)
                    return fail(commandLine(traceroute, accuracyArguments) + u" failed: "_s + run.err);
                tracerouteHops(run.out, &theirs);
            }
            windows.last().endNs = realtimeNs();
        }
        if (mtr.isEmpty()) {
            mtrSkipped = u"skipped (mtr is not installed: apt-get install mtr-tiny)"_s;
        } else if (!s_stopRequested) {
            windows.append(Window{u"mtr"_s, realtimeNs()});
            const ToolRun run = runTool(mtr, mtrArguments);
            windows.last().endNs = realtimeNs();
            mtrPath = mtrHops(run.out);
            if (!run.succeeded || mtrPath.isEmpty())
                mtrSkipped = u"skipped (%1 failed: %2)"_s.arg(commandLine(mtr, mtrArguments), run.err);
        }
    }
    if (s_stopRequested)
        return fail(u"stopped by a signal"_s);
    for (int i = 0; i < elements.size(); ++i) {
        QProcess *element = elements.at(i);
        if (!lab.removeDelay(element, &error))
            return fail(error);
        const QHash<QString, double> figures
            = summaryFigures(QString::fromUtf8(element->readAllStandardOutput()).section(u"summary"_s, -1));
        const QString key = u"delay_%1_"_s.arg(chain->routers.at(DELAYS[i].router));
        print(key + u"ms"_s, DELAYS[i].delayMs);
        print(key + u"packets"_s, figures.value(u"packets"_s, -1));
        print(key + u"late_median_us"_s, figures.value(u"late_median_ns"_s, -1000) / 1000);
        print(key + u"late_p99_us"_s, figures.value(u"late_p99_ns"_s, -1000) / 1000);
        // Part of every RTT behind this router, so part of each tool's excess: by tool, it differs with
        // how closely the tool sends its probes (the element passes a burst on one packet at a time).
        const QHash<QString, QList<double>> lateness = latenessByTool(truthFiles.at(i), windows);
        for (const QString &tool : {u"ours"_s, u"traceroute"_s, u"mtr"_s}) {
            if (lateness.contains(tool))
                print(key + u"late_"_s + tool + u"_avg_us"_s, mean(lateness.value(tool)));
        }
    }
    if (!mtrSkipped.isEmpty())
        printText(u"mtr"_s, mtrSkipped);
    int oursBelow = 0;
    int theirsBelow = 0;
    int mtrBestBelow = 0;
    QList<double> oursMinusTheirs;
    for (int ttl = 1; ttl <= hopCount; ++ttl) {
        const QString key = u"hop%1_"_s.arg(ttl);
        const double truth = truthMs.at(ttl - 1);
        const QList<double> oursHop = ours.rttsMs.value(ttl - 1);
        const QList<double> theirHop = theirs.rttsMs.value(ttl - 1);
        oursBelow += int(std::count_if(oursHop.cbegin(), oursHop.cend(), [truth](double ms) { return ms < truth; }));
        theirsBelow
            += int(std::count_if(theirHop.cbegin(), theirHop.cend(), [truth](double ms) { return ms < truth; }));
        print(key + u"truth_ms"_s, truth);
        print(key + u"ours_median_ms"_s, median(oursHop));
        print(key + u"ours_avg_ms"_s, mean(oursHop));
        print(key + u"traceroute_median_ms"_s, median(theirHop));
        print(key + u"traceroute_avg_ms"_s, mean(theirHop));
        print(key + u"ours_excess_us"_s, (median(oursHop) - truth) * 1000);
        print(key + u"traceroute_excess_us"_s, (median(theirHop) - truth) * 1000);
        print(key + u"ours_avg_excess_us"_s, (mean(oursHop) - truth) * 1000);
        print(key + u"traceroute_avg_excess_us"_s, (mean(theirHop) - truth) * 1000);
        oursMinusTheirs.append((median(oursHop) - median(theirHop)) * 1000);
        if (mtrSkipped.isEmpty()) {
            const MtrHop hop = mtrPath.value(ttl - 1);
            mtrBestBelow += hop.bestMs < truth ? 1 : 0;
            print(key + u"mtr_avg_ms"_s, hop.avgMs); // mtr reports no median
            print(key + u"mtr_avg_excess_us"_s, (hop.avgMs - truth) * 1000);
        }
    }
    print(u"accuracy_ours_samples"_s, ours.count());
    print(u"accuracy_traceroute_samples"_s, theirs.count());
    print(u"accuracy_ours_below_truth"_s, oursBelow);
    print(u"accuracy_traceroute_below_truth"_s, theirsBelow);
    if (mtrSkipped.isEmpty()) {
        print(u"accuracy_mtr_sent_per_hop"_s, MTR_CYCLES);
        print(u"accuracy_mtr_hops_best_below_truth"_s, mtrBestBelow);
    }
    print(u"accuracy_ours_minus_traceroute_median_us"_s, median(oursMinusTheirs)); // over the hops

    // 2 and 3. Time to trace the chain without delays, and the hops each lists: ours, a running probe
    // with the defaults (30 hops, 3 probes a hop, 1 s wait per wave), against traceroute's defaults
    // (3 probes a hop, 16 at once), whose wall time includes starting it.
    const QList<Mode> modes{{u"icmp"_s, {u"-n"_s, u"-I"_s}}, {u"udp"_s, {u"-n"_s}}, {u"tcp"_s, {u"-n"_s, u"-T"_s}}};
    double ratioIcmp = std::nan("");
    double tracerouteCpuPerRun = std::nan("");
    QStringList oursIcmpPath;
    {
        InNamespace inside(client);
        if (!inside.entered())
            return fail(u"Cannot enter the namespace %1."_s.arg(client));
        QList<double> startMs;
        for (int i = 0; i < TIMING_RUNS && !trueProgram.isEmpty(); ++i)
            startMs.append(runTool(trueProgram, {}).wallMs);
        print(u"time_process_start_ms"_s, median(startMs)); // what starting any program costs here
        for (const Mode &mode : modes) {
            auto probe = makeTracerouteProbe(traceSpec(2, target, mode.name), &error);
            if (!probe)
                return fail(error);
            double firstMs = 0;
            QList<double> oursMs;
            qint64 oursMissing = 0;
            double oursCpu = 0;
            for (int i = 0; i <= TIMING_ROUNDS; ++i) {
                QElapsedTimer paceClock;
                paceClock.start();
                qint64 roundNs = 0;
                const double cpuBefore = cpuMs(RUSAGE_SELF);
                const auto round = runRound(*probe, {}, &roundNs); // a stop signal is looked at after it
                const double ms = double(roundNs) / 1e6;
                oursCpu += cpuMs(RUSAGE_SELF) - cpuBefore;
                if (s_stopRequested)
                    return fail(u"stopped by a signal"_s);
                if (!round || !reached(*round)) {
                    return fail(u"Our %1 round did not reach %2: %3"_s.arg(mode.name, target,
                        round ? round->error
                                + QCborValue(StreamSwarm::Protocol::encodeDetail(round->detail)).toDiagnosticNotation()
                              : QString()));
                }
                if (i == 0)
                    firstMs = ms;
                else
                    oursMs.append(ms);
                oursMissing = missingAnswers(*round);
                pace(paceClock);
            }
            oursCpu /= TIMING_ROUNDS + 1;
            const QStringList oursPath = probe->lastPath();
            if (mode.name == u"icmp")
                oursIcmpPath = oursPath;
            probe.reset(); // its socket would take a copy of each of traceroute's ICMP answers too

            const QStringList arguments = mode.tracerouteArguments + QStringList{target};
            QList<double> theirMs;
            int theirMissing = 0;
            bool agree = true;
            const double childrenBefore = cpuMs(RUSAGE_CHILDREN);
            for (int i = 0; i < TIMING_RUNS && !s_stopRequested; ++i) {
                QElapsedTimer paceClock;
                paceClock.start();
                const ToolRun run = runTool(traceroute, arguments);
                if (!run.succeeded)
                    return fail(commandLine(traceroute, arguments) + u" failed: "_s + run.err);
                theirMs.append(run.wallMs);
                const QStringList theirPath = tracerouteHops(run.out, nullptr, &theirMissing);
                agree = agree && theirPath == oursPath;
                pace(paceClock);
            }
            const double theirCpu
                = (cpuMs(RUSAGE_CHILDREN) - childrenBefore) / double(std::max<qsizetype>(1, theirMs.size()));
            if (mode.name == u"icmp")
                tracerouteCpuPerRun = theirCpu;
            const QString key = u"time_%1_"_s.arg(mode.name);
            print(key + u"ours_first_round_ms"_s, firstMs);
            print(key + u"ours_median_ms"_s, median(oursMs));
            print(key + u"traceroute_median_ms"_s, median(theirMs));
            print(key + u"ours_answers_missing"_s, double(oursMissing)); // over all its rounds
            print(key + u"traceroute_answers_missing"_s, theirMissing);
            print(u"cpu_%1_ours_ms_per_round"_s.arg(mode.name), oursCpu);
            print(u"cpu_%1_traceroute_ms_per_run"_s.arg(mode.name), theirCpu);
            print(u"agree_%1_truth"_s.arg(mode.name), oursPath == truthPath ? 1 : 0);
            print(u"agree_%1_traceroute"_s.arg(mode.name), agree ? 1 : 0);
            if (!agree || oursPath != truthPath)
                printText(u"path_%1_ours"_s.arg(mode.name), oursPath.join(u','));
            const double ratio = median(oursMs) / median(theirMs);
            print(u"ratio_time_%1"_s.arg(mode.name), ratio); // ours / traceroute's, lower is better
            if (mode.name == u"icmp")
                ratioIcmp = ratio;
        }
    }
    if (s_stopRequested)
        return fail(u"stopped by a signal"_s);
    if (mtrSkipped.isEmpty()) {
        QStringList mtrHosts;
        for (const MtrHop &hop : std::as_const(mtrPath))
            mtrHosts.append(hop.host);
        print(u"agree_icmp_mtr"_s, mtrHosts == oursIcmpPath ? 1 : 0); // mtr's run had the delays on
        if (mtrHosts != oursIcmpPath)
            printText(u"path_mtr"_s, mtrHosts.join(u','));
    }
    const qint64 rateLimitedBefore = icmpRateLimited(lab, *chain);
    print(u"lab_icmp_errors_rate_limited"_s, double(rateLimitedBefore)); // in parts 1 to 3

    // 4. An agent's load: the scheduler running LOAD_TESTS ICMP traceroute tests at 5 s over the chain,
    // measured over whole intervals that end just before the next rounds are due.
    const int loadSeconds = qEnvironmentVariableIntValue("BENCH_SECONDS") > 0
        ? qEnvironmentVariableIntValue("BENCH_SECONDS")
        : LOAD_SECONDS;
    const int loadIntervals = std::max(1, (loadSeconds * 1000 + LOAD_INTERVAL_MS / 2) / LOAD_INTERVAL_MS);
    int loadRounds = 0;
    int loadUnreached = 0;
    QHash<qint64, qint64> loadMissing; // by test: its probes without an answer so far
    double loadCpuMs = 0;
    double loadWallMs = 0;
    {
        InNamespace inside(client);
        if (!inside.entered())
            return fail(u"Cannot enter the namespace %1."_s.arg(client));
        Agent::Scheduler scheduler;
        QObject::connect(&scheduler, &Agent::Scheduler::roundFinished, &scheduler, [&](const Protocol::Round &round) {
            ++loadRounds;
            loadUnreached += reached(round) ? 0 : 1;
            loadMissing.insert(round.testId, missingAnswers(round));
        });
        QList<Protocol::TestSpec> tests;
        for (int i = 1; i <= LOAD_TESTS; ++i)
            tests.append(traceSpec(100 + i, target, u"icmp"_s));
        const double cpuBefore = cpuMs(RUSAGE_SELF);
        QElapsedTimer wall;
        wall.start();
        scheduler.apply(tests); // all start at once, as when the console assigns them
        QEventLoop loop;
        runLoop(loop, loadIntervals * LOAD_INTERVAL_MS - 100, 1000);
        loadCpuMs = cpuMs(RUSAGE_SELF) - cpuBefore;
        loadWallMs = double(wall.elapsed());
        scheduler.stopAll();
    }
    if (s_stopRequested)
        return fail(u"stopped by a signal"_s);
    print(u"load_tests"_s, LOAD_TESTS);
    print(u"load_interval_s"_s, LOAD_INTERVAL_MS / 1000.0);
    print(u"load_seconds"_s, loadWallMs / 1000);
    print(u"load_rounds"_s, loadRounds);
    print(u"load_rounds_unreached"_s, loadUnreached);
    print(u"load_answers_missing"_s,
        double(std::accumulate(loadMissing.cbegin(), loadMissing.cend(), qint64(0)))); // of 15 a round
    print(u"lab_icmp_errors_rate_limited_in_load"_s, double(icmpRateLimited(lab, *chain) - rateLimitedBefore));
    print(u"load_cpu_pct_of_one_core"_s, 100 * loadCpuMs / loadWallMs);
    const double loadCpuPerRound = loadCpuMs / std::max(1, loadRounds);
    print(u"load_cpu_ms_per_round"_s, loadCpuPerRound);
    print(u"ratio_cpu_per_trace"_s, loadCpuPerRound / tracerouteCpuPerRun); // ours / traceroute -n -I's
    print(u"ratio"_s, ratioIcmp); // ICMP time to trace the chain: ours / traceroute -n -I's, lower is better
    return 0;
}
