// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "cli.h"

#include <QCoreApplication>

#include "console/cli/commands.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

namespace {

using namespace Commands;

struct Subcommand
{
    QString group;
    QString action; // empty for single-word commands
    QString synopsis; // what follows the command's words in its usage line
    const char *summary; // one line, translated when shown
    int (*run)(const Invocation &);
};

// The one list of commands: dispatch, usage lines and every --help come from it.
const QList<Subcommand> &subcommands()
{
    static const QList<Subcommand> list{
        {u"token"_s, u"create"_s, u"NAME [--uses N] [--expires 7d] [--replace AGENT]"_s,
            QT_TRANSLATE_NOOP("StreamSwarm::Console::Cli", "Make an enrollment token for agents to join with."),
            tokenCreate},
        {u"token"_s, u"list"_s, u"[--json]"_s,
            QT_TRANSLATE_NOOP(
                "StreamSwarm::Console::Cli", "Show the enrollment tokens and how many uses each has left."),
            tokenList},
        {u"token"_s, u"revoke"_s, u"NAME"_s,
            QT_TRANSLATE_NOOP("StreamSwarm::Console::Cli", "Stop a token from letting any more agents join."),
            tokenRevoke},
        {u"agent"_s, u"list"_s, u"[--json]"_s,
            QT_TRANSLATE_NOOP(
                "StreamSwarm::Console::Cli", "Show the agents, whether they are online and their clocks."),
            agentList},
        {u"agent"_s, u"revoke"_s, u"NAME"_s,
            QT_TRANSLATE_NOOP("StreamSwarm::Console::Cli", "Cut an agent off and refuse its credential from now on."),
            agentRevoke},
        {u"agent"_s, u"rekey"_s, u"NAME"_s,
            QT_TRANSLATE_NOOP("StreamSwarm::Console::Cli", "Give an agent a new credential and retire its old one."),
            agentRekey},
        {u"agent"_s, u"rename"_s, u"NAME NEW-NAME"_s,
            QT_TRANSLATE_NOOP("StreamSwarm::Console::Cli", "Give an agent another name."), agentRename},
        {u"agent"_s, u"tag"_s, u"NAME TAG..."_s,
            QT_TRANSLATE_NOOP(
                "StreamSwarm::Console::Cli", "Give an agent tags; tests for a tag (--agents tag:TAG) then run on it."),
            agentTag},
        {u"agent"_s, u"untag"_s, u"NAME TAG..."_s,
            QT_TRANSLATE_NOOP("StreamSwarm::Console::Cli", "Take tags away from an agent."), agentUntag},
        {u"test"_s, u"add"_s,
            u"--name NAME --type TYPE --target TARGET [--interval 1s] [--duration 60s | --continuous] [--start T] "
            "--agents A,tag:T,...|all [--param key=value]..."_s,
            QT_TRANSLATE_NOOP("StreamSwarm::Console::Cli", "Start measuring: a test that agents run."), testAdd},
        {u"test"_s, u"edit"_s,
            u"NAME [--rename NEW] [--target T] [--interval D] [--duration D | --continuous] [--start T] "
            "[--agents LIST] [--param key=value]... [--unset-param key]..."_s,
            QT_TRANSLATE_NOOP("StreamSwarm::Console::Cli", "Change a test; the agents that run it follow at once."),
            testEdit},
        {u"test"_s, u"pause"_s, u"NAME"_s,
            QT_TRANSLATE_NOOP("StreamSwarm::Console::Cli", "Pause a test without deleting it."), testPause},
        {u"test"_s, u"resume"_s, u"NAME"_s,
            QT_TRANSLATE_NOOP("StreamSwarm::Console::Cli", "Let a paused test run again."), testResume},
        {u"test"_s, u"list"_s, u"[--all] [--json]"_s,
            QT_TRANSLATE_NOOP("StreamSwarm::Console::Cli", "Show the tests and whether they are running."), testList},
        {u"test"_s, u"stop"_s, u"NAME"_s, QT_TRANSLATE_NOOP("StreamSwarm::Console::Cli", "Stop a running test."),
            testStop},
        {u"test"_s, u"delete"_s, u"NAME --keep-data | --delete-data"_s,
            QT_TRANSLATE_NOOP("StreamSwarm::Console::Cli", "Delete a test, keeping or deleting its measurements."),
            testDelete},
        {u"export"_s, QString(),
            u"--format csv|json [--resolution raw|1m|1h] [--test NAME] [--agent NAME] [--from T] [--to T] "
            "[--out FILE]"_s,
            QT_TRANSLATE_NOOP("StreamSwarm::Console::Cli", "Write the measured samples out as CSV or JSON."),
            exportSamples},
        {u"summary"_s, QString(), u"[--test NAME] [--agent NAME] [--from T] [--to T] [--json]"_s,
            QT_TRANSLATE_NOOP("StreamSwarm::Console::Cli", "Show round-trip times and loss per agent and test."),
            summary},
        {u"report"_s, QString(),
            u"--out FILE.pdf [--template executive|engineering|evidence] [--from T] [--to T] [--test NAME] "
            "[--agent NAME|tag:TAG] [--paper a4|letter] [--landscape]"_s,
            QT_TRANSLATE_NOOP("StreamSwarm::Console::Cli", "Write a PDF report for managers, engineers or a provider."),
            report},
        {u"retention"_s, QString(), u"[--raw TIME] [--minute TIME] [--hour TIME] [--json]"_s,
            QT_TRANSLATE_NOOP("StreamSwarm::Console::Cli",
                "Show or set how long samples and their rollups per minute and hour are kept."),
            retention},
        {u"event"_s, u"list"_s,
            u"[--from T] [--to T] [--kind K1,K2] [--agent NAME] [--test NAME] [--level L] [--search TEXT] [--limit N] "
            "[--json | --csv]"_s,
            QT_TRANSLATE_NOOP("StreamSwarm::Console::Cli",
                "Show, find and export events: who changed what, which alerts fired, and when."),
            eventList},
        {u"alert"_s, u"add"_s,
            u"--name N (--test T --metric M (--above X | --below X) | --on agent-offline | --test T --on route-change) "
            "[--for N] [--of M] [--clear X] "
            "[--change | --percentile P [--window N] | --baseline [--window N]] [--agents A,B|tag:T|all] [--min-agents "
            "K] "
            "[--severity info|warning|critical] [--depends-on ALERT] [--notify KIND:TARGET]..."_s,
            QT_TRANSLATE_NOOP("StreamSwarm::Console::Cli", "Be told when a test's metric goes beyond a level."),
            alertAdd},
        {u"alert"_s, u"list"_s, u"[--json]"_s,
            QT_TRANSLATE_NOOP("StreamSwarm::Console::Cli", "Show the alerts and whether each is firing."), alertList},
        {u"alert"_s, u"ack"_s, u"NAME [--comment TEXT]"_s,
            QT_TRANSLATE_NOOP("StreamSwarm::Console::Cli", "Acknowledge a firing alert: someone is on it."), alertAck},
        {u"alert"_s, u"remove"_s, u"NAME"_s,
            QT_TRANSLATE_NOOP("StreamSwarm::Console::Cli", "Remove an alert; its history stays."), alertRemove},
        {u"alert"_s, u"history"_s, u"[--from T] [--to T] [--limit N] [--json]"_s,
            QT_TRANSLATE_NOOP("StreamSwarm::Console::Cli",
                "Show when alerts fired, how long they lasted and how soon someone acknowledged them."),
            alertHistory},
        {u"alert"_s, u"test"_s, u"NAME [--smtp-server URL ...]"_s,
            QT_TRANSLATE_NOOP("StreamSwarm::Console::Cli",
                "Send a test message to each of an alert's targets now, as the console would, and say how it went."),
            alertTest},
        {u"maintenance"_s, u"add"_s,
            u"--name N --from T --to T [--every 1w] [--agents A,B|tag:T|all] [--tests T1,T2]"_s,
            QT_TRANSLATE_NOOP(
                "StreamSwarm::Console::Cli", "Keep alerts silent during planned work; measuring goes on."),
            maintenanceAdd},
        {u"maintenance"_s, u"list"_s, u"[--json]"_s,
            QT_TRANSLATE_NOOP("StreamSwarm::Console::Cli", "Show the maintenance windows and which are open."),
            maintenanceList},
        {u"maintenance"_s, u"remove"_s, u"NAME"_s,
            QT_TRANSLATE_NOOP("StreamSwarm::Console::Cli", "Remove a maintenance window."), maintenanceRemove},
        {u"fingerprint"_s, QString(), u"[--cert FILE --key FILE]"_s,
            QT_TRANSLATE_NOOP(
                "StreamSwarm::Console::Cli", "Print the console certificate's fingerprint for agents to pin."),
            fingerprint},
        {u"deploy"_s, QString(),
            u"--host [USER@]HOST[:PORT] | --hosts-file FILE --package FILE [--user U] [--key FILE] [--ask-password] "
            "[--known-hosts FILE] [--server HOST:PORT]"_s,
            QT_TRANSLATE_NOOP("StreamSwarm::Console::Cli",
                "Install the agent on hosts over SSH, enroll it with this console and start it."),
            deploy},
    };
    return list;
}

QString commandWords(const Subcommand &command)
{
    return command.action.isEmpty() ? command.group : command.group + u' ' + command.action;
}

// "  token create   Make an enrollment token ..." for each command, words padded to one column.
QString describe(const QList<const Subcommand *> &commands, bool withGroup)
{
    qsizetype width = 0;
    for (const Subcommand *command : commands)
        width = std::max(width, (withGroup ? commandWords(*command) : command->action).size());
    QString text;
    for (const Subcommand *command : commands) {
        const QString words = withGroup ? commandWords(*command) : command->action;
        text += u"  "_s + words.leftJustified(width + 3) + Cli::tr(command->summary) + u'\n';
    }
    return text;
}

bool isHelpOption(const QString &word)
{
    return word == u"--help" || word == u"-h" || word == u"-?" || word == u"--help-all";
}

// "token --help": the group's actions, one line each.
int printGroupHelp(const QString &group, const QList<const Subcommand *> &actions)
{
    const QString program = QCoreApplication::applicationName();
    out() << Cli::tr("Usage: %1 %2 ACTION [options]").arg(program, group) << "\n\n"
          << Cli::tr("Actions:") << '\n'
          << describe(actions, false) << '\n'
          << Cli::tr("Run '%1 %2 ACTION --help' for an action's options.").arg(program, group) << '\n';
    out().flush();
    return 0;
}

} // namespace

bool Cli::isCommand(const QString &word)
{
    return !word.startsWith(u'-');
}

bool Cli::needsGui(const QString &word)
{
    return word == u"report";
}

int Cli::run(const QStringList &arguments)
{
    const QString program = QCoreApplication::applicationName();
    const QString group = arguments.value(1);
    const QString action = arguments.value(2);
    QList<const Subcommand *> actions;
    for (const Subcommand &command : subcommands()) {
        if (command.group != group)
            continue;
        const bool single = command.action.isEmpty(); // "export ...": the parser sees everything after the word
        if (single || command.action == action) {
            const QString words = program + u' ' + commandWords(command);
            const Invocation invocation{QStringList{words} + arguments.mid(single ? 2 : 3),
                words + u' ' + command.synopsis, tr(command.summary)};
            return command.run(invocation);
        }
        actions.append(&command);
    }
    if (actions.isEmpty())
        return failWith(tr("Unknown command \"%1\"; see '%2 --help'.").arg(group, program), EXIT_USAGE);
    if (isHelpOption(action))
        return printGroupHelp(group, actions);
    QStringList names;
    for (const Subcommand *command : actions)
        names.append(command->action);
    if (action.isEmpty() || action.startsWith(u'-')) {
        return failWith(
            tr("\"%1\" needs an action: %1 %2; see '%3 %1 --help'.").arg(group, names.join(u'|'), program), EXIT_USAGE);
    }
    return failWith(tr("\"%1 %2\" is not a command; use %1 %3.").arg(group, action, names.join(u'|')), EXIT_USAGE);
}

QString Cli::commandList()
{
    QList<const Subcommand *> all;
    for (const Subcommand &command : subcommands())
        all.append(&command);
    return tr("Commands (run '%1 COMMAND --help' for one's options):").arg(QCoreApplication::applicationName()) + u'\n'
        + describe(all, true).chopped(1); // the parser puts its own blank line before the options
}

} // namespace StreamSwarm::Console
