// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include <algorithm>
#include <iterator>

#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include "tests/support/leftoverprocesses.h"
#include "tests/support/processharness.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm::Test;

namespace {

QString binaryDir()
{
    return qEnvironmentVariable("STREAMSWARM_BINARY_DIR");
}

QString describe(const QList<LeftoverProcess> &processes)
{
    QStringList lines;
    for (const LeftoverProcess &process : processes)
        lines.append(u"pid %1: %2"_s.arg(process.pid).arg(process.commandLine));
    return lines.join(u"\n"_s);
}

// An agent with nothing to talk to (and a token of the right shape that no console issued): it
// reconnects for ever, as one left behind by a test does.
QStringList idleAgentArguments(const QString &stateDir)
{
    return {u"--server"_s, u"ws://127.0.0.1:9"_s, u"--insecure"_s, u"--name"_s, u"leftover"_s, u"--state-dir"_s,
        stateDir, u"--token"_s, u"sse_0000000000000000_unusedunusedunusedunusedunusedunusedunused"_s};
}

bool listed(const QList<LeftoverProcess> &processes, qint64 pid)
{
    return std::any_of(
        processes.cbegin(), processes.cend(), [pid](const LeftoverProcess &process) { return process.pid == pid; });
}

} // namespace

// The suite's last test looks for agents and consoles of this build tree that outlived the test that
// started them (nothingOutlivedTheSuite), fails naming them, and ends them. findsOnlyOrphans proves
// the search on an agent orphaned on purpose beside one whose test is alive.
class TestLeftovers final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void findsOnlyOrphans();
    void nothingOutlivedTheSuite();
};

void TestLeftovers::initTestCase()
{
    QVERIFY2(!binaryDir().isEmpty(), "STREAMSWARM_BINARY_DIR is not set: run this from ctest");
}

void TestLeftovers::findsOnlyOrphans()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    // One agent this test owns, as a running test does.
    ManagedProcess owned(agentBinary(), idleAgentArguments(dir.filePath(u"owned"_s)));
    QVERIFY(owned.start());
    // One orphaned at once (startDetached forks twice): init is its parent. It names this test as its
    // owner, so a check run meanwhile by another ctest in the same tree leaves it alone.
    QProcess detached;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(u"STREAMSWARM_TEST_OWNER"_s, QString::number(QCoreApplication::applicationPid()));
    detached.setProcessEnvironment(environment);
    detached.setProgram(agentBinary());
    detached.setArguments(idleAgentArguments(dir.filePath(u"orphan"_s)));
    qint64 orphan = 0;
    QVERIFY(detached.startDetached(&orphan));
    const qint64 self = QCoreApplication::applicationPid();

    QList<LeftoverProcess> found;
    QTRY_VERIFY_WITH_TIMEOUT(listed(found = leftoverProcesses(binaryDir(), self), orphan), 5000);
    QVERIFY2(!listed(found, owned.pid()), qPrintable(describe(found)));
    QList<LeftoverProcess> mine;
    std::copy_if(found.cbegin(), found.cend(), std::back_inserter(mine),
        [orphan](const LeftoverProcess &process) { return process.pid == orphan; });
    QVERIFY2(mine.constFirst().commandLine.startsWith(agentBinary() + u" --server"_s), qPrintable(describe(mine)));
    // Its owner is alive: to anyone else's check it is not left over.
    QVERIFY(!listed(leftoverProcesses(binaryDir()), orphan));
    QVERIFY(killLeftovers(mine).isEmpty());
    QVERIFY(!listed(leftoverProcesses(binaryDir(), self), orphan));
    QVERIFY(owned.isRunning());
}

void TestLeftovers::nothingOutlivedTheSuite()
{
    const QList<LeftoverProcess> leftovers = leftoverProcesses(binaryDir());
    if (leftovers.isEmpty())
        return;
    const QList<LeftoverProcess> survivors = killLeftovers(leftovers);
    QFAIL(qPrintable(u"%1 process(es) of this build tree outlived the test that started them (now killed%2):\n%3"_s
                         .arg(leftovers.size())
                         .arg(survivors.isEmpty() ? QString() : u", but %1 survived"_s.arg(survivors.size()))
                         .arg(describe(leftovers))));
}

QTEST_GUILESS_MAIN(TestLeftovers)
#include "tst_leftovers.moc"
