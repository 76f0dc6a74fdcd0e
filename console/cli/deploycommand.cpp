// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include <QEventLoop>
#include <QFile>
#include <QMutex>
#include <QSysInfo>

#include <stdio.h>
#include <termios.h>
#include <unistd.h>

#include "console/cli/commands.h"
#include "console/cli/databaseoptions.h"
#include "console/cli/serveroptions.h"
#include "console/deploy/deployment.h"
#include "console/deploy/deploytargets.h"
#include "shared/util/duration.h"
#include "shared/util/fingerprint.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console::Commands {

namespace {

// The CLI reads and writes the database directly, on this thread.
class DatabaseRegistry final : public DeployRegistry
{
public:
    explicit DatabaseRegistry(Operations &operations)
        : m_operations(operations)
    { }
    void issueToken(const TokenRequest &request, Callback<IssuedToken> done) override
    {
        done(m_operations.createToken(request));
    }
    void revokeToken(const QString &name) override { m_operations.revokeToken(name); }
    void agents(Callback<QList<AgentRecord>> done) override { done(m_operations.agents()); }

private:
    Operations &m_operations;
};

// A line typed at the terminal (not echoed when secret); empty when there is no terminal.
QString askTerminal(const QString &question, bool secret)
{
    FILE *terminal = fopen("/dev/tty", "r+");
    if (!terminal)
        return {};
    fputs(question.toLocal8Bit().constData(), terminal);
    fflush(terminal);
    termios saved{};
    const bool hide = secret && tcgetattr(fileno(terminal), &saved) == 0;
    if (hide) {
        termios quiet = saved;
        quiet.c_lflag &= ~tcflag_t(ECHO);
        tcsetattr(fileno(terminal), TCSAFLUSH, &quiet);
    }
    char buffer[1024] = {};
    const bool got = fgets(buffer, sizeof buffer, terminal) != nullptr;
    if (hide) {
        tcsetattr(fileno(terminal), TCSAFLUSH, &saved);
        fputs("\n", terminal);
    }
    fclose(terminal);
    QString answer = got ? QString::fromLocal8Bit(buffer) : QString();
    std::fill(std::begin(buffer), std::end(buffer), '\0');
    while (answer.endsWith(u'\n') || answer.endsWith(u'\r'))
        answer.chop(1);
    return answer;
}

// On first contact: the fingerprint, and a yes from whoever sits at the terminal (one host at a time).
bool askAboutHostKey(const DeployTarget &target, const HostKeyCheck &key)
{
    static QMutex oneQuestionAtATime;
    const QMutexLocker locker(&oneQuestionAtATime);
    if (!isatty(STDIN_FILENO))
        return false;
    const QString answer = askTerminal(
        Cli::tr("%1 is new to this computer. Its %2 key is\n  %3\nCompare it with what the host's owner gives you. "
                "Trust it and go on? (yes/no) ")
            .arg(target.label(), key.keyType, key.fingerprint),
        false);
    return answer.trimmed().compare(u"yes"_s, Qt::CaseInsensitive) == 0;
}

// "wss://host:port" from --server (HOST:PORT or a URL), else this machine's name and the listen port.
QString serverUrl(const ConfiguredOptions &settings)
{
    QString server = settings.value(u"server"_s).trimmed();
    if (server.isEmpty()) {
        const QString listen = settings.value(u"listen"_s);
        server = QSysInfo::machineHostName() + u':' + listen.section(u':', -1);
    }
    return server.contains(u"://"_s) ? server : u"wss://"_s + server;
}

// The host's line; copy progress in quarters, so a fast copy prints a few lines, not one per chunk.
QString describe(const DeployStatus &status)
{
    if (status.percent >= 0 && status.state == DeployStatus::State::Working)
        return Cli::tr("%1 (%2 %)").arg(status.text).arg(status.percent / 25 * 25);
    return status.text;
}

} // namespace

int deploy(const Invocation &invocation)
{
    Command command(invocation);
    QCommandLineParser &parser = command.parser();
    parser.addOption(
        {u"host"_s, Cli::tr("A host to install the agent on: HOST, USER@HOST or USER@HOST:PORT (repeat for more)."),
            Cli::tr("HOST")});
    parser.addOption({u"hosts-file"_s, Cli::tr("Hosts from a file, one per line: host[,port[,user[,agent name]]]."),
        Cli::tr("FILE")});
    parser.addOption({u"port"_s, Cli::tr("SSH port (default 22)."), Cli::tr("PORT"), u"22"_s});
    parser.addOption({u"user"_s, Cli::tr("User to log in as (default: you)."), Cli::tr("USER"),
        qEnvironmentVariable("USER", qEnvironmentVariable("LOGNAME"))});
    parser.addOption({u"name"_s, Cli::tr("The agent's name in the console (one host only; default: the host's name)."),
        Cli::tr("NAME")});
    parser.addOption({u"key"_s, Cli::tr("Log in with this private key (default: your SSH agent)."), Cli::tr("FILE")});
    parser.addOption(
        {u"ask-password"_s, Cli::tr("Ask for the password (for the login when there is no key, and for sudo).")});
    parser.addOption({u"password-stdin"_s, Cli::tr("Read that password from the first line of standard input.")});
    parser.addOption(
        {u"known-hosts"_s, Cli::tr("Host keys to check against (default ~/.ssh/known_hosts)."), Cli::tr("FILE")});
    parser.addOption({u"accept-new-host-key"_s,
        Cli::tr("Trust and record the key of a host seen for the first time without asking. A changed key is always "
                "refused.")});
    parser.addOption({u"server"_s,
        Cli::tr("The console's address as the agents reach it (default: this computer's name and the listen port)."),
        Cli::tr("HOST:PORT")});
    parser.addOption({u"package"_s, Cli::tr("The agent's .deb package (cpack -G DEB makes it)."), Cli::tr("FILE")});
    parser.addOption({u"wait"_s, Cli::tr("How long to wait for each agent to come online (default 60s)."),
        Cli::tr("DURATION"), u"60s"_s});
    parser.addOption({u"fingerprint"_s,
        Cli::tr("The console certificate's fingerprint for the agents to pin (default: of the certificate this "
                "console uses)."),
        Cli::tr("SHA256")});
    QCommandLineOption listen(u"listen"_s, QString(), u"HOST:PORT"_s, u"0.0.0.0:8765"_s);
    listen.setFlags(QCommandLineOption::HiddenFromHelp); // read from console.conf, for the default --server
    parser.addOption(listen);
    if (auto code = command.parse(0))
        return *code;
    const ConfiguredOptions &settings = command.settings();
    QString error;
    std::optional<QByteArray> pinned;
    if (parser.isSet(u"fingerprint"_s) && !(pinned = parseFingerprint(parser.value(u"fingerprint"_s).trimmed()))) {
        return failWith(Cli::tr("--fingerprint \"%1\" is not a SHA-256 fingerprint; copy it from "
                                "'streamswarm-console fingerprint' (sha256:ab:cd:...).")
                            .arg(parser.value(u"fingerprint"_s).left(120)),
            EXIT_USAGE);
    }

    // Whom to deploy to.
    DeployTarget defaults;
    defaults.user = parser.value(u"user"_s);
    QList<DeployTarget> targets;
    {
        const auto port = parser.value(u"port"_s).toInt();
        if (port < 1 || port > 65535)
            return failWith(Cli::tr("--port must be a number from 1 to 65535."), EXIT_USAGE);
        defaults.port = quint16(port);
    }
    const QStringList hosts = parser.values(u"host"_s);
    if (hosts.isEmpty() && !parser.isSet(u"hosts-file"_s))
        return failWith(Cli::tr("Name the hosts: --host HOST (repeat for more) or --hosts-file FILE."), EXIT_USAGE);
    if (parser.isSet(u"name"_s) && (hosts.size() != 1 || parser.isSet(u"hosts-file"_s)))
        return failWith(Cli::tr("--name is for one --host; name several agents in a --hosts-file."), EXIT_USAGE);
    defaults.agentName = parser.value(u"name"_s);
    for (const QString &host : hosts) {
        const auto target = DeployTargets::parse(host, defaults, &error);
        if (!target)
            return failWith(error, EXIT_USAGE);
        targets.append(*target);
    }
    if (parser.isSet(u"hosts-file"_s)) {
        defaults.agentName.clear();
        const auto fromFile = DeployTargets::readFile(parser.value(u"hosts-file"_s), defaults, &error);
        if (!fromFile)
            return failWith(error, EXIT_USAGE);
        targets += *fromFile;
    }

    // How to log in, and what to install.
    DeployParameters parameters;
    parameters.knownHostsFile = parser.value(u"known-hosts"_s);
    parameters.acceptNewHostKeys = parser.isSet(u"accept-new-host-key"_s);
    parameters.credentials.keyFile = parser.value(u"key"_s);
    if (!parameters.credentials.keyFile.isEmpty() && !QFile::exists(parameters.credentials.keyFile))
        return failWith(Cli::tr("--key %1: no such file.").arg(parameters.credentials.keyFile), EXIT_USAGE);
    if (parser.isSet(u"password-stdin"_s)) {
        QFile input;
        if (!input.open(stdin, QIODevice::ReadOnly))
            return failWith(Cli::tr("Could not read the password from standard input."), EXIT_USAGE);
        parameters.credentials.password = QString::fromUtf8(input.readLine(4096)).remove(u'\n').remove(u'\r');
    } else if (parser.isSet(u"ask-password"_s)) {
        parameters.credentials.password = askTerminal(Cli::tr("Password: "), true);
        if (parameters.credentials.password.isEmpty())
            return failWith(Cli::tr("--ask-password needs a terminal to ask on; use --password-stdin."), EXIT_USAGE);
    }
    if (!parser.isSet(u"package"_s))
        return failWith(Cli::tr("Give the agent's package with --package FILE (make it with cpack -G DEB in the "
                                "build folder)."),
            EXIT_USAGE);
    const auto package = readAgentPackage(parser.value(u"package"_s), &error);
    if (!package)
        return failWith(error, EXIT_USAGE);
    parameters.package = *package;
    const auto wait = parseDurationMs(parser.value(u"wait"_s), &error);
    if (!wait || *wait <= 0 || *wait > 3600 * 1000)
        return failWith(Cli::tr("--wait must be a duration from 1s to 1h, like 90s."), EXIT_USAGE);

    // Where the agents are to connect, and the certificate they pin.
    ConsoleAddress console;
    console.serverUrl = serverUrl(settings);
    // --key here is the SSH key: the console's own certificate and key come from console.conf only.
    if (pinned) {
        console.fingerprint = formatFingerprint(*pinned);
    } else {
        console.fingerprint
            = consoleFingerprint(settings, settings.fileValue(u"cert"_s), settings.fileValue(u"key"_s), &error);
        if (console.fingerprint.isEmpty())
            return failWith(error);
    }
    if (auto code = command.openDatabase())
        return *code;

    DatabaseRegistry registry(command.operations());
    Deployment deployment(targets, parameters, console, &registry);
    deployment.setHostKeyQuestion(askAboutHostKey);
    deployment.setOnlineTimeoutMs(int(*wait));
    QHash<int, QString> shown;
    QObject::connect(&deployment, &Deployment::statusChanged, [&](int index) {
        const DeployStatus &status = deployment.status(index);
        const QString line = describe(status);
        if (line == shown.value(index))
            return;
        shown[index] = line;
        out() << deployment.target(index).label() << ": " << line << Qt::endl;
    });
    QEventLoop loop;
    QObject::connect(&deployment, &Deployment::finished, &loop, &QEventLoop::quit);
    deployment.start();
    if (!deployment.allEnded())
        loop.exec();

    int failed = 0;
    for (int index = 0; index < deployment.count(); ++index) {
        const DeployStatus &status = deployment.status(index);
        if (status.state == DeployStatus::State::Done)
            continue;
        ++failed;
        for (const QString &line : status.report.log)
            out() << "    " << line << '\n';
    }
    out() << Cli::tr("%1 of %2 host(s) deployed.").arg(deployment.count() - failed).arg(deployment.count()) << Qt::endl;
    return failed ? EXIT_FAILED : 0;
}

} // namespace StreamSwarm::Console::Commands
