// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
//
// The reports' pieces that need no database: outages and gaps from round times, axis ticks, the
// schedules' periods in local time (Berlin, with its clock change), the words for numbers, the
// request's checks, and the checksum of a report's data.
#include <QDateTime>
#include <QTest>
#include <QTimeZone>

#include "console/reports/reportchart.h"
#include "console/reports/reportdata.h"
#include "console/reports/reportschedule.h"
#include "console/reports/reportwording.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm::Console;

namespace {

qint64 berlin(int year, int month, int day, int hour = 0, int minute = 0)
{
    return QDateTime(QDate(year, month, day), QTime(hour, minute)).toMSecsSinceEpoch(); // local: Berlin
}

} // namespace

class TestReportParts : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void outagesJoinRoundsInARow();
    void gapsAreWholeEmptyStretches();
    void valueTicksAreRoundNumbers();
    void timeTicksFallOnRoundLocalTimes();
    void schedulesFollowTheCalendar();
    void aLongTimeOffCatchesUpTheNewestPeriods();
    void numbersReadPlainly();
    void requestsAreChecked();
    void schedulesKeepTheirRequest();
    void theChecksumFollowsTheData();
};

void TestReportParts::outagesJoinRoundsInARow()
{
    // Every 60 s: three in a row, one a little late (150 s after the last) still continues; then
    // a pause of 8 minutes starts another.
    const QList<Outage> outages = ReportCollector::outagesOf({660'000, 0, 60'000, 120'000, 270'000, 750'000}, 60'000);
    QCOMPARE(outages.size(), 2);
    QCOMPARE(outages.at(0).startMs, 0);
    QCOMPARE(outages.at(0).endMs, 330'000);
    QCOMPARE(outages.at(0).rounds, 4);
    QCOMPARE(outages.at(1).startMs, 660'000);
    QCOMPARE(outages.at(1).endMs, 810'000);
    QCOMPARE(outages.at(1).durationMs(), 150'000);
    QVERIFY(ReportCollector::outagesOf({}, 60'000).isEmpty());
}

void TestReportParts::gapsAreWholeEmptyStretches()
{
    // Buckets of 100 from 0 to 600 with rounds in 0, 100 and 400: nothing in 200-400 and 500-600.
    const QList<TimeSpan> gaps = ReportCollector::gapsOf({0, 100, 400}, 100, 0, 600, 100);
    QCOMPARE(gaps, (QList<TimeSpan>{{200, 400}, {500, 600}}));
    // Shorter than the minimum: not a gap.
    QCOMPARE(ReportCollector::gapsOf({0, 100, 400}, 100, 0, 600, 150), (QList<TimeSpan>{{200, 400}}));
    // Nothing at all: the whole span.
    QCOMPARE(ReportCollector::gapsOf({}, 100, 0, 600, 100), (QList<TimeSpan>{{0, 600}}));
}

void TestReportParts::valueTicksAreRoundNumbers()
{
    QCOMPARE(ReportChart::valueTicks(0, 37, 5), (QList<double>{0, 10, 20, 30, 40}));
    QCOMPARE(ReportChart::valueTicks(0, 0.9, 4), (QList<double>{0, 0.25, 0.5, 0.75, 1.0}));
    QCOMPARE(ReportChart::valueTicks(-3, 12, 5), (QList<double>{-5, 0, 5, 10, 15}));
    QCOMPARE(ReportChart::valueTicks(5, 5, 5).size(), 2); // no span: still an axis
}

void TestReportParts::timeTicksFallOnRoundLocalTimes()
{
    qint64 step = 0;
    // One day from 03:17 Berlin time: every 6 hours at 06:00, 12:00, 18:00, 00:00.
    const QList<qint64> ticks
        = ReportChart::timeTicks(berlin(2026, 12, 1, 3, 17), berlin(2026, 12, 2, 3, 17), 6, &step);
    QCOMPARE(step, 6 * 3600 * 1000LL);
    QCOMPARE(ticks.size(), 4);
    QCOMPARE(ticks.first(), berlin(2026, 12, 1, 6));
    QCOMPARE(ticks.last(), berlin(2026, 12, 2, 0));
    // A month: weekly steps on local midnights.
    const QList<qint64> weeks = ReportChart::timeTicks(berlin(2026, 11, 1, 12), berlin(2026, 12, 1), 6, &step);
    QCOMPARE(step, 7 * 24 * 3600 * 1000LL);
    QCOMPARE(weeks.first(), berlin(2026, 11, 2));
}

void TestReportParts::schedulesFollowTheCalendar()
{
    ReportSchedule schedule;
    const qint64 now = berlin(2026, 12, 7, 15); // a Monday afternoon
    schedule.reportedUntilMs = berlin(2026, 11, 30); // the Monday before
    schedule.every = ReportSchedule::Every::Day;
    const auto days = schedule.duePeriods(now);
    QCOMPARE(days.size(), 7);
    QCOMPARE(days.first(), qMakePair(berlin(2026, 11, 30), berlin(2026, 12, 1)));
    QCOMPARE(days.last(), qMakePair(berlin(2026, 12, 6), berlin(2026, 12, 7)));
    schedule.every = ReportSchedule::Every::Week;
    QCOMPARE(schedule.duePeriods(now), (QList<QPair<qint64, qint64>>{{berlin(2026, 11, 30), berlin(2026, 12, 7)}}));
    // Made mid-month: the first report is of that month, once it has ended.
    schedule.every = ReportSchedule::Every::Month;
    schedule.reportedUntilMs = ReportSchedule::periodStart(schedule.every, berlin(2026, 11, 17, 9));
    QCOMPARE(schedule.reportedUntilMs, berlin(2026, 11, 1));
    QCOMPARE(schedule.duePeriods(now), (QList<QPair<qint64, qint64>>{{berlin(2026, 11, 1), berlin(2026, 12, 1)}}));
    QVERIFY(schedule.duePeriods(berlin(2026, 11, 30, 23, 59)).isEmpty());
    // The day the clocks go back (25 October 2026 in Berlin) is one day of 25 hours.
    schedule.every = ReportSchedule::Every::Day;
    schedule.reportedUntilMs = berlin(2026, 10, 25);
    const auto changed = schedule.duePeriods(berlin(2026, 10, 26, 1));
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.first().second - changed.first().first, 25 * 3600 * 1000LL);
    QCOMPARE(schedule.fileFor(changed.first().first).section(u'/', -1), u"-2026-10-25.pdf"_s);
}

void TestReportParts::aLongTimeOffCatchesUpTheNewestPeriods()
{
    ReportSchedule schedule;
    schedule.every = ReportSchedule::Every::Day;
    schedule.reportedUntilMs = berlin(2026, 1, 1);
    const auto due = schedule.duePeriods(berlin(2026, 12, 7, 12));
    QCOMPARE(due.size(), ReportSchedule::MAX_CATCH_UP);
    QCOMPARE(due.last().second, berlin(2026, 12, 7));
}

void TestReportParts::numbersReadPlainly()
{
    QCOMPARE(ReportWording::duration(45'000), u"45 s"_s);
    QCOMPARE(ReportWording::duration(14 * 60'000), u"14 min"_s);
    QCOMPARE(ReportWording::duration(125 * 60'000), u"2 h 5 min"_s);
    QCOMPARE(ReportWording::duration(76 * 3600'000LL), u"3 d 4 h"_s);
    // Not quite 100 % never reads as 100 %, and a trace of loss never as none.
    QCOMPARE(ReportWording::percent(99.96), u"99.9 %"_s);
    QCOMPARE(ReportWording::percent(100.0), u"100.0 %"_s);
    QCOMPARE(ReportWording::percent(0.001, 2), u"0.01 %"_s);
    QCOMPARE(ReportWording::percent(std::nullopt), u"–"_s);
    QCOMPARE(ReportWording::value(12.345, u"ms"_s), u"12.3 ms"_s);
    QCOMPARE(ReportWording::limit(25, u"ms"_s), u"25 ms"_s);
    QCOMPARE(ReportWording::count(1234567), u"1,234,567"_s);
    QList<Outage> outages{
        {berlin(2026, 3, 3, 10), berlin(2026, 3, 3, 11), 1}, {berlin(2026, 3, 17, 10), berlin(2026, 3, 17, 11), 1}};
    QCOMPARE(ReportWording::days(outages), u"3 March and 17 March"_s);
}

void TestReportParts::requestsAreChecked()
{
    ReportRequest request;
    QString error;
    request.fromMs = berlin(2026, 12, 2);
    request.toMs = berlin(2026, 12, 1);
    QVERIFY(!request.check(&error));
    QVERIFY2(error.contains(u"period is empty"_s), qPrintable(error));
    request.toMs = request.fromMs + 400 * ReportRequest::DAY_MS;
    QVERIFY(!request.check(&error));
    QVERIFY2(error.contains(u"one report per year"_s), qPrintable(error));
    request.toMs = request.fromMs + 8 * ReportRequest::DAY_MS;
    request.kind = ReportKind::Evidence;
    QVERIFY(!request.check(&error));
    QVERIFY2(error.contains(u"one incident"_s), qPrintable(error));
    request.kind = ReportKind::Engineering;
    QVERIFY2(request.check(&error), qPrintable(error));
    request.targets.lossPct = 101;
    QVERIFY(!request.check(&error));
    request.targets.lossPct = 1;
    request.targets.latencyMs = std::nan("");
    QVERIFY(!request.check(&error));
    QCOMPARE(ReportRequest::kindFromKey(u"evidence"_s), std::optional(ReportKind::Evidence));
    QCOMPARE(ReportRequest::kindFromKey(u"Evidence"_s), std::nullopt);
}

void TestReportParts::schedulesKeepTheirRequest()
{
    ReportRequest request;
    request.kind = ReportKind::Engineering;
    request.testName = u"ping-dc"_s;
    request.agents = u"tag:site-a"_s;
    request.targets = {25, 0.5, 99.95};
    request.siteName = u"Head office"_s;
    request.paper = QPageSize::Letter;
    request.landscape = true;
    const auto back = ReportSchedule::requestFromJson(ReportSchedule::requestToJson(request));
    QVERIFY(back);
    QCOMPARE(back->kind, request.kind);
    QCOMPARE(back->testName, request.testName);
    QCOMPARE(back->agents, request.agents);
    QCOMPARE(back->targets.latencyMs, 25.0);
    QCOMPARE(back->targets.lossPct, 0.5);
    QCOMPARE(back->targets.availabilityPct, 99.95);
    QCOMPARE(back->siteName, request.siteName);
    QCOMPARE(back->paper, QPageSize::Letter);
    QVERIFY(back->landscape);
    QVERIFY(!ReportSchedule::requestFromJson(u"{\"template\":\"glossy\"}"_s));
    QVERIFY(!ReportSchedule::requestFromJson(u"not json"_s));
}

void TestReportParts::theChecksumFollowsTheData()
{
    ReportData data;
    data.request.fromMs = 1000;
    data.request.toMs = 2000;
    PathFigures path;
    path.agent.name = u"edge-1"_s;
    path.test.name = u"ping"_s;
    path.line.bucketMs = 100;
    path.line.starts = {1000, 1100};
    path.line.counts = {10, 10};
    path.line.means = {12.5, 13.0};
    path.line.lowest = {10, 11};
    path.line.highest = {20, 21};
    path.line.atOrBelow = {10, 9};
    data.paths = {path};
    const QByteArray sum = ReportCollector::checksum(data);
    QCOMPARE(sum.size(), 64);
    QCOMPARE(ReportCollector::checksum(data), sum);
    data.siteName = u"Another name"_s; // how it is shown is not the data
    QCOMPARE(ReportCollector::checksum(data), sum);
    data.paths[0].line.means[1] = 13.000001;
    QVERIFY(ReportCollector::checksum(data) != sum);
}

int main(int argc, char **argv)
{
    // Local time is Berlin's, with its clock changes, whatever the machine says.
    qputenv("TZ", "Europe/Berlin");
    QCoreApplication app(argc, argv);
    TestReportParts test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_reportparts.moc"
