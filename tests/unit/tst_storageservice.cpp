// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
//
// StorageService: jobs in order on its own thread, answers only to living contexts, and changes made by other
// connections announced.
#include <functional>
#include <memory>

#include <QDateTime>
#include <QDeadlineTimer>
#include <QProcess>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include "console/storage/database.h"
#include "console/storage/samplerepository.h"
#include "console/storage/storageservice.h"
#include "console/storage/tokenrepository.h"
#include "tests/unit/storagefixture.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm;
using namespace StreamSwarm::Console;
using namespace StreamSwarm::Test;

namespace {

// A change as the command line makes one (Operations::write): one transaction that announces itself
// to the other programs on the database (PostgreSQL's NOTIFY; SQLite's readers see its version).
bool change(Database &db, const std::function<bool(TokenRepository &, QString *)> &what)
{
    QString error;
    TokenRepository tokens(db);
    if (!db.beginWrite(&error))
        return false;
    if (!what(tokens, &error) || !db.announceChange(&error) || !db.commit(&error)) {
        qWarning("%s", qPrintable(error));
        db.rollback();
        return false;
    }
    return true;
}

} // namespace

class TestStorageService final : public StorageTestCase
{
    Q_OBJECT
private Q_SLOTS:
    void serviceRunsJobsInOrderOnItsThread();
    void serviceDropsAnswersForDestroyedContext();
    void serviceOpenFailure();
    void changedElsewhereForOtherConnections();
    void changedElsewhereQuietForOwnWrites();
    void postgresComesBackAfterARestart();
    void maintenanceRollsUpAndKeepsToRetention();
};

void TestStorageService::serviceRunsJobsInOrderOnItsThread()
{
    StorageService service;
    QString error;
    QVERIFY2(service.open(url(), &error), qPrintable(error));
    QCOMPARE(service.url().displayName(), url().displayName());

    struct Answer
    {
        int index = -1;
        bool created = false;
        QThread *jobThread = nullptr;
    };
    constexpr int JOBS = 50;
    QList<int> order;
    QSet<QThread *> jobThreads;
    QSet<QThread *> doneThreads;
    for (int i = 0; i < JOBS; ++i) {
        service.run(
            this,
            [i](Repositories &repositories) {
                QString why;
                const bool created = repositories.tokens.create(u"t%1"_s.arg(i), 1, 0, &why).has_value();
                return Answer{i, created, QThread::currentThread()};
            },
            [&](const Answer &answer) {
                QVERIFY(answer.created);
                order.append(answer.index);
                jobThreads.insert(answer.jobThread);
                doneThreads.insert(QThread::currentThread());
            });
    }
    QVERIFY(order.isEmpty()); // answers arrive through the event loop, never inline

    service.drain(); // every job has run now; their answers are queued to this thread
    QTRY_COMPARE_WITH_TIMEOUT(order.size(), JOBS, 5000);
    QList<int> expected;
    for (int i = 0; i < JOBS; ++i)
        expected.append(i);
    QCOMPARE(order, expected);
    QCOMPARE(doneThreads, QSet<QThread *>{QThread::currentThread()});
    QCOMPARE(jobThreads.size(), 1);
    QVERIFY(!jobThreads.contains(QThread::currentThread()));

    // The jobs really wrote: another connection sees all the tokens.
    Database other;
    QVERIFY2(other.open(url(), u"check"_s, &error), qPrintable(error));
    QCOMPARE(TokenRepository(other).list(&error)->size(), JOBS);
}

void TestStorageService::serviceDropsAnswersForDestroyedContext()
{
    StorageService service;
    QString error;
    QVERIFY2(service.open(url(), &error), qPrintable(error));
    bool goneCalled = false;
    bool laterCalled = false;
    auto context = std::make_unique<QObject>();
    service.run(
        context.get(), [](Repositories &) { return 1; }, [&](int) { goneCalled = true; });
    context.reset();
    service.run(
        this, [](Repositories &) { return 2; }, [&](int) { laterCalled = true; });
    // Answers arrive in order, so once the second has arrived the first would have, too.
    QTRY_VERIFY_WITH_TIMEOUT(laterCalled, 5000);
    QVERIFY(!goneCalled);
}

void TestStorageService::serviceOpenFailure()
{
    if (onPostgres())
        QSKIP("About an SQLite file; tst_database_postgres has PostgreSQL's open failures.");
    QVERIFY(writeFile(dbPath(), QByteArray(8192, 'x')));
    StorageService service;
    QString error;
    QVERIFY(!service.open(url(), &error));
    QVERIFY2(error.contains(dbPath()), qPrintable(error));
}

void TestStorageService::changedElsewhereForOtherConnections()
{
    StorageService service;
    QString error;
    QVERIFY2(service.open(url(), &error), qPrintable(error));
    QSignalSpy spy(&service, &StorageService::changedElsewhere);

    Database cli; // what `streamswarm-console token create` does, from another connection
    QVERIFY2(cli.open(url(), u"cli"_s, &error), qPrintable(error));
    QVERIFY(change(cli,
        [](TokenRepository &tokens, QString *why) { return tokens.create(u"from-cli"_s, 1, 0, why).has_value(); }));
    QVERIFY2(spy.wait(1000), "no changedElsewhere() within 1 s of another connection's commit");

    // Each later change is noticed again.
    spy.clear();
    QVERIFY(change(cli, [](TokenRepository &tokens, QString *why) { return tokens.revoke(u"from-cli"_s, why); }));
    QVERIFY2(spy.wait(1000), "no changedElsewhere() for the second change");
}

void TestStorageService::changedElsewhereQuietForOwnWrites()
{
    StorageService service;
    QString error;
    QVERIFY2(service.open(url(), &error), qPrintable(error));
    QSignalSpy spy(&service, &StorageService::changedElsewhere);

    bool written = false;
    service.run(
        this,
        [](Repositories &repositories) {
            return change(repositories.db,
                [](TokenRepository &tokens, QString *why) { return tokens.create(u"own"_s, 1, 0, why).has_value(); });
        },
        [&](bool created) { written = created; });
    QTRY_VERIFY_WITH_TIMEOUT(written, 5000);
    // The worker polls every 200 ms: four polls pass without a signal.
    QVERIFY2(!spy.wait(800), "changedElsewhere() fired for the service's own write");

    // The same service does notice a foreign write (so the silence above means something).
    Database cli;
    QVERIFY2(cli.open(url(), u"cli"_s, &error), qPrintable(error));
    QVERIFY(change(
        cli, [](TokenRepository &tokens, QString *why) { return tokens.create(u"foreign"_s, 1, 0, why).has_value(); }));
    QVERIFY(spy.wait(1000));
}

void TestStorageService::postgresComesBackAfterARestart()
{
    if (!onPostgres())
        QSKIP("PostgreSQL only: an SQLite file does not go away.");
    // A server of this test's own, since it is stopped dead in the middle.
    QTemporaryDir state;
    const QString script = qEnvironmentVariable("STREAMSWARM_SOURCE_DIR") + u"/tests/support/postgres-server"_s;
    const auto server = [&](const QString &action) {
        QProcess process;
        process.start(script, {action, state.path()});
        return process.waitForFinished(60000) && process.exitCode() == 0;
    };
    QVERIFY(server(u"start"_s));
    const auto stopServer = qScopeGuard([&] { server(u"stop"_s); }); // also when a check fails
    const auto url = DatabaseUrl::parse(QString::fromUtf8(readFile(state.filePath(u"url"_s))).trimmed(), nullptr);
    QVERIFY(url);

    StorageService service;
    QString error;
    QVERIFY2(service.open(*url, &error), qPrintable(error));
    const auto createToken = [&](const QString &name) {
        std::optional<bool> created;
        service.run(
            this,
            [name](Repositories &repositories) {
                QString why;
                const bool done = repositories.tokens.create(name, 1, 0, &why).has_value();
                if (!done)
                    qInfo("%s", qPrintable(why));
                return done;
            },
            [&](bool done) { created = done; });
        QDeadlineTimer deadline(10000);
        while (!created && !deadline.hasExpired())
            QTest::qWait(20);
        return created.value_or(false);
    };
    QVERIFY(createToken(u"before"_s));
    QVERIFY(server(u"halt"_s));
    QVERIFY(!createToken(u"while-down"_s)); // fails, and says why
    QVERIFY(server(u"resume"_s));
    // Within a few seconds the service has its connection back, without being told.
    bool back = false;
    for (QDeadlineTimer deadline(15000); !back && !deadline.hasExpired();)
        back = createToken(u"after"_s) || (QTest::qWait(200), false);
    QVERIFY(back);
    QVERIFY(createToken(u"after-again"_s));
}

void TestStorageService::maintenanceRollsUpAndKeepsToRetention()
{
    // Rounds from 40 days ago and from 2 days ago, stored before the maintenance starts (as after an
    // upgrade, or a console that was off): it rolls them up and removes the raw samples past 30 days.
    qint64 alpha = 0, beta = 0, wan = 0, lan = 0;
    QString error;
    {
        Database db;
        QVERIFY2(db.open(url(), u"seed"_s, &error), qPrintable(error));
        QVERIFY2(seed(db, &alpha, &beta, &wan, &lan, &error), qPrintable(error));
        SampleRepository samples(db);
        const qint64 day = 86'400'000;
        const qint64 today = QDateTime::currentMSecsSinceEpoch() / day * day;
        qint64 seq = 0;
        for (const qint64 start : {today - 40 * day, today - 2 * day}) {
            QList<Protocol::Round> rounds;
            for (int i = 0; i < 120; ++i)
                rounds.append(round(wan, start + i * 1000, {{u"ping.rtt_avg_ms"_s, 1.0 + i % 7}}));
            QVERIFY(store(samples, alpha, ++seq, rounds, &error) == StoreOutcome::Stored);
        }
    }
    StorageService service;
    QVERIFY2(service.open(url(), &error), qPrintable(error));
    service.startMaintenance();
    Database probe;
    QVERIFY2(probe.open(url(), u"probe"_s, &error), qPrintable(error));
    const auto settled = [&] {
        return column(probe, u"SELECT COUNT(*) FROM rollup_pending"_s) == QStringList{u"0"_s}
        && column(probe, u"SELECT COUNT(*) FROM samples"_s) == QStringList{u"120"_s};
    };
    for (QDeadlineTimer deadline(20000); !settled() && !deadline.hasExpired();)
        QTest::qWait(100);
    QVERIFY2(settled(), qPrintable(column(probe, u"SELECT COUNT(*) FROM samples"_s).join(u',')));
    // Both days' rollups are kept (a year for minutes, five for hours); only the recent day's samples.
    QCOMPARE(column(probe, u"SELECT SUM(n) FROM rollups_minute"_s), QStringList{u"240"_s});
    qint64 hours = 0;
    for (const QString &hour : hourRollups(probe))
        hours += hour.section(u'|', 1, 1).toLongLong();
    QCOMPARE(hours, qint64(240));
}

QTEST_GUILESS_MAIN(TestStorageService)
#include "tst_storageservice.moc"
