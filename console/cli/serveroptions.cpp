// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "serveroptions.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QTextStream>

#include "console/cli/cli.h"
#include "console/cli/databaseoptions.h"
#include "shared/util/commandline.h"
#include "shared/util/duration.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

namespace {

// HOST:PORT with an IP address (or localhost) and a port that fits; nothing set when it does not.
bool splitAddress(const QString &text, QHostAddress *address, uint *port)
{
    const qsizetype colon = text.lastIndexOf(u':');
    QString host = colon > 0 ? text.left(colon) : QString();
    bool ok = false;
    const uint number = colon > 0 ? text.mid(colon + 1).toUInt(&ok) : 0;
    if (host.startsWith(u'[') && host.endsWith(u']'))
        host = host.mid(1, host.size() - 2);
    if (host == u"localhost")
        host = u"127.0.0.1"_s;
    QHostAddress parsed;
    if (!ok || number > 65535 || !parsed.setAddress(host))
        return false;
    *address = parsed;
    *port = number;
    return true;
}

} // namespace

bool parseListenAddress(const QString &text, QHostAddress *address, quint16 *port, QString *error)
{
    uint number = 0;
    if (!splitAddress(text, address, &number)) {
        *error
            = ServerOptions::tr("--listen \"%1\" is not HOST:PORT with an IP address, like 0.0.0.0:8765 or [::1]:8765.")
                  .arg(text);
        return false;
    }
    *port = quint16(number);
    return true;
}

bool parseMetricsAddress(const QString &text, QHostAddress *address, quint16 *port, QString *error)
{
    QHostAddress parsed;
    uint number = 0;
    if (!splitAddress(text, &parsed, &number) || number == 0) {
        *error = ServerOptions::tr("--metrics-listen \"%1\" is not HOST:PORT with an IP address and a port from 1 "
                                   "to 65535, like 127.0.0.1:9464.")
                     .arg(text);
        return false;
    }
    *address = parsed;
    *port = quint16(number);
    return true;
}

// Where alert notifications go out through: the mail server and the authorities to trust.
bool readDeliverySettings(const ConfiguredOptions &settings, DeliverySettings *delivery, QString *error)
{
    SmtpSettings &smtp = delivery->smtp;
    smtp.server = settings.value(u"smtp-server"_s);
    smtp.from = settings.value(u"smtp-from"_s);
    smtp.user = settings.value(u"smtp-user"_s);
    smtp.caFile = settings.value(u"smtp-ca-file"_s);
    smtp.requireTls = !settings.isOn(u"smtp-no-tls"_s);
    delivery->webhookCaFile = settings.value(u"webhook-ca-file"_s);
    if (settings.isSet(u"smtp-password-file"_s)) {
        QFile file(settings.value(u"smtp-password-file"_s));
        if (file.size() > 4096 || !file.open(QIODevice::ReadOnly)) {
            *error = settings.blame(u"smtp-password-file"_s,
                ServerOptions::tr("The mail password file %1 cannot be read: %2")
                    .arg(file.fileName(),
                        file.size() > 4096 ? ServerOptions::tr("it is too large.") : file.errorString()));
            return false;
        }
        smtp.password = QString::fromUtf8(file.readAll()).trimmed();
    }
    if (smtp.server.isEmpty())
        return true; // no e-mail; an email: target says so when it is used
    if (!smtp.check(error)) {
        *error = settings.blame(u"smtp-server"_s, *error);
        return false;
    }
    return true;
}

void addDeliveryOptions(QCommandLineParser &parser)
{
    parser.addOption({u"smtp-server"_s,
        ServerOptions::tr("The mail server for alert e-mails: smtp://HOST:587 (STARTTLS) or smtps://HOST:465."),
        ServerOptions::tr("URL")});
    parser.addOption(
        {u"smtp-from"_s, ServerOptions::tr("The sender address of alert e-mails."), ServerOptions::tr("ADDRESS")});
    parser.addOption({u"smtp-user"_s, ServerOptions::tr("The account to log in to the mail server with."),
        ServerOptions::tr("USER")});
    parser.addOption({u"smtp-password-file"_s,
        ServerOptions::tr("A file holding the mail account's password (keep it readable by this account only)."),
        ServerOptions::tr("FILE")});
    parser.addOption({u"smtp-ca-file"_s,
        ServerOptions::tr(
            "Trust the mail server's certificate when signed by this PEM authority (default: the system's)."),
        ServerOptions::tr("FILE")});
    parser.addOption({u"smtp-no-tls"_s, ServerOptions::tr("Send alert e-mails without TLS (for labs only).")});
    parser.addOption({u"webhook-ca-file"_s,
        ServerOptions::tr(
            "Trust webhook servers' certificates when signed by this PEM authority (default: the system's)."),
        ServerOptions::tr("FILE")});
}

std::optional<ServerOptions> ServerOptions::parse(const QStringList &arguments, QString *error, int *exitCode)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(tr("StreamSwarm console: collects what agents measure, shows it and keeps it.")
        + u"\n\n"_s + Cli::commandList());
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOption({u"headless"_s, tr("Run as a collector without a window.")});
    addDatabaseOptions(parser);
    parser.addOption(
        {u"listen"_s, tr("Address and port for agents (default 0.0.0.0:8765)."), tr("HOST:PORT"), u"0.0.0.0:8765"_s});
    parser.addOption({u"metrics-listen"_s,
        tr("Serve Prometheus metrics over plain HTTP on this address and port (off by default); "
           "keep it on loopback or a management network."),
        tr("HOST:PORT")});
    parser.addOption({u"insecure"_s, tr("Speak plain ws:// instead of wss:// (for labs only).")});
    parser.addOption({u"cert"_s, tr("Use this PEM certificate instead of the console's own."), tr("FILE")});
    parser.addOption({u"key"_s, tr("The PEM private key for --cert."), tr("FILE")});
    parser.addOption({u"stop-after"_s, tr("Stop by itself after this long (e.g. 60s)."), tr("DURATION")});
    addDeliveryOptions(parser);
    if (const auto exit = finishParsing(parser, arguments, error)) {
        if (*exit == 0) // help or version printed; otherwise error says what is wrong
            *exitCode = 0;
        return std::nullopt;
    }
    const auto settings = loadSettings(parser, error);
    if (!settings)
        return std::nullopt;
    ServerOptions options;
    options.headless = settings->isOn(u"headless"_s);
    options.console.tls = !settings->isOn(u"insecure"_s);
    options.console.certificateFile = settings->value(u"cert"_s);
    options.console.keyFile = settings->value(u"key"_s);
    if (options.console.certificateFile.isEmpty() != options.console.keyFile.isEmpty()) {
        *error
            = settings->blame(settings->isSet(u"cert"_s) ? u"cert"_s : u"key"_s, tr("Give --cert and --key together."));
        return std::nullopt;
    }
    if (!options.console.tls && !options.console.certificateFile.isEmpty()) {
        *error = settings->blame(u"insecure"_s,
            tr("--insecure turns TLS off, so --cert and --key would not be used; leave one or the other out."));
        return std::nullopt;
    }
    const QString dataDir = settings->value(u"data-dir"_s);
    options.dataDir = resolveDataDir(dataDir);
    const auto database = resolveDatabase(*settings, error);
    if (!database)
        return std::nullopt;
    options.console.database = *database;
    options.console.dataDir = resolveCertificateDir(dataDir, *database);
    if (!parseListenAddress(
            settings->value(u"listen"_s), &options.console.listenAddress, &options.console.listenPort, error)) {
        *error = settings->blame(u"listen"_s, *error);
        return std::nullopt;
    }
    if (settings->isSet(u"metrics-listen"_s)
        && !parseMetricsAddress(settings->value(u"metrics-listen"_s), &options.console.metricsAddress,
            &options.console.metricsPort, error)) {
        *error = settings->blame(u"metrics-listen"_s, *error);
        return std::nullopt;
    }
    if (!readDeliverySettings(*settings, &options.console.delivery, error))
        return std::nullopt;
    if (parser.isSet(u"stop-after"_s)) {
        const auto stopAfter = parseDurationMs(parser.value(u"stop-after"_s), error);
        if (!stopAfter) {
            *error = u"--stop-after: "_s + *error;
            return std::nullopt;
        }
        options.stopAfterMs = *stopAfter;
    }
    return options;
}

} // namespace StreamSwarm::Console
