// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>

#include "console/cli/commands.h"
#include "console/cli/databaseoptions.h"
#include "console/server/certificatestore.h"
#include "shared/protocol/validation.h"
#include "shared/util/duration.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console::Commands {

int tokenCreate(const Invocation &invocation)
{
    Command command(invocation);
    command.parser().addOption(
        {u"uses"_s, Cli::tr("How many agents may enroll with it (default 1)."), Cli::tr("N"), u"1"_s});
    command.parser().addOption(
        {u"expires"_s, Cli::tr("How long it stays valid (default 7d)."), Cli::tr("DURATION"), u"7d"_s});
    command.parser().addOption({u"replace"_s,
        Cli::tr("Make a single-use token that moves this enrolled agent to a new host: the agent that enrolls with it "
                "takes the name, tests and history, and the old host's credential stops working."),
        Cli::tr("AGENT")});
    if (auto code = command.parse(1))
        return *code;
    const bool replacing = command.parser().isSet(u"replace"_s);
    if (replacing && command.parser().isSet(u"uses"_s) && command.parser().value(u"uses"_s) != u"1")
        return failWith(Cli::tr("A token made with --replace moves one agent: leave out --uses."), EXIT_USAGE);
    TokenRequest request;
    request.name = command.positional(0);
    request.replaceAgent = command.parser().value(u"replace"_s);
    QString error;
    bool ok = false;
    request.uses = command.parser().value(u"uses"_s).toInt(&ok);
    if (!ok || request.uses < 1 || request.uses > Operations::MAX_TOKEN_USES)
        return failWith(
            Cli::tr("--uses must be a whole number from 1 to %1.").arg(Operations::MAX_TOKEN_USES), EXIT_USAGE);
    const auto expires = parseDurationMs(command.parser().value(u"expires"_s), &error);
    if (!expires)
        return failWith(u"--expires: "_s + error, EXIT_USAGE);
    if (*expires == 0) {
        return failWith(
            Cli::tr("--expires must be longer than zero; a token that has already expired lets no agent join."),
            EXIT_USAGE);
    }
    if (*expires > Operations::MAX_TOKEN_VALIDITY_MS) {
        return failWith(Cli::tr("--expires %1 is longer than a token may last; give at most %2 (about 27 years).")
                            .arg(command.parser().value(u"expires"_s).trimmed(),
                                formatDurationMs(Operations::MAX_TOKEN_VALIDITY_MS)),
            EXIT_USAGE);
    }
    request.validForMs = *expires;
    if (!Operations::checkTokenRequest(request, &error))
        return failWith(error, EXIT_USAGE);
    if (auto code = command.openDatabase())
        return *code;
    const auto token = command.operations().createToken(request);
    if (!token)
        return failWith(token.error());
    out() << token->text << Qt::endl;
    const QString until = formatIsoUtcMs(token->expiresAtMs);
    if (replacing) {
        QTextStream(stderr) << Cli::tr("Token \"%1\" enrolls one agent as \"%2\" until %3; the agent now known by that "
                                       "name stops working then. It is shown only this once.")
                                   .arg(token->name, token->replacedAgent, until)
                            << Qt::endl;
    } else {
        QTextStream(stderr) << Cli::tr("Token \"%1\" allows %2 enrollment(s) until %3. It is shown only this once.")
                                   .arg(token->name)
                                   .arg(token->uses)
                                   .arg(until)
                            << Qt::endl;
    }
    return 0;
}

int tokenList(const Invocation &invocation)
{
    Command command(invocation);
    command.parser().addOption(jsonOption());
    if (auto code = command.open(0))
        return *code;
    const auto tokens = command.operations().tokens();
    if (!tokens)
        return failWith(tokens.error());
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const auto state = [now](const TokenRecord &token) {
        return tokenStateName(token.stateAt(now));
    };
    printRecords(
        command, *tokens, {Cli::tr("NAME"), Cli::tr("STATE"), Cli::tr("USES LEFT"), Cli::tr("EXPIRES")},
        [&](const TokenRecord &token) {
            return QStringList{
                token.name, state(token), QString::number(token.usesLeft), formatTime(token.expiresAtMs)};
        },
        [&](const TokenRecord &token) {
            return QJsonObject{{u"name"_s, token.name}, {u"state"_s, tokenStateKey(token.stateAt(now))},
                {u"usesLeft"_s, token.usesLeft}, {u"expires"_s, formatTime(token.expiresAtMs)},
                {u"created"_s, formatTime(token.createdAtMs)}};
        });
    return 0;
}

int tokenRevoke(const Invocation &invocation)
{
    Command command(invocation);
    if (auto code = command.open(1))
        return *code;
    if (const auto revoked = command.operations().revokeToken(command.positional(0)); !revoked)
        return failWith(revoked.error());
    out() << Cli::tr("Revoked token \"%1\".").arg(command.positional(0)) << Qt::endl;
    return 0;
}

int agentList(const Invocation &invocation)
{
    Command command(invocation);
    command.parser().addOption(jsonOption());
    if (auto code = command.open(0))
        return *code;
    const auto agents = command.operations().agents();
    if (!agents)
        return failWith(agents.error());
    const auto status = [](const AgentRecord &agent) {
        return agent.revoked ? Cli::tr("revoked") : agent.online ? Cli::tr("online") : Cli::tr("offline");
    };
    printRecords(
        command, *agents,
        {Cli::tr("NAME"), Cli::tr("STATUS"), Cli::tr("HOST"), Cli::tr("OS"), Cli::tr("VERSION"), Cli::tr("LAST SEEN"),
            Cli::tr("CLOCK"), Cli::tr("TAGS"), Cli::tr("ADDRESS")},
        [&](const AgentRecord &agent) {
            return QStringList{agent.name, status(agent), agent.host, agent.os, agent.version,
                formatTime(agent.lastSeenMs), describeClock(agent), agent.tags.join(u','), agent.address};
        },
        [&](const AgentRecord &agent) {
            return QJsonObject{{u"name"_s, agent.name},
                {u"status"_s,
                    agent.revoked      ? u"revoked"_s
                        : agent.online ? u"online"_s
                                       : u"offline"_s},
                {u"host"_s, agent.host}, {u"os"_s, agent.os}, {u"version"_s, agent.version},
                {u"capabilities"_s, QJsonArray::fromStringList(agent.capabilities)},
                {u"enrolled"_s, formatTime(agent.enrolledAtMs)}, {u"lastSeen"_s, formatTime(agent.lastSeenMs)},
                {u"clockOffsetMs"_s, agent.clockOffsetMs ? QJsonValue(double(*agent.clockOffsetMs)) : QJsonValue()},
                {u"clockErrorMs"_s, agent.clockOffsetMs ? QJsonValue(double(agent.clockErrorMs)) : QJsonValue()},
                {u"clockSkewed"_s, agent.clockSkewed()}, {u"tags"_s, QJsonArray::fromStringList(agent.tags)},
                {u"address"_s, agent.address}};
        });
    return 0;
}

int agentRename(const Invocation &invocation)
{
    Command command(invocation);
    if (auto code = command.open(2))
        return *code;
    const QString name = command.positional(0);
    const QString newName = command.positional(1);
    if (const auto renamed = command.operations().renameAgent(name, newName); !renamed)
        return failWith(renamed.error());
    out() << Cli::tr("Renamed agent \"%1\" to \"%2\"; it learns its new name when it next connects.").arg(name, newName)
          << Qt::endl;
    return 0;
}

namespace {

int changeTags(const Invocation &invocation, bool add)
{
    Command command(invocation);
    if (auto code = command.parseAtLeast(2))
        return *code;
    if (auto code = command.openDatabase())
        return *code;
    const QString name = command.positional(0);
    const QStringList tags = command.parser().positionalArguments().mid(1);
    const auto changed
        = command.operations().changeAgentTags(name, add ? tags : QStringList(), add ? QStringList() : tags);
    if (!changed)
        return failWith(changed.error());
    out() << (changed->isEmpty() ? Cli::tr("Agent \"%1\" has no tags now.").arg(name)
                                 : Cli::tr("Agent \"%1\" now has the tags: %2.").arg(name, changed->join(u", ")))
          << Qt::endl;
    return 0;
}

} // namespace

int agentTag(const Invocation &invocation)
{
    return changeTags(invocation, true);
}

int agentUntag(const Invocation &invocation)
{
    return changeTags(invocation, false);
}

int agentRevoke(const Invocation &invocation)
{
    Command command(invocation);
    if (auto code = command.open(1))
        return *code;
    if (const auto revoked = command.operations().revokeAgent(command.positional(0)); !revoked)
        return failWith(revoked.error());
    out()
        << Cli::tr("Revoked agent \"%1\"; a running console disconnects it within a second.").arg(command.positional(0))
        << Qt::endl;
    return 0;
}

int agentRekey(const Invocation &invocation)
{
    Command command(invocation);
    if (auto code = command.open(1))
        return *code;
    if (const auto requested = command.operations().requestRekey(command.positional(0)); !requested)
        return failWith(requested.error());
    out() << Cli::tr("Agent \"%1\" gets a new credential from the running console as soon as it is online (within a "
                     "second if it is online now); its old credential then stops working.")
                 .arg(command.positional(0))
          << Qt::endl;
    return 0;
}

QString consoleFingerprint(
    const ConfiguredOptions &settings, const QString &certFile, const QString &keyFile, QString *error)
{
    const auto database = resolveDatabase(settings, error);
    if (!database)
        return {};
    // Only reads: a command that prints must not leave a new key behind that no console uses.
    CertificateStore store;
    const bool loaded = !certFile.isEmpty()
        ? store.loadFiles(certFile, keyFile, error)
        : store.load(resolveCertificateDir(settings.value(u"data-dir"_s), *database), error);
    return loaded ? store.fingerprint() : QString();
}

int fingerprint(const Invocation &invocation)
{
    Command command(invocation);
    command.parser().addOption(
        {u"cert"_s, Cli::tr("The certificate the console is started with, if not its own."), Cli::tr("FILE")});
    command.parser().addOption({u"key"_s, Cli::tr("The private key for --cert."), Cli::tr("FILE")});
    if (auto code = command.parse(0))
        return *code;
    const ConfiguredOptions &settings = command.settings();
    if (settings.isSet(u"cert"_s) != settings.isSet(u"key"_s))
        return failWith(Cli::tr("Give --cert and --key together."), EXIT_USAGE);
    QString error;
    int code = EXIT_USAGE;
    if (!resolveDatabase(settings, &error, &code))
        return failWith(error, code);
    // The console's certificate from the settings file too, as the console itself would use it.
    const QString fingerprint
        = consoleFingerprint(settings, settings.value(u"cert"_s), settings.value(u"key"_s), &error);
    if (fingerprint.isEmpty())
        return failWith(error);
    out() << fingerprint << Qt::endl;
    return 0;
}

} // namespace StreamSwarm::Console::Commands
