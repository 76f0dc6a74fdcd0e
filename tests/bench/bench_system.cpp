// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
//
// The CPU one full system collection costs (read /proc and /sys, work out every figure), beside what
// node_exporter spends on one scrape of its default collectors, measured in the same run. Prints
// key=value lines, then ratio= (ours / node_exporter's, per collection).
#include <ctime>

#include <QCoreApplication>
#include <QEventLoop>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QStandardPaths>
#include <QTcpServer>
#include <QThread>

#include "agent/platform/linux/system/linuxsystemreader.h"
#include "agent/probes/system/systemfigures.h"
#include "tests/bench/benchfigures.h"
#include "tests/support/processharness.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm;
using namespace StreamSwarm::Bench;

namespace {

constexpr int COLLECTIONS = 500;
constexpr int SCRAPES = 100;

double threadCpuSeconds()
{
    timespec now{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return double(now.tv_sec) + double(now.tv_nsec) / 1e9;
}

// Scrapes node_exporter SCRAPES times, one after the other; the CPU it spent per scrape, in ms, or -1.
double nodeExporterMsPerScrape(qsizetype *bytes)
{
    const QString exporter = QStandardPaths::findExecutable(u"prometheus-node-exporter"_s);
    if (exporter.isEmpty())
        return -1;
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    const quint16 port = probe.serverPort();
    probe.close();
    Test::ManagedProcess nodeExporter(exporter, {u"--web.listen-address=127.0.0.1:%1"_s.arg(port)});
    if (!nodeExporter.start())
        return -1;
    QNetworkAccessManager network;
    const QUrl url(u"http://127.0.0.1:%1/metrics"_s.arg(port));
    const auto scrape = [&]() -> qsizetype {
        QNetworkReply *reply = network.get(QNetworkRequest(url));
        QEventLoop loop;
        QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
        loop.exec();
        const qsizetype size = reply->error() == QNetworkReply::NoError ? reply->readAll().size() : -1;
        reply->deleteLater();
        return size;
    };
    // Until it listens, then a few scrapes to warm it up as Prometheus would have.
    for (int i = 0; i < 50 && scrape() < 0; ++i)
        QThread::msleep(100);
    for (int i = 0; i < 5; ++i)
        *bytes = scrape();
    const double before = processCpuSeconds(nodeExporter.pid());
    for (int i = 0; i < SCRAPES; ++i)
        *bytes = scrape();
    const double after = processCpuSeconds(nodeExporter.pid());
    return *bytes > 0 ? 1000.0 * (after - before) / SCRAPES : -1;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    Agent::LinuxSystemReader reader;
    Validation::SystemParams params;
    Agent::SystemSnapshot previous = reader.read();
    qsizetype values = 0;
    QList<double> perCollectionMs;
    perCollectionMs.reserve(COLLECTIONS);
    const double start = threadCpuSeconds();
    for (int i = 0; i < COLLECTIONS; ++i) {
        const double before = threadCpuSeconds();
        Agent::SystemSnapshot now = reader.read();
        values = Agent::systemFigures(&previous, now, params).size();
        previous = std::move(now);
        perCollectionMs.append(1000.0 * (threadCpuSeconds() - before));
    }
    const double oursMs = 1000.0 * (threadCpuSeconds() - start) / COLLECTIONS;
    print("collections", COLLECTIONS);
    print("values_per_collection", double(values));
    print("cpu_ms_per_collection", oursMs);
    print("cpu_ms_per_collection_median", median(perCollectionMs));
    print("under_2ms", oursMs < 2.0 ? 1 : 0);
    qsizetype bytes = 0;
    const double theirsMs = nodeExporterMsPerScrape(&bytes);
    if (theirsMs < 0) {
        std::printf("node_exporter=not installed (apt-get install prometheus-node-exporter)\n");
        return 0;
    }
    print("node_exporter_scrapes", SCRAPES);
    print("node_exporter_scrape_bytes", double(bytes));
    print("node_exporter_cpu_ms_per_scrape", theirsMs);
    print("ratio", oursMs / theirsMs);
    return 0;
}
