// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
//
// `streamswarm-console report` run as users run it, on a database of known figures (a generated month)
// and on one a real agent filled; each PDF checked with poppler: pdfinfo (pages, paper), pdftotext
// (names, period, the summary sentence), pdffonts (embedded), pdftoppm (every page renders).
#include <QDateTime>
#include <QDeadlineTimer>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include "console/app/localadministration.h"
#include "tests/support/processharness.h"
#include "tests/support/reportseed.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm::Test;

namespace {

constexpr qint64 MINUTE_MS = 60 * 1000;
constexpr qint64 DAY_MS = 24 * 60 * MINUTE_MS;
constexpr qint64 STEP_MS = 5 * MINUTE_MS;

// pdftotext's words with every run of white space made one space, so that a sentence wrapped over
// lines is still found whole.
QString pdfText(const QString &pdf)
{
    const CommandResult text = runCommand(u"pdftotext"_s, {u"-enc"_s, u"UTF-8"_s, pdf, u"-"_s});
    return text.out.simplified();
}

QString pdfInfo(const QString &pdf, const QString &field)
{
    const CommandResult info = runCommand(u"pdfinfo"_s, {pdf});
    const QRegularExpression line(u"^%1:\\s*(.*)$"_s.arg(field), QRegularExpression::MultilineOption);
    return line.match(info.out).captured(1).trimmed();
}

} // namespace

class TestReports : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void everyTemplateFromAGeneratedMonth();
    void evidenceKeepsItsChecksum();
    void badInputIsRefusedPlainly();
    void aPeriodWithoutDataSaysSo();
    void fromARealAgentRun();
    void schedulesCatchUpAndPrint();

private:
    // Runs the report command on the seeded database; the PDF's path.
    CommandResult report(const QStringList &arguments) const;
    void checkPdf(const QString &pdf, int pages, const QString &paper);

    QTemporaryDir m_dir;
    ReportSeed m_seed;
};

void TestReports::initTestCase()
{
    QVERIFY(m_dir.isValid());
    // To look at the reports afterwards (the note on an issue describes them).
    if (qEnvironmentVariableIsSet("STREAMSWARM_KEEP_REPORTS")) {
        m_dir.setAutoRemove(false);
        qInfo("The reports stay in %s", qPrintable(m_dir.path()));
    }
    // Three agents pinging every 5 minutes for 30 days. agent-01: every tenth round slow (over the 25 ms
    // target), two outages (30 minutes failed on day 3, 10 minutes lost on day 17) and a traced path
    // that goes another way during them; agent-02: 6 hours away on day 10.
    m_seed.path = m_dir.filePath(u"month.db"_s);
    m_seed.agents = 3;
    m_seed.fromMs = (QDateTime::currentMSecsSinceEpoch() / DAY_MS - 32) * DAY_MS;
    m_seed.stepMs = STEP_MS;
    m_seed.rounds = 30 * DAY_MS / STEP_MS;
    m_seed.slowEvery = 10;
    m_seed.outages = {{0, m_seed.fromMs + 2 * DAY_MS + 10 * 60 * MINUTE_MS, 6, true},
        {0, m_seed.fromMs + 16 * DAY_MS + 14 * 60 * MINUTE_MS, 2, false}};
    m_seed.gaps = {{1, m_seed.fromMs + 9 * DAY_MS + 3 * 60 * MINUTE_MS, 6 * 60 * MINUTE_MS}};
    m_seed.tracingAgents = 1;
    m_seed.traceStepMs = STEP_MS;
    QString error;
    QVERIFY2(m_seed.write(&error), qPrintable(error));

    // An alert on agent-01's loss that fired at both outages; the first was acknowledged.
    StreamSwarm::Console::LocalAdministration local({StreamSwarm::Console::Actor::Origin::CommandLine, u"operator"_s});
    QVERIFY2(local.open(StreamSwarm::Console::DatabaseUrl::sqliteFile(m_seed.path), u"tst_reports"_s, &error),
        qPrintable(error));
    StreamSwarm::Console::Operations &operations = local.operations();
    StreamSwarm::Console::AlertRule rule;
    rule.name = u"dc-loss"_s;
    rule.testName = u"ping-dc"_s;
    rule.metric = u"ping.loss_pct"_s;
    rule.raiseLevel = 50;
    const auto ruleId = operations.addAlert(rule);
    QVERIFY2(ruleId, qPrintable(ruleId.error()));
    const auto agent = operations.findAgent(ReportSeed::agentName(0));
    QVERIFY(agent && *agent);
    for (int i = 0; i < 2; ++i) {
        const ReportSeed::Outage &outage = m_seed.outages.at(i);
        QVERIFY(operations.recordConditions({{*ruleId, (*agent)->id, true, outage.startMs, 100}}));
        if (i == 0)
            QVERIFY(operations.acknowledgeAlert(u"dc-loss"_s, u"line card replaced"_s));
        QVERIFY(operations.recordConditions(
            {{*ruleId, (*agent)->id, false, outage.startMs + outage.rounds * m_seed.stepMs, 0}}));
    }
    // The traceroutes the alert started would run from now on; the seeded month has none of them.
    const auto tests = operations.tests();
    for (const auto &test : *tests) {
        if (test.name.startsWith(u"diag-"_s))
            QVERIFY(operations.deleteTest(test.name, false));
    }
}

CommandResult TestReports::report(const QStringList &arguments) const
{
    return runCommand(
        consoleBinary(), QStringList{u"report"_s, u"--db"_s, u"sqlite:"_s + m_seed.path} + arguments, 60000);
}

void TestReports::checkPdf(const QString &pdf, int pages, const QString &paper)
{
    QCOMPARE(pdfInfo(pdf, u"Pages"_s).toInt(), pages);
    QVERIFY2(pdfInfo(pdf, u"Page size"_s).contains(paper), qPrintable(pdfInfo(pdf, u"Page size"_s)));
    // Every font is embedded: pdffonts' "emb" column says yes on every row.
    const CommandResult fonts = runCommand(u"pdffonts"_s, {pdf});
    const QStringList rows = fonts.out.split(u'\n', Qt::SkipEmptyParts).mid(2);
    QVERIFY2(!rows.isEmpty(), qPrintable(fonts.out));
    for (const QString &row : rows) {
        const QStringList columns = row.split(u' ', Qt::SkipEmptyParts);
        QVERIFY2(columns.size() >= 5 && columns.at(columns.size() - 5) == u"yes", qPrintable(fonts.out));
    }
    // Every page renders, and none is blank.
    QTemporaryDir pngs;
    const CommandResult rendered
        = runCommand(u"pdftoppm"_s, {u"-r"_s, u"30"_s, u"-gray"_s, pdf, pngs.filePath(u"page"_s)}, 60000);
    QVERIFY2(rendered.exitCode == 0, qPrintable(rendered.err));
    const QStringList files = QDir(pngs.path()).entryList(QDir::Files);
    QCOMPARE(files.size(), pages);
    for (const QString &file : files) {
        const QImage page(pngs.filePath(file));
        QVERIFY(!page.isNull());
        int dark = 0;
        for (int y = 0; y < page.height(); ++y) {
            for (int x = 0; x < page.width(); ++x)
                dark += qGray(page.pixel(x, y)) < 128;
        }
        QVERIFY2(dark > 50, qPrintable(file + u" is blank"_s));
    }
}

void TestReports::everyTemplateFromAGeneratedMonth()
{
    const QString from = QDateTime::fromMSecsSinceEpoch(m_seed.fromMs).toUTC().toString(Qt::ISODate);
    const QString to = QDateTime::fromMSecsSinceEpoch(m_seed.fromMs + 30 * DAY_MS).toUTC().toString(Qt::ISODate);

    // The truth, from the seed's own definition: agent-01's latency rounds at or under 25 ms, against
    // every round it was due (a round that got nothing through did not meet the target).
    qint64 within = 0;
    qint64 due = 0;
    for (qint64 round = 0; round < m_seed.rounds; ++round) {
        const ReportSeed::Kind kind = m_seed.kindOf(0, round);
        ++due;
        within += kind == ReportSeed::Kind::Measured && m_seed.latencyOf(0, round) <= 25.0;
    }
    const QLocale locale;
    const QString share = locale.toString(100.0 * double(within) / double(due), 'f', 1);
    const QString firstDay
        = locale.toString(QDateTime::fromMSecsSinceEpoch(m_seed.outages.at(0).startMs).date(), u"d MMMM"_s);
    const QString secondDay
        = locale.toString(QDateTime::fromMSecsSinceEpoch(m_seed.outages.at(1).startMs).date(), u"d MMMM"_s);
    const QString expectedSentence = u"Latency from agent-01 to 192.0.2.10 (ping-dc) stayed under 25 ms %1 % of the "
                                     "time"_s.arg(share);
    // 6 + 2 rounds of 5 minutes.
    const QString expectedOutages = u"2 outages totalling 40 min, on %1 and %2"_s.arg(firstDay, secondDay);

    struct Case
    {
        QString kind;
        QStringList extra;
        QString paper;
    };
    const QList<Case> cases{
        {u"executive"_s, {}, u"(A4)"_s},
        {u"engineering"_s, {u"--paper"_s, u"letter"_s}, u"(letter)"_s},
        {u"engineering"_s, {u"--landscape"_s}, u"842 x 595 pts"_s},
    };
    for (const Case &one : cases) {
        const QString pdf = m_dir.filePath(one.kind + u".pdf"_s);
        const CommandResult made
            = report(QStringList{u"--out"_s, pdf, u"--template"_s, one.kind, u"--from"_s, from, u"--to"_s, to,
                         u"--latency-target"_s, u"25ms"_s, u"--site"_s, u"Head office"_s}
                + one.extra);
        QVERIFY2(made.exitCode == 0, qPrintable(made.err));
        const QRegularExpression wrote(u"Wrote .* \\((\\d+) pages\\)"_s);
        const auto match = wrote.match(made.out);
        QVERIFY2(match.hasMatch(), qPrintable(made.out));
        const int pages = match.captured(1).toInt();
        QVERIFY(pages >= 3);
        checkPdf(pdf, pages, one.paper);
        const QString text = pdfText(pdf);
        for (const QString &name : {u"agent-01"_s, u"agent-02"_s, u"agent-03"_s, u"Head office"_s})
            QVERIFY2(text.contains(name), qPrintable(name + u" not in: "_s + text.left(400)));
        const QString period = locale.toString(QDateTime::fromMSecsSinceEpoch(m_seed.fromMs), u"d MMM yyyy HH:mm"_s);
        QVERIFY2(text.contains(period), qPrintable(period + u" not in: "_s + text.left(600)));
        QVERIFY2(text.contains(expectedSentence), qPrintable(expectedSentence + u" not in: "_s + text.left(2000)));
        QVERIFY2(text.contains(expectedOutages), qPrintable(expectedOutages));
        // 30 and 10 minutes: the alert fired at both outages, acknowledged once.
        QVERIFY2(text.contains(u"Alerts fired 2 times, for 40 min in all; 1 of those times"_s), qPrintable(text));
        QVERIFY(text.contains(u"dc-loss"_s));
        if (one.kind == u"engineering")
            QVERIFY2(text.contains(u"line card replaced"_s), qPrintable(text));
        if (one.kind == u"engineering") {
            // agent-02's 6 hours away, said with their exact edges; the traced path's detour.
            QVERIFY2(text.contains(u"72 of 8,640 rounds due are missing"_s), qPrintable(text));
            QVERIFY(text.contains(u"(6 h)"_s));
            QVERIFY(text.contains(u"hop 2: 198.51.100.1 → 203.0.113.1"_s));
            QVERIFY(text.contains(u"Contents"_s) == (pages >= 6));
        } else {
            QVERIFY(text.contains(u"Top problems"_s));
        }
    }
}

void TestReports::evidenceKeepsItsChecksum()
{
    const ReportSeed::Outage &outage = m_seed.outages.at(0);
    const QString from = QDateTime::fromMSecsSinceEpoch(outage.startMs).toUTC().toString(Qt::ISODate);
    const QString to
        = QDateTime::fromMSecsSinceEpoch(outage.startMs + outage.rounds * STEP_MS).toUTC().toString(Qt::ISODate);
    const QString pdf = m_dir.filePath(u"evidence.pdf"_s);
    const QStringList arguments{
        u"--out"_s, pdf, u"--template"_s, u"evidence"_s, u"--from"_s, from, u"--to"_s, to, u"--agent"_s, u"agent-01"_s};
    const CommandResult made = report(arguments);
    QVERIFY2(made.exitCode == 0, qPrintable(made.err));
    const QString sum = QRegularExpression(u"SHA-256\\): ([0-9a-f]{64})"_s).match(made.out).captured(1);
    QVERIFY2(!sum.isEmpty(), qPrintable(made.out));
    const int pages = QRegularExpression(u"\\((\\d+) pages\\)"_s).match(made.out).captured(1).toInt();
    checkPdf(pdf, pages, u"(A4)"_s);
    const QString text = pdfText(pdf);
    QVERIFY2(text.contains(u"SHA-256: "_s + sum), qPrintable(text.right(1500)));
    // Before and after were clean, during every round failed; the path's detour as mtr shows it.
    QVERIFY2(text.contains(u"had 6 rounds (6 failed outright)"_s), qPrintable(text.left(3000)));
    QVERIFY(text.contains(u"The worst round during the incident"_s));
    QVERIFY(text.contains(u"203.0.113.1"_s));
    QVERIFY(text.contains(u"The last round before the incident"_s));
    QVERIFY(text.contains(u"our data has no gaps"_s));

    // The checksum is in the event log, and the same data gives the same sum again.
    const CommandResult events
        = runCommand(consoleBinary(), {u"event"_s, u"list"_s, u"--json"_s, u"--db"_s, u"sqlite:"_s + m_seed.path});
    QVERIFY2(events.out.contains(sum), qPrintable(events.out));
    const CommandResult again = report(arguments);
    QVERIFY2(again.out.contains(sum), qPrintable(again.out));
}

void TestReports::badInputIsRefusedPlainly()
{
    const QString pdf = m_dir.filePath(u"bad.pdf"_s);
    struct Case
    {
        QStringList arguments;
        int exitCode;
        QString says;
    };
    const QList<Case> cases{
        {{u"--out"_s, pdf, u"--from"_s, u"1h"_s, u"--to"_s, u"2h"_s}, 2, u"period is empty"_s},
        {{u"--out"_s, pdf, u"--from"_s, u"900d"_s}, 2, u"Make one report per year"_s},
        {{u"--out"_s, pdf, u"--template"_s, u"evidence"_s}, 2, u"give its start with --from"_s},
        {{u"--out"_s, pdf, u"--template"_s, u"glossy"_s}, 2, u"--template must be"_s},
        {{u"--out"_s, pdf, u"--paper"_s, u"a3"_s}, 2, u"--paper must be a4 or letter"_s},
        {{u"--out"_s, pdf, u"--loss-target"_s, u"150"_s}, 2, u"percentage from 0 to 100"_s},
        {{u"--from"_s, u"1d"_s}, 2, u"--out FILE.pdf"_s},
        {{u"--out"_s, pdf, u"--test"_s, u"no-such-test"_s}, 1, u"There is no test named \"no-such-test\""_s},
        {{u"--out"_s, pdf, u"--agent"_s, u"nobody"_s}, 1, u"There is no agent named \"nobody\""_s},
        {{u"--out"_s, pdf, u"--agent"_s, u"tag:nowhere"_s}, 1, u"No agent carries the tag \"nowhere\""_s},
        {{u"--out"_s, m_dir.filePath(u"missing/folder/r.pdf"_s)}, 1, u"does not exist"_s},
        {{u"--out"_s, m_dir.path()}, 1, u"Cannot write the report"_s},
    };
    for (const Case &one : cases) {
        const CommandResult result = report(one.arguments);
        QVERIFY2(result.exitCode == one.exitCode,
            qPrintable(one.arguments.join(u' ') + u" → "_s + QString::number(result.exitCode) + u": "_s + result.err));
        QVERIFY2(result.err.contains(one.says), qPrintable(result.err));
        QCOMPARE(result.err.count(u'\n'), 1); // one line
        QVERIFY2(!QFile::exists(pdf), qPrintable(one.arguments.join(u' ')));
    }
}

void TestReports::aPeriodWithoutDataSaysSo()
{
    // A week long before the seed: a report, and it says plainly that there is nothing in it.
    const QString pdf = m_dir.filePath(u"empty.pdf"_s);
    const QString from = QDateTime::fromMSecsSinceEpoch(m_seed.fromMs - 60 * DAY_MS).toUTC().toString(Qt::ISODate);
    const QString to = QDateTime::fromMSecsSinceEpoch(m_seed.fromMs - 53 * DAY_MS).toUTC().toString(Qt::ISODate);
    for (const QString &kind : {u"executive"_s, u"engineering"_s, u"evidence"_s}) {
        const CommandResult made = report({u"--out"_s, pdf, u"--template"_s, kind, u"--from"_s, from, u"--to"_s,
            kind == u"evidence" ? from.left(11) + u"23:00:00Z"_s : to});
        QVERIFY2(made.exitCode == 0, qPrintable(made.err));
        QVERIFY2(made.err.contains(u"nothing was measured"_s), qPrintable(made.err));
        const QString text = pdfText(pdf);
        QVERIFY2(text.contains(u"there is nothing to report"_s), qPrintable(text));
        checkPdf(pdf, 2, u"(A4)"_s);
    }
}

void TestReports::fromARealAgentRun()
{
    // A console and an agent on loopback, pinging 127.0.0.1 five times a second.
    QTemporaryDir dir;
    ConsoleHarness console(dir.filePath(u"console"_s));
    QVERIFY2(console.start(), qPrintable(console.process().output()));
    const QString token = console.cli({u"token"_s, u"create"_s, u"t"_s}).out.trimmed();
    ManagedProcess agent(agentBinary(),
        {u"--server"_s, console.serverUrl(), u"--insecure"_s, u"--name"_s, u"edge-1"_s, u"--state-dir"_s,
            dir.filePath(u"agent"_s), u"--token"_s, token});
    QVERIFY(agent.start());
    QVERIFY2(agent.waitForOutput(u"online as edge-1"_s, 10000), qPrintable(agent.output()));
    const CommandResult added = console.cli({u"test"_s, u"add"_s, u"--name"_s, u"loopback"_s, u"--type"_s, u"ping"_s,
        u"--target"_s, u"127.0.0.1"_s, u"--interval"_s, u"200ms"_s, u"--continuous"_s, u"--agents"_s, u"edge-1"_s});
    QVERIFY2(added.exitCode == 0, qPrintable(added.err));
    // Each look is a process of its own, so the wait is bounded by the clock, not by counting looks.
    CommandResult summary;
    const auto rounds = [&] {
        summary = console.cli({u"summary"_s, u"--json"_s});
        const QJsonArray paths = QJsonDocument::fromJson(summary.out.toUtf8()).object()[u"series"_s].toArray();
        return paths.isEmpty() ? 0 : paths.first()[u"rounds"_s].toInt();
    };
    const QDeadlineTimer deadline(20000);
    while (rounds() < 15 && !deadline.hasExpired())
        QTest::qWait(200);
    QVERIFY2(rounds() >= 15, qPrintable(summary.out + summary.err));

    // Every template on what the agent measured; evidence on the last minute as the incident.
    for (const QString &kind : {u"executive"_s, u"engineering"_s, u"evidence"_s}) {
        const QString pdf = dir.filePath(kind + u".pdf"_s);
        QStringList arguments{u"report"_s, u"--out"_s, pdf, u"--template"_s, kind, u"--latency-target"_s, u"5ms"_s};
        arguments += kind == u"evidence"
            ? QStringList{u"--from"_s, u"1m"_s, u"--to"_s, u"0s"_s, u"--agent"_s, u"edge-1"_s}
            : QStringList{u"--from"_s, u"10m"_s};
        const CommandResult made = console.cli(arguments);
        QVERIFY2(made.exitCode == 0, qPrintable(kind + u": "_s + made.err + made.out));
        const int pages = QRegularExpression(u"\\((\\d+) pages\\)"_s).match(made.out).captured(1).toInt();
        checkPdf(pdf, pages, u"(A4)"_s);
        const QString text = pdfText(pdf);
        QVERIFY2(text.contains(u"edge-1 → loopback (127.0.0.1)"_s), qPrintable(kind));
        if (kind == u"evidence") {
            // Rounds every 200 ms: the minute before the incident and the incident itself were measured.
            QVERIFY2(text.contains(u"During the incident"_s), qPrintable(text.left(2000)));
            QVERIFY2(!text.contains(u"had no rounds"_s), qPrintable(text.left(2000)));
            continue;
        }
        // Loopback answers in well under 5 ms: every round met the target.
        QVERIFY2(text.contains(u"Latency from edge-1 to 127.0.0.1 (loopback) stayed under 5 ms 100.0 % of the time"_s)
                || text.contains(u"stayed under 5 ms 99.9 %"_s),
            qPrintable(text.left(2000)));
    }
    agent.terminate();
    QVERIFY(agent.waitForExit(10000));
}

void TestReports::schedulesCatchUpAndPrint()
{
    // The seeded database in a collector's data folder; two schedules made with the command line.
    QTemporaryDir dir;
    const QString data = dir.filePath(u"console"_s);
    QVERIFY(QDir().mkpath(data));
    QVERIFY(QFile::copy(m_seed.path, data + u"/streamswarm.db"_s));
    const QString folder = dir.filePath(u"reports"_s);
    QVERIFY(QDir().mkpath(folder));
    const QString db = u"sqlite:"_s + data + u"/streamswarm.db"_s;
    const auto cli = [&](const QStringList &arguments) {
        return runCommand(
            consoleBinary(), QStringList{u"report"_s, u"schedule"_s} + arguments + QStringList{u"--db"_s, db});
    };
    CommandResult added = cli({u"add"_s, u"--name"_s, u"daily-dc"_s, u"--every"_s, u"daily"_s, u"--folder"_s, folder,
        u"--latency-target"_s, u"25ms"_s, u"--site"_s, u"Head office"_s});
    QVERIFY2(added.exitCode == 0, qPrintable(added.err));
    QVERIFY2(added.out.contains(u"Scheduled \"daily-dc\" every day"_s), qPrintable(added.out));
    added = cli({u"add"_s, u"--name"_s, u"weekly-print"_s, u"--every"_s, u"weekly"_s, u"--folder"_s, folder,
        u"--printer"_s, u"gone"_s, u"--template"_s, u"engineering"_s});
    QVERIFY2(added.exitCode == 0, qPrintable(added.err));

    // Bad schedules are refused with one plain line each.
    const QList<QPair<QStringList, QString>> refused{
        {{u"add"_s, u"--name"_s, u"x"_s, u"--every"_s, u"hourly"_s, u"--folder"_s, folder}, u"--every must be"_s},
        {{u"add"_s, u"--name"_s, u"x"_s, u"--every"_s, u"daily"_s, u"--folder"_s, folder + u"/nope"_s},
            u"does not exist"_s},
        {{u"add"_s, u"--name"_s, u"x"_s, u"--every"_s, u"daily"_s, u"--folder"_s, folder, u"--template"_s,
             u"evidence"_s},
            u"cannot be scheduled"_s},
        {{u"add"_s, u"--name"_s, u"daily-dc"_s, u"--every"_s, u"daily"_s, u"--folder"_s, folder},
            u"already a scheduled report named"_s},
        {{u"remove"_s, u"nothing"_s}, u"no scheduled report named"_s},
        {{u"sometimes"_s}, u"needs an action"_s},
    };
    for (const auto &[arguments, says] : refused) {
        const CommandResult result = cli(arguments);
        QVERIFY2(
            result.exitCode != 0 && result.err.contains(says), qPrintable(arguments.join(u' ') + u": "_s + result.err));
        QCOMPARE(result.err.count(u'\n'), 1);
    }

    // The console was off for three days: each day's report is made up for at the next start.
    {
        QSqlDatabase sql = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"rewind"_s);
        sql.setDatabaseName(data + u"/streamswarm.db"_s);
        QVERIFY(sql.open());
        QSqlQuery rewind(sql);
        const qint64 threeDaysAgo = QDateTime(QDate::currentDate().addDays(-3), QTime(0, 0)).toMSecsSinceEpoch();
        QVERIFY(rewind.exec(
            u"UPDATE report_schedules SET reported_until = %1 WHERE name = 'daily-dc'"_s.arg(threeDaysAgo)));
        QVERIFY(rewind.exec(u"UPDATE report_schedules SET reported_until = %1 WHERE name = 'weekly-print'"_s.arg(
            QDateTime(QDate::currentDate().addDays(1 - QDate::currentDate().dayOfWeek() - 7), QTime(0, 0))
                .toMSecsSinceEpoch())));
        sql.close();
    }
    QSqlDatabase::removeDatabase(u"rewind"_s);
    // A printer that is not there: lp (CUPS) says so; a stand-in lp answers as CUPS does.
    const QString bin = dir.filePath(u"bin"_s);
    QVERIFY(QDir().mkpath(bin));
    QFile lp(bin + u"/lp"_s);
    QVERIFY(lp.open(QIODevice::WriteOnly));
    lp.write("#!/bin/sh\necho 'lp: The printer or class does not exist.' >&2\nexit 1\n");
    lp.close();
    lp.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    const QByteArray path = qgetenv("PATH");
    qputenv("PATH", QFile::encodeName(bin) + ':' + path);
    ConsoleHarness console(data);
    const bool started = console.start();
    qputenv("PATH", path);
    QVERIFY2(started, qPrintable(console.process().output()));

    QStringList expected;
    for (int day = 3; day >= 1; --day)
        expected.append(u"daily-dc-%1.pdf"_s.arg(QDate::currentDate().addDays(-day).toString(u"yyyy-MM-dd"_s)));
    const QDate lastMonday = QDate::currentDate().addDays(1 - QDate::currentDate().dayOfWeek() - 7);
    expected.append(u"weekly-print-%1.pdf"_s.arg(lastMonday.toString(u"yyyy-MM-dd"_s)));
    const auto made = [&] {
        return QDir(folder).entryList({u"*.pdf"_s}, QDir::Files, QDir::Name);
    };
    QStringList wanted = expected;
    wanted.sort();
    const QDeadlineTimer deadline(90000);
    while (made() != wanted && !deadline.hasExpired())
        QTest::qWait(250);
    QCOMPARE(made(), wanted);
    for (const QString &file : std::as_const(expected))
        QVERIFY2(pdfInfo(QDir(folder).filePath(file), u"Pages"_s).toInt() >= 2, qPrintable(file));
    QVERIFY(pdfText(QDir(folder).filePath(expected.first())).contains(u"Head office"_s));

    // The event log says what was made, and that the printer did not take the weekly one.
    const auto events = [&] {
        return runCommand(consoleBinary(), {u"event"_s, u"list"_s, u"--limit"_s, u"50"_s, u"--db"_s, db}).out;
    };
    QString log;
    const QDeadlineTimer logged(20000);
    while (!(log = events()).contains(u"did not take it"_s) && !logged.hasExpired())
        QTest::qWait(250);
    QVERIFY2(log.contains(u"Scheduled report \"daily-dc\" written to"_s), qPrintable(log));
    QVERIFY2(
        log.contains(u"printer \"gone\" did not take it: lp: The printer or class does not exist."_s), qPrintable(log));
    // Nothing more is due: the next daily report comes after tonight's midnight.
    const QJsonArray listed = QJsonDocument::fromJson(cli({u"list"_s, u"--json"_s}).out.toUtf8()).array();
    QCOMPARE(listed.size(), 2);
    const QDateTime tonight(QDate::currentDate().addDays(1), QTime(0, 0));
    QCOMPARE(QDateTime::fromString(listed.first()[u"nextReportAfter"_s].toString(), Qt::ISODateWithMs), tonight);
    const CommandResult removed = cli({u"remove"_s, u"weekly-print"_s});
    QVERIFY2(removed.exitCode == 0, qPrintable(removed.err));
    QCOMPARE(QJsonDocument::fromJson(cli({u"list"_s, u"--json"_s}).out.toUtf8()).array().size(), 1);
    console.process().terminate();
    QVERIFY(console.process().waitForExit(10000));
}

QTEST_GUILESS_MAIN(TestReports)
#include "tst_reports.moc"
