// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "processharness.h"

#include <csignal>

#include <sys/prctl.h>

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTest>
#include <QUrl>

#include <unistd.h>

using namespace Qt::StringLiterals;

namespace StreamSwarm::Test {

namespace {

QString binaryDir()
{
    const QString fromEnvironment = qEnvironmentVariable("STREAMSWARM_BINARY_DIR");
    return fromEnvironment.isEmpty() ? QStringLiteral(STREAMSWARM_TEST_BINARY_DIR) : fromEnvironment;
}

// Each program a test starts leads a process group of its own, so that whatever it starts in turn (a
// wrapper's child, such as the agent under faketime) is ended with it; and it dies with the test's
// thread should the test itself die (a crash, ctest's timeout).
void startOwnGroup(QProcess &process)
{
    process.setChildProcessModifier([] {
        ::setpgid(0, 0);
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    });
}

// Signals the process's whole group. Only while the leader is not yet reaped: until then its PID,
// and so the group's ID, cannot belong to anything else.
void signalGroup(const QProcess &process, int signal)
{
    if (process.state() != QProcess::NotRunning && process.processId() > 0)
        ::kill(-pid_t(process.processId()), signal);
}

} // namespace

void shrinkSanitizerQuarantine()
{
    if (!UNDER_ASAN)
        return;
    const QByteArray options = qgetenv("ASAN_OPTIONS");
    if (!options.contains("quarantine_size_mb"))
        qputenv("ASAN_OPTIONS", options + (options.isEmpty() ? "" : ":") + "quarantine_size_mb=4");
}

QString consoleBinary()
{
    return binaryDir() + u"/console/streamswarm-console"_s;
}

QString agentBinary()
{
    return binaryDir() + u"/agent/streamswarm-agent"_s;
}

CommandResult runCommand(
    const QString &program, const QStringList &arguments, int timeoutMs, const QProcessEnvironment &environment)
{
    QProcess process;
    process.setProcessEnvironment(environment);
    startOwnGroup(process);
    process.start(program, arguments);
    CommandResult result;
    result.finished = process.waitForFinished(timeoutMs);
    if (!result.finished) {
        signalGroup(process, SIGKILL);
        process.waitForFinished(5000);
    }
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.out = QString::fromUtf8(process.readAllStandardOutput());
    result.err = QString::fromUtf8(process.readAllStandardError());
    return result;
}

ManagedProcess::ManagedProcess(QString program, QStringList arguments, const QProcessEnvironment &environment)
    : m_program(std::move(program))
    , m_arguments(std::move(arguments))
{
    m_process.setProcessEnvironment(environment);
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    startOwnGroup(m_process);
}

ManagedProcess::~ManagedProcess()
{
    if (m_process.state() != QProcess::NotRunning) {
        signalGroup(m_process, SIGKILL);
        m_process.waitForFinished(5000);
    }
}

bool ManagedProcess::start()
{
    m_process.start(m_program, m_arguments);
    return m_process.waitForStarted(10000);
}

QString ManagedProcess::output() const
{
    m_output += QString::fromUtf8(const_cast<QProcess &>(m_process).readAll());
    return m_output;
}

bool ManagedProcess::waitForOutput(const QString &text, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!output().contains(text)) {
        if (deadline.hasExpired() || m_process.state() == QProcess::NotRunning)
            return output().contains(text);
        m_process.waitForReadyRead(int(std::clamp<qint64>(deadline.remainingTime(), 1, 100)));
    }
    return true;
}

bool ManagedProcess::waitForExit(int timeoutMs)
{
    const bool done = m_process.state() == QProcess::NotRunning || m_process.waitForFinished(timeoutMs);
    output();
    return done;
}

void ManagedProcess::terminate()
{
    signalGroup(m_process, SIGTERM);
}

void ManagedProcess::kill()
{
    signalGroup(m_process, SIGKILL);
    m_process.waitForFinished(10000);
    output();
}

void ManagedProcess::sendSignal(int signal)
{
    signalGroup(m_process, signal);
}

quint16 freeLocalPort()
{
    QTcpServer server;
    return server.listen(QHostAddress::LocalHost, 0) ? server.serverPort() : 0;
}

TestDatabase::TestDatabase(const QString &dataDir)
{
    if (!postgresWanted())
        return;
    QFile urlFile(qEnvironmentVariable("STREAMSWARM_TEST_POSTGRES"));
    if (!urlFile.open(QIODevice::ReadOnly)) {
        m_error = u"Cannot read the test PostgreSQL server's URL file %1; did postgres_start run?"_s.arg(
            urlFile.fileName());
        return;
    }
    m_serverUrl = QString::fromUtf8(urlFile.readLine()).trimmed();
    static int made = 0;
    const QString name = u"streamswarm_it_%1_%2"_s.arg(QCoreApplication::applicationPid()).arg(++made);
    if (runTool(u"createdb"_s, {name}).exitCode != 0)
        return;
    m_name = name;
    QDir().mkpath(dataDir);
    m_urlFile = dataDir + u"/database-url"_s;
    QFile file(m_urlFile);
    if (!file.open(QIODevice::WriteOnly) || !file.setPermissions(QFile::ReadOwner | QFile::WriteOwner)
        || file.write(QString(m_serverUrl.left(m_serverUrl.lastIndexOf(u'/') + 1) + m_name + u'\n').toUtf8()) <= 0)
        m_error = u"Cannot write %1"_s.arg(m_urlFile);
}

TestDatabase::~TestDatabase()
{
    if (isPostgres())
        runTool(u"dropdb"_s, {u"--force"_s, m_name});
}

QStringList TestDatabase::arguments() const
{
    return isPostgres() ? QStringList{u"--db-file"_s, m_urlFile} : QStringList();
}

QByteArray TestDatabase::dump()
{
    return isPostgres() ? runTool(u"pg_dump"_s, {u"--data-only"_s, m_name}).out.toUtf8() : QByteArray();
}

QString TestDatabase::serverUrl(const QString &password, const QString &database, int port)
{
    QFile urlFile(qEnvironmentVariable("STREAMSWARM_TEST_POSTGRES"));
    if (!urlFile.open(QIODevice::ReadOnly))
        return QString();
    QUrl url(QString::fromUtf8(urlFile.readLine()).trimmed());
    if (!password.isEmpty())
        url.setPassword(password);
    if (!database.isEmpty())
        url.setPath(u'/' + database);
    if (port)
        url.setPort(port);
    return url.toString();
}

CommandResult TestDatabase::runTool(const QString &tool, const QStringList &arguments)
{
    // The server's URL: postgresql://user:password@host:port/db; the password goes in the environment.
    const QUrl url(m_serverUrl);
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(u"PGPASSWORD"_s, url.password());
    const CommandResult result = runCommand(tool,
        QStringList{u"-h"_s, url.host(), u"-p"_s, QString::number(url.port(5432)), u"-U"_s, url.userName()} + arguments,
        30000, environment);
    if (result.exitCode != 0)
        m_error = u"%1 failed: %2"_s.arg(tool, result.err.trimmed());
    return result;
}

ConsoleHarness::ConsoleHarness(QString dataDir, bool tls, QStringList extraArguments, quint16 port)
    : m_dataDir(std::move(dataDir))
    , m_tls(tls)
    , m_extraArguments(std::move(extraArguments))
    , m_port(port)
    , m_database(std::make_unique<TestDatabase>(m_dataDir))
{ }

bool ConsoleHarness::start(int timeoutMs)
{
    if (!m_database->error().isEmpty()) {
        qWarning("%s", qPrintable(m_database->error()));
        return false;
    }
    QStringList arguments{
        u"--headless"_s, u"--data-dir"_s, m_dataDir, u"--listen"_s, m_host + u':' + QString::number(m_port)};
    arguments += m_database->arguments();
    if (!m_tls)
        arguments << u"--insecure"_s;
    m_process = std::make_unique<ManagedProcess>(consoleBinary(), arguments + m_extraArguments);
    if (!m_process->start() || !m_process->waitForOutput(u"listening on ws"_s, timeoutMs))
        return false;
    const auto match = QRegularExpression(u"listening on (wss?://[^ ]+:\\d+)"_s).match(m_process->output());
    m_url = match.captured(1);
    return match.hasMatch();
}

CommandResult ConsoleHarness::cli(const QStringList &arguments, int timeoutMs) const
{
    return runCommand(
        consoleBinary(), arguments + QStringList{u"--data-dir"_s, m_dataDir} + m_database->arguments(), timeoutMs);
}

} // namespace StreamSwarm::Test
