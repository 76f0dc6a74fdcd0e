// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include <QCoreApplication>
#include <QDebug>
#include <QTextStream>
#include <QTimer>

#include "agent/agentoptions.h"
#include "agent/agentservice.h"
#include "shared/util/commandline.h"
#include "shared/util/logging.h"
#include "shared/util/signalwatcher.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm;

namespace {

int fail(const QString &message, int code = EXIT_FAILED)
{
    QTextStream(stderr) << QCoreApplication::applicationName() << ": " << message << Qt::endl;
    return code;
}

} // namespace

int main(int argc, char **argv)
{
    installMessagePattern();
    // Qt's own event loop, not glib's: the agent integrates with no glib library, and on every wake-up
    // glib's main loop costs more (50 https tests at 10 s: 1.07 % of a core against 1.27 %).
    if (!qEnvironmentVariableIsSet("QT_NO_GLIB"))
        qputenv("QT_NO_GLIB", "1");
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"streamswarm-agent"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(STREAMSWARM_VERSION));

    QString error;
    int exitCode = 1;
    const auto options = Agent::AgentOptions::parse(app.arguments(), &error, &exitCode);
    if (!options)
        return error.isEmpty() ? exitCode : fail(error, EXIT_USAGE);

    for (const QString &warning : options->warnings)
        qWarning().noquote() << warning;
    Agent::AgentService service(*options);
    // Queued: a refusal found while starting (no credential and no token) is emitted before exec()
    // runs, and an exit() asked for then would be lost, leaving the agent waiting for ever.
    QObject::connect(
        &service, &Agent::AgentService::fatalError, &app,
        [&app](const QString &message) {
            fail(message);
            app.exit(1);
        },
        Qt::QueuedConnection);
    SignalWatcher signalWatcher;
    QObject::connect(&service, &Agent::AgentService::stopped, &app, [&app] { app.exit(0); });
    QObject::connect(&signalWatcher, &SignalWatcher::terminationRequested, &app, [&] {
        // Spools the current batch and waits briefly for the console's ack (bounded in ConsoleClient).
        service.stop();
        QTimer::singleShot(6000, &app, [&app, &service] { // a last resort: the console does not answer
            service.markStoppedCleanly(); // what was measured is in the spool already
            app.exit(0);
        });
    });
    if (!service.start(&error))
        return fail(error);
    return app.exec();
}
