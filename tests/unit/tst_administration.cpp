// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include <memory>

#include <QDateTime>
#include <QSignalSpy>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>
#include <QThread>

#include "console/app/administration.h"
#include "console/app/localadministration.h"
#include "console/storage/agentrepository.h"
#include "console/storage/database.h"
#include "console/storage/samplerepository.h"
#include "console/storage/storageservice.h"
#include "console/storage/testrepository.h"
#include "shared/protocol/codec.h"
#include "shared/util/duration.h"
#include "tests/unit/storagefixture.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm;
using namespace StreamSwarm::Console;

namespace {

constexpr qint64 DAY_MS = 24 * 3600 * 1000;
constexpr int WAIT_MS = 10000;

const Actor COMMAND_LINE{Actor::Origin::CommandLine, u"alice"_s};
const Actor WINDOW{Actor::Origin::ConsoleWindow, u"alice"_s};

TokenRequest tokenRequest(const QString &name, int uses = 1, qint64 validForMs = 7 * DAY_MS)
{
    TokenRequest request;
    request.name = name;
    request.uses = uses;
    request.validForMs = validForMs;
    return request;
}

TestRecord pingTest(const QString &name, const QStringList &agents)
{
    TestRecord test;
    test.name = name;
    test.type = u"ping"_s;
    test.target = u"192.0.2.1"_s;
    test.intervalMs = 1000;
    test.agentNames = agents;
    test.allAgents = agents.isEmpty();
    return test;
}

// Waits for an Administration answer on this thread.
template <typename T>
std::optional<Result<T>> wait(const std::function<void(Callback<T>)> &call, QObject *context)
{
    std::optional<Result<T>> answer;
    call([&](const Result<T> &result) {
        QVERIFY(QThread::currentThread() == context->thread());
        answer = result;
    });
    if (!QTest::qWaitFor([&] { return answer.has_value(); }, WAIT_MS))
        qWarning("no answer within %d ms", WAIT_MS);
    return answer;
}

} // namespace

class TestAdministration final : public Test::StorageTestCase
{
    Q_OBJECT

private Q_SLOTS:
    void commandLineAndWindowWriteOneAuditLine();
    void actionAndAuditLineShareOneTransaction();
    void requestsAreCheckedBeforeAnythingIsWritten();
    void refusalsFromTheDataWriteNoAuditLine();
    void agentActions();
    void testActions();
    void anAgentRunsAtMostOneAssignmentOfTests();
    void windowAnswersOnItsThreadAndAnnouncesChanges();
    void chartHistory();

private:
    // The local administration, opened; nullptr (with a failed check) when it cannot open.
    std::unique_ptr<LocalAdministration> open(const Actor &actor);
    qint64 enroll(const QString &name);
    QStringList auditLines();
    bool execute(const QString &sql);
};

std::unique_ptr<LocalAdministration> TestAdministration::open(const Actor &actor)
{
    auto administration = std::make_unique<LocalAdministration>(actor);
    QString error;
    if (!administration->open(url(), u"tst_administration_%1"_s.arg(int(actor.origin)), &error)) {
        qWarning() << error;
        return nullptr;
    }
    return administration;
}

qint64 TestAdministration::enroll(const QString &name)
{
    Database db;
    QString error;
    qint64 agentId = 0;
    if (!db.open(url(), u"tst_administration_enroll"_s, &error) || !db.beginWrite(&error)
        || !AgentRepository(db).enroll(
            {name, name + u".example.net"_s, u"Debian GNU/Linux 12"_s, u"0.1.0"_s, {u"ping"_s}}, 0, 1000, &agentId,
            &error)
        || !db.commit(&error)) {
        qWarning() << error;
        return 0;
    }
    return agentId;
}

// "kind|agent|test|message" of every event, oldest first.
QStringList TestAdministration::auditLines()
{
    Database db;
    QString error;
    if (!db.open(url(), u"tst_administration_read"_s, &error))
        return {u"ERROR: "_s + error};
    QSqlQuery query(db.connection());
    if (!query.exec(u"SELECT e.kind, COALESCE(a.name, ''), COALESCE(t.name, ''), e.level, e.message FROM events e "
                    "LEFT JOIN agents a ON a.id = e.agent_id LEFT JOIN tests t ON t.id = e.test_id ORDER BY e.id"_s))
        return {u"ERROR: "_s + db.describeError(query.lastError().text())};
    QStringList lines;
    while (query.next()) {
        lines.append(u"%1|%2|%3|%4|%5"_s.arg(query.value(0).toString(), query.value(1).toString(),
            query.value(2).toString(), query.value(3).toString(), query.value(4).toString()));
    }
    return lines;
}

bool TestAdministration::execute(const QString &sql)
{
    Database db;
    QString error;
    if (!db.open(url(), u"tst_administration_sql"_s, &error) || !db.exec(sql, &error)) {
        qWarning() << error;
        return false;
    }
    return true;
}

void TestAdministration::commandLineAndWindowWriteOneAuditLine()
{
    auto local = open(COMMAND_LINE);
    QVERIFY(local);
    const auto fromCli = local->operations().createToken(tokenRequest(u"cli"_s, 3));
    QVERIFY2(fromCli, qPrintable(fromCli.error()));
    QVERIFY(!fromCli->text.isEmpty());
    QCOMPARE(fromCli->uses, 3);

    StorageService storage;
    QString error;
    QVERIFY2(storage.open(url(), &error), qPrintable(error));
    Administration window(&storage, WINDOW);
    const auto fromWindow = wait<IssuedToken>(
        [&](Callback<IssuedToken> done) { window.createToken(tokenRequest(u"gui"_s, 3), this, done); }, this);
    QVERIFY(fromWindow);
    QVERIFY2(*fromWindow, qPrintable(fromWindow->error()));

    // The same words from the same code; only where the action came from differs.
    const QStringList lines = auditLines();
    QCOMPARE(lines.size(), 2);
    QCOMPARE(lines.at(0),
        u"token-created|||info|Token \"cli\" created for 3 enrollment(s) until %1 (by alice on the command line)"_s.arg(
            formatIsoUtcMs(fromCli->expiresAtMs)));
    QCOMPARE(lines.at(1),
        u"token-created|||info|Token \"gui\" created for 3 enrollment(s) until %1 (by alice in the console window)"_s
            .arg(formatIsoUtcMs((*fromWindow)->expiresAtMs)));
    const auto tokens = local->operations().tokens();
    QVERIFY2(tokens, qPrintable(tokens.error()));
    QCOMPARE(tokens->size(), 2);
}

void TestAdministration::actionAndAuditLineShareOneTransaction()
{
    QVERIFY(enroll(u"edge"_s));
    auto local = open(COMMAND_LINE);
    QVERIFY(local);
    Operations &operations = local->operations();
    QVERIFY(operations.createToken(tokenRequest(u"kept"_s)));
    QVERIFY(operations.addTest(pingTest(u"kept-test"_s, {u"edge"_s})));

    // The audit line cannot be written: then the action must not happen either.
    if (onPostgres()) {
        QVERIFY(execute(u"CREATE FUNCTION refuse_audit() RETURNS trigger LANGUAGE plpgsql AS "
                        "$$ BEGIN RAISE EXCEPTION 'audit refused'; END $$"_s));
        QVERIFY(
            execute(u"CREATE TRIGGER no_audit BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION refuse_audit()"_s));
    } else {
        QVERIFY(execute(u"CREATE TRIGGER no_audit BEFORE INSERT ON events BEGIN SELECT RAISE(ABORT, 'audit refused'); "
                        "END"_s));
    }
    const auto token = operations.createToken(tokenRequest(u"lost"_s));
    QVERIFY(!token);
    QVERIFY2(token.error().contains(u"audit refused"_s), qPrintable(token.error()));
    QVERIFY(!operations.revokeToken(u"kept"_s));
    QVERIFY(!operations.addTest(pingTest(u"lost-test"_s, {u"edge"_s})));
    QVERIFY(!operations.stopTest(u"kept-test"_s));
    QVERIFY(!operations.revokeAgent(u"edge"_s));
    QVERIFY(!operations.requestRekey(u"edge"_s));

    const auto tokens = operations.tokens();
    QVERIFY(tokens);
    QCOMPARE(tokens->size(), 1);
    QCOMPARE(tokens->constFirst().name, u"kept"_s);
    QVERIFY(!tokens->constFirst().revoked);
    const auto tests = operations.tests();
    QVERIFY(tests);
    QCOMPARE(tests->size(), 1);
    QCOMPARE(tests->constFirst().stoppedAtMs, qint64(0));
    const auto agents = operations.agents();
    QVERIFY(agents);
    QVERIFY(!agents->constFirst().revoked);
    QVERIFY(!agents->constFirst().rekeyRequested);

    // And once it can be written, the same actions go through.
    QVERIFY(execute(onPostgres() ? u"DROP TRIGGER no_audit ON events"_s : u"DROP TRIGGER no_audit"_s));
    QVERIFY(operations.revokeToken(u"kept"_s));
    QCOMPARE(auditLines().size(), 3);
}

void TestAdministration::requestsAreCheckedBeforeAnythingIsWritten()
{
    QVERIFY(enroll(u"edge"_s));
    auto local = open(WINDOW);
    QVERIFY(local);
    Operations &operations = local->operations();
    const auto refused = [&](const TokenRequest &request) -> QString {
        const auto token = operations.createToken(request);
        QString error;
        // The check a front end can make early says the same, without a database.
        if (Operations::checkTokenRequest(request, &error) || error != token.error())
            return u"check and action disagree: "_s + error + u" / "_s + token.error();
        return token ? u"created"_s : token.error();
    };
    QVERIFY(refused(tokenRequest(u"bad name"_s)).contains(u"token name"_s));
    QCOMPARE(refused(tokenRequest(u"zero"_s, 0)), u"A token lets 1 to 100000 agents enroll."_s);
    QCOMPARE(refused(tokenRequest(u"many"_s, 100001)), u"A token lets 1 to 100000 agents enroll."_s);
    QVERIFY(refused(tokenRequest(u"expired"_s, 1, 0)).startsWith(u"A token must stay valid for longer than zero"_s));
    QVERIFY(refused(tokenRequest(u"forever"_s, 1, Operations::MAX_TOKEN_VALIDITY_MS + 1)).contains(u"9999d"_s));
    TokenRequest replace = tokenRequest(u"move"_s, 2);
    replace.replaceAgent = u"edge"_s;
    QVERIFY(refused(replace).contains(u"exactly one agent"_s));

    TestRecord noAgents = pingTest(u"nobody"_s, {});
    noAgents.allAgents = false;
    TestRecord badInterval = pingTest(u"fast"_s, {u"edge"_s});
    badInterval.intervalMs = 1;
    TestRecord noTarget = pingTest(u"nowhere"_s, {u"edge"_s});
    noTarget.target.clear();
    for (const TestRecord &test : {noAgents, badInterval, noTarget, pingTest(u"bad name"_s, {u"edge"_s})}) {
        const auto added = operations.addTest(test);
        QVERIFY2(!added, qPrintable(test.name));
        QString error;
        QVERIFY(!Operations::checkTest(test, &error));
        QCOMPARE(added.error(), error);
    }
    QCOMPARE(operations.tokens()->size(), 0);
    QCOMPARE(operations.tests()->size(), 0);
    QCOMPARE(auditLines(), QStringList());
}

void TestAdministration::refusalsFromTheDataWriteNoAuditLine()
{
    QVERIFY(enroll(u"edge"_s));
    auto local = open(COMMAND_LINE);
    QVERIFY(local);
    Operations &operations = local->operations();
    const auto ghost = operations.addTest(pingTest(u"ghost-test"_s, {u"edge"_s, u"ghost"_s}));
    QCOMPARE(ghost.error(), u"There is no agent named \"ghost\"; see 'agent list'."_s);
    TokenRequest replace = tokenRequest(u"move"_s);
    replace.replaceAgent = u"ghost"_s;
    QVERIFY(!operations.createToken(replace));
    QVERIFY(!operations.revokeToken(u"none"_s));
    QVERIFY(!operations.stopTest(u"none"_s));
    QVERIFY(operations.createToken(tokenRequest(u"once"_s)));
    const auto twice = operations.createToken(tokenRequest(u"once"_s));
    QVERIFY(twice.error().contains(u"exists already"_s));
    QCOMPARE(auditLines().size(), 1);
    QCOMPARE(operations.tests()->size(), 0);
}

void TestAdministration::agentActions()
{
    const qint64 edge = enroll(u"edge"_s);
    QVERIFY(edge);
    auto local = open(COMMAND_LINE);
    QVERIFY(local);
    Operations &operations = local->operations();
    TokenRequest replace = tokenRequest(u"move-edge"_s);
    replace.replaceAgent = u"edge"_s;
    const auto token = operations.createToken(replace);
    QVERIFY2(token, qPrintable(token.error()));
    QCOMPARE(token->replacedAgent, u"edge"_s);
    QVERIFY(operations.requestRekey(u"edge"_s));
    QVERIFY(operations.revokeAgent(u"edge"_s));
    QVERIFY(!operations.revokeAgent(u"edge"_s).error().isEmpty()); // once is enough; no second audit line
    const auto found = operations.findAgent(u"edge"_s);
    QVERIFY(found && *found);
    QVERIFY((*found)->revoked);
    const auto missing = operations.findAgent(u"nobody"_s);
    QVERIFY(missing && !*missing);

    const QStringList lines = auditLines();
    QCOMPARE(lines.size(), 3);
    QVERIFY2(lines.at(0).startsWith(u"token-created|edge||info|Token \"move-edge\" created to move agent \"edge\" to "
                                    "a new host, until "_s),
        qPrintable(lines.at(0)));
    QCOMPARE(lines.at(1),
        u"agent-rekey-requested|edge||info|New credential asked for agent \"edge\" (by alice on the command line)"_s);
    QCOMPARE(lines.at(2), u"agent-revoked|edge||info|Agent \"edge\" revoked (by alice on the command line)"_s);
}

void TestAdministration::testActions()
{
    QVERIFY(enroll(u"edge"_s));
    auto local = open(COMMAND_LINE);
    QVERIFY(local);
    Operations &operations = local->operations();
    const auto id = operations.addTest(pingTest(u"wan"_s, {u"edge"_s}));
    QVERIFY2(id, qPrintable(id.error()));
    QVERIFY(operations.stopTest(u"wan"_s));
    QCOMPARE(operations.stopTest(u"wan"_s).error(), u"There is no running test named \"wan\"; see 'test list'."_s);
    const auto tests = operations.tests();
    QVERIFY(tests);
    QCOMPARE(tests->constFirst().id, *id);
    QVERIFY(tests->constFirst().stoppedAtMs > 0);
    QVERIFY(tests->constFirst().createdAtMs > 0); // the layer stamps what the caller left out
    QCOMPARE(auditLines(),
        (QStringList{u"test-added||wan|info|Test \"wan\" added (by alice on the command line)"_s,
            u"test-stopped|||info|Test \"wan\" stopped (by alice on the command line)"_s}));
}

void TestAdministration::anAgentRunsAtMostOneAssignmentOfTests()
{
    // An agent refuses an assignment of more tests than the protocol allows (and then reconnects for
    // ever), so adding one more is refused with the reason; a test for another agent still goes in.
    const qint64 edge = enroll(u"edge"_s);
    QVERIFY(edge);
    QVERIFY(enroll(u"core"_s));
    {
        Database db;
        QString error;
        QVERIFY2(db.open(url(), u"tst_administration_fill"_s, &error) && db.beginWrite(&error), qPrintable(error));
        TestRepository tests(db);
        for (int i = 0; i < Protocol::MAX_TESTS_PER_ASSIGN; ++i) {
            TestRecord test = pingTest(u"t%1"_s.arg(i), {u"edge"_s});
            test.createdAtMs = QDateTime::currentMSecsSinceEpoch();
            QVERIFY2(tests.add(test, &error), qPrintable(error));
        }
        QVERIFY2(db.commit(&error), qPrintable(error));
    }
    auto local = open(COMMAND_LINE);
    QVERIFY(local);
    Operations &operations = local->operations();
    const auto refused = operations.addTest(pingTest(u"one-more"_s, {u"edge"_s}));
    QVERIFY(!refused);
    QCOMPARE(refused.error(),
        u"Agent \"edge\" already runs 1000 tests, the most one agent can run. Stop a test it runs, or give this test "
        "to another agent."_s);
    auto everyone = pingTest(u"everyone"_s, {});
    everyone.allAgents = true;
    QVERIFY(!operations.addTest(everyone)); // edge is among all agents
    QVERIFY(operations.addTest(pingTest(u"elsewhere"_s, {u"core"_s})));
    // A stopped test makes room.
    QVERIFY(operations.stopTest(u"t0"_s));
    const auto added = operations.addTest(pingTest(u"one-more"_s, {u"edge"_s}));
    QVERIFY2(added, qPrintable(added.error()));
}

void TestAdministration::windowAnswersOnItsThreadAndAnnouncesChanges()
{
    QVERIFY(enroll(u"edge"_s));
    StorageService storage;
    QString error;
    QVERIFY2(storage.open(url(), &error), qPrintable(error));
    Administration window(&storage, WINDOW);
    QSignalSpy changed(&window, &Administration::changed);

    const auto added = wait<qint64>(
        [&](Callback<qint64> done) { window.addTest(pingTest(u"wan"_s, {u"edge"_s}), this, done); }, this);
    QVERIFY(added && *added);
    QCOMPARE(changed.count(), 1);
    const auto refused = wait<qint64>(
        [&](Callback<qint64> done) { window.addTest(pingTest(u"wan"_s, {u"edge"_s}), this, done); }, this);
    QVERIFY(refused && !*refused);
    QCOMPARE(refused->error(), u"A test named \"wan\" exists already; pick another name."_s);
    const auto events = wait<QList<EventRecord>>(
        [&](Callback<QList<EventRecord>> done) { window.recentEvents(10, this, done); }, this);
    QVERIFY(events && *events);
    QCOMPARE((*events)->size(), 1);
    QCOMPARE((*events)->constFirst().message, u"Test \"wan\" added (by alice in the console window)"_s);
    QCOMPARE(changed.count(), 1); // neither a refusal nor a query changed anything

    // The asking window closes before the answer: no call into it, but the change is still announced.
    auto context = std::make_unique<QObject>();
    bool called = false;
    window.stopTest(u"wan"_s, context.get(), [&](const Result<Done> &) { called = true; });
    context.reset();
    QVERIFY(changed.wait(WAIT_MS));
    QVERIFY(!called);
    QCOMPARE(changed.count(), 2);
}

void TestAdministration::chartHistory()
{
    const qint64 edge = enroll(u"edge"_s);
    QVERIFY(edge);
    auto local = open(COMMAND_LINE);
    QVERIFY(local);
    Operations &operations = local->operations();
    const auto testId = operations.addTest(pingTest(u"wan"_s, {u"edge"_s}));
    QVERIFY(testId);
    {
        Database db;
        QString error;
        QVERIFY2(db.open(url(), u"tst_administration_samples"_s, &error), qPrintable(error));
        Protocol::Round first;
        first.testId = *testId;
        first.timeMs = 10'000;
        first.values = {{u"ping.rtt_avg_ms"_s, 8.5}, {u"ping.loss_pct"_s, 0}};
        Protocol::Round second = first;
        second.timeMs = 11'000;
        second.values = {{u"ping.loss_pct"_s, 100}};
        second.error = u"timeout"_s;
        QVERIFY2(
            SampleRepository(db).storeResults(edge, Protocol::Results{1, {first, second}, {}, 0}, {}, 20'000, &error),
            qPrintable(error));
    }
    ChartHistoryRequest request;
    request.agentId = edge;
    request.testId = *testId;
    request.metrics = {u"ping.rtt_avg_ms"_s, QString(), u"ping.loss_pct"_s};
    request.fromMs = 10'500;
    request.latestDetail = true;
    auto history = operations.chartHistory(request);
    QVERIFY2(history, qPrintable(history.error()));
    QCOMPARE(history->series.size(), 3);
    QVERIFY(history->series.at(0).times.isEmpty()); // the only RTT is older than fromMs
    QVERIFY(history->series.at(1).times.isEmpty());
    QCOMPARE(history->series.at(2).times, QList<double>{11.0});
    QCOMPARE(history->series.at(2).values, QList<double>{100.0});
    QCOMPARE(history->latestDetail.error, u"timeout"_s); // the newest round failed, and says why
    request.fromMs = 0;
    request.latestDetail = false;
    history = operations.chartHistory(request);
    QVERIFY(history);
    QCOMPARE(history->series.at(0).values, QList<double>{8.5});
    QVERIFY(history->latestDetail.detail.isEmpty() && history->latestDetail.error.isEmpty());
    QVERIFY(history->instance.isEmpty()); // ping's metrics have no instances

    // A metric measured per interface: the history follows one interface (the first by name), for the
    // band too, and says which.
    {
        Database db;
        QString error;
        QVERIFY2(db.open(url(), u"tst_administration_samples"_s, &error), qPrintable(error));
        Protocol::Round round;
        round.testId = *testId;
        round.timeMs = 12'000;
        round.values = {{u"if.rx_bytes_per_s{if=wlan0}"_s, 5}, {u"if.rx_bytes_per_s{if=eth0}"_s, 7},
            {u"if.tx_bytes_per_s{if=eth0}"_s, 3}, {u"if.tx_bytes_per_s{if=wlan0}"_s, 4}};
        QVERIFY2(SampleRepository(db).storeResults(edge, Protocol::Results{2, {round}, {}, 0}, {}, 20'000, &error),
            qPrintable(error));
    }
    request.metrics = {u"if.rx_bytes_per_s"_s, u"if.tx_bytes_per_s"_s};
    history = operations.chartHistory(request);
    QVERIFY2(history, qPrintable(history.error()));
    QCOMPARE(history->instance, u"eth0"_s);
    QCOMPARE(history->series.at(0).values, QList<double>{7});
    QCOMPARE(history->series.at(1).values, QList<double>{3});
}

QTEST_GUILESS_MAIN(TestAdministration)
#include "tst_administration.moc"
