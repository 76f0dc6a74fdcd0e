// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
//
// The console's disk fills up under ingest: batches are refused with a plain reason (no ack, so the
// agent keeps them), and once space is freed everything is stored, with no round lost or stored
// twice. The disk is a small tmpfs the test mounts (root only, as in CI).
#include <sys/mount.h>

#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStorageInfo>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

#include "tests/support/processharness.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm::Test;

class TestDiskFull final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void fullDiskRefusesAndLosesNothing();

private:
    QList<qint64> roundTimes();
    bool fill(qint64 leaveFreeBytes);

    QTemporaryDir m_dir;
    QString m_disk;
    bool m_mounted = false;
};

void TestDiskFull::initTestCase()
{
    if (::geteuid() != 0)
        QSKIP("Needs root to mount a small disk (CI runs as root).");
    QVERIFY(m_dir.isValid());
    m_disk = m_dir.filePath(u"disk"_s);
    QVERIFY(QDir().mkpath(m_disk));
    m_mounted = ::mount("tmpfs", QFile::encodeName(m_disk).constData(), "tmpfs", 0, "size=8m,mode=0700") == 0;
    if (!m_mounted)
        QSKIP("This machine does not let tests mount a tmpfs.");
}

void TestDiskFull::cleanupTestCase()
{
    if (m_mounted)
        ::umount2(QFile::encodeName(m_disk).constData(), MNT_DETACH);
}

bool TestDiskFull::fill(qint64 leaveFreeBytes)
{
    // A filler file takes all but leaveFreeBytes of the disk.
    QFile filler(m_disk + u"/filler"_s);
    if (!filler.open(QIODevice::WriteOnly | QIODevice::Append))
        return false;
    const QByteArray block(64 * 1024, 'x');
    for (int guard = 0; guard < 1000; ++guard) {
        QStorageInfo disk(m_disk);
        disk.refresh();
        const qint64 free = disk.bytesAvailable();
        if (free <= leaveFreeBytes)
            return true;
        const qint64 chunk = std::min<qint64>(block.size(), free - leaveFreeBytes);
        if (filler.write(block.constData(), chunk) != chunk || !filler.flush())
            return true; // full already
    }
    return false;
}

QList<qint64> TestDiskFull::roundTimes()
{
    QList<qint64> times;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"probe"_s);
        db.setDatabaseName(m_disk + u"/console/streamswarm.db"_s);
        db.setConnectOptions(u"QSQLITE_OPEN_READONLY;QSQLITE_BUSY_TIMEOUT=5000"_s);
        if (db.open()) {
            QSqlQuery query(db);
            if (!query.exec(u"SELECT s.t FROM samples s JOIN metrics m ON m.id = s.metric_id WHERE m.name = "
                            "'ping.sent' UNION ALL SELECT t FROM details WHERE kind = 'failed' ORDER BY 1"_s))
                qWarning().noquote() << "probe:" << query.lastError().text();
            while (query.next())
                times.append(query.value(0).toLongLong());
        } else {
            qWarning().noquote() << "probe:" << db.lastError().text();
        }
    }
    QSqlDatabase::removeDatabase(u"probe"_s);
    return times;
}

void TestDiskFull::fullDiskRefusesAndLosesNothing()
{
    ConsoleHarness console(m_disk + u"/console"_s, false);
    QVERIFY2(console.start(), qPrintable(console.process().output()));
    const CommandResult token = console.cli({u"token"_s, u"create"_s, u"lab"_s, u"--uses"_s, u"1"_s});
    QCOMPARE(token.exitCode, 0);
    ManagedProcess agent(agentBinary(),
        {u"--server"_s, console.serverUrl(), u"--insecure"_s, u"--name"_s, u"edge"_s, u"--state-dir"_s,
            m_dir.filePath(u"agent"_s), u"--token"_s, token.out.trimmed()});
    QVERIFY(agent.start());
    QVERIFY2(agent.waitForOutput(u"online as edge"_s, 15000), qPrintable(agent.output()));
    const CommandResult added = console.cli({u"test"_s, u"add"_s, u"--name"_s, u"beat"_s, u"--type"_s, u"ping"_s,
        u"--target"_s, u"127.0.0.1"_s, u"--interval"_s, u"200ms"_s, u"--continuous"_s, u"--agents"_s, u"edge"_s});
    QVERIFY2(added.exitCode == 0, qPrintable(added.err));
    QTRY_VERIFY_WITH_TIMEOUT(roundTimes().size() > 10, 20000);

    // The disk fills up: the console refuses batches and says why; the agent keeps them.
    QVERIFY(fill(0));
    QVERIFY2(agent.waitForOutput(u"The console's disk is full"_s, 30000), qPrintable(agent.output().right(2000)));
    QTest::qWait(2000);
    // Space comes back: what the agent kept is stored, and the rounds go on.
    QVERIFY(QFile::remove(m_disk + u"/filler"_s));
    const qint64 freedAt = QDateTime::currentMSecsSinceEpoch();
    QElapsedTimer waited;
    waited.start();
    while (waited.elapsed() < 40000) {
        const QList<qint64> times = roundTimes();
        if (!times.isEmpty() && times.last() > freedAt + 1000)
            break;
        QTest::qWait(250);
    }
    const QList<qint64> times = roundTimes();
    if (times.isEmpty() || times.last() <= freedAt + 1000) {
        qInfo().noquote() << "---- agent\n" << agent.output().right(3000);
        qInfo().noquote() << "---- console\n" << console.process().output().right(3000);
    }
    QVERIFY2(!times.isEmpty() && times.last() > freedAt + 1000, "ingest did not resume");
    QStringList gaps;
    for (qsizetype i = 1; i < times.size(); ++i) {
        if (times.at(i) == times.at(i - 1))
            gaps.append(u"round at %1 stored twice"_s.arg(times.at(i)));
        else if (times.at(i) - times.at(i - 1) > 300)
            gaps.append(u"%1 ms after %2"_s.arg(times.at(i) - times.at(i - 1)).arg(times.at(i - 1)));
    }
    QVERIFY2(gaps.isEmpty(), qPrintable(gaps.join(u"; "_s)));

    // The event log says when the disk was full and when space came back, once each.
    const CommandResult events = console.cli({u"event"_s, u"list"_s, u"--json"_s, u"--limit"_s, u"1000"_s});
    QCOMPARE(events.exitCode, 0);
    QMap<QString, QStringList> said;
    const QJsonArray list = QJsonDocument::fromJson(events.out.toUtf8()).array();
    for (const QJsonValue &event : list)
        said[event[u"kind"_s].toString()].append(event[u"message"_s].toString());
    QCOMPARE(said.value(u"disk-full"_s).size(), 1);
    QVERIFY2(said.value(u"disk-full"_s).constFirst().contains(u"is full"_s), qPrintable(events.out));
    QCOMPARE(said.value(u"disk-space-back"_s).size(), 1);
    QVERIFY2(said.value(u"disk-space-back"_s).constFirst().contains(u"stored again"_s), qPrintable(events.out));
    QVERIFY2(console.process().output().contains(u"The disk that holds the database is full"_s),
        qPrintable(console.process().output().right(2000)));
    agent.terminate();
    console.process().terminate();
    QVERIFY(console.process().waitForExit(15000));
}

QTEST_GUILESS_MAIN(TestDiskFull)
#include "tst_diskfull.moc"
