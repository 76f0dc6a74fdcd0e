// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>

#include "console/cli/commands.h"
#include "shared/protocol/validation.h"
#include "shared/testtypes/testtype.h"
#include "shared/util/duration.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console::Commands {

int testAdd(const Invocation &invocation)
{
    Command command(invocation);
    QCommandLineParser &parser = command.parser();
    QString types
        = invocation.summary + u"\n\n"_s + Cli::tr("Test types and their parameters (--param KEY=VALUE):") + u'\n';
    for (const TestTypes::TestType &type : TestTypes::all())
        types += TestTypes::describeType(type);
    parser.setApplicationDescription(types);
    parser.addOption({u"name"_s, Cli::tr("Test name."), Cli::tr("NAME")});
    parser.addOption(
        {u"type"_s, Cli::tr("Test type: %1.").arg(Validation::runnableTestTypes().join(u", ")), Cli::tr("TYPE")});
    QStringList agentTargets;
    QStringList turnTypes;
    QStringList hostTypes;
    for (const TestTypes::TestType &type : TestTypes::all()) {
        if (type.target == TestTypes::TargetKind::ReflectorOrAgent)
            agentTargets.append(type.name);
        else if (type.agentTargetEachRound)
            turnTypes.append(type.name);
        else if (type.target == TestTypes::TargetKind::ThisHost)
            hostTypes.append(type.name);
    }
    parser.addOption({u"target"_s,
        Cli::tr("Host name or address to test; for %1 also agent:NAME, another agent (started with --stamp-port) "
                "reached at the address its connection comes from; for %2 with method=agent, agent:NAME, which "
                "serves each round while the console gives the two a turn. Types that measure the agent's own "
                "host (%3) take none.")
            .arg(agentTargets.join(u", "), turnTypes.join(u", "), hostTypes.join(u", ")),
        Cli::tr("TARGET")});
    parser.addOption({u"interval"_s, Cli::tr("Time between rounds (default 1s)."), Cli::tr("DURATION"), u"1s"_s});
    parser.addOption({u"duration"_s, Cli::tr("How long the test runs (default 60s)."), Cli::tr("DURATION"), u"60s"_s});
    parser.addOption({u"continuous"_s, Cli::tr("Run until stopped.")});
    parser.addOption({u"agents"_s, Cli::tr("Comma-separated agent names, or all."), Cli::tr("LIST")});
    parser.addOption({u"param"_s, Cli::tr("A test parameter; repeat for more."), Cli::tr("KEY=VALUE")});
    if (auto code = command.parse(0))
        return *code;
    const TestTypes::TestType *type = TestTypes::find(parser.value(u"type"_s));
    const bool ofThisHost = type && type->target == TestTypes::TargetKind::ThisHost;
    for (const QString &required : {u"name"_s, u"type"_s, u"target"_s, u"agents"_s}) {
        if (!parser.isSet(required) && !(required == u"target" && ofThisHost))
            return failWith(Cli::tr("--%1 is required.").arg(required), EXIT_USAGE);
    }
    if (parser.isSet(u"duration"_s) && parser.isSet(u"continuous"_s))
        return failWith(Cli::tr("Give either --duration or --continuous, not both."), EXIT_USAGE);

    TestRecord test;
    test.name = parser.value(u"name"_s);
    test.type = parser.value(u"type"_s);
    test.target = ofThisHost && !parser.isSet(u"target"_s) ? QString::fromUtf16(Validation::LOCAL_TARGET)
                                                           : parser.value(u"target"_s);
    QString error;
    const auto interval = parseDurationMs(parser.value(u"interval"_s), &error);
    if (!interval)
        return failWith(u"--interval: "_s + error, EXIT_USAGE);
    test.intervalMs = *interval;
    if (!parser.isSet(u"continuous"_s)) {
        const auto duration = parseDurationMs(parser.value(u"duration"_s), &error);
        if (!duration)
            return failWith(u"--duration: "_s + error, EXIT_USAGE);
        test.durationMs = *duration;
        if (test.durationMs == 0)
            return failWith(
                Cli::tr("--duration must be longer than zero; use --continuous to run until stopped."), EXIT_USAGE);
    }
    for (const QString &param : parser.values(u"param"_s)) {
        const qsizetype equals = param.indexOf(u'=');
        if (equals <= 0)
            return failWith(Cli::tr("--param \"%1\" must look like key=value.").arg(param), EXIT_USAGE);
        test.params.insert(param.left(equals), param.mid(equals + 1));
    }
    const QStringList agents = parser.value(u"agents"_s).split(u',', Qt::SkipEmptyParts);
    if (agents.isEmpty())
        return failWith(Cli::tr("--agents names no agent; give names separated by commas, or all."), EXIT_USAGE);
    test.allAgents = agents == QStringList{u"all"_s};
    if (!test.allAgents) {
        for (const QString &agent : agents) {
            if (!test.agentNames.contains(agent.trimmed()))
                test.agentNames.append(agent.trimmed());
        }
    }
    test.createdAtMs = QDateTime::currentMSecsSinceEpoch();
    if (!Operations::checkTest(test, &error))
        return failWith(error, EXIT_USAGE);

    if (auto code = command.openDatabase())
        return *code;
    if (const auto added = command.operations().addTest(test); !added)
        return failWith(added.error());
    out() << Cli::tr("Added test \"%1\": %2 %3 every %4, %5, on %6.")
                 .arg(test.name, test.type, test.target, formatDurationMs(test.intervalMs),
                     test.durationMs ? Cli::tr("for %1").arg(formatDurationMs(test.durationMs))
                                     : Cli::tr("until stopped"),
                     test.allAgents ? Cli::tr("all agents") : test.agentNames.join(u", "))
          << Qt::endl;
    if (const QString targetAgent = Validation::agentTargetName(test.target); !targetAgent.isEmpty()) {
        const auto agent = command.operations().findAgent(targetAgent);
        if (agent && *agent && !(*agent)->online) {
            QTextStream(stderr)
                << Cli::tr("The agent \"%1\" is not connected now; the test waits until it connects.").arg(targetAgent)
                << Qt::endl;
        }
    }
    return 0;
}

int testList(const Invocation &invocation)
{
    Command command(invocation);
    command.parser().addOption(jsonOption());
    if (auto code = command.open(0))
        return *code;
    const auto tests = command.operations().tests();
    if (!tests)
        return failWith(tests.error());
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const auto agentsOf = [](const TestRecord &test) {
        return test.allAgents ? u"all"_s : test.agentNames.join(u',');
    };
    printRecords(
        command, *tests,
        {Cli::tr("NAME"), Cli::tr("TYPE"), Cli::tr("TARGET"), Cli::tr("INTERVAL"), Cli::tr("DURATION"),
            Cli::tr("STATE"), Cli::tr("AGENTS")},
        [&](const TestRecord &test) {
            return QStringList{test.name, test.type, test.target, formatDurationMs(test.intervalMs),
                test.durationMs ? formatDurationMs(test.durationMs) : Cli::tr("continuous"),
                testStateName(test.stateAt(now)), agentsOf(test)};
        },
        [&](const TestRecord &test) {
            QJsonObject params;
            for (auto it = test.params.cbegin(); it != test.params.cend(); ++it)
                params.insert(it.key(), it.value());
            return QJsonObject{{u"name"_s, test.name}, {u"type"_s, test.type}, {u"target"_s, test.target},
                {u"intervalMs"_s, test.intervalMs}, {u"durationMs"_s, test.durationMs},
                {u"state"_s, testStateName(test.stateAt(now))}, {u"agents"_s, agentsOf(test)}, {u"params"_s, params},
                {u"created"_s, formatTime(test.createdAtMs)}};
        });
    return 0;
}

int testStop(const Invocation &invocation)
{
    Command command(invocation);
    if (auto code = command.open(1))
        return *code;
    if (const auto stopped = command.operations().stopTest(command.positional(0)); !stopped)
        return failWith(stopped.error());
    out() << Cli::tr("Stopped test \"%1\".").arg(command.positional(0)) << Qt::endl;
    return 0;
}

} // namespace StreamSwarm::Console::Commands
