// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
//
// When bandwidth rounds loaded each agent's link (BulkWindows), from their stored details.
#include <QTest>

#include "console/domain/bulkwindows.h"
#include "shared/protocol/details.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm;
using namespace StreamSwarm::Console;

namespace {

constexpr qint64 T0 = 1'800'000'000'000;

DetailRow bandwidthRound(const QString &agent, qint64 timeMs, const Protocol::BandwidthDetail &detail,
    const QString &test = u"wan-throughput"_s)
{
    DetailRow row;
    row.timeMs = timeMs;
    row.agent = agent;
    row.test = test;
    row.record.detail = detail;
    return row;
}

Protocol::BandwidthDetail measured(int omitSeconds, int seconds, qint64 waitedMs = 0)
{
    Protocol::BandwidthDetail detail;
    detail.method = u"iperf3"_s;
    detail.server = u"192.0.2.1"_s;
    detail.omitSeconds = omitSeconds;
    detail.seconds = seconds;
    detail.measuredSeconds = seconds;
    detail.waitedMs = waitedMs;
    return detail;
}

} // namespace

class TestBulkWindows : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void aMeasurementLoadsItsAgentFromItsStart();
    void aRoundThatMeasuredNothingLoadsNothing();
    void betweenAgentsBothAreLoaded();
    void aSpeedTestLoadsEachWayInTurn();
    void manyWindowsAreSearchedRight();
    void otherDetailsAreIgnored();
};

void TestBulkWindows::aMeasurementLoadsItsAgentFromItsStart()
{
    BulkWindows windows;
    // Due at T0, waited 2.5 s for another test, 1 s warm-up and 10 s measured.
    windows.add(bandwidthRound(u"edge-1"_s, T0, measured(1, 10, 2500)));
    QVERIFY(!windows.loaded(u"edge-1"_s, u"ping-wan"_s, T0 + 2499));
    QVERIFY(windows.loaded(u"edge-1"_s, u"ping-wan"_s, T0 + 2500));
    QVERIFY(windows.loaded(u"edge-1"_s, u"ping-wan"_s, T0 + 2500 + 11'000 + BulkWindows::MARGIN_MS - 1));
    QVERIFY(!windows.loaded(u"edge-1"_s, u"ping-wan"_s, T0 + 2500 + 11'000 + BulkWindows::MARGIN_MS));
    QVERIFY(!windows.loaded(u"edge-2"_s, u"ping-wan"_s, T0 + 5000)); // another agent's link
    QVERIFY(!windows.loaded(u"edge-1"_s, u"wan-throughput"_s, T0 + 5000)); // its own samples
}

void TestBulkWindows::aRoundThatMeasuredNothingLoadsNothing()
{
    BulkWindows windows;
    Protocol::BandwidthDetail skipped = measured(0, 10);
    skipped.measuredSeconds = 0;
    DetailRow row = bandwidthRound(u"edge-1"_s, T0, skipped);
    row.record.error = u"Another bandwidth test on this agent was still running"_s;
    windows.add(row);
    QVERIFY(!windows.loaded(u"edge-1"_s, u"ping-wan"_s, T0 + 1000));
    QVERIFY(windows.windows(u"edge-1"_s).isEmpty());
}

void TestBulkWindows::betweenAgentsBothAreLoaded()
{
    BulkWindows windows;
    Protocol::BandwidthDetail between = measured(0, 5);
    between.method = u"agent"_s;
    between.server = u"agent:branch-7"_s;
    windows.add(bandwidthRound(u"edge-1"_s, T0, between));
    QVERIFY(windows.loaded(u"edge-1"_s, u"ping-wan"_s, T0 + 3000));
    QVERIFY(windows.loaded(u"branch-7"_s, u"ping-wan"_s, T0 + 3000)); // the serving agent
    QVERIFY(!windows.loaded(u"branch-7"_s, u"ping-wan"_s, T0 + 7000));
}

void TestBulkWindows::aSpeedTestLoadsEachWayInTurn()
{
    BulkWindows windows;
    Protocol::BandwidthDetail speed = measured(2, 10);
    speed.method = u"http"_s;
    speed.measuredSeconds = 0; // a speed test counts each way in its own map
    speed.download = Protocol::SpeedDirection{};
    speed.upload = Protocol::SpeedDirection{};
    windows.add(bandwidthRound(u"edge-1"_s, T0, speed));
    QCOMPARE(windows.windows(u"edge-1"_s),
        (QList<std::pair<qint64, qint64>>{{T0, T0 + 2 * 12'000 + BulkWindows::MARGIN_MS}}));
}

void TestBulkWindows::manyWindowsAreSearchedRight()
{
    BulkWindows windows;
    // Every minute a 5 s measurement, added out of order, and one long one among them.
    for (int minute = 59; minute >= 0; --minute)
        windows.add(bandwidthRound(u"edge-1"_s, T0 + minute * 60'000LL, measured(0, 5)));
    windows.add(bandwidthRound(u"edge-1"_s, T0 + 30 * 60'000LL - 50'000, measured(0, 60), u"long"_s));
    for (int minute = 0; minute < 60; ++minute) {
        const qint64 start = T0 + minute * 60'000LL;
        QVERIFY(windows.loaded(u"edge-1"_s, u"ping-wan"_s, start + 4000));
        const bool inLong = minute == 29 || minute == 30; // the long one covers [29:10, 30:11)
        QCOMPARE(windows.loaded(u"edge-1"_s, u"ping-wan"_s, start + 30'000), minute == 29);
        QCOMPARE(windows.loaded(u"edge-1"_s, u"ping-wan"_s, start + 7000), minute == 30 && inLong);
    }
}

void TestBulkWindows::otherDetailsAreIgnored()
{
    BulkWindows windows;
    DetailRow ping;
    ping.timeMs = T0;
    ping.agent = u"edge-1"_s;
    ping.test = u"ping-wan"_s;
    ping.record.detail = Protocol::PingDetail{};
    windows.add(ping);
    QVERIFY(windows.isEmpty());
    QVERIFY(!windows.loaded(u"edge-1"_s, u"other"_s, T0));
}

QTEST_APPLESS_MAIN(TestBulkWindows)
#include "tst_bulkwindows.moc"
