// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
//
// TestRepository: tests added, listed and stopped, and what it refuses.
#include <QTest>

#include "console/storage/agentrepository.h"
#include "console/storage/database.h"
#include "console/storage/testrepository.h"
#include "tests/unit/storagefixture.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm;
using namespace StreamSwarm::Console;
using namespace StreamSwarm::Test;

class TestTestRepository final : public StorageTestCase
{
    Q_OBJECT
private Q_SLOTS:
    void testsAddListStop();
};

void TestTestRepository::testsAddListStop()
{
    Database db;
    QString error;
    QVERIFY2(db.open(url(), u"main"_s, &error), qPrintable(error));
    qint64 alpha = 0;
    qint64 beta = 0;
    qint64 gamma = 0;
    QVERIFY(enroll(db, u"beta"_s, &beta, &error));
    QVERIFY(enroll(db, u"alpha"_s, &alpha, &error));
    QVERIFY(enroll(db, u"gamma"_s, &gamma, &error));
    QVERIFY(AgentRepository(db).revoke(u"gamma"_s, nullptr, &error));

    TestRepository tests(db);
    TestRecord wan;
    wan.name = u"wan"_s;
    wan.type = u"ping"_s;
    wan.target = u"192.0.2.1"_s;
    wan.intervalMs = 1000;
    wan.durationMs = 60'000;
    wan.params = {{u"count"_s, u"3"_s}, {u"spacing"_s, u"20ms"_s}};
    wan.agentNames = {u"beta"_s, u"alpha"_s};
    wan.createdAtMs = 5000;
    const auto wanId = tests.add(wan, &error);
    QVERIFY2(wanId, qPrintable(error));

    TestRecord ghost = wan;
    ghost.name = u"t2"_s;
    ghost.agentNames = {u"alpha"_s, u"ghost"_s};
    QVERIFY(!tests.add(ghost, &error));
    QCOMPARE(error, u"There is no agent named \"ghost\"; see 'agent list'."_s);

    TestRecord revoked = wan;
    revoked.name = u"t3"_s;
    revoked.agentNames = {u"gamma"_s};
    QVERIFY(!tests.add(revoked, &error));
    QCOMPARE(error, u"The agent \"gamma\" was revoked and cannot run tests."_s);

    QVERIFY(!tests.add(wan, &error));
    QCOMPARE(error, u"A test named \"wan\" exists already; pick another name."_s);

    // Refusals write nothing: another test can still be added, and nothing half-made is left.
    TestRecord everyone;
    everyone.name = u"everyone"_s;
    everyone.type = u"ping"_s;
    everyone.target = u"example.net"_s;
    everyone.intervalMs = 10'000;
    everyone.allAgents = true;
    everyone.createdAtMs = 6000;
    const auto everyoneId = tests.add(everyone, &error);
    QVERIFY2(everyoneId, qPrintable(error));
    QVERIFY(*everyoneId != *wanId);

    auto list = tests.list(&error);
    QVERIFY2(list, qPrintable(error));
    QCOMPARE(list->size(), 2);
    const TestRecord &first = list->at(0);
    QCOMPARE(first.id, *wanId);
    QCOMPARE(first.name, u"wan"_s);
    QCOMPARE(first.type, u"ping"_s);
    QCOMPARE(first.target, u"192.0.2.1"_s);
    QCOMPARE(first.intervalMs, qint64(1000));
    QCOMPARE(first.durationMs, qint64(60'000));
    QCOMPARE(first.params, wan.params);
    QVERIFY(!first.allAgents);
    QCOMPARE(first.agentNames, (QStringList{u"alpha"_s, u"beta"_s}));
    QCOMPARE(first.agentIds, (QList<qint64>{alpha, beta}));
    QCOMPARE(first.createdAtMs, qint64(5000));
    QCOMPARE(first.stoppedAtMs, qint64(0));
    QCOMPARE(first.stateAt(64'999), TestState::Running);
    QCOMPARE(first.stateAt(65'000), TestState::Finished);
    const TestRecord &second = list->at(1);
    QCOMPARE(second.name, u"everyone"_s);
    QVERIFY(second.allAgents);
    QVERIFY(second.agentNames.isEmpty());
    QCOMPARE(second.durationMs, qint64(0));
    QVERIFY(second.params.isEmpty());

    QVERIFY2(tests.stop(u"everyone"_s, 9000, &error), qPrintable(error));
    list = tests.list(&error);
    QCOMPARE(list->at(1).stoppedAtMs, qint64(9000));
    QCOMPARE(list->at(1).stateAt(9001), TestState::Stopped);
    QCOMPARE(list->at(0).stoppedAtMs, qint64(0));
    QVERIFY(!tests.stop(u"everyone"_s, 9500, &error));
    QCOMPARE(error, u"There is no running test named \"everyone\"; see 'test list'."_s);
    QVERIFY(!tests.stop(u"nope"_s, 9500, &error));
    QVERIFY2(error.contains(u"\"nope\""), qPrintable(error));
    QCOMPARE(tests.list(&error)->at(1).stoppedAtMs, qint64(9000));
}

QTEST_GUILESS_MAIN(TestTestRepository)
#include "tst_testrepository.moc"
