// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <memory>

#include <QProcess>
#include <QString>
#include <QStringList>

namespace StreamSwarm::Test {

// Paths of the built programs (from STREAMSWARM_BINARY_DIR, set by the test registration).
// Under AddressSanitizer freed memory waits in a quarantine (256 MB by default), so a process's RSS
// follows how much it allocates and frees, not what it holds. Tests that bound a program's memory
// call shrinkSanitizerQuarantine() before starting it and widen their bound by RSS_BOUND_FACTOR;
// LeakSanitizer looks for real leaks when the program exits.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool UNDER_ASAN = true;
constexpr int RSS_BOUND_FACTOR = 4;
#else
constexpr bool UNDER_ASAN = false;
constexpr int RSS_BOUND_FACTOR = 1;
#endif
// Makes the quarantine of the programs started from now on small (4 MB); nothing without ASan.
void shrinkSanitizerQuarantine();

QString consoleBinary();
QString agentBinary();

struct CommandResult
{
    int exitCode = -1;
    QString out;
    QString err;
    bool finished = false;
};

// Runs a program to completion (bounded by timeoutMs) and returns its exit code and output.
CommandResult runCommand(const QString &program, const QStringList &arguments, int timeoutMs = 30000,
    const QProcessEnvironment &environment = QProcessEnvironment::systemEnvironment());

// A long-running StreamSwarm process (console or agent) whose output is collected as it comes. It
// leads a process group of its own: terminate(), kill(), sendSignal() and the destructor signal the
// whole group, so a wrapper's children (the agent under faketime) end with it.
class ManagedProcess
{
public:
    ManagedProcess(QString program, QStringList arguments,
        const QProcessEnvironment &environment = QProcessEnvironment::systemEnvironment());
    ~ManagedProcess(); // SIGKILL to the group if still running
    Q_DISABLE_COPY_MOVE(ManagedProcess)

    bool start();
    // Waits (bounded) until the combined output contains text; returns whether it did.
    bool waitForOutput(const QString &text, int timeoutMs);
    bool waitForExit(int timeoutMs);
    void terminate(); // SIGTERM: the graceful way
    void kill(); // SIGKILL, and waits for it to be gone
    void sendSignal(int signal); // e.g. SIGSTOP / SIGCONT, to the whole group
    QString output() const;
    int exitCode() const { return m_process.exitCode(); }
    bool isRunning() const { return m_process.state() != QProcess::NotRunning; }
    qint64 pid() const { return m_process.processId(); }

private:
    QProcess m_process;
    QString m_program;
    QStringList m_arguments;
    mutable QString m_output;
};

// A port on 127.0.0.1 that was free a moment ago (for a console that must come back on the same one).
quint16 freeLocalPort();

// The database a test's console uses: the SQLite file in its data folder, or, when
// STREAMSWARM_TEST_POSTGRES names the test server's URL file (ctest's *_postgres entries), a fresh
// database on that server, made here and dropped by the destructor. Its URL is handed to the
// programs in a file (--db-file), so its password is on no command line.
class TestDatabase
{
public:
    explicit TestDatabase(const QString &dataDir);
    ~TestDatabase();
    Q_DISABLE_COPY_MOVE(TestDatabase)

    static bool postgresWanted() { return !qEnvironmentVariableIsEmpty("STREAMSWARM_TEST_POSTGRES"); }
    bool isPostgres() const { return !m_name.isEmpty(); }
    // What to add to a console's or the CLI's command line: --db-file FILE, or nothing for SQLite.
    QStringList arguments() const;
    QString error() const { return m_error; } // why the PostgreSQL database could not be made
    // PostgreSQL: everything the database holds, as pg_dump writes it.
    QByteArray dump();
    // The test server's URL with another password, database or port: for the refusals.
    static QString serverUrl(const QString &password, const QString &database, int port = 0);

private:
    CommandResult runTool(const QString &tool, const QStringList &arguments);

    QString m_name;
    QString m_urlFile;
    QString m_serverUrl;
    QString m_error;
};

// A headless console on 127.0.0.1 (a free port unless port is given, so a restarted console can keep
// its port), its data in dataDir; plain ws:// (--insecure) unless tls, plus any extra arguments.
class ConsoleHarness
{
public:
    explicit ConsoleHarness(QString dataDir, bool tls = false, QStringList extraArguments = {}, quint16 port = 0);
    bool start(int timeoutMs = 15000);
    // Listen on another local address than 127.0.0.1 (a network lab's address in the root namespace).
    void setListenHost(const QString &host) { m_host = host; }
    // The SQLite file; isPostgres() tells when the console uses PostgreSQL instead.
    QString databasePath() const { return m_dataDir + QStringLiteral("/streamswarm.db"); }
    bool isPostgres() const { return m_database->isPostgres(); }
    TestDatabase &database() { return *m_database; }
    QString serverUrl() const { return m_url; }
    ManagedProcess &process() { return *m_process; }
    CommandResult cli(const QStringList &arguments, int timeoutMs = 30000) const;

private:
    QString m_dataDir;
    bool m_tls;
    QStringList m_extraArguments;
    quint16 m_port;
    QString m_host = QStringLiteral("127.0.0.1");
    QString m_url;
    std::unique_ptr<TestDatabase> m_database;
    std::unique_ptr<ManagedProcess> m_process;
};

} // namespace StreamSwarm::Test
