// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <optional>

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QStringList>

#include "console/server/consoleservice.h"
#include "shared/util/configfile.h"

namespace StreamSwarm::Console {

// How the console was asked to run (window or collector), from its command line.
struct ServerOptions
{
    Q_DECLARE_TR_FUNCTIONS(StreamSwarm::Console::ServerOptions)

public:
    ConsoleOptions console;
    bool headless = false;
    qint64 stopAfterMs = 0; // 0 = run until stopped
    QString dataDir;

    // Parses [--headless] [--data-dir DIR] [--db URL] [--listen HOST:PORT] [--metrics-listen HOST:PORT] [--insecure]
    // [--cert FILE --key FILE] [--stop-after D] [--config FILE], the command line over console.conf.
    // On failure returns nullopt and one line in error; on --help/--version prints and sets exitCode.
    static std::optional<ServerOptions> parse(const QStringList &arguments, QString *error, int *exitCode);
};

// The options that say how alert messages go out (--smtp-server ...), for the console and for
// 'alert test', which sends as the console would; and reading them from the command line or console.conf.
void addDeliveryOptions(QCommandLineParser &parser);
bool readDeliverySettings(const ConfiguredOptions &settings, DeliverySettings *delivery, QString *error);

// "0.0.0.0:8765", "[::]:8765", "localhost:0" -> address and port.
bool parseListenAddress(const QString &text, QHostAddress *address, quint16 *port, QString *error);
// --metrics-listen: the same, but the port must be given (1 to 65535).
bool parseMetricsAddress(const QString &text, QHostAddress *address, quint16 *port, QString *error);

} // namespace StreamSwarm::Console
