// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
//
// The agent's footprint while it runs 20 ping tests and the system test at 1 Hz, beside node_exporter
// measured in the same run: RSS, private memory (RssAnon) and CPU share. Prints key=value lines, then ratio=.
#include <cstdio>

#include <QCoreApplication>
#include <QFile>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTimer>

#include <unistd.h>

#include "tests/support/processharness.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm::Test;

namespace {

struct Footprint
{
    qint64 rssKb = 0;
    qint64 anonKb = 0;
    double cpuSeconds = 0;
};

Footprint readFootprint(qint64 pid)
{
    Footprint result;
    QFile status(u"/proc/%1/status"_s.arg(pid));
    if (status.open(QIODevice::ReadOnly)) {
        for (const QByteArray &line : status.readAll().split('\n')) {
            if (line.startsWith("VmRSS:"))
                result.rssKb = line.mid(6).trimmed().split(' ').first().toLongLong();
            else if (line.startsWith("RssAnon:"))
                result.anonKb = line.mid(8).trimmed().split(' ').first().toLongLong();
        }
    }
    QFile stat(u"/proc/%1/stat"_s.arg(pid));
    if (stat.open(QIODevice::ReadOnly)) {
        const QByteArray text = stat.readAll();
        const QList<QByteArray> fields = text.mid(text.lastIndexOf(')') + 2).split(' ');
        const double ticks = double(::sysconf(_SC_CLK_TCK));
        result.cpuSeconds = (fields.value(11).toDouble() + fields.value(12).toDouble()) / ticks; // utime + stime
    }
    return result;
}

void print(const char *key, double value, const char *unit = "")
{
    std::printf("%s=%.3f%s\n", key, value, unit);
}

int fail(const QString &why)
{
    std::fprintf(stderr, "bench_agent_footprint: %s\n", qPrintable(why));
    return 1;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int tests = 20;
    const int measureSeconds
        = qEnvironmentVariableIntValue("BENCH_SECONDS") > 0 ? qEnvironmentVariableIntValue("BENCH_SECONDS") : 30;
    QTemporaryDir dir;
    ConsoleHarness console(dir.filePath(u"console"_s), true); // wss://, as deployed
    if (!console.start())
        return fail(u"the console did not start: "_s + console.process().output());
    const CommandResult token = console.cli({u"token"_s, u"create"_s, u"bench"_s});
    ManagedProcess agent(agentBinary(),
        {u"--server"_s, console.serverUrl(), u"--token"_s, token.out.trimmed(), u"--name"_s, u"bench"_s,
            u"--state-dir"_s, dir.filePath(u"agent"_s), u"--insecure"_s});
    if (!agent.start() || !agent.waitForOutput(u"online as bench"_s, 10000))
        return fail(u"the agent did not come online: "_s + agent.output());
    for (int i = 1; i <= tests; ++i) {
        const CommandResult add = console.cli({u"test"_s, u"add"_s, u"--name"_s, u"p%1"_s.arg(i), u"--type"_s,
            u"ping"_s, u"--target"_s, u"127.0.0.%1"_s.arg(i), u"--continuous"_s, u"--agents"_s, u"bench"_s});
        if (add.exitCode != 0)
            return fail(add.err);
    }
    // The host's own figures at 1 Hz too, as the performance budget asks (BENCH_NO_SYSTEM leaves them out).
    if (!qEnvironmentVariableIsSet("BENCH_NO_SYSTEM")) {
        const CommandResult add = console.cli({u"test"_s, u"add"_s, u"--name"_s, u"host"_s, u"--type"_s, u"system"_s,
            u"--interval"_s, u"1s"_s, u"--continuous"_s, u"--agents"_s, u"bench"_s});
        if (add.exitCode != 0)
            return fail(add.err);
    }

    // node_exporter, the anchor of the performance budget, as it runs in real life: default
    // collectors, scraped every 5 s (Prometheus' default is 15 s) on a loopback port.
    const QString exporter = QStandardPaths::findExecutable(u"prometheus-node-exporter"_s);
    std::unique_ptr<ManagedProcess> nodeExporter;
    quint16 exporterPort = 0;
    if (!exporter.isEmpty()) {
        QTcpServer probe;
        probe.listen(QHostAddress::LocalHost, 0);
        exporterPort = probe.serverPort();
        probe.close();
        nodeExporter = std::make_unique<ManagedProcess>(
            exporter, QStringList{u"--web.listen-address=127.0.0.1:%1"_s.arg(exporterPort)});
        nodeExporter->start();
    }
    QNetworkAccessManager network;
    QTimer scrape;
    QObject::connect(&scrape, &QTimer::timeout, &network, [&] {
        if (!exporterPort)
            return;
        QNetworkReply *reply = network.get(QNetworkRequest(QUrl(u"http://127.0.0.1:%1/metrics"_s.arg(exporterPort))));
        QObject::connect(reply, &QNetworkReply::finished, reply, &QObject::deleteLater);
    });
    scrape.start(5000);

    const auto runFor = [&app](int seconds) {
        QTimer::singleShot(seconds * 1000, &app, &QCoreApplication::quit);
        app.exec();
    };
    runFor(5); // settle: every test has started and sent a few batches
    const Footprint agentStart = readFootprint(agent.pid());
    runFor(measureSeconds);
    const Footprint agentEnd = readFootprint(agent.pid());

    print("ping_tests", tests);
    print("system_test", qEnvironmentVariableIsSet("BENCH_NO_SYSTEM") ? 0 : 1);
    print("seconds", measureSeconds);
    print("agent_rss_kb", double(agentEnd.rssKb));
    print("agent_rss_anon_kb", double(agentEnd.anonKb));
    print("agent_rss_anon_growth_kb", double(agentEnd.anonKb - agentStart.anonKb));
    print("agent_cpu_pct_of_one_core", 100.0 * (agentEnd.cpuSeconds - agentStart.cpuSeconds) / measureSeconds);
    if (nodeExporter && nodeExporter->isRunning()) {
        const Footprint baseline = readFootprint(nodeExporter->pid());
        print("node_exporter_rss_kb", double(baseline.rssKb));
        print("node_exporter_rss_anon_kb", double(baseline.anonKb));
        print("ratio_rss", double(agentEnd.rssKb) / double(baseline.rssKb));
        print("ratio", double(agentEnd.anonKb) / double(baseline.anonKb)); // private memory: ours / node_exporter
    } else {
        std::printf("node_exporter=not installed (apt-get install prometheus-node-exporter)\n");
    }
    agent.terminate(); // as a service manager stops it, so a wrapper (heaptrack, perf) can write its data
    agent.waitForExit(10000);
    return 0;
}
