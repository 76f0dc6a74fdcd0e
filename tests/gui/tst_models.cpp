// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include <QAbstractItemModelTester>
#include <QDateTime>
#include <QSignalSpy>
#include <QTest>

#include "console/models/agentlistmodel.h"
#include "console/models/testlistmodel.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm::Console;

namespace {

constexpr qint64 NOW_MS = 1'780'000'000'000;

AgentRecord agent(qint64 id, const QString &name, bool online, bool revoked = false)
{
    AgentRecord record;
    record.id = id;
    record.name = name;
    record.host = name + u".example.net"_s;
    record.os = u"Debian GNU/Linux 12"_s;
    record.version = u"0.1.0"_s;
    record.online = online;
    record.revoked = revoked;
    record.lastSeenMs = online ? NOW_MS : 0;
    return record;
}

TestRecord test(qint64 id, const QString &name, qint64 intervalMs, const QStringList &agents)
{
    TestRecord record;
    record.id = id;
    record.name = name;
    record.type = u"ping"_s;
    record.target = u"192.0.2.%1"_s.arg(id);
    record.intervalMs = intervalMs;
    record.agentNames = agents;
    record.allAgents = agents.isEmpty();
    record.createdAtMs = NOW_MS - 60'000;
    return record;
}

QString text(const QAbstractItemModel &model, int row, int column)
{
    return model.index(row, column).data().toString();
}

QStringList column(const QAbstractItemModel &model, int column)
{
    QStringList texts;
    for (int row = 0; row < model.rowCount(); ++row)
        texts.append(text(model, row, column));
    return texts;
}

} // namespace

class TestModels final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void agentsFollowSnapshots();
    void agentTexts();
    void testsFollowSnapshots();
    void testTexts();
};

void TestModels::agentsFollowSnapshots()
{
    AgentListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    QSignalSpy changes(&model, &QAbstractItemModel::dataChanged);
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.columnCount(), int(AgentListModel::ColumnCount));

    const AgentRecord a = agent(1, u"alpha"_s, true);
    const AgentRecord b = agent(2, u"bravo"_s, false);
    const AgentRecord c = agent(3, u"charlie"_s, false, true);

    model.setAgents({a}); // grow from empty
    QCOMPARE(column(model, AgentListModel::Name), QStringList({u"alpha"_s}));
    model.setAgents({a, b, c}); // grow
    QCOMPARE(column(model, AgentListModel::Name), QStringList({u"alpha"_s, u"bravo"_s, u"charlie"_s}));
    QCOMPARE(resets.count(), 2);

    // The same rows again: updated in place, so a selection in the view survives.
    AgentRecord bOnline = b;
    bOnline.online = true;
    model.setAgents({a, bOnline, c});
    QCOMPARE(resets.count(), 2);
    QCOMPARE(changes.count(), 1);
    QCOMPARE(text(model, 1, AgentListModel::Status), u"online"_s);

    model.setAgents({c, a, bOnline}); // reordered
    QCOMPARE(column(model, AgentListModel::Name), QStringList({u"charlie"_s, u"alpha"_s, u"bravo"_s}));
    QCOMPARE(model.index(0, 0).data(AgentListModel::AgentIdRole).toLongLong(), 3);
    model.setAgents({a}); // shrink
    QCOMPARE(column(model, AgentListModel::Name), QStringList({u"alpha"_s}));
    model.setAgents({}); // to empty
    QCOMPARE(model.rowCount(), 0);
    model.setAgents({}); // identical and empty
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(resets.count(), 5);
}

void TestModels::agentTexts()
{
    AgentListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setAgents({agent(1, u"alpha"_s, true), agent(2, u"bravo"_s, false), agent(3, u"charlie"_s, false, true)});

    QCOMPARE(column(model, AgentListModel::Status), QStringList({u"online"_s, u"offline"_s, u"revoked"_s}));
    QCOMPARE(text(model, 0, AgentListModel::Host), u"alpha.example.net"_s);
    QCOMPARE(text(model, 0, AgentListModel::Os), u"Debian GNU/Linux 12"_s);
    QCOMPARE(text(model, 1, AgentListModel::LastSeen), u"never"_s);
    QVERIFY(!text(model, 0, AgentListModel::LastSeen).isEmpty());
    QVERIFY(text(model, 0, AgentListModel::LastSeen) != u"never"_s);
    QCOMPARE(model.index(0, 0).data(AgentListModel::OnlineRole).toBool(), true);
    QCOMPARE(model.index(1, 0).data(AgentListModel::OnlineRole).toBool(), false);
    QVERIFY(model.index(0, AgentListModel::Name).data(Qt::ToolTipRole).toString().contains(u"0.1.0"_s));

    QCOMPARE(model.headerData(AgentListModel::Name, Qt::Horizontal).toString(), u"Agent"_s);
    QCOMPARE(model.headerData(AgentListModel::Status, Qt::Horizontal).toString(), u"Status"_s);
    QCOMPARE(model.headerData(AgentListModel::LastSeen, Qt::Horizontal).toString(), u"Last seen"_s);
    QVERIFY(!model.headerData(0, Qt::Vertical).isValid());
}

void TestModels::testsFollowSnapshots()
{
    TestListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    QSignalSpy changes(&model, &QAbstractItemModel::dataChanged);
    QCOMPARE(model.columnCount(), int(TestListModel::ColumnCount));

    const TestRecord one = test(1, u"ping-one"_s, 1000, {u"alpha"_s});
    const TestRecord two = test(2, u"ping-two"_s, 500, {u"alpha"_s, u"bravo"_s});
    const TestRecord three = test(3, u"ping-all"_s, 60'000, {});

    model.setTests({one}, NOW_MS);
    model.setTests({one, two, three}, NOW_MS);
    QCOMPARE(column(model, TestListModel::Name), QStringList({u"ping-one"_s, u"ping-two"_s, u"ping-all"_s}));
    QCOMPARE(resets.count(), 2);

    model.setTests({one, two, three}, NOW_MS + 1000); // identical: the clock moved, rows stay
    QCOMPARE(resets.count(), 2);
    QCOMPARE(changes.count(), 1);

    model.setTests({three, one, two}, NOW_MS);
    QCOMPARE(column(model, TestListModel::Name), QStringList({u"ping-all"_s, u"ping-one"_s, u"ping-two"_s}));
    QCOMPARE(model.index(0, 0).data(TestListModel::TestIdRole).toLongLong(), 3);
    model.setTests({two}, NOW_MS);
    QCOMPARE(column(model, TestListModel::Name), QStringList({u"ping-two"_s}));
    model.setTests({}, NOW_MS);
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(resets.count(), 5);
}

void TestModels::testTexts()
{
    TestListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    TestRecord timed = test(2, u"ping-short"_s, 500, {u"alpha"_s, u"bravo"_s});
    timed.durationMs = 30'000; // ended 30 s before NOW_MS
    TestRecord stopped = test(3, u"ping-stopped"_s, 60'000, {});
    stopped.stoppedAtMs = NOW_MS - 1000;
    model.setTests({test(1, u"ping-one"_s, 1000, {u"alpha"_s}), timed, stopped}, NOW_MS);

    QCOMPARE(column(model, TestListModel::Type), QStringList({u"ping"_s, u"ping"_s, u"ping"_s}));
    QCOMPARE(column(model, TestListModel::Target), QStringList({u"192.0.2.1"_s, u"192.0.2.2"_s, u"192.0.2.3"_s}));
    QCOMPARE(column(model, TestListModel::Interval), QStringList({u"1s"_s, u"500ms"_s, u"1m"_s}));
    QCOMPARE(column(model, TestListModel::State), QStringList({u"running"_s, u"finished"_s, u"stopped"_s}));
    QCOMPARE(column(model, TestListModel::Agents), QStringList({u"alpha"_s, u"alpha, bravo"_s, u"all"_s}));
    QCOMPARE(model.index(0, 0).data(TestListModel::TestTypeRole).toString(), u"ping"_s);
    QCOMPARE(model.headerData(TestListModel::Interval, Qt::Horizontal).toString(), u"Every"_s);
}

QTEST_GUILESS_MAIN(TestModels)
#include "tst_models.moc"
