// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "agentoptions.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QHostInfo>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTextStream>

#include "shared/protocol/validation.h"
#include "shared/util/bytesize.h"
#include "shared/util/commandline.h"
#include "shared/util/configfile.h"
#include "shared/util/fingerprint.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Agent {

namespace {

std::optional<QString> readTokenFile(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = AgentOptions::tr("Cannot read the token file %1: %2").arg(path, file.errorString());
        return std::nullopt;
    }
    return QString::fromUtf8(file.read(4096)).trimmed();
}

// A host name is a fine default agent name once it is made to fit the naming rules.
QString defaultName()
{
    QString name = QHostInfo::localHostName().section(u'.', 0, 0);
    for (QChar &c : name) {
        if (!(c.isLetterOrNumber() && c.unicode() < 128) && c != u'-' && c != u'_')
            c = u'-';
    }
    return name.isEmpty() ? u"agent"_s : name.left(Validation::MAX_NAME_LENGTH);
}

// What agent.conf may hold: every option of the command line but --config itself.
ConfigFile::Rules configRules()
{
    return {u"agent"_s,
        {u"server"_s, u"token"_s, u"token-file"_s, u"name"_s, u"state-dir"_s, u"fingerprint"_s, u"insecure"_s,
            u"spool-size"_s, u"replay-rate"_s, u"stamp-port"_s, u"hardware-timestamps"_s},
        {u"insecure"_s}};
}

} // namespace

std::optional<AgentOptions> AgentOptions::parse(const QStringList &arguments, QString *error, int *exitCode)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(tr("StreamSwarm agent: runs the tests the console assigns and sends back what "
                                        "it measures."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOption(
        {u"server"_s, tr("The console's address, wss://HOST:PORT (ws:// only with --insecure)."), tr("URL")});
    parser.addOption({u"token"_s, tr("Enrollment token from 'streamswarm-console token create'."), tr("TOKEN")});
    parser.addOption({u"token-file"_s, tr("Read the enrollment token from this file."), tr("FILE")});
    parser.addOption({u"name"_s, tr("This agent's name in the console (default: the host name)."), tr("NAME")});
    parser.addOption({u"state-dir"_s, tr("Folder for the agent's credential and state."), tr("DIR")});
    parser.addOption({u"fingerprint"_s, tr("The console certificate's SHA-256 fingerprint."), tr("SHA256")});
    parser.addOption({u"config"_s,
        tr("Read the settings from this file instead of %1 (name = value lines named as these options; the "
           "command line wins).")
            .arg(systemSettingsFile(QString::fromLatin1(CONFIG_FILE_NAME))),
        tr("FILE")});
    parser.addOption({u"insecure"_s, tr("Allow plain ws:// instead of wss:// (for labs only).")});
    parser.addOption({u"spool-size"_s,
        tr("Disk space for results kept while the console is away (default 256MB). When it is full the oldest "
           "results are dropped, and the console is told how many."),
        tr("SIZE")});
    parser.addOption({u"replay-rate"_s,
        tr("Test rounds sent per second when catching up after an outage (default 2000)."), tr("N")});
    parser.addOption({u"stamp-port"_s,
        tr("Answer STAMP test packets (RFC 8762) on this UDP port, so other agents can measure the path to this "
           "host (862 is the standard port; below 1024 needs root). Off unless given."),
        tr("PORT")});
    parser.addOption({u"hardware-timestamps"_s,
        tr("Switch on the network card's own packet stamping on these interfaces (comma-separated), so ping and "
           "traceroute are timed by the card. This is a host-wide setting of the card; the agent needs root "
           "or CAP_NET_ADMIN for it. Off unless given."),
        tr("IFACES")});
    if (const auto exit = finishParsing(parser, arguments, error)) {
        if (*exit == 0) // help or version printed; otherwise error says what is wrong
            *exitCode = 0;
        return std::nullopt;
    }

    // The command line first, then the settings file.
    const auto settings = ConfiguredOptions::load(
        parser, systemSettingsFile(QString::fromLatin1(CONFIG_FILE_NAME)), configRules(), error);
    if (!settings)
        return std::nullopt;
    const auto value = [&](const QString &name) {
        return settings->value(name);
    };
    const auto refuse = [&](const QString &name, const QString &message) -> std::optional<AgentOptions> {
        *error = settings->blame(name, message);
        return std::nullopt;
    };

    AgentOptions options;
    const QString server = value(u"server"_s);
    if (server.isEmpty()) {
        *error = settings->file()
            ? tr("--server is required, on the command line or as server = ... in %1.").arg(settings->file()->path())
            : tr("--server is required, e.g. --server wss://console.example.net:8765.");
        return std::nullopt;
    }
    options.server = QUrl(server, QUrl::StrictMode);
    const QString scheme = options.server.scheme();
    if (!options.server.isValid() || (scheme != u"ws" && scheme != u"wss") || options.server.host().isEmpty()
        || options.server.port() < 1) {
        return refuse(u"server"_s, tr("--server \"%1\" is not an address like wss://HOST:PORT.").arg(server));
    }
    options.insecure = settings->isOn(u"insecure"_s);
    if (scheme == u"ws" && !options.insecure) {
        return refuse(u"server"_s,
            tr("--server %1 is plain ws://, which sends the agent's credentials unencrypted; use wss:// "
               "or add --insecure (for labs only).")
                .arg(server));
    }

    options.token = value(u"token"_s);
    if (options.token.isEmpty() && !value(u"token-file"_s).isEmpty()) {
        const auto token = readTokenFile(value(u"token-file"_s), error);
        if (!token)
            return refuse(u"token-file"_s, *error);
        options.token = *token;
    }
    if (options.token.isEmpty())
        options.token = qEnvironmentVariable("STREAMSWARM_TOKEN");

    options.name = value(u"name"_s);
    if (options.name.isEmpty())
        options.name = defaultName();
    if (!Validation::checkName(tr("agent name"), options.name, error))
        return refuse(u"name"_s, *error);
    options.stateDir = value(u"state-dir"_s);
    if (options.stateDir.isEmpty())
        options.stateDir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    const QString fingerprint = value(u"fingerprint"_s);
    if (!fingerprint.isEmpty()) {
        const auto parsed = parseFingerprint(fingerprint);
        if (!parsed) {
            return refuse(u"fingerprint"_s,
                tr("--fingerprint \"%1\" is not a SHA-256 fingerprint; copy it from "
                   "'streamswarm-console fingerprint' (sha256:ab:cd:...).")
                    .arg(fingerprint.left(120)));
        }
        options.fingerprint = *parsed;
    }
    if (const QString size = value(u"spool-size"_s); !size.isEmpty()) {
        const auto bytes = parseByteSize(size);
        if (!bytes || *bytes < 64 * 1024 || *bytes > 1024LL * 1024 * 1024 * 1024) {
            return refuse(u"spool-size"_s,
                tr("--spool-size \"%1\" is not a size between 64KiB and 1TiB, e.g. 256MB or 2GB.").arg(size.left(40)));
        }
        options.spoolMaxBytes = *bytes;
    }
    if (const QString rate = value(u"replay-rate"_s); !rate.isEmpty()) {
        bool ok = false;
        options.replayRoundsPerSecond = rate.toLongLong(&ok);
        if (!ok || options.replayRoundsPerSecond < 1 || options.replayRoundsPerSecond > 1000000) {
            return refuse(u"replay-rate"_s,
                tr("--replay-rate \"%1\" must be a whole number of rounds a second, 1 to 1000000.").arg(rate.left(40)));
        }
    }
    if (const QString port = value(u"stamp-port"_s); !port.isEmpty()) {
        bool ok = false;
        const int number = port.toInt(&ok);
        if (!ok || number < 1 || number > 65535)
            return refuse(
                u"stamp-port"_s, tr("--stamp-port \"%1\" is not a UDP port number (1 to 65535).").arg(port.left(40)));
        options.stampPort = quint16(number);
    }
    if (const QString interfaces = value(u"hardware-timestamps"_s); !interfaces.isEmpty()) {
        for (const QString &interface : interfaces.split(u',', Qt::SkipEmptyParts)) {
            const QString trimmed = interface.trimmed();
            // IFNAMSIZ - 1 characters, none of them blank or a slash: what Linux accepts as a name.
            static const QRegularExpression valid(u"^[^\\s/]{1,15}\\z"_s);
            if (!valid.match(trimmed).hasMatch()) {
                return refuse(u"hardware-timestamps"_s,
                    tr("--hardware-timestamps: \"%1\" is not a network interface name.").arg(trimmed.left(40)));
            }
            options.hardwareStampInterfaces.append(trimmed);
        }
    }
    // A token in a file others can read can be copied to enroll a stranger's agent.
    if (const auto &file = settings->file(); file && file->contains(u"token"_s)) {
        if (QFileInfo(file->path()).permissions() & QFile::ReadOther) { // the group is the agent's own
            options.warnings.append(tr("%1 holds an enrollment token and other users can read it; make it readable "
                                       "by the agent only (chmod 600 %1).")
                                        .arg(file->path()));
        }
    }
    return options;
}

} // namespace StreamSwarm::Agent
