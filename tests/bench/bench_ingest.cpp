// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
//
// Console ingest end to end: a headless console and N simulated agents (streamswarm-swarm --lean:
// the real protocol over real WebSockets, pre-encoded batches, several processes) on SQLite and on
// PostgreSQL. Prints what the agents offered, sent and got acked, the rows committed, the p99 ack
// latency and the console's RSS (also idle: per connected agent), beside baselines measured in the
// same run: the raw sqlite3 C API inserting the same rows in the same batches (synchronous=FULL,
// WAL, same schema and indexes), and PostgreSQL COPY of the same rows into the same table. Then one
// and three headless collectors on one PostgreSQL. Environment: BENCH_AGENTS (1000), BENCH_SECONDS
// (20), BENCH_PROCESSES (4), BENCH_ROUNDS (10 ping rounds of 13 samples a batch), BENCH_BATCH_MS
// (250), BENCH_TESTS (4), BENCH_BASELINE_SECONDS (8), BENCH_ENGINES (sqlite,postgres),
// BENCH_COLLECTORS (3; 0 leaves the scaling run out).
#include <algorithm>
#include <cstdio>

#include <QCoreApplication>
#include <QDateTime>
#include <QDeadlineTimer>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QHash>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTimer>
#include <QUrl>

#include <sqlite3.h>

#include "tests/bench/benchfigures.h"
#include "tests/support/processharness.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm;
using namespace StreamSwarm::Test;

namespace {

constexpr int METRICS_PER_ROUND = 13;
constexpr int ACK_WINDOW = 32;

int setting(const char *name, int fallback)
{
    bool ok = false;
    const int value = qEnvironmentVariableIntValue(name, &ok);
    return ok && value >= 0 ? value : fallback;
}

struct Settings
{
    int agents = setting("BENCH_AGENTS", 1000);
    int seconds = setting("BENCH_SECONDS", 20);
    int processes = std::max(1, setting("BENCH_PROCESSES", 4));
    int rounds = std::max(1, setting("BENCH_ROUNDS", 10));
    int batchMs = std::max(1, setting("BENCH_BATCH_MS", 250));
    int tests = std::max(1, setting("BENCH_TESTS", 4));
    int baselineSeconds = std::max(1, setting("BENCH_BASELINE_SECONDS", 8));
    int collectors = setting("BENCH_COLLECTORS", 3);
    QString engines
        = qEnvironmentVariableIsSet("BENCH_ENGINES") ? qEnvironmentVariable("BENCH_ENGINES") : u"sqlite,postgres"_s;
    int rowsPerBatch() const { return rounds * METRICS_PER_ROUND; }
};

// One table line per figure, printed again at the end.
struct Row
{
    QString key;
    QString value;
    QString target;
};
QList<Row> s_table;

void figure(const QString &key, double value, const QString &target = QString(), int decimals = 0)
{
    std::printf("%s=%.*f\n", qPrintable(key), decimals, value);
    std::fflush(stdout);
    s_table.append({key, QString::number(value, 'f', decimals), target});
}

void note(const QString &key, const QString &value)
{
    std::printf("%s=%s\n", qPrintable(key), qPrintable(value));
    std::fflush(stdout);
    s_table.append({key, value, QString()});
}

// Waits with the event loop running, so the processes' pipes are read meanwhile. It sleeps while
// nothing happens: processEvents() alone returns at once when no event is waiting, and a loop around
// it took a whole core from the console it measures.
void pump(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

qint64 statusKb(qint64 pid, const char *field)
{
    QFile status(u"/proc/%1/status"_s.arg(pid));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith(field))
            return line.mid(qsizetype(qstrlen(field))).trimmed().split(' ').first().toLongLong();
    }
    return -1;
}

QHash<QString, QString> keyValues(const QString &text)
{
    QHash<QString, QString> values;
    for (const QString &line : text.split(u'\n')) {
        const qsizetype equals = line.indexOf(u'=');
        if (equals > 0 && !line.contains(u' '))
            values.insert(line.left(equals), line.mid(equals + 1).trimmed());
    }
    return values;
}

double percentile(std::vector<qint32> &values, double p)
{
    if (values.empty())
        return -1;
    const size_t at = std::min(values.size() - 1, size_t(p * double(values.size())));
    std::nth_element(values.begin(), values.begin() + qsizetype(at), values.end());
    return values.at(at) / 1000.0;
}

// ---- raw sqlite3 baseline ----

bool sqliteExec(sqlite3 *db, const char *sql)
{
    char *message = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &message) != SQLITE_OK) {
        std::fprintf(stderr, "sqlite3: %s: %s\n", sql, message ? message : "?");
        sqlite3_free(message);
        return false;
    }
    return true;
}

// Rows a second: batches of settings.rowsPerBatch() rows (agents in turn, each batch one agent's
// rounds over the tests, 13 metrics a round) for `seconds`, groupOf batches to a transaction.
double sqliteBaseline(const QString &path, const Settings &settings, int groupOf, qint64 *rowsOut)
{
    sqlite3 *db = nullptr;
    if (sqlite3_open(QFile::encodeName(path).constData(), &db) != SQLITE_OK)
        return -1;
    const bool made = sqliteExec(db, "PRAGMA journal_mode=WAL") && sqliteExec(db, "PRAGMA synchronous=FULL")
        && sqliteExec(db,
            "CREATE TABLE samples (agent_id BIGINT NOT NULL, test_id BIGINT NOT NULL, "
            "metric_id BIGINT NOT NULL, t BIGINT NOT NULL, value REAL NOT NULL)")
        && sqliteExec(db, "CREATE INDEX samples_series ON samples (test_id, agent_id, metric_id, t)")
        && sqliteExec(db, "CREATE INDEX samples_time ON samples (t)");
    sqlite3_stmt *insert = nullptr;
    if (!made
        || sqlite3_prepare_v2(db, "INSERT INTO samples (agent_id, test_id, metric_id, t, value) VALUES (?, ?, ?, ?, ?)",
               -1, &insert, nullptr)
            != SQLITE_OK) {
        sqlite3_close(db);
        return -1;
    }
    QElapsedTimer clock;
    clock.start();
    qint64 rows = 0;
    qint64 batch = 0;
    qint64 t = QDateTime::currentMSecsSinceEpoch();
    bool ok = true;
    while (ok && clock.elapsed() < qint64(settings.baselineSeconds) * 1000) {
        ok = sqliteExec(db, "BEGIN IMMEDIATE");
        for (int g = 0; ok && g < groupOf; ++g, ++batch) {
            const qint64 agent = 1 + batch % settings.agents;
            if (agent == 1)
                t += settings.batchMs;
            for (int r = 0; ok && r < settings.rounds; ++r) {
                for (int m = 0; m < METRICS_PER_ROUND; ++m) {
                    sqlite3_bind_int64(insert, 1, agent);
                    sqlite3_bind_int64(insert, 2, 1 + r % settings.tests);
                    sqlite3_bind_int64(insert, 3, 1 + m);
                    sqlite3_bind_int64(insert, 4, t - r);
                    sqlite3_bind_double(insert, 5, double(m) * 1.5 + double(r));
                    ok = sqlite3_step(insert) == SQLITE_DONE;
                    sqlite3_reset(insert);
                    ++rows;
                }
            }
        }
        ok = ok && sqliteExec(db, "COMMIT");
    }
    const double seconds = double(clock.nsecsElapsed()) / 1e9;
    sqlite3_finalize(insert);
    sqlite3_close(db);
    *rowsOut = rows;
    return ok ? double(rows) / seconds : -1;
}

qint64 sqliteCount(const QString &path)
{
    sqlite3 *db = nullptr;
    qint64 count = -1;
    sqlite3_stmt *query = nullptr;
    if (sqlite3_open_v2(QFile::encodeName(path).constData(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK
        && sqlite3_prepare_v2(db, "SELECT count(*) FROM samples", -1, &query, nullptr) == SQLITE_OK
        && sqlite3_step(query) == SQLITE_ROW)
        count = sqlite3_column_int64(query, 0);
    sqlite3_finalize(query);
    sqlite3_close(db);
    return count;
}

// ---- PostgreSQL ----

class Postgres
{
public:
    explicit Postgres(QString stateDir)
        : m_stateDir(std::move(stateDir))
    { }
    ~Postgres()
    {
        if (m_started)
            runCommand(script(), {u"stop"_s, m_stateDir}, 60000);
    }
    Q_DISABLE_COPY_MOVE(Postgres)

    // A server of our own with the durability of a real one (fsync, full_page_writes,
    // synchronous_commit on): the test server's script, told so.
    bool start(QString *error)
    {
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(u"STREAMSWARM_POSTGRES_DURABLE"_s, u"1"_s);
        const CommandResult result = runCommand(script(), {u"start"_s, m_stateDir}, 120000, environment);
        QFile urlFile(m_stateDir + u"/url"_s);
        if (result.exitCode != 0 || !urlFile.open(QIODevice::ReadOnly)) {
            *error = result.err + result.out;
            return false;
        }
        m_started = true;
        m_url = QUrl(QString::fromUtf8(urlFile.readLine()).trimmed());
        return true;
    }

    CommandResult psql(const QString &database, const QString &command, int timeoutMs = 600000) const
    {
        return tool(u"psql"_s,
            {u"-X"_s, u"-q"_s, u"-t"_s, u"-A"_s, u"-v"_s, u"ON_ERROR_STOP=1"_s, u"-d"_s, database, u"-c"_s, command},
            timeoutMs);
    }
    CommandResult tool(const QString &program, const QStringList &arguments, int timeoutMs = 60000) const
    {
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(u"PGPASSWORD"_s, m_url.password());
        return runCommand(program,
            QStringList{u"-h"_s, m_url.host(), u"-p"_s, QString::number(m_url.port(5432)), u"-U"_s, m_url.userName()}
                + arguments,
            timeoutMs, environment);
    }
    // A fresh database; its URL in a private file for --db-file.
    QString makeDatabase(const QString &name, const QString &urlFile)
    {
        if (tool(u"createdb"_s, {name}).exitCode != 0)
            return QString();
        QUrl url = m_url;
        url.setPath(u'/' + name);
        QFile file(urlFile);
        if (!file.open(QIODevice::WriteOnly) || !file.setPermissions(QFile::ReadOwner | QFile::WriteOwner))
            return QString();
        file.write(url.toString().toUtf8() + '\n');
        return urlFile;
    }

private:
    static QString script() { return QStringLiteral(STREAMSWARM_SOURCE_DIR) + u"/tests/support/postgres-server"_s; }

    QString m_stateDir;
    QUrl m_url;
    bool m_started = false;
};

// COPY of `rows` rows shaped as the agents' (agents in turn, rounds over the tests, 13 metrics)
// into a table like samples with its two indexes, by psql's \copy; rows a second.
double copyBaseline(
    const Postgres &server, const QString &database, const QString &dir, const Settings &settings, qint64 rows)
{
    const QString csvPath = dir + u"/copy.csv"_s;
    {
        QFile csv(csvPath);
        if (!csv.open(QIODevice::WriteOnly))
            return -1;
        QByteArray chunk;
        qint64 t = QDateTime::currentMSecsSinceEpoch();
        qint64 written = 0;
        for (qint64 batch = 0; written < rows; ++batch) {
            const qint64 agent = 1 + batch % settings.agents;
            if (agent == 1)
                t += settings.batchMs;
            for (int r = 0; r < settings.rounds && written < rows; ++r) {
                for (int m = 0; m < METRICS_PER_ROUND && written < rows; ++m, ++written) {
                    chunk += QByteArray::number(agent) + ',' + QByteArray::number(1 + r % settings.tests) + ','
                        + QByteArray::number(1 + m) + ',' + QByteArray::number(t - r) + ','
                        + QByteArray::number(double(m) * 1.5 + double(r)) + '\n';
                }
            }
            if (chunk.size() > (1 << 20)) {
                csv.write(chunk);
                chunk.clear();
            }
        }
        csv.write(chunk);
    }
    if (server
            .psql(database,
                u"CREATE TABLE copy_samples (agent_id BIGINT NOT NULL, test_id BIGINT NOT NULL, metric_id BIGINT "
                "NOT NULL, t BIGINT NOT NULL, value DOUBLE PRECISION NOT NULL); CREATE INDEX copy_series ON "
                "copy_samples (test_id, agent_id, metric_id, t); CREATE INDEX copy_time ON copy_samples (t)"_s)
            .exitCode
        != 0)
        return -1;
    QElapsedTimer clock;
    clock.start();
    const CommandResult copied
        = server.psql(database, u"\\copy copy_samples FROM '%1' WITH (FORMAT csv)"_s.arg(csvPath));
    const double seconds = double(clock.nsecsElapsed()) / 1e9;
    QFile::remove(csvPath);
    if (copied.exitCode != 0) {
        std::fprintf(stderr, "COPY failed: %s\n", qPrintable(copied.err));
        return -1;
    }
    return double(rows) / seconds;
}

// ---- one measured run: consoles, lean swarm processes ----

struct RunFigures
{
    bool ok = false;
    qint64 agentsOnline = 0;
    double enrollSeconds = 0;
    double idleKbPerAgent = -1;
    double offeredPerS = 0;
    double sentPerS = 0;
    double ackedPerS = 0;
    double committedPerS = 0;
    qint64 committedRows = 0;
    qint64 ackedTotal = 0;
    qint64 unsent = 0;
    double p50Ms = -1;
    double p99Ms = -1;
    qint64 rssKb = 0;
    qint64 peakRssKb = 0;
    double consoleCpuShare = 0; // of one core, over the window
    double swarmCpuShare = 0;
    qint64 batchBytes = 0;
};

struct Run
{
    QString label;
    QString engine; // sqlite or postgres
    int collectors = 1;
    Postgres *postgres = nullptr;
};

RunFigures measure(const Run &run, const Settings &settings, const QString &workDir)
{
    RunFigures figures;
    const QString tag = run.label;
    QDir().mkpath(workDir);
    QString urlFile;
    QString dbName;
    if (run.engine == u"postgres"_s) {
        dbName = u"bench_"_s + tag;
        urlFile = run.postgres->makeDatabase(dbName, workDir + u"/database-url"_s);
        if (urlFile.isEmpty()) {
            std::fprintf(stderr, "%s: cannot make the database\n", qPrintable(tag));
            return figures;
        }
    }
    const QStringList dbArguments = urlFile.isEmpty() ? QStringList() : QStringList{u"--db-file"_s, urlFile};
    std::vector<std::unique_ptr<ConsoleHarness>> consoles;
    for (int c = 0; c < run.collectors; ++c)
        consoles.push_back(std::make_unique<ConsoleHarness>(workDir + u"/console%1"_s.arg(c), false, dbArguments));
    const auto cli = [&](const QStringList &arguments) {
        return consoles.front()->cli(arguments + dbArguments, 120000);
    };
    const CommandResult token = cli(
        {u"token"_s, u"create"_s, u"bench"_s, u"--uses"_s, QString::number(settings.agents), u"--expires"_s, u"1d"_s});
    if (token.exitCode != 0) {
        std::fprintf(stderr, "%s: token create failed: %s\n", qPrintable(tag), qPrintable(token.err));
        return figures;
    }
    for (int k = 0; k < settings.tests; ++k) {
        const CommandResult added = cli({u"test"_s, u"add"_s, u"--name"_s, u"bench-%1"_s.arg(k), u"--type"_s, u"ping"_s,
            u"--target"_s, u"127.0.0.1"_s, u"--interval"_s, u"1s"_s, u"--continuous"_s, u"--agents"_s, u"all"_s});
        if (added.exitCode != 0) {
            std::fprintf(stderr, "%s: test add failed: %s\n", qPrintable(tag), qPrintable(added.err));
            return figures;
        }
    }
    for (auto &console : consoles) {
        if (!console->start(60000)) {
            std::fprintf(stderr, "%s: the console did not start: %s\n", qPrintable(tag),
                qPrintable(console->process().output().right(2000)));
            return figures;
        }
    }
    pump(1000);
    const qint64 rssNone = statusKb(consoles.front()->process().pid(), "VmRSS:");

    // The swarm: processes spread over the collectors, agents over the processes.
    const int processes = std::max(settings.processes, run.collectors);
    std::vector<std::unique_ptr<QProcess>> swarms;
    QElapsedTimer enrolling;
    enrolling.start();
    const QString swarmBinary = QCoreApplication::applicationDirPath() + u"/../soak/streamswarm-swarm"_s;
    for (int p = 0; p < processes; ++p) {
        const int agents = settings.agents / processes + (p < settings.agents % processes ? 1 : 0);
        auto swarm = std::make_unique<QProcess>();
        swarm->setProcessChannelMode(QProcess::ForwardedErrorChannel);
        swarm->start(swarmBinary,
            {u"--lean"_s, u"--server"_s, consoles.at(size_t(p % run.collectors))->serverUrl(), u"--token"_s,
                token.out.trimmed(), u"--agents"_s, QString::number(agents), u"--name-prefix"_s, u"lean%1"_s.arg(p),
                u"--rounds"_s, QString::number(settings.rounds), u"--batch-ms"_s, QString::number(settings.batchMs),
                u"--connect-parallel"_s, QString::number(std::max(1, 8 / processes)), u"--latency-file"_s,
                workDir + u"/latency%1"_s.arg(p), u"--drain-seconds"_s, u"20"_s});
        swarms.push_back(std::move(swarm));
    }
    QHash<QProcess *, QString> outputs;
    const auto readAll = [&] {
        for (auto &swarm : swarms)
            outputs[swarm.get()] += QString::fromUtf8(swarm->readAllStandardOutput());
        for (auto &console : consoles)
            console->process().output(); // keeps the console's pipe from filling
    };
    QDeadlineTimer enrollDeadline(300000);
    while (!enrollDeadline.hasExpired()) {
        pump(200);
        readAll();
        const bool allReady = std::all_of(swarms.cbegin(), swarms.cend(), [&](const std::unique_ptr<QProcess> &swarm) {
            return outputs.value(swarm.get()).contains(u"ready online="_s);
        });
        const bool anyGone = std::any_of(swarms.cbegin(), swarms.cend(),
            [](const std::unique_ptr<QProcess> &swarm) { return swarm->state() == QProcess::NotRunning; });
        if (allReady || anyGone)
            break;
    }
    figures.enrollSeconds = double(enrolling.elapsed()) / 1000.0;
    for (auto &swarm : swarms) {
        if (!outputs.value(swarm.get()).contains(u"ready online="_s)) {
            std::fprintf(stderr, "%s: a swarm process did not get all its agents online within %.0f s\n",
                qPrintable(tag), figures.enrollSeconds);
            return figures;
        }
    }
    // Idle: every agent connected, answering pings, sending nothing.
    pump(5000);
    readAll();
    const qint64 rssIdle = statusKb(consoles.front()->process().pid(), "VmRSS:");
    if (run.collectors == 1)
        figures.idleKbPerAgent = double(rssIdle - rssNone) / double(settings.agents);

    QList<double> consoleCpuBefore;
    for (auto &console : consoles)
        consoleCpuBefore.append(Bench::processCpuSeconds(console->process().pid()));
    QList<double> swarmCpuBefore;
    for (auto &swarm : swarms)
        swarmCpuBefore.append(Bench::processCpuSeconds(swarm->processId()));
    for (auto &swarm : swarms)
        swarm->write("go\n");
    QElapsedTimer window;
    window.start();
    while (window.elapsed() < qint64(settings.seconds) * 1000) {
        pump(500);
        readAll();
    }
    double consoleCpu = 0;
    for (size_t c = 0; c < consoles.size(); ++c)
        consoleCpu += Bench::processCpuSeconds(consoles.at(c)->process().pid()) - consoleCpuBefore.at(qsizetype(c));
    double swarmCpu = 0;
    for (size_t p = 0; p < swarms.size(); ++p)
        swarmCpu += Bench::processCpuSeconds(swarms.at(p)->processId()) - swarmCpuBefore.at(qsizetype(p));
    figures.rssKb = statusKb(consoles.front()->process().pid(), "VmRSS:");
    for (auto &swarm : swarms)
        swarm->write("stop\n");
    const double windowS = double(window.elapsed()) / 1000.0;
    for (auto &swarm : swarms) {
        QDeadlineTimer deadline(90000);
        while (swarm->state() != QProcess::NotRunning && !deadline.hasExpired()) {
            pump(100);
            readAll();
        }
    }
    readAll();
    figures.peakRssKb = statusKb(consoles.front()->process().pid(), "VmHWM:");
    qint64 offered = 0, sent = 0, ackedInWindow = 0, maxDrainMs = 0;
    std::vector<qint32> latencies;
    for (size_t p = 0; p < swarms.size(); ++p) {
        const auto values = keyValues(outputs.value(swarms.at(p).get()));
        figures.agentsOnline += values.value(u"online"_s).toLongLong();
        offered += values.value(u"offered_samples"_s).toLongLong();
        sent += values.value(u"sent_samples"_s).toLongLong();
        ackedInWindow += values.value(u"acked_in_window"_s).toLongLong();
        figures.ackedTotal += values.value(u"acked_total"_s).toLongLong();
        figures.unsent += values.value(u"unsent_samples"_s).toLongLong();
        figures.batchBytes = values.value(u"batch_bytes"_s).toLongLong();
        maxDrainMs = std::max(maxDrainMs, values.value(u"drain_ms"_s).toLongLong());
        QFile file(workDir + u"/latency%1"_s.arg(p));
        if (file.open(QIODevice::ReadOnly)) {
            const QByteArray bytes = file.readAll();
            const auto *begin = reinterpret_cast<const qint32 *>(bytes.constData());
            latencies.insert(latencies.end(), begin, begin + bytes.size() / qsizetype(sizeof(qint32)));
        }
    }
    if (run.engine == u"postgres"_s) {
        figures.committedRows
            = run.postgres->psql(dbName, u"SELECT count(*) FROM samples"_s).out.trimmed().toLongLong();
    } else {
        figures.committedRows = sqliteCount(consoles.front()->databasePath());
    }
    figures.offeredPerS = double(offered) / windowS;
    figures.sentPerS = double(sent) / windowS;
    figures.ackedPerS = double(ackedInWindow) / windowS;
    figures.committedPerS = double(figures.committedRows) / (windowS + double(maxDrainMs) / 1000.0);
    figures.p50Ms = percentile(latencies, 0.50);
    figures.p99Ms = percentile(latencies, 0.99);
    figures.consoleCpuShare = consoleCpu / windowS;
    figures.swarmCpuShare = swarmCpu / windowS;
    // Why a console closed connections (a failed store), if it did: its warnings, a few.
    for (auto &console : consoles) {
        int shown = 0;
        for (const QString &line : console->process().output().split(u'\n')) {
            if (line.contains(u"warning"_s, Qt::CaseInsensitive) || line.contains(u"cannot"_s)
                || line.contains(u"error"_s)) {
                if (shown++ < 5)
                    std::fprintf(stderr, "%s console: %s\n", qPrintable(tag), qPrintable(line.left(400)));
            }
        }
    }
    for (auto &console : consoles)
        console->process().terminate();
    for (auto &console : consoles)
        console->process().waitForExit(30000);
    figures.ok = true;
    return figures;
}

void printRun(const QString &prefix, const RunFigures &f, const QString &target)
{
    figure(prefix + u"_agents_online"_s, double(f.agentsOnline));
    figure(prefix + u"_enroll_s"_s, f.enrollSeconds, QString(), 1);
    figure(prefix + u"_offered_samples_per_s"_s, f.offeredPerS);
    figure(prefix + u"_sent_samples_per_s"_s, f.sentPerS);
    figure(prefix + u"_acked_samples_per_s"_s, f.ackedPerS, target);
    figure(prefix + u"_committed_samples_per_s"_s, f.committedPerS, target);
    figure(prefix + u"_committed_rows"_s, double(f.committedRows));
    figure(prefix + u"_acked_rows"_s, double(f.ackedTotal), u"= committed_rows"_s);
    figure(prefix + u"_ack_p50_ms"_s, f.p50Ms, QString(), 1);
    figure(prefix + u"_ack_p99_ms"_s, f.p99Ms, QString(), 1);
    figure(prefix + u"_console_rss_kb"_s, double(f.rssKb));
    figure(prefix + u"_console_peak_rss_kb"_s, double(f.peakRssKb));
    figure(prefix + u"_console_cpu_cores"_s, f.consoleCpuShare, QString(), 2);
    figure(prefix + u"_swarm_cpu_cores"_s, f.swarmCpuShare, QString(), 2);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const Settings settings;
    QTemporaryDir dir(QDir::tempPath() + u"/bench_ingest.XXXXXX"_s);
    if (!dir.isValid())
        return 1;
    note(u"agents"_s, QString::number(settings.agents));
    note(u"seconds"_s, QString::number(settings.seconds));
    note(u"swarm_processes"_s, QString::number(settings.processes));
    note(u"batch"_s,
        u"%1_rounds_x_13_samples_every_%2_ms_per_agent_%3_tests"_s.arg(settings.rounds)
            .arg(settings.batchMs)
            .arg(settings.tests));
    note(u"offer_target_samples_per_s"_s,
        QString::number(qint64(settings.agents) * settings.rowsPerBatch() * 1000 / settings.batchMs));

    // The raw sqlite3 baseline: one agent batch a transaction, and 32 batches a transaction (what a
    // writer committing several agents' batches at once could reach).
    qint64 rows = 0;
    const double rawPerBatch = sqliteBaseline(dir.filePath(u"raw1.db"_s), settings, 1, &rows);
    figure(u"sqlite3_raw_rows_per_s_1_batch_per_commit"_s, rawPerBatch);
    const double rawGrouped = sqliteBaseline(dir.filePath(u"raw32.db"_s), settings, ACK_WINDOW, &rows);
    figure(u"sqlite3_raw_rows_per_s_32_batches_per_commit"_s, rawGrouped);
    QFile::remove(dir.filePath(u"raw1.db"_s));
    QFile::remove(dir.filePath(u"raw32.db"_s));

    bool failed = false;
    if (settings.engines.contains(u"sqlite"_s)) {
        const RunFigures sqlite = measure({u"sqlite"_s, u"sqlite"_s, 1, nullptr}, settings, dir.filePath(u"sqlite"_s));
        if (!sqlite.ok) {
            failed = true;
        } else {
            note(u"sqlite_durability"_s, u"journal_mode=WAL,synchronous=FULL"_s);
            printRun(u"sqlite"_s, sqlite, u">= 300000"_s);
            figure(u"sqlite_idle_rss_kb_per_agent"_s, sqlite.idleKbPerAgent, u"< 100"_s, 1);
            figure(u"sqlite_ratio_to_raw_1_batch_per_commit"_s, sqlite.committedPerS / rawPerBatch, QString(), 3);
            figure(u"sqlite_ratio_to_raw_32_batches_per_commit"_s, sqlite.committedPerS / rawGrouped, QString(), 3);
        }
    }
    if (settings.engines.contains(u"postgres"_s)) {
        Postgres server(dir.filePath(u"postgres"_s));
        QString error;
        if (!server.start(&error)) {
            std::fprintf(stderr, "bench_ingest: cannot start PostgreSQL: %s\n", qPrintable(error));
            failed = true;
        } else {
            note(u"postgres_durability"_s,
                u"fsync=%1,synchronous_commit=%2,full_page_writes=%3"_s.arg(
                    server.psql(u"postgres"_s, u"SHOW fsync"_s).out.trimmed(),
                    server.psql(u"postgres"_s, u"SHOW synchronous_commit"_s).out.trimmed(),
                    server.psql(u"postgres"_s, u"SHOW full_page_writes"_s).out.trimmed()));
            const RunFigures one = measure({u"pg1"_s, u"postgres"_s, 1, &server}, settings, dir.filePath(u"pg1"_s));
            if (!one.ok) {
                failed = true;
            } else {
                printRun(u"postgres"_s, one, u">= 100000"_s);
                figure(u"postgres_idle_rss_kb_per_agent"_s, one.idleKbPerAgent, u"< 100"_s, 1);
                const double copy = copyBaseline(server, u"bench_pg1"_s, dir.path(), settings,
                    std::max<qint64>(one.committedRows, qint64(settings.agents) * settings.rowsPerBatch() * 10));
                figure(u"postgres_copy_rows_per_s"_s, copy);
                figure(u"postgres_ratio_to_copy"_s, one.committedPerS / copy, QString(), 3);
            }
            if (one.ok && settings.collectors > 1) {
                const RunFigures many
                    = measure({u"pg%1"_s.arg(settings.collectors), u"postgres"_s, settings.collectors, &server},
                        settings, dir.filePath(u"pgmany"_s));
                if (!many.ok) {
                    failed = true;
                } else {
                    printRun(u"postgres_%1_collectors"_s.arg(settings.collectors), many, QString());
                    figure(u"postgres_collector_scaling"_s, many.committedPerS / one.committedPerS, u"> 1"_s, 3);
                }
            }
        }
    }

    std::printf("\n%-52s %16s  %s\n", "figure", "measured", "target");
    for (const Row &row : std::as_const(s_table))
        std::printf("%-52s %16s  %s\n", qPrintable(row.key), qPrintable(row.value), qPrintable(row.target));
    if (settings.engines.contains(u"sqlite"_s)) {
        for (const Row &row : std::as_const(s_table)) {
            if (row.key == u"sqlite_ratio_to_raw_1_batch_per_commit"_s)
                std::printf("ratio=%s\n", qPrintable(row.value));
        }
    }
    return failed ? 1 : 0;
}
