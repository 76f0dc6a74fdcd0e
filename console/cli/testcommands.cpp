// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include <algorithm>

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>

#include "console/cli/commands.h"
#include "shared/protocol/validation.h"
#include "shared/testtypes/testtype.h"
#include "shared/util/duration.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console::Commands {

namespace {

// The options that say what a test does, when and where; shared by test add and test edit.
void addDefinitionOptions(QCommandLineParser &parser)
{
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
    parser.addOption({u"interval"_s, Cli::tr("Time between rounds (default 1s)."), Cli::tr("DURATION")});
    parser.addOption({u"duration"_s, Cli::tr("How long the test runs (default 60s)."), Cli::tr("DURATION")});
    parser.addOption({u"continuous"_s, Cli::tr("Run until stopped.")});
    parser.addOption({u"start"_s,
        Cli::tr("When the test starts: ISO 8601 (2026-12-24T08:00:00Z), or +DURATION from now (+2h). Default: now."),
        Cli::tr("TIME")});
    parser.addOption({u"agents"_s,
        Cli::tr("Who runs the test: agent names and tag:TAG (every agent with that tag, also later ones), "
                "separated by commas; or all."),
        Cli::tr("LIST")});
    parser.addOption({u"param"_s, Cli::tr("A test parameter; repeat for more."), Cli::tr("KEY=VALUE")});
}

// "a,tag:core,b" or "all" into the test's agents and tags.
bool applyAgentList(const QString &list, TestRecord *test, QString *error)
{
    const QStringList entries = list.split(u',', Qt::SkipEmptyParts);
    test->allAgents = false;
    test->agentNames.clear();
    test->agentIds.clear();
    test->agentTags.clear();
    for (const QString &raw : entries) {
        const QString entry = raw.trimmed();
        if (entry == u"all") {
            test->allAgents = true;
        } else if (entry.startsWith(u"tag:")) {
            if (const QString tag = entry.mid(4); !test->agentTags.contains(tag))
                test->agentTags.append(tag);
        } else if (!entry.isEmpty() && !test->agentNames.contains(entry)) {
            test->agentNames.append(entry);
        }
    }
    if (test->allAgents && (!test->agentNames.isEmpty() || !test->agentTags.isEmpty())) {
        *error = Cli::tr("--agents: \"all\" already means every agent; give it alone.");
        return false;
    }
    if (!test->allAgents && test->agentNames.isEmpty() && test->agentTags.isEmpty()) {
        *error = Cli::tr("--agents names no agent; give names or tag:TAG separated by commas, or all.");
        return false;
    }
    return true;
}

std::optional<qint64> parseStart(const QString &text, QString *error)
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (text.startsWith(u'+')) {
        const auto later = parseDurationMs(text.mid(1), error);
        if (!later)
            return std::nullopt;
        return now.toMSecsSinceEpoch() + *later;
    }
    if (text == u"now")
        return 0;
    const auto time = parseTimePoint(text, now, error);
    if (!time)
        return std::nullopt;
    return time->toMSecsSinceEpoch();
}

// Applies the definition options that are set; message says which option is wrong.
bool applyDefinitionOptions(const QCommandLineParser &parser, TestRecord *test, QString *message)
{
    QString error;
    if (parser.isSet(u"duration"_s) && parser.isSet(u"continuous"_s)) {
        *message = Cli::tr("Give either --duration or --continuous, not both.");
        return false;
    }
    if (parser.isSet(u"target"_s))
        test->target = parser.value(u"target"_s);
    if (parser.isSet(u"interval"_s)) {
        const auto interval = parseDurationMs(parser.value(u"interval"_s), &error);
        if (!interval) {
            *message = u"--interval: "_s + error;
            return false;
        }
        test->intervalMs = *interval;
    }
    if (parser.isSet(u"continuous"_s))
        test->durationMs = 0;
    if (parser.isSet(u"duration"_s)) {
        const auto duration = parseDurationMs(parser.value(u"duration"_s), &error);
        if (!duration) {
            *message = u"--duration: "_s + error;
            return false;
        }
        if (*duration == 0) {
            *message = Cli::tr("--duration must be longer than zero; use --continuous to run until stopped.");
            return false;
        }
        test->durationMs = *duration;
    }
    if (parser.isSet(u"start"_s)) {
        const auto start = parseStart(parser.value(u"start"_s), &error);
        if (!start) {
            *message = u"--start: "_s + error;
            return false;
        }
        test->startsAtMs = *start;
    }
    if (parser.isSet(u"agents"_s) && !applyAgentList(parser.value(u"agents"_s), test, message))
        return false;
    for (const QString &param : parser.values(u"param"_s)) {
        const qsizetype equals = param.indexOf(u'=');
        if (equals <= 0) {
            *message = Cli::tr("--param \"%1\" must look like key=value.").arg(param);
            return false;
        }
        test->params.insert(param.left(equals), param.mid(equals + 1));
    }
    return true;
}

QString stateOf(const TestRecord &test, qint64 nowMs)
{
    return test.deletedAtMs ? Cli::tr("deleted") : testStateName(test.stateAt(nowMs));
}

// Tags that no agent carries yet: the test waits for them, which is often a typo.
void warnAboutEmptyTags(Command &command, const TestRecord &test)
{
    const auto agents = command.operations().agents();
    if (!agents)
        return;
    for (const QString &tag : test.agentTags) {
        const bool carried = std::any_of(agents->cbegin(), agents->cend(),
            [&](const AgentRecord &agent) { return !agent.revoked && agent.tags.contains(tag); });
        if (!carried) {
            QTextStream(stderr) << Cli::tr("No agent has the tag \"%1\" yet; the test starts on agents as they get "
                                           "it (agent tag NAME %1).")
                                       .arg(tag)
                                << Qt::endl;
        }
    }
}

} // namespace

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
    addDefinitionOptions(parser);
    if (auto code = command.parse(0))
        return *code;
    const TestTypes::TestType *type = TestTypes::find(parser.value(u"type"_s));
    const bool ofThisHost = type && type->target == TestTypes::TargetKind::ThisHost;
    for (const QString &required : {u"name"_s, u"type"_s, u"target"_s, u"agents"_s}) {
        if (!parser.isSet(required) && !(required == u"target" && ofThisHost))
            return failWith(Cli::tr("--%1 is required.").arg(required), EXIT_USAGE);
    }

    TestRecord test;
    test.name = parser.value(u"name"_s);
    test.type = parser.value(u"type"_s);
    test.target = QString::fromUtf16(Validation::LOCAL_TARGET);
    test.intervalMs = 1000;
    test.durationMs = 60 * 1000;
    QString error;
    if (!applyDefinitionOptions(parser, &test, &error))
        return failWith(error, EXIT_USAGE);
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
                     test.allAgents ? Cli::tr("all agents") : test.agentsText())
          << Qt::endl;
    if (test.startsAtMs > test.createdAtMs)
        out() << Cli::tr("It starts at %1.").arg(formatIsoUtcMs(test.startsAtMs)) << Qt::endl;
    warnAboutEmptyTags(command, test);
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

int testEdit(const Invocation &invocation)
{
    Command command(invocation);
    QCommandLineParser &parser = command.parser();
    parser.addOption({u"rename"_s, Cli::tr("A new name for the test."), Cli::tr("NAME")});
    addDefinitionOptions(parser);
    parser.addOption(
        {u"unset-param"_s, Cli::tr("Remove a test parameter (back to its default); repeat for more."), Cli::tr("KEY")});
    if (auto code = command.open(1))
        return *code;
    const QString name = command.positional(0);
    const auto found = command.operations().findTest(name);
    if (!found)
        return failWith(found.error());
    if (!*found)
        return failWith(Cli::tr("There is no test named \"%1\"; see 'test list'.").arg(name));
    TestRecord test = **found;
    for (const QString &key : parser.values(u"unset-param"_s))
        test.params.remove(key);
    QString error;
    if (!applyDefinitionOptions(parser, &test, &error))
        return failWith(error, EXIT_USAGE);
    if (parser.isSet(u"rename"_s))
        test.name = parser.value(u"rename"_s);
    if (const auto edited = command.operations().editTest(name, test); !edited)
        return failWith(edited.error());
    out() << Cli::tr("Changed test \"%1\"; the agents that run it have the new definition within a second.")
                 .arg(test.name)
          << Qt::endl;
    warnAboutEmptyTags(command, test);
    return 0;
}

int testList(const Invocation &invocation)
{
    Command command(invocation);
    command.parser().addOption(jsonOption());
    command.parser().addOption(
        {u"all"_s, Cli::tr("Also the tests deleted with their measurements kept, under the name they are kept as.")});
    if (auto code = command.open(0))
        return *code;
    const auto tests = command.operations().tests(command.parser().isSet(u"all"_s));
    if (!tests)
        return failWith(tests.error());
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    printRecords(
        command, *tests,
        {Cli::tr("NAME"), Cli::tr("TYPE"), Cli::tr("TARGET"), Cli::tr("INTERVAL"), Cli::tr("DURATION"),
            Cli::tr("STATE"), Cli::tr("AGENTS")},
        [&](const TestRecord &test) {
            return QStringList{test.name, test.type, test.target, formatDurationMs(test.intervalMs),
                test.durationMs ? formatDurationMs(test.durationMs) : Cli::tr("continuous"), stateOf(test, now),
                test.agentsText()};
        },
        [&](const TestRecord &test) {
            QJsonObject params;
            for (auto it = test.params.cbegin(); it != test.params.cend(); ++it)
                params.insert(it.key(), it.value());
            return QJsonObject{{u"name"_s, test.name}, {u"type"_s, test.type}, {u"target"_s, test.target},
                {u"intervalMs"_s, test.intervalMs}, {u"durationMs"_s, test.durationMs},
                {u"state"_s, test.deletedAtMs ? u"deleted"_s : testStateKey(test.stateAt(now))},
                {u"agents"_s, test.agentsText()}, {u"params"_s, params}, {u"created"_s, formatTime(test.createdAtMs)},
                {u"starts"_s, formatTime(test.startsAt())}};
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

int testPause(const Invocation &invocation)
{
    Command command(invocation);
    if (auto code = command.open(1))
        return *code;
    if (const auto paused = command.operations().pauseTest(command.positional(0)); !paused)
        return failWith(paused.error());
    out() << Cli::tr("Paused test \"%1\"; resume it with 'test resume %1'.").arg(command.positional(0)) << Qt::endl;
    return 0;
}

int testResume(const Invocation &invocation)
{
    Command command(invocation);
    if (auto code = command.open(1))
        return *code;
    if (const auto resumed = command.operations().resumeTest(command.positional(0)); !resumed)
        return failWith(resumed.error());
    out() << Cli::tr("Resumed test \"%1\".").arg(command.positional(0)) << Qt::endl;
    return 0;
}

int testDelete(const Invocation &invocation)
{
    Command command(invocation);
    QCommandLineParser &parser = command.parser();
    parser.addOption({u"keep-data"_s, Cli::tr("Keep the test's measurements, under a name of their own.")});
    parser.addOption({u"delete-data"_s, Cli::tr("Delete the test's measurements too.")});
    if (auto code = command.parse(1))
        return *code;
    const QString name = command.positional(0);
    if (parser.isSet(u"keep-data"_s) == parser.isSet(u"delete-data"_s)) {
        return failWith(Cli::tr("Say what happens to the measurements of \"%1\": --keep-data keeps them (under a new "
                                "name, for export and charts), --delete-data deletes them too.")
                            .arg(name),
            EXIT_USAGE);
    }
    if (auto code = command.openDatabase())
        return *code;
    const bool keep = parser.isSet(u"keep-data"_s);
    const auto deleted = command.operations().deleteTest(name, keep);
    if (!deleted)
        return failWith(deleted.error());
    if (keep)
        out() << Cli::tr("Deleted test \"%1\"; its measurements are kept as \"%2\".").arg(name, *deleted) << Qt::endl;
    else
        out() << Cli::tr("Deleted test \"%1\" and its measurements.").arg(name) << Qt::endl;
    return 0;
}

} // namespace StreamSwarm::Console::Commands
