// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
//
// How fast the console's chart draws long series, beside a bare QCustomPlot with the same points
// measured in the same run, and how long 30 days of 1 s data take to read for the chart. Prints
// key=value lines and ratio= lines (ours / the baseline).
//   replot_1m_ms, replot_10m_ms: LiveChart with one series of 1 M / 10 M points, median replot
//   bare_1m_ms, bare_10m_ms: a bare QCustomPlot with one graph of the same points
//   replot_band_1m_ms: LiveChart with line, min-max band and loss (in 1 % of rounds) over 1 M rounds
//   replot_smoke_1m_ms: the same with the smoke (spread band, the line coloured by loss), as ping draws
//   month_bucketed_ms: 30 days of 1 s data (2,592,000 samples) read as the chart reads them (4,000
//   buckets); month_raw_ms: the same read round by round, as before buckets
#include <cmath>

#include <QApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QTemporaryDir>

#include "console/app/operations.h"
#include "console/storage/agentrepository.h"
#include "console/storage/database.h"
#include "console/storage/samplerepository.h"
#include "console/storage/storageservice.h"
#include "console/storage/testrepository.h"
#include "console/ui/charts/livechart.h"
#include "console/ui/charts/plotinclude.h"
#include "shared/testtypes/ping.h"
#include "tests/bench/benchfigures.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm;
using namespace StreamSwarm::Bench;
using namespace StreamSwarm::Console;

namespace {

constexpr int REPLOTS = 15;
constexpr QSize PLOT_SIZE{1200, 500};
constexpr qint64 MONTH_SECONDS = 30LL * 24 * 3600;

// A latency-like random walk, one point a second ending now.
Series walk(qsizetype count, double offset)
{
    Series series;
    series.times.reserve(count);
    series.values.reserve(count);
    const double last = double(QDateTime::currentSecsSinceEpoch());
    QRandomGenerator random(7);
    double value = 10;
    for (qsizetype i = 0; i < count; ++i) {
        value = std::clamp(value + random.bounded(1.0) - 0.5, 1.0, 80.0);
        series.times.append(last - double(count - i));
        series.values.append(value + offset);
    }
    return series;
}

// Loss as rounds show it: none in most, some in one of every `every`.
Series lossEvery(const Series &rounds, int every)
{
    Series loss;
    for (qsizetype i = 0; i < rounds.times.size(); i += every) {
        loss.times.append(rounds.times.at(i));
        loss.values.append(20);
    }
    return loss;
}

double medianReplotMs(QCustomPlot *plot)
{
    plot->replot(QCustomPlot::rpImmediateRefresh); // the first one lays out axes and fonts
    QList<double> times;
    for (int i = 0; i < REPLOTS; ++i) {
        QElapsedTimer timer;
        timer.start();
        plot->replot(QCustomPlot::rpImmediateRefresh);
        times.append(double(timer.nsecsElapsed()) / 1e6);
    }
    return median(times);
}

double bareReplotMs(const Series &series)
{
    QCustomPlot plot;
    plot.resize(PLOT_SIZE);
    plot.show();
    QCPGraph *graph = plot.addGraph();
    QVector<QCPGraphData> data;
    data.reserve(series.times.size());
    for (qsizetype i = 0; i < series.times.size(); ++i)
        data.append(QCPGraphData(series.times.at(i), series.values.at(i)));
    graph->data()->set(data, true);
    plot.xAxis->setRange(series.times.constFirst(), series.times.constLast());
    plot.yAxis->setRange(0, 100);
    return medianReplotMs(&plot);
}

double chartReplotMs(
    const Series &line, const Series &min, const Series &max, const Series &loss, const Series &spread = {})
{
    LiveChart chart;
    chart.resize(PLOT_SIZE);
    chart.show();
    chart.setSeriesNames(
        u"Median RTT"_s, u"Min–max RTT"_s, u"Packet loss"_s, spread.times.isEmpty() ? QString() : u"Typical spread"_s);
    chart.setExpectedInterval(1);
    chart.setVisibleSpan(line.times.constLast() - line.times.constFirst());
    chart.setSeries(line, min, max, loss, spread);
    return medianReplotMs(chart.plot());
}

// 30 days of one metric every second for one agent's test, written as the console writes results.
bool writeMonth(const QString &path, qint64 *agentId, qint64 *testId, QString *error)
{
    Database db;
    if (!db.open(DatabaseUrl::sqliteFile(path), u"bench_month"_s, error))
        return false;
    AgentRepository agents(db);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (!db.beginWrite(error)
        || !agents.enroll({u"edge"_s, u"edge"_s, u"Debian"_s, u"0"_s, {u"ping"_s}}, 0, now, agentId, error)
        || !db.commit(error))
        return false;
    TestRepository tests(db);
    TestRecord ping;
    ping.name = u"month"_s;
    ping.type = u"ping"_s;
    ping.target = u"192.0.2.1"_s;
    ping.intervalMs = 1000;
    ping.agentNames = {u"edge"_s};
    ping.createdAtMs = now - MONTH_SECONDS * 1000;
    const auto id = tests.add(ping, error);
    if (!id)
        return false;
    *testId = *id;
    SampleRepository samples(db);
    const Series values = walk(MONTH_SECONDS, 0);
    constexpr qsizetype BATCH = 86400;
    for (qsizetype first = 0; first < values.times.size(); first += BATCH) {
        Protocol::Results batch;
        batch.seq = first / BATCH + 1;
        for (qsizetype i = first; i < std::min(first + BATCH, values.times.size()); ++i) {
            Protocol::Round round;
            round.testId = *testId;
            round.timeMs = qint64(values.times.at(i) * 1000);
            round.values = {{QString::fromUtf16(Metric::PingRttAvg), values.values.at(i)}};
            batch.rounds.append(round);
        }
        if (!samples.storeResults(*agentId, batch, {}, now, error))
            return false;
    }
    return true;
}

double readMonthMs(const QString &path, qint64 agentId, qint64 testId, qint64 bucketMs, qsizetype *points)
{
    Database db;
    QString error;
    if (!db.open(DatabaseUrl::sqliteFile(path), u"bench_read_%1"_s.arg(bucketMs), &error))
        return -1;
    Repositories repositories(db);
    Operations operations(repositories, {});
    ChartHistoryRequest request;
    request.agentId = agentId;
    request.testId = testId;
    request.metrics = {QString::fromUtf16(Metric::PingRttAvg)};
    request.fromMs = QDateTime::currentMSecsSinceEpoch() - MONTH_SECONDS * 1000;
    request.bucketMs = bucketMs;
    QList<double> times;
    for (int i = 0; i < 3; ++i) {
        QElapsedTimer timer;
        timer.start();
        const Result<ChartHistory> history = operations.chartHistory(request);
        times.append(double(timer.nsecsElapsed()) / 1e6);
        if (!history)
            return -1;
        *points = history->series.constFirst().times.size();
    }
    return median(times);
}

} // namespace

int main(int argc, char **argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);

    const Series million = walk(1000000, 0);
    print("bare_1m_ms", bareReplotMs(million));
    print("replot_1m_ms", chartReplotMs(million, {}, {}, {}));
    print("ratio_1m", chartReplotMs(million, {}, {}, {}) / bareReplotMs(million));
    print("replot_band_1m_ms", chartReplotMs(million, walk(1000000, -2), walk(1000000, 3), lossEvery(million, 100)));
    Series spread = million;
    std::fill(spread.values.begin(), spread.values.end(), 1.0);
    print("replot_smoke_1m_ms",
        chartReplotMs(million, walk(1000000, -2), walk(1000000, 3), lossEvery(million, 100), spread));
    {
        const Series tenMillion = walk(10000000, 0);
        const double bare = bareReplotMs(tenMillion);
        const double ours = chartReplotMs(tenMillion, {}, {}, {});
        print("bare_10m_ms", bare);
        print("replot_10m_ms", ours);
        print("ratio_10m", ours / bare);
    }

    QTemporaryDir dir;
    const QString path = dir.filePath(u"month.db"_s);
    qint64 agentId = 0;
    qint64 testId = 0;
    QString error;
    QElapsedTimer writing;
    writing.start();
    if (!writeMonth(path, &agentId, &testId, &error)) {
        std::fprintf(stderr, "bench_charts: %s\n", qPrintable(error));
        return 1;
    }
    print("month_write_s", double(writing.elapsed()) / 1000);
    qsizetype bucketed = 0;
    qsizetype raw = 0;
    const qint64 bucketMs = MONTH_SECONDS * 1000 / 4000;
    const double bucketedMs = readMonthMs(path, agentId, testId, bucketMs, &bucketed);
    const double rawMs = readMonthMs(path, agentId, testId, 0, &raw);
    print("month_bucketed_ms", bucketedMs);
    print("month_bucketed_points", double(bucketed));
    print("month_raw_ms", rawMs);
    print("month_raw_points", double(raw));
    print("ratio_month_bucketed_to_raw", bucketedMs / rawMs);
    return 0;
}
