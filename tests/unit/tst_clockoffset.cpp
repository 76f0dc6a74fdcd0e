// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include <optional>

#include <QTest>

#include "console/domain/clockoffset.h"
#include "console/storage/records.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm::Console;

namespace {

// 2026-11-26T08:00:00Z in ms.
constexpr qint64 T0 = 1'795'680'000'000;

using Estimate = ClockOffsetEstimator::Estimate;

// As text, so a failed comparison shows both sides.
QString text(const std::optional<Estimate> &estimate)
{
    return estimate ? u"%1 +- %2 ms"_s.arg(estimate->offsetMs).arg(estimate->errorMs) : u"none"_s;
}

QString text(qint64 offsetMs, qint64 errorMs)
{
    return text(Estimate{offsetMs, errorMs});
}

} // namespace

class TestClockOffset : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void singleExchange_data();
    void singleExchange();
    void refusedExchanges();
    void lowestRoundTripWins();
    void clockSkewed_data();
    void clockSkewed();
};

void TestClockOffset::singleExchange_data()
{
    QTest::addColumn<qint64>("sentMs"); // console clock
    QTest::addColumn<qint64>("agentMs"); // agent clock
    QTest::addColumn<qint64>("receivedMs"); // console clock
    QTest::addColumn<qint64>("offsetMs");
    QTest::addColumn<qint64>("errorMs");

    // Sent at 0, back at 20: the agent answered at our 10, give or take 10 (+1 for whole ms).
    QTest::newRow("in step, symmetric") << T0 << T0 + 10 << T0 + 20 << qint64(0) << qint64(11);
    QTest::newRow("agent 5 s ahead") << T0 << T0 + 5010 << T0 + 20 << qint64(5000) << qint64(11);
    QTest::newRow("agent 3 s behind") << T0 << T0 + 10 - 3000 << T0 + 20 << qint64(-3000) << qint64(11);
    // The answer took 38 ms, the question 2: the estimate is off by 18, inside its error of 21.
    QTest::newRow("in step, asymmetric path") << T0 << T0 + 2 << T0 + 40 << qint64(-18) << qint64(21);
    // Midpoint 10.5: the agent at 10 is half a ms behind, at 11 half ahead; halves round away from 0.
    QTest::newRow("odd round trip, agent at 10") << T0 << T0 + 10 << T0 + 21 << qint64(-1) << qint64(12);
    QTest::newRow("odd round trip, agent at 11") << T0 << T0 + 11 << T0 + 21 << qint64(1) << qint64(12);
    QTest::newRow("zero round trip") << T0 << T0 << T0 << qint64(0) << qint64(1);
    QTest::newRow("zero round trip, agent ahead") << T0 << T0 + 250 << T0 << qint64(250) << qint64(1);
    QTest::newRow("zero round trip, agent behind") << T0 << T0 - 250 << T0 << qint64(-250) << qint64(1);
    QTest::newRow("1 ms round trip") << T0 << T0 << T0 + 1 << qint64(-1) << qint64(2);
    QTest::newRow("agent clock at the epoch") << T0 << qint64(0) << T0 + 20 << -(T0 + 10) << qint64(11);
    QTest::newRow("longest accepted round trip") << T0 << T0 + 300'000 << T0 + 600'000 << qint64(0) << qint64(300'001);
}

void TestClockOffset::singleExchange()
{
    QFETCH(qint64, sentMs);
    QFETCH(qint64, agentMs);
    QFETCH(qint64, receivedMs);
    QFETCH(qint64, offsetMs);
    QFETCH(qint64, errorMs);

    ClockOffsetEstimator estimator;
    QCOMPARE(text(estimator.best()), u"none"_s);
    QCOMPARE(text(estimator.add(sentMs, agentMs, receivedMs)), text(offsetMs, errorMs));
    QCOMPARE(text(estimator.best()), text(offsetMs, errorMs));
}

void TestClockOffset::refusedExchanges()
{
    ClockOffsetEstimator estimator;
    // Answered before it was asked: a clock stepped on our side, or a pong for another ping.
    QCOMPARE(text(estimator.add(T0, T0, T0 - 1)), u"none"_s);
    QCOMPARE(text(estimator.best()), u"none"_s);
    // Ten minutes and more in flight says nothing useful.
    QCOMPARE(text(estimator.add(T0, T0, T0 + 600'001)), u"none"_s);
    QCOMPARE(text(estimator.best()), u"none"_s);

    // A refused exchange leaves the estimate as it was, and takes no place in the window.
    QCOMPARE(text(estimator.add(T0, T0 + 510, T0 + 20)), text(500, 11));
    QCOMPARE(text(estimator.add(T0 + 1000, T0 + 9000, T0 + 999)), u"none"_s);
    QCOMPARE(text(estimator.best()), text(500, 11));
    for (int i = 0; i < 3 * ClockOffsetEstimator::WINDOW; ++i)
        QCOMPARE(text(estimator.add(T0 + 2000, T0 + 2000, T0 + 1000)), u"none"_s);
    QCOMPARE(text(estimator.best()), text(500, 11));
}

void TestClockOffset::lowestRoundTripWins()
{
    QCOMPARE(ClockOffsetEstimator::WINDOW, 8);
    struct Exchange
    {
        qint64 roundTripMs;
        qint64 offsetMs; // the agent answers exactly at the midpoint, this far ahead
        QString best; // the estimate after this exchange
    };
    // Queueing only ever adds delay, so the fastest exchange of the last eight is the one believed.
    const QList<Exchange> exchanges{
        {40, 1000, text(1000, 21)},
        {10, 1003, text(1003, 6)}, // the fastest: it wins (error: half of 10, +1 for whole ms)
        {30, 1001, text(1003, 6)}, {24, 1002, text(1003, 6)}, {26, 999, text(1003, 6)}, {28, 998, text(1003, 6)},
        {22, 1004, text(1003, 6)}, {32, 997, text(1003, 6)},
        {34, 996, text(1003, 6)}, // the seventh newer one: the fastest is still in the window
        {36, 995, text(1004, 12)}, // the eighth: it falls out; the 22 ms exchange is the best left
        {50, 990, text(1004, 12)}, {44, 991, text(1004, 12)}, {46, 992, text(1004, 12)},
        {48, 993, text(1004, 12)}, // the seventh newer than the 22 ms exchange
        {60, 985, text(997, 17)}, // the eighth: it falls out too; 32 ms is the fastest left
    };
    ClockOffsetEstimator estimator;
    qint64 sent = T0;
    for (qsizetype i = 0; i < exchanges.size(); ++i) {
        const Exchange &exchange = exchanges.at(i);
        const qint64 received = sent + exchange.roundTripMs;
        const qint64 agent = sent + exchange.roundTripMs / 2 + exchange.offsetMs;
        const QString best = text(estimator.add(sent, agent, received));
        QVERIFY2(best == exchange.best, qPrintable(u"exchange %1: %2, expected %3"_s.arg(i).arg(best, exchange.best)));
        sent += 10'000;
    }
    // The window holds the exchanges of 32, 34, 36, 50, 44, 46, 48 and 60 ms.
    QCOMPARE(text(estimator.best()), text(997, 17));
}

void TestClockOffset::clockSkewed_data()
{
    QTest::addColumn<bool>("known");
    QTest::addColumn<qint64>("offsetMs");
    QTest::addColumn<qint64>("errorMs");
    QTest::addColumn<bool>("skewed");

    // AgentRecord::CLOCK_SKEW_LIMIT_MS is 1000.
    QTest::newRow("never measured") << false << qint64(0) << qint64(0) << false;
    QTest::newRow("in step") << true << qint64(0) << qint64(0) << false;
    QTest::newRow("exactly at the limit") << true << qint64(1000) << qint64(0) << false;
    QTest::newRow("1 ms past the limit") << true << qint64(1001) << qint64(0) << true;
    QTest::newRow("exactly at the limit, behind") << true << qint64(-1000) << qint64(0) << false;
    QTest::newRow("1 ms past the limit, behind") << true << qint64(-1001) << qint64(0) << true;
    // Skewed only when even the most favourable reading of the error is over the limit.
    QTest::newRow("1.5 s +- 0.5 s") << true << qint64(1500) << qint64(500) << false;
    QTest::newRow("1.5 s +- 499 ms") << true << qint64(1500) << qint64(499) << true;
    QTest::newRow("-1.5 s +- 499 ms") << true << qint64(-1500) << qint64(499) << true;
    QTest::newRow("5 s, but +- 10 s") << true << qint64(5000) << qint64(10'000) << false;
    QTest::newRow("a day behind") << true << qint64(-86'400'000) << qint64(20) << true;
}

void TestClockOffset::clockSkewed()
{
    QFETCH(bool, known);
    QFETCH(qint64, offsetMs);
    QFETCH(qint64, errorMs);
    QFETCH(bool, skewed);

    QCOMPARE(AgentRecord::CLOCK_SKEW_LIMIT_MS, 1000);
    AgentRecord agent;
    if (known)
        agent.clockOffsetMs = offsetMs;
    agent.clockErrorMs = errorMs;
    QCOMPARE(agent.clockSkewed(), skewed);
}

QTEST_APPLESS_MAIN(TestClockOffset)

#include "tst_clockoffset.moc"
