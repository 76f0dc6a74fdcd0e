// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include <cstring>
#include <memory>

#include <QApplication>
#include <QGuiApplication>
#include <QTextStream>
#include <QTimer>

#include "console/app/language.h"
#include "console/cli/cli.h"
#include "console/cli/serveroptions.h"
#include "console/server/consoleservice.h"
#include "console/server/headlesscollector.h"
#include "console/ui/appearance.h"
#include "console/ui/mainwindow.h"
#include "shared/util/commandline.h"
#include "shared/util/logging.h"
#include "shared/util/signalwatcher.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm;
using namespace StreamSwarm::Console;

namespace {

void describeApplication()
{
    QCoreApplication::setApplicationName(u"streamswarm-console"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(STREAMSWARM_VERSION));
}

int fail(const QString &message, int code = EXIT_FAILED)
{
    QTextStream(stderr) << QCoreApplication::applicationName() << ": " << message << Qt::endl;
    return code;
}

QtMessageHandler g_defaultHandler = nullptr;

// A report made without a desktop session: Qt's note that XDG_RUNTIME_DIR is not set (it uses a
// folder in /tmp instead) tells the user nothing they need to act on.
void withoutRuntimeDirNote(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (message.startsWith(u"QStandardPaths: XDG_RUNTIME_DIR not set"_s))
        return;
    g_defaultHandler(type, context, message);
}

bool hasHeadlessOption(int argc, char **argv)
{
    return std::any_of(argv + 1, argv + argc, [](const char *arg) { return std::strcmp(arg, "--headless") == 0; });
}

bool hasDisplay()
{
#if defined(Q_OS_UNIX) && !defined(Q_OS_MACOS)
    return !qEnvironmentVariableIsEmpty("DISPLAY") || !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY")
        || !qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM");
#else
    return true;
#endif
}

int runCollector(QCoreApplication &app, const ServerOptions &options)
{
    QString error;
    HeadlessCollector collector;
    QObject::connect(&collector, &HeadlessCollector::finished, &app, &QCoreApplication::exit);
    if (!collector.start(options, &error))
        return fail(error);
    return app.exec();
}

int runHeadless(int argc, char **argv, bool asked)
{
    QCoreApplication app(argc, argv);
    describeApplication();
    Language::install(QString());
    QString error;
    int exitCode = 1;
    const auto options = ServerOptions::parse(app.arguments(), &error, &exitCode);
    if (!options)
        return error.isEmpty() ? exitCode : fail(error, EXIT_USAGE);
    if (!asked && !options->headless)
        QTextStream(stderr) << QCoreApplication::translate("main",
            "No display found, so the console runs without a "
            "window (as with --headless).")
                            << Qt::endl;
    return runCollector(app, *options);
}

int runWindow(int argc, char **argv)
{
    QApplication app(argc, argv);
    describeApplication();
    Language::install(Language::savedChoice());
    Appearance::initialize();
    Appearance::apply(Appearance::savedChoice());
    QString error;
    int exitCode = 1;
    const auto options = ServerOptions::parse(app.arguments(), &error, &exitCode);
    if (!options)
        return error.isEmpty() ? exitCode : fail(error, EXIT_USAGE);
    if (options->headless) // "headless = yes" in the settings file
        return runCollector(app, *options);
    ConsoleService service;
    if (!service.start(options->console, &error))
        return fail(error);
    MainWindow window(&service);
    window.show();
    SignalWatcher signalWatcher;
    QObject::connect(&signalWatcher, &SignalWatcher::terminationRequested, &app, &QApplication::closeAllWindows);
    if (options->stopAfterMs)
        QTimer::singleShot(std::chrono::milliseconds(options->stopAfterMs), &app, &QApplication::closeAllWindows);
    const int code = app.exec();
    service.stop();
    return code;
}

} // namespace

int main(int argc, char **argv)
{
    installMessagePattern();
    if (argc > 1 && Cli::isCommand(QString::fromLocal8Bit(argv[1]))) {
        std::unique_ptr<QCoreApplication> app;
        if (Cli::needsGui(QString::fromLocal8Bit(argv[1]))) {
            // Reports draw text and charts, which needs Qt's fonts, but never a window.
            if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
                qputenv("QT_QPA_PLATFORM", "offscreen");
            g_defaultHandler = qInstallMessageHandler(withoutRuntimeDirNote);
            app = std::make_unique<QGuiApplication>(argc, argv);
        } else {
            app = std::make_unique<QCoreApplication>(argc, argv);
        }
        describeApplication();
        Language::install(QString());
        return Cli::run(app->arguments());
    }
    // No display to open a window on: run as a collector rather than fail.
    if (hasHeadlessOption(argc, argv))
        return runHeadless(argc, argv, true);
    if (!hasDisplay())
        return runHeadless(argc, argv, false);
    return runWindow(argc, argv);
}
