// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
//
// The console's bandwidth turns between agents (BulkTurns): who is told what, and when.
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

#include "console/server/bulkturns.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm;
using namespace StreamSwarm::Console;

namespace {

constexpr qint64 ALPHA = 1;
constexpr qint64 BETA = 2;
constexpr qint64 GAMMA = 3;
constexpr qint64 TO_BETA = 10; // alpha and gamma measure to beta
constexpr qint64 TO_GAMMA = 11; // beta measures to gamma
constexpr qint64 LIMIT_MS = 8000;

TestRecord turnTest(qint64 id, const QString &target, const QList<qint64> &agents)
{
    TestRecord test;
    test.id = id;
    test.name = u"test-%1"_s.arg(id);
    test.type = u"bandwidth"_s;
    test.target = target;
    test.intervalMs = 60'000;
    test.params = {{u"method"_s, u"agent"_s}};
    test.agentIds = agents;
    return test;
}

// What was sent, to whom.
struct Sent
{
    qint64 agentId = 0;
    Protocol::Message message;

    // A copy: what was sent outlives the list it came in.
    template <typename T>
    std::optional<T> as() const
    {
        const T *payload = std::get_if<T>(&message.payload);
        return payload ? std::optional<T>(*payload) : std::nullopt;
    }
};

} // namespace

class TestBulkTurns : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void aTurnGoesServeServingGrantReleaseStop();
    void aPeerOnTheConsolesHostIsReachedAtTheConsolesAddress();
    void twoRequestsToOnePeerTakeTurns();
    void theServingAgentIsBusyToo();
    void aRequestThatCannotWaitIsRefusedWithAReason();
    void theSlipIsRandomAndWithinTheWait();
    void refusals();
    void theServersFailureReachesTheMeasurer();
    void disconnectsEndTurns();

private:
    QList<Sent> takeSent();
    void request(qint64 from, qint64 lease, qint64 testId, qint64 waitMs);
    // Waits (bounded) until something was sent, and returns all that was.
    QList<Sent> waitForSent(int timeoutMs = 3000);

    std::unique_ptr<BulkTurns> m_turns;
    std::unique_ptr<QSignalSpy> m_sent;
};

void TestBulkTurns::init()
{
    m_turns = std::make_unique<BulkTurns>();
    m_turns->seedSlips(7);
    m_turns->setTests(
        {turnTest(TO_BETA, u"agent:beta"_s, {ALPHA, GAMMA}), turnTest(TO_GAMMA, u"agent:gamma"_s, {BETA})}, {});
    m_turns->agentOnline(ALPHA, u"alpha"_s, QHostAddress(u"198.51.100.1"_s), QHostAddress(u"203.0.113.1"_s));
    m_turns->agentOnline(BETA, u"beta"_s, QHostAddress(u"198.51.100.2"_s), QHostAddress(u"203.0.113.1"_s));
    m_turns->agentOnline(GAMMA, u"gamma"_s, QHostAddress(u"198.51.100.3"_s), QHostAddress(u"203.0.113.1"_s));
    m_sent = std::make_unique<QSignalSpy>(m_turns.get(), &BulkTurns::send);
}

QList<Sent> TestBulkTurns::takeSent()
{
    QList<Sent> sent;
    for (const QList<QVariant> &arguments : std::as_const(*m_sent))
        sent.append({arguments.at(0).toLongLong(), arguments.at(1).value<Protocol::Message>()});
    m_sent->clear();
    return sent;
}

QList<Sent> TestBulkTurns::waitForSent(int timeoutMs)
{
    if (m_sent->isEmpty())
        m_sent->wait(timeoutMs);
    return takeSent();
}

void TestBulkTurns::request(qint64 from, qint64 lease, qint64 testId, qint64 waitMs)
{
    m_turns->handle(from, {Protocol::BulkRequest{lease, testId, LIMIT_MS, waitMs}});
}

void TestBulkTurns::aTurnGoesServeServingGrantReleaseStop()
{
    request(ALPHA, 5, TO_BETA, 0); // no wait: no slip either
    QList<Sent> sent = takeSent();
    QCOMPARE(sent.size(), 1);
    QCOMPARE(sent.at(0).agentId, BETA);
    const auto serve = sent.at(0).as<Protocol::Serve>();
    QVERIFY(serve);
    QCOMPARE(serve->limitMs, LIMIT_MS);
    QCOMPARE(serve->waitMs, 0);
    QCOMPARE(m_turns->turnsInProgress(), 1);

    m_turns->handle(BETA, {Protocol::Serving{serve->lease, 40123, QString()}});
    sent = takeSent();
    QCOMPARE(sent.size(), 1);
    QCOMPARE(sent.at(0).agentId, ALPHA);
    const auto grant = sent.at(0).as<Protocol::BulkGrant>();
    QVERIFY(grant);
    QCOMPARE(grant->lease, 5);
    QCOMPARE(grant->address, u"198.51.100.2"_s);
    QCOMPARE(grant->port, 40123);
    QVERIFY(grant->error.isEmpty());

    m_turns->handle(ALPHA, {Protocol::BulkRelease{5}});
    sent = takeSent();
    QCOMPARE(sent.size(), 1);
    QCOMPARE(sent.at(0).agentId, BETA);
    QVERIFY(sent.at(0).as<Protocol::ServeStop>());
    QCOMPARE(sent.at(0).as<Protocol::ServeStop>()->lease, serve->lease);
    QCOMPARE(m_turns->turnsInProgress(), 0);
    // A late serving for a turn already over is ignored.
    m_turns->handle(BETA, {Protocol::Serving{serve->lease, 40123, QString()}});
    QVERIFY(takeSent().isEmpty());
}

void TestBulkTurns::aPeerOnTheConsolesHostIsReachedAtTheConsolesAddress()
{
    m_turns->agentOnline(BETA, u"beta"_s, QHostAddress(QHostAddress::LocalHost), QHostAddress(QHostAddress::LocalHost));
    request(ALPHA, 1, TO_BETA, 0);
    const auto serve = takeSent().value(0).as<Protocol::Serve>();
    QVERIFY(serve);
    m_turns->handle(BETA, {Protocol::Serving{serve->lease, 5201, QString()}});
    const QList<Sent> sent = takeSent();
    QVERIFY(sent.value(0).as<Protocol::BulkGrant>());
    QCOMPARE(sent.value(0).as<Protocol::BulkGrant>()->address, u"203.0.113.1"_s);
}

void TestBulkTurns::twoRequestsToOnePeerTakeTurns()
{
    request(ALPHA, 1, TO_BETA, 0);
    request(GAMMA, 1, TO_BETA, 20'000); // beta is alpha's: gamma waits
    QList<Sent> sent = takeSent();
    QCOMPARE(sent.size(), 1);
    const auto first = sent.at(0).as<Protocol::Serve>();
    QVERIFY(first);
    QCOMPARE(m_turns->requestsWaiting(), 1);
    m_turns->handle(BETA, {Protocol::Serving{first->lease, 5201, QString()}});
    QCOMPARE(takeSent().size(), 1); // alpha's grant
    QTest::qWait(1200); // longer than any slip: still nothing for gamma while alpha measures
    QVERIFY(takeSent().isEmpty());

    QElapsedTimer sinceRelease;
    sinceRelease.start();
    m_turns->handle(ALPHA, {Protocol::BulkRelease{1}});
    sent = takeSent();
    QCOMPARE(sent.size(), 1);
    QVERIFY(sent.at(0).as<Protocol::ServeStop>());
    // Gamma's turn: beta is told to serve after a slip of at most a second.
    sent = waitForSent();
    QCOMPARE(sent.size(), 1);
    QVERIFY(sinceRelease.elapsed() <= BulkTurns::MAX_SLIP_MS + 200);
    const auto second = sent.at(0).as<Protocol::Serve>();
    QVERIFY(second);
    QCOMPARE(sent.at(0).agentId, BETA);
    QVERIFY(second->lease != first->lease);
}

void TestBulkTurns::theServingAgentIsBusyToo()
{
    request(ALPHA, 1, TO_BETA, 0); // beta serves alpha
    QCOMPARE(takeSent().size(), 1);
    request(BETA, 1, TO_GAMMA, 20'000); // beta measuring to gamma would share beta's link
    QTest::qWait(1200);
    QVERIFY(takeSent().isEmpty());
    m_turns->handle(ALPHA, {Protocol::BulkRelease{1}});
    QCOMPARE(takeSent().size(), 1); // serve-stop to beta
    const QList<Sent> sent = waitForSent();
    QCOMPARE(sent.size(), 1);
    QCOMPARE(sent.at(0).agentId, GAMMA);
    QVERIFY(sent.at(0).as<Protocol::Serve>());
}

void TestBulkTurns::aRequestThatCannotWaitIsRefusedWithAReason()
{
    request(ALPHA, 1, TO_BETA, 0);
    QCOMPARE(takeSent().size(), 1);
    QElapsedTimer clock;
    clock.start();
    request(GAMMA, 4, TO_BETA, 300);
    const QList<Sent> sent = waitForSent();
    QVERIFY2(clock.elapsed() >= 290 && clock.elapsed() < 1000, qPrintable(QString::number(clock.elapsed())));
    QCOMPARE(sent.size(), 1);
    QCOMPARE(sent.at(0).agentId, GAMMA);
    const auto grant = sent.at(0).as<Protocol::BulkGrant>();
    QVERIFY(grant);
    QCOMPARE(grant->lease, 4);
    QVERIFY2(
        grant->error.startsWith(u"The agents were busy with other bandwidth measurements"_s), qPrintable(grant->error));
    QCOMPARE(m_turns->requestsWaiting(), 0);
}

void TestBulkTurns::theSlipIsRandomAndWithinTheWait()
{
    QList<qint64> slips;
    for (int i = 1; i <= 4; ++i) {
        QElapsedTimer clock;
        clock.start();
        request(ALPHA, i, TO_BETA, 30'000);
        const QList<Sent> sent = waitForSent();
        slips.append(clock.elapsed());
        QCOMPARE(sent.size(), 1);
        QVERIFY(sent.at(0).as<Protocol::Serve>());
        QVERIFY2(slips.last() <= BulkTurns::MAX_SLIP_MS + 200, qPrintable(QString::number(slips.last())));
        m_turns->handle(ALPHA, {Protocol::BulkRelease{i}});
        takeSent();
    }
    std::sort(slips.begin(), slips.end());
    QVERIFY2(slips.last() - slips.first() >= 50, "four slips within 50 ms of each other: not random");
    // A round that can wait only 100 ms slips at most that long.
    QElapsedTimer clock;
    clock.start();
    request(ALPHA, 9, TO_BETA, 100);
    const QList<Sent> sent = waitForSent();
    QVERIFY(sent.value(0).as<Protocol::Serve>());
    QVERIFY2(clock.elapsed() <= 150, qPrintable(QString::number(clock.elapsed())));
}

void TestBulkTurns::refusals()
{
    const auto refusal = [this]() -> QString {
        const QList<Sent> sent = takeSent();
        const auto grant = sent.size() == 1 ? sent.at(0).as<Protocol::BulkGrant>() : std::nullopt;
        return grant && grant->port == 0 ? grant->error : u"(no refusal)"_s;
    };
    request(BETA, 1, TO_BETA, 0); // beta does not run the test to itself
    QVERIFY2(refusal().contains(u"no test 10 for this agent"_s), "");
    request(ALPHA, 1, 99, 0);
    QVERIFY2(refusal().contains(u"no test 99 for this agent"_s), "");
    m_turns->agentGone(BETA);
    request(ALPHA, 1, TO_BETA, 0);
    QCOMPARE(refusal(),
        u"The agent \"beta\" is not connected to the console, so it cannot serve the measurement. The next round "
        "tries again."_s);
    TestRecord toItself = turnTest(12, u"agent:alpha"_s, {ALPHA});
    m_turns->setTests({toItself}, {});
    request(ALPHA, 1, 12, 0);
    QVERIFY2(refusal().startsWith(u"This agent is \"alpha\", the test's target"_s), "");
    // A message from an agent the console does not hold online is ignored.
    m_turns->handle(BETA, {Protocol::BulkRequest{1, TO_GAMMA, LIMIT_MS, 0}});
    QVERIFY(takeSent().isEmpty());
}

void TestBulkTurns::theServersFailureReachesTheMeasurer()
{
    request(ALPHA, 3, TO_BETA, 0);
    const auto serve = takeSent().value(0).as<Protocol::Serve>();
    QVERIFY(serve);
    m_turns->handle(
        BETA, {Protocol::Serving{serve->lease, 0, u"its iperf3 server did not start listening in time."_s}});
    const QList<Sent> sent = takeSent();
    QCOMPARE(sent.size(), 1); // the grant with the reason; beta is not told to stop what never started
    QCOMPARE(sent.at(0).agentId, ALPHA);
    QCOMPARE(sent.at(0).as<Protocol::BulkGrant>()->error,
        u"The agent \"beta\" could not serve the measurement: its iperf3 server did not start listening in time."_s);
    QCOMPARE(m_turns->turnsInProgress(), 0);
}

void TestBulkTurns::disconnectsEndTurns()
{
    // The serving agent goes before it listens: the measurer hears why, and the turn is over.
    request(ALPHA, 1, TO_BETA, 0);
    QCOMPARE(takeSent().size(), 1);
    m_turns->agentGone(BETA);
    QList<Sent> sent = takeSent();
    QCOMPARE(sent.value(0).agentId, ALPHA);
    QCOMPARE(sent.value(0).as<Protocol::BulkGrant>()->error,
        u"The agent \"beta\" disconnected from the console before it could serve the measurement."_s);
    QCOMPARE(m_turns->turnsInProgress(), 0);

    // The measuring agent goes during its measurement: the serving agent is told to stop.
    m_turns->agentOnline(BETA, u"beta"_s, QHostAddress(u"198.51.100.2"_s), QHostAddress(u"203.0.113.1"_s));
    request(ALPHA, 2, TO_BETA, 0);
    const auto serve = takeSent().value(0).as<Protocol::Serve>();
    QVERIFY(serve);
    const qint64 lease = serve->lease;
    m_turns->handle(BETA, {Protocol::Serving{lease, 5201, QString()}});
    takeSent();
    m_turns->agentGone(ALPHA);
    sent = takeSent();
    QCOMPARE(sent.size(), 1);
    QCOMPARE(sent.at(0).agentId, BETA);
    QCOMPARE(sent.at(0).as<Protocol::ServeStop>()->lease, lease);
    QCOMPARE(m_turns->turnsInProgress(), 0);
}

QTEST_GUILESS_MAIN(TestBulkTurns)
#include "tst_bulkturns.moc"
