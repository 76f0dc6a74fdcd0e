// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
//
// How long the console takes to write an engineering report for 10 agents over a month, as
// `streamswarm-console report --template engineering` does it: reading the figures from SQLite, then
// laying out and drawing the PDF. Prints (one "name value" per line):
//   seed_rows: samples in the database; seed_s: how long writing them took (not part of the report)
//   scan_ms: the baseline, a bare SQL pass over every sample of the month (COUNT and AVG per series)
//   rollup_s: making the month's rollups per minute and hour, as the console does over the month
//   read_ms: the report's reading (ReportCollector); render_ms: laying out and drawing the PDF
//   report_ms: both; pages; pdf_kb; ratio_read_to_scan
// BENCH_STEP_S (default 60) sets the rounds' spacing: 1 is a month of one-second rounds (2.6 M rounds
// an agent); BENCH_AGENTS (default 10) how many agents. BENCH_REPORT_OUT=FILE keeps the PDF.
#include "benchfigures.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QGuiApplication>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTextStream>

#include "console/app/operations.h"
#include "console/reports/reportdocument.h"
#include "console/storage/database.h"
#include "console/storage/rollups.h"
#include "console/storage/storageservice.h"
#include "tests/support/reportseed.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm;
using namespace StreamSwarm::Console;

namespace {

constexpr qint64 DAY_MS = 24LL * 3600 * 1000;
constexpr qint64 MONTH_MS = 30 * DAY_MS;

int fail(const QString &why)
{
    QTextStream(stderr) << "bench_report: " << why << Qt::endl;
    return 1;
}

} // namespace

int main(int argc, char **argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv);
    const int agents
        = qEnvironmentVariableIntValue("BENCH_AGENTS") > 0 ? qEnvironmentVariableIntValue("BENCH_AGENTS") : 10;
    const qint64 stepMs = qEnvironmentVariableIntValue("BENCH_STEP_S") > 0
        ? qEnvironmentVariableIntValue("BENCH_STEP_S") * 1000LL
        : 60 * 1000;
    QTemporaryDir dir;
    if (!dir.isValid())
        return fail(u"no temporary folder"_s);

    Test::ReportSeed seed;
    seed.path = dir.filePath(u"month.db"_s);
    seed.agents = agents;
    seed.fromMs = (QDateTime::currentMSecsSinceEpoch() / DAY_MS - 31) * DAY_MS;
    seed.stepMs = stepMs;
    seed.rounds = MONTH_MS / stepMs;
    seed.slowEvery = 50;
    seed.tracingAgents = agents; // a ping and a traceroute test each: 20 agents' tests for 10 agents
    for (int agent = 0; agent < agents; ++agent) {
        seed.outages.append({agent, seed.fromMs + (2 + agent) * DAY_MS + 10 * 3600 * 1000,
            14 * 60 * 1000 / int(stepMs) + 1, agent % 2 == 0});
        seed.gaps.append({agent, seed.fromMs + (15 + agent) * DAY_MS, 3 * 3600 * 1000});
    }
    QElapsedTimer timer;
    timer.start();
    QString error;
    if (!seed.write(&error))
        return fail(error);
    Bench::print("seed_s", double(timer.elapsed()) / 1000);

    Database db;
    if (!db.open(DatabaseUrl::sqliteFile(seed.path), u"bench_report"_s, &error))
        return fail(error);
    {
        QSqlQuery count(db.connection());
        count.exec(u"SELECT COUNT(*) FROM samples"_s);
        count.next();
        Bench::print("seed_rows", count.value(0).toDouble());
    }
    // The baseline: one bare pass over the month's samples, series by series, as SQLite can do it.
    timer.restart();
    {
        QSqlQuery scan(db.connection());
        scan.exec(u"SELECT test_id, agent_id, metric_id, COUNT(*), AVG(value) FROM samples GROUP BY test_id, agent_id, "
                  "metric_id"_s);
        while (scan.next()) { }
    }
    const double scanMs = double(timer.nsecsElapsed()) / 1e6;
    Bench::print("scan_ms", scanMs);

    // What the running console's maintenance does as the month goes by: the rollups per minute and
    // hour (not part of the report; printed for what it costs).
    timer.restart();
    {
        RollupRepository rollups(db);
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        for (int guard = 0; guard < 10'000'000; ++guard) {
            const auto minutes = rollups.rollUpMinutes(now, 1000, &error);
            const auto hours = minutes ? rollups.rollUpHours(now, 1000, &error) : std::nullopt;
            if (!minutes || !hours)
                return fail(error);
            if (*minutes == 0 && *hours == 0)
                break;
        }
    }
    Bench::print("rollup_s", double(timer.elapsed()) / 1000);

    Repositories repositories(db);
    Operations operations(repositories, {});
    ReportRequest request;
    request.kind = ReportKind::Engineering;
    request.fromMs = seed.fromMs;
    request.toMs = seed.fromMs + MONTH_MS;
    request.targets.latencyMs = 25;
    request.siteName = u"Bench"_s;
    QList<double> reads, renders, totals;
    int pages = 0;
    qint64 pdfBytes = 0;
    for (int run = 0; run < 3; ++run) {
        timer.restart();
        const Result<ReportData> data = ReportCollector(operations).collect(request);
        if (!data)
            return fail(data.error());
        const double readMs = double(timer.nsecsElapsed()) / 1e6;
        QElapsedTimer drawing;
        drawing.start();
        // BENCH_REPORT_OUT keeps the report, to look at.
        const QString out = qEnvironmentVariableIsSet("BENCH_REPORT_OUT") ? qEnvironmentVariable("BENCH_REPORT_OUT")
                                                                          : dir.filePath(u"report.pdf"_s);
        if (!ReportDocument::writePdf(*data, out, &pages, &error))
            return fail(error);
        const double renderMs = double(drawing.nsecsElapsed()) / 1e6;
        reads.append(readMs);
        renders.append(renderMs);
        totals.append(readMs + renderMs);
        pdfBytes = QFileInfo(out).size();
    }
    Bench::print("read_ms", Bench::median(reads));
    Bench::print("render_ms", Bench::median(renders));
    Bench::print("report_ms", Bench::median(totals));
    Bench::print("pages", pages);
    Bench::print("pdf_kb", double(pdfBytes) / 1024);
    Bench::print("ratio_read_to_scan", Bench::median(reads) / scanMs);
    return 0;
}
